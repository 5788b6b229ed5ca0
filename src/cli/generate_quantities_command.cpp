// `mcmc generate-quantities`: a model's generated quantities for every draw of a fit (CmdStan's standalone GQ).
#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "io/data.hpp"
#include "io/netcdf_reader.hpp"
#include "io/sink.hpp"
#include "lang/frontend.hpp"
#include "lang/observed.hpp"
#include "model/model.hpp"
#include "sampler/rng.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

CLI::App* add_generate_quantities_command(CLI::App& app, GenerateQuantitiesOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "generate-quantities",
      "Run a model's generated quantities for every draw of a fit (ours in any format, CmdStan's CSV): "
      "posterior predictive checks after the fact");
  cmd->add_option("model", o.model_file, "The model file: the fitted model, possibly with new generated quantities")
      ->required()->type_name("FILE");
  cmd->add_option("--data,-d", o.data_file, "Data file in Stan JSON format")->type_name("FILE");
  cmd->add_option("--fitted-params,--fitted", o.fitted, "The fit: Stan CSV files (one per chain), csv-long, JSON or netCDF output")
      ->required()->type_name("FILE");
  cmd->add_option("--output,-o", o.output, "Output file, as mcmc run writes it (out.csv -> out_1.csv ... per chain)")
      ->required()->type_name("FILE");
  cmd->add_option("--format", o.format, "Output format")->check(CLI::IsMember(io::output_formats()))->capture_default_str();
  cmd->add_option("--seed", o.seed,
                  "Random seed: chain c's generated quantities draw from the stream (seed, 2^32 + c - 1), one draw after "
                  "another, as in mcmc run. Default: the seed the fit records")
      ->type_name("SEED");
  cmd->add_option("--sig-figs", o.sig_figs, "Significant digits of values in CSV output")->check(CLI::Range(1, 18))->capture_default_str();
  return cmd;
}

namespace {

/// "theta[1,2]" and "theta.1.2" alike as "theta.1.2".
std::string canonical(const std::string& v) {
  std::string out;
  for (char ch : v) {
    if (ch == '[' || ch == ',') out += '.';
    else if (ch != ']' && ch != ' ') out += ch;
  }
  return out;
}

bool is_sampler_column(const std::string& n) { return n.size() > 2 && n.compare(n.size() - 2, 2, "__") == 0; }

std::optional<std::uint64_t> parse_u64(const std::string& text) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

/// Where each parameter's values are in a fit: per parameter, the fit's column of each element, in
/// the row-major order of a JSON value (the columns are column-major, "theta.1.2").
struct ParameterColumns {
  std::string name;
  std::vector<std::size_t> dims;
  std::vector<std::size_t> columns;  // row-major
};

std::vector<ParameterColumns> parameter_columns(const model::Model& m, const io::ChainDraws& fit) {
  std::map<std::string, std::size_t> index;
  for (std::size_t j = 0; j < fit.columns.size(); ++j) index.emplace(canonical(fit.columns[j]), j);
  std::vector<ParameterColumns> out;
  std::size_t first = 0;  // the variable's first column among the model's columns
  for (const model::OutputVar& v : m.outputs()) {
    if (v.block == lang::BlockKind::Parameters) {
      ParameterColumns p{v.name, v.dims, std::vector<std::size_t>(v.size)};
      for (std::size_t k = 0; k < v.size; ++k) {  // k: column-major position
        const std::string& column = m.column_names()[first + k];
        const auto at = index.find(canonical(column));
        if (at == index.end())
          throw Error(ExitCode::ModelOrData,
                      fmt::format("{}: no column '{}' (parameter '{}' of the model): the fit does not match the model's "
                                  "parameters", fit.source, column, v.name));
        std::size_t rest = k, row_major = 0, stride = 1;
        std::vector<std::size_t> idx(v.dims.size());
        for (std::size_t d = 0; d < v.dims.size(); ++d) idx[d] = rest % v.dims[d], rest /= v.dims[d];
        for (std::size_t d = v.dims.size(); d-- > 0;) row_major += idx[d] * stride, stride *= v.dims[d];
        p.columns[row_major] = at->second;
      }
      out.push_back(std::move(p));
    }
    first += v.size;
  }
  return out;
}

}  // namespace

