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

files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
dest=$files/opt/ocirun-tests
mkdir -p "$dest/tests"
install -m 0755 "$ocirun" "$dest/ocirun"
cp -r "$here" "$dest/tests/podman"
# The VM image has no bats: bring the host's bats-core (Debian's layout, or /usr/share).
if command -v bats >/dev/null; then
  mkdir -p "$files/usr/bin"
  cp "$(command -v bats)" "$files/usr/bin/bats"
  for d in /usr/lib/bats-core /usr/share/bats-core /usr/libexec/bats-core; do
    [ -d "$d" ] || continue
    mkdir -p "$files$(dirname "$d")"
    cp -r "$d" "$files$d"
  done
else
  echo "run-in-vm.sh: bats is not installed on the host (apt-get install bats)" >&2
  exit 2
fi
# Everything merged into the guest's / must stay readable for the rootless
# user (a 0700 usr/ from a strict umask would lock it out of /usr).
chmod -R a+rX "$files"

# shellcheck disable=SC2016
quoted=$(printf ' %q' "$@")
inner='set -o pipefail; cd /opt/ocirun-tests; mkdir -p "$OCIVM_OUT"; start=$(date +%s);
bats --timing'"$quoted"' tests/podman/$LANE.bats 2>&1 | tee "$OCIVM_OUT/podman-$LANE.tap"; rc=$?;
echo "# $LANE lane: $(( $(date +%s) - start )) s, exit $rc"; exit $rc'

rc=0
for lane in $lanes; do
  args=(--files "$files" --timeout "${OCIVM_TIMEOUT:-1800}" --env "LANE=$lane" --env OCIRUN=/opt/ocirun-tests/ocirun)
  [ -n "$out" ] && args+=(--out "$out")
  [ "$lane" = rootless ] && args+=(--as-user)
  # The guest's user manager sometimes aborts at boot (a systemd assertion in
  # user@1001.service, before our command runs): boot again, up to 3 times.
  for try in 1 2 3; do
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
