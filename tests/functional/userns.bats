#!/usr/bin/env bats
# User namespaces: maps written directly (privileged), through
# newuidmap/newgidmap (an unprivileged user mapping more than its own id),
# single-id maps with setgroups denied, refusals that say what to fix,
# run.oci.keep_original_groups.
load helpers
load environment

RL_USER=ocirun-rl
NR_USER=ocirun-nr

teardown() {
  rootless_teardown "$RL_USER"
  rootless_teardown "$NR_USER"
  teardown_common
}

@test "privileged: the maps are written as configured" {
  use_userns
  run_container sh -c 'cat /proc/self/uid_map /proc/self/gid_map; cat /proc/self/setgroups'
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^\ +0\ +100000\ +65536$ ]]
  [[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
  [ "${lines[2]}" = allow ]
}

@test "unprivileged, several ids: newuidmap and newgidmap write the maps" {
  ensure_user "$RL_USER" 400000
  rootless_bundle "$RL_USER"
  uid=$(id -u "$RL_USER") gid=$(id -g "$RL_USER")
  sub=$(grep "^$RL_USER:" /etc/subuid | cut -d: -f2)
  subg=$(grep "^$RL_USER:" /etc/subgid | cut -d: -f2)
  set_config ".linux.uidMappings = [{\"containerID\": 0, \"hostID\": $uid, \"size\": 1}, {\"containerID\": 1, \"hostID\": $sub, \"size\": 65536}]
    | .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $gid, \"size\": 1}, {\"containerID\": 1, \"hostID\": $subg, \"size\": 65536}]"
  set_args sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups; touch /tmp/f; chown 1000:1000 /tmp/f'
  set_config '.process.capabilities = {"bounding": ["CAP_CHOWN"], "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}'
  chown "$RL_USER" "$BUNDLE/config.json"
  run rl "$RL_USER" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^\ +0\ +$uid\ +1$ ]]
  [[ "${lines[1]}" =~ ^\ +1\ +$sub\ +65536$ ]]
  [ "${lines[2]}" = allow ]
  [ "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/f")" = "$((sub + 999)):$((subg + 999))" ]
}

@test "unprivileged, own id only: a single-id map with setgroups denied" {
  ensure_user "$NR_USER"
  rootless_bundle "$NR_USER"
  set_args sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups; id -u'
  chown "$NR_USER" "$BUNDLE/config.json"
  run rl "$NR_USER" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^\ +0\ +$(id -u "$NR_USER")\ +1$ ]]
  [ "${lines[1]}" = deny ]
  [ "${lines[2]}" = 0 ]
}

@test "bad input: a refused mapping names the user, the range and the file" {
  ensure_user "$NR_USER"
  rootless_bundle "$NR_USER"
  uid=$(id -u "$NR_USER")
  set_config ".linux.uidMappings = [{\"containerID\": 0, \"hostID\": $uid, \"size\": 1}, {\"containerID\": 1, \"hostID\": 300000, \"size\": 1000}]
    | .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $(id -g "$NR_USER"), \"size\": 1}]"
  set_args true
  chown "$NR_USER" "$BUNDLE/config.json"
  run rl "$NR_USER" run --bundle "$BUNDLE" "$ID"
  assert_one_line_error "cannot map uid 1-1000 to host 300000-300999 for user $NR_USER: no such range in /etc/subuid (add \"$NR_USER:300000:1000\"); run \`ocirun check\` for a diagnosis"
  [ -z "$(ls -A "$RL_ROOT")" ]
  assert_nothing_left
}

@test "bad input: overlapping container ranges are refused before anything starts" {
  set_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 100}, {"containerID": 50, "hostID": 200000, "size": 10}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 100}]'
  run_container true
  assert_one_line_error 'linux.uidMappings[1]: containerID range overlaps linux.uidMappings[0]'
  assert_nothing_left
}

@test "bad input: a zero-sized mapping is refused" {
  set_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 0}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1}]'
  run_container true
  assert_one_line_error 'linux.uidMappings[0].size: must be greater than 0'
  assert_nothing_left
}

@test "run.oci.keep_original_groups=1 keeps the caller's supplementary groups" {
  setpriv --groups 4 true 2>/dev/null || skip "needs util-linux setpriv --groups (runs natively)"
  set_args sh -c 'grep ^Groups /proc/self/status'
  run setpriv --groups 4,24 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID"
  [[ "$output" =~ ^Groups:[[:space:]]*$ ]]
  set_config '.annotations["run.oci.keep_original_groups"] = "1"'
  run setpriv --groups 4,24 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID"
  [[ "$output" =~ ^Groups:[[:space:]]+4\ 24[[:space:]]*$ ]]
}