int generate_quantities_command(const GenerateQuantitiesOptions& o) {
  std::vector<io::ChainDraws> chains;
  for (const std::string& f : o.fitted)
    for (io::ChainDraws& c : io::read_draws_file(f)) chains.push_back(std::move(c));
  if (chains.empty()) throw Error(ExitCode::Io, fmt::format("{}: holds no chains", o.fitted.front()));

  std::uint64_t seed = 0;
  if (!o.seed.empty()) {
    const std::optional<std::uint64_t> given = parse_u64(o.seed);
    if (!given) throw Error(ExitCode::Usage, fmt::format("--seed: '{}' is not an integer in [0, 2^64-1]", o.seed));
    seed = *given;
  } else {
    const std::optional<std::string> recorded = chains.front().config_value("seed");
    const std::optional<std::uint64_t> parsed = recorded ? parse_u64(*recorded) : std::nullopt;
    if (!parsed)
      throw Error(ExitCode::Usage, fmt::format("{} records no seed: give --seed", chains.front().source));
    seed = *parsed;
  }
  // The random stream of each chain: the fit's chain ids ("id", rstan's "chain_id") when every
  // chain has a different one, else the chains' order.
  std::vector<std::uint64_t> stream(chains.size());
  std::set<std::uint64_t> ids;
  for (std::size_t c = 0; c < chains.size(); ++c) {
    std::optional<std::string> id = chains[c].config_value("id");
    if (!id) id = chains[c].config_value("chain_id");
    const std::optional<std::uint64_t> n = id ? parse_u64(*id) : std::nullopt;
    stream[c] = n && *n >= 1 ? *n - 1 : c;
    ids.insert(stream[c]);
  }
  if (ids.size() != chains.size())
    for (std::size_t c = 0; c < chains.size(); ++c) stream[c] = c;

  auto program = std::make_shared<const lang::Program>(lang::load_program(o.model_file));
  io::DataSet data;
  if (!o.data_file.empty()) data = io::read_data_json(o.data_file);
  auto model = model::Model::compile(program, data, seed);  // the seed of transformed data, as in mcmc run

  std::vector<std::vector<ParameterColumns>> params;
  std::vector<std::string> sampler_columns;
  for (const std::string& n : chains.front().columns)
    if (is_sampler_column(n)) sampler_columns.push_back(n);
  for (const io::ChainDraws& c : chains) {
    params.push_back(parameter_columns(*model, c));
    if (c.columns != chains.front().columns)
      throw Error(ExitCode::Io, fmt::format("{} and {} do not have the same columns: not chains of one fit",
                                            chains.front().source, c.source));
  }

  io::OutputOptions oo;
  oo.path = o.output;
  oo.format = o.format;
  oo.num_chains = static_cast<int>(chains.size());
  oo.sig_figs = o.sig_figs;
  oo.data = &data;
  oo.observed = lang::observed_data(*program);
  std::unique_ptr<io::Output> output = io::open_output(oo);

  io::RunHeader header;
  header.mcmc_version = build_version();
  header.mcmc_commit = build_commit();
  header.model_name = model->name();
  header.config.push_back({0, "method", "generate_quantities", false, false});
  std::string files;
  for (const std::string& f : o.fitted) files += (files.empty() ? "" : ",") + f;
  header.config.push_back({1, "fitted_params", files, false, false});
  header.sampler_columns = sampler_columns;
  header.param_columns = model->column_names();
  header.algorithm = chains.front().config_value("engine").value_or("nuts");

  std::vector<double> zeros(model->dim(), 0.0), values, row;
  std::unique_ptr<graph::Evaluator> ev = model->make_output_evaluator();
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const io::ChainDraws& fit = chains[c];
    sampler::Rng rng(seed, sampler::kGeneratedQuantitiesStream + stream[c]);
    io::ChainSink& sink = output->chain(static_cast<int>(c));
    sink.begin(header, static_cast<int>(stream[c] + 1), seed);
    io::DataSet point;
    point.file = fit.source;
    for (const ParameterColumns& p : params[c]) point.vars[p.name] = io::DataValue{p.dims, std::vector<double>(p.columns.size()), false};
    for (std::size_t i = 0; i < fit.num_draws(); ++i) {
      for (const ParameterColumns& p : params[c]) {
        std::vector<double>& v = point.vars[p.name].values;
        for (std::size_t k = 0; k < p.columns.size(); ++k) v[k] = fit.values[p.columns[k]][i];
      }
      std::vector<double> q;
      try {
        q = model->init_point(&point, zeros);
        model->write_row(q, rng, values, *ev);
      } catch (const Error& e) {
        throw Error(e.code(), fmt::format("{}: draw {}: {}", fit.source, i + 1, e.what()));
      }
      row.clear();
      for (const std::string& n : sampler_columns) row.push_back(fit.values[*fit.find_column(n)][i]);
      row.insert(row.end(), values.begin(), values.end());
      sink.draw(row);
    }
    io::ChainFooter footer;
    footer.warmup_seconds = 0;
    footer.sampling_seconds = 0;
    sink.end(footer);
  }
  output->finalize(nullptr);
  std::cerr << fmt::format("Generated quantities for {} chain{} x {} draws: {}\n", chains.size(),
                           chains.size() == 1 ? "" : "s", chains.front().num_draws(),
                           fmt::join(output->paths(), ", "));
  return 0;
}

}  // namespace mcmc::cli
