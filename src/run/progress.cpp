// Live progress of a run: a per-chain (or per-group) table on a terminal and JSON lines for batch jobs.
#include "run/progress.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace mcmc::run {

namespace {

constexpr std::size_t kTerminalRows = 16;  // chains shown one per row up to this many, else groups
constexpr std::size_t kFileRows = 64;

std::string duration(double s) {
  if (s < 0) return "-";
  const long long t = static_cast<long long>(s + 0.5);
  if (t < 60) return fmt::format("{}s", t);
  if (t < 3600) return fmt::format("{}m{:02d}s", t / 60, static_cast<int>(t % 60));
  return fmt::format("{}h{:02d}m", t / 3600, static_cast<int>(t / 60 % 60));
}

}  // namespace

ProgressSnapshot take_snapshot(const std::vector<ChainProgress>& chains, int warmup, int samples,
                               double elapsed_seconds, std::size_t max_rows) {
  ProgressSnapshot s;
  s.elapsed_seconds = elapsed_seconds;
  s.chains = static_cast<int>(chains.size());
  const int total = warmup + samples;
  const std::size_t C = chains.size();
  const std::size_t groups = std::min(C, std::max<std::size_t>(1, max_rows));
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t lo = g * C / groups, hi = (g + 1) * C / groups;
    ProgressRow r;
    r.first_chain = static_cast<int>(lo + 1);
    r.last_chain = static_cast<int>(hi);
    r.total = total;
    r.warmup = warmup;
    r.iteration = total;
    long long done = 0;
    std::int64_t grads = 0;
    double step = 0;
    for (std::size_t c = lo; c < hi; ++c) {
      const int it = chains[c].iteration.load(std::memory_order_relaxed);
      r.iteration = std::min(r.iteration, it);
      done += it;
      r.divergences += chains[c].divergences.load(std::memory_order_relaxed);
      step += chains[c].step_size.load(std::memory_order_relaxed);
      grads += chains[c].gradients.load(std::memory_order_relaxed);
    }
    r.step_size = step / static_cast<double>(hi - lo);
    r.gradients_per_draw = done > 0 ? static_cast<double>(grads) / static_cast<double>(done) : 0;
    const long long work = static_cast<long long>(total) * static_cast<long long>(hi - lo);
    if (done > 0) r.remaining_seconds = elapsed_seconds * static_cast<double>(work - done) / static_cast<double>(done);
    s.iterations_done += done;
    s.iterations_total += work;
    s.divergences += r.divergences;
    s.rows.push_back(r);
  }
  if (s.iterations_done > 0)
    s.remaining_seconds = elapsed_seconds * static_cast<double>(s.iterations_total - s.iterations_done) /
                          static_cast<double>(s.iterations_done);
  return s;
}

std::string progress_table(const ProgressSnapshot& s) {
  const bool grouped = !s.rows.empty() && s.rows.front().last_chain > s.rows.front().first_chain;
  std::string out = fmt::format("{:<13} {:>17} {:<8} {:>6} {:>10} {:>9} {:>9}\n", grouped ? "chains" : "chain",
                                "iteration", "phase", "div", "step size", "grad/draw", "remaining");
  for (const ProgressRow& r : s.rows) {
    const std::string who = r.first_chain == r.last_chain ? std::to_string(r.first_chain)
                                                          : fmt::format("{}-{}", r.first_chain, r.last_chain);
    const std::string phase = r.iteration >= r.total ? "done" : r.warming_up() ? "warm-up" : "sampling";
    out += fmt::format("{:<13} {:>17} {:<8} {:>6} {:>10.3g} {:>9.1f} {:>9}\n", who,
                       fmt::format("{} of {}", r.iteration, r.total), phase, r.divergences, r.step_size,
                       r.gradients_per_draw, duration(r.remaining_seconds));
  }
  out += fmt::format("{} chain{}: {:.0f}% done, {} divergences, elapsed {}, remaining {}\n", s.chains,
                     s.chains == 1 ? "" : "s",
                     s.iterations_total > 0 ? 100.0 * static_cast<double>(s.iterations_done) /
                                                  static_cast<double>(s.iterations_total)
                                            : 100.0,
                     s.divergences, duration(s.elapsed_seconds), duration(s.remaining_seconds));
  return out;
}

