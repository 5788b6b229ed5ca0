#!/usr/bin/env bash
# Counts how many of posteriordb's Stan models `mcmc parse` accepts unchanged, and lists what stops the rest.
#
# usage: bench/posteriordb_parse_count.sh POSTERIORDB [MCMC]
#   POSTERIORDB  a checkout of github.com/stan-dev/posteriordb (or any directory holding
#                posterior_database/models/stan/*.stan)
#   MCMC         the mcmc binary (default: build/mcmc)
# Prints one line per rejected model (its name and the first line of mcmc's message), then
# "accepted: A of N". Needs no network once the checkout exists; not part of the test suite.
set -u
pdb=${1:?usage: $0 POSTERIORDB [MCMC]}
mcmc=${2:-build/mcmc}
dir="$pdb/posterior_database/models/stan"
[ -d "$dir" ] || { echo "$0: no $dir" >&2; exit 2; }
[ -x "$mcmc" ] || { echo "$0: no executable $mcmc" >&2; exit 2; }
total=0
ok=0
for f in "$dir"/*.stan; do
  total=$((total + 1))
  if msg=$("$mcmc" parse "$f" 2>&1 >/dev/null); then
    ok=$((ok + 1))
  else
    first=$(printf '%s\n' "$msg" | grep -m1 -E 'error|Error|not supported|unknown' || printf '%s\n' "$msg" | head -n1)
    printf '%-45s %s\n' "$(basename "$f" .stan)" "$first"
  fi
done
echo "accepted: $ok of $total"
