#!/usr/bin/env bash
# Warm starts (issue 16): a first run with the defaults saves its adapted metric (--save-metric);
# a second run with a different seed starts from chain 1's metric and step size (--metric-file) with
# `--warmup 100` (step size only). Per conformance model and seed: the min bulk ESS over the
# parameters of both runs (draws only, 4 chains x 1000), their ratio, and the second run's max
# R-hat, from `mcmc run`'s own summary. The mean ratio over the seeds is what the issue's "at least
# 90% of the first run's ESS" is checked against (a single seed's min ESS varies by ~10-15%).
# Usage: bench/warm_start.sh [mcmc-binary]   (SEEDS, default "1 2 3"; writes bench/results/warm_start.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
seeds=(${SEEDS:-1 2 3})
out=bench/results/warm_start.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints "min_ess max_rhat" of a run's summary on stdin.
ess_rhat() {
  awk '
    /ESS_bulk/ && !col { for (i = 1; i <= NF; ++i) { if ($i == "ESS_bulk") col = i + 1; if ($i == "R_hat") rc = i + 1 }; next }
    col && NF >= col && $1 !~ /__$/ && $col ~ /^[0-9.]+$/ {
      if (min == "" || $col + 0 < min) min = $col + 0
      if ($rc + 0 > rhat) rhat = $rc + 0
    }
    END { printf "%.1f %.4f\n", min, rhat }'
}

{
  printf '# Warm starts: `--metric-file` from a first run and `--warmup 100`\n\n'
  printf '%s, %s, seeds %s, `bench/warm_start.sh` (%s). First run: defaults (%s), 4 chains x\n' \
    "$(date -u +%Y-%m-%d)" "$("$bin" --version 2>/dev/null | head -1)" "${seeds[*]}" "$(nproc) cores" \
    "$("$bin" run --help | awk '$1 == "--metric" { split($2, v, "="); m = v[2] } $1 == "--adapt" { split($2, v, "="); a = v[2] } END { print "--adapt " a " --metric " m }')"
  printf '(1000 + 1000), `--save-metric`. Second run: seed + 100, `--metric-file` (chain 1'"'"'s file) and\n'
  printf '`--warmup 100`. ESS: min bulk ESS over the parameters (draws only).\n\n'
  printf '| model | seed | ESS first | ESS warm | ratio | R-hat warm |\n|---|---:|---:|---:|---:|---:|\n'
  summary=""
  for stan in tests/data/conformance/*.stan; do
    name=$(basename "$stan" .stan)
    data=tests/data/posteriordb/$name.data.json
    sum=0; worst=0
    for seed in "${seeds[@]}"; do
      "$bin" run "$stan" --data "$data" --seed "$seed" --save-metric "$tmp/m.json" -o "$tmp/a.csv" > "$tmp/a.txt" 2> "$tmp/err.txt" ||
        { cat "$tmp/err.txt" >&2; exit 1; }
      "$bin" run "$stan" --data "$data" --seed $((seed + 100)) --metric-file "$tmp/m_1.json" --warmup 100 \
        -o "$tmp/b.csv" > "$tmp/b.txt" 2> "$tmp/err.txt" || { cat "$tmp/err.txt" >&2; exit 1; }
      read -r e0 r0 < <(ess_rhat < "$tmp/a.txt")
      read -r e1 r1 < <(ess_rhat < "$tmp/b.txt")
      ratio=$(awk -v a="$e1" -v b="$e0" 'BEGIN { printf "%.2f", a / b }')
      sum=$(awk -v s="$sum" -v x="$ratio" 'BEGIN { print s + x }')
      worst=$(awk -v w="$worst" -v x="$r1" 'BEGIN { print (x > w ? x : w) }')
      printf '| %s | %s | %.0f | %.0f | %.2f | %.3f |\n' "$name" "$seed" "$e0" "$e1" "$ratio" "$r1"
    done
    summary+=$(printf '| %s | %.2f | %.3f |' "$name" "$(awk -v s="$sum" -v n="${#seeds[@]}" 'BEGIN { print s / n }')" "$worst")$'\n'
  done
  printf '\n| model | mean ESS ratio (warm / first) | worst R-hat warm |\n|---|---:|---:|\n%s' "$summary"
} > "$tmp/table.md"
mkdir -p bench/results
cp "$tmp/table.md" "$out"
cat "$out"
