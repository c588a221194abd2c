#!/usr/bin/env bash
# Run the OCI conformance suite (../shared/conformance/runtime-tools.sh) inside
# the pure cgroup v2 VM with ocirun's default (cgroupfs) manager.
# Usage: tests/vm/run-conformance-in-vm.sh [-t REGEX] [-x REGEX]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$top/.." && pwd)/shared
vm=${OCIVM_RUN:-$shared/vm/run-in-vm.sh}
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
"$vm" fetch >/dev/null
"$shared/conformance/runtime-tools.sh" --export "$files/oci" >/dev/null
"$vm" copy-bin "$files" --into /usr/local/bin "$top/ocirun"
"$vm" copy-bin "$files" /usr/bin/unshare
mkdir -p "$top/reports"
extra=$(printf '%q ' "$@")
"$vm" --files "$files" --out "$top/reports/vm-conformance" --timeout 1800 --mem 3072 -- \
  sh -c "bash /oci/runtime-tools.sh --prebuilt /oci -o \"\$OCIVM_OUT/conformance\" $extra /usr/local/bin/ocirun"
