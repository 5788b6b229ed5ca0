// Text spellings of numbers for the output files: CmdStan's significant-digit style and round-trip JSON.
#pragma once

#include <cstdint>
#include <string>

namespace mcmc::io {

/// Appends `x` as CmdStan writes values to a stream with precision `sig_figs` (printf "%.{sig_figs}g"
/// style: 0.243678, -6.74827, 1e-05), with non-finite values spelled "nan", "inf", "-inf".
void append_value(std::string& out, double x, int sig_figs);

/// Appends an integer-valued column entry (treedepth__, n_leapfrog__, divergent__) without an
/// exponent; non-integral or non-finite values fall back to append_value(x, 17).
void append_integer_value(std::string& out, double x);

/// Appends `x` as a JSON value: the shortest decimal that reads back to the same double, or the
/// strings "NaN", "Inf", "-Inf" (Stan's JSON convention) for non-finite values.
void append_json_number(std::string& out, double x);

/// Convenience wrappers returning a new string.
std::string format_value(double x, int sig_figs);
std::string format_json_number(double x);

}  // namespace mcmc::io
