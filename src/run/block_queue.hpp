// Hands out the blocks of a lockstep iteration to threads: each its own range first, then stolen from the others' ends.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace mcmc::run {

/// Blocks 0..B-1 split into one contiguous range per thread. Thread k takes blocks from the front
/// of its own range (so, without delays, each thread runs the same blocks every iteration and a
/// chain's state stays in one core's cache); a thread whose range is empty takes blocks from the
/// back of the other ranges (so a thread that the machine holds up, e.g. a preempted virtual
/// CPU, does not hold up the whole iteration). Every block is handed out exactly once per reset().
/// reset() must not overlap next(); next() may be called from any number of threads at once.
class BlockQueue {
 public:
  /// Splits `blocks` blocks into `threads` ranges: thread k owns [k * B / T, (k + 1) * B / T).
  void reset(int threads, int blocks) {
    if (threads != threads_) {
      ranges_ = std::make_unique<Range[]>(static_cast<std::size_t>(threads));
      threads_ = threads;
    }
    for (int k = 0; k < threads; ++k) {
      const std::uint64_t lo = static_cast<std::uint64_t>(k) * blocks / threads;
      const std::uint64_t hi = static_cast<std::uint64_t>(k + 1) * blocks / threads;
      ranges_[k].front_back.store(lo | (hi << 32), std::memory_order_relaxed);
    }
  }

  /// The next block for thread `k`, or -1 when every block has been handed out.
  int next(int k) {
    if (int b = take(k, true); b >= 0) return b;
    for (int i = 1; i < threads_; ++i)
      if (int b = take((k + i) % threads_, false); b >= 0) return b;
    return -1;
  }

 private:
  struct alignas(64) Range {
    std::atomic<std::uint64_t> front_back{0};  // front in the low 32 bits, back (exclusive) in the high
  };

  int take(int k, bool front) {
    std::atomic<std::uint64_t>& r = ranges_[k].front_back;
    std::uint64_t v = r.load(std::memory_order_acquire);
    while (true) {
      const std::uint64_t f = v & 0xffffffffu, b = v >> 32;
      if (f >= b) return -1;
      const std::uint64_t w = front ? ((f + 1) | (b << 32)) : (f | ((b - 1) << 32));
      if (r.compare_exchange_weak(v, w, std::memory_order_acq_rel, std::memory_order_acquire))
        return static_cast<int>(front ? f : b - 1);
    }
  }

  std::unique_ptr<Range[]> ranges_;
  int threads_ = 0;
};

}  // namespace mcmc::run
