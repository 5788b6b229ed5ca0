// libFuzzer target: any byte string through the model front end (parse + semantic checks).
#include <cstddef>
#include <cstdint>
#include <string>

#include "lang/frontend.hpp"
#include "util/error.hpp"

// A user error (mcmc::Error) is the expected answer to bad input; anything else escaping, a crash,
// a sanitizer report, a hang or a stack overflow is a bug.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string source(reinterpret_cast<const char*>(data), size);
  try {
    (void)mcmc::lang::parse_and_check("fuzz.stan", source);
  } catch (const mcmc::Error&) {
  }
  return 0;
}
