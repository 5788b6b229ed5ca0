// The registry of metrics: one line per metric (its file defines the factory).
#include <stdexcept>

#include "sampler/metric.hpp"

namespace mcmc::sampler {

std::unique_ptr<Metric> make_diag_metric(std::size_t, std::span<const double>);
std::unique_ptr<Metric> make_dense_metric(std::size_t, std::span<const double>);
std::unique_ptr<Metric> make_lowrank_metric(std::size_t, std::span<const double>);

namespace {
const MetricKind kMetrics[] = {
    {"diag", "diagonal (Stan's diag_e)", make_diag_metric},
    {"dense", "dense (Stan's dense_e)", make_dense_metric},
    {"lowrank", "diagonal plus low-rank (nutpie's)", make_lowrank_metric},
};
}  // namespace

std::span<const MetricKind> metric_kinds() { return kMetrics; }

std::unique_ptr<Metric> make_metric(const std::string& name, std::size_t dim, std::span<const double> elements) {
  for (const MetricKind& k : kMetrics)
    if (name == k.name) return k.make(dim, elements);
  throw std::invalid_argument("unknown metric '" + name + "'");
}

}  // namespace mcmc::sampler
