// Reading our JSON output (docs/output-json.md) back into per-chain columns, as the Stan CSV reader does.
#pragma once

#include <string>
#include <vector>

#include "io/stan_csv_reader.hpp"

namespace mcmc::io {

/// Reads a `"format": "mcmc-draws"` JSON file: one ChainDraws per chain, with the columns, the
/// configuration (dotted keys, e.g. "method.sample.adapt.delta"), the adaptation result and the
/// footer's warm-up / sampling seconds. The file is parsed as a stream (SAX), so memory holds only
/// the doubles. Numbers may also be the strings "NaN", "Inf", "-Inf". Throws mcmc::Error
/// (ExitCode::Io) naming the file for a missing, malformed or foreign JSON file.
std::vector<ChainDraws> read_json_output(const std::string& path);

}  // namespace mcmc::io
