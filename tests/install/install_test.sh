#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks what a user gets: the installed mcmc runs an installed example, mcmc(1) renders without warnings, the bash completion completes.
# Usage: tests/install/install_test.sh BUILD_DIR   (CTest runs it as the test `install`)
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcmc_install_XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cmake --install into $tmp/prefix"
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
p=$tmp/prefix
for f in bin/mcmc share/man/man1/mcmc.1.gz share/bash-completion/completions/mcmc share/zsh/site-functions/_mcmc \
         share/doc/mcmc/README.md share/doc/mcmc/docs/output-json.md \
         share/mcmc/models/normal_logscale.stan share/mcmc/models/normal_logscale.data.json share/mcmc/configs/seed.toml; do
  [ -e "$p/$f" ] || fail "not installed: $f"
done
[ -x "$p/bin/mcmc" ] || fail "bin/mcmc is not executable"

echo "== the installed mcmc runs the installed seed model, and a configuration from share/mcmc"
"$p/bin/mcmc" --version | grep -Eq '^mcmc [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{40}|unknown)\)$' || fail "mcmc --version: $("$p/bin/mcmc" --version)"
models=$p/share/mcmc/models
(cd "$tmp" && "$p/bin/mcmc" run "$models/normal_logscale.stan" --data "$models/normal_logscale.data.json" \
   --seed 1 --chains 2 --warmup 200 --samples 200 --output "$tmp/out.csv" >"$tmp/run.txt") || fail "mcmc run"
grep -q "^loc " "$tmp/run.txt" || { cat "$tmp/run.txt"; fail "no summary row for loc"; }
[ "$(grep -vc '^#' "$tmp/out_2.csv")" = 201 ] || fail "out_2.csv does not hold a header and 200 draws"
grep -qx "# mcmc_version = $("$p/bin/mcmc" --version | cut -d' ' -f2)" "$tmp/out_1.csv" || fail "out_1.csv does not record the version"
(cd "$p/share/mcmc" && "$p/bin/mcmc" run --config configs/seed.toml --samples 50 --seed 2 --quiet) || fail "configs/seed.toml from share/mcmc"

echo "== man -l renders mcmc(1) without warnings"
# groff's own warnings (-ww) and man-db's: any line on stderr fails.
man_out=$(MAN_DISABLE_SECCOMP=1 MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings=w -l "$p/share/man/man1/mcmc.1.gz" 2>"$tmp/man.err") || { cat "$tmp/man.err"; fail "man -l"; }
[ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err"; fail "man -l printed warnings"; }
for word in NAME SYNOPSIS "EXIT STATUS" "mcmc run" "mcmc summary" "--algorithm" "--chains" "chees" "Default: 4"; do
  grep -qF -- "$word" <<<"$man_out" || fail "the man page lacks '$word'"
done
# Every option of `mcmc run --help` is in the man page (both come from the same definitions).
for opt in $("$p/bin/mcmc" run --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
  grep -qF -- "$opt" <<<"$man_out" || fail "the man page lacks $opt (in mcmc run --help)"
done

echo "== the bash completion offers the commands, run's options and the --algorithm values"
complete_words() {  # complete_words WORD... : what _mcmc offers for the last word
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _mcmc mcmc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$p/share/bash-completion/completions/mcmc" "$@"
}
expect() {  # expect "WANT" WORD... : the completion is exactly WANT (sorted, space-separated)
  local want=$1; shift
  local got; got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}
expect "convert generate-quantities log-density merge optimize parse pathfinder report run summary" mcmc ""
expect "report run" mcmc r
expect "chees hmc meads nuts" mcmc run model.stan --algorithm ""
expect "meads" mcmc run --algorithm m
expect "chees hmc meads nuts" mcmc run -a ""
expect "chees" mcmc run --algorithm = c
expect "--folds --format" mcmc run --f
expect "--config" mcmc --con
expect "csv csv-long json netcdf" mcmc run --format ""
expect "parallel" mcmc run m.stan --mode p
expect "--adapt --adapt-gamma --adapt-init-buffer --adapt-kappa --adapt-t0 --adapt-term-buffer --adapt-window" mcmc run --adapt
expect "--superchains" mcmc summary --sup
expect "" mcmc run --chains ""
touch "$tmp/model_a.stan"
expect "$tmp/model_a.stan" mcmc run "$tmp/model_a"
expect "$tmp/model_a.stan" mcmc run x.stan --data "$tmp/model_"

echo "== the zsh completion offers the commands and the --algorithm values"
zsh_script=$p/share/zsh/site-functions/_mcmc
for spec in "'run:Sample from a model'" "'--algorithm=[" ":algorithm:(nuts hmc chees meads)'" ":format:(csv csv-long json netcdf)'" "'1:model:_files'"; do
  grep -qF -- "$spec" "$zsh_script" || fail "_mcmc lacks $spec"
done
if command -v zsh >/dev/null; then zsh -n "$zsh_script" || fail "zsh -n _mcmc"; fi

echo "== the generator's own command is hidden"
expect "generate-quantities" mcmc g  # not generate-docs
! grep -qF "'generate-docs:" "$zsh_script" || fail "_mcmc offers generate-docs"
! grep -qF "generate-docs" <<<"$man_out" || fail "the man page shows generate-docs"
! "$p/bin/mcmc" --help | grep -qF "generate-docs" || fail "mcmc --help shows generate-docs"
echo "== install test passed"
