#!/usr/bin/env bats
# checkpoint / restore with CRIU.  The tests that need CRIU skip, with the
# reason, where `criu check` fails (a host kernel newer than the criu build
# knows); the VM lane runs them: tests/vm/run-criu-in-vm.sh.

load helpers

setup() {
  setup_common
  IMG="$TEST_TMP/image"
}

teardown() { teardown_common; }

# Was this ocirun built with CRIU (./configure without --disable-criu, with
# criu's headers)?  A build without it answers every checkpoint and restore
# with one message, which the tests below then expect instead.
criu_built() {
  "$OCIRUN" --version | grep -q '+CRIU'
}

# expect_criu_error MSG: the last `run` failed with MSG (or, in a build
# without CRIU, with the message that says so)
expect_criu_error() {
  [ "$status" -ne 0 ]
  if criu_built; then
    [[ "$output" == *"$1"* ]]
  else
    [[ "$output" == *"needs CRIU: this ocirun was built without it"* ]]
  fi
}

require_criu() {
  criu_built || skip "this ocirun was built without CRIU (--disable-criu or no criu headers)"
  [ "$(id -u)" = 0 ] || skip "checkpoint/restore needs root"
  command -v criu >/dev/null || skip "criu is not installed (apt-get install criu)"
  local out
  if ! out=$(criu check 2>&1); then
    skip "criu check fails on this kernel ($(uname -r)): $(printf '%s\n' "$out" | grep -m1 Error)"
  fi
}

