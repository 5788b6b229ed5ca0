// A fork-join team whose leader never waits for a member that has not joined: the ensemble driver's per-iteration synchronization on a machine shared with other work.
#pragma once

#include <algorithm>
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
  /// `items`: how many items f's queue holds (a phase of one item is run by the leader alone).
  /// While the leader hardly waits for the members at the end of the team's phases, the team is
  /// used. Otherwise the leader measures the time per item of phases run alone and of phases run
  /// by the team, a window of phases at a time, and runs the following phases the faster way; it
  /// tries the slower way again after a while (twice as long after each further loss), since the
  /// load of the machine changes. So where the other threads cannot help (phases too small to share, or
  /// cores taken by other processes), the run costs what one thread costs.
  template <class F>
  void phase(F& f, int items) {
    if (items < 2 || threads_ == 1) {
      f(0);
      return;
    }
    const bool team = use_team_;
    const auto t0 = Clock::now();
    if (team) publish(&f, [](void* p, int tid) { (*static_cast<F*>(p))(tid); });
    f(0);
    const auto t1 = Clock::now();
    if (team) {
      // Close the phase once no member is inside it; members that join later find it closed.
      for (std::uint64_t s = state_.load(std::memory_order_acquire);;) {
        if ((s & kActive) == 0) {
          if (state_.compare_exchange_weak(s, s | kClosed, std::memory_order_acq_rel)) break;
          continue;
        }
        state_.wait(s, std::memory_order_acquire);
        s = state_.load(std::memory_order_acquire);
      }
    }
    Account& a = account_[team];
    const auto t2 = Clock::now();
    a.time += t2 - t0;
    a.waited += t2 - t1;
    a.items += items;
    if (++window_ < kWindow) return;
    window_ = 0;
    a.per_item = std::chrono::duration<double>(a.time).count() / static_cast<double>(a.items);
    // A team whose leader hardly waited for its members is as fast as it gets: no need to measure
    // the leader alone (which costs a window at one thread's speed).
    const bool team_fine = team && a.waited < a.time / 10;
    a.time = a.waited = Clock::duration::zero();
    a.items = 0;
    const bool probe = probing_;
    probing_ = false;
    if (team_fine && !probe) return;
    if (account_[!team].per_item < 0) {  // the other way not measured yet: measure it
      use_team_ = !team;
      return;
    }
    const bool best = account_[1].per_item < account_[0].per_item;  // true: the team is faster
    if (probe) {  // the slower way was tried again: a loss doubles the wait for the next try
      loss_windows_ = best == team ? 1 : std::min(2 * loss_windows_, kMaxStayWindows);
      use_team_ = best;
      stay_ = loss_windows_;
    } else if (best != team) {  // the other way has become the faster one
      use_team_ = best;
      stay_ = loss_windows_;
    } else if (--stay_ <= 0) {  // measure the other way again
      use_team_ = !team;
      probing_ = true;
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
  static constexpr int kWindow = 64;             // phases per measurement
  static constexpr int kMaxStayWindows = 256;    // the longest stay between two probes, in windows

  /// Time and items of phases run one way, and the last window's time per item (-1: none yet).
  struct Account {
    Clock::duration time{};
    Clock::duration waited{};  // of which the leader waited for members still inside
    long long items = 0;
    double per_item = -1;
  };

  int threads_;
  bool use_team_ = true;
  bool probing_ = false;
  int window_ = 0;
  int stay_ = 1;             // windows left in the faster way before the other is measured again
  int loss_windows_ = 1;     // the stay's length: doubled whenever a try of the other way loses
  Account account_[2];       // [0] alone, [1] as a team
  void* work_item_ = nullptr;                 // written by the leader before publishing a phase
  void (*call_)(void*, int) = nullptr;
  std::atomic<std::uint64_t> state_{0};
  std::vector<std::thread> members_;
};

}  // namespace mcmc::run
