#!/usr/bin/env bash
# Metrics and warm-up adaptations compared by effective draws per gradient, warm-up gradients
# included (issue 16): min bulk ESS over the parameters (lp__ and sampler columns excluded) divided
# by all the run's gradient evaluations (initialization, warm-up, sampling), and the max R-hat,
# from `mcmc run`'s own summary. Fixed seeds; each figure is the mean over SEEDS (default "1 2 3").
#  1. corr_gauss_100 (bench/models; AR(1) correlation 0.9, scales over two decades), 4 chains x
#     1000 draws: diag, dense and lowrank metrics, each with both adaptations.
#  2. The conformance models (tests/data/conformance) and the seed model (models/normal_logscale),
#     4 chains x 1000 draws: the default settings against `--adapt stan --metric diag`.
# Usage: bench/adaptation.sh [mcmc-binary]   (writes bench/results/adaptation.md; CORR=0 skips part 1)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
seeds=(${SEEDS:-1 2 3})
out=${OUT:-bench/results/adaptation.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: prints "ess_per_grad max_rhat" (ESS per 1000 gradients).
run_one() {  # stan data seed args...
  local stan=$1 data=$2 seed=$3
  shift 3
  "$bin" run "$stan" --data "$data" --chains 4 --samples 1000 --seed "$seed" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt" ||
    { echo "run failed: $stan $*" >&2; cat "$tmp/err.txt" >&2; echo "nan nan"; return; }
  awk '
    /^Gradient evaluations:/ { grads = $3 }
    /ESS_bulk/ && !col { for (i = 1; i <= NF; ++i) { if ($i == "ESS_bulk") col = i + 1; if ($i == "R_hat") rc = i + 1 }; next }
    col && NF >= col && $1 !~ /__$/ && $col ~ /^[0-9.]+$/ {
      if (min == "" || $col + 0 < min) min = $col + 0
      if ($rc + 0 > rhat) rhat = $rc + 0
    }
    END { printf "%.4f %.4f\n", 1000 * min / grads, rhat }' "$tmp/out.txt"
}

# Mean ESS per 1000 gradients and worst R-hat over the seeds.
run_seeds() {  # stan data args...
  local stan=$1 data=$2
  shift 2
  local e r sum=0 worst=0
  for seed in "${seeds[@]}"; do
    read -r e r < <(run_one "$stan" "$data" "$seed" "$@")
    sum=$(awk -v a="$sum" -v b="$e" 'BEGIN { print a + b }')
    worst=$(awk -v a="$worst" -v b="$r" 'BEGIN { print (b > a || b != b) ? b : a }')
  done
  awk -v s="$sum" -v n="${#seeds[@]}" -v r="$worst" 'BEGIN { printf "%.3f %.4f\n", s / n, r }'
}

defaults=$("$bin" run --help | awk '$1 == "--metric" { split($2, v, "="); m = v[2] } $1 == "--adapt" { split($2, v, "="); a = v[2] } END { print "--adapt " a " --metric " m }')

{
  printf '# Metrics and adaptations: effective draws per gradient\n\n'
  printf '%s, %s, seeds %s, `bench/adaptation.sh` (%s). ESS/1k grads: min bulk ESS over the parameters per 1000\n' \
    "$(date -u +%Y-%m-%d)" "$("$bin" --version 2>/dev/null | head -1)" "${seeds[*]}" "$(nproc) cores"
  printf 'gradient evaluations of the whole run (warm-up included), mean over the seeds; R-hat: the worst over\n'
  printf 'parameters and seeds. Defaults of this build: `%s`.\n\n' "$defaults"

  if [ "${CORR:-1}" != 0 ]; then
  printf '## corr_gauss_100, 4 chains x 1000 draws\n\n'
  printf '| metric | adapt | ESS/1k grads | vs diag (stan) | max R-hat |\n|---|---|---:|---:|---:|\n'
  base=""
  for adapt in stan gradient; do
    for metric in diag dense lowrank; do
      read -r e r < <(run_seeds bench/models/corr_gauss_100.stan bench/models/corr_gauss_100.data.json --adapt "$adapt" --metric "$metric")
      [ -z "$base" ] && base=$e
      printf '| %s | %s | %.2f | %.1fx | %.3f |\n' "$metric" "$adapt" "$e" "$(awk -v a="$e" -v b="$base" 'BEGIN { print a / b }')" "$r"
    done
  done
  fi

  printf '\n## Conformance models and the seed model, 4 chains x 1000 draws: defaults vs `--adapt stan --metric diag`\n\n'
  printf '| model | stan diag ESS/1k grads | R-hat | default ESS/1k grads | R-hat | ratio |\n|---|---:|---:|---:|---:|---:|\n'
  logsum=0; n=0; worst=""
  models=()
  for stan in tests/data/conformance/*.stan; do
    name=$(basename "$stan" .stan)
    models+=("$name:$stan:tests/data/posteriordb/$name.data.json")
  done
  models+=("normal_logscale (seed model):models/normal_logscale.stan:models/normal_logscale.data.json")
  for entry in "${models[@]}"; do
    IFS=: read -r name stan data <<< "$entry"
    read -r e0 r0 < <(run_seeds "$stan" "$data" --adapt stan --metric diag)
    read -r e1 r1 < <(run_seeds "$stan" "$data")
    ratio=$(awk -v a="$e1" -v b="$e0" 'BEGIN { print a / b }')
    logsum=$(awk -v s="$logsum" -v x="$ratio" 'BEGIN { print s + log(x) }')
    n=$((n + 1))
    worst=$(awk -v w="${worst:-1e9}" -v x="$ratio" 'BEGIN { print x < w ? x : w }')
    printf '| %s | %.2f | %.3f | %.2f | %.3f | %.2fx |\n' "$name" "$e0" "$r0" "$e1" "$r1" "$ratio"
  done
  printf '\nGeometric mean of the ratios: **%.2fx**; smallest: %.2fx.\n' \
    "$(awk -v s="$logsum" -v n="$n" 'BEGIN { print exp(s / n) }')" "$worst"
} > "$tmp/table.md"
mkdir -p bench/results
cp "$tmp/table.md" "$out"
cat "$out"
