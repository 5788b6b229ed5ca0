#!/bin/sh
# Runs crosscheck.R for every conformance model and the seed model, one model per R process,
# and writes the combined report to tests/stan/expected_output.txt (or $1).
# Usage: tests/stan/crosscheck.sh [OUTPUT [MODEL.stan...]] (from anywhere; MCMC=path/to/mcmc
# overrides the binary). Without models: the conformance models and models/normal_logscale.stan.
# A model's data is tests/data/posteriordb/NAME.data.json, else NAME.data.json beside the model.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/tests/data
mcmc=${MCMC:-$root/build-examples/mcmc}
out=${1:-$here/expected_output.txt}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- "$shared"/conformance/*.stan "$root/models/normal_logscale.stan"
fi
cache=${MCMC_STAN_CACHE:-/tmp/mcmc_stan_cache}
# Compile the Stan models without optimization: only a few evaluations are needed, and -O0 compiles
# several times faster. A private Makevars leaves the user's ~/.R/Makevars alone.
makevars=$(mktemp)
printf 'CXXFLAGS = -O0 -g0\nCXX14FLAGS = -O0 -g0\nCXX17FLAGS = -O0 -g0\n' > "$makevars"
export R_MAKEVARS_USER="$makevars"

tmp=$(mktemp)
{
  echo "# mcmc log-density vs rstan $(Rscript -e 'cat(as.character(packageVersion("rstan")))' 2>/dev/null)"
  echo "# 3 points per model, unconstrained coordinates uniform(-1, 1), set.seed(20261127)"
  echo "# PASS: spread of (lp_mcmc - lp_stan) < 1e-8 * max(1, |lp_stan|) and max rel gradient diff < 1e-8"
} > "$tmp"
for model in "$@"; do
  name=$(basename "$model" .stan)
  data="$shared/posteriordb/$name.data.json"
  [ -f "$data" ] || data="$(dirname "$model")/$name.data.json"
  if ! Rscript "$here/crosscheck.R" "$model" "$data" "$mcmc" "$cache" >> "$tmp" 2> "$tmp.err"; then
    echo "RESULT $name ERROR: $(tail -n 5 "$tmp.err" | tr '\n' ' ')" >> "$tmp"
  fi
done
rm -f "$tmp.err" "$makevars"
pass=$(grep -c '^RESULT .* PASS$' "$tmp")
total=$(grep -c '^RESULT ' "$tmp")
echo "# $pass of $total models agree" >> "$tmp"
sed "s#$root/##g; s#$shared/#tests/data/#g" "$tmp" > "$out"
rm -f "$tmp"
cat "$out"
