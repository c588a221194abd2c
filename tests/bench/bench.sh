#!/usr/bin/env bash
# Benchmark `run` of a busybox container (`true`) with hyperfine, as a ratio
# against crun and runc measured in the same run.
#   tests/bench/bench.sh            natively (crun 1.8.1 refuses hybrid cgroup
#                                   hosts, so natively only runc is compared;
#                                   ocirun then runs with --cgroup-manager=disabled
#                                   while runc uses its v1 cgroups)
#   tests/bench/bench.sh --vm       inside the pure cgroup v2 VM: ocirun, crun and
#                                   runc, each with its cgroupfs manager
# Needs: apt-get install hyperfine crun runc.  Prints "ratio" lines (mean time of
# the other runtime / mean time of ocirun: > 1 means ocirun is faster).
# "ocirun-ro" is the same binary on a read-only mount: create, run and exec
# then skip the sealed memfd copy that protects the binary from containers
# (CVE-2019-5736), so ocirun/ocirun-ro is the per-run cost of that copy.
# The read-only mount is made in a private mount namespace.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${BENCH_RUNS:-30}

if [ "${1:-}" != --vm ] && [ -z "${BENCH_UNSHARED:-}" ] && [ "$(id -u)" = 0 ]; then
  BENCH_UNSHARED=1 exec unshare -m --propagation private -- "$0" "$@"
fi

if [ "${1:-}" = --vm ]; then
  vm=${OCIVM_RUN:-$(cd "$top/.." && pwd)/shared/vm/run-in-vm.sh}
  files=$(mktemp -d)
  trap 'rm -rf "$files"' EXIT
  "$vm" fetch >/dev/null
  "$vm" copy-bin "$files" --into /usr/local/bin "$top/ocirun" "$(command -v hyperfine)" "$(command -v jq)"
  "$vm" copy-bin "$files" /usr/bin/crun /usr/bin/runc
  mkdir -p "$files/bench"
  cp "$0" "$files/bench/bench.sh"
  OCIRUN="$top/ocirun" "$top/contrib/busybox-bundle.sh" "$files/bench/bundle" true >/dev/null
  jq '.root.readonly = false' "$files/bench/bundle/config.json" > "$files/bench/c" && mv "$files/bench/c" "$files/bench/bundle/config.json"
  mkdir -p "$top/reports"
  exec "$vm" --files "$files" --out "$top/reports/bench-vm" --timeout 1800 -- \
    env BENCH_RUNS="$runs" BENCH_IN_VM=1 bash /bench/bench.sh --inside /bench/bundle
fi

if [ "${1:-}" = --inside ]; then
  bundle=$2
  ocirun=/usr/local/bin/ocirun
  rts=(crun runc)
  ocirun_global=""
else
  bundle=$(mktemp -d)
  trap 'rm -rf "$bundle"' EXIT
  OCIRUN="$top/ocirun" "$top/contrib/busybox-bundle.sh" "$bundle" true >/dev/null
  # no resources: nothing to enforce without cgroup v2
  jq '.root.readonly = false | del(.linux.resources)' "$bundle/config.json" > "$bundle/c" && mv "$bundle/c" "$bundle/config.json"
  ocirun=$top/ocirun
  rts=(runc)
  ocirun_global="--cgroup-manager=disabled"
fi
state=$(mktemp -d)
cd "$bundle"
cmds=("$ocirun --root $state/ocirun $ocirun_global run b\$RANDOM")
names=(ocirun)
if [ -n "${BENCH_UNSHARED:-}" ] || [ -n "${BENCH_IN_VM:-}" ]; then
  mkdir -p "$state/ro"
  cp "$ocirun" "$state/ro/ocirun"
  if mount --bind "$state/ro" "$state/ro" && mount -o remount,bind,ro "$state/ro"; then
    cmds+=("$state/ro/ocirun --root $state/ocirun-ro $ocirun_global run b\$RANDOM")
    names+=(ocirun-ro)
  fi
fi
for rt in "${rts[@]}"; do
  command -v "$rt" >/dev/null || continue
  cmds+=("$rt --root $state/$rt run b\$RANDOM")
  names+=("$rt")
done
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
# Through a shell (hyperfine subtracts its start-up): each run needs a new id.
hyperfine --warmup 3 --runs "$runs" --export-json "$state/bench.json" "${args[@]}" 2>&1 | grep -v '^ *$'
base=$(jq '.results[] | select(.command == "ocirun") | .mean' "$state/bench.json")
echo
echo "binary size: ocirun $(stat -c %s "$ocirun") bytes$(for rt in "${rts[@]}"; do command -v "$rt" >/dev/null && printf ', %s %s bytes' "$rt" "$(stat -c %s "$(command -v "$rt")")"; done)"
jq -r --argjson base "$base" '.results[] | "mean \(.command): \(.mean * 1000 | floor) ms (stddev \(.stddev * 1000 | floor) ms)" ' "$state/bench.json"
jq -r --argjson base "$base" '.results[] | select(.command != "ocirun") | "ratio \(.command)/ocirun: \(.mean / $base * 100 | floor / 100)"' "$state/bench.json"
if jq -e '.results[] | select(.command == "ocirun-ro")' "$state/bench.json" >/dev/null; then
  jq -r '[.results[] | {(.command): .mean}] | add | "binary protection (sealed memfd copy): \((.ocirun - ."ocirun-ro") * 1000 * 100 | floor / 100) ms per run, ocirun/ocirun-ro = \(.ocirun / ."ocirun-ro" * 100 | floor / 100)"' "$state/bench.json"
fi
umount "$state/ro" 2>/dev/null || true
[ -n "${BENCH_IN_VM:-}" ] && cp "$state/bench.json" "$OCIVM_OUT/" 2>/dev/null || true
rm -rf "$state"
