#!/usr/bin/env bats
# The runtime-spec lifecycle: create, start, state, kill, delete.
load helpers

@test "create leaves the container created with its init blocked" {
  set_args sh -c 'echo started > /ran; sleep 100'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(container_status "$ID")" = created ]
  pid=$(container_pid "$ID")
  [ "$pid" -gt 0 ]
  kill -0 "$pid"
  [ ! -e "$BUNDLE/rootfs/ran" ]
}

@test "start runs the process and state says running" {
  set_args sh -c 'echo started > /ran; sleep 100'
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_ocirun start "$ID"
  [ "$status" -eq 0 ]
  wait_for_status "$ID" running
  for i in $(seq 50); do [ -e "$BUNDLE/rootfs/ran" ] && break; sleep 0.05; done
  [ "$(cat "$BUNDLE/rootfs/ran")" = started ]
}

@test "state prints the spec's fields plus rootfs, created and owner" {
  set_config '.annotations = {"org.example.key": "value"}'
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_ocirun state "$ID"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -r .id)" = "$ID" ]
  [ "$(echo "$output" | jq -r .status)" = created ]
  [ "$(echo "$output" | jq -r .bundle)" = "$(realpath "$BUNDLE")" ]
  [ "$(echo "$output" | jq -r .rootfs)" = "$(realpath "$BUNDLE/rootfs")" ]
  [ "$(echo "$output" | jq -r .ociVersion)" != null ]
  [ "$(echo "$output" | jq -r .created)" != null ]
  [ "$(echo "$output" | jq -r .owner)" = "$(id -un)" ]
  [ "$(echo "$output" | jq -r '.annotations["org.example.key"]')" = value ]
  [ "$(echo "$output" | jq -r .pid)" -gt 0 ]
}

@test "a container whose process exited is stopped" {
  set_args true
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  ocirun start "$ID"
  wait_for_status "$ID" stopped
  [ "$(container_pid "$ID")" = 0 ]
}

@test "start twice fails and says why" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  ocirun start "$ID"
  run_ocirun start "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not created"* ]]
}

@test "delete refuses a created container without --force" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_ocirun delete "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"is created"* ]]
  [ "$(container_status "$ID")" = created ]
}

@test "delete refuses a running container without --force" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun delete "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"is running"* ]]
  [ "$(container_status "$ID")" = running ]
}

@test "delete --force kills and removes a running container" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  pid=$(container_pid "$ID")
  run_ocirun delete --force "$ID"
  [ "$status" -eq 0 ]
  [ ! -d "$ROOT/$ID" ]
  ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
  run_ocirun state "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "delete removes a stopped container" {
  set_args true
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" stopped
  run_ocirun delete "$ID"
  [ "$status" -eq 0 ]
  [ ! -d "$ROOT/$ID" ]
}

@test "kill sends TERM by default" {
  set_args sh -c 'trap "echo got-term > /term; exit 3" TERM; while true; do sleep 0.1; done'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  sleep 0.3
  run_ocirun kill "$ID"
  [ "$status" -eq 0 ]
  wait_for_status "$ID" stopped
  [ "$(cat "$BUNDLE/rootfs/term")" = got-term ]
}

@test "kill takes a signal by name, with or without SIG, or by number" {
  for sig in KILL SIGKILL 9; do
    set_args sleep 100
    ocirun_bg run --detach --bundle "$BUNDLE" "$ID-$sig"
    run_ocirun kill "$ID-$sig" "$sig"
    [ "$status" -eq 0 ]
    wait_for_status "$ID-$sig" stopped
  done
}

@test "kill rejects an unknown signal" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun kill "$ID" SIGBOGUS
  [ "$status" -ne 0 ]
  [[ "$output" == *"unknown signal"* ]]
  [ "$(container_status "$ID")" = running ]
}

@test "kill on a stopped container fails and changes nothing" {
  set_args true
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" stopped
  run_ocirun kill "$ID" KILL
  [ "$status" -ne 0 ]
  [[ "$output" == *"not running"* ]]
  [ "$(container_status "$ID")" = stopped ]
  [ -d "$ROOT/$ID" ]
}

@test "create writes the pid file" {
  set_args sleep 100
  run_bg create --bundle "$BUNDLE" --pid-file "$TEST_TMP/pid" "$ID"
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_TMP/pid")" = "$(container_pid "$ID")" ]
}

@test "options may come in any order before the id, and --bundle defaults to the cwd" {
  set_args sleep 100
  cd "$BUNDLE"
  run_bg create --pid-file "$TEST_TMP/pid" "$ID"
  [ "$status" -eq 0 ]
  [ -s "$TEST_TMP/pid" ]
}

@test "create --config uses a config not named config.json" {
  set_args sleep 100
  mv "$BUNDLE/config.json" "$BUNDLE/other.json"
  run_bg create --bundle "$BUNDLE" --config other.json "$ID"
  [ "$status" -eq 0 ]
  [ "$(container_status "$ID")" = created ]
}

@test "run exits with the container's exit code" {
  run_container sh -c 'exit 42'
  [ "$status" -eq 42 ]
  [ ! -d "$ROOT/$ID" ]
}

@test "run exits 128+signal when the container is killed" {
  set_args sleep 100
  # shellcheck disable=SC2086
  "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 &
  runpid=$!
  wait_for_status "$ID" running
  ocirun kill "$ID" KILL
  wait "$runpid" || rc=$?
  [ "${rc:-0}" -eq 137 ]
}

