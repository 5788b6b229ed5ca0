// A fork-join team whose leader never waits for a member that has not joined: the ensemble driver's per-iteration synchronization on a machine shared with other work.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace mcmc::run {

/// The leader (the calling thread, tid 0) runs the serial parts of an iteration itself and hands
/// each parallel phase to the team with phase(f): every member that is awake joins and runs
/// f(tid), which takes work items from a shared queue until none are left; the leader runs f(0)
/// too, then waits only for the members that joined, not for the others. A member that the
/// machine holds up (another process on its core) therefore costs nothing unless it is in the
/// middle of an item; one that wakes after the phase has closed waits for the next one. Waiting
/// spins briefly, then sleeps in the kernel (C++20 atomic wait), so a team beside other work does
/// not burn the cores its members need. f must take items so that each is done exactly once
/// whoever joins (a counter or run::BlockQueue), must not throw, and must tolerate running on
/// any subset of the threads: results must not depend on which thread did an item.
class Team {
 public:
  explicit Team(int threads) : threads_(threads) {
    for (int t = 1; t < threads_; ++t) members_.emplace_back([this, t] { member(t); });
  }
  ~Team() {
    publish(nullptr, nullptr);  // a phase without work: members leave
    for (std::thread& m : members_) m.join();
  }
  Team(const Team&) = delete;
  Team& operator=(const Team&) = delete;

  int size() const { return threads_; }

  /// Runs one parallel phase: f(tid) on the leader and on every member that joins in time.
  /// The leader keeps account of its own time in phases and of the time it then waits for members
  /// still inside: when over a window of phases the waiting exceeds half the work (members held up
  /// by other processes, or phases too small to share), it runs the next phases alone, then tries
  /// the team again.
  /// `items`: how many items f's queue holds (a phase of one item is run by the leader alone).
  template <class F>
  void phase(F& f, int items) {
    if (items < 2) {
      f(0);
      return;
    }
    if (threads_ == 1 || solo_left_ > 0) {
      if (solo_left_ > 0) --solo_left_;
      f(0);
      return;
    }
    const auto t0 = Clock::now();
    publish(&f, [](void* p, int tid) { (*static_cast<F*>(p))(tid); });
    f(0);
    const auto t1 = Clock::now();
    // Close the phase once no member is inside it; members that join later find it closed.
    for (std::uint64_t s = state_.load(std::memory_order_acquire);;) {
      if ((s & kActive) == 0) {
        if (state_.compare_exchange_weak(s, s | kClosed, std::memory_order_acq_rel)) break;
        continue;
      }
      state_.wait(s, std::memory_order_acquire);
      s = state_.load(std::memory_order_acquire);
    }
    work_ += t1 - t0;
    waited_ += Clock::now() - t1;
    if (++window_ == kWindow) {
      if (2 * waited_ > work_) solo_left_ = kSoloPhases;
      window_ = 0;
      work_ = waited_ = Clock::duration::zero();
    }
  }

 private:
  // state_: generation in the high 32 bits, bit 31 "closed", bits 0..30 the members inside.
  static constexpr std::uint64_t kClosed = std::uint64_t{1} << 31;
  static constexpr std::uint64_t kActive = kClosed - 1;

  void publish(void* f, void (*call)(void*, int)) {
    work_item_ = f;
    call_ = call;
    const std::uint64_t generation = (state_.load(std::memory_order_relaxed) >> 32) + 1;
    state_.store(generation << 32, std::memory_order_release);
    state_.notify_all();
  }

  void member(int tid) {
    std::uint64_t seen = 0;  // the last generation this member looked at
    for (;;) {
      std::uint64_t s = state_.load(std::memory_order_acquire);
      if ((s >> 32) == seen || (s & kClosed)) {
        state_.wait(s, std::memory_order_acquire);
        continue;
      }
      // Join the open phase of generation s >> 32 (fails if it closed or moved on meanwhile).
      if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) continue;
      seen = s >> 32;
      if (!work_item_) {  // the destructor's phase
        state_.fetch_sub(1, std::memory_order_acq_rel);
        state_.notify_all();
        return;
      }
      call_(work_item_, tid);
      state_.fetch_sub(1, std::memory_order_acq_rel);
      state_.notify_all();
    }
  }

  using Clock = std::chrono::steady_clock;
  static constexpr int kWindow = 64;        // phases per account
  static constexpr int kSoloPhases = 1024;  // phases run alone after a losing account

  int threads_;
  int window_ = 0, solo_left_ = 0;
  Clock::duration work_{}, waited_{};
  void* work_item_ = nullptr;                 // written by the leader before publishing a phase
  void (*call_)(void*, int) = nullptr;
  std::atomic<std::uint64_t> state_{0};
  std::vector<std::thread> members_;
};

}  // namespace mcmc::run
