// A whole Stan CSV file written at once (CmdStan's optimize and pathfinder output): echo, header, rows, footer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "io/sink.hpp"

namespace mcmc::io {

/// Writes `path`: the header comments and configuration echo of `header` (as every chain's Stan
/// CSV starts), the column header (header.sampler_columns, then header.param_columns), one line per
/// row with `sig_figs` significant digits, then `# key = value` per footer entry.
/// Errors: mcmc::Error(ExitCode::Io) naming the path.
void write_stan_csv_table(const std::string& path, const RunHeader& header, const std::vector<std::vector<double>>& rows,
                          const std::vector<std::pair<std::string, std::string>>& footer, int sig_figs);

}  // namespace mcmc::io
