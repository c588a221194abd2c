#!/usr/bin/env bats
# Rootless: `spec --rootless` as is, podman's rootless configs (the runtime
# inside a user namespace, as podman runs it), and the fallbacks for what a
# user namespace may not mount.
load helpers
load environment

RL_USER=ocirun-rl

setup() {
  setup_common
  ensure_user "$RL_USER" 400000
  chmod 755 "$TEST_TMP"
  RL_ROOT="$TEST_TMP/rl-state"
  mkdir -p "$RL_ROOT"
  chown "$RL_USER" "$RL_ROOT"
}

teardown() {
  rootless_teardown "$RL_USER"
  teardown_common
}

# podman_bundle SAMPLE: the sample config with its paths in a bundle of ours
podman_bundle() {
  local sample=$SRCDIR/tests/unit/samples/$1 f
  [ -f "$sample" ] || skip "no podman samples"
  mkdir -p "$BUNDLE/userdata/shm"
  for f in hosts hostname .containerenv; do echo "$f" > "$BUNDLE/userdata/$f"; done
  jq --arg r "$BUNDLE/rootfs" --arg u "$BUNDLE/userdata" '.root.path = $r
     | .mounts |= map(if (.source | startswith("/tmp/podman-harness")) then .source = ($u + "/" + (.source | split("/") | last)) else . end)' \
     "$sample" > "$BUNDLE/config.json"
  chown -R "$RL_USER" "$BUNDLE"
}

# in_podman_userns ARGS...: ocirun as the user inside a user namespace that
# maps the user to root and its subordinate ids above (like podman's)
in_podman_userns() {
  local sub subg
  sub=$(grep "^$RL_USER:" /etc/subuid | cut -d: -f2)
  subg=$(grep "^$RL_USER:" /etc/subgid | cut -d: -f2)
  as_user "$RL_USER" unshare --user --map-root-user --map-users="$sub,1,65536" --map-groups="$subg,1,65536" \
    "$OCIRUN" --root "$RL_ROOT" --cgroup-manager=disabled "$@"
}

@test "ocirun spec --rootless writes a config that an unprivileged user runs as is" {
  rm -f "$BUNDLE/config.json"
  chown -R "$RL_USER" "$BUNDLE"
  run as_user "$RL_USER" sh -c "cd '$BUNDLE' && '$OCIRUN' spec --rootless"
  [ "$status" -eq 0 ]
  set_config '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map"]'
  chown "$RL_USER" "$BUNDLE/config.json"
  run as_user "$RL_USER" sh -c "cd '$BUNDLE' && '$OCIRUN' --root '$RL_ROOT' run $ID"
  echo "$output"
  [ "$status" -eq 0 ]
  # the config has a terminal: the output comes through the pty (CRLF)
  [ "${lines[0]%$'\r'}" = 0 ]
  [[ "${lines[1]%$'\r'}" =~ ^\ +0\ +$(id -u "$RL_USER")\ +1$ ]]
}

@test "podman's rootless config runs; /dev nodes, sysfs, cgroup, mqueue and devpts fall back" {
  podman_bundle rootless-default.config.json
  jq '.process.args = ["sh", "-c", "stat -c %t:%T /dev/null; echo x > /dev/null && echo null-ok; awk \"\\$5 ~ /^\\/(sys|sys\\/fs\\/cgroup|dev\\/mqueue|dev\\/pts)$/ { print \\$5, \\$6 }\" /proc/self/mountinfo; cat /etc/hostname"]' \
    "$BUNDLE/config.json" > "$TEST_TMP/c" && mv "$TEST_TMP/c" "$BUNDLE/config.json" && chown "$RL_USER" "$BUNDLE/config.json"
  run in_podman_userns run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1:3 ]
  [ "${lines[1]}" = null-ok ]
  [[ "$output" == *"/sys ro"* ]]
  [[ "$output" == *"/sys/fs/cgroup ro"* ]]
  [[ "$output" == *"/dev/mqueue rw"* ]]
  [[ "$output" == *"/dev/pts rw"* ]]
  [ "${lines[-1]}" = hostname ]
}

@test "podman's keep-id config (maps beyond the runtime's own uid) runs" {
  podman_bundle rootless-keepid.config.json
  # the image belongs to the container's root: podman's uid 1
  chown -R "$(grep "^$RL_USER:" /etc/subuid | cut -d: -f2):$(grep "^$RL_USER:" /etc/subgid | cut -d: -f2)" "$BUNDLE/rootfs"
  jq '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map | wc -l"] | .process.terminal = false' \
    "$BUNDLE/config.json" > "$TEST_TMP/c" && mv "$TEST_TMP/c" "$BUNDLE/config.json" && chown "$RL_USER" "$BUNDLE/config.json"
  run in_podman_userns run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1001 ]
  [ "${lines[1]}" = 3 ]
}

@test "podman's rootless exec process runs in a rootless container" {
  podman_bundle rootless-default.config.json
  in_podman_userns run --detach --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  jq '.args = ["sh", "-c", "id -u; echo $container"]' $SRCDIR/tests/unit/samples/rootless-exec.exec-process.json > "$TEST_TMP/p.json"
  chmod 644 "$TEST_TMP/p.json"
  run in_podman_userns exec --process "$TEST_TMP/p.json" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = podman ]
  in_podman_userns delete --force "$ID"
}

@test "devpts is retried without gid= when that gid is not mapped" {
  podman_bundle rootless-default.config.json
  jq '.process.args = ["sh", "-c", "awk \"\\$5 == \\\"/dev/pts\\\" { print \\$NF }\" /proc/self/mountinfo"]' \
    "$BUNDLE/config.json" > "$TEST_TMP/c" && mv "$TEST_TMP/c" "$BUNDLE/config.json" && chown "$RL_USER" "$BUNDLE/config.json"
  # only the user itself is mapped: gid 5 does not exist in that namespace
  run as_user "$RL_USER" unshare --user --map-root-user "$OCIRUN" --root "$RL_ROOT" --cgroup-manager=disabled run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *gid=5* ]]
  [[ "$output" == *ptmxmode=666* ]]
}

@test "bad input: rootless without a user namespace says what to add" {
  podman_bundle rootless-default.config.json
  run rl "$RL_USER" run --bundle "$BUNDLE" "$ID"
  assert_one_line_error 'an unprivileged user needs a user namespace'
  [[ "$output" == *"run \`ocirun check\` for a diagnosis"* ]]
  [ -z "$(ls -A "$RL_ROOT")" ]
  assert_nothing_left
}
