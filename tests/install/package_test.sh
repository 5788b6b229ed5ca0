#!/usr/bin/env bash
# Builds the Debian package with CPack and checks its control fields (runtime dependencies from dpkg-shlibdeps) and its contents.
# Usage: tests/install/package_test.sh BUILD_DIR   (CTest runs it as the test `package`; the package is written to a temporary folder)
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcmc_package_XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
debs=("$tmp"/mcmc_*.deb)
[ "${#debs[@]}" = 1 ] && [ -f "${debs[0]}" ] || fail "no single mcmc_*.deb in $(ls "$tmp")"
deb=${debs[0]}
echo "== $(basename "$deb")"
dpkg-deb -I "$deb"
[ "$(dpkg-deb -f "$deb" Package)" = mcmc ] || fail "Package is not mcmc"
version=$("$build/mcmc" --version | cut -d' ' -f2)
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libgomp1 libstdc++6; do  # OpenMP's runtime above all: the binary does not start without it
  grep -q "\b$lib\b" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
# Every shared library the binary links directly (its NEEDED entries; theirs are their packages'
# own dependencies) is provided by a package it depends on.
needed=$(objdump -p "$build/mcmc" | awk '$1 == "NEEDED" {print $2}')
for path in $(ldd "$build/mcmc" | awk '$2 == "=>" && $3 ~ /^\// {print $1 " " $3}' |
              while read -r name file; do grep -qx "$name" <<<"$needed" && echo "$file"; done); do
  so=$(basename "$path")
  # dpkg knows /lib/... or /usr/lib/... (merged /usr): ask for both
  pkg=$( { dpkg -S "$path" "${path#/usr}" "/usr$path" 2>/dev/null || true; } | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || fail "no package provides $path"
  grep -q "\b$pkg\b" <<<"$depends" || fail "$so comes from $pkg, which Depends lacks: $depends"
done

dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/contents"
for f in ./usr/bin/mcmc ./usr/share/man/man1/mcmc.1.gz ./usr/share/bash-completion/completions/mcmc \
         ./usr/share/zsh/vendor-completions/_mcmc ./usr/share/doc/mcmc/README.md \
         ./usr/share/mcmc/models/normal_logscale.stan ./usr/share/mcmc/configs/seed.toml; do
  grep -qx -- "$f" "$tmp/contents" || fail "the package lacks $f"
done
! grep -q '^\./usr/local' "$tmp/contents" || fail "the package installs under /usr/local"
echo "== package test passed"
