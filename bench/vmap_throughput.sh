#!/usr/bin/env bash
# Lockstep batching versus one chain after another, on one thread: static HMC (every chain takes
# the same number of leapfrog steps) on the eight-schools non-centered model, 256 chains.
# Prints gradient evaluations per second of each and their ratio.
# Usage: bench/vmap_throughput.sh [mcmc-binary] [chains] [steps] [samples]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
chains=${2:-256}
steps=${3:-64}
samples=${4:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=models/eight_schools_noncentered.stan
data=models/eight_schools_noncentered.data.json

printf '# %s, %s (%s cores), 1 thread, %s chains, static HMC %s steps of 0.1, %s draws, no warm-up\n' \
  "$(date -u +%Y-%m-%d)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" \
  "$chains" "$steps" "$samples"
printf '%-9s %10s %10s %12s %14s\n' mode wall_s cpu_s gradients grad/s
declare -A rate
for mode in parallel vmap; do
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" run "$model" --data "$data" --algorithm hmc \
    --steps "$steps" --step-size 0.1 --warmup 0 --samples "$samples" --chains "$chains" --threads 1 \
    --mode "$mode" --seed 1 --quiet --format json --output "$tmp/$mode.json" >/dev/null
  read -r wall user sys < "$tmp/time"
  grads=$(python3 -c "import json,sys; d=json.load(open('$tmp/$mode.json')); print(sum(c['footer']['gradient_evaluations'] for c in d['chains']))")
  r=$(awk -v g="$grads" -v w="$wall" 'BEGIN { printf "%.0f", g / w }')
  rate[$mode]=$r
  printf '%-9s %10.3f %10.3f %12d %14d\n' "$mode" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$grads" "$r"
done
awk -v v="${rate[vmap]}" -v p="${rate[parallel]}" 'BEGIN { printf "vmap / one-after-another gradient throughput: %.2fx\n", v / p }'
