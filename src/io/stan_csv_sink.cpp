// The Stan CSV writer: one file per chain laid out exactly as CmdStan lays it out.
#include "io/stan_csv_sink.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "io/number_format.hpp"

namespace mcmc::io {

namespace {

/// CmdStan measures phases in whole milliseconds.
double round_to_ms(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

void comment(std::string& out, const std::string& text) {
  out += "# ";
  out += text;
  out += '\n';
}

}  // namespace

bool is_integer_column(const std::string& name) {
  return name == "treedepth__" || name == "n_leapfrog__" || name == "divergent__";
}

void append_row(std::string& out, std::span<const double> row, const std::vector<char>& integer_column, int sig_figs) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    if (integer_column[i]) {
      append_integer_value(out, row[i]);
    } else {
      append_value(out, row[i], sig_figs);
    }
  }
}

void append_metric(std::string& out, const std::vector<double>& inv_metric) {
  for (std::size_t i = 0; i < inv_metric.size(); ++i) {
    if (i > 0) out += ", ";
    append_value(out, inv_metric[i], 6);
  }
}

std::string config_echo_line(const ConfigEntry& entry) {
  std::string line = "# " + std::string(2 * static_cast<std::size_t>(std::max(entry.depth, 0)), ' ') + entry.key;
  if (entry.is_section) return line;
  line += " = " + entry.value;
  if (entry.is_default) line += " (Default)";
  return line;
}

std::string header_comments(const RunHeader& header) {
  std::string out;
  comment(out, "mcmc_version = " + header.mcmc_version);
  comment(out, "mcmc_commit = " + header.mcmc_commit);
  comment(out, "model = " + header.model_name);
  return out;
}

std::string csv_chain_path(const std::string& path, int chain_index, int num_chains) {
  if (num_chains <= 1) return path;
  std::filesystem::path p(path);
  std::string file = p.stem().string() + "_" + std::to_string(chain_index + 1) + p.extension().string();
  return (p.parent_path() / file).string();
}

StanCsvSink::StanCsvSink(LineFile file, int sig_figs) : file_(std::move(file)), sig_figs_(sig_figs) {}

void StanCsvSink::begin(const RunHeader& header, int chain_id, std::uint64_t seed) {
  if (!file_.is_open()) file_ = LineFile::create(file_.name());  // --resume: a chain that begins again
  begun_ = true;
  std::string& out = file_.buffer();
  out += header_comments(header);
  bool has_id = false, has_seed = false;
  for (const ConfigEntry& entry : header.config) {
    ConfigEntry e = entry;
    if (!e.is_section && e.key == "id") {  // each file names its own chain, as CmdStan's do
      has_id = true;
      std::string id = std::to_string(chain_id);
      if (id != e.value) e.is_default = false;
      e.value = id;
    }
    if (!e.is_section && e.key == "seed") has_seed = true;
    out += config_echo_line(e);
    out += '\n';
  }
  if (!has_id) comment(out, "id = " + std::to_string(chain_id));
  if (!has_seed) comment(out, "seed = " + std::to_string(seed));

  set_columns(header);
  bool first = true;
  for (const auto* names : {&header.sampler_columns, &header.param_columns}) {
    for (const std::string& name : *names) {
      if (!first) out += ',';
      first = false;
      out += name;
    }
  }
  out += '\n';
  file_.flush();
}

void StanCsvSink::set_columns(const RunHeader& header) {
  integer_column_.clear();
  for (const auto* names : {&header.sampler_columns, &header.param_columns})
    for (const std::string& name : *names) integer_column_.push_back(is_integer_column(name));
}

std::optional<SinkPosition> StanCsvSink::checkpoint() {
  if (!file_.is_open()) return std::nullopt;
  file_.sync();
  return SinkPosition{file_.written(), file_.written_hash()};
}

void StanCsvSink::resume(const RunHeader& header, const SinkPosition& at) {
  file_ = LineFile::reopen(file_.name(), at.bytes, at.hash);
  begun_ = true;
  set_columns(header);
}

void StanCsvSink::adaptation(const Adaptation& a) {
  std::string& out = file_.buffer();
  comment(out, "Adaptation terminated");
  comment(out, "Step size = " + format_value(a.step_size, 6));
  if (a.inv_metric.empty()) {
    comment(out, "No free parameters for unit metric");
  } else if (a.dense) {  // CmdStan's dense_e: one comment row per matrix row
    comment(out, "Elements of inverse mass matrix:");
    const auto n = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(a.inv_metric.size()))));
    for (std::size_t r = 0; r < n; ++r) {
      out += "# ";
      append_metric(out, std::vector<double>(a.inv_metric.begin() + r * n, a.inv_metric.begin() + (r + 1) * n));
      out += '\n';
    }
  } else {
    comment(out, "Diagonal elements of inverse mass matrix:");
    out += "# ";
    append_metric(out, a.inv_metric);
    out += '\n';
  }
  file_.flush();
}

void StanCsvSink::draw(std::span<const double> row) {
  if (row.size() != integer_column_.size()) {
    throw std::logic_error("StanCsvSink::draw: row has " + std::to_string(row.size()) + " values, header has " +
                           std::to_string(integer_column_.size()) + " columns");
  }
  std::string& out = file_.buffer();
  append_row(out, row, integer_column_, sig_figs_);
  out += '\n';
  file_.line_done();
}

void StanCsvSink::end(const ChainFooter& footer) {
  std::string& out = file_.buffer();
  const double warmup = round_to_ms(footer.warmup_seconds);
  const double sampling = round_to_ms(footer.sampling_seconds);
  const std::string title = " Elapsed Time: ";
  const std::string pad(title.size(), ' ');
  comment(out, "");
  comment(out, title + format_value(warmup, 6) + " seconds (Warm-up)");
  comment(out, pad + format_value(sampling, 6) + " seconds (Sampling)");
  comment(out, pad + format_value(warmup + sampling, 6) + " seconds (Total)");
  comment(out, "");
  comment(out, "gradient_evaluations = " + std::to_string(footer.gradient_evals));
  if (footer.lockstep_paid >= 0) {
    std::int64_t useful = footer.lockstep_useful >= 0 ? footer.lockstep_useful : footer.gradient_evals;
    double efficiency = footer.lockstep_paid > 0 ? static_cast<double>(useful) / footer.lockstep_paid : 1.0;
    comment(out, "lockstep_group = " + std::to_string(footer.lockstep_group));
    comment(out, "lockstep_paid = " + std::to_string(footer.lockstep_paid));
    comment(out, "lockstep_useful = " + std::to_string(useful));
    comment(out, "lockstep_efficiency = " + format_value(efficiency, 3));
  }
  if (!footer.complete) comment(out, "interrupted = 1");
  file_.flush();
}

void StanCsvSink::run_end(const RunFooter& run) {
  std::string& out = file_.buffer();
  comment(out, "");
  for (const auto& [key, value] : run_footer_entries(run)) comment(out, key + " = " + value);
  file_.flush();
}

}  // namespace mcmc::io
