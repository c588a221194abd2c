#!/usr/bin/env bats
# Bad input gets a one-line error that names the field and the fix, a non-zero
# exit, and leaves nothing behind.
load helpers

# nothing_left ID: no state directory, no process of this bundle
nothing_left() {
  [ ! -e "$ROOT/$1" ]
  ! pgrep -f "create --bundle $BUNDLE $1" >/dev/null
}

one_line() {
  [ "$(printf '%s\n' "$output" | grep -vc 'warning:')" -eq 1 ]
}

@test "malformed JSON is rejected with the parser's message" {
  echo '{"ociVersion": "1.0.2", "process": {' > "$BUNDLE/config.json"
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: invalid JSON"* ]]
  one_line
  nothing_left "$ID"
}

@test "a field of the wrong type is named with its JSON path" {
  set_config '.linux.resources = {"memory": {"limit": "lots"}}'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.resources.memory.limit: expected integer, got string"* ]]
  one_line
  nothing_left "$ID"
}

@test "a missing required field is named" {
  set_config 'del(.process.cwd)'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"process.cwd: required field missing"* ]]
  nothing_left "$ID"
}

@test "invalid container ids are rejected" {
  for bad in "a/b" ".." "a b" "x\$y"; do
    run_bg create --bundle "$BUNDLE" -- "$bad"
    [ "$status" -ne 0 ]
    [[ "$output" == *"invalid container id"* ]] || [[ "$output" == *"unknown option"* ]]
  done
  [ -z "$(ls "$ROOT")" ]
}

@test "a missing rootfs names root.path and the fix" {
  set_config '.root.path = "no-such-rootfs"'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"root.path:"*"does not exist"* ]]
  one_line
  nothing_left "$ID"
}

@test "ociVersion 1.x.y is accepted, with or without a suffix" {
  for v in 1.0.0 1.0.2-dev 1.2.0 1.3.0; do
    set_config ".ociVersion = \"$v\""
    run_container true
    [ "$status" -eq 0 ]
  done
}

@test "other ociVersion majors and garbage are rejected" {
  for v in 2.0.0 0.9.0 garbage ""; do
    set_config ".ociVersion = \"$v\""
    run_bg create --bundle "$BUNDLE" "$ID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"ociVersion"* ]]
    nothing_left "$ID"
  done
}

@test "an unknown namespace type is named" {
  set_config '.linux.namespaces += [{"type": "bogus"}]'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.namespaces["*"].type: unknown namespace type"* ]]
  nothing_left "$ID"
}

@test "a missing program fails create with 'executable file not found in \$PATH'" {
  set_args no-such-program
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *'executable file not found in $PATH'* ]]
  nothing_left "$ID"
}

@test "a missing absolute program fails with 'no such file or directory'" {
  set_args /bin/no-such-program
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"no such file or directory"* ]]
  nothing_left "$ID"
}

@test "a non-executable program fails with 'permission denied'" {
  echo 'echo hi' > "$BUNDLE/rootfs/script"
  chmod 0644 "$BUNDLE/rootfs/script"
  set_args /script
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"permission denied"* ]]
  nothing_left "$ID"
}

@test "--log-format=json writes each error as one JSON object" {
  set_args no-such-program
  run "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL --log-format=json --log "$TEST_TMP/log.json" \
      create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$(wc -l < "$TEST_TMP/log.json")" -eq 1 ]
  [ "$(jq -r .level "$TEST_TMP/log.json")" = error ]
  [[ "$(jq -r .msg "$TEST_TMP/log.json")" == *'executable file not found in $PATH'* ]]
  [ "$(jq -r .time "$TEST_TMP/log.json")" != null ]
}

@test "in JSON mode warnings stay out of the log and out of the container's output" {
  set_config '.linux.resources = {"pids": {"limit": 10}}'
  set_args echo container-output
  run "$OCIRUN" --root "$ROOT" --cgroup-manager=disabled --log-format=json --log "$TEST_TMP/log.json" \
      run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$output" = container-output ]
  [ ! -s "$TEST_TMP/log.json" ]
}

@test "in JSON mode with --debug, warnings go to the log" {
  set_config '.linux.resources = {"pids": {"limit": 10}}'
  set_args true
  run "$OCIRUN" --root "$ROOT" --cgroup-manager=disabled --debug --log-format=json --log "$TEST_TMP/log.json" \
      run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  grep '"level":"warning"' "$TEST_TMP/log.json" | grep -q "not enforced"
}

@test "without cgroup v2, resources fail with an error naming the fix" {
  ! cgroup2_host || skip "this host has cgroup v2: the error is for v1/hybrid hosts"
  [ "$(id -u)" -eq 0 ] || skip "root only"
  set_config '.linux.resources = {"pids": {"limit": 10}}'
  set_args true
  run "$OCIRUN" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cgroup v2 is required"* ]]
  [[ "$output" == *"--cgroup-manager=disabled"* ]]
  nothing_left "$ID"
}

@test "with --cgroup-manager=disabled resources are not enforced and a warning says so once" {
  set_config '.linux.resources = {"pids": {"limit": 10}}'
  set_args true
  run "$OCIRUN" --root "$ROOT" --cgroup-manager=disabled run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | grep -c 'not enforced')" -eq 1 ]
}

@test "bad id mappings are named" {
  set_config '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 0}] | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.uidMappings[0].size: must be greater than 0"* ]]
  nothing_left "$ID"
}

@test "a failed create leaves no mount behind" {
  before=$(wc -l < /proc/self/mountinfo)
  set_args no-such-program
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$(wc -l < /proc/self/mountinfo)" -eq "$before" ]
  ! grep -q "$BUNDLE" /proc/self/mountinfo
}

@test "a failing prestart hook fails create and cleans up" {
  set_config '.hooks = {"prestart": [{"path": "/bin/false"}]}'
  set_args sleep 100
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"hooks.prestart[0]"*"exited with status 1"* ]]
  nothing_left "$ID"
}

@test "a config.json that is a FIFO is refused at once (no hang)" {
  rm -f "$BUNDLE/config.json"
  mkfifo "$BUNDLE/config.json"
  run timeout 10 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not a regular file"* ]]
  [ ! -e "$ROOT/$ID" ]
}

@test "a config.json linked to /dev/zero is refused at once (no unbounded read)" {
  rm -f "$BUNDLE/config.json"
  ln -s /dev/zero "$BUNDLE/config.json"
  run timeout 10 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not a regular file"* ]]
}

@test "a config nested 300000 levels deep is an error, not a crash" {
  yes '[' | head -n 300000 | tr -d '\n' > "$BUNDLE/config.json"
  run_ocirun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"nested deeper than"* ]]
  run_ocirun exec --process "$BUNDLE/config.json" "$ID"
  [ "$status" -eq 1 ]
}

@test "a NUL byte in config.json is an error, not a truncated document" {
  cp "$BUNDLE/config.json" "$TEST_TMP/c.json"
  { cat "$TEST_TMP/c.json"; printf '\0garbage'; } > "$BUNDLE/config.json"
  run_ocirun create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"NUL byte"* ]]
}

@test "an id with a newline gets a one-line error" {
  run_ocirun create --bundle "$BUNDLE" $'bad\nid'
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"control characters"* ]]
}
