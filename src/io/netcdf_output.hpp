// The netCDF output: ArviZ's InferenceData layout in one netCDF-4 file for all chains, draws streamed in compressed chunks (docs/output-netcdf.md).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "io/sink.hpp"

namespace mcmc::io {

struct DataSet;

/// `--format netcdf`: one netCDF-4 (HDF5) file that `arviz.from_netcdf` and
/// `xarray.open_dataset(path, group="posterior")` read directly. Groups `posterior` and
/// `sample_stats` (and `warmup_posterior` / `warmup_sample_stats` for saved warm-up draws), each
/// with coordinates `chain`, `draw` (int64, draw unlimited) and `<var>_dim_<k>`; every variable
/// of shape (chain, draw, ...), chunked along draw and compressed (shuffle + deflate; exact
/// doubles unless quantized to a number of significant digits);
/// `observed_data` holds the data variables the model observes, `constant_data` the others. Each chain collects its rows in a block of
/// bounded size (the same budget as the JSON output) and writes the block, one chunk per
/// variable, under the process-wide netCDF lock, so chains on different threads never call the
/// library at once. finalize() (also run by the destructor, so an interrupted or failed run
/// closes the file) writes the remaining rows, the per-chain footers and closes the file.
class NetcdfOutput : public Output {
 public:
  /// Creates the file (errors: ExitCode::Io naming it) and writes `data` (may be null): the
  /// variables named in `observed` into observed_data, the others into constant_data. `digits` >
  /// 0: float variables keep that many significant digits (quantized).
  NetcdfOutput(const std::string& path, int num_chains, const DataSet* data,
               const std::set<std::string>& observed = {}, int digits = 0);
  ~NetcdfOutput() override;

  ChainSink& chain(int chain_index) override;
  void finalize(const RunFooter* run = nullptr) override;
  std::vector<std::string> paths() const override;

  struct Shared;

 private:
  std::unique_ptr<Shared> shared_;
  std::vector<std::unique_ptr<ChainSink>> chains_;
};

}  // namespace mcmc::io
