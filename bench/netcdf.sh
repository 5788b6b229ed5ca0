#!/usr/bin/env bash
# Output size and write time: netCDF (--format netcdf: exact doubles; and with --sig-figs 6,
# quantized to the CSV's precision) against Stan CSV (--format csv, one file per chain, default 6
# significant digits) for 4 chains x 100,000 draws and 4096 chains x 100 draws
# of a model with 100 parameters (bench/models/iid_normal_100.stan; 107 columns with the sampler's).
# Sampling is made cheap (static HMC, one leapfrog step, no warm-up) and the same run without
# output is timed too: write time = wall time with output - wall time without.
# Usage: bench/netcdf.sh [mcmc-binary] [directory for the files (default: a temporary one)]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/mcmc}
tmp=${2:-$(mktemp -d)}
mkdir -p "$tmp"
[ -n "${2:-}" ] || trap 'rm -rf "$tmp"' EXIT
model=bench/models/iid_normal_100.stan

printf '# %s, %s (%s cores), commit %s, load %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-23s | %-8s | %10s | %10s | %12s | %9s | %8s |\n' run format wall_s cpu_s bytes "write_s" "csv/nc"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------- ---------- ------------ ------------ -------------- ----------- ----------
for shape in "4 100000" "4096 100"; do
  read -r chains draws <<< "$shape"
  label="$chains chains x $draws draws"
  declare -A wall=() bytes=()
  for format in none csv netcdf netcdf-6; do
    rm -rf "$tmp/out" && mkdir -p "$tmp/out"
    args=(run "$model" --algorithm hmc --steps 1 --step-size 0.5 --warmup 0 --samples "$draws"
          --chains "$chains" --seed 1 --quiet)
    case $format in
      csv) args+=(--format csv --output "$tmp/out/fit.csv") ;;
      netcdf) args+=(--format netcdf --output "$tmp/out/fit.nc") ;;
      netcdf-6) args+=(--format netcdf --sig-figs 6 --output "$tmp/out/fit.nc") ;;
    esac
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$bin" "${args[@]}" > /dev/null
    read -r w user sys < "$tmp/time"
    wall[$format]=$w
    bytes[$format]=$(du -cb "$tmp/out" | tail -1 | cut -f1)
    if [ "$format" = none ]; then bytes[$format]=0; fi
    write=$(awk -v a="$w" -v b="${wall[none]}" 'BEGIN { printf "%.2f", a - b }')
    ratio=-
    case $format in netcdf*) ratio=$(awk -v c="${bytes[csv]}" -v n="${bytes[$format]}" 'BEGIN { printf "%.2f", c / n }') ;; esac
    printf '| %-23s | %-8s | %10.2f | %10.2f | %12d | %9s | %8s |\n' "$label" "$format" "$w" \
      "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "${bytes[$format]}" "$write" "$ratio"
  done
done
