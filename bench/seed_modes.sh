#!/usr/bin/env bash
# Reproduces the seed page's comparison on the seed model (configs/seed-*.toml: no warm-up, step
# size 1e-3, inverse metric 0.5,0.01, 2000 draws, every chain started at loc = 1, log_scale = 1):
# NUTS and static HMC, chains in lockstep (--mode vmap) versus independent OpenMP chains
# (--mode parallel), all measured in one run.
# Usage: bench/seed_modes.sh [mcmc-binary] [chains] [threads]   (defaults: build/mcmc, 4, all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
chains=${2:-4}
threads=${3:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '# %s, %s (%s cores), chains=%s, threads=%s\n' "$(date -u +%Y-%m-%d)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" "$chains" "$threads"
printf '| %-8s | %-9s | %6s | %7s | %8s | %11s | %14s | %13s | %13s |\n' mode algorithm chains threads wall_s gradients 'ns/grad/core' 'lockstep eff.' 'vmap/parallel'
printf '|----------|-----------|--------|---------|----------|-------------|----------------|---------------|---------------|\n'
for algo in nuts hmc; do
  pwall=0
  # parallel on every thread; vmap as on the seed page (one lockstep group, one thread); vmap with
  # one lockstep group per thread.
  for run in parallel:$threads vmap:1 vmap:$threads; do
    mode=${run%%:*}
    t=${run##*:}
    [ "$run" = "vmap:$threads" ] && [ "$threads" = 1 ] && continue
    cfg=configs/seed-$mode.toml
    [ "$algo" = hmc ] && cfg=configs/seed-hmc-$mode.toml
    /usr/bin/time -f '%e' -o "$tmp/time" "$bin" run --config "$cfg" --chains "$chains" --threads "$t" \
      --seed 1 --quiet --output "$tmp/$algo-$mode-$t.csv" >/dev/null
    wall=$(cat "$tmp/time")
    files=("$tmp/$algo-$mode-$t"_*.csv)
    grads=$(cat "${files[@]}" | awk '/^# gradient_evaluations/ {s += $4} END {print s}')
    used=$t
    [ "$used" -gt "$chains" ] && used=$chains
    per=$(awk -v w="$wall" -v u="$used" -v g="$grads" 'BEGIN { printf "%.1f", w * u * 1e9 / g }')
    eff=-
    ratio=-
    if [ "$mode" = vmap ]; then
      # Every chain of a group reports the group's paid / useful counts: add each group once.
      eff=$(cat "${files[@]}" | awk '/^# lockstep_group/ {g = $4} /^# lockstep_paid/ {p[g] = $4} /^# lockstep_useful/ {u[g] = $4}
        END { for (k in p) { P += p[k]; U += u[k] } if (P > 0) printf "%.3f", U / P; else print "-" }')
      ratio=$(awk -v v="$wall" -v p="$pwall" 'BEGIN { printf "%.2f", v / p }')
    else
      pwall=$wall
    fi
    printf '| %-8s | %-9s | %6s | %7s | %8.2f | %11d | %14s | %13s | %13s |\n' "$mode" "$algo" "$chains" "$t" "$wall" "$grads" "$per" "$eff" "$ratio"
  done
done
