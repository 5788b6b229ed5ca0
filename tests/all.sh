#!/usr/bin/env bash
# The whole test suite (the README's second command): Release build + every test; clang ASan/UBSan build + the tests labelled 'sanitize'; each fuzz target for 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
fuzz_seconds=${MCMC_FUZZ_SECONDS:-30}

echo "== Release build (build/), every test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure

echo "== (${SECONDS} s) clang, AddressSanitizer + UndefinedBehaviorSanitizer (build-sanitize/): the tests labelled 'sanitize'"
cmake --preset sanitize
cmake --build --preset sanitize -j"$jobs"
ctest --preset sanitize -j"$jobs"

echo "== (${SECONDS} s) libFuzzer (build-sanitize/fuzz/): ${fuzz_seconds} s per target"
fuzz/smoke.sh build-sanitize "$fuzz_seconds"
echo "== (${SECONDS} s) all tests passed"
