// One NUTS transition (Stan's base_nuts, multinomial, with the 2.23+ extra U-turn checks) as a
// state machine that asks for one leapfrog step at a time.
#pragma once

#include <optional>
#include <vector>

#include "sampler/hamiltonian.hpp"
#include "sampler/rng.hpp"

namespace mcmc::sampler {

struct NutsResult {
  Point sample;
  double accept_stat = 0;
  double energy = 0;
  int depth = 0;
  int n_leapfrog = 0;
  bool divergent = false;
};

/// Protocol: `start` samples the momentum and returns the signed step of the first leapfrog of
/// the integration point `z`; after the caller has integrated `z` (gradient included) it calls
/// `on_leapfrog`, which returns the next signed step or nullopt when the transition is over
/// (then `result()` holds the draw). Between the calls the caller advances `z` by that one step.
class NutsTransition {
 public:
  NutsTransition(int max_depth, double max_delta_h) : max_depth_(max_depth), max_delta_h_(max_delta_h) {}

  std::optional<double> start(Point& z, Rng& rng, const Hamiltonian& ham, double eps);
  std::optional<double> on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham);
  const NutsResult& result() const { return result_; }

 private:
  // A completed subtree (or leaf) as build_tree leaves it for its parent.
  struct Subtree {
    Point propose;
    double log_sum_weight = 0;
    std::vector<double> rho, p_beg, p_end, p_sharp_beg, p_sharp_end;
  };

  std::optional<double> begin_subtree(Point& z, Rng& rng);
  std::optional<double> finish_subtree(bool valid, Point& z, Rng& rng);
  bool merge(const Subtree& init, Subtree& final_, Rng& rng);
  std::optional<double> finish();

  int max_depth_;
  double max_delta_h_;
  double eps_ = 0;

  Point z_fwd_, z_bck_, z_sample_;
  std::vector<double> p_fwd_fwd_, p_sharp_fwd_fwd_, p_fwd_bck_, p_sharp_fwd_bck_;
  std::vector<double> p_bck_fwd_, p_sharp_bck_fwd_, p_bck_bck_, p_sharp_bck_bck_;
  std::vector<double> rho_, rho_fwd_, rho_bck_, tmp_, scratch_;
  double log_sum_weight_ = 0, H0_ = 0, sum_metro_prob_ = 0;
  int n_leapfrog_ = 0, depth_ = 0;
  bool divergent_ = false;

  // The subtree being built: direction, depth, completed left siblings per level.
  bool forward_ = true;
  std::vector<Subtree> pending_;
  std::vector<char> has_pending_;
  Subtree leaf_;

  NutsResult result_;
};

}  // namespace mcmc::sampler
