#!/bin/sh
# Times `mcmc report` on 4 chains x 1000 draws x 100 parameters (issue 17: under 2 s and 5 MB) and on
# 4096 chains, and the cost of the progress display: the same run without it, with --progress-file and
# on a terminal (script(1): the table 4 times a second), each 5 times, the minimum of wall and of CPU
# (user + system) time kept. Writes bench/results/report.md.
#   bench/report.sh [mcmc-binary]     (default build/mcmc)
set -eu
mcmc=$(realpath "${1:-build/mcmc}")
cd "$(dirname "$0")/.."
out=bench/results/report.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timed() {  # "wall cpu": the minimum of each over 5 runs of a command
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" sh -c "$1" >/dev/null 2>&1
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/t"
  done | sort -n -k1,1 | awk 'NR == 1 { w = $1 } { if (c == "" || $2 < c) c = $2 } END { print w, c }'
}
{
  echo "# mcmc report and progress: $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
  echo
  printf 'parameters { vector[100] x; } model { x ~ normal(0, 1); }\n' > "$tmp/m.stan"
  "$mcmc" run "$tmp/m.stan" --seed 1 --samples 1000 --output "$tmp/fit.csv" --quiet
  t=$(timed "'$mcmc' report $tmp/fit_1.csv $tmp/fit_2.csv $tmp/fit_3.csv $tmp/fit_4.csv -o $tmp/r.html")
  echo "- report of 4 chains x 1000 draws x 100 parameters: wall / CPU $t s, $(stat -c %s "$tmp/r.html") bytes"
  printf 'parameters { real x; real<lower=0> s; } model { s ~ lognormal(0, 1.5); x ~ normal(0, s); }\n' > "$tmp/f.stan"
  "$mcmc" run "$tmp/f.stan" --seed 5 --chains 4096 --mode vmap --warmup 0 --step-size 0.6 --samples 40 \
    --format csv-long --output "$tmp/many.csv" --quiet
  t=$(timed "'$mcmc' report $tmp/many.csv -o $tmp/many.html")
  echo "- report of 4096 chains x 40 draws (a funnel, 15764 divergences): wall / CPU $t s, $(stat -c %s "$tmp/many.html") bytes"
  echo
  echo "Progress: radon varying intercepts, 4 chains x 3000 draws on 2 threads, wall and CPU (user + system)"
  echo "seconds, the minimum of 5 runs each:"
  echo
  run="'$mcmc' run models/radon_varying_intercepts.stan --data models/radon_varying_intercepts.data.json --seed 1 --samples 3000 --threads 2"
  echo "| run | wall s | CPU s |"
  echo "|---|---|---|"
  echo "| --quiet: no progress | $(timed "$run --quiet" | sed 's/ / | /') |"
  echo "| --quiet --progress-file, a line every second (the default) | $(timed "$run --quiet --progress-file $tmp/p.jsonl" | sed 's/ / | /') |"
  echo "| --quiet --progress-file, a line every 0.1 s | $(timed "$run --quiet --progress-file $tmp/p.jsonl --progress-interval 0.1" | sed 's/ / | /') |"
  echo "| stderr not a terminal: no table, the summary | $(timed "$run 2>/dev/null" | sed 's/ / | /') |"
  echo "| stderr a terminal (script): the table 4 times a second, the summary | $(timed "script -qec \"$run\" /dev/null" | sed 's/ / | /') |"
} | tee "$out"
