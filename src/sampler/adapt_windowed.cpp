// Stan's windowed adaptation: dual averaging of the step size, the metric estimated at the end of
// each doubling window (after an init buffer, before a term buffer), step size searched again.
#include <cmath>

#include "sampler/adaptation.hpp"
#include "sampler/stepsize_adaptation.hpp"
#include "sampler/windows.hpp"

namespace mcmc::sampler {

namespace {

class WindowedAdaptation final : public Adaptation {
 public:
  explicit WindowedAdaptation(const SamplerSettings& s)
      : adapt_metric_(s.adapt_metric), dual_averaging_(s.delta, s.gamma, s.kappa, s.t0),
        schedule_(build_schedule(s.warmup, s.init_buffer, s.term_buffer, s.window)) {}

  void init(const Point&, Hamiltonian& ham, double step_size) override {
    if (adapt_metric_) estimator_ = ham.metric().estimator("stan");
    dual_averaging_.set_mu(std::log(10 * step_size));
    dual_averaging_.restart();
  }

  void searched(double step_size, bool initial) override {
    if (initial) return;  // Stan keeps mu from the user's step size until the first window ends
    dual_averaging_.set_mu(std::log(10 * step_size));
    dual_averaging_.restart();
  }

  AdaptStep update(int iteration, const Point& current, double accept_stat, Hamiltonian& ham) override {
    AdaptStep out;
    out.step_size = dual_averaging_.learn(accept_stat);
    if (!estimator_) return out;
    if (schedule_.collects(iteration)) estimator_->add(current.q, current.grad);
    if (schedule_.ends_window(iteration)) {
      const bool finite = estimator_->update(ham.metric());
      ham.refresh();
      if (!finite) {
        out.failure = "Numerical overflow in metric adaptation. This occurs when the sampler encounters "
                      "extreme values on the unconstrained space; this may happen when the posterior "
                      "density function is too wide or improper. There may be problems with your model "
                      "specification.";
        return out;
      }
      estimator_->restart();
      out.search = true;
    }
    return out;
  }

  double finish() override { return dual_averaging_.final_stepsize(); }

  void save(StateWriter& w) const override {
    w.tag("windowed_adaptation");
    dual_averaging_.save(w);
    w.flag(estimator_ != nullptr);
    if (estimator_) estimator_->save(w);
  }
  // The estimator itself is made by init() (from the metric), which restore runs after.
  void restore(StateReader& r) override {
    r.tag("windowed_adaptation");
    dual_averaging_.restore(r);
    if (r.flag() != (estimator_ != nullptr)) throw StateError("saved adaptation does not match the settings");
    if (estimator_) estimator_->restore(r);
  }

 private:
  bool adapt_metric_;
  DualAveraging dual_averaging_;
  WindowSchedule schedule_;
  std::unique_ptr<MetricEstimator> estimator_;
};

}  // namespace

std::unique_ptr<Adaptation> make_windowed_adaptation(const SamplerSettings& s, std::size_t) {
  return std::make_unique<WindowedAdaptation>(s);
}

}  // namespace mcmc::sampler
