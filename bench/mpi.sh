#!/usr/bin/env bash
# ChEES over MPI ranks (issue 18): eight schools (non-centered), 4096 chains, on 1 and 2 ranks of
# 1 thread each; wall time per iteration and the part of it spent exchanging the chains' states
# between ranks (what mcmc prints as "mpi: ..." on stderr). Also the start-up of a plain `mcmc run`
# (no launcher: MPI is not initialized): the mean time of a one-draw run over 20 runs.
# Usage: bench/mpi.sh [mcmc-binary]   (ITER=warm-up iterations, default 100; samples 100)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
iter=${ITER:-100}
model=tests/data/conformance/eight_schools-eight_schools_noncentered.stan
data=tests/data/posteriordb/eight_schools-eight_schools_noncentered.data.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_MCA_btl_vader_single_copy_mechanism=none
as_root=()
[ "$(id -u)" = 0 ] && as_root=(--allow-run-as-root)
args=(run "$model" --data "$data" --chains 4096 --algorithm chees --mode vmap --threads 1 --seed 1
      --warmup "$iter" --samples "$iter" --format csv-long --output "$tmp/fit.csv")

echo "ChEES, eight schools, 4096 chains, $iter + $iter iterations, 1 thread per rank (vmap)"
for ranks in 1 2; do
  start=$(date +%s.%N)
  if [ "$ranks" = 1 ]; then
    "$bin" "${args[@]}" > "$tmp/out.txt" 2> "$tmp/err.txt"
  else
    mpirun "${as_root[@]}" --oversubscribe --bind-to none -np "$ranks" "$bin" "${args[@]}" > "$tmp/out.txt" 2> "$tmp/err.txt"
  fi
  end=$(date +%s.%N)
  comm=$(sed -n 's/^mpi: .* exchanged \([0-9]*\) times, \([0-9.]*\) ms each.*/\1 \2/p' "$tmp/err.txt")
  awk -v r="$ranks" -v s="$start" -v e="$end" -v it=$((2 * iter)) -v comm="$comm" 'BEGIN {
    split(comm, c, " ")
    printf "%d rank(s): %.2f s in all, %.2f ms per iteration", r, e - s, 1000 * (e - s) / it
    if (c[2] != "") printf ", of which %.3f ms exchanging states (%d exchanges)", c[2], c[1]
    printf "\n" }'
done

echo "start-up without a launcher: one draw of the seed model, mean of 20 runs"
s=$(date +%s.%N)
for i in $(seq 20); do
  "$bin" run models/normal_logscale.stan --data models/normal_logscale.data.json --chains 1 --warmup 0 --samples 1 \
    --seed 1 --quiet > /dev/null
done
e=$(date +%s.%N)
awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f ms per run (process start to exit)\n", 1000 * (e - s) / 20 }'
