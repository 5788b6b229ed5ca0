// The two schedulers over the same chain kernel: OpenMP-parallel chains and lockstep (vmap) groups.
#include "run/runner.hpp"

#include <omp.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "run/block_queue.hpp"
#include "run/chain_runner.hpp"
#include "run/checkpoint.hpp"
#include "run/interrupt.hpp"
#include "run/progress.hpp"
#include "run/team.hpp"
#include "sampler/ensemble.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"

namespace mcmc::run {

using sampler::Chain;

std::vector<std::string> sampler_columns(sampler::Algorithm a) {
  switch (a) {
    case sampler::Algorithm::Nuts:
      return {"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
    case sampler::Algorithm::StaticHmc:
      return {"lp__", "accept_stat__", "stepsize__", "int_time__", "energy__"};
    case sampler::Algorithm::Chees:
      return {"lp__", "accept_stat__", "stepsize__", "int_time__", "n_leapfrog__", "divergent__", "energy__"};
    case sampler::Algorithm::Meads:
      return {"lp__", "accept_stat__", "stepsize__", "damping__", "n_leapfrog__", "divergent__", "energy__"};
  }
  return {};
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

// Answers the chain's gradient requests one at a time until it reaches a draw (or finishes).
void run_to_draw(Chain& ch, graph::Evaluator& ev, std::vector<double>& grad) {
  while (ch.status() == Chain::Status::NeedGradient) {
    double lp = ev.logp_grad(ch.query(), grad);
    ch.provide(lp, grad);
  }
}

// --checkpoint: a stop asked for by SIGINT / SIGTERM (not by a failure) saves the chains' states.
bool stopping_cleanly(const Failure& f) { return stop_requested().load() && !f.any.load(); }

void drive_one(ChainRunner& r, graph::Evaluator& ev, const Failure& fail) {
  Chain& ch = r.chain();
  std::vector<double> grad(ev.dim());
  while (true) {
    run_to_draw(ch, ev, grad);
    if (ch.status() != Chain::Status::Draw) return;
    const bool snapshot = r.snapshot_due(stopping_cleanly(fail));
    r.on_draw(snapshot);
    if (snapshot) r.checkpointer->write();
    if (should_stop(fail)) return;
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
    bool all_done = true, saved = false;
    const bool stopping = stopping_cleanly(fail);  // one decision for the whole group
    for (ChainRunner* r : group) {
      if (r->chain().status() == Chain::Status::Draw) {
        r->lockstep_counts[0] = paid;
        r->lockstep_counts[1] = useful;
        const bool snapshot = r->snapshot_due(stopping);
        r->on_draw(snapshot);
        saved = saved || snapshot;
        all_done = false;
      } else if (r->chain().status() != Chain::Status::Finished) {
        all_done = false;
      }
    }
    if (saved) group.front()->checkpointer->write();
    if (all_done || should_stop(fail)) return;
  }
}

// Ensemble algorithms in vmap mode. The chains are cut into blocks of consecutive chains (the
// evaluator's chunk: a few hundred chains at most, so a block's chain states and the evaluator's
// memory stay in cache across its leapfrog steps); each block is a lockstep group, advanced from
// the start of its transitions to their draws by whichever thread takes it. The chains of a block
// that need a gradient are packed into one batched call (a batch of that size; a few sizes are
// kept per thread), so nobody pays for waiting.
struct PackedBlock {
  std::size_t lo = 0, hi = 0;  // chains [lo, hi)
  std::int64_t paid = 0, useful = 0;
};

// One thread's evaluators (by batch size) and buffers.
struct PackedEvaluators {
  std::map<std::size_t, std::unique_ptr<graph::Evaluator>> evals;
  std::vector<double> q, lp, grad;
  std::vector<std::size_t> active;

  graph::Evaluator& eval_for(const graph::Tape& tape, std::size_t m, std::size_t block, std::size_t& batch) {
    auto it = evals.find(m);
    if (it == evals.end() && evals.size() >= 8) {  // too many sizes: use a whole block, masked
      m = block;
      it = evals.find(m);
    }
    if (it == evals.end()) it = evals.emplace(m, std::make_unique<graph::Evaluator>(tape, m)).first;
    batch = m;
    return *it->second;
  }

  // Runs every chain of the block to its draw.
  void advance(std::span<Chain* const> chains, PackedBlock& b, std::size_t block,
               const graph::Tape& tape, std::size_t dim) {
    while (true) {
      active.clear();
      for (std::size_t k = b.lo; k < b.hi; ++k)
        if (chains[k]->status() == Chain::Status::NeedGradient) active.push_back(k);
      if (active.empty()) return;
      std::size_t batch = 0;
      graph::Evaluator& ev = eval_for(tape, active.size(), block, batch);
      q.resize(batch * dim);
      lp.resize(batch);
      grad.resize(batch * dim);
      for (std::size_t j = 0; j < batch; ++j) {
        auto qq = chains[active[j < active.size() ? j : 0]]->query();  // spare slots repeat a point
        std::copy(qq.begin(), qq.end(), q.begin() + static_cast<std::ptrdiff_t>(j * dim));
      }
      ev.logp_grad(q.data(), lp.data(), grad.data());
      b.paid += static_cast<std::int64_t>(batch);
      b.useful += static_cast<std::int64_t>(active.size());
      for (std::size_t j = 0; j < active.size(); ++j)
        chains[active[j]]->provide(lp[j], std::span<const double>(grad.data() + j * dim, dim));
    }
  }
};

// ChEES / MEADS: all chains take iteration t, then the ensemble prepares iteration t + 1 (one
// thread, with its statistics gathered block by block on all threads) and each chain's next
// transition is set where it runs. Parallel mode runs the chains of
// an iteration on the threads one by one; vmap mode runs the packed blocks on the threads.
void drive_ensemble(const RunSettings& s, const model::Model& model,
                    std::vector<std::unique_ptr<ChainRunner>>& runners, int threads, Failure& fail,
                    sampler::Ensemble::StragglerReport& stragglers, const std::string& resumed_ensemble,
                    Checkpointer* checkpointer) {
  const int C = static_cast<int>(runners.size());
  std::vector<char> started(static_cast<std::size_t>(C), 0);
#pragma omp parallel num_threads(threads)
  {
    graph::Evaluator single(model.tape(), 1);
#pragma omp for schedule(dynamic, 1)
    for (int c = 0; c < C; ++c) {
      if (fail.any.load()) continue;
      try {
        runners[c]->initialize(single);
        started[c] = 1;
      } catch (...) {
        fail.set(std::current_exception());
      }
    }
  }
  auto finish_all = [&](bool ok) {
    for (int c = 0; c < C; ++c) {
      if (!started[c]) continue;
      runners[c]->time_share = static_cast<double>(threads) / C;  // the chains share the team's time
      Chain& ch = runners[c]->chain();
      try {
        runners[c]->finish(ok && ch.status() == Chain::Status::Finished && ch.failure().empty());
      } catch (...) {
        fail.set(std::current_exception());
      }
    }
  };
  if (fail.any.load()) return finish_all(false);

  std::vector<Chain*> chains;
  for (auto& r : runners) chains.push_back(&r->chain());
  std::unique_ptr<sampler::Ensemble> ensemble;
  try {
    ensemble = sampler::Ensemble::make(s.sampler, C, model.dim());
    if (!resumed_ensemble.empty()) {  // --resume: the ensemble as the checkpoint saved it
      StateReader r(resumed_ensemble);
      try {
        ensemble->restore(r);
      } catch (const StateError& e) {
        throw Error(ExitCode::Io, std::string("checkpoint: the saved ensemble does not fit this run: ") + e.what());
      }
    }
  } catch (...) {
    fail.set(std::current_exception());
    return finish_all(false);
  }
  const std::size_t dim = model.dim();
  const bool vmap = s.mode == Mode::Vmap;
  // Blocks of at most one evaluator chunk, of (nearly) equal size; thread k takes the same blocks
  // every iteration unless another thread runs out of its own first (BlockQueue), so a chain's
  // state stays in one core's cache.
  const std::size_t chunk = graph::Evaluator::chunk_for(model.tape(), static_cast<std::size_t>(C));
  // As many blocks as chunks, whatever the thread count: a second thread gets work only where
  // there is more than one chunk of chains (smaller blocks would make every thread's batches
  // smaller), and --threads 2 runs exactly the batches of --threads 1.
  const int B = vmap ? static_cast<int>((static_cast<std::size_t>(C) + chunk - 1) / chunk) : 0;
  std::vector<PackedBlock> blocks;
  for (int b = 0; b < B; ++b)
    blocks.push_back({static_cast<std::size_t>(b) * C / B, static_cast<std::size_t>(b + 1) * C / B});
  const std::size_t block = B > 0 ? (static_cast<std::size_t>(C) + B - 1) / B : 1;
  const int NB = static_cast<int>(sampler::Ensemble::stat_blocks(static_cast<std::size_t>(C)));
  BlockQueue queue;
  // One thread team for the whole run. Per iteration the leader prepares the ensemble's next
  // transition, has its statistics gathered block by block by the team and combines them, then
  // the team runs every chain's settings, transition and draw (vmap: by blocks of chains; parallel
  // mode: a few chains at a time). Phases never wait for a thread that has not joined them
  // (run/team.hpp), so a thread the machine holds up does not hold up the iteration.
  struct ThreadState {
    std::unique_ptr<graph::Evaluator> single;
    std::vector<double> grad;
    PackedEvaluators packed;
  };
  std::vector<ThreadState> per_thread_state(static_cast<std::size_t>(threads));
  std::atomic<int> next_item{0};  // the next statistics block, or (parallel mode) the next chain
  constexpr int kChainsPerTake = 8;
  Team team(threads);
  // --resume: every chain restored at the iteration the checkpoint saved (all Waiting there), with
  // its lockstep block's counts.
  const int t0 = resumed_ensemble.empty() ? 0 : chains.front()->iteration();
  for (int b = 0; b < B && t0 > 0; ++b) {
    blocks[b].paid = runners[blocks[b].lo]->lockstep_counts[0];
    blocks[b].useful = runners[blocks[b].lo]->lockstep_counts[1];
  }
  const int total = s.sampler.warmup + s.sampler.samples;
  for (int t = t0;; ++t) {
    bool waiting = false;
    for (Chain* ch : chains) waiting = waiting || ch->status() == Chain::Status::Waiting;
    // --checkpoint: between two iterations, every chain and the ensemble.
    if (checkpointer && waiting && t > t0 && (stopping_cleanly(fail) || checkpointer->due(t - 1, total))) {
      try {
        for (int b = 0; b < B; ++b)
          for (std::size_t c = blocks[b].lo; c < blocks[b].hi; ++c) {
            runners[c]->lockstep_counts[0] = blocks[b].paid;
            runners[c]->lockstep_counts[1] = blocks[b].useful;
          }
        for (auto& r : runners) r->snapshot();
        StateWriter w;
        ensemble->save(w);
        checkpointer->set_ensemble(w.take());
        checkpointer->write();
      } catch (...) {
        fail.set(std::current_exception());
      }
    }
    if (!waiting || should_stop(fail)) break;
    try {
      ensemble->prepare(chains, t);
    } catch (...) {
      fail.set(std::current_exception());
      break;
    }
    // The ensemble's statistics, block by block on the team, each phase combined by the leader.
    for (int k = 0; k < ensemble->phases(); ++k) {
      next_item.store(0, std::memory_order_relaxed);
      auto gather = [&](int) {
        for (int j; (j = next_item.fetch_add(1, std::memory_order_relaxed)) < NB;) {
          try {
            ensemble->gather(k, chains, static_cast<std::size_t>(j));
          } catch (...) {
            fail.set(std::current_exception());
          }
        }
      };
      team.phase(gather, NB);
      try {
        ensemble->combine(k, chains);
      } catch (...) {
        fail.set(std::current_exception());
      }
    }
    if (vmap) {
      queue.reset(threads, B);
      auto advance = [&](int tid) {
        ThreadState& ts = per_thread_state[static_cast<std::size_t>(tid)];
        for (int b; (b = queue.next(tid)) >= 0;) {
          try {
            const std::size_t lo = blocks[b].lo, hi = blocks[b].hi;
            for (std::size_t c = lo; c < hi; ++c) ensemble->apply(*chains[c], static_cast<int>(c));
            ts.packed.advance(chains, blocks[b], block, model.tape(), dim);
            for (std::size_t c = lo; c < hi; ++c)
              if (chains[c]->status() == Chain::Status::Draw) runners[c]->on_draw();
          } catch (...) {
            fail.set(std::current_exception());
          }
        }
      };
      team.phase(advance, B);
    } else {
      next_item.store(0, std::memory_order_relaxed);
      auto advance = [&](int tid) {
        ThreadState& ts = per_thread_state[static_cast<std::size_t>(tid)];
        for (int lo; (lo = next_item.fetch_add(kChainsPerTake, std::memory_order_relaxed)) < C;) {
          for (int c = lo; c < std::min(C, lo + kChainsPerTake); ++c) {
            try {
              if (!ts.single) ts.single = std::make_unique<graph::Evaluator>(model.tape(), 1);
              ts.grad.resize(dim);
              ensemble->apply(*chains[c], c);
              run_to_draw(*chains[c], *ts.single, ts.grad);
              if (chains[c]->status() == Chain::Status::Draw) runners[c]->on_draw();
            } catch (...) {
              fail.set(std::current_exception());
            }
          }
        }
      };
      team.phase(advance, (C + kChainsPerTake - 1) / kChainsPerTake);
    }
  }
  stragglers = ensemble->stragglers();
  for (int b = 0; b < B; ++b)
    for (std::size_t c = blocks[b].lo; c < blocks[b].hi; ++c) {
      runners[c]->report.lockstep_paid = blocks[b].paid;
      runners[c]->report.lockstep_useful = blocks[b].useful;
      runners[c]->report.lockstep_group = b;
    }
  finish_all(true);
}

// --checkpoint: refuses, before any draw, a run with a piece whose state cannot be saved.
void check_checkpointable(const RunSettings& s, const model::Model& model) {
  try {
    sampler::Chain::check_saveable(s.sampler, model.dim());
    if (sampler::is_ensemble(s.sampler.algorithm)) {
      StateWriter w;
      sampler::Ensemble::make(s.sampler, s.chains, model.dim())->save(w);
    }
  } catch (const StateError& e) {
    throw Error(ExitCode::Usage, e.what());
  }
}

// The run's wall time, split into warm-up and sampling in the proportion of the chains' own seconds.
io::RunFooter run_footer(const RunReport& rep, const std::vector<std::unique_ptr<ChainRunner>>& runners) {
  io::RunFooter f;
  f.wall_seconds = rep.wall_seconds;
  f.threads = rep.threads;
  f.interrupted = rep.interrupted;
  double warm = 0, sampling = 0;
  for (const ChainReport& c : rep.chains) {
    warm += c.warmup_seconds;
    sampling += c.sampling_seconds;
  }
  for (const auto& r : runners) f.chains_started += r->started() ? 1 : 0;
  const double share = warm + sampling > 0 ? sampling / (warm + sampling) : 0.0;
  f.sampling_wall_seconds = rep.wall_seconds * share;
  f.warmup_wall_seconds = rep.wall_seconds - f.sampling_wall_seconds;
  return f;
}

}  // namespace

RunReport run_chains(const RunSettings& s, const model::Model& model, io::Output* output,
                     const io::DataSet* inits) {
  Init init;
  if (inits) {  // the caller read the file of initial values
    init.kind = Init::Kind::File;
    init.file = s.init;
    init.values = std::shared_ptr<const io::DataSet>(std::shared_ptr<const io::DataSet>(), inits);
  } else {
    init = Init::parse(s.init);
  }
  return run_chains(s, model, output, init);
}

RunReport run_chains(const RunSettings& s, const model::Model& model, io::Output* output, Init& init) {
  init.prepare(model, s.seed, s.threads);
  const int C = s.chains;
  RunReport rep;
  rep.sampler_columns = sampler_columns(s.sampler.algorithm);
  rep.param_columns = model.column_names();
  int threads = s.threads > 0 ? s.threads : omp_get_max_threads();
  if (s.mode == Mode::Vmap) threads = s.threads > 0 ? s.threads : 1;
  threads = std::max(1, std::min(threads, C));
  rep.threads = threads;

  io::RunHeader header;
  header.mcmc_version = build_version();
  header.mcmc_commit = build_commit();
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
                                                    rep.draws.back().get(), init, header));
  }

  // --checkpoint / --resume (run/checkpoint.hpp): the chains' saved states, the draws kept so far.
  std::unique_ptr<Checkpointer> checkpointer;
  CheckpointData resumed;
  const std::string checkpoint_path = !s.checkpoint.empty() ? s.checkpoint : s.resume;
  if (!checkpoint_path.empty()) {
    if (output && !output->resumable())
      throw Error(ExitCode::Usage, fmt::format("--checkpoint cannot continue --format {} exactly (it is assembled or "
                                               "interleaved across chains); use --format csv", s.format));
    check_checkpointable(s, model);
    CheckpointIdentity identity = checkpoint_identity(s.command_args, s.model_file, s.data_file, s.seed,
                                                      io::flatten_config(header.config, nullptr));
    if (!s.resume.empty()) {
      resumed = read_checkpoint(s.resume);
      if (resumed.chains.size() != static_cast<std::size_t>(C))
        throw Error(ExitCode::Usage, fmt::format("checkpoint '{}' holds {} chains, this run has {}", s.resume,
                                                 resumed.chains.size(), C));
      const std::string why = identity_mismatch(resumed.identity, identity);
      if (!why.empty()) throw Error(ExitCode::Usage, fmt::format("cannot resume from '{}': {}", s.resume, why));
      identity.args = resumed.identity.args;  // a resumed run stays resumable by the same command
    }
    checkpointer = std::make_unique<Checkpointer>(checkpoint_path, s.checkpoint_every, std::move(identity), C, ncols,
                                                  s.resume.empty() ? nullptr : &resumed);
    if (!s.resume.empty()) checkpointer->load_draws(resumed, rep.draws);
    for (int c = 0; c < C; ++c) {
      runners[c]->checkpointer = checkpointer.get();
      if (!s.resume.empty()) runners[c]->resume_state = resumed.chains[static_cast<std::size_t>(c)];
    }
  }

  // Progress (run/progress.hpp): a table on stderr when it is a terminal, JSON lines in --progress-file.
  std::vector<ChainProgress> progress(static_cast<std::size_t>(C));
  for (int c = 0; c < C; ++c) runners[c]->progress = &progress[c];
  const int total = s.sampler.warmup + s.sampler.samples;
  ProgressMonitor monitor(progress, s.sampler.warmup, s.sampler.samples, !s.quiet && isatty(2) && total > 0,
                          s.progress_file, s.progress_interval);

  Failure fail;
  auto t0 = std::chrono::steady_clock::now();
  if (sampler::is_ensemble(s.sampler.algorithm)) {
    sampler::Ensemble::StragglerReport stragglers;
    drive_ensemble(s, model, runners, threads, fail, stragglers, resumed.ensemble, checkpointer.get());
    rep.restarted_chains = stragglers.restarts;
    rep.stuck_chains = stragglers.stuck;
  } else if (s.mode == Mode::Parallel) {
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
        // (--resume: the group's counts as the checkpoint saved them; 0 for a new run)
        std::int64_t paid = group.front()->lockstep_counts[0], useful = group.front()->lockstep_counts[1];
        drive_group(group, batch, fail, paid, useful);
        for (ChainRunner* r : group) {
          r->time_share = 1.0 / static_cast<double>(group.size());
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
  monitor.stop();
  for (auto& r : runners) rep.chains.push_back(r->report);
  rep.interrupted = stop_requested().load();
  rep.footer = run_footer(rep, runners);
  if (init.draws) rep.footer.pathfinder_gradient_evals = init.draws->gradient_evals;
  if (output) output->finalize(&rep.footer);
  if (fail.first) std::rethrow_exception(fail.first);
  bool complete = !rep.interrupted;
  for (const auto& c : rep.chains) complete = complete && c.complete && c.error.empty();
  if (checkpointer && complete) checkpointer->remove();  // nothing left to resume
  for (const auto& c : rep.chains)
    if (!c.error.empty()) throw Error(ExitCode::Sampling, fmt::format("chain {}: {}", c.chain_id, c.error));
  return rep;
}

}  // namespace mcmc::run
