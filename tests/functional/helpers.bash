# Shared helpers for the functional tests (bats-core).
# OCIRUN: the binary under test.  On a host without pure cgroup v2 the tests
# pass --cgroup-manager=disabled (the VM lane runs them with cgroups).

OCIRUN=${OCIRUN:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/ocirun}
SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

cgroup2_host() {
  [ -e /sys/fs/cgroup/cgroup.controllers ]
}

if [ -z "${OCIRUN_GLOBAL+x}" ]; then
  if cgroup2_host; then OCIRUN_GLOBAL=""; else OCIRUN_GLOBAL="--cgroup-manager=disabled"; fi
fi

# A cached busybox rootfs, copied into each bundle.
rootfs_cache() {
  local cache=${OCIRUN_TEST_CACHE:-${BATS_RUN_TMPDIR:-/tmp}/ocirun-rootfs}
  if [ ! -x "$cache/rootfs/bin/busybox" ]; then
    mkdir -p "$cache.tmp.$$"
    OCIRUN="$OCIRUN" "$SRCDIR/contrib/busybox-bundle.sh" "$cache.tmp.$$" true >/dev/null
    rm -rf "$cache"
    mv "$cache.tmp.$$" "$cache"
  fi
  echo "$cache"
}

setup_common() {
  TEST_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ocirun-test.XXXXXX")
  ROOT="$TEST_TMP/state"
  BUNDLE="$TEST_TMP/bundle"
  ID="t$$-${BATS_TEST_NUMBER:-0}-$RANDOM"
  mkdir -p "$ROOT" "$BUNDLE"
  local cache
  cache=$(rootfs_cache)
  cp -a "$cache/rootfs" "$BUNDLE/rootfs"
  cp "$cache/config.json" "$BUNDLE/config.json"
  # the tests write where they need to: a writable root
  set_config '.root.readonly = false'
}

teardown_common() {
  local id
  if [ -d "$ROOT" ]; then
    for id in $(ls "$ROOT" 2>/dev/null); do
      "$OCIRUN" --root "$ROOT" delete --force -- "$id" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$TEST_TMP"
}

setup() { setup_common; }
teardown() { teardown_common; }

# set_config JQ-FILTER: edit the bundle's config.json
set_config() {
  local tmp="$BUNDLE/config.json.tmp"
  jq "$1" "$BUNDLE/config.json" > "$tmp" && mv "$tmp" "$BUNDLE/config.json"
}

# set_args ARG...: process.args
set_args() {
  set_config ".process.args = $(printf '%s\n' "$@" | jq -R . | jq -s -c .)"
}

# OCIRUN_TEST_DIR marks ocirun and every process it forks until one execs:
# assert_nothing_left finds a leftover by it (a pivoted process's
# /proc/PID/root says only "/").
ocirun() {
  # shellcheck disable=SC2086
  OCIRUN_TEST_DIR=$TEST_TMP "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL "$@"
}

run_ocirun() {
  run ocirun "$@"
}

container_status() {
  ocirun state "$1" | jq -r .status
}

container_pid() {
  ocirun state "$1" | jq -r .pid
}

# wait_for_status ID STATUS [TRIES]
wait_for_status() {
  local i
  for i in $(seq 1 "${3:-100}"); do
    [ "$(container_status "$1" 2>/dev/null)" = "$2" ] && return 0
    sleep 0.05
  done
  echo "container $1 is $(container_status "$1" 2>&1), not $2" >&2
  return 1
}

# run_container CMD...: run in the foreground with CMD; sets status/output
run_container() {
  set_args "$@"
  run ocirun run --bundle "$BUNDLE" "$ID"
}

skip_unless_cgroup2() {
  cgroup2_host || skip "needs pure cgroup v2 (runs in the VM lane)"
  [ -z "$OCIRUN_GLOBAL" ] || skip "cgroup manager disabled"
}

# A created or detached container keeps the runtime's stdio: give it a file,
# not bats' pipe (or `run` waits for the container to close it).
ocirun_bg() {
  ocirun "$@" </dev/null >>"$TEST_TMP/bg.out" 2>&1
}

run_bg() {
  : > "$TEST_TMP/bg.out"
  run ocirun_bg "$@"
  output=$(cat "$TEST_TMP/bg.out")
}

# The console-socket and notify helpers are Python: the cgroup v2 VM has no
# python3, so those tests run natively only.
require_python() {
  command -v python3 >/dev/null || skip "needs python3 for the test helper (runs natively)"
}
