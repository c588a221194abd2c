#!/usr/bin/env bash
# Run tests/functional/lsm.bats where the LSMs are on:
#   1. the plain VM (../shared/vm/run-in-vm.sh): AppArmor enabled, with
#      apparmor_parser copied in (apt-get install apparmor on the host);
#   2. the Debian VM with --selinux (../shared/vm/run-in-debian-vm.sh):
#      SELinux permissive with the container types.
# Prints "N passed, M failed" (skips counted apart) and exits non-zero on a failure.
# Usage: tests/vm/run-lsm-in-vm.sh [plain|selinux|seccomp]...   (default: plain selinux)
#   seccomp: tests/functional/seccomp.bats in the plain VM (an extra lane).
# Reports (TAP) land in reports/vm-lsm/.
# Never run two VMs at once: the lanes run one after the other.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$top/.." && pwd)/shared/vm
vm=${OCIVM_RUN:-$shared/run-in-vm.sh}
dvm=${OCIVM_DEBIAN_RUN:-$shared/run-in-debian-vm.sh}
out=$top/reports/vm-lsm
lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=(plain selinux)
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
mkdir -p "$out"

die() { echo "run-lsm-in-vm: $*" >&2; exit 2; }
[ -x "$vm" ] || die "run-in-vm.sh not found at $vm (set OCIVM_RUN)"
command -v gcc >/dev/null || die "gcc is needed for the static test helpers"

# --- the payload, shared by both lanes ---------------------------------------
common=$files/common
mkdir -p "$common/ocirun" "$common/ocirun-helpers" "$common/opt/bats/usr/bin" "$common/opt/bats/usr/lib" \
  "$common/opt/bats/usr/libexec"
cp -a "$top/tests" "$top/contrib" "$common/ocirun/"
# bats under /opt/bats (BATS_ROOT follows the script's path): it overwrites
# nothing in the Debian image
cp /usr/bin/bats "$common/opt/bats/usr/bin/"
cp -a /usr/lib/bats-core "$common/opt/bats/usr/lib/"
cp -a /usr/libexec/bats-core "$common/opt/bats/usr/libexec/"
# the VMs have no compiler and no python3: static helpers and the rootfs cache
for h in "$top"/tests/helpers/*.c; do
  n=$(basename "$h" .c)
  grep -q 'static helper' "$h" || continue
  gcc -static -pthread -O2 -o "$common/ocirun-helpers/$n" "$h" || die "cannot build $h"
done
OCIRUN="$top/ocirun" "$top/contrib/busybox-bundle.sh" "$common/ocirun-cache" true >/dev/null ||
  die "cannot build the busybox rootfs cache"

# plain VM: ocirun, jq and apparmor_parser with their libraries
plain=$files/plain
"$vm" fetch >/dev/null || die "run-in-vm.sh fetch failed"
"$vm" copy-bin "$plain" --into /usr/local/bin "$top/ocirun" "$(command -v jq)"
if command -v apparmor_parser >/dev/null; then
  "$vm" copy-bin "$plain" "$(command -v apparmor_parser)"
else
  echo "run-lsm-in-vm: apparmor_parser not found on the host (apt-get install apparmor): AppArmor tests will skip" >&2
fi

# Debian VM: its own glibc is the host's (Debian 12): only ocirun, its libraries
# aside in /opt/ocirun/lib, used when the image lacks one
deb=$files/debian
mkdir -p "$deb/usr/local/bin" "$deb/opt/ocirun/lib"
cp "$top/ocirun" "$deb/usr/local/bin/"
ldd "$top/ocirun" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do
  case $(basename "$lib") in libc.so.*|ld-linux*) continue ;; esac
  cp -L "$lib" "$deb/opt/ocirun/lib/"
done

run_bats='
export PATH=/opt/bats/usr/bin:$PATH
if ldd /usr/local/bin/ocirun 2>/dev/null | grep -q "not found"; then export LD_LIBRARY_PATH=/opt/ocirun/lib; fi
echo "# lane $LANE: $(uname -r), lsm: $(cat /sys/kernel/security/lsm 2>/dev/null)"
echo "# apparmor: $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || echo n/a), selinux: $(cat /sys/fs/selinux/enforce 2>/dev/null || echo n/a), bats: $(command -v bats)"
bats --tap "tests/functional/${BATS_FILE:-lsm}.bats" > "$OCIVM_OUT/lsm-$LANE.tap" 2>&1
rc=$?
cat "$OCIVM_OUT/lsm-$LANE.tap"
exit $rc'

rc_all=0
for lane in "${lanes[@]}"; do
  rm -f "$out/lsm-$lane.tap"
  case $lane in
    plain|seccomp)
      file=lsm; [ "$lane" = plain ] || file=seccomp
      "$vm" --files "$common" --files "$plain" --out "$out" --timeout "${OCIVM_TIMEOUT:-900}" --mem 2048 \
        --env OCIRUN=/usr/local/bin/ocirun --env OCIRUN_TEST_CACHE=/ocirun-cache \
        --env OCIRUN_TEST_HELPERS=/ocirun-helpers --env LANE="$lane" --env BATS_FILE="$file" \
        --cwd /ocirun -- bash -c "$run_bats"
      rc=$? ;;
    selinux)
      [ -x "$dvm" ] || die "run-in-debian-vm.sh not found at $dvm (set OCIVM_DEBIAN_RUN)"
      "$dvm" --selinux --files "$common" --files "$deb" --out "$out" --timeout "${OCIVM_TIMEOUT:-900}" \
        --env OCIRUN=/usr/local/bin/ocirun --env OCIRUN_TEST_CACHE=/ocirun-cache \
        --env OCIRUN_TEST_HELPERS=/ocirun-helpers --env LANE=selinux \
        --cwd /ocirun -- bash -c "$run_bats"
      rc=$? ;;
    *) die "unknown lane $lane (plain, selinux or seccomp)" ;;
  esac
  echo "run-lsm-in-vm: lane $lane exited $rc"
  [ "$rc" -eq 0 ] || rc_all=1
done

passed=0 failed=0 skipped=0
for lane in "${lanes[@]}"; do
  tap=$out/lsm-$lane.tap
  if [ ! -s "$tap" ]; then
    echo "run-lsm-in-vm: lane $lane produced no TAP" >&2
    failed=$((failed + 1)); continue
  fi
  p=$(grep -c '^ok ' "$tap" | tr -d ' '); s=$(grep -c '^ok .* # skip' "$tap" | tr -d ' ')
  f=$(grep -c '^not ok ' "$tap" | tr -d ' ')
  echo "lane $lane: $((p - s)) passed, $f failed, $s skipped"
  grep '^not ok \|# skip' "$tap" | sed "s/^/  $lane: /"
  passed=$((passed + p - s)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed passed, $failed failed ($skipped skipped)"
[ "$failed" -eq 0 ] && [ "$rc_all" -eq 0 ]
