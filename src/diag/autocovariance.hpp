// Autocovariance of a sequence at every lag, scaled exactly as R posterior's autocovariance().
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace mcmc::diag {

/// posterior 1.4.0's autocovariance(x), k = 0..n-1: with yc = x - mean(x) and s_k = sum_{i<n-k} yc[i] yc[i+k]
/// (computed by FFT), acov[k] = s_k / s_0 * var(x) * (n - 1) / n, i.e. the "biased" estimate s_k / n.
/// All zeros when var(x) == 0. posterior pads to twice a 2,3,5-smooth length; here a radix-2 FFT over a
/// power-of-two length >= 2n gives the same (non-circular) sums.
std::vector<double> autocovariance(std::span<const double> x);

/// sum_c autocovariance(columns[c])[k], k = 0..n-1, added in column order (all columns of length n).
/// Transforms two real columns with one complex FFT (real and imaginary parts) and sums their scaled
/// power spectra before a single inverse FFT, so it agrees with summing autocovariance() of each column
/// up to FFT rounding (about 1e-16 of the lag-0 term). Thread-safe: the twiddle tables and work arrays
/// are kept per thread (the twiddles for the last FFT length used).
std::vector<double> autocovariance_sum(std::span<const std::vector<double>> columns);

}  // namespace mcmc::diag
