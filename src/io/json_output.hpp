// The JSON output: one file for all chains, the draws streamed through one shared temporary file (layout in docs/output-json.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/line_file.hpp"
#include "io/sink.hpp"
#include "io/spill_file.hpp"

namespace mcmc::io {

/// One chain's part of the JSON output: draws go as JSON row arrays, in blocks of at most
/// `block_bytes`, to an anonymous temporary file that all chains share (so memory does not grow
/// with the draws, and one descriptor serves any number of chains); the small pieces stay in
/// memory until JsonOutput::finalize() assembles the final file.
class JsonChainSink : public ChainSink {
 public:
  JsonChainSink(std::shared_ptr<SpillFile> rows_file, std::size_t block_bytes);

  void begin(const RunHeader& header, int chain_id, std::uint64_t seed) override;
  void adaptation(const Adaptation& a) override;
  void draw(std::span<const double> row) override;
  void end(const ChainFooter& footer) override;

  /// Appends this chain's object ({"chain_id": ..., "draws": [...]}) to `dest`.
  void write_chain(LineFile& dest, int chain_index);
  const RunHeader* header() const { return begun_ ? &header_ : nullptr; }

 private:
  void spill();

  std::shared_ptr<SpillFile> rows_file_;
  std::size_t block_bytes_;
  SpillSegments spilled_;
  std::string rows_;  // rows not yet spilled
  bool begun_ = false;
  RunHeader header_;
  int chain_id_ = 0;
  std::uint64_t seed_ = 0;
  std::optional<Adaptation> adaptation_;
  std::optional<ChainFooter> footer_;
  std::size_t num_rows_ = 0;
  std::size_t num_columns_ = 0;
};

/// All chains into one JSON file, written by finalize().
class JsonOutput : public Output {
 public:
  /// `file` is the opened final file; the temporary file goes to `temp_dir`.
  /// The chains with 0-based index in [first_chain, first_chain + num_chains); chain(c) takes the run's index.
  JsonOutput(LineFile file, const std::string& temp_dir, int num_chains, int first_chain = 0);
  /// Without a finalize() call (a run that stopped on an error), still assembles what was
  /// written so far; errors are swallowed here.
  ~JsonOutput() override;

  ChainSink& chain(int chain_index) override;
  void finalize(const RunFooter* run = nullptr) override;
  std::vector<std::string> paths() const override { return {path_}; }

 private:
  LineFile file_;
  std::string path_;
  std::vector<std::unique_ptr<JsonChainSink>> chains_;
  int first_ = 0;
  bool finalized_ = false;
};

}  // namespace mcmc::io