std::string progress_json(const ProgressSnapshot& s) {
  using json = nlohmann::ordered_json;
  auto seconds = [](double v) { return v < 0 ? json(nullptr) : json(std::round(v * 1000) / 1000); };
  json rows = json::array();
  for (const ProgressRow& r : s.rows) {
    rows.push_back({{"chains", {r.first_chain, r.last_chain}},
                    {"iteration", r.iteration},
                    {"total", r.total},
                    {"phase", r.iteration >= r.total ? "done" : r.warming_up() ? "warmup" : "sampling"},
                    {"divergences", r.divergences},
                    {"step_size", r.step_size},
                    {"gradients_per_draw", r.gradients_per_draw},
                    {"remaining_seconds", seconds(r.remaining_seconds)}});
  }
  json line = {{"format", "mcmc-progress"},
               {"elapsed_seconds", seconds(s.elapsed_seconds)},
               {"remaining_seconds", seconds(s.remaining_seconds)},
               {"chains", s.chains},
               {"iterations_done", s.iterations_done},
               {"iterations_total", s.iterations_total},
               {"divergences", s.divergences},
               {"done", s.done},
               {"rows", rows}};
  return line.dump() + "\n";
}

ProgressMonitor::ProgressMonitor(const std::vector<ChainProgress>& chains, int warmup, int samples, bool terminal,
                                 const std::string& file, double interval_seconds)
    : chains_(chains), warmup_(warmup), samples_(samples), terminal_(terminal), interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()) {
  if (!file.empty()) {
    file_ = std::fopen(file.c_str(), "a");
    if (!file_)
      throw Error(ExitCode::Io, fmt::format("--progress-file: cannot open '{}' for appending: {}", file, std::strerror(errno)));
  }
  if (terminal_ || file_) thread_ = std::thread([this] { loop(); });
}

ProgressMonitor::~ProgressMonitor() {
  try {
    stop();
  } catch (...) {
  }
}

void ProgressMonitor::loop() {
  using clock = std::chrono::steady_clock;
  auto next_line = start_ + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(interval_));
  while (!stop_.load()) {
    const auto now = clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (terminal_) {
      const std::string table = progress_table(take_snapshot(chains_, warmup_, samples_, elapsed, kTerminalRows));
      std::string out = lines_drawn_ > 0 ? fmt::format("\033[{}A", lines_drawn_) : std::string();
      int lines = 0;
      for (std::size_t at = 0; at < table.size();) {
        const std::size_t end = table.find('\n', at);
        out += "\r\033[K" + table.substr(at, end - at + 1);
        at = end + 1;
        ++lines;
      }
      lines_drawn_ = lines;
      std::fputs(out.c_str(), stderr);
      std::fflush(stderr);
    }
    if (file_ && now >= next_line) {
      std::fputs(progress_json(take_snapshot(chains_, warmup_, samples_, elapsed, kFileRows)).c_str(), file_);
      std::fflush(file_);
      next_line += std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(interval_));
    }
    for (int i = 0; i < 5 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ProgressMonitor::stop() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (terminal_ && lines_drawn_ > 0) {
    std::fputs(fmt::format("\033[{}A\r\033[J", lines_drawn_).c_str(), stderr);
    std::fflush(stderr);
  }
  if (file_) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    ProgressSnapshot s = take_snapshot(chains_, warmup_, samples_, elapsed, kFileRows);
    s.done = true;
    std::fputs(progress_json(s).c_str(), file_);
    std::fclose(file_);
    file_ = nullptr;
  }
}

}  // namespace mcmc::run
