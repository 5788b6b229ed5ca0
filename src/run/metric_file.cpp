// Reading and writing inverse metrics and step sizes as CmdStan's metric JSON, or from our outputs.
#include "run/metric_file.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/netcdf_reader.hpp"
#include "io/stan_csv_sink.hpp"
#include "sampler/metric.hpp"
#include "util/error.hpp"

namespace mcmc::run {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw Error(ExitCode::ModelOrData, fmt::format("metric file '{}': {}", path, problem));
}

double number(const nlohmann::json& v, const std::string& path, const std::string& where) {
  if (!v.is_number()) fail(path, fmt::format("{} is {}, not a number", where, v.dump()));
  return v.get<double>();
}

/// CmdStan's metric JSON; nullopt if the text is JSON without "inv_metric" (one of our outputs).
std::optional<MetricFile> read_cmdstan_json(const std::string& path, const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail(path, fmt::format("not valid JSON ({})", e.what()));
  }
  if (!j.is_object() || !j.contains("inv_metric")) return std::nullopt;
  MetricFile m;
  const nlohmann::json& inv = j["inv_metric"];
  if (!inv.is_array()) fail(path, "\"inv_metric\" is not an array");
  if (!inv.empty() && inv[0].is_array()) {
    m.dense = true;
    for (std::size_t r = 0; r < inv.size(); ++r) {
      if (!inv[r].is_array() || inv[r].size() != inv.size())
        fail(path, fmt::format("\"inv_metric\" row {} has {} elements; a dense metric of {} rows needs {}", r + 1,
                               inv[r].is_array() ? inv[r].size() : 0, inv.size(), inv.size()));
      for (std::size_t c = 0; c < inv[r].size(); ++c)
        m.inv_metric.push_back(number(inv[r][c], path, fmt::format("\"inv_metric\"[{}][{}]", r + 1, c + 1)));
    }
  } else {
    for (std::size_t i = 0; i < inv.size(); ++i)
      m.inv_metric.push_back(number(inv[i], path, fmt::format("\"inv_metric\"[{}]", i + 1)));
  }
  if (j.contains("stepsize")) {
    const double eps = number(j["stepsize"], path, "\"stepsize\"");
    if (!(eps > 0) || !std::isfinite(eps)) fail(path, fmt::format("\"stepsize\" is {}, not a positive number", eps));
    m.step_size = eps;
  }
  return m;
}

}  // namespace

MetricFile read_metric_file(const std::string& path, std::size_t dim) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, fmt::format("metric file '{}': cannot be read", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) fail(path, "the file is empty");
  MetricFile m;
  std::optional<MetricFile> cmdstan;
  if (text[first] == '{') cmdstan = read_cmdstan_json(path, text);
  if (cmdstan) {
    m = *cmdstan;
  } else {  // one of our outputs: its first chain's adaptation
    std::vector<io::ChainDraws> chains;
    try {
      chains = io::read_draws_file(path);
    } catch (const Error& e) {
      fail(path, fmt::format("neither CmdStan's metric JSON nor an output file we can read ({})", e.what()));
    }
    if (chains.empty() || chains.front().inv_metric.empty())
      fail(path, "it holds no adapted metric (no \"inv_metric\", no \"Elements of inverse mass matrix\")");
    m.inv_metric = chains.front().inv_metric;
    m.dense = m.inv_metric.size() == dim * dim && dim > 1;
    if (chains.front().step_size && *chains.front().step_size > 0) m.step_size = chains.front().step_size;
  }
  if (m.inv_metric.size() != dim && m.inv_metric.size() != dim * dim)
    fail(path, fmt::format("the inverse metric has {} elements but the model has {} unconstrained parameters "
                           "(so {} for a diagonal metric or {} for a dense one)",
                           m.inv_metric.size(), dim, dim, dim * dim));
  if (m.dense && m.inv_metric.size() != dim * dim)
    fail(path, fmt::format("the dense inverse metric is {0}x{0} but the model has {1} unconstrained parameters",
                           static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(m.inv_metric.size())))),
                           dim));
  if (m.inv_metric.size() == dim * dim && dim > 1) m.dense = true;
  return m;
}

void apply_metric_file(RunSettings& s, std::size_t dim) {
  if (s.metric_file.empty()) return;
  MetricFile m = read_metric_file(s.metric_file, dim);
  if (!s.is_given("metric")) s.sampler.metric = m.dense ? "dense" : "diag";  // the file's form
  try {  // the same checks the sampler makes, said of the file
    sampler::make_metric(s.sampler.metric, dim, m.inv_metric);
  } catch (const std::invalid_argument& e) {
    fail(s.metric_file, e.what());
  }
  s.sampler.inv_metric = std::move(m.inv_metric);
  if (m.step_size && !s.is_given("step-size")) s.sampler.step_size = *m.step_size;
  s.sampler.adapt_metric = false;
}

void save_metrics(const std::string& path, const RunReport& report) {
  const int n = static_cast<int>(report.chains.size());
  for (int c = 0; c < n; ++c) {
    const ChainReport& ch = report.chains[static_cast<std::size_t>(c)];
    if (ch.inv_metric.empty()) continue;
    nlohmann::json j;
    j["stepsize"] = ch.step_size;
    if (ch.dense_metric) {
      const auto d = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(ch.inv_metric.size()))));
      nlohmann::json rows = nlohmann::json::array();
      for (std::size_t r = 0; r < d; ++r)
        rows.push_back(std::vector<double>(ch.inv_metric.begin() + r * d, ch.inv_metric.begin() + (r + 1) * d));
      j["inv_metric"] = rows;
    } else {
      j["inv_metric"] = ch.inv_metric;
    }
    const std::string file = io::csv_chain_path(path, c, n);
    std::ofstream out(file);
    out << j.dump() << '\n';
    out.close();
    if (!out) throw Error(ExitCode::Io, fmt::format("--save-metric: cannot write '{}'", file));
  }
}

}  // namespace mcmc::run
