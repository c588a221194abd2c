#!/usr/bin/env bash
# Run the podman end-to-end tests in the Debian 12 VM (systemd as PID 1, pure
# cgroup v2, podman 4.3, the lingering user "tester"): there the cgroup v2 flows
# (pause, --memory, OOM, update, --pids-limit) run instead of skipping, and
# podman uses the systemd cgroup manager (ocirun gets --systemd-cgroup).
#
# Usage: tests/podman/run-in-vm.sh [--root-only | --rootless-only] [--out DIR] [-- BATS-ARGS...]
#   e.g. tests/podman/run-in-vm.sh -- --filter-tags core
# Two boots: root.bats as root (system.slice), rootless.bats with --as-user
# (tester's systemd user session).  Exit status: 0 when both passed.
# Environment: OCIRUN (default ./ocirun), OCIVM_DEBIAN (default
# /work/shared/vm/run-in-debian-vm.sh), OCIVM_TIMEOUT (default 1800).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
vm=${OCIVM_DEBIAN:-$(cd "$top/.." && pwd)/shared/vm/run-in-debian-vm.sh}
ocirun=${OCIRUN:-$top/ocirun}
lanes="root rootless"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root-only) lanes=root; shift ;;
    --rootless-only) lanes=rootless; shift ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-in-vm.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$ocirun" ] || { echo "run-in-vm.sh: no ocirun at $ocirun (run make)" >&2; exit 2; }
[ -x "$vm" ] || { echo "run-in-vm.sh: no VM script at $vm" >&2; exit 2; }

# shellcheck source=../vm/payload.sh
. "$top/tests/vm/payload.sh"
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
umask 022
mkdir -p "$files/tests" "$files/bats"
strip -o "$files/ocirun" "$ocirun" 2>/dev/null || cp "$ocirun" "$files/ocirun"
chmod 0755 "$files/ocirun"
cp -r "$here" "$files/tests/podman"
# The VM image has no bats: bring the host's bats-core, relocated (its
# launcher finds libexec/ and lib/ next to bin/).
command -v bats >/dev/null || { echo "run-in-vm.sh: bats is not installed on the host (apt-get install bats)" >&2; exit 2; }
launcher=$(readlink -f "$(command -v bats)")
broot=${launcher%/*/*}
mkdir -p "$files/bats/bin"
cp "$launcher" "$files/bats/bin/bats"
for d in lib/bats-core libexec/bats-core; do
  [ -d "$broot/$d" ] && { mkdir -p "$files/bats/$(dirname "$d")"; cp -r "$broot/$d" "$files/bats/$d"; }
done
chmod -R a+rX "$files"
payload_env "$files"

# shellcheck disable=SC2016
quoted=$(printf ' %q' "$@")
inner=$PAYLOAD_UNPACK'set -o pipefail; cd "$OCIRUN_VM_DIR"; export OCIRUN=$OCIRUN_VM_DIR/ocirun PATH=$OCIRUN_VM_DIR/bats/bin:$PATH
mkdir -p "$OCIVM_OUT"; start=$(date +%s)
bats --timing'"$quoted"' tests/podman/$LANE.bats 2>&1 | tee "$OCIVM_OUT/podman-$LANE.tap"; rc=$?
echo "# $LANE lane: $(( $(date +%s) - start )) s, exit $rc"; exit $rc'

rc=0
for lane in $lanes; do
  args=("${PAYLOAD_ENV[@]}" --timeout "${OCIVM_TIMEOUT:-1800}" --env "LANE=$lane")
  [ -n "$out" ] && args+=(--out "$out")
  [ "$lane" = rootless ] && args+=(--as-user)
  # Files come as an environment payload (tests/vm/payload.sh says why); a
  # user manager that still failed to boot, before our command, gets one more boot.
  for try in 1 2; do
    echo "### podman tests, $lane lane, in the Debian VM (boot $try)" >&2
    log=$(mktemp)
    lrc=0
    "$vm" "${args[@]}" -- bash -c "$inner" 2>&1 | tee "$log" || lrc=1
    if grep -q 'user manager of tester: Failed to connect to bus' "$log"; then
      rm -f "$log"
      lrc=1
      continue
    fi
    rm -f "$log"
    break
  done
  [ "$lrc" -eq 0 ] || rc=1
done
exit $rc
