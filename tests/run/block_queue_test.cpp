// The lockstep block queue hands out every block exactly once, own range first, then by stealing.
#include <doctest/doctest.h>

#include <omp.h>

#include <atomic>
#include <vector>

#include "run/block_queue.hpp"

using mcmc::run::BlockQueue;

TEST_CASE("one thread takes its blocks in order, then the other ranges from their backs") {
  BlockQueue q;
  q.reset(2, 5);  // thread 0 owns 0, 1; thread 1 owns 2, 3, 4
  CHECK(q.next(0) == 0);
  CHECK(q.next(0) == 1);
  CHECK(q.next(0) == 4);  // stolen from the back of thread 1's range
  CHECK(q.next(1) == 2);
  CHECK(q.next(0) == 3);
  CHECK(q.next(1) == -1);
  CHECK(q.next(0) == -1);
  q.reset(2, 5);  // a new iteration hands everything out again
  CHECK(q.next(1) == 2);
}

TEST_CASE("more threads than blocks, and no blocks") {
  BlockQueue q;
  q.reset(4, 2);  // ranges: thread 0 [0, 0), thread 1 [0, 1), thread 2 [1, 1), thread 3 [1, 2)
  CHECK(q.next(0) == 0);  // its own range is empty: the back of the next thread's
  CHECK(q.next(3) == 1);
  CHECK(q.next(2) == -1);
  CHECK(q.next(1) == -1);
  q.reset(3, 0);
  CHECK(q.next(0) == -1);
}

TEST_CASE("under contention every block is handed out exactly once") {
  BlockQueue q;
  const int blocks = 1000;
  for (int threads : {2, 3, 8}) {
    for (int round = 0; round < 20; ++round) {
      q.reset(threads, blocks);
      std::vector<std::atomic<int>> seen(blocks);
#pragma omp parallel num_threads(threads)
      {
        const int k = omp_get_thread_num();
        for (int b; (b = q.next(k)) >= 0;) seen[static_cast<std::size_t>(b)].fetch_add(1);
      }
      int wrong = 0;
      for (auto& s : seen) wrong += s.load() != 1;
      CHECK(wrong == 0);
    }
  }
}
