#!/usr/bin/env bash
# Size limits: a model with 100,000 parameters, a 100 MB data file, and 10,000 chains; wall time and peak RSS of each run.
# The inputs are generated into a temporary directory (nothing is committed). Needs python3 and /usr/bin/time (Debian: time).
# Usage: bench/limits.sh [mcmc-binary]   (default build/mcmc; a Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. A model with 100,000 parameters (N from the data file): independent standard normals, so that
#    NUTS needs few steps per draw and the run measures size, not a hard posterior.
cat > "$tmp/wide.stan" <<'STAN'
data { int<lower=0> N; }
parameters { vector[N] z; }
model { z ~ std_normal(); }
STAN
echo '{"N": 100000}' > "$tmp/wide.data.json"

# 2. A linear regression whose Stan JSON data file is about 100 MB (N = 1,700,000 rows of y, x1, x2).
cat > "$tmp/regression.stan" <<'STAN'
data { int<lower=0> N; vector[N] x1; vector[N] x2; vector[N] y; }
parameters { real alpha; real beta1; real beta2; real<lower=0> sigma; }
model {
  alpha ~ normal(0, 10);
  beta1 ~ normal(0, 10);
  beta2 ~ normal(0, 10);
  sigma ~ exponential(1);
  y ~ normal(alpha + beta1 * x1 + beta2 * x2, sigma);
}
STAN
python3 - "$tmp/regression.data.json" <<'PY'
import random, sys
rng = random.Random(7)
N = 1_700_000
x1 = [rng.gauss(0.0, 1.0) for _ in range(N)]
x2 = [rng.uniform(-2.0, 2.0) for _ in range(N)]
y = [1.5 + 2.0 * a - 0.7 * b + rng.gauss(0.0, 0.8) for a, b in zip(x1, x2)]
with open(sys.argv[1], "w") as f:
    f.write('{"N": %d,\n' % N)
    for name, v in (("x1", x1), ("x2", x2), ("y", y)):
        f.write(' "%s": [%s]%s\n' % (name, ", ".join(repr(t) for t in v), "," if name != "y" else ""))
    f.write("}\n")
PY

printf '# %s, %s (%s cores), %s\n' "$(date -u +%Y-%m-%d)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" "$("$bin" --version)"
printf '%-44s %8s %12s %5s\n' case wall_s peak_rss_MiB exit

# measure NAME ARGS...: runs `mcmc run ARGS` (stdout to a file), prints wall time and peak RSS.
measure() {
  local name=$1
  shift
  local rc=0
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" run "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
  read -r wall kib < <(tail -n 1 "$tmp/time")  # (after "Command exited with non-zero status N")
  printf '%-44s %8.2f %12.1f %5d\n' "$name" "$wall" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" "$rc"
  if [ "$rc" -ne 0 ]; then sed 's/^/    /' "$tmp/err.txt" | head -n 5; fi
}

data_mb=$(awk -v b="$(stat -c %s "$tmp/regression.data.json")" 'BEGIN { printf "%.1f", b / 1e6 }')
measure "100,000 parameters, 2 chains, 100+100 draws" "$tmp/wide.stan" --data "$tmp/wide.data.json" \
  --chains 2 --warmup 100 --samples 100 --seed 1
measure "  the same, CSV output" "$tmp/wide.stan" --data "$tmp/wide.data.json" \
  --chains 2 --warmup 100 --samples 100 --seed 1 --output "$tmp/wide.csv"
rm -f "$tmp"/wide*.csv
measure "${data_mb} MB data, 4 chains, 100+100 draws" "$tmp/regression.stan" --data "$tmp/regression.data.json" \
  --chains 4 --warmup 100 --samples 100 --seed 1
measure "10,000 chains, vmap, 100+10 draws" models/normal_logscale.stan --data models/normal_logscale.data.json \
  --chains 10000 --warmup 100 --samples 10 --mode vmap --seed 1
measure "  the same, JSON output" models/normal_logscale.stan --data models/normal_logscale.data.json \
  --chains 10000 --warmup 100 --samples 10 --mode vmap --seed 1 --format json --output "$tmp/many.json"
measure "  the same, parallel mode" models/normal_logscale.stan --data models/normal_logscale.data.json \
  --chains 10000 --warmup 100 --samples 10 --seed 1
(
  ulimit -n 256
  measure "  the same, JSON output, ulimit -n 256" models/normal_logscale.stan --data models/normal_logscale.data.json \
    --chains 10000 --warmup 100 --samples 10 --mode vmap --seed 1 --format json --output "$tmp/many.json"
  measure "  CSV output, ulimit -n 256 (refused: exit 4)" models/normal_logscale.stan \
    --data models/normal_logscale.data.json --chains 10000 --warmup 100 --samples 10 --mode vmap --seed 1 \
    --output "$tmp/many.csv"
)
