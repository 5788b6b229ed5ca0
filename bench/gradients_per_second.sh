#!/usr/bin/env bash
# Gradients per second at many chains: the seed model (models/normal_logscale.stan, configs/seed-hmc-vmap.toml:
# static HMC, 64 steps of 1e-3, inverse metric (0.5, 0.01), no warm-up, every chain started at
# loc = 1, log_scale = 1), 4096 chains in vmap mode on 1 and 2 threads; NumPyro's anchor is the same
# run on an H100 GPU (4096 chains x 500 draws: 131 M gradients in 6.86 s, 19 M/s, JIT included).
# Gradients per second: the run's gradient evaluations over its sampling wall time (as `mcmc run`
# reports it: output writing included, model compilation and start-up not), and over the CPU time
# of the whole process (user + system: start-up included). On a shared machine the wall time
# measures the load, not the code: then M grad/cpu-s (per core busy) is the number to read, and
# threads x that is what the threads give on an idle machine when they scale. Each configuration
# runs REPEATS times (default 3) and the best (by CPU rate) is kept.
#
# The arithmetic limit it is measured against. One leapfrog step of this model per chain:
#  - the gradient: sigma^-2 = exp(-2 log_scale) (one exp, counted as 20 operations: a vectorized
#    exp is a degree-~11 polynomial plus range reduction), SS = S2 - 2 loc S1 + N loc^2 (5),
#    lp = log_scale - N log_scale - SS sigma^-2 / 2 (5), d/dloc = (S1 - N loc) sigma^-2 (3),
#    d/dlog_scale = 1 - N + SS sigma^-2 (3): 36 operations;
#  - the leapfrog: per coordinate p += h g twice and q += eps (m p) (7): 14;
#  - so F = 50 floating-point operations, and B = 112 bytes of chain state touched (q, p, g and
#    the inverse metric read, q, p, g written: 14 doubles), which stay in the core's cache.
# The core's peak: 4 vector pipes (2 add, 2 multiply on AMD Zen 3; no FMA: the build has
# -ffp-contract=off) of W doubles (W = 4 with AVX2, 8 with AVX-512F, from lscpu's flags) at the
# clock (lscpu's max MHz, else BogoMIPS / 2): peak = 4 W GHz operations per second per core, and
# the limit in gradients per second is peak / F per core. The ratio printed is the measured
# gradients per CPU-second over that per-core limit.
# Usage: [REPEATS=3] bench/gradients_per_second.sh [mcmc-binary] [chains] [draws]
#        (defaults: build/mcmc, 4096, 200)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
chains=${2:-4096}
draws=${3:-200}
repeats=${REPEATS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mhz=$(lscpu | awk -F: '/CPU max MHz/ {gsub(/ /, "", $2); print $2}')
[ -z "$mhz" ] && mhz=$(lscpu | awk -F: '/BogoMIPS/ {gsub(/ /, "", $2); print $2 / 2}')
width=2
grep -qw avx2 /proc/cpuinfo && width=4
grep -qw avx512f /proc/cpuinfo && width=8
flops=50
bytes=112
peak=$(awk -v m="$mhz" -v w="$width" 'BEGIN { printf "%.1f", 4 * w * m / 1000 }')  # GFLOP/s per core
limit=$(awk -v p="$peak" -v f="$flops" 'BEGIN { printf "%.0f", p * 1e9 / f }')     # gradients/s per core

printf '# %s, %s (%s cores), %s, %s chains x %s draws, seed model, static HMC 64 steps, vmap\n' \
  "$(date -u +%Y-%m-%d)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" \
  "$("$bin" --version 2>/dev/null | head -1 || echo mcmc)" "$chains" "$draws"
printf '# limit: %s flops and %s bytes per leapfrog step; peak %s GFLOP/s per core (%s MHz, %s doubles per vector, 4 pipes) = %s M gradients/s per core\n' \
  "$flops" "$bytes" "$peak" "$mhz" "$width" "$(awk -v l="$limit" 'BEGIN { printf "%.0f", l / 1e6 }')"
printf '| %7s | %12s | %10s | %10s | %8s | %14s | %14s | %10s |\n' threads gradients sampling_s 'M grad/s' cpu_s 'M grad/cpu-s' 'ns/grad/core' 'of limit'
printf '|---------|--------------|------------|------------|----------|----------------|----------------|------------|\n'
for threads in 1 2; do
  best=0
  for ((r = 0; r < repeats; ++r)); do
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$bin" run --config configs/seed-hmc-vmap.toml --chains "$chains" \
      --samples "$draws" --threads "$threads" --seed 1 --output "$tmp/out.csv" --format csv-long \
      > "$tmp/report.txt" 2> /dev/null
    s=$(awk '/ s sampling\)/ { for (i = 1; i < NF; ++i) if ($(i + 1) == "s" && $(i + 2) == "sampling)") print $i }' "$tmp/report.txt")
    g=$(awk '/^Gradient evaluations:/ { print $3 }' "$tmp/report.txt")
    c=$(awk '{ print $1 + $2 }' "$tmp/time")
    rate=$(awk -v g="$g" -v c="$c" 'BEGIN { printf "%.0f", g / c }')
    if [ "$rate" -gt "$best" ]; then best=$rate; bs=$s; bg=$g; bc=$c; fi
  done
  printf '| %7d | %12d | %10.3f | %10.1f | %8.2f | %14.1f | %14.1f | %9.1f%% |\n' "$threads" "$bg" "$bs" \
    "$(awk -v g="$bg" -v s="$bs" 'BEGIN { print g / s / 1e6 }')" "$bc" \
    "$(awk -v r="$best" 'BEGIN { print r / 1e6 }')" "$(awk -v r="$best" 'BEGIN { print 1e9 / r }')" \
    "$(awk -v r="$best" -v l="$limit" 'BEGIN { print 100 * r / l }')"
done
