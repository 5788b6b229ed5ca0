// What this build is: the version (CMake's project VERSION) and the git commit it was built from.
#pragma once

#include <string>

namespace mcmc {

/// "0.1.0": the project VERSION in CMakeLists.txt.
const char* build_version();
/// The full hash of the git commit the binary was built from, or "unknown" (not built from a git checkout).
const char* build_commit();
/// "mcmc 0.1.0 (commit 0123abc...)": what `mcmc --version` prints.
std::string build_description();

}  // namespace mcmc
