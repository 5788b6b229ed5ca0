// nutpie's gradient-based adaptation (nuts-rs GlobalStrategy): the metric from draws and gradients,
// refreshed continuously from a foreground estimator while a background one fills and takes over;
// the step size by dual averaging throughout, a final window with the metric fixed. Unlike nuts-rs,
// the metric starts as given (the identity) and is first estimated after Stan's initial buffer:
// estimates from a chain still falling out of the tails of uniform(-2, 2) inits sent two of four
// chains of posteriordb's lotka_volterra into a local mode (lp__ -12 against 28) for good.
#include <algorithm>
#include <cmath>

#include "sampler/adaptation.hpp"
#include "sampler/metric_util.hpp"
#include "sampler/stepsize_adaptation.hpp"

namespace mcmc::sampler {

namespace {

constexpr double kEarlyWindow = 0.3;    // share of warm-up with frequent estimator switches
constexpr double kStepSizeWindow = 0.15;  // final share: metric fixed, step size only
constexpr int kEarlySwitch = 10;        // draws in the background estimator before it takes over (early)
constexpr int kLateSwitch = 80;         // ... afterwards
constexpr double kInitBufferShare = 0.15;  // the initial buffer is at most this share of warm-up

class GradientAdaptation final : public Adaptation {
 public:
  explicit GradientAdaptation(const SamplerSettings& s)
      : adapt_metric_(s.adapt_metric), dual_averaging_(s.delta, s.gamma, s.kappa, s.t0),
        early_end_(static_cast<int>(kEarlyWindow * s.warmup)),
        buffer_(std::min(s.init_buffer, static_cast<int>(kInitBufferShare * s.warmup))),
        final_start_(s.warmup - static_cast<int>(kStepSizeWindow * s.warmup)) {}

  /// The metric starts as given (the identity unless --inv-mass): nutpie's first guess, the
  /// inverse absolute gradient at the initial point, is a poor one far out in the tails.
  void init(const Point&, Hamiltonian& ham, double step_size) override {
    dual_averaging_.set_mu(std::log(10 * step_size));
    dual_averaging_.restart();
    if (!adapt_metric_) return;
    foreground_ = ham.metric().estimator("gradient");
    background_ = ham.metric().estimator("gradient");
  }

  void searched(double step_size, bool) override {
    dual_averaging_.set_mu(std::log(10 * step_size));
    dual_averaging_.restart();
  }

  AdaptStep update(int iteration, const Point& current, double accept_stat, Hamiltonian& ham) override {
    AdaptStep out;
    out.step_size = dual_averaging_.learn(accept_stat);
    if (iteration == final_start_) {  // the metric is final: the step size adapts to it alone
      out.search = adapt_metric_;
      return out;
    }
    if (!adapt_metric_ || iteration > final_start_ || iteration < buffer_ || current.bad) return out;
    foreground_->add(current.q, current.grad);
    background_->add(current.q, current.grad);
    const int switch_at = iteration < early_end_ ? kEarlySwitch : kLateSwitch;
    bool refresh = iteration - last_update_ >= foreground_->refresh_interval();
    if (static_cast<int>(background_->count()) >= switch_at && switch_at + iteration <= final_start_) {
      std::swap(foreground_, background_);
      background_->restart();
      refresh = true;
    }
    if (!refresh) return out;
    last_update_ = iteration;
    const bool finite = foreground_->update(ham.metric());
    ham.refresh();
    if (!finite) {
      out.failure = "Numerical overflow in metric adaptation: the draws or gradients are not finite";
      return out;
    }
    if (first_change_ && foreground_->count() >= 3) {  // the first real estimate: search a step size for it
      first_change_ = false;
      out.search = true;
    }
    return out;
  }

  double finish() override { return dual_averaging_.final_stepsize(); }

 private:
  bool adapt_metric_;
  DualAveraging dual_averaging_;
  int early_end_, buffer_, final_start_;
  int last_update_ = 0;
  bool first_change_ = true;
  std::unique_ptr<MetricEstimator> foreground_, background_;
};

}  // namespace

std::unique_ptr<Adaptation> make_gradient_adaptation(const SamplerSettings& s, std::size_t) {
  return std::make_unique<GradientAdaptation>(s);
}

}  // namespace mcmc::sampler
