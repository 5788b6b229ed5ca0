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

}  // namespace mcmc::diag
