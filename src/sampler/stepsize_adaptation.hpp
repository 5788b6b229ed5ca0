// Nesterov dual averaging of log(step size), as Stan's stepsize_adaptation.
#pragma once

#include <cmath>

#include "util/state_io.hpp"

namespace mcmc::sampler {

class DualAveraging {
 public:
  DualAveraging(double delta, double gamma, double kappa, double t0)
      : delta_(delta), gamma_(gamma), kappa_(kappa), t0_(t0) {}

  void set_mu(double mu) { mu_ = mu; }
  void restart() {
    counter_ = 0;
    s_bar_ = 0;
    x_bar_ = 0;
  }

  /// One update from a transition's acceptance statistic; returns the new step size.
  double learn(double accept_stat) {
    ++counter_;
    accept_stat = accept_stat > 1 ? 1 : accept_stat;
    const double eta = 1.0 / (counter_ + t0_);
    s_bar_ = (1.0 - eta) * s_bar_ + eta * (delta_ - accept_stat);
    const double x = mu_ - s_bar_ * std::sqrt(counter_) / gamma_;
    const double x_eta = std::pow(counter_, -kappa_);
    x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
    return std::exp(x);
  }

  /// The step size at the end of warm-up.
  double final_stepsize() const { return std::exp(x_bar_); }

  /// --checkpoint: mu and the running averages (the constants come from the settings).
  void save(StateWriter& w) const {
    w.tag("dual_averaging");
    for (double v : {mu_, counter_, s_bar_, x_bar_}) w.f64(v);
  }
  void restore(StateReader& r) {
    r.tag("dual_averaging");
    for (double* v : {&mu_, &counter_, &s_bar_, &x_bar_}) *v = r.f64();
  }

 private:
  double delta_, gamma_, kappa_, t0_;
  double mu_ = 0.5;
  double counter_ = 0, s_bar_ = 0, x_bar_ = 0;
};

}  // namespace mcmc::sampler
