// libFuzzer target: any byte string through the Stan JSON data reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/data.hpp"
#include "util/error.hpp"

// A user error (mcmc::Error) is the expected answer to bad input; anything else escaping, a crash,
// a sanitizer report or a hang is a bug.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)mcmc::io::parse_data_json(text, "fuzz.json");
  } catch (const mcmc::Error&) {
  }
  return 0;
}
