// Benchmark of the progress display's work (run/progress.hpp): what the chains do per iteration, and
// what the progress thread does per redraw of the table and per JSON line, for 4 and 4096 chains.
//
// Not part of the CMake build. Build by hand from the repository root (Release flags):
//   g++ -std=c++20 -O3 -DNDEBUG -Isrc bench/progress_bench.cpp src/run/progress.cpp -lfmt -pthread -o /tmp/progress_bench
//   /tmp/progress_bench        # CPU time per operation on stdout
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "run/progress.hpp"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

int main() {
  using mcmc::run::ChainProgress;
  for (std::size_t chains : {std::size_t{4}, std::size_t{4096}}) {
    std::vector<ChainProgress> p(chains);
    // The chains' side: one update per iteration.
    const int updates = 10'000'000;
    double t0 = cpu_seconds();
    for (int i = 0; i < updates; ++i) p[static_cast<std::size_t>(i) % chains].update(i, i / 100, 0.5, 7LL * i);
    const double per_update = (cpu_seconds() - t0) / updates;
    // The progress thread's side: a table redraw (16 rows) and a JSON line (64 rows).
    std::size_t bytes = 0;
    const int redraws = chains > 100 ? 2000 : 20000;
    t0 = cpu_seconds();
    for (int i = 0; i < redraws; ++i)
      bytes += mcmc::run::progress_table(mcmc::run::take_snapshot(p, 1000, 1000, 12.5, 16)).size();
    const double per_table = (cpu_seconds() - t0) / redraws;
    t0 = cpu_seconds();
    for (int i = 0; i < redraws; ++i)
      bytes += mcmc::run::progress_json(mcmc::run::take_snapshot(p, 1000, 1000, 12.5, 64)).size();
    const double per_line = (cpu_seconds() - t0) / redraws;
    std::printf("%zu chains: update %.2f ns per iteration; table %.1f us per redraw (4 a second: %.4f%% of one core); "
                "JSON line %.1f us (%zu bytes total)\n",
                chains, per_update * 1e9, per_table * 1e6, per_table * 4 * 100, per_line * 1e6, bytes);
  }
  return 0;
}
