// Autocovariance through a zero-padded radix-2 FFT, with posterior's normalization.
#include "diag/autocovariance.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace mcmc::diag {
namespace {

using Complex = std::complex<double>;

// In-place iterative radix-2 FFT (forward: exp(-2 pi i jk / n)); data.size() must be a power of two.
// Complex products are written out by hand: std::complex's operator* goes through the slow
// NaN-recovering library routine unless -ffast-math is on.
void fft_in_place(std::vector<Complex>& data, bool inverse) {
  const std::size_t n = data.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(data[i], data[j]);
  }
  // Twiddles computed directly (not by repeated multiplication) to keep rounding error small.
  const double sign = inverse ? 1.0 : -1.0;
  std::vector<double> cos_table(n / 2);
  std::vector<double> sin_table(n / 2);
  for (std::size_t k = 0; k < n / 2; ++k) {
    const double angle = 2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
    cos_table[k] = std::cos(angle);
    sin_table[k] = sign * std::sin(angle);
  }
  std::vector<double> wr(n / 2);
  std::vector<double> wi(n / 2);
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2;
    const std::size_t stride = n / len;
    for (std::size_t k = 0; k < half; ++k) {  // this stage's twiddles, contiguous
      wr[k] = cos_table[k * stride];
      wi[k] = sin_table[k * stride];
    }
    for (std::size_t start = 0; start < n; start += len) {
      Complex* lo = data.data() + start;
      Complex* hi = lo + half;
      for (std::size_t k = 0; k < half; ++k) {
        const double br = hi[k].real();
        const double bi = hi[k].imag();
        const double vr = br * wr[k] - bi * wi[k];
        const double vi = br * wi[k] + bi * wr[k];
        const double ur = lo[k].real();
        const double ui = lo[k].imag();
        lo[k] = Complex(ur + vr, ui + vi);
        hi[k] = Complex(ur - vr, ui - vi);
      }
    }
  }
}

std::size_t next_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

std::vector<double> autocovariance(std::span<const double> x) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  const double nd = static_cast<double>(n);
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= nd;
  double sum_sq = 0.0;
  for (double v : x) sum_sq += (v - mean) * (v - mean);
  // R's var(x) is exactly 0 only for constant x (its mean is exact then); test that directly.
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (n < 2 || *lo == *hi) return std::vector<double>(n, 0.0);
  const double variance = sum_sq / (nd - 1.0);

  const std::size_t length = next_power_of_two(2 * n);
  std::vector<Complex> data(length, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < n; ++i) data[i] = Complex(x[i] - mean, 0.0);
  fft_in_place(data, false);
  for (Complex& c : data) c = Complex(std::norm(c), 0.0);
  fft_in_place(data, true);

  // Like posterior: normalize by the lag-0 term and rescale with var(x) (n - 1) / n.
  const double scale = variance * (nd - 1.0) / nd / data[0].real();
  std::vector<double> acov(n);
  for (std::size_t k = 0; k < n; ++k) acov[k] = data[k].real() * scale;
  return acov;
}

}  // namespace mcmc::diag
