// The time spent in each `profile("name") { ... }` region, written as CmdStan's profile CSV (--profile-file).
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "graph/tape.hpp"

namespace mcmc::run {

/// A profile CSV opened before sampling (so that a bad path fails at once) and written after it.
class ProfileFile {
 public:
  /// Opens `path` for writing (throws Error(Io) naming it when it cannot) and turns on the
  /// timing of `tape`'s profile regions.
  ProfileFile(const std::string& path, const graph::Tape& tape);
  /// CmdStan's columns: name, thread_id, total_time, forward_time, reverse_time, chain_stack,
  /// no_chain_stack, autodiff_calls, no_autodiff_calls; one row per region and thread (threads
  /// numbered 0, 1, ... in the order they first evaluated the model). A region's times include
  /// those of the regions nested in it, as in Stan. Throws Error(Io) when writing fails.
  void write();

 private:
  std::string path_;
  const graph::Tape* tape_;
  std::shared_ptr<graph::ProfileSink> sink_;
  std::ofstream out_;
};

}  // namespace mcmc::run
