#!/usr/bin/env bats
# The command line engines and test suites written for crun and runc use:
# global options, verb options, --help/--version, errors, features.
load helpers

# The binary without the helpers' --root/--cgroup-manager: raw ARGS...
raw() {
  "$OCIRUN" "$@"
}

# ocirun with warnings sent to a log file (text mode), so stdout/stderr hold
# only the container's output: with the cgroup manager disabled every run warns.
qocirun() {
  ocirun --log "$TEST_TMP/warnings.log" "$@"
}

json_lines_ok() { # FILE: every line one object with level, msg and time
  local f=$1 n
  n=$(wc -l < "$f")
  [ "$n" -ge 1 ]
  [ "$(jq -c 'select((.level|type)=="string" and (.msg|type)=="string" and (.time|type)=="string")' "$f" | wc -l)" -eq "$n" ]
}

# ---- --version, --help, errors ---------------------------------------------

@test "--version and -v print the version, the spec version and the features" {
  for v in --version -v; do
    run raw $v
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" =~ ^ocirun\ version\ [0-9]+\.[0-9]+ ]]
    [ "${lines[1]}" = "spec: 1.3.0" ]
    [[ "${lines[2]}" =~ ^\+[A-Z] ]]
    [[ "${lines[2]}" == *+SECCOMP* ]]
  done
}

@test "--help, -h and help print the usage and every command" {
  for h in --help -h help; do
    run raw $h
    [ "$status" -eq 0 ]
    [[ "$output" == Usage:* ]]
    for verb in create start run state kill delete list exec ps pause resume update events spec features; do
      [[ "$output" == *"  $verb "* ]]
    done
    for opt in --root --log --log-format --log-level --debug --systemd-cgroup --cgroup-manager --rootless; do
      [[ "$output" == *"$opt"* ]]
    done
  done
}

@test "--help of every verb exits 0 and prints its usage" {
  for verb in create start run state kill delete list exec ps pause resume update events spec features; do
    run raw "$verb" --help
    echo "$verb: $output"
    [ "$status" -eq 0 ]
    [[ "$output" == "Usage: ocirun $verb"* ]]
    run raw "$verb" -h
    [ "$status" -eq 0 ]
  done
}

@test "no command: the usage on stderr, exit 1" {
  run raw
  [ "$status" -eq 1 ]
  [[ "$output" == Usage:* ]]
}

