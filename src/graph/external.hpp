// A vector function of vector arguments evaluated outside the graph's own kernels (an ODE solution): values and Jacobian.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace mcmc::graph {

/// What an External node computes. The graph passes the values of the node's arguments
/// concatenated (in argument order) and reads back the outputs and, for the reverse sweep, their
/// Jacobian. Shared by every evaluator (threads, lockstep chains): eval must be thread-safe.
class External {
 public:
  virtual ~External() = default;
  /// Number of outputs.
  virtual std::uint32_t output_size() const = 0;
  /// Number of inputs (the sum of the argument sizes).
  virtual std::uint32_t input_size() const = 0;
  /// out: output_size() values; jac (null when not wanted): output_size() x input_size(),
  /// row-major. Returns false when the function cannot be evaluated at `in` (the point is then
  /// rejected, as a failed check); then `error`, when given, says why.
  virtual bool eval(std::span<const double> in, std::span<double> out, double* jac, std::string* error) const = 0;
  /// What it is, for messages ("ode_rk45").
  virtual const char* name() const = 0;
};

}  // namespace mcmc::graph
