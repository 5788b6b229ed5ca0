// Benchmark of diag::summarize: one quantity of 4 x 100,000 AR(1) draws, then 100 quantities of 4 x 10,000.
//
// Not part of the CMake build. Build by hand from the repository root (Release flags):
//   g++ -std=c++20 -O3 -DNDEBUG -ffp-contract=off -Isrc bench/diag_bench.cpp src/diag/*.cpp -lfmt -o /tmp/diag_bench
//   /tmp/diag_bench            # timings (CPU and wall) on stderr
//   /tmp/diag_bench --values   # also every summary value with 17 digits on stdout, to diff two builds
//   /tmp/diag_bench --big 10   # only the 4 x 100,000 quantity, 10 times over (for perf record)
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "diag/summary.hpp"

namespace {

using mcmc::diag::Chains;
using mcmc::diag::ParamSummary;

// AR(1) chain x[i] = phi x[i-1] + e[i], with a per-chain offset so that R-hat is not trivially 1.
std::vector<double> ar1(std::size_t n, double phi, double offset, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(n);
  double v = normal(rng) / std::sqrt(1.0 - phi * phi);
  for (std::size_t i = 0; i < n; ++i) {
    v = phi * v + normal(rng);
    x[i] = v + offset;
  }
  return x;
}

struct Timer {
  std::clock_t cpu0 = std::clock();
  std::chrono::steady_clock::time_point wall0 = std::chrono::steady_clock::now();
  void report(const char* what) const {
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::fprintf(stderr, "%-40s cpu %8.3f s  wall %8.3f s\n", what, cpu, wall);
  }
};

std::string label(const char* prefix, int q) {
  std::string name = prefix;
  name += std::to_string(q);
  return name;
}

void print(const ParamSummary& s) {
  std::printf("%s mean=%.17g mcse=%.17g sd=%.17g mad=%.17g", s.name.c_str(), s.mean, s.mcse, s.sd, s.mad);
  for (double q : s.quantiles) std::printf(" q=%.17g", q);
  std::printf(" ess_bulk=%.17g ess_tail=%.17g rhat=%.17g\n", s.ess_bulk, s.ess_tail, s.rhat);
}

ParamSummary run(const std::string& name, std::size_t chains, std::size_t n, double phi, std::uint64_t seed,
                 const std::vector<double>& probs) {
  std::vector<std::vector<double>> data;
  Chains x;
  for (std::size_t c = 0; c < chains; ++c) data.push_back(ar1(n, phi, 0.01 * static_cast<double>(c), seed + c));
  for (const auto& d : data) x.emplace_back(d);
  return mcmc::diag::summarize(name, x, probs);
}

}  // namespace

int main(int argc, char** argv) {
  const bool values = argc > 1 && std::strcmp(argv[1], "--values") == 0;
  const std::vector<double> probs = {0.05, 0.5, 0.95};
  if (argc > 2 && std::strcmp(argv[1], "--big") == 0) {
    std::vector<std::vector<double>> data;
    for (std::size_t c = 0; c < 4; ++c) data.push_back(ar1(100000, 0.9, 0.01 * static_cast<double>(c), 1 + c));
    const Chains x(data.begin(), data.end());
    const int times = std::atoi(argv[2]);
    Timer t;
    for (int i = 0; i < times; ++i) mcmc::diag::summarize("big", x, probs);
    t.report("repeated 4 x 100,000 quantity");
    return 0;
  }
  {
    Timer t;
    ParamSummary s = run("big", 4, 100000, 0.9, 1, probs);
    t.report("1 quantity, 4 x 100,000");
    if (values) print(s);
  }
  {
    Timer t;
    std::vector<ParamSummary> rows;
    for (int q = 0; q < 100; ++q)
      rows.push_back(run(label("q", q), 4, 10000, 0.05 * (q % 19), 1000 + 10 * q, probs));
    t.report("100 quantities, 4 x 10,000");
    if (values)
      for (const auto& s : rows) print(s);
  }
  {
    // Odd lengths, ties and short chains exercise the edge paths (odd middle draw, tied ranks).
    std::vector<ParamSummary> rows;
    for (int q = 0; q < 20; ++q) {
      std::vector<std::vector<double>> data;
      for (int c = 0; c < 3; ++c) {
        auto d = ar1(static_cast<std::size_t>(7 + 37 * q), 0.5, 0.0, 77 + 5 * q + c);
        if (q % 2 == 0)
          for (double& v : d) v = std::round(v * 2.0) / 2.0;
        data.push_back(d);
      }
      Chains x(data.begin(), data.end());
      rows.push_back(mcmc::diag::summarize(label("edge", q), x, probs));
    }
    if (values)
      for (const auto& s : rows) print(s);
  }
  return 0;
}
