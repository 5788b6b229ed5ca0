// The csv-long writer: one Stan CSV file for all chains, rows tagged with chain__ / draw__ / warmup__.
#include "io/csv_long_output.hpp"

#include <stdexcept>

#include "io/number_format.hpp"
#include "io/spill_file.hpp"
#include "io/stan_csv_sink.hpp"

namespace mcmc::io {

namespace {
class LongSink;
constexpr std::size_t kCopyChunkBytes = 1 << 20;
}  // namespace

struct CsvLongOutput::Shared {
  std::mutex mu;
  LineFile file;
  int sig_figs;
  bool header_written = false;
  std::vector<char> integer_column;  // per value column (after chain__, draw__, warmup__)
  std::shared_ptr<SpillFile> rows_file;  // every chain's rows until its turn
  std::size_t block_bytes;
  std::vector<std::unique_ptr<LongSink>> sinks;
  std::size_t next = 0;  // the first chain not yet written

  Shared(LineFile f, const std::string& temp_dir, int s, int num_chains)
      : file(std::move(f)), sig_figs(s),
        rows_file(std::make_shared<SpillFile>(temp_dir, "csv-long output")),
        block_bytes(chain_block_bytes(num_chains)) {}
  /// Writes the chains that ended, from `next` on, up to the first that has not (lock held).
  /// At the end (`all`), every chain that began.
  void write_ready(bool all);
};

namespace {

class LongSink : public ChainSink {
 public:
  explicit LongSink(CsvLongOutput::Shared* shared) : s_(shared) {}

  bool begun() const { return begun_; }
  bool ended() const { return ended_; }
  /// Appends the chain's rows and notes to the file (lock held).
  void copy_to(LineFile& dest) {
    spilled_.for_each_chunk(*s_->rows_file, kCopyChunkBytes, 1, [&dest](const char* data, std::size_t size) {
      dest.buffer().append(data, size);
      if (dest.buffer().size() >= kCopyChunkBytes) dest.flush();
    });
    dest.buffer() += rows_;
    if (!ended_) dest.buffer() += pending_;  // never ended (a run stopped on an error): its adaptation at least
    rows_.clear();
    dest.line_done();
  }

  void begin(const RunHeader& header, int chain_id, std::uint64_t seed) override {
    chain_id_ = chain_id;
    begun_ = true;
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
    rows_ += line_;
    if (rows_.size() >= s_->block_bytes) spill();
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
    rows_ += text;
    pending_.clear();
    spill();
    std::lock_guard<std::mutex> lock(s_->mu);
    ended_ = true;
    s_->write_ready(false);
  }

 private:
  void spill() {
    spilled_.append(*s_->rows_file, rows_.data(), rows_.size());
    rows_.clear();
  }

  std::string note(const std::string& text) const {
    return "# chain " + std::to_string(chain_id_) + ": " + text + "\n";
  }

  CsvLongOutput::Shared* s_;
  int chain_id_ = 0;
  long draws_ = 0;
  bool adapted_ = false, begun_ = false, ended_ = false;
  std::string line_, pending_, rows_;
  SpillSegments spilled_;
};

}  // namespace

void CsvLongOutput::Shared::write_ready(bool all) {
  for (; next < sinks.size(); ++next) {
    LongSink& s = *sinks[next];
    if (!s.ended() && !all) return;
    if (s.begun()) s.copy_to(file);
  }
}

CsvLongOutput::CsvLongOutput(LineFile file, const std::string& temp_dir, int num_chains, int sig_figs, int first_chain)
    : shared_(std::make_unique<Shared>(std::move(file), temp_dir, sig_figs, num_chains)), first_(first_chain) {
  for (int c = 0; c < num_chains; ++c) shared_->sinks.push_back(std::make_unique<LongSink>(shared_.get()));
}

CsvLongOutput::~CsvLongOutput() = default;

ChainSink& CsvLongOutput::chain(int chain_index) {
  const int k = chain_index - first_;
  if (k < 0 || k >= static_cast<int>(shared_->sinks.size()))
    throw std::out_of_range("CsvLongOutput::chain: no chain " + std::to_string(chain_index));
  return *shared_->sinks[static_cast<std::size_t>(k)];
}

void CsvLongOutput::finalize(const RunFooter* run) {
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->write_ready(true);
  }
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
