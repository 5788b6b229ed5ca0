// NUTS transition as an explicit state machine reproducing Stan's recursive base_nuts.
#include "sampler/nuts.hpp"

#include <limits>

namespace mcmc::sampler {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

void add(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& out) {
  out.resize(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] + b[i];
}
}  // namespace

std::optional<double> NutsTransition::start(Point& z, Rng& rng, const Hamiltonian& ham, double eps) {
  eps_ = eps;
  ham.sample_p(z, rng);
  z_fwd_ = z;
  z_bck_ = z;
  z_sample_ = z;
  p_fwd_fwd_ = z.p;
  ham.p_sharp(z.p, p_sharp_fwd_fwd_);
  p_fwd_bck_ = z.p;
  p_sharp_fwd_bck_ = p_sharp_fwd_fwd_;
  p_bck_fwd_ = z.p;
  p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
  p_bck_bck_ = z.p;
  p_sharp_bck_bck_ = p_sharp_fwd_fwd_;
  rho_ = z.p;
  log_sum_weight_ = 0;  // log(exp(H0 - H0))
  H0_ = ham.energy(z);
  n_leapfrog_ = 0;
  sum_metro_prob_ = 0;
  depth_ = 0;
  divergent_ = false;
  if (static_cast<int>(pending_.size()) < max_depth_) pending_.resize(max_depth_);
  has_pending_.assign(pending_.size(), 0);
  return begin_subtree(z, rng);
}

std::optional<double> NutsTransition::begin_subtree(Point& z, Rng& rng) {
  if (depth_ >= max_depth_) return finish();
  forward_ = rng.uniform() > 0.5;
  if (forward_) {
    z = z_fwd_;
    p_bck_fwd_ = p_fwd_fwd_;
    p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
  } else {
    z = z_bck_;
    p_fwd_bck_ = p_bck_bck_;
    p_sharp_fwd_bck_ = p_sharp_bck_bck_;
  }
  std::fill(has_pending_.begin(), has_pending_.end(), 0);
  return forward_ ? eps_ : -eps_;
}

std::optional<double> NutsTransition::on_leapfrog(Point& z, Rng& rng, const Hamiltonian& ham) {
  // Base case of build_tree: the leaf just integrated.
  ++n_leapfrog_;
  const double h = ham.energy(z);  // NaN already mapped to +inf
  if (h - H0_ > max_delta_h_) divergent_ = true;
  leaf_.log_sum_weight = log_sum_exp(-kInf, H0_ - h);
  if (H0_ - h > 0)
    sum_metro_prob_ += 1;
  else
    sum_metro_prob_ += std::exp(H0_ - h);
  leaf_.propose = z;
  ham.p_sharp(z.p, leaf_.p_sharp_beg);
  leaf_.p_sharp_end = leaf_.p_sharp_beg;
  leaf_.rho = z.p;
  leaf_.p_beg = z.p;
  leaf_.p_end = z.p;
  if (divergent_) return finish_subtree(false, z, rng);

  // Post-order merges: a completed left sibling at each level combines with the new right one.
  int level = 0;
  while (level < depth_ && has_pending_[level]) {
    has_pending_[level] = 0;
    const bool valid = merge(pending_[level], leaf_, rng);
    ++level;
    if (!valid) return finish_subtree(false, z, rng);
  }
  if (level == depth_) return finish_subtree(true, z, rng);
  std::swap(pending_[level], leaf_);
  has_pending_[level] = 1;
  return forward_ ? eps_ : -eps_;
}

bool NutsTransition::merge(const Subtree& init, Subtree& fin, Rng& rng) {
  const double log_sum_weight_subtree = log_sum_exp(init.log_sum_weight, fin.log_sum_weight);
  bool take_final = true;
  if (!(fin.log_sum_weight > log_sum_weight_subtree)) {
    const double accept_prob = std::exp(fin.log_sum_weight - log_sum_weight_subtree);
    take_final = rng.uniform() < accept_prob;
  }
  if (!take_final) fin.propose = init.propose;

  std::vector<double>& rho_subtree = scratch_;
  add(init.rho, fin.rho, rho_subtree);
  bool persist = no_u_turn(init.p_sharp_beg, fin.p_sharp_end, rho_subtree);
  add(init.rho, fin.p_beg, tmp_);
  persist &= no_u_turn(init.p_sharp_beg, fin.p_sharp_beg, tmp_);
  add(fin.rho, init.p_end, tmp_);
  persist &= no_u_turn(init.p_sharp_end, fin.p_sharp_end, tmp_);

  std::swap(fin.rho, rho_subtree);
  fin.log_sum_weight = log_sum_exp(-kInf, log_sum_weight_subtree);
  fin.p_beg = init.p_beg;
  fin.p_sharp_beg = init.p_sharp_beg;
  return persist;
}

std::optional<double> NutsTransition::finish_subtree(bool valid, Point& z, Rng& rng) {
  if (forward_)
    z_fwd_ = z;
  else
    z_bck_ = z;
  if (!valid) return finish();

  const Subtree& sub = leaf_;  // the completed top subtree
  if (forward_) {
    p_sharp_fwd_bck_ = sub.p_sharp_beg;
    p_sharp_fwd_fwd_ = sub.p_sharp_end;
    p_fwd_bck_ = sub.p_beg;
    p_fwd_fwd_ = sub.p_end;
    rho_bck_ = rho_;
    rho_fwd_ = sub.rho;
  } else {
    p_sharp_bck_fwd_ = sub.p_sharp_beg;
    p_sharp_bck_bck_ = sub.p_sharp_end;
    p_bck_fwd_ = sub.p_beg;
    p_bck_bck_ = sub.p_end;
    rho_fwd_ = rho_;
    rho_bck_ = sub.rho;
  }

  ++depth_;
  if (sub.log_sum_weight > log_sum_weight_) {
    z_sample_ = sub.propose;
  } else {
    const double accept_prob = std::exp(sub.log_sum_weight - log_sum_weight_);
    if (rng.uniform() < accept_prob) z_sample_ = sub.propose;
  }
  log_sum_weight_ = log_sum_exp(log_sum_weight_, sub.log_sum_weight);

  add(rho_bck_, rho_fwd_, rho_);
  bool persist = no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_fwd_, rho_);
  add(rho_bck_, p_fwd_bck_, tmp_);
  persist &= no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_bck_, tmp_);
  add(rho_fwd_, p_bck_fwd_, tmp_);
  persist &= no_u_turn(p_sharp_bck_fwd_, p_sharp_fwd_fwd_, tmp_);
  if (!persist) return finish();
  return begin_subtree(z, rng);
}

std::optional<double> NutsTransition::finish() {
  result_.n_leapfrog = n_leapfrog_;
  result_.depth = depth_;
  result_.divergent = divergent_;
  result_.accept_stat = sum_metro_prob_ / static_cast<double>(n_leapfrog_);
  result_.sample = z_sample_;
  return std::nullopt;
}

}  // namespace mcmc::sampler