@test "run forwards signals to the container" {
  set_args sh -c 'trap "exit 7" USR1; while true; do sleep 0.1; done'
  # shellcheck disable=SC2086
  "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 &
  runpid=$!
  wait_for_status "$ID" running
  sleep 0.3
  kill -USR1 "$runpid"
  wait "$runpid" || rc=$?
  [ "${rc:-0}" -eq 7 ]
}

@test "run --keep keeps the stopped container" {
  set_args true
  run_ocirun run --keep --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(container_status "$ID")" = stopped ]
}

@test "the container's stdio is the runtime's" {
  run_container sh -c 'echo to-stdout; echo to-stderr >&2'
  [ "$status" -eq 0 ]
  [[ "$output" == *to-stdout* ]]
  [[ "$output" == *to-stderr* ]]
}

@test "list shows containers as a table, ids only, and JSON" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_ocirun list
  [ "$status" -eq 0 ]
  [[ "$output" == *"$ID"*created* ]]
  run_ocirun list -q
  [ "$output" = "$ID" ]
  run_ocirun list --format json
  [ "$(echo "$output" | jq -r '.[0].id')" = "$ID" ]
  [ "$(echo "$output" | jq -r '.[0].status')" = created ]
}

@test "an existing id cannot be created twice" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"already exists"* ]]
  [ "$(container_status "$ID")" = created ]
}

@test "concurrent calls on one id are safe" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  for i in 1 2 3 4 5 6; do ocirun start "$ID" >/dev/null 2>&1 & done
  wait
  wait_for_status "$ID" running
  [ "$(ocirun ps "$ID" | grep -c sleep)" -ge 1 ]
}

@test "an interrupted create is reported clearly and can be deleted" {
  mkdir -p "$ROOT/$ID"
  run_ocirun state "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"interrupted"* ]]
  run_ocirun delete "$ID"
  [ "$status" -eq 0 ]
  [ ! -d "$ROOT/$ID" ]
}

@test "state of a missing container says it does not exist" {
  run_ocirun state nosuchcontainer
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "ps lists the container's processes" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun ps --format json "$ID"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq '.[0]')" = "$(container_pid "$ID")" ]
}

@test "no process is left behind after delete" {
  set_args sleep 1000
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  pid=$(container_pid "$ID")
  ocirun delete --force "$ID"
  for i in $(seq 50); do [ -e /proc/$pid ] || break; [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = Z ] && break; sleep 0.05; done
  ! [ -e /proc/$pid ] || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
}

@test "a new network namespace has lo up" {
  run_container sh -c 'cat /sys/class/net/lo/operstate /sys/class/net/lo/flags'
  [ "$status" -eq 0 ]
  # IFF_UP is bit 0 of the flags
  flags=$(printf '%s\n' "$output" | tail -1)
  [ $(( flags & 1 )) -eq 1 ]
}

@test "kill --all without a cgroup reaches every process of the pid namespace" {
  set_args sh -c 'sleep 1000 & sleep 1000 & wait'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  sleep 0.5
  run_ocirun ps --format json "$ID"
  [ "$(echo "$output" | jq length)" -eq 3 ]
  run_ocirun kill --all "$ID" KILL
  [ "$status" -eq 0 ]
  wait_for_status "$ID" stopped
}

@test "delete --force of a missing container succeeds, plain delete says it does not exist" {
  run_ocirun delete --force nosuchcontainer
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run_ocirun delete nosuchcontainer
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "list skips a record whose creation was interrupted (no state.json) and lists the rest" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  mkdir -p "$ROOT/interrupted-$ID"
  run_ocirun list -q
  [ "$status" -eq 0 ]
  [[ "$output" == *"$ID"* ]]
  [[ "$output" != *"interrupted-$ID"* ]]
  run_ocirun list --format json
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -r '.[].id' | grep -c "^$ID\$")" -eq 1 ]
  run_ocirun delete --force "interrupted-$ID"
  [ "$status" -eq 0 ]
}

# forge_state KEY=JQ...: edit the record of $ID as a crash or reboot leaves it
forge_state() {
  local f="$ROOT/$ID/state.json"
  jq "$1" "$f" > "$f.tmp" && mv "$f.tmp" "$f"
}

@test "a record whose pid now names a stranger reads as stopped; kill and delete --force never signal it" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  [ "$(container_status "$ID")" = running ]
  local init
  init=$(ocirun state "$ID" | jq .pid)
  sleep 1000 &
  local stranger=$!
  # the init dies (a crash), the pid goes to someone else
  kill -9 "$init"
  forge_state ".pid = $stranger"
  [ "$(container_status "$ID")" = stopped ]
  run_ocirun kill "$ID" KILL
  [ "$status" -ne 0 ]
  run_ocirun delete --force "$ID"
  [ "$status" -eq 0 ]
  kill -0 "$stranger"
  kill "$stranger"
}

@test "a record from an earlier boot reads as stopped even when pid and start time match a live process" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  [ "$(container_status "$ID")" = running ]
  local init
  init=$(ocirun state "$ID" | jq .pid)
  forge_state '.bootId = "00000000-0000-0000-0000-000000000000"'
  [ "$(container_status "$ID")" = stopped ]
  run_ocirun kill "$ID" KILL
  [ "$status" -ne 0 ]
  # its pid is alive (for this test, the real init): never signalled
  kill -0 "$init"
  kill -9 "$init"
  run_ocirun delete --force "$ID"
  [ "$status" -eq 0 ]
}
