// Quantile functions of the normal and beta distributions, accurate to about machine precision.
#pragma once

namespace mcmc::diag {

/// Standard normal quantile (R's qnorm: Wichura's algorithm AS 241). NaN outside [0, 1].
double qnorm(double p);

/// Regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
double pbeta(double x, double a, double b);

/// Beta quantile: the x with I_x(a, b) = p, for a, b > 0 (R's qbeta to about 1e-15).
double qbeta(double p, double a, double b);

}  // namespace mcmc::diag