@test "an unknown command is a clear error, exit 1" {
  run raw frobnicate x
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown command \`frobnicate\`"* ]]
}

@test "an unknown global option is a clear error, exit 1" {
  run raw --frobnicate list
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown global option \`--frobnicate\`"* ]]
  run raw --log
  [ "$status" -eq 1 ]
  [[ "$output" == *"\`--log\` needs an argument"* ]]
}

@test "an unknown verb option is a clear error, exit 1" {
  for verb in create run start state kill delete list exec ps pause resume update events spec; do
    run ocirun "$verb" --frobnicate x
    echo "$verb: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"unknown option \`--frobnicate\`"* ]]
  done
  run ocirun create --bundle
  [ "$status" -eq 1 ]
  [[ "$output" == *"\`--bundle\` needs an argument"* ]]
  run ocirun features --frobnicate
  [ "$status" -eq 1 ]
}

@test "bad values of global options are named" {
  run raw --log-format yaml list
  [ "$status" -eq 1 ]
  [[ "$output" == *"--log-format \`yaml\`"* ]]
  run raw --log-level loud list
  [ "$status" -eq 1 ]
  [[ "$output" == *"--log-level \`loud\`"* ]]
  run raw --rootless maybe list
  [ "$status" -eq 1 ]
  [[ "$output" == *"--rootless \`maybe\`"* ]]
  run raw --root "$ROOT" --cgroup-manager lxc list
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown cgroup manager"* ]]
}

# ---- global options ---------------------------------------------------------

@test "--root keeps the state there, and another --root does not see it" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  [ -d "$ROOT/$ID" ]
  run raw --root "$ROOT" list -q
  [ "$output" = "$ID" ]
  mkdir "$TEST_TMP/other"
  run raw --root "$TEST_TMP/other" list -q
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run raw --root "$TEST_TMP/other" state "$ID"
  [ "$status" -eq 1 ]
}

@test "--log-format=json --log: each error is one JSON object with level, msg, time" {
  run ocirun --log-format=json --log "$TEST_TMP/log" state nosuch
  [ "$status" -eq 1 ]
  # the error also goes to stderr for humans
  [[ "$output" == *"does not exist"* ]]
  json_lines_ok "$TEST_TMP/log"
  [ "$(jq -r .level "$TEST_TMP/log")" = error ]
  [[ "$(jq -r .msg "$TEST_TMP/log")" == *"does not exist"* ]]
  [[ "$(jq -r .time "$TEST_TMP/log")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]]
  # appended, never truncated: one line per failing call
  run ocirun --log-format json --log "$TEST_TMP/log" kill nosuch 9
  [ "$(wc -l < "$TEST_TMP/log")" -eq 2 ]
  json_lines_ok "$TEST_TMP/log"
}

@test "--log-format=json: warnings stay out of the log (it holds only the error an engine parses)" {
  # a warning: resources with the cgroup manager disabled
  set_config '.linux.resources = {"pids": {"limit": 100}}'
  set_args true
  run "$OCIRUN" --root "$ROOT" --cgroup-manager=disabled --log-format=json --log "$TEST_TMP/log" \
    run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ ! -s "$TEST_TMP/log" ]
}

@test "--log in text format gets warnings and errors as 'level: msg'" {
  set_config '.linux.resources = {"pids": {"limit": 100}}'
  set_args true
  run "$OCIRUN" --root "$ROOT" --cgroup-manager=disabled --log "$TEST_TMP/log" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  grep -q '^warning: .*not enforced' "$TEST_TMP/log"
  run ocirun --log "$TEST_TMP/log" state nosuch
  grep -q '^error: .*does not exist' "$TEST_TMP/log"
}

@test "--log-level=debug and --debug log debug messages; the default level does not" {
  run ocirun --log-format=json --log "$TEST_TMP/log" --log-level=debug list -q
  [ "$status" -eq 0 ]
  json_lines_ok "$TEST_TMP/log"
  jq -e 'select(.level == "debug" and (.msg | test("list -q")))' "$TEST_TMP/log"
  : > "$TEST_TMP/log2"
  run ocirun --debug --log "$TEST_TMP/log2" list -q
  grep -q '^debug: ' "$TEST_TMP/log2"
  run ocirun --log "$TEST_TMP/log3" list -q
  [ ! -s "$TEST_TMP/log3" ]
  # runc's level names
  for l in trace debug info warn warning error fatal panic; do
    run ocirun --log-level "$l" list -q
    [ "$status" -eq 0 ]
  done
}

@test "--cgroup-manager disabled|cgroupfs|systemd and --systemd-cgroup are accepted" {
  set_args true
  for g in "--cgroup-manager disabled" "--cgroup-manager=disabled" "--systemd-cgroup --cgroup-manager=disabled"; do
    # shellcheck disable=SC2086
    run raw --root "$ROOT" $g run --bundle "$BUNDLE" "$ID"
    echo "$g: $output"
    [ "$status" -eq 0 ]
  done
  # no cgroupsPath and no resources: works with either manager on any host
  set_config 'del(.linux.resources) | del(.linux.cgroupsPath)'
  for g in "--cgroup-manager cgroupfs" "--systemd-cgroup"; do
    if [ "$g" = --systemd-cgroup ] && [ ! -d /run/systemd/system ]; then continue; fi
    # shellcheck disable=SC2086
    run raw --root "$ROOT" $g run --bundle "$BUNDLE" "$ID"
    echo "$g: $output"
    [ "$status" -eq 0 ]
  done
}

@test "--systemd-cgroup puts the container in a systemd scope (cgroup v2 + systemd)" {
  skip_unless_cgroup2
  [ -d /run/systemd/system ] || skip "needs systemd as PID 1 (runs in the Debian VM)"
  set_config ".linux.cgroupsPath = \"system.slice:ocirun-cli:$ID\""
  set_args sh -c 'cat /proc/self/cgroup'
  run raw --root "$ROOT" --systemd-cgroup run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"ocirun-cli-$ID.scope"* ]]
}

@test "--rootless true|false|auto are accepted" {
  set_args true
  for r in true false auto; do
    run ocirun --rootless "$r" run --bundle "$BUNDLE" "$ID"
    [ "$status" -eq 0 ]
  done
}

# ---- verb options -------------------------------------------------------------

@test "create --config FILE and run --config FILE use that file (relative to the bundle)" {
  set_args sh -c 'echo from-config.json'
  jq '.process.args = ["sh", "-c", "echo from-other"]' "$BUNDLE/config.json" > "$BUNDLE/other.json"
  run qocirun run --bundle "$BUNDLE" --config other.json "$ID"
  [ "$status" -eq 0 ]
  [ "$output" = from-other ]
  run qocirun run --bundle "$BUNDLE" --config "$BUNDLE/other.json" "$ID"
  [ "$output" = from-other ]
  ocirun_bg create --bundle "$BUNDLE" --config other.json "$ID"
  [ "$(container_status "$ID")" = created ]
  ocirun start "$ID"
  wait_for_status "$ID" stopped
  run ocirun --log "$TEST_TMP/l" run --bundle "$BUNDLE" --config nosuch.json "$ID-2"
  [ "$status" -eq 1 ]
  [[ "$output" == *nosuch.json* ]]
}

@test "run --keep leaves the stopped container; without it run deletes it" {
  set_args sh -c 'exit 3'
  run qocirun run --keep --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 3 ]
  [ "$(container_status "$ID")" = stopped ]
  ocirun delete "$ID"
  run ocirun run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 3 ]
  run ocirun state "$ID"
  [ "$status" -eq 1 ]
}

@test "run --no-subreaper runs the container and returns its exit code" {
  set_args sh -c 'echo hi; exit 4'
  run qocirun run --no-subreaper --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 4 ]
  [ "$output" = hi ]
  run ocirun_bg run --no-subreaper --detach --bundle "$BUNDLE" "$ID-d"
  [ "$status" -eq 0 ]
}

@test "delete --regex deletes the matching containers only" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "a-$ID-1"
  ocirun_bg create --bundle "$BUNDLE" "a-$ID-2"
  ocirun_bg create --bundle "$BUNDLE" "b-$ID-1"
  run ocirun delete --force --regex "^a-$ID-"
  [ "$status" -eq 0 ]
  run ocirun list -q
  [ "$output" = "b-$ID-1" ]
  run ocirun delete --regex '(' x
  [ "$status" -eq 1 ]
}

@test "kill --all signals every process of the container" {
  set_args sh -c 'trap ":" TERM; sleep 1000 & while :; do sleep 0.1; done'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  local pid kids
  pid=$(container_pid "$ID")
  children() { for c in $(cat /proc/$pid/task/$pid/children); do { tr '\0' ' ' < /proc/$c/cmdline; } 2>/dev/null; echo; done; }
  sleep 0.2
  children | grep -q 'sleep 1000'
  # plain kill: only the init, which ignores TERM
  ocirun kill "$ID" TERM
  sleep 0.3
  children | grep -q 'sleep 1000'
  run ocirun kill --all "$ID" TERM
  [ "$status" -eq 0 ]
  sleep 0.3
  run children
  echo "left: $output"
  [[ "$output" != *"sleep 1000"* ]]
  [ "$(container_status "$ID")" = running ]
  ocirun kill -a "$ID" KILL
  wait_for_status "$ID" stopped
}

@test "kill takes the signal as runc and crun engines pass it (number, name, --signal)" {
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  ocirun kill "$ID" 18
  ocirun kill --signal CONT "$ID"
  ocirun kill -s SIGCONT "$ID"
  [ "$(container_status "$ID")" = running ]
  ocirun kill "$ID" 9
  wait_for_status "$ID" stopped
}

@test "list --format json (and -f json) is an array of states" {
  set_args sleep 100
  ocirun_bg create --bundle "$BUNDLE" "$ID"
  for f in "--format json" "--format=json" "-f json"; do
    # shellcheck disable=SC2086
    run ocirun list $f
    [ "$status" -eq 0 ]
    [ "$(echo "$output" | jq -r 'type')" = array ]
    [ "$(echo "$output" | jq -r '.[0].id')" = "$ID" ]
    [ "$(echo "$output" | jq -r '.[0].status')" = created ]
    [ "$(echo "$output" | jq -r '.[0].pid')" -gt 0 ]
    [ "$(echo "$output" | jq -r '.[0].bundle')" = "$(realpath "$BUNDLE")" ]
    echo "$output" | jq -e '.[0] | has("created") and has("owner") and has("ociVersion")'
  done
  run ocirun list --format yaml
  [ "$status" -eq 1 ]
}

@test "list of an empty state dir: json [] and an empty table" {
  run ocirun list --format json
  [ "$(echo "$output" | jq -c .)" = "[]" ]
  run ocirun list -q
  [ -z "$output" ]
}

@test "state, kill, delete, start, pause of a missing id say \"does not exist\", exit 1" {
  for verb in state start pause resume delete ps; do
    run ocirun "$verb" nosuch-container
    echo "$verb: $output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"does not exist"* ]]
  done
  run ocirun kill nosuch-container 9
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "exec ID COMMAND, -e, -w (--cwd), -u and --process (-p)" {
  # a process.args of three: the exec'd command replaces them
  set_args sh -c 'sleep 100'
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run qocirun exec "$ID" sh -c 'echo hi; exit 3'
  [ "$status" -eq 3 ]
  [ "$output" = hi ]
  run qocirun exec -e FOO=bar -w /tmp -u 1000:1000 "$ID" sh -c 'echo $FOO; pwd; id -u'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = bar ]
  [ "${lines[1]}" = /tmp ]
  [ "${lines[2]}" = 1000 ]
  jq '.process | .args = ["sh", "-c", "echo from-process"] | .terminal = false' "$BUNDLE/config.json" > "$TEST_TMP/p.json"
  run qocirun exec -p "$TEST_TMP/p.json" "$ID"
  [ "$output" = from-process ]
  run qocirun exec --process "$TEST_TMP/p.json" "$ID"
  [ "$output" = from-process ]
}

# ---- features -------------------------------------------------------------------

@test "features prints valid JSON with the runtime-spec fields" {
  run raw features
  [ "$status" -eq 0 ]
  echo "$output" | jq -e . >/dev/null
  [ "$(echo "$output" | jq -r .ociVersionMin)" = 1.0.0 ]
  [ "$(echo "$output" | jq -r .ociVersionMax)" = 1.3.0 ]
  echo "$output" | jq -e '.hooks | index("prestart") and index("poststop") and index("createRuntime")'
  echo "$output" | jq -e '.mountOptions | index("rbind") and index("ro")'
  echo "$output" | jq -e '.linux.namespaces | index("user") and index("pid") and index("network") and index("cgroup")'
  echo "$output" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")'
  echo "$output" | jq -e '.linux.cgroup | has("v2") and has("systemd")'
  echo "$output" | jq -e '.linux.seccomp.enabled == true and (.linux.seccomp.actions | index("SCMP_ACT_ERRNO"))'
  echo "$output" | jq -e '.linux.apparmor | has("enabled")'
  echo "$output" | jq -e '.linux.selinux | has("enabled")'
}
