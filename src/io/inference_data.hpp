// ArviZ's InferenceData vocabulary: sampler-statistic names and dtypes, and Stan's flat columns as shaped variables.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mcmc::io {

/// How a sampler statistic is stored: float64, int64, or int8 marked `dtype = "bool"` (xarray's
/// encoding of a boolean, as in ArviZ's files).
enum class StatType { Float64, Int64, Bool };

/// One sampler column under both names: Stan CSV's (`accept_stat__`) and ArviZ's (`acceptance_rate`).
struct SamplerStat {
  std::string stan;
  std::string arviz;
  StatType type = StatType::Float64;
};

/// The statistic of a Stan sampler column: ArviZ's name and dtype for the known ones (lp__ -> lp,
/// accept_stat__ -> acceptance_rate, stepsize__ -> step_size, treedepth__ -> tree_depth (int64),
/// n_leapfrog__ -> n_steps, divergent__ -> diverging (bool), energy__ -> energy); any other
/// column keeps its name without the trailing "__" (int_time__ -> int_time), as float64.
SamplerStat sampler_stat_of_stan(const std::string& stan_column);

/// The inverse: the Stan column of an ArviZ statistic name (unknown names get "__" appended).
SamplerStat sampler_stat_of_arviz(const std::string& arviz_name);

/// A variable of the posterior made of consecutive flat columns: "theta.1" ... "theta.8" is theta
/// of shape {8}; "a.1.1", "a.2.1", "a.1.2", ... (Stan's column-major order) is a of shape {2, ...}.
struct ShapedVariable {
  std::string name;
  std::vector<std::size_t> dims;     // the shape; empty for a scalar
  /// columns[k]: the index, in the list given to shape_columns, of the element at row-major
  /// (C order, last index fastest: the netCDF layout) position k.
  std::vector<std::size_t> columns;
  std::size_t size() const { return columns.size(); }
};

/// Groups flat Stan column names into shaped variables, in order. A name without indices is a
/// scalar; a run of columns that does not form a complete column-major array (or has malformed
/// indices) becomes one scalar variable per column, named as the column.
std::vector<ShapedVariable> shape_columns(const std::vector<std::string>& names);

/// The flat Stan column names of a variable of shape `dims`, in Stan's column-major order, and
/// for each the row-major (C order) offset of that element.
std::vector<std::pair<std::string, std::size_t>> flat_columns(const std::string& name,
                                                               const std::vector<std::size_t>& dims);

/// ArviZ's name for the k-th dimension of a variable without named dimensions: "<var>_dim_<k>".
std::string default_dim_name(const std::string& var, std::size_t k);

}  // namespace mcmc::io
