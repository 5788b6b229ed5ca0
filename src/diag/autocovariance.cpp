// Autocovariance through a zero-padded radix-2 FFT, with posterior's normalization.
#include "diag/autocovariance.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace mcmc::diag {
namespace {

using Complex = std::complex<double>;

/// cos / sin of 2 pi k / n for k < n / 2, computed directly (not by repeated multiplication) to keep
/// rounding error small. Built once per thread and FFT length: rebuilding them cost as much as the FFT.
struct Twiddles {
  std::size_t n = 0;
  std::vector<double> cos_table;
  std::vector<double> sin_table;
};

const Twiddles& twiddles_for(std::size_t n) {
  thread_local Twiddles cache;
  if (cache.n != n) {
    cache.n = n;
    cache.cos_table.resize(n / 2);
    cache.sin_table.resize(n / 2);
    for (std::size_t k = 0; k < n / 2; ++k) {
      const double angle = 2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
      cache.cos_table[k] = std::cos(angle);
      cache.sin_table[k] = std::sin(angle);
    }
  }
  return cache;
}

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
  const Twiddles& table = twiddles_for(n);
  const double sign = inverse ? 1.0 : -1.0;
  thread_local std::vector<double> wr;
  thread_local std::vector<double> wi;
  wr.resize(n / 2);
  wi.resize(n / 2);
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2;
    const std::size_t stride = n / len;
    for (std::size_t k = 0; k < half; ++k) {  // this stage's twiddles, contiguous
      wr[k] = table.cos_table[k * stride];
      wi[k] = sign * table.sin_table[k * stride];
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

/// The mean and variance posterior's autocovariance() rescales with; constant when var(x) == 0.
struct Centering {
  double mean = 0.0;
  double variance = 0.0;
  bool constant = true;
};

Centering centering_of(std::span<const double> x) {
  const std::size_t n = x.size();
  const double nd = static_cast<double>(n);
  Centering c;
  for (double v : x) c.mean += v;
  c.mean /= nd;
  double sum_sq = 0.0;
  for (double v : x) sum_sq += (v - c.mean) * (v - c.mean);
  // R's var(x) is exactly 0 only for constant x (its mean is exact then); test that directly.
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  c.constant = n < 2 || *lo == *hi;
  c.variance = sum_sq / (nd - 1.0);
  return c;
}

/// Adds s_k / s_0 * var (n - 1) / n for k < n to acc (posterior's normalization by the lag-0 term).
void add_scaled(std::vector<double>& acc, const Centering& c, double lag0, const double* sums, std::size_t step) {
  const std::size_t n = acc.size();
  if (c.constant) return;  // all zeros
  const double nd = static_cast<double>(n);
  const double scale = c.variance * (nd - 1.0) / nd / lag0;
  for (std::size_t k = 0; k < n; ++k) acc[k] += sums[k * step] * scale;
}

}  // namespace

std::vector<double> autocovariance(std::span<const double> x) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  const Centering c = centering_of(x);
  if (c.constant) return std::vector<double>(n, 0.0);

  const std::size_t length = next_power_of_two(2 * n);
  std::vector<Complex> data(length, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < n; ++i) data[i] = Complex(x[i] - c.mean, 0.0);
  fft_in_place(data, false);
  for (Complex& z : data) z = Complex(std::norm(z), 0.0);
  fft_in_place(data, true);

  // Like posterior: normalize by the lag-0 term and rescale with var(x) (n - 1) / n.
  std::vector<double> acov(n, 0.0);
  add_scaled(acov, c, data[0].real(), reinterpret_cast<const double*>(data.data()), 2);
  return acov;
}

std::vector<double> autocovariance_sum(std::span<const std::vector<double>> columns) {
  if (columns.empty()) return {};
  const std::size_t n = columns.front().size();
  std::vector<double> acc(n, 0.0);
  if (n == 0) return acc;
  const double nd = static_cast<double>(n);
  const std::size_t length = next_power_of_two(2 * n);
  const std::size_t mask = length - 1;
  // Work arrays kept per thread: fresh megabyte-sized allocations cost page faults on every call.
  thread_local std::vector<Complex> data;
  thread_local std::vector<Complex> total;
  thread_local std::vector<double> pa;
  thread_local std::vector<double> pb;
  data.resize(length);
  total.assign(length, Complex(0.0, 0.0));
  pa.resize(length / 2 + 1);
  pb.resize(length / 2 + 1);
  // The inverse FFT is linear, so instead of one per column, scale each column's power spectrum by the
  // factor posterior applies to its sums (var (n - 1) / n / s_0, with s_0 = sum of the power spectrum,
  // i.e. the lag-0 sum the inverse would give) and transform the total once.
  bool any = false;
  for (std::size_t first = 0; first < columns.size(); first += 2) {
    // Column a in the real part, column b (or zeros) in the imaginary part.
    const Centering ca = centering_of(columns[first]);
    const bool has_b = first + 1 < columns.size();
    const Centering cb = has_b ? centering_of(columns[first + 1]) : Centering{};
    if (ca.constant && cb.constant) continue;  // all-zero autocovariances add nothing
    any = true;
    const std::vector<double>& a = columns[first];
    for (std::size_t i = 0; i < n; ++i) {
      const double b = has_b ? columns[first + 1][i] - cb.mean : 0.0;
      data[i] = Complex(a[i] - ca.mean, b);
    }
    std::fill(data.begin() + static_cast<std::ptrdiff_t>(n), data.end(), Complex(0.0, 0.0));
    fft_in_place(data, false);
    // With Z = FFT(a + i b): A[k] = (Z[k] + conj Z[-k]) / 2 and B[k] = (Z[k] - conj Z[-k]) / 2i. Their
    // power spectra are real and even (P[L - k] = P[k]), so k <= L / 2 suffices.
    long double sum_a = 0.0L;
    long double sum_b = 0.0L;
    for (std::size_t k = 0; k <= length / 2; ++k) {
      const Complex z = data[k];
      const Complex w = data[(length - k) & mask];
      const double sr = z.real() + w.real(), si = z.imag() - w.imag();  // Z[k] + conj Z[-k]
      const double dr = z.real() - w.real(), di = z.imag() + w.imag();  // Z[k] - conj Z[-k]
      pa[k] = 0.25 * (sr * sr + si * si);
      pb[k] = 0.25 * (dr * dr + di * di);
      const long double mult = (k == 0 || k == length / 2) ? 1.0L : 2.0L;
      sum_a += mult * pa[k];
      sum_b += mult * pb[k];
    }
    const double wa = ca.constant ? 0.0 : ca.variance * (nd - 1.0) / nd / static_cast<double>(sum_a);
    const double wb = cb.constant ? 0.0 : cb.variance * (nd - 1.0) / nd / static_cast<double>(sum_b);
    for (std::size_t k = 0; k <= length / 2; ++k) {
      const double p = wa * pa[k] + wb * pb[k];
      total[k] = Complex(total[k].real() + p, 0.0);
      if (k != 0 && k != length / 2) total[length - k] = total[k];
    }
  }
  if (any) {
    fft_in_place(total, true);
    for (std::size_t k = 0; k < n; ++k) acc[k] = total[k].real();
  }
  if (length > (std::size_t{1} << 20)) {  // very long chains: do not keep 32+ MB per thread
    std::vector<Complex>().swap(data);
    std::vector<Complex>().swap(total);
    std::vector<double>().swap(pa);
    std::vector<double>().swap(pb);
  }
  return acc;
}

}  // namespace mcmc::diag
