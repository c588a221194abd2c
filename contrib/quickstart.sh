#!/bin/sh
# Install what ocirun and its tests need (when root and something is
# missing), build it, make a busybox bundle and run a container from it.
# Works as root and as an unprivileged user (who gets a user-namespace config
# mapping their own id).  The package and compiler output goes to
# quickstart.log; the terminal gets one line per step.
set -eu
cd "$(dirname "$0")/.."
log=$PWD/quickstart.log
: > "$log"
step() { printf '%-44s ' "$1"; }
fail() {
  echo "FAILED"
  echo "--- the end of $log:" >&2
  tail -n 25 "$log" >&2
  exit 1
}
# the build, then what `make check` uses (bats, jq, busybox, python3 for the
# terminal helpers, uidmap for the rootless tests, procps)
pkgs="autoconf automake libtool pkg-config gcc make python3 libseccomp-dev libcap-dev libyajl-dev
 libselinux1-dev libsystemd-dev libapparmor-dev golang-github-opencontainers-specs-dev busybox-static
 uidmap jq bats procps util-linux"
missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages:$missing" >&2
    echo "install them as root: apt-get install -y$missing" >&2
    exit 1
  fi
  step "installing$(echo "$missing" | wc -w | tr -d ' ') packages"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >>"$log" 2>&1 || fail
  echo ok
fi
step "building ocirun"
{ { [ -x configure ] || ./autogen.sh; } && { [ -f Makefile ] || ./configure; } && make -j"$(nproc)"; } >>"$log" 2>&1 || fail
echo "ok ($(./ocirun --version | tail -1))"
bundle=${BUNDLE:-${TMPDIR:-/tmp}/ocirun-demo-$(id -u)}
rm -rf "$bundle"
if [ "$(id -u)" -eq 0 ]; then rootless=; else rootless=--rootless; fi
step "making a busybox bundle in $bundle"
contrib/busybox-bundle.sh "$bundle" $rootless sh -c 'echo "hello from $(hostname): uid $(id -u), pid $$"' >>"$log" 2>&1 || fail
echo ok
global=
# cgroup v2 only: on a v1/hybrid host run without a cgroup (nothing is enforced)
[ -e /sys/fs/cgroup/cgroup.controllers ] || global=--cgroup-manager=disabled
echo "running it: ./ocirun $global run --bundle $bundle demo-$$"
./ocirun $global run --bundle "$bundle" "demo-$$"
echo "done: the tests run with \`make check\` (build log: quickstart.log)"
