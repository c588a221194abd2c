#!/bin/sh
# Install what ocirun needs (when root and something is missing), build it,
# make a busybox bundle and run a container from it.  Works as root and as an
# unprivileged user (who gets a user-namespace config mapping their own id).
set -eu
cd "$(dirname "$0")/.."
pkgs="autoconf automake libtool pkg-config gcc make python3 libseccomp-dev libcap-dev libyajl-dev
 libselinux1-dev libsystemd-dev libapparmor-dev golang-github-opencontainers-specs-dev busybox-static
 uidmap jq bats"
missing=
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
  else
    echo "missing packages:$missing" >&2
    echo "install them as root: apt-get install -y$missing" >&2
    exit 1
  fi
fi
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure
make -j"$(nproc)"
bundle=${BUNDLE:-${TMPDIR:-/tmp}/ocirun-demo-$(id -u)}
rm -rf "$bundle"
if [ "$(id -u)" -eq 0 ]; then rootless=; else rootless=--rootless; fi
contrib/busybox-bundle.sh "$bundle" $rootless sh -c 'echo "hello from $(hostname): uid $(id -u), pid $$"'
global=
# cgroup v2 only: on a v1/hybrid host run without a cgroup (nothing is enforced)
[ -e /sys/fs/cgroup/cgroup.controllers ] || global=--cgroup-manager=disabled
exec ./ocirun $global run --bundle "$bundle" "demo-$$"
