// The chain's state machine: initial step-size search, warm-up adaptation (sampler/adaptation.hpp),
// NUTS or static HMC transitions, one gradient request at a time.
#include "sampler/chain.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "sampler/adaptation.hpp"
#include "sampler/ghmc.hpp"
#include "sampler/hamiltonian.hpp"
#include "sampler/init_stepsize.hpp"
#include "sampler/nuts.hpp"
#include "sampler/static_hmc.hpp"
#include "util/error.hpp"

namespace mcmc::sampler {

namespace {

std::unique_ptr<Metric> initial_metric(const SamplerSettings& s, std::size_t dim) {
  // The ensemble samplers adapt a diagonal metric of their own.
  try {
    return make_metric(is_ensemble(s.algorithm) ? "diag" : s.metric, dim, s.inv_metric);
  } catch (const std::invalid_argument& e) {
    throw Error(ExitCode::Usage, std::string("sampler settings: ") + e.what());
  }
}

bool all_finite(std::span<const double> v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

struct Chain::Impl : Chain::Hot {
  // What the pending leapfrog belongs to.
  enum class Phase { InitialStepsize, WindowStepsize, Transition, Ghmc, Idle };

  SamplerSettings settings;
  Rng rng;
  Hamiltonian ham;
  Phase phase = Phase::Idle;

  Point current;  // the chain's state: the last draw, with its log density and gradient
  Point z;        // the point being integrated
  double leapfrog_eps = 0;

  double nom_eps = 1;  // nominal step size (adapted during warm-up)
  double eps = 1;      // step size of the transition in progress
  bool adapt = false;
  bool adapted = false;
  std::unique_ptr<Adaptation> adaptation;

  NutsTransition nuts;
  StaticHmcTransition hmc;
  InitStepsize init_stepsize;

  // Ensemble algorithms
  bool ensemble = false;
  EnsembleStep step;         // parameters of the transition in progress
  EnsembleStats stats;       // what the last transition tells the ensemble
  GhmcTransition ghmc;       // MEADS: the generalized-HMC step and its persistent momentum

  TransitionInfo info;
  int iteration = 0;
  std::int64_t gradient_evals = 0;
  std::string failure;

  Impl(const SamplerSettings& s, Rng r, std::vector<double> q0, double logp0, std::vector<double> grad0)
      : settings(s),
        rng(r),
        ham(initial_metric(s, q0.size())),
        nuts(s.max_depth > 0 ? s.max_depth : 1, s.max_delta_h),
        hmc(s.steps, s.jitter) {
    if (grad0.size() != q0.size())
      throw std::invalid_argument("Chain: initial gradient and position differ in size");
    current.q = std::move(q0);
    current.p.assign(current.q.size(), 0.0);
    current.grad = std::move(grad0);
    current.logp = logp0;
    current.bad = !std::isfinite(logp0) || !all_finite(current.grad);
    if (current.bad) throw Error(ExitCode::Sampling, "Chain: the initial point has a non-finite log density or gradient");
    if (!(s.step_size > 0) || !std::isfinite(s.step_size))
      throw Error(ExitCode::Usage, "sampler settings: the step size must be positive and finite");
    nom_eps = s.step_size;
    ensemble = is_ensemble(s.algorithm);
    adapt = !ensemble && s.warmup > 0 && !current.q.empty();
    if (ensemble) {
      if (s.algorithm == Algorithm::Meads) ghmc.init(current.q.size(), rng);
      status = total_iterations() > 0 ? Status::Waiting : Status::Finished;
    } else if (adapt) {
      adaptation = make_adaptation(s, current.q.size());
      adaptation->init(current, ham, s.step_size);
      z = current;
      run(init_stepsize.start(z, rng, ham, nom_eps), Phase::InitialStepsize);
    } else {
      begin_iteration();
    }
  }

  int total_iterations() const { return std::max(settings.warmup, 0) + std::max(settings.samples, 0); }

  // Either start the leapfrog that `step` asks for or, with nullopt, end the phase.
  void run(std::optional<double> step, Phase p) {
    if (step) {
      phase = p;
      leapfrog_eps = *step;
      ham.begin_leapfrog(z, leapfrog_eps);
      status = Status::NeedGradient;
      return;
    }
    phase = Phase::Idle;
    end_phase(p);
  }

  void end_phase(Phase p) {
    switch (p) {
      case Phase::InitialStepsize:
        if (!fail_on(init_stepsize.failure())) {
          nom_eps = init_stepsize.stepsize();
          if (adaptation) adaptation->searched(nom_eps, true);
          begin_iteration();
        }
        break;
      case Phase::WindowStepsize:
        if (!fail_on(init_stepsize.failure())) {
          nom_eps = init_stepsize.stepsize();
          adaptation->searched(nom_eps, false);
          finish_iteration();
        }
        break;
      case Phase::Transition:
        end_transition();
        break;
      case Phase::Ghmc:
        end_ghmc();
        break;
      case Phase::Idle:
        break;
    }
  }

  bool fail_on(const std::string& message) {
    if (message.empty()) return false;
    failure = message;
    status = Status::Finished;
    return true;
  }

  void begin_iteration() {
    if (iteration >= total_iterations()) {
      status = Status::Finished;
      return;
    }
    eps = nom_eps;
    if (current.q.empty()) {  // nothing to move: every transition keeps the (only) point
      info = TransitionInfo{};
      info.lp = current.logp;
      info.step_size = eps;
      info.energy = -current.logp;
      status = Status::Draw;
      return;
    }
    // Start from the current point; every transition draws its own momentum, so p is not copied.
    z.q = current.q;
    z.grad = current.grad;
    z.logp = current.logp;
    z.bad = current.bad;
    z.p.resize(current.q.size());
    if (settings.algorithm == Algorithm::Nuts)
      run(nuts.start(z, rng, ham, eps), Phase::Transition);
    else if (settings.algorithm == Algorithm::Meads)
      start_ghmc();
    else
      run(hmc.start(z, rng, ham, eps), Phase::Transition);
  }

  // Ensemble: the parameters of the next transition have arrived.
  void set_step(const EnsembleStep& st) {
    if (!st.inv_metric.empty()) ham.set_inv_metric(st.inv_metric);
    step = st;
    step.inv_metric = {};  // copied into the Hamiltonian; the span is only the caller's
    nom_eps = step.step_size;
    adapted = step.adapted;
    if (settings.algorithm == Algorithm::Chees) hmc.set_steps(step.steps);
    stats.moved = false;
    if (step.skip) {  // this fold stays put: the draw repeats the current state
      info = TransitionInfo{};
      info.lp = current.logp;
      info.step_size = step.step_size;
      info.damping = step.alpha;
      info.energy = ham.energy(current);
      status = Status::Draw;
      return;
    }
    stats.q_init = {};
    begin_iteration();
  }

  // MEADS: partial momentum refresh, advance the slice variable, one leapfrog step.
  void start_ghmc() { run(ghmc.start(z, current, rng, ham, step.alpha, step.delta, eps), Phase::Ghmc); }

  // MEADS: the decision (GhmcTransition::finish), then the draw and what the ensemble learns.
  void end_ghmc() {
    const GhmcResult& r = ghmc.finish(z, current, ham, settings.max_delta_h);
    info = TransitionInfo{};
    info.accept_stat = r.accept_stat;
    info.divergent = r.divergent;
    info.n_leapfrog = 1;
    stats.q_prop = z.q;  // z stays as it is until the next transition
    stats.p_prop = z.p;
    stats.accept_prob = info.accept_stat;
    stats.divergent = info.divergent;
    stats.moved = true;
    info.step_size = eps;
    info.damping = step.alpha;
    info.lp = current.logp;
    info.energy = ham.energy(current);
    status = Status::Draw;
  }

  // After provide() has ended the leapfrog (Hamiltonian::end_leapfrog).
  void on_gradient() {
    switch (phase) {
      case Phase::InitialStepsize:
      case Phase::WindowStepsize:
        run(init_stepsize.on_leapfrog(z, rng, ham), phase);
        break;
      case Phase::Transition:
        if (settings.algorithm == Algorithm::Nuts)
          run(nuts.on_leapfrog(z, rng, ham), phase);
        else
          run(hmc.on_leapfrog(z, rng, ham), phase);
        break;
      case Phase::Ghmc:
        run(std::nullopt, phase);
        break;
      case Phase::Idle:
        break;
    }
  }

  void end_transition() {
    info = TransitionInfo{};
    info.step_size = eps;
    if (settings.algorithm == Algorithm::Nuts) {
      const NutsResult& r = nuts.result();
      current = r.sample;
      info.accept_stat = r.accept_stat;
      info.treedepth = r.depth;
      info.n_leapfrog = r.n_leapfrog;
      info.divergent = r.divergent;
    } else {
      const StaticHmcResult& r = hmc.result();
      info.accept_stat = r.accept_stat;
      info.n_leapfrog = r.n_leapfrog;
      info.int_time = settings.steps * eps;
      if (ensemble) {
        info.int_time = step.steps * eps;
        info.divergent = z.bad || !(r.H1 - r.H0 <= settings.max_delta_h);
        stats.accept_prob = r.accept_prob;
        stats.divergent = info.divergent;
        stats.moved = true;
      }
      if (r.accepted) std::swap(current, z);  // z is scratch until the next transition copies current
      if (ensemble) {  // the start and the proposal, wherever the decision left them
        const Point& start = r.accepted ? z : current;
        const Point& prop = r.accepted ? current : z;
        stats.q_init = start.q;
        stats.q_prop = prop.q;
        stats.p_prop = prop.p;
      }
      info.lp = current.logp;
      info.energy = r.accepted ? r.H1 : r.H0;
      end_adaptation();
      return;
    }
    info.lp = current.logp;
    info.energy = ham.energy(current);
    end_adaptation();
  }

  // Warm-up adaptation after a transition (NUTS and static HMC), then the draw.
  void end_adaptation() {
    if (adapt && iteration < settings.warmup) {
      const AdaptStep a = adaptation->update(iteration, current, info.accept_stat, ham);
      nom_eps = a.step_size;
      if (fail_on(a.failure)) return;
      if (a.search) {
        z = current;
        run(init_stepsize.start(z, rng, ham, nom_eps), Phase::WindowStepsize);
        return;
      }
    }
    finish_iteration();
  }

  // After the transition and its adaptation: end of warm-up bookkeeping, then the draw.
  void finish_iteration() {
    if (adapt && iteration == settings.warmup - 1) {
      nom_eps = adaptation->finish();
      adapted = true;
    }
    status = Status::Draw;
  }

  void next() {
    ++iteration;
    if (ensemble) {
      status = iteration >= total_iterations() ? Status::Finished : Status::Waiting;
      return;
    }
    begin_iteration();
  }
};

Chain::Chain(const SamplerSettings& settings, Rng rng, std::vector<double> q0, double logp0,
             std::vector<double> grad0)
    : impl_(std::make_unique<Impl>(settings, rng, std::move(q0), logp0, std::move(grad0))), hot_(impl_.get()) {}
Chain::~Chain() = default;
Chain::Chain(Chain&&) noexcept = default;
Chain& Chain::operator=(Chain&&) noexcept = default;


std::span<const double> Chain::query() const { return impl_->z.q; }

void Chain::provide(double logp, std::span<const double> grad) {
  Impl& c = *impl_;
  if (c.status != Status::NeedGradient) throw std::logic_error("Chain::provide without a pending query");
  if (grad.size() != c.z.q.size()) throw std::logic_error("Chain::provide: gradient has the wrong size");
  ++c.gradient_evals;
  c.ham.end_leapfrog(c.z, logp, grad, c.leapfrog_eps);
  c.on_gradient();
}

void Chain::set_step(const EnsembleStep& step) {
  if (impl_->status != Status::Waiting) throw std::logic_error("Chain::set_step while not waiting");
  impl_->set_step(step);
}
void Chain::restart_from(const Chain& donor) {
  if (impl_->status != Status::Waiting) throw std::logic_error("Chain::restart_from while not waiting");
  Impl& c = *impl_;
  const Point& d = donor.impl_->current;
  c.current.q = d.q;
  c.current.grad = d.grad;
  c.current.logp = d.logp;
  c.current.bad = d.bad;
  c.stats = EnsembleStats{};
}
const EnsembleStats& Chain::ensemble_stats() const { return impl_->stats; }
double Chain::log_density() const { return impl_->current.logp; }
std::span<const double> Chain::gradient() const { return impl_->current.grad; }

const TransitionInfo& Chain::info() const { return impl_->info; }
std::span<const double> Chain::position() const { return impl_->current.q; }
bool Chain::is_warmup() const { return impl_->iteration < impl_->settings.warmup; }
int Chain::iteration() const { return impl_->iteration; }

void Chain::next() {
  if (impl_->status != Status::Draw) throw std::logic_error("Chain::next without a draw");
  impl_->next();
}

namespace {

void save_point(StateWriter& w, const Point& p) {
  w.vec(p.q);
  w.vec(p.p);
  w.vec(p.grad);
  w.f64(p.logp);
  w.flag(p.bad);
}

Point restore_point(StateReader& r) {
  Point p;
  p.q = r.vec();
  p.p = r.vec();
  p.grad = r.vec();
  p.logp = r.f64();
  p.bad = r.flag();
  return p;
}

// Which vector of the chain's two points an EnsembleStats span views (0: none).
int span_ref(std::span<const double> s, const Point& current, const Point& z) {
  if (s.empty()) return 0;
  const std::vector<double>* owners[] = {&current.q, &current.p, &z.q, &z.p};
  for (int k = 0; k < 4; ++k)
    if (s.data() == owners[k]->data() && s.size() == owners[k]->size()) return k + 1;
  throw StateError("chain: ensemble statistics view a vector the chain does not own");
}

std::span<const double> span_of(int ref, const Point& current, const Point& z) {
  const std::vector<double>* owners[] = {&current.q, &current.p, &z.q, &z.p};
  if (ref == 0) return {};
  if (ref < 1 || ref > 4) throw StateError("saved chain: bad ensemble statistics reference");
  return *owners[ref - 1];
}

}  // namespace

void Chain::save(StateWriter& w) const {
  const Impl& c = *impl_;
  if (c.status == Status::NeedGradient || c.phase != Impl::Phase::Idle)
    throw std::logic_error("Chain::save in the middle of a transition");
  w.tag("chain");
  w.i64(static_cast<int>(c.status));
  save_point(w, c.current);
  save_point(w, c.z);
  c.rng.save(w);
  c.ham.metric().save(w);
  w.f64(c.nom_eps);
  w.f64(c.eps);
  w.flag(c.adapt);
  w.flag(c.adapted);
  w.flag(c.adaptation != nullptr);
  if (c.adaptation) c.adaptation->save(w);
  w.f64(c.step.step_size);
  w.i64(c.step.steps);
  w.f64(c.step.alpha);
  w.f64(c.step.delta);
  w.flag(c.step.skip);
  w.flag(c.step.adapted);
  w.i64(span_ref(c.stats.q_init, c.current, c.z));
  w.i64(span_ref(c.stats.q_prop, c.current, c.z));
  w.i64(span_ref(c.stats.p_prop, c.current, c.z));
  w.f64(c.stats.accept_prob);
  w.flag(c.stats.divergent);
  w.flag(c.stats.moved);
  const TransitionInfo& i = c.info;
  for (double v : {i.lp, i.accept_stat, i.step_size, i.energy, i.int_time, i.damping}) w.f64(v);
  w.i64(i.treedepth);
  w.i64(i.n_leapfrog);
  w.flag(i.divergent);
  w.i64(c.iteration);
  w.i64(c.gradient_evals);
  w.str(c.failure);
  if (c.settings.algorithm == Algorithm::Meads) c.ghmc.save(w);
}

void Chain::check_saveable(const SamplerSettings& s, std::size_t dim) {
  // Each piece saves itself or says why not: the metric, and the adaptation with its estimators.
  std::vector<double> q(dim, 0.0);
  StateWriter w;
  Hamiltonian ham(initial_metric(s, dim));
  ham.metric().save(w);
  if (!is_ensemble(s.algorithm) && s.warmup > 0 && dim > 0) {
    std::unique_ptr<Adaptation> a = make_adaptation(s, dim);
    Point start;
    start.q = q;
    start.p = q;
    start.grad = q;
    a->init(start, ham, s.step_size);
    a->save(w);
  }
}

Chain Chain::restore(const SamplerSettings& settings, StateReader& r) {
  r.tag("chain");
  const auto status = static_cast<Status>(r.i64());
  if (status != Status::Draw && status != Status::Waiting && status != Status::Finished)
    throw StateError("saved chain: bad status");
  Point current = restore_point(r), z = restore_point(r);
  if (current.grad.size() != current.q.size() || current.bad)
    throw StateError("saved chain: bad current point");
  // The constructor sets up the pieces (metric, adaptation and its estimators) for these
  // settings; everything they hold is then overwritten by the saved state.
  Chain chain(settings, Rng(0, 0), current.q, current.logp, current.grad);
  Impl& c = *chain.impl_;
  c.rng.restore(r);
  c.ham.metric().restore(r);
  c.ham.refresh();
  c.current = std::move(current);
  c.z = std::move(z);
  c.phase = Impl::Phase::Idle;
  c.nom_eps = r.f64();
  c.eps = r.f64();
  c.adapt = r.flag();
  c.adapted = r.flag();
  if (r.flag() != (c.adaptation != nullptr)) throw StateError("saved chain: the adaptation does not match the settings");
  if (c.adaptation) c.adaptation->restore(r);
  c.step = EnsembleStep{};
  c.step.step_size = r.f64();
  c.step.steps = static_cast<int>(r.i64());
  c.step.alpha = r.f64();
  c.step.delta = r.f64();
  c.step.skip = r.flag();
  c.step.adapted = r.flag();
  if (c.settings.algorithm == Algorithm::Chees) c.hmc.set_steps(c.step.steps);
  const int q_init = static_cast<int>(r.i64()), q_prop = static_cast<int>(r.i64()), p_prop = static_cast<int>(r.i64());
  c.stats = EnsembleStats{};
  c.stats.q_init = span_of(q_init, c.current, c.z);
  c.stats.q_prop = span_of(q_prop, c.current, c.z);
  c.stats.p_prop = span_of(p_prop, c.current, c.z);
  c.stats.accept_prob = r.f64();
  c.stats.divergent = r.flag();
  c.stats.moved = r.flag();
  TransitionInfo& i = c.info;
  i = TransitionInfo{};
  for (double* v : {&i.lp, &i.accept_stat, &i.step_size, &i.energy, &i.int_time, &i.damping}) *v = r.f64();
  i.treedepth = static_cast<int>(r.i64());
  i.n_leapfrog = static_cast<int>(r.i64());
  i.divergent = r.flag();
  c.iteration = static_cast<int>(r.i64());
  c.gradient_evals = r.i64();
  c.failure = r.str();
  if (c.settings.algorithm == Algorithm::Meads) c.ghmc.restore(r);
  c.status = status;
  if (status == Status::Draw) c.next();  // the driver had written the draw
  return chain;
}

double Chain::step_size() const { return impl_->nom_eps; }
std::span<const double> Chain::inv_metric() const { return impl_->ham.inv_metric(); }
const Metric& Chain::metric() const { return impl_->ham.metric(); }
bool Chain::adapted() const { return impl_->adapted; }
std::int64_t Chain::gradient_evals() const { return impl_->gradient_evals; }
const std::string& Chain::failure() const { return impl_->failure; }

}  // namespace mcmc::sampler
