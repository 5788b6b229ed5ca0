// posteriordb's parameter names ("theta[1]", "a[2,3]") as Stan CSV columns ("theta.1", "a.2.3"), for the reference checks.
#pragma once

#include <string>

namespace mcmc::testing {

inline std::string csv_name(std::string n) {
  for (char& c : n)
    if (c == '[' || c == ',') c = '.';
  if (!n.empty() && n.back() == ']') n.pop_back();
  return n;
}

}  // namespace mcmc::testing
