// ArviZ's InferenceData vocabulary: sampler-statistic names and dtypes, and Stan's flat columns as shaped variables.
#include "io/inference_data.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace mcmc::io {

namespace {

/// The sampler columns ArviZ knows (arviz.from_cmdstan's renaming), with the dtypes of ArviZ's files.
const std::array<SamplerStat, 7>& known_stats() {
  static const std::array<SamplerStat, 7> stats = {{
      {"lp__", "lp", StatType::Float64},
      {"accept_stat__", "acceptance_rate", StatType::Float64},
      {"stepsize__", "step_size", StatType::Float64},
      {"treedepth__", "tree_depth", StatType::Int64},
      {"n_leapfrog__", "n_steps", StatType::Float64},
      {"divergent__", "diverging", StatType::Bool},
      {"energy__", "energy", StatType::Float64},
  }};
  return stats;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// "theta.2.3" -> base "theta", indices {2, 3}; false when a part is not a positive integer.
bool split_name(const std::string& name, std::string& base, std::vector<std::size_t>& indices) {
  indices.clear();
  const std::size_t dot = name.find('.');
  base = name.substr(0, dot);
  if (dot == std::string::npos) return true;
  if (base.empty()) return false;
  std::size_t start = dot + 1;
  while (true) {
    const std::size_t end = std::min(name.find('.', start), name.size());
    std::size_t value = 0;
    const char* first = name.data() + start;
    const char* last = name.data() + end;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (first == last || ec != std::errc() || ptr != last || value == 0) return false;
    indices.push_back(value);
    if (end == name.size()) return true;
    start = end + 1;
  }
}

}  // namespace

SamplerStat sampler_stat_of_stan(const std::string& stan_column) {
  for (const SamplerStat& s : known_stats())
    if (s.stan == stan_column) return s;
  std::string arviz = ends_with(stan_column, "__") ? stan_column.substr(0, stan_column.size() - 2) : stan_column;
  return {stan_column, arviz, StatType::Float64};
}

SamplerStat sampler_stat_of_arviz(const std::string& arviz_name) {
  for (const SamplerStat& s : known_stats())
    if (s.arviz == arviz_name) return s;
  return {arviz_name + "__", arviz_name, StatType::Float64};
}

std::string default_dim_name(const std::string& var, std::size_t k) { return var + "_dim_" + std::to_string(k); }

std::vector<std::pair<std::string, std::size_t>> flat_columns(const std::string& name,
                                                               const std::vector<std::size_t>& dims) {
  std::size_t total = 1;
  for (std::size_t d : dims) total *= d;
  std::vector<std::pair<std::string, std::size_t>> out;
  if (dims.empty()) {
    out.push_back({name, 0});
    return out;
  }
  std::vector<std::size_t> idx(dims.size(), 0);  // column-major: the first index varies fastest
  for (std::size_t k = 0; k < total; ++k) {
    std::string column = name;
    std::size_t offset = 0;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      column += '.' + std::to_string(idx[d] + 1);
      offset = offset * dims[d] + idx[d];
    }
    out.push_back({std::move(column), offset});
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

std::vector<ShapedVariable> shape_columns(const std::vector<std::string>& names) {
  std::vector<ShapedVariable> out;
  std::string base, next_base;
  std::vector<std::size_t> indices, next_indices;
  for (std::size_t j = 0; j < names.size();) {
    if (!split_name(names[j], base, indices) || indices.empty()) {
      out.push_back({names[j], {}, {j}});
      ++j;
      continue;
    }
    // The run of columns with the same base and the same number of indices.
    std::size_t end = j + 1;
    std::vector<std::size_t> dims = indices;
    while (end < names.size() && split_name(names[end], next_base, next_indices) && next_base == base &&
           next_indices.size() == indices.size()) {
      for (std::size_t d = 0; d < dims.size(); ++d) dims[d] = std::max(dims[d], next_indices[d]);
      ++end;
    }
    // It must be exactly the column-major listing of an array of shape `dims`.
    auto expected = flat_columns(base, dims);
    bool complete = expected.size() == end - j;
    for (std::size_t k = 0; complete && k < expected.size(); ++k) complete = expected[k].first == names[j + k];
    if (complete) {
      ShapedVariable v{base, dims, std::vector<std::size_t>(expected.size())};
      for (std::size_t k = 0; k < expected.size(); ++k) v.columns[expected[k].second] = j + k;
      out.push_back(std::move(v));
    } else {
      for (std::size_t k = j; k < end; ++k) out.push_back({names[k], {}, {k}});
    }
    j = end;
  }
  return out;
}

}  // namespace mcmc::io
