// Nested R-hat (Margossian, Hoffman, Sountsov, Riou-Durand, Vehtari & Gelman 2024) for many short chains.
#pragma once

#include "diag/diagnostics.hpp"

namespace mcmc::diag {

/// Nested R-hat of one quantity: the chains, in order, form `superchains` consecutive groups of
/// M = chains / superchains chains (the count must divide the number of chains, K >= 2).
///     nR = sqrt(1 + B / W),  B = var over superchains of their means (divisor K - 1),
///     W = mean over superchains of (B_k + W_k), B_k = var of the superchain's chain means
///     (divisor M - 1; 0 when M = 1), W_k = mean within-chain variance (divisor N - 1; 0 when N = 1).
/// Unlike split R-hat it stays informative with a handful of draws per chain. NaN when W = 0 or a
/// draw is not finite; throws std::invalid_argument for an impossible grouping.
double nested_rhat(const Chains& x, int superchains);

}  // namespace mcmc::diag
