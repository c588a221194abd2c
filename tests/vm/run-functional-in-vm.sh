#!/usr/bin/env bash
# Run the functional suite (tests/functional/*.bats) as root inside the pure
# cgroup v2 VM (../shared/vm/run-in-vm.sh), with the cgroupfs manager.
# Usage: tests/vm/run-functional-in-vm.sh [BATS-ARGS...]   (default: every file)
# Reports (TAP) land in reports/vm-functional/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=${OCIVM_RUN:-$(cd "$top/.." && pwd)/shared/vm/run-in-vm.sh}
[ -x "$vm" ] || { echo "run-in-vm.sh not found at $vm (set OCIVM_RUN)" >&2; exit 2; }
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT

"$vm" fetch >/dev/null
"$vm" copy-bin "$files" --into /usr/local/bin "$top/ocirun" "$(command -v jq)"
mkdir -p "$files/usr/lib" "$files/usr/libexec" "$files/usr/bin" "$files/ocirun"
cp -a /usr/lib/bats-core "$files/usr/lib/"
cp -a /usr/libexec/bats-core "$files/usr/libexec/"
cp /usr/bin/bats "$files/usr/bin/"
cp -a "$top/tests" "$top/contrib" "$files/ocirun/"
# the VM has no compiler: static test helpers and the seccomp agent from here
mkdir -p "$files/ocirun-helpers"
for h in "$top"/tests/helpers/*.c; do
  grep -q 'static helper' "$h" || continue
  gcc -static -pthread -O2 -o "$files/ocirun-helpers/$(basename "$h" .c)" "$h"
done
make -C "$top" tests/helpers/seccomp-agent >/dev/null
cp "$top/tests/helpers/seccomp-agent" "$files/ocirun/tests/helpers/seccomp-agent"
# the VM has no python3: build the rootfs cache here
OCIRUN="$top/ocirun" "$top/contrib/busybox-bundle.sh" "$files/ocirun-cache" true >/dev/null

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(tests/functional)
mkdir -p "$top/reports"
"$vm" --files "$files" --out "$top/reports/vm-functional" --timeout "${OCIVM_TIMEOUT:-3000}" \
  --disk 64 --mem 3072 \
  --env OCIRUN=/usr/local/bin/ocirun --env OCIRUN_TEST_CACHE=/ocirun-cache \
  --env OCIRUN_TEST_HELPERS=/ocirun-helpers --env OCIRUN_BUILDDIR=/ocirun \
  --cwd /ocirun -- bash -c 'bats --tap '"$(printf '%q ' "${args[@]}")"' | tee "$OCIVM_OUT/functional.tap"; exit ${PIPESTATUS[0]}'
