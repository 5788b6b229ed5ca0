// --metric-file and --save-metric: CmdStan's metric JSON ({"inv_metric": ..., "stepsize": ...}) read and written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "run/settings.hpp"

namespace mcmc::run {

/// An inverse metric and step size read from a file.
struct MetricFile {
  std::vector<double> inv_metric;  // diagonal, or a dense matrix row-major
  bool dense = false;              // the file gave a matrix (nested arrays, or dim * dim elements)
  std::optional<double> step_size;
};

/// Reads CmdStan's metric JSON (`{"inv_metric": [...]}` diagonal or `[[...], ...]` dense, optional
/// "stepsize"), or one of our outputs (CSV, csv-long, JSON, netCDF: its first chain's adapted
/// metric and step size). `dim` is the model's number of unconstrained parameters. Throws
/// mcmc::Error naming the file and the problem (ExitCode::ModelOrData; Io if it cannot be read).
MetricFile read_metric_file(const std::string& path, std::size_t dim);

/// Applies --metric-file: the initial metric (diag or dense as the file holds it, unless --metric
/// was given),
/// the step size (unless --step-size was given), and no metric adaptation during warm-up.
void apply_metric_file(RunSettings& s, std::size_t dim);

/// Writes chain c's adapted metric and step size as CmdStan's metric JSON: to `path` with one
/// chain, else to path's stem + "_<c>" + extension for each chain (as the CSV output names files).
void save_metrics(const std::string& path, const RunReport& report);

}  // namespace mcmc::run
