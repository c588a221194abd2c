#!/bin/bash
# Build tests/vm/cgroup-driver on the host and run it as root in the pure cgroup v2 VM.
#   tests/vm/run-cgroup-tests.sh            (from the source tree; needs python3 + yajl headers)
# Env: VM (default /work/shared/vm/run-in-vm.sh), OCISPEC_INCLUDE (dir with oci_spec.h;
# default: generate it into the work dir), CC.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
vm=${VM:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/vm/run-in-vm.sh}
work=$(mktemp -d /tmp/ocirun-cgtest.XXXXXX)
trap 'rm -rf "$work"' EXIT

inc=${OCISPEC_INCLUDE:-}
if [[ -z $inc ]]; then
    schema=${OCISPEC_SCHEMA_DIR:-/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema}
    python3 "$src/libocispec/generate.py" --schema-dir "$schema" \
        --ext-dir "$src/libocispec/schema-ext" --out-dir "$work/gen" >/dev/null
    inc=$work/gen
fi
cflags=(-std=gnu11 -O1 -g -Wall -Wno-unused-parameter -D_GNU_SOURCE -I"$src/src/libocirun" -I"$inc")
${CC:-gcc} "${cflags[@]}" -o "$work/cgroup-driver" \
    "$src/tests/vm/cgroup-driver.c" \
    "$src"/src/libocirun/cgroup/{cgroup,cgroupfs,resources,ebpf,systemd}.c \
    "$src/src/libocirun/error.c" "${OCIRUN_UTILS_C:-$src/src/libocirun/utils.c}" \
    $(pkg-config --libs yajl 2>/dev/null || echo -lyajl)

files=$work/files
mkdir -p "$files/tests"
"$vm" copy-bin "$files" --into /usr/local/bin "$work/cgroup-driver" >/dev/null
cp "$src/tests/vm/cgroup.sh" "$files/tests/cgroup.sh"
exec "$vm" --files "$files" --disk 64 --timeout 600 -- sh /tests/cgroup.sh
