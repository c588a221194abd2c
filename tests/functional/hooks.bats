#!/usr/bin/env bats
# OCI hooks: order, namespaces, state on stdin, env, timeout, failures.
load helpers
load environment

# hook NAME SCRIPT [EXTRA-JSON]: a hook object running /bin/sh -c SCRIPT NAME
hook() {
  jq -n -c --arg name "$1" --arg script "$2" '{path: "/bin/sh", args: ["sh", "-c", $script, $name]}' \
    | jq -c ". + ${3:-{\}}"
}

# logs "NAME STATUS" from the state JSON on stdin
LOG_STATE='printf "%s %s\n" "$0" "$(sed -n "s/.*\"status\":\"\([a-z]*\)\".*/\1/p")" >> '

@test "the six hooks run in order, each with the state on stdin" {
  log="$TEST_TMP/log"
  set_config ".hooks = {
    \"prestart\": [$(hook prestart "$LOG_STATE $log")],
    \"createRuntime\": [$(hook createRuntime "$LOG_STATE $log")],
    \"createContainer\": [$(hook createContainer "$LOG_STATE $log")],
    \"startContainer\": [$(hook startContainer "$LOG_STATE /hooklog")],
    \"poststart\": [$(hook poststart "$LOG_STATE $log")],
    \"poststop\": [$(hook poststop "$LOG_STATE $log")]}"
  set_args sh -c 'echo process >> /hooklog'
  run ocirun run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(cat "$log")" = "$(printf 'prestart created\ncreateRuntime created\ncreateContainer created\npoststart running\npoststop stopped')" ]
  [ "$(cat "$BUNDLE/rootfs/hooklog")" = "$(printf 'startContainer running\nprocess')" ]
}

@test "prestart and createRuntime run in the runtime's namespaces, createContainer in the container's" {
  log="$TEST_TMP/log"
  ns='echo "$0 $(readlink /proc/self/ns/mnt) $(hostname)" >> '
  set_config ".hostname = \"hooked\" | .hooks = {
    \"prestart\": [$(hook prestart "$ns $log")],
    \"createRuntime\": [$(hook createRuntime "$ns $log")],
    \"createContainer\": [$(hook createContainer "$ns $log")]}"
  run_container true
  [ "$status" -eq 0 ]
  host="$(readlink /proc/self/ns/mnt) $(hostname)"
  [ "$(sed -n 1p "$log")" = "prestart $host" ]
  [ "$(sed -n 2p "$log")" = "createRuntime $host" ]
  # the hostname is set after createContainer (it runs before pivot_root), but
  # the mount namespace is the container's
  [[ "$(sed -n 3p "$log")" != "createContainer $(readlink /proc/self/ns/mnt) "* ]]
}

@test "a hook gets its env and args, not the runtime's environment" {
  log="$TEST_TMP/log"
  set_config ".hooks.prestart = [$(hook prestart 'echo "FOO=$FOO HOME=${HOME:-unset}" >> '"$log" '{"env": ["FOO=bar"]}')]"
  HOME=/root run_container true
  [ "$(cat "$log")" = "FOO=bar HOME=unset" ]
}

@test "a hook that exits without reading stdin does not hurt the runtime" {
  big=$(head -c 300000 /dev/zero | tr '\0' x)
  printf '{"big": "%s"}' "$big" > "$TEST_TMP/ann.json"
  jq --slurpfile a "$TEST_TMP/ann.json" '.annotations = $a[0]' "$BUNDLE/config.json" > "$TEST_TMP/c" && mv "$TEST_TMP/c" "$BUNDLE/config.json"
  set_config ".hooks.prestart = [$(hook prestart 'exit 0')] | .hooks.poststop = [$(hook poststop 'exit 0')]"
  run_container echo ran
  [ "$status" -eq 0 ]
  [ "$output" = ran ]
}

@test "a hook past its timeout is killed and fails the create" {
  set_config ".hooks.prestart = [$(hook prestart 'sleep 30' '{"timeout": 1}')]"
  set_args true
  SECONDS=0
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$SECONDS" -lt 10 ]
  [[ "$output" == *'hooks.prestart[0] `/bin/sh` timed out after 1 s'* ]]
  assert_nothing_left
}

@test "a failing prestart fails create and cleans up" {
  set_config ".hooks.prestart = [$(hook prestart 'exit 3')]"
  set_args true
  run_bg create --bundle "$BUNDLE" "$ID"
  assert_one_line_error 'hooks.prestart[0] `/bin/sh` exited with status 3'
  assert_nothing_left
}

@test "failing createRuntime and createContainer hooks fail create and clean up" {
  for kind in createRuntime createContainer; do
    set_config "del(.hooks) | .hooks.$kind = [$(hook $kind 'exit 4')]"
    set_args true
    run_bg create --bundle "$BUNDLE" "$ID"
    assert_one_line_error "hooks.$kind[0] \`/bin/sh\` exited with status 4"
    assert_nothing_left
  done
}

@test "a failing startContainer hook keeps the process from running" {
  set_config ".hooks.startContainer = [$(hook startContainer 'exit 5')]"
  set_args sh -c 'echo ran > /ran'
  run ocirun run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *'hooks.startContainer[0] `/bin/sh` exited with status 5'* ]]
  [ ! -e "$BUNDLE/rootfs/ran" ]
}

@test "failing poststart and poststop hooks warn and the next ones still run" {
  log="$TEST_TMP/log"
  set_config ".hooks.poststart = [$(hook p1 'exit 6'), $(hook p2 "echo \$0 >> $log")]
    | .hooks.poststop = [$(hook s1 'exit 7'), $(hook s2 "echo \$0 >> $log")]"
  run_container true
  [ "$status" -eq 0 ]
  [[ "$output" == *'warning: hooks.poststart[0] `/bin/sh` exited with status 6'* ]]
  [[ "$output" == *'warning: hooks.poststop[0] `/bin/sh` exited with status 7'* ]]
  [ "$(cat "$log")" = "$(printf 'p2\ns2')" ]
}

@test "poststop runs on delete of a detached container" {
  log="$TEST_TMP/log"
  set_config ".hooks.poststop = [$(hook poststop "$LOG_STATE $log")]"
  set_args true
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" stopped
  [ ! -e "$log" ]
  ocirun delete "$ID"
  [ "$(cat "$log")" = "poststop stopped" ]
}

@test "bad input: a relative hook path names the field" {
  set_config '.hooks.prestart = [{"path": "bin/true"}]'
  set_args true
  run_bg create --bundle "$BUNDLE" "$ID"
  assert_one_line_error 'hooks.prestart[0].path: `bin/true` must be an absolute path'
  assert_nothing_left
}
