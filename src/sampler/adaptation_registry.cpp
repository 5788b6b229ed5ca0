// The registry of warm-up adaptations: one line per adaptation (its file defines the factory).
#include <stdexcept>

#include "sampler/adaptation.hpp"

namespace mcmc::sampler {

std::unique_ptr<Adaptation> make_windowed_adaptation(const SamplerSettings&, std::size_t);
std::unique_ptr<Adaptation> make_gradient_adaptation(const SamplerSettings&, std::size_t);

namespace {
const AdaptationKind kAdaptations[] = {
    {"stan", "Stan's windowed adaptation (doubling windows of draw (co)variances)", make_windowed_adaptation},
    {"gradient", "nutpie's: draw and gradient variances, foreground and background windows, continuous updates",
     make_gradient_adaptation},
};
}  // namespace

std::span<const AdaptationKind> adaptation_kinds() { return kAdaptations; }

std::unique_ptr<Adaptation> make_adaptation(const SamplerSettings& s, std::size_t dim) {
  for (const AdaptationKind& k : kAdaptations)
    if (s.adapt == k.name) return k.make(s, dim);
  throw std::invalid_argument("unknown adaptation '" + s.adapt + "'");
}

}  // namespace mcmc::sampler
