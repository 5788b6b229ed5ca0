// Initial points, kept draws, adaptation output and per-chain statistics.
#include "run/chain_runner.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sampler/metric.hpp"
#include "util/error.hpp"

namespace mcmc::run {

namespace {
constexpr std::uint64_t kGqStream = sampler::kGeneratedQuantitiesStream;  // generated quantities: stream (seed, chain + 2^32)
}  // namespace

ChainRunner::ChainRunner(const RunSettings& settings, const model::Model& model, int index,
                         io::ChainSink* sink, io::DrawStore* store, const Init& init,
                         const io::RunHeader& header)
    : settings_(settings), model_(model), index_(index), sink_(sink), store_(store),
      init_(init), header_(header), gq_rng_(settings.seed, kGqStream + static_cast<std::uint64_t>(index)) {
  report.chain_id = index + 1;
}

void ChainRunner::initialize(graph::Evaluator& ev) {
  start_ = std::chrono::steady_clock::now();
  if (!resume_state.empty()) return restore(ev);
  sampler::Rng rng(settings_.seed, static_cast<std::uint64_t>(index_));
  const std::size_t dim = model_.dim();
  std::vector<double> grad(dim);
  std::string last;
  const int attempts = 100;
  for (int a = 0; a < attempts; ++a) {
    std::vector<double> q = init_.point(model_, rng);  // Pathfinder: a draw picked with this chain's stream
    double lp = ev.logp_grad(q, grad);
    ++report.gradient_evals;
    bool ok = std::isfinite(lp);
    for (double g : grad) ok = ok && std::isfinite(g);
    if (ok) {
      sampler::SamplerSettings ss = settings_.sampler;
      chain_.emplace(ss, rng, std::move(q), lp, std::move(grad));
      if (sink_) sink_->begin(header_, index_ + 1, settings_.seed);
      return;
    }
    last = model_.explain(q);
    if (last.empty()) {
      last = std::isfinite(lp) ? "the gradient is not finite" : fmt::format("the log density is {}", lp);
    }
    if (!init_.random(model_)) {
      throw Error(ExitCode::Sampling,
                  fmt::format("chain {}: the initial point is not valid: {}", index_ + 1, last));
    }
  }
  const bool nan_data = last.find("the data hold NaN") != std::string::npos;
  throw Error(nan_data ? ExitCode::ModelOrData : ExitCode::Sampling,
              fmt::format("chain {}: initialization failed after {} attempts; last: {}\n{}", index_ + 1, attempts, last,
                          nan_data ? "Remove or impute the missing (NaN) values in the data: no initial value helps."
                                   : "Try a smaller --init radius (e.g. --init 0.5) or initial values in a JSON file "
                                     "(--init inits.json)."));
}

bool ChainRunner::snapshot_due(bool stopping) const {
  if (!checkpointer || !chain_) return false;
  return stopping || checkpointer->due(chain_->iteration(), settings_.sampler.warmup + settings_.sampler.samples);
}

void ChainRunner::snapshot() {
  if (!chain_) return;  // not begun: a resumed run starts it afresh
  StateWriter w;
  w.tag("runner");
  w.i64(report.gradient_evals);
  w.i64(report.divergences);
  w.i64(report.max_depth_hits);
  w.i64(report.draws_written);
  w.f64(report.step_size);
  w.vec(report.inv_metric);
  w.flag(report.dense_metric);
  w.flag(adaptation_written_);
  w.flag(warm_end_set_);
  w.i64(lockstep_counts[0]);
  w.i64(lockstep_counts[1]);
  gq_rng_.save(w);
  std::optional<io::SinkPosition> at;
  if (sink_) {
    at = sink_->checkpoint();
    if (!at) throw Error(ExitCode::Usage, "--checkpoint: this output format cannot be continued (use --format csv)");
  }
  w.flag(at.has_value());
  w.u64(at ? at->bytes : 0);
  w.u64(at ? at->hash : 0);
  chain_->save(w);
  checkpointer->set_chain(index_, w.take(), unsaved_rows_);
  unsaved_rows_.clear();
}

void ChainRunner::restore(graph::Evaluator&) {
  try {
    StateReader r(resume_state);
    r.tag("runner");
    report.gradient_evals = r.i64();
    report.divergences = static_cast<int>(r.i64());
    report.max_depth_hits = static_cast<int>(r.i64());
    report.draws_written = static_cast<int>(r.i64());
    report.step_size = r.f64();
    report.inv_metric = r.vec();
    report.dense_metric = r.flag();
    adaptation_written_ = r.flag();
    warm_end_set_ = r.flag();
    if (warm_end_set_) warm_end_ = start_;
    lockstep_counts[0] = r.i64();
    lockstep_counts[1] = r.i64();
    gq_rng_.restore(r);
    const bool has_output = r.flag();
    io::SinkPosition at;
    at.bytes = r.u64();
    at.hash = r.u64();
    chain_.emplace(sampler::Chain::restore(settings_.sampler, r));
    if (!r.done()) throw StateError("trailing bytes");
    if (has_output != (sink_ != nullptr))
      throw Error(ExitCode::Usage, has_output ? "--resume: the checkpointed run wrote output; give it --output as it did"
                                              : "--resume: the checkpointed run wrote no output");
    if (sink_) sink_->resume(header_, at);
  } catch (const StateError& e) {
    throw Error(ExitCode::Io, fmt::format("checkpoint: chain {}: the saved state does not fit this run: {}", index_ + 1,
                                          e.what()));
  }
  resume_state.clear();
  if (progress && chain_) progress->update(chain_->iteration(), report.divergences, chain_->step_size(), chain_->gradient_evals());
}

void ChainRunner::on_draw(bool take_snapshot) {
  sampler::Chain& ch = *chain_;
  const auto& info = ch.info();
  bool warm = ch.is_warmup();
  auto now = std::chrono::steady_clock::now();
  if (warm) {
    warm_end_ = now;
    warm_end_set_ = true;
  }
  int it = ch.iteration();
  int in_phase = warm ? it : it - settings_.sampler.warmup;
  bool keep = (!warm || settings_.sampler.save_warmup) && in_phase % settings_.sampler.thin == 0;
  if (!warm) {
    if (info.divergent) ++report.divergences;
    if (settings_.sampler.algorithm == sampler::Algorithm::Nuts && info.treedepth >= settings_.sampler.max_depth)
      ++report.max_depth_hits;
  }
  if (!warm && !adaptation_written_) {
    adaptation_written_ = true;
    report.step_size = ch.step_size();
    report.inv_metric = ch.metric().elements();
    report.dense_metric = ch.metric().dense();
    if (sink_) sink_->adaptation(io::Adaptation{report.step_size, report.inv_metric, report.dense_metric});
  }
  if (keep) {
    row_.clear();
    row_.push_back(info.lp);
    row_.push_back(info.accept_stat);
    row_.push_back(info.step_size);
    switch (settings_.sampler.algorithm) {
      case sampler::Algorithm::Nuts:
        row_.push_back(info.treedepth);
        row_.push_back(info.n_leapfrog);
        row_.push_back(info.divergent ? 1 : 0);
        break;
      case sampler::Algorithm::StaticHmc:
        row_.push_back(info.int_time);
        break;
      case sampler::Algorithm::Chees:
      case sampler::Algorithm::Meads:
        row_.push_back(settings_.sampler.algorithm == sampler::Algorithm::Chees ? info.int_time : info.damping);
        row_.push_back(info.n_leapfrog);
        row_.push_back(info.divergent ? 1 : 0);
        break;
    }
    row_.push_back(info.energy);
    if (!out_ev_) out_ev_ = model_.make_output_evaluator();
    model_.write_row(ch.position(), gq_rng_, values_, *out_ev_);
    row_.insert(row_.end(), values_.begin(), values_.end());
    if (sink_) sink_->draw(row_);
    if (store_) store_->append(row_);
    if (checkpointer) unsaved_rows_.insert(unsaved_rows_.end(), row_.begin(), row_.end());
    ++report.draws_written;
  }
  if (progress) progress->update(it + 1, report.divergences, info.step_size, ch.gradient_evals());
  if (take_snapshot) snapshot();
  ch.next();
}

void ChainRunner::finish(bool complete) {
  auto end = std::chrono::steady_clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  auto warm_end = warm_end_set_ ? warm_end_ : start_;
  report.warmup_seconds = secs(warm_end - start_) * time_share;
  report.sampling_seconds = secs(end - warm_end) * time_share;
  report.complete = complete;
  if (chain_) {
    report.gradient_evals += chain_->gradient_evals();
    if (!chain_->failure().empty()) report.error = chain_->failure();
    if (!adaptation_written_) {
      report.step_size = chain_->step_size();
      report.inv_metric = chain_->metric().elements();
      report.dense_metric = chain_->metric().dense();
    }
  }
  if (sink_ && chain_) {
    io::ChainFooter f;
    f.warmup_seconds = report.warmup_seconds;
    f.sampling_seconds = report.sampling_seconds;
    f.gradient_evals = report.gradient_evals;
    f.lockstep_paid = report.lockstep_paid;
    f.lockstep_useful = report.lockstep_useful;
    f.lockstep_group = report.lockstep_group;
    f.divergences = report.divergences;
    f.max_depth_hits = report.max_depth_hits;
    f.complete = complete;
    sink_->end(f);
  }
}

}  // namespace mcmc::run
