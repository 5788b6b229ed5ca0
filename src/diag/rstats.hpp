// Elementary statistics computed the way R computes them (mean, var, median, type-7 quantile, mad, ranks).
#pragma once

#include <span>
#include <vector>

namespace mcmc::diag::rstats {

/// R's mean(): long double sum, then one correction pass (NaN for an empty input).
double mean(std::span<const double> x);
/// R's var(): sample variance with denominator n - 1 (NaN for fewer than two values).
double var(std::span<const double> x);
/// R's sd(): sqrt(var(x)).
double sd(std::span<const double> x);
/// R's median(): the middle value, or mean() of the two middle values. NaN if x holds a NaN.
double median(std::span<const double> x);
/// median() of values already sorted ascending (none NaN).
double median_sorted(std::span<const double> sorted);
/// R's quantile(x, prob, type = 7), including its rule that equal neighbours are not interpolated.
/// NaN if x is empty or holds a NaN.
double quantile7(std::span<const double> x, double prob);
/// Same, on values already sorted ascending.
double quantile7_sorted(std::span<const double> sorted, double prob);
/// R's mad(): 1.4826 * median(|x - median(x)|).
double mad(std::span<const double> x);
/// R's rank(x, ties.method = "average"), 1-based. All NaN if x holds a NaN (posterior turns those into NA).
std::vector<double> average_ranks(std::span<const double> x);
/// Same, also giving x sorted ascending in *sorted (left untouched when x holds a NaN).
std::vector<double> average_ranks(std::span<const double> x, std::vector<double>* sorted);

}  // namespace mcmc::diag::rstats
