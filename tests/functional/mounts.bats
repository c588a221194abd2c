#!/usr/bin/env bats
# mounts: options, recursive attributes, idmapped mounts, propagation, the
# root, and destinations that try to leave the rootfs.
load helpers
load environment

# add_mount JSON: append one entry to .mounts
add_mount() {
  set_config ".mounts += [$1]"
}

# mount_opts DEST: the per-mount options of DEST as the container sees them
mount_opts_cmd='awk -v d="$0" '"'"'$5 == d { print $6 }'"'"' /proc/self/mountinfo | tail -1'

@test "a bind mount shows the host directory, relative sources from the bundle" {
  mkdir -p "$BUNDLE/data" && echo hello > "$BUNDLE/data/f"
  add_mount '{"destination": "/data", "type": "bind", "source": "data", "options": ["bind"]}'
  run_container cat /data/f
  [ "$status" -eq 0 ]
  [ "$output" = hello ]
}

@test "a ro bind mount cannot be written" {
  mkdir -p "$TEST_TMP/src"
  add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\", \"ro\"]}"
  run_container sh -c 'touch /data/x 2>&1; echo rc=$?'
  [[ "$output" == *"Read-only file system"* ]]
  [ ! -e "$TEST_TMP/src/x" ]
}

@test "a file can be bind-mounted on a file" {
  echo content > "$TEST_TMP/file"
  add_mount "{\"destination\": \"/etc/myfile\", \"type\": \"bind\", \"source\": \"$TEST_TMP/file\", \"options\": [\"bind\"]}"
  run_container cat /etc/myfile
  [ "$output" = content ]
}

@test "rbind carries submounts and rro makes every one of them read-only" {
  add_mount '{"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["rbind", "rro", "nosuid", "noexec"]}'
  run_container sh -c 'awk "\$5 ~ /^\/hostdev/ { print \$5, \$6 }" /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  echo "$output"
  [[ "$output" == *"/hostdev/pts ro"* ]]
  [[ "$output" == *"/hostdev ro"* ]]
  ! echo "$output" | grep -q ' rw'
}

@test "bind without rbind leaves submounts out" {
  add_mount '{"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["bind", "ro"]}'
  run_container sh -c 'grep -c " /hostdev/pts " /proc/self/mountinfo'
  [ "$output" = 0 ]
}

@test "rnosuid, rnodev, rnoexec and rnoatime apply recursively" {
  add_mount '{"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["rbind", "rnosuid", "rnodev", "rnoexec", "rnoatime", "rro"]}'
  run_container sh -c 'awk "\$5 == \"/hostdev/pts\" { print \$6 }" /proc/self/mountinfo'
  [[ "$output" == *nosuid* && "$output" == *nodev* && "$output" == *noexec* && "$output" == *noatime* ]]
}

@test "tmpfs honours size and mode" {
  add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m", "mode=0710", "nodev"]}'
  run_container sh -c 'stat -c %a /scratch; df -k /scratch | tail -1 | awk "{print \$2}"'
  [ "${lines[0]}" = 710 ]
  [ "${lines[1]}" = 2048 ]
}

@test "nosymfollow refuses to follow symlinks on the mount" {
  add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["nosymfollow"]}'
  run_container sh -c 'echo x > /scratch/f; ln -s f /scratch/l; cat /scratch/l 2>/dev/null || echo refused; cat /scratch/f'
  [ "${lines[0]}" = refused ]
  [ "${lines[1]}" = x ]
}

@test "per-mount propagation: rshared and rslave show in mountinfo" {
  add_mount '{"destination": "/sh", "type": "tmpfs", "source": "tmpfs", "options": ["rshared"]}'
  add_mount '{"destination": "/pr", "type": "tmpfs", "source": "tmpfs", "options": ["rprivate"]}'
  run_container sh -c 'awk "\$5 == \"/sh\" || \$5 == \"/pr\" { print \$5, \$7 }" /proc/self/mountinfo'
  [[ "$output" == *"/sh shared:"* ]]
  [[ "$output" == *"/pr -"* ]]
}

@test "rootfsPropagation shared and slave shape the root mount" {
  set_config '.linux.rootfsPropagation = "shared"'
  run_container sh -c 'awk "\$5 == \"/\" { print \$7 }" /proc/self/mountinfo | tail -1'
  [[ "$output" == shared:* ]]
  # on a host whose / has no shared peer, a master for the root needs 6.5
  kernel_at_least 6 5 || skip "rootfsPropagation slave without a shared host / needs Linux >= 6.5 (this kernel: $(uname -r)); run natively"
  set_config '.linux.rootfsPropagation = "slave"'
  run_container sh -c 'awk "\$5 == \"/\" { print \$7 }" /proc/self/mountinfo | tail -1'
  [[ "$output" == master:* ]]
}

@test "root.readonly makes / read-only" {
  set_config '.root.readonly = true'
  run_container sh -c 'touch /x 2>&1'
  [ "$status" -ne 0 ]
  [[ "$output" == *"Read-only file system"* ]]
  [ ! -e "$BUNDLE/rootfs/x" ]
}

