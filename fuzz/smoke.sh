#!/usr/bin/env bash
# Short bounded libFuzzer runs of both fuzz targets (side by side) on copies of the seed corpus; any finding fails.
# usage: fuzz/smoke.sh BUILD_DIR [SECONDS]   (BUILD_DIR configured with -DMCMC_FUZZ=ON, e.g. the sanitize preset)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: fuzz/smoke.sh BUILD_DIR [SECONDS]}
seconds=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# start NAME CORPUS DICT MAX_LEN: runs fuzz target NAME in the background, its log in $work/NAME.log.
pids=()
names=()
start() {
  local name=$1 corpus=$2 dict=$3 max_len=$4
  mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
  cp "fuzz/corpus/$corpus/"* "$work/$name/corpus/"
  "$build/fuzz/$name" "$work/$name/corpus" -dict="fuzz/$dict" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -max_len="$max_len" -artifact_prefix="$work/$name/artifacts/" -print_final_stats=1 \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

start fuzz_model model stan.dict 4096
start fuzz_data data json.dict 65536

failed=0
for i in "${!pids[@]}"; do
  name=${names[$i]}
  if wait "${pids[$i]}"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    cov=$(grep -o 'cov: [0-9]*' "$work/$name.log" | tail -1)
    echo "$name: no finding in ${runs:-?} inputs (${seconds} s, ${cov:-cov: ?})"
  else
    failed=1
    echo "$name: FINDING (libFuzzer log below; reproduce with $build/fuzz/$name <input>)"
    tail -n 60 "$work/$name.log"
    for f in "$work/$name/artifacts/"*; do
      [ -e "$f" ] || continue
      echo "--- $(basename "$f") (base64):"
      base64 "$f" | head -c 4000
      echo
    done
  fi
done
exit "$failed"
