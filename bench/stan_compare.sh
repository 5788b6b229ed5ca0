#!/usr/bin/env bash
# Side-by-side benchmark of mcmc against Stan (rstan, optimized build) on the seed model and the
# conformance models: gradient cost, time to first draw, ESS per second, peak memory, parallel
# scaling. Writes bench/results/stan_compare.md and bench/results/stan_compare.json.
# Usage: bench/stan_compare.sh [mcmc-binary]   (default build-bench/mcmc)
# Resumable: every measurement is kept in $WORK (default /tmp/mcmc_stan_bench_work) and compiled
# Stan models in $CACHE (default /tmp/mcmc_stan_bench_cache); delete $WORK to measure afresh.
# NOTE: a paragraph printed under the report's heading (the conditions of the run).
# REPS (default 3): repetitions of each timing, of which the minimum is kept. ONLY: a regex on model
# names to restrict the per-model measures (for trying the script out). SIDES (default "ours stan"):
# which per-model sides to measure; two instances, one per side, may run at once (the Stan side
# waits for ours' step size). STAN_CORES (default 1): cores for Stan's 4 ESS chains; with more than
# one, rstan starts a cluster of R processes per run (about a minute of wall time on a loaded
# 2-core machine), which does not change the CPU time measured.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared=$root/tests/data
bin=$(realpath "${1:-build-bench/mcmc}")
cache=${CACHE:-/tmp/mcmc_stan_bench_cache}
work=${WORK:-/tmp/mcmc_stan_bench_work}
reps=${REPS:-3}
sides=${SIDES:-ours stan}
measures=${MEASURES:-grad first ess}  # which per-model measures to take (the report skips those missing)
stan_cores=${STAN_CORES:-1}
steps=50            # leapfrog steps per static HMC transition
target_s=1          # seconds of static HMC work per system and repetition
rscript="Rscript $root/bench/stan_compare.R"
mkdir -p "$work"/{compile,grad_stan,grad_ours,start_stan,first_ours,ess_stan,ess_ours,memory,scaling,tmp} bench/results
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# name|model|data for the seed model and every conformance model.
models=("normal_logscale|models/normal_logscale.stan|models/normal_logscale.data.json")
for m in "$shared"/conformance/*.stan; do
  n=$(basename "$m" .stan)
  models+=("$n|$m|$shared/posteriordb/$n.data.json")
done
# Issue 14's language: an ODE model (posteriordb's lotka_volterra, unchanged) and a user-defined
# _lpdf called in a loop.
models+=("lotka_volterra|$shared/posteriordb-unchanged/lotka_volterra.stan|$shared/posteriordb-unchanged/hudson_lynx_hare-lotka_volterra.data.json")
models+=("user_lpdf_loop|bench/models/user_lpdf_loop.stan|bench/models/user_lpdf_loop.data.json")
# Issue 15's matrix models (bench/models, provenance in bench/README.md): posteriordb's blr (sblri
# data), gp_pois_regr and nes_logit_model (bernoulli_logit_glm), a hierarchical model with
# lkj_corr_cholesky, and a five-predictor regression normal(y | X * beta + alpha, sigma) at two N
# (its data written by bench/models/regression_data.py into $WORK).
mkdir -p "$work/data"
for n in 1000 100000; do
  [ -s "$work/data/regression_k5_$n.json" ] || python3 bench/models/regression_data.py "$n" "$work/data/regression_k5_$n.json"
done
models+=("blr|bench/models/blr.stan|bench/models/sblri-blr.data.json")
models+=("gp_pois_regr|bench/models/gp_pois_regr.stan|bench/models/gp_pois_regr-gp_pois_regr.data.json")
models+=("hier_lkj|bench/models/hier_lkj.stan|bench/models/hier_lkj.data.json")
models+=("nes_logit_glm|bench/models/nes_logit_model.stan|bench/models/nes_logit_data-nes_logit_model.data.json")
models+=("regression_k5_n1000|bench/models/regression_k5.stan|$work/data/regression_k5_1000.json")
models+=("regression_k5_n100000|bench/models/regression_k5.stan|$work/data/regression_k5_100000.json")

now() { date +%s.%N; }
min_of() { printf '%s\n' "$@" | sort -g | head -n1; }
json_get() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

# Runs ours with static HMC, unit metric, init 0, into a JSON file; prints "ns_per_grad accept
# cpu_seconds gradients wall_sampling_seconds". Stan's get_elapsed_time is CPU time (clock()), so on
# a shared machine ours is timed by CPU time too: user + system seconds of the whole process
# (parsing and set-up included, which only counts against ours).
ours_hmc() { # model data step_size samples out
  /usr/bin/time -f '%U %S' -o "$5.time" "$bin" run "$1" --data "$2" --algorithm hmc --steps "$steps" \
    --step-size "$3" --warmup 0 --samples "$4" --chains 1 --threads 1 --init 0 --seed 1 --quiet \
    --format json --output "$5" >/dev/null
  python3 - "$5" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); c = d["chains"][0]; f = c["footer"]
u, s = map(float, open(sys.argv[1] + ".time").read().split()[-2:])
cpu = max(u + s, 0.005)
i = d["columns"].index("accept_stat__")
acc = sum(r[i] for r in c["draws"]) / len(c["draws"])
print(1e9 * cpu / f["gradient_evaluations"], acc, cpu, f["gradient_evaluations"], f["sampling_seconds"])
EOF
}

for entry in "${models[@]}"; do
  IFS='|' read -r name model data <<< "$entry"
  [[ $name =~ ${ONLY:-.} ]] || continue
  [[ " $sides " == *" ours "* ]] || continue

  # Gradient cost. Step size: 0.01, divided by 4 until ours accepts on average >= 0.6 in a pilot.
  out=$work/grad_ours/$name.json
  if [ ! -s "$out" ]; then
    log "$name: gradient cost (ours)"
    s=0.01
    for _ in 1 2 3 4 5 6 7 8; do
      read -r _ acc _ _ secs < <(ours_hmc "$model" "$data" "$s" 100 "$work/tmp/pilot.json")
      awk -v a="$acc" 'BEGIN { exit !(a >= 0.6) }' && break
      s=$(awk -v s="$s" 'BEGIN { printf "%.3g", s / 4 }')
    done
    # Size the run for about target_s seconds from the last pilot (100 transitions).
    M=$(awk -v t="$target_s" -v p="$secs" 'BEGIN { m = int(100 * t / (p > 1e-6 ? p : 1e-6)); if (m < 20) m = 20; if (m > 2000000) m = 2000000; print m }')
    # The pilot's wall time overstates the work on a loaded machine: grow M until a run takes at
    # least half of target_s CPU seconds (that run counts as the first repetition).
    runs=()
    for _ in 1 2 3 4; do
      r=$(ours_hmc "$model" "$data" "$s" "$M" "$work/tmp/grad.json")
      read -r _ _ cpu _ _ <<< "$r"
      awk -v c="$cpu" -v t="$target_s" 'BEGIN { exit !(c >= t / 2) }' && break
      M=$(awk -v m="$M" -v c="$cpu" -v t="$target_s" 'BEGIN { f = t / c; if (f > 20) f = 20; print int(m * f) + 1 }')
    done
    runs+=("$r")
    for _ in $(seq 2 "$reps"); do runs+=("$(ours_hmc "$model" "$data" "$s" "$M" "$work/tmp/grad.json")"); done
    printf '%s\n' "${runs[@]}" | python3 -c "
import json, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
best = min(rows, key=lambda r: r[2])
print(json.dumps({'model': '$name', 'step_size': $s, 'steps': $steps, 'iter': $M,
  'cpu_s': [r[2] for r in rows], 'min_cpu_s': best[2], 'gradients': int(best[3]),
  'wall_sampling_s': [r[4] for r in rows], 'ns_per_gradient_wall': 1e9 * min(r[4] for r in rows) / best[3],
  'leapfrog_steps': $M * $steps, 'ns_per_gradient': best[0],
  'ns_per_leapfrog': 1e9 * best[2] / ($M * $steps), 'mean_accept_stat': best[1]}))" > "$out"
  fi
  # Time to first draw. Ours: process start to exit of a one-draw run (default NUTS, no warmup).
  out=$work/first_ours/$name.json
  if [[ " $measures " == *" first "* ]] && [ ! -s "$out" ]; then
    log "$name: time to first draw (ours)"
    ts=()
    for _ in $(seq "$reps"); do
      t0=$(now)
      "$bin" run "$model" --data "$data" --samples 1 --warmup 0 --chains 1 --threads 1 --seed 1 \
        --quiet --output "$work/tmp/first.csv" >/dev/null
      t1=$(now)
      ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
    done
    printf '{"model": "%s", "wall_s": [%s], "min_wall_s": %s}\n' "$name" "$(IFS=,; echo "${ts[*]}")" "$(min_of "${ts[@]}")" > "$out"
  fi

  # ESS per second, default settings, 4 chains in parallel on every core, seed 1.
  out=$work/ess_ours/$name.json
  if [[ " $measures " == *" ess "* ]] && [ ! -s "$out" ]; then
    log "$name: ESS (ours)"
    runs=()
    for r in $(seq "$reps"); do
      /usr/bin/time -f '%U %S' -o "$work/tmp/ess.time" "$bin" run "$model" --data "$data" --chains 4 \
        --seed 1 --quiet --format json --output "$work/tmp/ess.json" >/dev/null
      $rscript ess-json "$work/tmp/ess.json" "$(awk '{ print $1 + $2 }' "$work/tmp/ess.time")" > "$work/tmp/ess_$r.json"
      runs+=("$work/tmp/ess_$r.json")
    done
    python3 - "$name" "${runs[@]}" > "$out" <<'EOF'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[2:]]
best = min(runs, key=lambda r: r["sample_s"])
best.update(model=sys.argv[1], sample_s_all=[r["sample_s"] for r in runs],
            min_ess_bulk_all=[r["min_ess_bulk"] for r in runs],
            ess_per_s=best["min_ess_bulk"] / best["sample_s"])
print(json.dumps(best))
EOF
  fi
done

# Stan's side, after ours (so that ours runs while models compile elsewhere, if they do).
for entry in "${models[@]}"; do
  IFS='|' read -r name model data <<< "$entry"
  [[ $name =~ ${ONLY:-.} ]] || continue
  [[ " $sides " == *" stan "* ]] || continue
  # Compile (cached by the md5 of the translated code; the compile time is kept beside it). A lock
  # directory lets another process compile the same cache; then wait for its result (30 min).
  out=$work/compile/$name.json
  if [ ! -s "$out" ]; then
    mkdir -p "$cache"
    if ! ls "$cache/$name"-*.compile_s >/dev/null 2>&1 && ! mkdir "$cache/$name.lock" 2>/dev/null; then
      log "$name: waiting for another process compiling it"
      for _ in $(seq 180); do ls "$cache/$name"-*.compile_s >/dev/null 2>&1 && break; sleep 10; done
    fi
    log "$name: compiling with rstan (or loading the cached model)"
    $rscript compile "$model" "$cache" > "$out"
    rmdir "$cache/$name.lock" 2>/dev/null || true
  fi
  out=$work/grad_stan/$name.json
  if [ ! -s "$out" ]; then
    log "$name: gradient cost (Stan)"
    until [ -s "$work/grad_ours/$name.json" ]; do sleep 10; done
    s=$(json_get "$work/grad_ours/$name.json" "['step_size']")
    $rscript grad "$model" "$data" "$cache" "$s" "$steps" "auto:$target_s" "$reps" > "$out"
  fi

  out=$work/start_stan/$name.json
  if [[ " $measures " == *" first "* ]] && [ ! -s "$out" ]; then log "$name: sampling start (Stan)"; $rscript start "$model" "$data" "$cache" "$reps" > "$out"; fi
  out=$work/ess_stan/$name.json
  if [[ " $measures " == *" ess "* ]] && [ ! -s "$out" ]; then log "$name: ESS (Stan)"; $rscript ess "$model" "$data" "$cache" "$reps" "$stan_cores" > "$out"; fi
done

[[ " $sides " == *" ours "* ]] || exit 0
# Peak memory (max RSS) of ours, seed model, default settings, 4 chains.
seed_model=models/normal_logscale.stan
seed_data=models/normal_logscale.data.json
for n in 1000 100000 1000000; do
  out=$work/memory/$n.json
  if [ ! -s "$out" ]; then
    log "peak memory, 4 chains x $n draws"
    /usr/bin/time -f '%M %e' -o "$work/tmp/time" "$bin" run "$seed_model" --data "$seed_data" \
      --chains 4 --samples "$n" --seed 1 --quiet --output "$work/tmp/mem.csv" >/dev/null
    read -r kb wall < "$work/tmp/time"
    bytes=$(cat "$work"/tmp/mem_*.csv | wc -c)
    printf '{"draws_per_chain": %s, "chains": 4, "max_rss_kb": %s, "wall_s": %s, "csv_bytes": %s}\n' "$n" "$kb" "$wall" "$bytes" > "$out"
    rm -f "$work"/tmp/mem_*.csv
  fi
done

# Parallel scaling: wall time with 1 and 2 threads, as many chains as threads (seed model, defaults;
# then with 100,000 draws per chain, long enough that start-up does not dominate).
for n in 1000 100000; do
  for t in 1 2; do
    out=$work/scaling/$t.json
    [ "$n" = 1000 ] || out=$work/scaling/${t}_$n.json
    if [ ! -s "$out" ]; then
      log "parallel scaling, $t threads, $n draws"
      ts=()
      for _ in $(seq "$reps"); do
        t0=$(now)
        "$bin" run "$seed_model" --data "$seed_data" --chains "$t" --threads "$t" --samples "$n" --seed 1 \
          --quiet --output "$work/tmp/scale.csv" >/dev/null
        t1=$(now)
        ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
      done
      printf '{"threads": %s, "chains": %s, "draws_per_chain": %s, "wall_s": [%s], "min_wall_s": %s}\n' "$t" "$t" "$n" \
        "$(IFS=,; echo "${ts[*]}")" "$(min_of "${ts[@]}")" > "$out"
    fi
  done
  # The machine's own ceiling: two independent one-chain processes at once (no shared anything).
  out=$work/scaling/procs_$n.json
  if [ ! -s "$out" ]; then
    log "parallel scaling, 2 independent processes, $n draws"
    ts=()
    for _ in $(seq "$reps"); do
      t0=$(now)
      "$bin" run "$seed_model" --data "$seed_data" --chains 1 --threads 1 --samples "$n" --seed 1 \
        --quiet --output "$work/tmp/proc1.csv" >/dev/null &
      "$bin" run "$seed_model" --data "$seed_data" --chains 1 --threads 1 --samples "$n" --seed 2 \
        --quiet --output "$work/tmp/proc2.csv" >/dev/null
      wait
      t1=$(now)
      ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
    done
    printf '{"processes": 2, "chains": 2, "draws_per_chain": %s, "wall_s": [%s], "min_wall_s": %s}\n' "$n" \
      "$(IFS=,; echo "${ts[*]}")" "$(min_of "${ts[@]}")" > "$out"
  fi
done

# Report.
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)
cores=$(nproc)
rver=$(Rscript -e 'cat(as.character(packageVersion("rstan")))' 2>/dev/null)
python3 - "$work" "$cpu" "$cores" "$rver" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$reps" "$("$bin" --version 2>/dev/null | head -n1 || true)" "${NOTE:-}" <<'EOF'
import json, math, os, sys
work, cpu, cores, rver, date, reps, ver, note = sys.argv[1:9]
def load(d, n):
    return json.load(open(os.path.join(work, d, n + ".json")))
def has(n, *dirs):
    return all(os.path.exists(os.path.join(work, d, n + ".json")) for d in dirs)
names = sorted(f[:-5] for f in os.listdir(os.path.join(work, "grad_ours")) if f.endswith(".json"))
names.sort(key=lambda n: n != "normal_logscale")
res = {"machine": {"cpu": cpu, "cores": int(cores)}, "date": date, "rstan": rver, "mcmc": ver,
       "repetitions": int(reps), "models": {}}
md = [f"# mcmc versus Stan (rstan {rver}, -O2)", "",
      f"{date}; {cpu}, {cores} cores (shared with other work); each timing the minimum of {reps} runs. "
      "Stan's compile time is the one recorded when the model first entered the cache.", ""]
if note:
    md += [note, ""]
res["note"] = note

md += ["## Gradient cost (static HMC, 50 steps, unit metric, init 0, 1 chain, 1 thread)", "",
       "ns per log-density-and-gradient evaluation, CPU time: Stan's sampling time (get_elapsed_time) over "
       "M x (L + 1) gradients (one at the start of each transition, one per step); ours the process's "
       "user + system time (set-up included) over the gradient_evaluations footer (one per step, plus one "
       "at the start). Per leapfrog step: the same time over M x L.", "",
       "| model | step size | Stan M | Stan ns/grad | Stan ns/step | ours M | ours ns/grad | ours ns/step | ours/Stan (grad) | accept Stan / ours |",
       "|---|---|---|---|---|---|---|---|---|---|"]
logs = []
names = [n for n in names if has(n, "grad_stan", "grad_ours")]
for n in names:
    gs, go = load("grad_stan", n), load("grad_ours", n)
    ratio = go["ns_per_gradient"] / gs["ns_per_gradient"]
    if n != "normal_logscale": logs.append(math.log(ratio))
    res["models"][n] = {"grad_stan": gs, "grad_ours": go, "grad_ratio_ours_over_stan": ratio}
    md.append(f"| {n} | {go['step_size']:g} | {gs['iter']} | {gs['ns_per_gradient']:.0f} | {gs['ns_per_leapfrog']:.0f} | "
              f"{go['iter']} | {go['ns_per_gradient']:.0f} | {go['ns_per_leapfrog']:.0f} | {ratio:.3f} | "
              f"{gs['mean_accept_stat']:.2f} / {go['mean_accept_stat']:.2f} |")
groups = {"conformance": [], "issue 14 (user functions, ODE)": [], "issue 15 (matrices)": []}
issue14 = {"lotka_volterra", "user_lpdf_loop"}
issue15 = {"blr", "gp_pois_regr", "hier_lkj", "nes_logit_glm", "regression_k5_n1000", "regression_k5_n100000"}
for n in names:
    if n == "normal_logscale": continue
    key = "issue 14 (user functions, ODE)" if n in issue14 else "issue 15 (matrices)" if n in issue15 else "conformance"
    groups[key].append(math.log(res["models"][n]["grad_ratio_ours_over_stan"]))
gm = math.exp(sum(groups["conformance"]) / len(groups["conformance"])) if groups["conformance"] else float("nan")
res["grad_ratio_geomean_conformance"] = gm
md.append("")
for key, lg in groups.items():
    if not lg: continue
    g = math.exp(sum(lg) / len(lg))
    res["grad_ratio_geomean_" + key.split(" (")[0].replace(" ", "")] = g
    md.append(f"Geometric mean of ours/Stan gradient cost over the {len(lg)} {key} models: **{g:.3f}** (largest {math.exp(max(lg)):.3f})")
md.append("")

md += ["## Time to first draw", "",
       "Ours: wall time of `mcmc run --samples 1 --warmup 0` (process start to exit). Stan: `stan_model` "
       "compile time plus the wall time of `sampling(iter = 1, warmup = 0)` on the compiled model "
       "(R and rstan already loaded).", "",
       "| model | ours (s) | Stan compile (s) | Stan sampling start (s) | Stan total (s) |", "|---|---|---|---|---|"]
for n in names:
    if not has(n, "first_ours", "start_stan", "compile"): continue
    fo, st, co = load("first_ours", n), load("start_stan", n), load("compile", n)
    res["models"][n].update(first_ours=fo, start_stan=st, compile_stan=co)
    md.append(f"| {n} | {fo['min_wall_s']:.3f} | {co['compile_s']:.1f} | {st['min_start_s']:.3f} | {co['compile_s'] + st['min_start_s']:.1f} |")

md += ["", "## ESS per second (NUTS, 1000 + 1000, 4 chains, seed 1)", "",
       "Minimum over parameters of bulk ESS (posterior::ess_bulk for both) over the sampling seconds "
       "summed over chains. Stan: get_elapsed_time, CPU time per chain (chains one after another in one "
       "R process). Ours, 4 chains in parallel on all cores: *CPU*, the process's user + system seconds "
       "(/usr/bin/time, start-up included) times the sampling share of the footers' wall times; *wall*, "
       "the footers' sampling_seconds (wall time per chain, which on a loaded machine includes waiting "
       "for a core). The ratio uses ours' CPU figure, like Stan's. Warm-up seconds beside.", "",
       "| model | Stan min ESS | Stan sampling s | Stan warmup s | Stan ESS/s | ours min ESS | ours sampling s CPU (wall) | ours warmup s CPU (wall) | ours ESS/s CPU (wall) | ours/Stan (CPU) |",
       "|---|---|---|---|---|---|---|---|---|---|"]
ess_logs = []
for n in names:
    if not has(n, "ess_stan", "ess_ours"): continue
    es, eo = load("ess_stan", n), load("ess_ours", n)
    eo["ess_per_cpu_s"] = eo["min_ess_bulk"] / eo["sample_cpu_s"]
    r = eo["ess_per_cpu_s"] / es["ess_per_s"]
    res["models"][n].update(ess_stan=es, ess_ours=eo, ess_per_s_ratio_ours_over_stan=r)
    md.append(f"| {n} | {es['min_ess_bulk']:.0f} | {es['sample_s']:.3f} | {es['warmup_s']:.3f} | {es['ess_per_s']:.0f} | "
              f"{eo['min_ess_bulk']:.0f} | {eo['sample_cpu_s']:.3f} ({eo['sample_s']:.3f}) | {eo['warmup_cpu_s']:.3f} ({eo['warmup_s']:.3f}) | "
              f"{eo['ess_per_cpu_s']:.0f} ({eo['ess_per_s']:.0f}) | {r:.2f} |")
    if n != "normal_logscale" and n not in issue14 | issue15: ess_logs.append(math.log(r))
egm = math.exp(sum(ess_logs) / len(ess_logs)) if ess_logs else float("nan")
res["ess_per_s_ratio_geomean_conformance"] = egm
md += ["", f"Geometric mean of ours/Stan ESS per second (CPU) over the {len(ess_logs)} conformance models: **{egm:.2f}**"]

md += ["", "## Peak memory of ours (seed model, NUTS defaults, 4 chains, CSV output)", "",
       "| draws per chain | max RSS (MiB) | wall (s) | CSV bytes |", "|---|---|---|---|"]
res["memory"] = []
for k in ("1000", "100000", "1000000"):
    m = json.load(open(os.path.join(work, "memory", k + ".json")))
    res["memory"].append(m)
    md.append(f"| {m['draws_per_chain']} | {m['max_rss_kb'] / 1024:.1f} | {m['wall_s']} | {m['csv_bytes']} |")

md += ["", "## Parallel scaling of ours (seed model, NUTS defaults, as many chains as threads)", "",
       "Efficiency: 1-thread wall / wall (work grows with the chains, so 1.00 is perfect scaling). The last row of each",
       "size runs two independent one-chain processes at once: what the machine itself allows two cores, with nothing shared.", "",
       "| run | chains | draws per chain | wall (s) | efficiency |", "|---|---|---|---|---|"]
res["scaling"] = []
for n in ("1000", "100000"):
    base = None
    for t in ("1", "2", "procs"):
        f = os.path.join(work, "scaling", (t if n == "1000" and t != "procs" else f"{t}_{n}") + ".json")
        s = json.load(open(f))
        s.setdefault("draws_per_chain", int(n))
        res["scaling"].append(s)
        base = base or s["min_wall_s"]
        label = "2 processes x 1 thread" if t == "procs" else f"{t} thread{'s' if t != '1' else ''}"
        md.append(f"| {label} | {s['chains']} | {n} | {s['min_wall_s']:.3f} | {base / s['min_wall_s']:.2f} |")
md.append("")
open("bench/results/stan_compare.md", "w").write("\n".join(md))
json.dump(res, open("bench/results/stan_compare.json", "w"), indent=1)
print("\n".join(md))
EOF
