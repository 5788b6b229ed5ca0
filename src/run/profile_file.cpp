// The time spent in each `profile("name") { ... }` region, written as CmdStan's profile CSV (--profile-file).
#include "run/profile_file.hpp"

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"

namespace mcmc::run {

ProfileFile::ProfileFile(const std::string& path, const graph::Tape& tape)
    : path_(path), tape_(&tape), sink_(tape.enable_profiling()), out_(path) {
  if (!out_) throw Error(ExitCode::Io, fmt::format("--profile-file: cannot write '{}': {}", path, std::strerror(errno)));
}

void ProfileFile::write() {
  const auto& regions = tape_->profiles();
  const std::size_t R = regions.size() + 1;  // tag 0: outside every region
  // Each tag's own counters summed per thread, then every region's added to its ancestors'.
  struct Row {
    double fwd = 0, rev = 0;
    std::uint64_t ad = 0, no_ad = 0;
  };
  std::map<std::uint32_t, std::vector<Row>> threads;
  for (const graph::ProfileCounters& c : sink_->counters()) {
    auto& rows = threads.try_emplace(c.thread, R).first->second;
    for (std::size_t r = 0; r < R; ++r) {
      rows[r].fwd += c.forward_s[r];
      rows[r].rev += c.reverse_s[r];
      rows[r].ad += c.autodiff_calls[r];
      rows[r].no_ad += c.no_autodiff_calls[r];
    }
  }
  std::vector<std::size_t> nodes = tape_->profile_nodes();
  // Inclusive times and node counts: a nested region's go to every enclosing region too.
  std::vector<std::size_t> inclusive_nodes = nodes;
  for (std::size_t r = R - 1; r >= 1; --r)
    for (std::uint32_t up = regions[r - 1].parent; up != 0; up = regions[up - 1].parent) inclusive_nodes[up] += nodes[r];
  out_ << "name,thread_id,total_time,forward_time,reverse_time,chain_stack,no_chain_stack,autodiff_calls,"
          "no_autodiff_calls\n";
  for (auto& [thread, rows] : threads) {
    std::vector<Row> incl = rows;
    for (std::size_t r = R - 1; r >= 1; --r)
      for (std::uint32_t up = regions[r - 1].parent; up != 0; up = regions[up - 1].parent) {
        incl[up].fwd += rows[r].fwd;
        incl[up].rev += rows[r].rev;
      }
    for (std::size_t r = 1; r < R; ++r) {
      const Row& x = incl[r];
      out_ << fmt::format("{},{},{:.9g},{:.9g},{:.9g},{},{},{},{}\n", regions[r - 1].name, thread, x.fwd + x.rev, x.fwd,
                          x.rev, inclusive_nodes[r] * x.ad, 0, x.ad, x.no_ad);
    }
  }
  out_.flush();
  if (!out_) throw Error(ExitCode::Io, fmt::format("--profile-file: writing '{}' failed", path_));
}

}  // namespace mcmc::run
