#!/usr/bin/env bash
# The ensemble samplers against posteriordb: for every posterior of a posteriordb checkout that
# has reference draws and whose model `mcmc parse` accepts, NUTS (4 chains, parallel) and ChEES
# and MEADS with defaults in vmap mode at 16 and 1024 chains, each compared with the reference
# draws by the project's acceptance rule (tests/run/conformance_test.cpp): every pooled mean
# within 0.2 reference sd of the reference mean and every sd within 20% of the reference sd.
# Writes bench/results/ensemble_posteriordb.md (one row per posterior and sampler: pass or fail,
# the worst |mean - ref| / ref sd, the worst |sd - ref sd| / ref sd, the largest R-hat, the
# chains that ended warm-up stuck, wall seconds).
# Usage: bench/ensemble_posteriordb.sh POSTERIORDB_CHECKOUT [mcmc-binary]
#   env: SAMPLERS="nuts chees-16 chees-1024 meads-16 meads-1024" (default all), ONLY=regex on the
#        posterior name, TIMEOUT=seconds per run (default 600; a run past it is reported as such),
#        SEED (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
pdb=${1:?usage: bench/ensemble_posteriordb.sh POSTERIORDB_CHECKOUT [mcmc-binary]}
bin=${2:-build/mcmc}
[ -d "$pdb/posterior_database" ] && pdb=$pdb/posterior_database
[ -d "$pdb/posteriors" ] || { echo "error: $pdb: no posteriors/ (not a posteriordb checkout)" >&2; exit 2; }
samplers=${SAMPLERS:-nuts chees-16 chees-1024 meads-16 meads-1024}
only=${ONLY:-.}
timeout_s=${TIMEOUT:-600}
seed=${SEED:-1}
out=bench/results/ensemble_posteriordb.md
mkdir -p bench/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
  printf '# Ensemble samplers on posteriordb (%s, %s, %s cores, %s)\n\n' "$(date -u +%Y-%m-%d)" \
    "$("$bin" --version 2>/dev/null | head -1 || echo mcmc)" "$(nproc)" "$(basename "$0")"
  printf 'Rule: every mean within 0.2 reference sd, every sd within 20%%. Defaults otherwise; seed %s.\n\n' "$seed"
  printf '| posterior | sampler | result | max mean err (sd) | max sd err | max R-hat | stuck chains | wall s |\n'
  printf '|---|---|---|---|---|---|---|---|\n'
} > "$out"

for ref in "$pdb"/reference_posteriors/draws/draws/*.json.zip; do
  name=$(basename "$ref" .json.zip)
  [[ $name =~ $only ]] || continue
  post="$pdb/posteriors/$name.json"
  [ -f "$post" ] || continue
  read -r model data < <(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["model_name"], p["data_name"])' "$post")
  stan="$pdb/models/stan/$model.stan"
  [ -f "$stan" ] || continue
  "$bin" parse "$stan" > /dev/null 2>&1 || continue
  python3 - "$pdb/data/data/$data.json.zip" "$ref" "$tmp" <<'PY' || continue
import json, statistics, sys, zipfile
data_zip, ref_zip, tmp = sys.argv[1:4]
z = zipfile.ZipFile(data_zip)
open(f"{tmp}/data.json", "wb").write(z.read(z.namelist()[0]))
z = zipfile.ZipFile(ref_zip)
draws = json.loads(z.read(z.namelist()[0]))
ref = {}
for k in draws[0]:
    xs = [x for ch in draws for x in ch[k]]
    ref[k] = {"mean": statistics.fmean(xs), "sd": statistics.stdev(xs)}
json.dump(ref, open(f"{tmp}/ref.json", "w"))
PY
  for smp in $samplers; do
    algo=${smp%-*}
    chains=4
    mode=parallel
    [ "$algo" != nuts ] && { chains=${smp#*-}; mode=vmap; }
    start=$(date +%s.%N)
    rc=0
    timeout "$timeout_s" "$bin" run "$stan" --data "$tmp/data.json" --algorithm "$algo" --chains "$chains" \
      --mode "$mode" --seed "$seed" > "$tmp/out.txt" 2> "$tmp/err.txt" || rc=$?
    wall=$(python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$start")
    python3 - "$tmp/out.txt" "$tmp/ref.json" "$name" "$smp" "$rc" "$wall" >> "$out" <<'PY'
import json, re, sys
out, ref_file, name, smp, rc, wall = sys.argv[1:7]
if rc != "0":
    print(f"| {name} | {smp} | {'timeout' if rc == '124' else 'error ' + rc} | | | | | {wall} |")
    sys.exit()
ref = json.load(open(ref_file))
lines = open(out).read().splitlines()
rows = {}
for l in lines[3:]:
    if not l.strip():
        break
    f = l.split()
    rows[f[0]] = f
def csv_name(n):
    n = n.replace("[", ".").replace(",", ".")
    return n[:-1] if n.endswith("]") else n
zmax = smax = rmax = 0.0
ok = True
for k, v in ref.items():
    r = rows.get(csv_name(k))
    if r is None or v["sd"] == 0:
        continue
    z = abs(float(r[1]) - v["mean"]) / v["sd"]
    s = abs(float(r[3]) - v["sd"]) / v["sd"]
    zmax, smax = max(zmax, z), max(smax, s)
    try:
        rmax = max(rmax, float(r[-1]))
    except ValueError:
        pass
    ok = ok and z <= 0.2 and s <= 0.2
stuck = ""
for l in lines:
    m = re.search(r"Stragglers: (\d+) of", l)
    if m:
        stuck = m.group(1)
    elif "Stragglers: no chain" in l:
        stuck = "0"
print(f"| {name} | {smp} | {'pass' if ok else 'FAIL'} | {zmax:.3f} | {smax:.3f} | {rmax:.3f} | {stuck} | {wall} |")
PY
    tail -1 "$out"
  done
done
echo "wrote $out"
