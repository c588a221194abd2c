#!/usr/bin/env bats
# exec: a new process in every namespace of a running container, with the
# process attributes of --process or the command line; ps.
load helpers
load environment

start_sleeper() {
  set_args sleep 1000
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" running
  INIT=$(container_pid "$ID")
}

@test "exec joins every namespace of the container and propagates the exit code" {
  set_config '.hostname = "execbox"'
  start_sleeper
  run ocirun exec "$ID" sh -c 'hostname; for n in mnt pid net ipc uts; do readlink /proc/self/ns/$n; done; exit 7'
  [ "$status" -eq 7 ]
  [ "${lines[0]}" = execbox ]
  for i in 1 2 3 4 5; do
    ns=$(echo "${lines[$i]}" | cut -d: -f1)
    [ "${lines[$i]}" = "$(readlink /proc/$INIT/ns/$ns)" ]
  done
}

@test "exec --env --cwd --user --cap --no-new-privs apply to the new process" {
  start_sleeper
  run ocirun exec --env FOO=bar --cwd /tmp --user 1000:1001 --cap CAP_SYS_TIME --no-new-privs "$ID" \
    sh -c 'echo $FOO; pwd; id -u; id -g; grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = bar ]
  [ "${lines[1]}" = /tmp ]
  [ "${lines[2]}" = 1000 ]
  [ "${lines[3]}" = 1001 ]
  # CAP_SYS_TIME is 25
  [ $(( 0x$(echo "${lines[4]}" | awk '{print $2}') >> 25 & 1 )) -eq 1 ]
  [ "${lines[5]}" = "NoNewPrivs:	1" ]
}

@test "exec --process runs podman's exec process (user, cwd, rlimits)" {
  start_sleeper
  jq '.args = ["sh", "-c", "id -u; pwd; grep \"open files\" /proc/self/limits"]' \
    $SRCDIR/tests/unit/samples/root-exec.exec-process.json > "$TEST_TMP/process.json" 2>/dev/null \
    || skip "no podman samples"
  run ocirun exec --process "$TEST_TMP/process.json" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = /tmp ]
  [[ "${lines[2]}" =~ open\ files\ +20000\ +20000 ]]
}

@test "exec --detach --pid-file returns at once and records the pid" {
  start_sleeper
  ocirun_bg exec --detach --pid-file "$TEST_TMP/exec.pid" "$ID" sh -c 'sleep 0.3; echo done > /tmp/detached'
  pid=$(cat "$TEST_TMP/exec.pid")
  [ "$pid" -gt 0 ]
  for i in $(seq 50); do [ -e "$BUNDLE/rootfs/tmp/detached" ] && break; sleep 0.1; done
  [ "$(cat "$BUNDLE/rootfs/tmp/detached")" = done ]
}

@test "exec --tty --console-socket with podman's tty exec process" {
  start_sleeper
  jq '.args = ["tty"]' $SRCDIR/tests/unit/samples/root-exec-tty.exec-process.json > "$TEST_TMP/process.json" 2>/dev/null \
    || skip "no podman samples"
  require_python
  python3 "$SRCDIR/tests/helpers/console-socket.py" "$TEST_TMP/console.sock" "$TEST_TMP/tty.out" &
  receiver=$!
  for i in $(seq 1 100); do [ -S "$TEST_TMP/console.sock" ] && break; sleep 0.05; done
  ocirun_bg exec --pid-file "$TEST_TMP/exec.pid" --process "$TEST_TMP/process.json" --detach --tty --console-socket "$TEST_TMP/console.sock" "$ID"
  wait "$receiver"
  [[ "$(tr -d '\r' < "$TEST_TMP/tty.out")" == /dev/pts/* ]]
}

@test "exec --preserve-fds passes the extra fds and LISTEN_PID" {
  start_sleeper
  echo passed > "$TEST_TMP/fd3"
  run env LISTEN_FDS=1 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL exec --preserve-fds 1 "$ID" sh -c 'cat <&3; [ "$LISTEN_PID" = $$ ] && echo pid-ok' 3<"$TEST_TMP/fd3"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = passed ]
  [ "${lines[1]}" = pid-ok ]
}

@test "exec joins the user namespace first" {
  use_userns
  start_sleeper
  run ocirun exec "$ID" sh -c 'cat /proc/self/uid_map; id -u; touch /tmp/by-exec'
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^\ +0\ +100000\ +65536$ ]]
  [ "${lines[1]}" = 0 ]
  [ "$(stat -c %u "$BUNDLE/rootfs/tmp/by-exec")" = 100000 ]
}

@test "ps lists the container's processes as a table and as json" {
  start_sleeper
  run ocirun ps --format json "$ID"
  [ "$status" -eq 0 ]
  echo "$output" | jq -e --argjson p "$INIT" 'index($p) != null'
  run ocirun ps "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == PID* ]]
  [[ "$output" == *"$INIT"*"sleep 1000"* ]]
}

@test "bad input: exec in a stopped container says so" {
  set_args true
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" stopped
  run ocirun exec "$ID" true
  assert_one_line_error "cannot exec in container \`$ID\`: it is stopped"
}

@test "bad input: exec --user with a name is refused with the fix" {
  start_sleeper
  run ocirun exec --user alice "$ID" true
  assert_one_line_error '--user `alice`: use UID[:GID] (numbers)'
  [ "$(ocirun ps --format json "$ID" | jq length)" -eq 1 ]
}

@test "bad input: exec --cap with an unknown capability names it" {
  start_sleeper
  run ocirun exec --cap CAP_BOGUS "$ID" true
  assert_one_line_error 'CAP_BOGUS'
  [ "$(ocirun ps --format json "$ID" | jq length)" -eq 1 ]
}

@test "bad input: ps --format xml names the choices" {
  start_sleeper
  run ocirun ps --format xml "$ID"
  assert_one_line_error '--format `xml`: use table or json'
}