@test "--no-pivot runs the container with chroot" {
  set_args sh -c 'cat /etc/passwd | head -1; echo ok > /tmp/np'
  run ocirun run --no-pivot --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == root:* ]]
  [ "$(cat "$BUNDLE/rootfs/tmp/np")" = ok ]
}

@test "a rootfs symlink to /etc does not make a mount land on the host" {
  ln -s /etc "$BUNDLE/rootfs/evil"
  add_mount "{\"destination\": \"/evil/ocirun-escape-$ID\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"
  run_container true
  [ "$status" -eq 0 ]
  [ ! -e "/etc/ocirun-escape-$ID" ]
  [ -d "$BUNDLE/rootfs/etc/ocirun-escape-$ID" ]
}

@test "a rootfs symlink to ../../.. stays inside the rootfs" {
  ln -s ../../../../../../.. "$BUNDLE/rootfs/up"
  mkdir -p "$TEST_TMP/src"
  add_mount "{\"destination\": \"/up/tmp/ocirun-escape-$ID\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\"]}"
  run_container true
  [ "$status" -eq 0 ]
  [ ! -e "/tmp/ocirun-escape-$ID" ]
  [ -d "$BUNDLE/rootfs/tmp/ocirun-escape-$ID" ]
}

@test "idmap shows host-root files as the container's root" {
  require_idmap_tmpfs
  use_userns
  mkdir -p "$TEST_TMP/src" && touch "$TEST_TMP/src/f"
  add_mount "{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\", \"idmap\"]}"
  run_container sh -c 'stat -c %u:%g /idm/f; touch /idm/new'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0:0 ]
  [ "$(stat -c %u:%g "$TEST_TMP/src/new")" = 0:0 ]
}

@test "uidMappings and gidMappings on a mount use the mount's own maps" {
  require_idmap_tmpfs
  use_userns
  mkdir -p "$TEST_TMP/src" && touch "$TEST_TMP/src/f"
  add_mount "{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\"],
    \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100010, \"size\": 10}],
    \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100020, \"size\": 10}]}"
  run_container stat -c %u:%g /idm/f
  [ "$status" -eq 0 ]
  [ "$output" = 10:20 ]
}

@test "ridmap idmaps the submounts of an rbind too, idmap only the top" {
  require_idmap_tmpfs
  use_userns
  mkdir -p "$TEST_TMP/src/sub"
  add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"rbind\", \"ridmap\"]}"
  add_mount "{\"destination\": \"/t\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"rbind\", \"idmap\"]}"
  set_args sh -c 'stat -c %u /r/sub/f /t/sub/f'
  # the submount lives in a private mount namespace of the runtime's: the host is untouched
  run unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs '$TEST_TMP/src/sub' && touch '$TEST_TMP/src/sub/f' && $OCIRUN --root $ROOT $OCIRUN_GLOBAL run --bundle $BUNDLE $ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 65534 ]
}

@test "bad input: ridmap over a filesystem that cannot be idmapped names it" {
  use_userns
  add_mount '{"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["rbind", "ridmap"]}'
  run_container true
  assert_one_line_error "mounts[7]"
  [[ "$output" == *"does not support idmapped mounts"* ]]
  assert_nothing_left
}

@test "an idmapped tmpfs belongs to the container's root" {
  require_idmap_tmpfs
  use_userns
  add_mount '{"destination": "/idt", "type": "tmpfs", "source": "tmpfs", "options": ["idmap", "size=1m"]}'
  run_container stat -c %u:%g /idt
  [ "$status" -eq 0 ]
  [ "$output" = 0:0 ]
}

@test "bad input: an unknown filesystem type names the mount, leaves nothing behind" {
  add_mount '{"destination": "/x", "type": "nosuchfs", "source": "none"}'
  run_container true
  assert_one_line_error "mounts[7] on \`/x\`"
  [[ "$output" == *"does not know this filesystem type"* ]]
  assert_nothing_left
}

@test "bad input: a relative destination is refused before anything starts" {
  add_mount '{"destination": "relative", "type": "tmpfs", "source": "tmpfs"}'
  run_container true
  assert_one_line_error 'mounts[7].destination: `relative` must be an absolute path'
  assert_nothing_left
}

@test "bad input: idmap without a user namespace says how to fix it" {
  mkdir -p "$TEST_TMP/src"
  add_mount "{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\", \"idmap\"]}"
  run_container true
  assert_one_line_error "mounts[7]: \`idmap\` without uidMappings/gidMappings"
  [[ "$output" == *'add {"type": "user"}'* ]]
  assert_nothing_left
}

@test "bad input: uidMappings without gidMappings is refused" {
  mkdir -p "$TEST_TMP/src"
  add_mount "{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$TEST_TMP/src\", \"options\": [\"bind\"],
    \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}"
  run_container true
  assert_one_line_error "mounts[7]: an idmapped mount needs both uidMappings and gidMappings"
  assert_nothing_left
}

@test "bad input: a missing bind source names the mount" {
  add_mount "{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"$TEST_TMP/nope\", \"options\": [\"bind\"]}"
  run_container true
  assert_one_line_error "mounts[7].source"
  [[ "$output" == *"No such file or directory"* ]]
  assert_nothing_left
}
