// Text spellings of numbers for the output files: CmdStan's significant-digit style and round-trip JSON.
#include "io/number_format.hpp"

#include <charconv>
#include <cmath>

namespace mcmc::io {

namespace {

bool append_non_finite(std::string& out, double x, const char* nan, const char* inf, const char* neg_inf) {
  if (std::isnan(x)) {
    out += nan;
    return true;
  }
  if (std::isinf(x)) {
    out += x > 0 ? inf : neg_inf;
    return true;
  }
  return false;
}

}  // namespace

void append_value(std::string& out, double x, int sig_figs) {
  if (append_non_finite(out, x, "nan", "inf", "-inf")) return;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, sig_figs);
  out.append(buf, res.ptr);
}

void append_integer_value(std::string& out, double x) {
  if (std::isfinite(x) && std::abs(x) < 9.2e18 && x == std::trunc(x)) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(x));
    out.append(buf, res.ptr);
    return;
  }
  append_value(out, x, 17);
}

void append_json_number(std::string& out, double x) {
  if (append_non_finite(out, x, "\"NaN\"", "\"Inf\"", "\"-Inf\"")) return;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x);  // shortest round-trip representation
  out.append(buf, res.ptr);
}

std::string format_value(double x, int sig_figs) {
  std::string s;
  append_value(s, x, sig_figs);
  return s;
}

std::string format_json_number(double x) {
  std::string s;
  append_json_number(s, x);
  return s;
}

}  // namespace mcmc::io
