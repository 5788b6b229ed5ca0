#!/usr/bin/env bash
# On a machine with another CPU-bound process running, compares --threads 2 with --threads 1
# (wall seconds, best of REPS) for ChEES, MEADS and NUTS in vmap mode: 2 threads must never be slower.
# Usage: bench/threads_under_load.sh [mcmc-binary]   (default build/mcmc). HOGS (default 1): busy
# processes started beside the runs. REPS (default 5). Writes bench/results/threads_under_load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/mcmc}")
reps=${REPS:-5}
hogs=${HOGS:-1}
model=tests/data/conformance/eight_schools-eight_schools_noncentered.stan
data=tests/data/posteriordb/eight_schools-eight_schools_noncentered.data.json
out=bench/results/threads_under_load.md
pids=()
for _ in $(seq "$hogs"); do (while :; do :; done) & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
once() {  # wall seconds of one run of mcmc with the given options
  local s e
  s=$(date +%s.%N)
  "$bin" run "$model" --data "$data" --seed 1 --mode vmap -q "$@" >/dev/null 2>&1
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
{
  echo "# --threads 2 against --threads 1 beside $hogs busy process(es)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD), binary $bin, best of $reps runs."
  echo "Eight schools (non-centred), vmap mode, seed 1. Wall seconds."
  echo
  echo "| sampler | chains | iterations | --threads 1 | --threads 2 | ratio (2 / 1) |"
  echo "|---|---:|---|---:|---:|---:|"
} > "$out"
while read -r name chains opts; do
  t1="" t2=""
  for _ in $(seq "$reps"); do  # alternated, so that a change in the load hits both alike
    # shellcheck disable=SC2086
    t1=$(min "$t1" "$(once --chains "$chains" $opts --threads 1)")
    # shellcheck disable=SC2086
    t2=$(min "$t2" "$(once --chains "$chains" $opts --threads 2)")
  done
  iters=$(echo "$opts" | sed 's/--algorithm [a-z]* *//')
  printf '| %s | %s | %s | %.3f | %.3f | %.2f |\n' "$name" "$chains" "$iters" "$t1" "$t2" "$(echo "$t2 / $t1" | bc -l)" >> "$out"
done <<'CASES'
ChEES 4096 --algorithm chees --warmup 200 --samples 20
ChEES 64 --algorithm chees --warmup 1000 --samples 1000
MEADS 256 --algorithm meads --warmup 2000 --samples 100
NUTS 64 --algorithm nuts --warmup 500 --samples 500
CASES
cat "$out"
