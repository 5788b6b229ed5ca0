// MEADS (Hoffman & Sountsov 2022) as an Ensemble: see meads.cpp for the fold-wise adaptation.
#pragma once

#include <memory>

#include "sampler/ensemble.hpp"

namespace mcmc::sampler {

/// Throws mcmc::Error(Usage) when there are fewer than 2 * folds chains or fewer than 2 folds.
std::unique_ptr<Ensemble> make_meads(const SamplerSettings& settings, int num_chains, std::size_t dim);

}  // namespace mcmc::sampler
