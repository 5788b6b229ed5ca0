#!/usr/bin/env bash
# The Debian package on a clean Debian 12: apt-get install ./mcmc_*.deb in a fresh debootstrap chroot, run the seed model, apt-get remove and purge, nothing left behind.
# Usage (as root, with the Debian mirror reachable): tests/install/clean_debian_test.sh path/to/mcmc_VERSION_ARCH.deb [ROOT]
# ROOT: an existing clean chroot to reuse (it is changed); without it one is made with debootstrap (apt-get install debootstrap)
# in a temporary folder and removed at the end. Not part of ctest: it needs root, debootstrap and the network (docs/install.md).
set -euo pipefail
deb=$(realpath "$1")
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot)"
if [ $# -ge 2 ]; then
  root=$2
  made=
else
  root=$(mktemp -d "${TMPDIR:-/tmp}/mcmc_debian12_XXXXXX")
  made=1
  echo "== debootstrap --variant=minbase bookworm $root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$root.log" 2>&1 || { tail "$root.log"; fail debootstrap; }
fi
mounted=
cleanup() {
  [ -z "$mounted" ] || umount "$root/proc" || true
  [ -z "$made" ] || rm -rf "$root" "$root.log"
}
trap cleanup EXIT
mount --bind /proc "$root/proc" && mounted=1
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive HOME=/root "$@"; }

echo "== apt-get install ./$(basename "$deb")"
in_root apt-get update -qq
in_root sh -c 'dpkg -l > /tmp/before.txt'
in_root apt-get install -y -q "/tmp/$(basename "$deb")"
echo "== the installed mcmc runs the seed model"
in_root mcmc --version
in_root sh -c 'cd /tmp && mcmc run /usr/share/mcmc/models/normal_logscale.stan --data /usr/share/mcmc/models/normal_logscale.data.json --seed 1 --output /tmp/out.csv'
[ -s "$root/tmp/out_4.csv" ] || fail "no out_4.csv"
files=$(in_root dpkg -L mcmc | grep -v '^/\.$')
echo "== apt-get remove mcmc, dpkg --purge, apt-get autoremove"
in_root apt-get remove -y -q mcmc
in_root dpkg --purge mcmc  # no configuration files: nothing left to purge, but it must not fail
in_root apt-get autoremove -y -q  # libgomp1 and libfmt9, installed for mcmc
! in_root dpkg -s mcmc >/dev/null 2>&1 || fail "mcmc is still known to dpkg"
for f in $files; do
  [ -d "$root$f" ] && continue  # shared folders (/usr/share/man/man1 ...) stay
  [ ! -e "$root$f" ] || fail "left behind: $f"
done
[ ! -e "$root/usr/share/mcmc" ] || fail "left behind: /usr/share/mcmc"
in_root sh -c 'dpkg -l > /tmp/after.txt'
diff "$root/tmp/before.txt" "$root/tmp/after.txt" || fail "the package list differs from before the installation"
echo "== clean Debian 12 test passed"
