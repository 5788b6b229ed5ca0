#!/usr/bin/env bash
# Samples every posterior of a directory laid out as shared/posteriordb-unchanged (MODEL.stan,
# POSTERIOR.data.json with POSTERIOR = DATA-MODEL, optional POSTERIOR.ref.json reference summaries)
# and compares with the references: every mean within 0.2 reference sd, every sd within 20%.
#
# usage: bench/posteriordb_unchanged_run.sh DIR [MCMC] [-- extra run options]
# Default run: 4 chains x (1000 + 1000), seed 20261202. Prints per posterior: the wall time, the
# exit code and, with a reference, how many quantities pass. Needs python3. Not part of the tests.
set -u
dir=${1:?usage: $0 DIR [MCMC] [-- options]}
mcmc=${2:-build/mcmc}
shift; [ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for model in "$dir"/*.stan; do
  name=$(basename "$model" .stan)
  for data in "$dir"/*-"$name".data.json; do
    [ -f "$data" ] || continue
    post=$(basename "$data" .data.json)
    start=$(date +%s.%N)
    "$mcmc" run "$model" --data "$data" --seed 20261202 -q --output "$tmp/$post.csv" --format csv-long "$@" \
      > "$tmp/$post.log" 2>&1
    rc=$?
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    verdict=""
    ref="$dir/$post.ref.json"
    if [ $rc -eq 0 ] && [ -f "$ref" ]; then
      verdict=$(python3 - "$tmp/$post.csv" "$ref" <<'PY'
import csv, json, math, re, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))]
head, body = rows[0], rows[1:]
ref = json.load(open(sys.argv[2]))["params"]
ok = bad = 0; worst = []
for name, r in ref.items():
    col = re.sub(r'\[(.*)\]', lambda m: '.' + m.group(1).replace(',', '.'), name)
    if col not in head: continue
    i = head.index(col); xs = [float(b[i]) for b in body]
    m = sum(xs) / len(xs); sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    if abs(m - r["mean"]) <= 0.2 * r["sd"] and abs(sd - r["sd"]) <= 0.2 * r["sd"]: ok += 1
    else: bad += 1; worst.append(name)
print(f"reference: {ok} of {ok + bad} pass" + (f" (fail: {', '.join(worst[:5])})" if worst else ""))
PY
)
    fi
    [ $rc -ne 0 ] && verdict="$(grep -m1 -i error "$tmp/$post.log" || tail -n1 "$tmp/$post.log")"
    printf '%-70s rc=%d %7.1fs %s\n' "$post" "$rc" "$secs" "$verdict"
  done
done
