// The two schedulers over the same chain kernel: OpenMP-parallel chains and lockstep (vmap) groups.
#include "run/runner.hpp"

#include <omp.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>

#include <fmt/format.h>

#include "run/chain_runner.hpp"
#include "run/interrupt.hpp"
#include "util/error.hpp"

namespace mcmc::run {

using sampler::Chain;

std::vector<std::string> sampler_columns(sampler::Algorithm a) {
  if (a == sampler::Algorithm::Nuts)
    return {"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
  return {"lp__", "accept_stat__", "stepsize__", "int_time__", "energy__"};
}

namespace {

// Records the first error of any chain; the others stop at their next draw.
struct Failure {
  std::mutex mu;
  std::exception_ptr first;
  std::atomic<bool> any{false};
  void set(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu);
    if (!first) first = e;
    any = true;
  }
};

bool should_stop(const Failure& f) { return f.any.load() || stop_requested().load(); }

void drive_one(ChainRunner& r, graph::Evaluator& ev, const Failure& fail) {
  Chain& ch = r.chain();
  std::vector<double> grad(ev.dim());
  while (ch.status() != Chain::Status::Finished) {
    if (ch.status() == Chain::Status::NeedGradient) {
      double lp = ev.logp_grad(ch.query(), grad);
      ch.provide(lp, grad);
    } else {
      r.on_draw();
      if (should_stop(fail)) return;
    }
  }
}

// One lockstep group: every chain that needs a gradient gets it from one batched call; chains
// that finished their transition wait (masked) until the whole group has.
void drive_group(std::vector<ChainRunner*>& group, graph::Evaluator& batch, const Failure& fail,
                 std::int64_t& paid, std::int64_t& useful) {
  const std::size_t K = group.size(), dim = batch.dim();
  std::vector<double> q(K * dim, 0.0), grad(K * dim), lp(K);
  for (std::size_t k = 0; k < K; ++k) {  // start every slot at a valid point
    auto pos = group[k]->chain().position();
    if (group[k]->chain().status() == Chain::Status::NeedGradient) pos = group[k]->chain().query();
    std::copy(pos.begin(), pos.end(), q.begin() + static_cast<std::ptrdiff_t>(k * dim));
  }
  while (true) {
    bool any_need = false;
    for (ChainRunner* r : group) any_need = any_need || r->chain().status() == Chain::Status::NeedGradient;
    if (any_need) {
      std::size_t active = 0;
      for (std::size_t k = 0; k < K; ++k) {
        Chain& ch = group[k]->chain();
        if (ch.status() != Chain::Status::NeedGradient) continue;
        auto qq = ch.query();
        std::copy(qq.begin(), qq.end(), q.begin() + static_cast<std::ptrdiff_t>(k * dim));
        ++active;
      }
      batch.logp_grad(q.data(), lp.data(), grad.data());
      paid += static_cast<std::int64_t>(K);
      useful += static_cast<std::int64_t>(active);
      for (std::size_t k = 0; k < K; ++k) {
        Chain& ch = group[k]->chain();
        if (ch.status() != Chain::Status::NeedGradient) continue;
        ch.provide(lp[k], std::span<const double>(grad.data() + k * dim, dim));
      }
      continue;
    }
    bool all_done = true;
    for (ChainRunner* r : group) {
      if (r->chain().status() == Chain::Status::Draw) {
        r->on_draw();
        all_done = false;
      } else if (r->chain().status() != Chain::Status::Finished) {
        all_done = false;
      }
    }
    if (all_done || should_stop(fail)) return;
  }
}

}  // namespace

RunReport run_chains(const RunSettings& s, const model::Model& model, io::Output* output,
                     const io::DataSet* inits) {
  const int C = s.chains;
  RunReport rep;
  rep.sampler_columns = sampler_columns(s.sampler.algorithm);
  rep.param_columns = model.column_names();
  int threads = s.threads > 0 ? s.threads : omp_get_max_threads();
  if (s.mode == Mode::Vmap) threads = s.threads > 0 ? s.threads : 1;
  threads = std::max(1, std::min(threads, C));
  rep.threads = threads;

  io::RunHeader header;
  header.model_name = model.name();
  header.config = config_entries(s, threads);
  header.sampler_columns = rep.sampler_columns;
  header.param_columns = rep.param_columns;
  header.algorithm = algorithm_name(s.sampler.algorithm);

  const std::size_t ncols = rep.sampler_columns.size() + rep.param_columns.size();
  std::vector<std::unique_ptr<ChainRunner>> runners;
  for (int c = 0; c < C; ++c) {
    rep.draws.push_back(std::make_unique<io::DrawStore>(ncols));
    runners.push_back(std::make_unique<ChainRunner>(s, model, c, output ? &output->chain(c) : nullptr,
                                                    rep.draws.back().get(), inits, header));
  }

  // Progress on stderr, per chain, when stderr is a terminal.
  std::vector<std::atomic<int>> progress(static_cast<std::size_t>(C));
  for (int c = 0; c < C; ++c) runners[c]->progress = &progress[c];
  std::atomic<bool> done{false};
  std::thread progress_thread;
  const int total = s.sampler.warmup + s.sampler.samples;
  if (!s.quiet && isatty(2) && total > 0) {
    const auto t_start = std::chrono::steady_clock::now();
    progress_thread = std::thread([&, t_start] {
      while (!done.load()) {
        std::string line = "\r";
        int shown = std::min(C, 8);
        for (int c = 0; c < shown; ++c)
          line += fmt::format("chain {}: {:3d}%  ", c + 1, 100 * progress[c].load() / total);
        long long sum = 0;
        for (int c = 0; c < C; ++c) sum += progress[c].load();
        if (C > shown)
          line += fmt::format("all {} chains: {:3d}%  ", C, static_cast<int>(100 * sum / (static_cast<long long>(total) * C)));
        double frac = static_cast<double>(sum) / (static_cast<double>(total) * C);
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
        if (frac > 0.01) line += fmt::format("ETA {:.0f} s ", elapsed * (1 - frac) / frac);
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
        for (int i = 0; i < 5 && !done.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      std::fputs("\r\033[K", stderr);
    });
  }

  Failure fail;
  auto t0 = std::chrono::steady_clock::now();
  if (s.mode == Mode::Parallel) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int c = 0; c < C; ++c) {
      if (should_stop(fail)) continue;
      ChainRunner& r = *runners[c];
      bool started = false;
      try {
        graph::Evaluator ev(model.tape(), 1);
        r.initialize(ev);
        started = true;
        drive_one(r, ev, fail);
        r.finish(r.chain().status() == Chain::Status::Finished && r.chain().failure().empty());
      } catch (...) {
        fail.set(std::current_exception());
        if (started) {
          try { r.finish(false); } catch (...) {}
        }
      }
    }
  } else {
    // Contiguous groups, one per thread: group g holds chains [g*C/T, (g+1)*C/T).
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (int g = 0; g < threads; ++g) {
      int lo = g * C / threads, hi = (g + 1) * C / threads;
      std::vector<ChainRunner*> group;
      std::vector<bool> started;
      try {
        graph::Evaluator single(model.tape(), 1);
        for (int c = lo; c < hi; ++c) {
          runners[c]->initialize(single);
          group.push_back(runners[c].get());
        }
        graph::Evaluator batch(model.tape(), group.size());
        std::int64_t paid = 0, useful = 0;
        drive_group(group, batch, fail, paid, useful);
        for (ChainRunner* r : group) {
          r->report.lockstep_paid = paid;
          r->report.lockstep_useful = useful;
          r->report.lockstep_group = g;
          r->finish(r->chain().status() == Chain::Status::Finished && r->chain().failure().empty());
        }
      } catch (...) {
        fail.set(std::current_exception());
        for (ChainRunner* r : group) {
          try { r->finish(false); } catch (...) {}
        }
      }
    }
  }
  rep.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  done = true;
  if (progress_thread.joinable()) progress_thread.join();
  for (auto& r : runners) rep.chains.push_back(r->report);
  rep.interrupted = stop_requested().load();
  if (output) output->finalize();
  if (fail.first) std::rethrow_exception(fail.first);
  for (const auto& c : rep.chains)
    if (!c.error.empty()) throw Error(ExitCode::Sampling, fmt::format("chain {}: {}", c.chain_id, c.error));
  return rep;
}

}  // namespace mcmc::run