# The last `run` succeeded; else show what it said and the end of CRIU's logs.
succeeded() {
  [ "$status" -eq 0 ] && return 0
  echo "status $status: $output" >&2
  tail -n 25 "$IMG"/*.log "$TEST_TMP"/work/*.log >&2 2>/dev/null || true
  return 1
}

# The container counts in /tmp/c (on its rootfs) ten times a second.
counter_config() {
  set_args sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/c; sleep 0.1; done'
}

# The counter's value as the host sees it ($1: the bundle, default $BUNDLE).
counter() {
  local v i
  for i in $(seq 1 50); do
    v=$(cat "${1:-$BUNDLE}/rootfs/tmp/c" 2>/dev/null || true)
    [ -n "$v" ] && { echo "$v"; return 0; }
    sleep 0.05
  done
  return 1
}

# wait_counter_above N [BUNDLE]: until the counter is past N (20 s at most)
wait_counter_above() {
  local i
  for i in $(seq 1 200); do
    [ "$(counter "${2:-$BUNDLE}")" -gt "$1" ] && return 0
    sleep 0.1
  done
  echo "the counter stayed at $(counter "${2:-$BUNDLE}") (not above $1)" >&2
  return 1
}

start_counter() {
  counter_config
  ocirun_bg run --detach --bundle "$BUNDLE" "$1"
  wait_for_status "$1" running
  wait_counter_above 2
}

@test "checkpoint stops the container and restore continues its counter under the same id" {
  require_criu
  start_counter "$ID"
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  succeeded
  [ "$(container_status "$ID")" = stopped ]
  [ -f "$IMG/inventory.img" ]
  n=$(counter)
  sleep 0.5
  [ "$(counter)" = "$n" ]

  run_bg restore --detach --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  succeeded
  [ "$(container_status "$ID")" = running ]
  if cgroup2_host && [ -z "$OCIRUN_GLOBAL" ]; then
    # back in the container's cgroup
    [ "$(cut -d: -f3 "/proc/$(container_pid "$ID")/cgroup")" = "/ocirun/$ID" ]
  fi
  # it goes on from n: never back to the start
  for i in $(seq 1 10); do
    [ "$(counter)" -ge "$n" ]
    sleep 0.1
  done
  wait_counter_above "$n"
  m=$(counter)
  wait_counter_above "$m"
}

@test "checkpoint --leave-running keeps the container running" {
  require_criu
  start_counter "$ID"
  run_ocirun checkpoint --leave-running --image-path "$IMG" --work-path "$TEST_TMP/work" "$ID"
  succeeded
  [ -f "$IMG/inventory.img" ]
  [ -f "$TEST_TMP/work/dump.log" ]
  [ "$(container_status "$ID")" = running ]
  wait_counter_above "$(counter)"
}

@test "restore under a different id runs the checkpointed process there" {
  require_criu
  start_counter "$ID"
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  succeeded
  n=$(counter)
  run_bg restore -d --image-path "$IMG" --bundle "$BUNDLE" "$ID-2"
  succeeded
  [ "$(container_status "$ID-2")" = running ]
  [ "$(container_status "$ID")" = stopped ]
  [ "$(counter)" -ge "$n" ]
  wait_counter_above "$n"
  # the restored process is the container's: kill reaches it
  run_ocirun kill "$ID-2" KILL
  succeeded
  wait_for_status "$ID-2" stopped
}

@test "restore in the foreground waits and exits with the container's code" {
  require_criu
  set_args sh -c 'i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo $i > /tmp/c; sleep 0.1; done; exit 7'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" running
  wait_counter_above 2
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  succeeded
  run_bg restore --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 7 ]
  [ "$(counter)" = 40 ]
  # like run: the container is gone afterwards
  run_ocirun state "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "restore refuses an id whose container is running" {
  require_criu
  start_counter "$ID"
  run_ocirun checkpoint --leave-running --image-path "$IMG" "$ID"
  succeeded
  run_bg restore -d --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container \`$ID\` exists and is running"* ]]
  [[ "$output" == *"restore under another id"* ]]
  [ "$(container_status "$ID")" = running ]
}

@test "checkpoint of a missing container says it does not exist" {
  run_ocirun checkpoint --image-path "$IMG" nosuch
  expect_criu_error "container \`nosuch\` does not exist"
  [ ! -e "$IMG" ]
}

@test "checkpoint of a created container is refused: it is not running" {
  counter_config
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  expect_criu_error "cannot be checkpointed: it is created, not running"
}

@test "restore from an empty directory names it and the fix" {
  mkdir -p "$IMG"
  run_ocirun restore -d --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  expect_criu_error "\`$IMG\` holds no checkpoint (no inventory.img)"
  ! criu_built || [[ "$output" == *"pass the --image-path \`ocirun checkpoint\` wrote to"* ]]
  run_ocirun state "$ID"
  [[ "$output" == *"does not exist"* ]]
}

@test "restore from a missing directory names it" {
  run_ocirun restore -d --image-path "$TEST_TMP/none" --bundle "$BUNDLE" "$ID"
  expect_criu_error "image directory \`$TEST_TMP/none\` does not exist"
}

@test "an unknown --manage-cgroups-mode is refused with the valid ones" {
  run_ocirun checkpoint --manage-cgroups-mode sometimes --image-path "$IMG" "$ID"
  expect_criu_error "--manage-cgroups-mode \`sometimes\`: use soft, full, strict or ignore"
}

@test "without CRIU checkpoint says to install it and the container keeps running" {
  [ "$(id -u)" = 0 ] || skip "checkpoint needs root"
  counter_config
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" running
  OCIRUN_CRIU_LIBRARY=/nonexistent/libcriu.so.2 run_ocirun checkpoint --image-path "$IMG" "$ID"
  expect_criu_error "checkpoint needs CRIU: install the criu package"
  ! criu_built || [[ "$output" == *"/nonexistent/libcriu.so.2"* ]]
  [ "$(container_status "$ID")" = running ]
}

@test "without CRIU restore says to install it" {
  [ "$(id -u)" = 0 ] || skip "restore needs root"
  mkdir -p "$IMG"
  : > "$IMG/inventory.img"
  OCIRUN_CRIU_LIBRARY=/nonexistent/libcriu.so.2 run_ocirun restore -d --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  expect_criu_error "restore needs CRIU: install the criu package"
  run_ocirun state "$ID"
  [[ "$output" == *"does not exist"* ]]
}

@test "restore binds the config's bind mounts again: the counter goes on in the host directory" {
  require_criu
  mkdir -p "$TEST_TMP/data"
  set_config '.mounts += [{"destination": "/data", "type": "bind", "source": "'"$TEST_TMP/data"'", "options": ["rbind", "rw"]}]'
  set_args sh -c 'i=0; while :; do i=$((i+1)); echo $i > /data/c; sleep 0.1; done'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" running
  for i in $(seq 1 100); do [ -s "$TEST_TMP/data/c" ] && break; sleep 0.1; done
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  succeeded
  n=$(cat "$TEST_TMP/data/c")
  run_bg restore -d --image-path "$IMG" --bundle "$BUNDLE" --pid-file "$TEST_TMP/pid" "$ID"
  succeeded
  [ "$(cat "$TEST_TMP/pid")" = "$(container_pid "$ID")" ]
  for i in $(seq 1 100); do
    v=$(cat "$TEST_TMP/data/c")
    [ -n "$v" ] && [ "$v" -gt "$n" ] && break
    sleep 0.1
  done
  [ "$v" -gt "$n" ]
}

@test "a paused container can be checkpointed and comes back running" {
  require_criu
  skip_unless_cgroup2
  start_counter "$ID"
  ocirun pause "$ID"
  [ "$(container_status "$ID")" = paused ]
  run_ocirun checkpoint --image-path "$IMG" "$ID"
  succeeded
  [ "$(container_status "$ID")" = stopped ]
  n=$(counter)
  run_bg restore -d --image-path "$IMG" --bundle "$BUNDLE" "$ID"
  succeeded
  echo "after restore: $(container_status "$ID")" >&2
  [ "$(container_status "$ID")" = running ]
  wait_counter_above "$n"
}
