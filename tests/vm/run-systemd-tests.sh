#!/bin/bash
# Build tests/vm/systemd-driver on the host and run it in the Debian VM with
# systemd as PID 1: once as root (system bus), once --as-user (tester's user bus).
#   tests/vm/run-systemd-tests.sh
# Needs `run-in-debian-vm.sh build` once.  Env: DEBIAN_VM, OCISPEC_INCLUDE, CC.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
vm=${DEBIAN_VM:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/vm/run-in-debian-vm.sh}
work=$(mktemp -d /tmp/ocirun-sdtest.XXXXXX)
trap 'rm -rf "$work"' EXIT

inc=${OCISPEC_INCLUDE:-}
if [[ -z $inc ]]; then
    schema=${OCISPEC_SCHEMA_DIR:-/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema}
    python3 "$src/libocispec/generate.py" --schema-dir "$schema" \
        --ext-dir "$src/libocispec/schema-ext" --out-dir "$work/gen" >/dev/null
    inc=$work/gen
fi
cflags=(-std=gnu11 -O1 -g -Wall -Wno-unused-parameter -D_GNU_SOURCE -DHAVE_SYSTEMD
        -I"$src/src/libocirun" -I"$inc")
files=$work/files
umask 022
mkdir -p "$files/usr/local/bin" "$files/tests"
${CC:-gcc} "${cflags[@]}" -o "$files/usr/local/bin/systemd-driver" \
    "$src/tests/vm/systemd-driver.c" \
    "$src"/src/libocirun/cgroup/{cgroup,cgroupfs,resources,ebpf,systemd}.c \
    "$src/src/libocirun/error.c" "${OCIRUN_UTILS_C:-$src/src/libocirun/utils.c}" \
    $(pkg-config --libs libsystemd yajl 2>/dev/null || echo -lsystemd -lyajl)
chmod 755 "$files/usr/local/bin/systemd-driver"
cp "$src/tests/vm/systemd.sh" "$files/tests/systemd.sh"

chmod 755 "$files" "$files/usr" "$files/usr/local" "$files/usr/local/bin" "$files/tests"
rc=0
echo "### root (system bus)"
"$vm" --files "$files" --timeout 300 -- bash /tests/systemd.sh root || rc=1
echo "### rootless (user bus, --as-user)"
# the guest's user manager sometimes aborts at boot (before our command):
# boot again, up to 3 times
for try in 1 2 3; do
  log=$(mktemp)
  urc=0
  "$vm" --as-user --files "$files" --timeout 300 -- bash /tests/systemd.sh user 2>&1 | tee "$log" || urc=1
  if grep -q 'Failed to connect to bus' "$log" && ! grep -q 'passed, ' "$log"; then
    rm -f "$log"
    urc=1
    continue
  fi
  rm -f "$log"
  break
done
[ "$urc" -eq 0 ] || rc=1
exit $rc
