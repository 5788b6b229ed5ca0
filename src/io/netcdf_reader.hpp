// Reading InferenceData netCDF files (ours, ArviZ's) back into per-chain columns named as in Stan CSV.
#pragma once

#include <string>
#include <vector>

#include "io/stan_csv_reader.hpp"

namespace mcmc::io {

/// Reads the `posterior` and `sample_stats` groups of a netCDF-4 InferenceData file (our
/// `--format netcdf` output, or one ArviZ wrote): one ChainDraws per chain, columns named as in
/// Stan CSV (sampler statistics first, ArviZ names mapped back: lp -> lp__, diverging ->
/// divergent__, ...; then every posterior variable flattened column-major: theta.1, a.2.3).
/// From our files also the configuration (dotted keys), each chain's number of draws (an
/// interrupted run's chains may be shorter than the draw dimension), adaptation, timings and
/// whether it completed. Throws mcmc::Error (ExitCode::Io) naming the file when it cannot be read
/// or has no posterior group.
std::vector<ChainDraws> read_netcdf(const std::string& path);

/// Any file of draws by its content: netCDF, our JSON output, or Stan CSV (one chain per file, or
/// csv-long split into its chains).
std::vector<ChainDraws> read_draws_file(const std::string& path);

}  // namespace mcmc::io
