// Reading InferenceData netCDF files (ours, ArviZ's) back into per-chain columns named as in Stan CSV.
#include "io/netcdf_reader.hpp"

#include <netcdf.h>

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "io/inference_data.hpp"
#include "io/json_reader.hpp"
#include "io/netcdf_file.hpp"
#include "util/error.hpp"

namespace mcmc::io {

namespace {

/// A variable of shape (chain, draw, ...) read whole: values[(c * draws + d) * size + k].
struct DrawVariable {
  std::string name;
  std::vector<std::size_t> dims;  // beyond (chain, draw)
  std::size_t size = 1;
  std::vector<double> values;
};

/// The (chain, draw, ...) variables of a group, in definition order; sets `chains` and `draws`.
std::vector<DrawVariable> draw_variables(const NetcdfFile& f, int group, std::size_t& chains, std::size_t& draws) {
  std::vector<DrawVariable> out;
  for (int var : f.vars(group)) {
    const std::vector<int> dims = f.var_dims(group, var);
    if (dims.size() < 2 || f.dim_name(group, dims[0]) != "chain" || f.dim_name(group, dims[1]) != "draw") continue;
    int type = 0;
    f.check(nc_inq_vartype(group, var, &type), "reading a variable type");
    if (type == NC_CHAR || type == NC_STRING || type >= NC_FIRSTUSERTYPEID) continue;
    DrawVariable v;
    v.name = f.var_name(group, var);
    chains = f.dim_length(group, dims[0]);
    draws = f.dim_length(group, dims[1]);
    for (std::size_t k = 2; k < dims.size(); ++k) {
      v.dims.push_back(f.dim_length(group, dims[k]));
      v.size *= v.dims.back();
    }
    v.values.resize(chains * draws * v.size);
    if (!v.values.empty()) f.check(nc_get_var_double(group, var, v.values.data()), "reading " + v.name);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::vector<ChainDraws> read_netcdf(const std::string& path) {
  std::lock_guard<std::mutex> lock(netcdf_mutex());
  NetcdfFile f = NetcdfFile::open(path);
  const int root = f.id();
  const int posterior = f.group(root, "posterior");
  if (posterior < 0) throw Error(ExitCode::Io, path + ": no 'posterior' group: not an InferenceData netCDF file");
  const int stats = f.group(root, "sample_stats");
  std::size_t chains = 0, draws = 0, stat_chains = 0, stat_draws = 0;
  std::vector<DrawVariable> stat_vars;
  if (stats >= 0) stat_vars = draw_variables(f, stats, stat_chains, stat_draws);
  std::vector<DrawVariable> param_vars = draw_variables(f, posterior, chains, draws);
  if (param_vars.empty() && !stat_vars.empty()) {
    chains = stat_chains;
    draws = stat_draws;
  }
  if (!stat_vars.empty() && (stat_chains != chains || stat_draws != draws))
    throw Error(ExitCode::Io, fmt::format("{}: sample_stats has {} chains x {} draws but posterior has {} x {}", path,
                                          stat_chains, stat_draws, chains, draws));

  // Columns: the scalar sampler statistics under their Stan names, then the posterior flattened.
  std::vector<std::string> columns;
  std::vector<std::pair<const DrawVariable*, std::size_t>> sources;  // (variable, element offset)
  for (const DrawVariable& v : stat_vars) {
    if (!v.dims.empty()) continue;
    columns.push_back(sampler_stat_of_arviz(v.name).stan);
    sources.push_back({&v, 0});
  }
  for (const DrawVariable& v : param_vars) {
    for (auto& [name, offset] : flat_columns(v.name, v.dims)) {
      columns.push_back(std::move(name));
      sources.push_back({&v, offset});
    }
  }

  // Our run's attributes (absent from other writers' files).
  std::vector<std::pair<std::string, std::string>> config;
  for (const std::string& name : f.att_names(root, NC_GLOBAL)) {
    if (name.rfind("config.", 0) == 0) config.emplace_back(name.substr(7), f.get_text(root, NC_GLOBAL, name));
    if (name.rfind("run_", 0) == 0) config.emplace_back(name, f.get_text(root, NC_GLOBAL, name));  // the run footer
  }
  bool has_model = false;
  const std::string model = f.get_text(root, NC_GLOBAL, "model", &has_model);
  if (has_model) config.insert(config.begin(), {"model", model});
  const std::vector<long long> num_draws = f.get_int64s(root, NC_GLOBAL, "chain_num_draws");
  const std::vector<long long> complete = f.get_int64s(root, NC_GLOBAL, "chain_complete");
  const std::vector<double> step = f.get_doubles(root, NC_GLOBAL, "chain_step_size");
  const std::vector<double> metric = f.get_doubles(root, NC_GLOBAL, "chain_inv_metric");
  const std::vector<double> warm = f.get_doubles(root, NC_GLOBAL, "chain_warmup_seconds");
  const std::vector<double> sampling = f.get_doubles(root, NC_GLOBAL, "chain_sampling_seconds");
  auto at = [&](const auto& v, std::size_t c) { return c < v.size() ? std::optional(v[c]) : std::nullopt; };

  std::vector<ChainDraws> out;
  for (std::size_t c = 0; c < chains; ++c) {
    ChainDraws d;
    d.source = chains == 1 ? path : fmt::format("{} (chain {})", path, c + 1);
    d.columns = columns;
    d.config = config;
    std::size_t n = draws;
    if (auto k = at(num_draws, c); k && *k >= 0) n = std::min(n, static_cast<std::size_t>(*k));
    d.values.resize(columns.size());
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const DrawVariable& v = *sources[j].first;
      std::vector<double>& col = d.values[j];
      col.resize(n);
      for (std::size_t i = 0; i < n; ++i) col[i] = v.values[(c * draws + i) * v.size + sources[j].second];
    }
    if (auto s = at(step, c); s && std::isfinite(*s)) d.step_size = *s;
    if (!metric.empty() && chains > 0 && metric.size() % chains == 0) {
      const std::size_t m = metric.size() / chains;
      d.inv_metric.assign(metric.begin() + c * m, metric.begin() + (c + 1) * m);
      if (!d.inv_metric.empty() && std::isnan(d.inv_metric.front())) d.inv_metric.clear();
    }
    if (auto s = at(warm, c); s && std::isfinite(*s)) d.warmup_seconds = *s;
    if (auto s = at(sampling, c); s && std::isfinite(*s)) d.sampling_seconds = *s;
    if (auto k = at(complete, c); k && *k == 0) d.interrupted = true;
    out.push_back(std::move(d));
  }
  f.close();
  return out;
}

std::vector<ChainDraws> read_draws_file(const std::string& path) {
  if (is_netcdf_file(path)) return read_netcdf(path);
  bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (!json) {
    std::ifstream in(path);
    char c = 0;
    while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
    }
    json = in && c == '{';
  }
  if (json) return read_json_output(path);
  return split_chains(read_stan_csv(path));
}

}  // namespace mcmc::io
