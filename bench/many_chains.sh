#!/usr/bin/env bash
# Many chains: NUTS (parallel and vmap) against the ensemble samplers ChEES and MEADS (vmap) on the
# eight-schools non-centered model and a 100-dimensional correlated Gaussian, for 16, 256 and 4096
# chains. For each run: wall time of sampling (as `mcmc run` reports it), gradient evaluations,
# lockstep efficiency (vmap), the smallest bulk ESS over the parameters (lp__ and the sampler
# columns excluded) from `mcmc run`'s own summary, and that ESS per second and per 1000 gradients.
# NUTS and ChEES run --warmup 200; MEADS (one leapfrog step per iteration) --warmup 1000. Draws
# per chain: 1000 (16 chains), 100 (256), 20 (4096); with 10 or fewer draws per chain the bulk ESS
# of R's posterior (and ours) is N/2 whatever the draws, so it would not compare anything.
# Every run uses all cores: OpenMP threads in parallel mode, one lockstep group per core in vmap.
# Usage: [MODELS="eight_schools corr_gauss_100"] [SAMPLERS="nuts-parallel nuts-vmap chees meads"] \
#        bench/many_chains.sh [mcmc-binary] [chain counts...]
#        (defaults: both models, build/mcmc, 16 256 4096)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
shift || true
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(16 256 4096)
threads=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '# %s, %s (%s cores), %s\n' "$(date -u +%Y-%m-%d)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" "$("$bin" --version 2>/dev/null || echo mcmc)"
printf '| %-22s | %6s | %-13s | %6s | %8s | %12s | %9s | %9s | %9s | %13s |\n' model chains sampler draws wall_s gradients 'lockstep' 'min ESS' 'ESS/s' 'ESS/1k grads'
printf '|------------------------|--------|---------------|--------|----------|--------------|-----------|-----------|-----------|---------------|\n'

run_one() {  # model-label stan data chains sampler-label args...
  local label=$1 stan=$2 data=$3 chains=$4 name=$5
  shift 5
  local samples=20
  [ "$chains" -le 256 ] && samples=100
  [ "$chains" -le 16 ] && samples=1000
  "$bin" run "$stan" --data "$data" --chains "$chains" --threads "$threads" --samples "$samples" --seed 1 \
    "$@" > "$tmp/out.txt" 2> "$tmp/err.txt" || { echo "run failed: $name $chains" >&2; cat "$tmp/err.txt" >&2; return; }
  awk -v label="$label" -v chains="$chains" -v name="$name" -v samples="$samples" '
    / s wall/ { for (i = 1; i < NF - 1; ++i) if ($(i + 1) == "s" && $(i + 2) ~ /^wall/) wall = $i }
    /^Gradient evaluations:/ { grads = $3 }
    /^Lockstep:/ { eff = $NF }
    /ESS_bulk/ && !col { for (i = 1; i <= NF; ++i) if ($i == "ESS_bulk") col = i + 1; next }
    col && NF >= col && $1 !~ /__$/ && $col ~ /^[0-9.]+$/ { if (min == "" || $col + 0 < min) min = $col + 0 }
    END {
      if (eff == "") eff = "-"
      printf "| %-22s | %6d | %-13s | %6d | %8.2f | %12d | %9s | %9.0f | %9.0f | %13.2f |\n",
             label, chains, name, samples, wall, grads, eff, min, min / wall, 1000 * min / grads
    }' "$tmp/out.txt"
}

want() { [[ " ${SAMPLERS:-nuts-parallel nuts-vmap chees meads} " == *" $1 "* ]]; }

for model in ${MODELS:-eight_schools corr_gauss_100}; do
  if [ "$model" = eight_schools ]; then
    stan=models/eight_schools_noncentered.stan; data=models/eight_schools_noncentered.data.json
  else
    stan=bench/models/corr_gauss_100.stan; data=bench/models/corr_gauss_100.data.json
  fi
  for chains in "${counts[@]}"; do
    if want nuts-parallel; then run_one "$model" "$stan" "$data" "$chains" "NUTS parallel" --mode parallel --warmup 200; fi
    if want nuts-vmap; then run_one "$model" "$stan" "$data" "$chains" "NUTS vmap" --mode vmap --warmup 200; fi
    if want chees; then run_one "$model" "$stan" "$data" "$chains" "ChEES vmap" --mode vmap --algorithm chees --warmup 200; fi
    if want meads && [ "$chains" -ge 8 ]; then run_one "$model" "$stan" "$data" "$chains" "MEADS vmap" --mode vmap --algorithm meads --warmup 1000; fi
  done
done
