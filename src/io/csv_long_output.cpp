// The csv-long writer: one Stan CSV file for all chains, rows tagged with chain__ / draw__ / warmup__.
#include "io/csv_long_output.hpp"

#include <stdexcept>

#include "io/number_format.hpp"
#include "io/stan_csv_sink.hpp"

namespace mcmc::io {

struct CsvLongOutput::Shared {
  std::mutex mu;
  LineFile file;
  int sig_figs;
  bool header_written = false;
  std::vector<char> integer_column;  // per value column (after chain__, draw__, warmup__)

  Shared(LineFile f, int s) : file(std::move(f)), sig_figs(s) {}
};

namespace {

class LongSink : public ChainSink {
 public:
  explicit LongSink(CsvLongOutput::Shared* shared) : s_(shared) {}

  void begin(const RunHeader& header, int chain_id, std::uint64_t seed) override {
    chain_id_ = chain_id;
    std::lock_guard<std::mutex> lock(s_->mu);
    if (s_->header_written) return;
    std::string& out = s_->file.buffer();
    out += header_comments(header);
    bool has_seed = false;
    for (const ConfigEntry& e : header.config) {
      if (!e.is_section && e.key == "id") continue;  // every chain is in this file
      if (!e.is_section && e.key == "seed") has_seed = true;
      out += config_echo_line(e);
      out += '\n';
    }
    if (!has_seed) out += "# seed = " + std::to_string(seed) + "\n";
    out += "chain__,draw__,warmup__";
    for (const auto* names : {&header.sampler_columns, &header.param_columns})
      for (const std::string& name : *names) {
        out += ',';
        out += name;
        s_->integer_column.push_back(is_integer_column(name));
      }
    out += '\n';
    s_->file.flush();
    s_->header_written = true;
  }

  void adaptation(const Adaptation& a) override {
    adapted_ = true;
    std::string text = note("step_size = " + format_value(a.step_size, 6));
    if (!a.inv_metric.empty()) {
      std::string line = "inv_metric = ";
      append_metric(line, a.inv_metric);
      text += note(line);
    }
    pending_ += text;  // written with the chain's footer, after the rows
  }

  void draw(std::span<const double> row) override {
    if (row.size() != s_->integer_column.size())
      throw std::logic_error("CsvLongOutput: row has " + std::to_string(row.size()) + " values, header has " +
                             std::to_string(s_->integer_column.size()) + " columns");
    line_.clear();
    line_ += std::to_string(chain_id_);
    line_ += ',';
    line_ += std::to_string(++draws_);
    line_ += adapted_ ? ",0," : ",1,";
    append_row(line_, row, s_->integer_column, s_->sig_figs);
    line_ += '\n';
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->file.buffer() += line_;
    s_->file.line_done();
  }

  void end(const ChainFooter& f) override {
    std::string text = pending_;
    text += note("warmup_seconds = " + format_value(f.warmup_seconds, 6));
    text += note("sampling_seconds = " + format_value(f.sampling_seconds, 6));
    text += note("gradient_evaluations = " + std::to_string(f.gradient_evals));
    text += note("divergences = " + std::to_string(f.divergences));
    if (f.lockstep_paid >= 0) {
      text += note("lockstep_group = " + std::to_string(f.lockstep_group));
      text += note("lockstep_paid = " + std::to_string(f.lockstep_paid));
      text += note("lockstep_useful = " + std::to_string(f.lockstep_useful));
    }
    if (!f.complete) text += note("interrupted = 1");
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->file.buffer() += text;
    s_->file.line_done();
  }

 private:
  std::string note(const std::string& text) const {
    return "# chain " + std::to_string(chain_id_) + ": " + text + "\n";
  }

  CsvLongOutput::Shared* s_;
  int chain_id_ = 0;
  long draws_ = 0;
  bool adapted_ = false;
  std::string line_, pending_;
};

}  // namespace

CsvLongOutput::CsvLongOutput(LineFile file, int num_chains, int sig_figs)
    : shared_(std::make_unique<Shared>(std::move(file), sig_figs)) {
  for (int c = 0; c < num_chains; ++c) chains_.push_back(std::make_unique<LongSink>(shared_.get()));
}

CsvLongOutput::~CsvLongOutput() = default;

ChainSink& CsvLongOutput::chain(int chain_index) {
  if (chain_index < 0 || chain_index >= static_cast<int>(chains_.size()))
    throw std::out_of_range("CsvLongOutput::chain: no chain " + std::to_string(chain_index));
  return *chains_[static_cast<std::size_t>(chain_index)];
}

void CsvLongOutput::finalize(const RunFooter* run) {
  if (run) {
    std::string text = "#\n";
    for (const auto& [key, value] : run_footer_entries(*run)) text += "# " + key + " = " + value + "\n";
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->file.buffer() += text;
    shared_->file.line_done();
  }
  shared_->file.close();
}

std::vector<std::string> CsvLongOutput::paths() const { return {shared_->file.name()}; }

}  // namespace mcmc::io
