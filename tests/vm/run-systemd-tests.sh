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
mkdir -p "$files"
${CC:-gcc} "${cflags[@]}" -o "$files/systemd-driver" \
    "$src/tests/vm/systemd-driver.c" \
    "$src"/src/libocirun/cgroup/{cgroup,cgroupfs,resources,ebpf,systemd}.c \
    "$src/src/libocirun/error.c" "${OCIRUN_UTILS_C:-$src/src/libocirun/utils.c}" \
    $(pkg-config --libs libsystemd yajl 2>/dev/null || echo -lsystemd -lyajl)
cp "$src/tests/vm/systemd.sh" "$files/systemd.sh"
chmod -R a+rX "$files"
# shellcheck source=payload.sh
. "$src/tests/vm/payload.sh"
payload_env "$files"
# shellcheck disable=SC2016
inner=$PAYLOAD_UNPACK'exec bash "$OCIRUN_VM_DIR/systemd.sh" "$0"'
rc=0
echo "### root (system bus)"
"$vm" "${PAYLOAD_ENV[@]}" --timeout 300 -- bash -c "$inner" root || rc=1
echo "### rootless (user bus, --as-user)"
# A user manager that failed to boot (before our command) gets one more boot.
for try in 1 2; do
  log=$(mktemp)
  urc=0
  "$vm" --as-user "${PAYLOAD_ENV[@]}" --timeout 300 -- bash -c "$inner" user 2>&1 | tee "$log" || urc=1
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
