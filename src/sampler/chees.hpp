// ChEES-HMC (Hoffman, Radul & Sountsov 2021) as an Ensemble: see chees.cpp for the adaptation.
#pragma once

#include <memory>

#include "sampler/ensemble.hpp"

namespace mcmc::sampler {

std::unique_ptr<Ensemble> make_chees(const SamplerSettings& settings, std::size_t dim);

}  // namespace mcmc::sampler
