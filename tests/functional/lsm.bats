#!/usr/bin/env bats
# Linux security modules: AppArmor profiles, SELinux labels, session keyrings.
# AppArmor tests need AppArmor enabled and apparmor_parser (they run in the plain
# VM: tests/vm/run-lsm-in-vm.sh); the SELinux label tests need SELinux with the
# container types (the Debian VM with --selinux).  Natively they skip, and the
# "ignored when disabled" tests run instead.
load helpers
load ../helpers/confinement

AA_PROFILE=ocirun-test-profile
SE_LABEL=system_u:system_r:container_t:s0:c1,c2
SE_MOUNT_LABEL=system_u:object_r:container_file_t:s0:c1,c2

apparmor_enabled() {
  [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]
}

skip_unless_apparmor() {
  apparmor_enabled || skip "AppArmor is not enabled (/sys/module/apparmor/parameters/enabled); runs in the plain VM lane (tests/vm/run-lsm-in-vm.sh)"
  command -v apparmor_parser >/dev/null || skip "apparmor_parser not found (Debian package apparmor)"
}

# load_profile NAME: a permissive profile, enough to run busybox
load_profile() {
  cat > "$TEST_TMP/profile" <<PROF
profile $1 flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  mount,
  umount,
  pivot_root,
  signal,
  ptrace,
  unix,
}
PROF
  apparmor_parser -r "$TEST_TMP/profile"
}

selinux_enabled() {
  [ -e /sys/fs/selinux/enforce ]
}

skip_unless_selinux() {
  selinux_enabled || skip "SELinux is not enabled; runs in the Debian VM with --selinux (tests/vm/run-lsm-in-vm.sh)"
  # the container types come from the policy module the VM image adds
  command -v selinuxenabled >/dev/null && ! selinuxenabled && skip "selinuxenabled says SELinux is off"
  [ -d /sys/fs/selinux/class ] || skip "no selinuxfs"
}

teardown() {
  teardown_common
  if [ -n "${LOADED_PROFILE:-}" ]; then
    echo "profile $LOADED_PROFILE {}" | apparmor_parser -R >/dev/null 2>&1 || true
  fi
}

# --- AppArmor ---------------------------------------------------------------

@test "process.apparmorProfile is the process's profile after exec" {
  skip_unless_apparmor
  load_profile "$AA_PROFILE"
  LOADED_PROFILE=$AA_PROFILE
  set_config ".process.apparmorProfile = \"$AA_PROFILE\""
  run_container sh -c 'cat /proc/self/attr/apparmor/current 2>/dev/null || cat /proc/self/attr/current'
  [ "$status" -eq 0 ]
  [[ "$output" == "$AA_PROFILE (enforce)"* ]]
}

@test "exec applies the container's apparmorProfile too" {
  skip_unless_apparmor
  load_profile "$AA_PROFILE"
  LOADED_PROFILE=$AA_PROFILE
  set_config ".process.apparmorProfile = \"$AA_PROFILE\""
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec "$ID" cat /proc/self/attr/current
  [ "$status" -eq 0 ]
  [[ "$output" == "$AA_PROFILE (enforce)"* ]]
}

@test "exec --apparmor applies that profile" {
  skip_unless_apparmor
  load_profile "$AA_PROFILE"
  LOADED_PROFILE=$AA_PROFILE
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec --apparmor "$AA_PROFILE" "$ID" cat /proc/self/attr/current
  [ "$status" -eq 0 ]
  [[ "$output" == "$AA_PROFILE (enforce)"* ]]
}

@test "exec --apparmor with a profile that is not loaded fails naming it" {
  skip_unless_apparmor
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec --apparmor ocirun-no-such-profile "$ID" true
  [ "$status" -ne 0 ]
  [[ "$output" == *'"ocirun-no-such-profile"'* ]]
}

@test "an AppArmor profile that is not loaded is an error naming it" {
  skip_unless_apparmor
  set_config '.process.apparmorProfile = "ocirun-no-such-profile"'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'"ocirun-no-such-profile" is not loaded'* ]]
  nothing_left
}

@test "apparmorProfile is ignored when AppArmor is not enabled" {
  if apparmor_enabled; then skip "AppArmor is enabled here"; fi
  set_config '.process.apparmorProfile = "ocirun-no-such-profile"'
  set_args true
  run ocirun --debug run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *'AppArmor is disabled: profile "ocirun-no-such-profile" ignored'* ]]
}

# --- SELinux ----------------------------------------------------------------

@test "selinuxLabel and mountLabel are ignored when SELinux is disabled" {
  if selinux_enabled; then skip "SELinux is enabled here"; fi
  set_config ".process.selinuxLabel = \"$SE_LABEL\" | .linux.mountLabel = \"$SE_MOUNT_LABEL\""
  set_config '.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs"}]'
  set_args grep -c ' /mnt/t ' /proc/self/mountinfo
  run ocirun --debug run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"SELinux is disabled: label \"$SE_LABEL\" ignored"* ]]
  [[ "$output" == *"SELinux is disabled: mount label \"$SE_MOUNT_LABEL\" ignored"* ]]
  [[ "$output" != *"context="* ]]
}

@test "process.selinuxLabel is the process's label after exec" {
  skip_unless_selinux
  set_config ".process.selinuxLabel = \"$SE_LABEL\""
  run_container cat /proc/self/attr/current
  [ "$status" -eq 0 ]
  [[ "$output" == "$SE_LABEL"* ]]
}

@test "exec applies the container's selinuxLabel too" {
  skip_unless_selinux
  set_config ".process.selinuxLabel = \"$SE_LABEL\""
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec "$ID" cat /proc/self/attr/current
  [ "$status" -eq 0 ]
  [[ "$output" == "$SE_LABEL"* ]]
}

@test "linux.mountLabel labels the container's tmpfs mounts" {
  skip_unless_selinux
  set_config ".linux.mountLabel = \"$SE_MOUNT_LABEL\""
  set_config '.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs"}]'
  run_container grep -E ' /(mnt/t|dev/shm|dev/mqueue) ' /proc/self/mountinfo
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$(grep ' /mnt/t ' <<<"$output")" == *"context=\"$SE_MOUNT_LABEL\""* ]]
  # the default mounts too: /dev/shm is labelled, /dev/mqueue (whose superblock
  # comes with the IPC namespace) is mounted without a context
  [[ "$(grep ' /dev/shm ' <<<"$output")" == *"context=\"$SE_MOUNT_LABEL\""* ]]
  [[ "$(grep ' /dev/mqueue ' <<<"$output")" != *"context="* ]]
}

@test "an invalid selinuxLabel is an error naming it" {
  skip_unless_selinux
  set_config '.process.selinuxLabel = "system_u:system_r:ocirun_no_such_t:s0"'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'process.selinuxLabel'*'ocirun_no_such_t'* ]]
  nothing_left
}

# --- session keyring ----------------------------------------------------------

@test "each container joins a new session keyring named after it" {
  install_helper sysprobe
  run_container /bin/sysprobe keyring
  [ "$status" -eq 0 ]
  [[ "$output" == *"keyring serial="*" desc=$ID" ]]
  # and it is not the caller's
  host=$("$(helper_bin sysprobe)" keyring)
  [ "${output#*serial=}" != "${host#*serial=}" ]
}

@test "the container's keyring shows in its /proc/keys" {
  set_config '.linux.maskedPaths -= ["/proc/keys"]'
  run_container cat /proc/keys
  [ "$status" -eq 0 ]
  [[ "$output" == *" keyring "*"$ID: "* ]]
}

@test "--no-new-keyring keeps the caller's session keyring" {
  install_helper sysprobe
  host=$("$(helper_bin sysprobe)" keyring)
  set_args /bin/sysprobe keyring
  run ocirun run --no-new-keyring --bundle "$BUNDLE" "$ID"
  echo "host: $host; container: $output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"$host"* ]]
  [[ "$output" != *"desc=$ID" ]]
}

@test "exec joins a session keyring named after the container, not the caller's" {
  install_helper sysprobe
  host=$("$(helper_bin sysprobe)" keyring)
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec "$ID" /bin/sysprobe keyring
  echo "host: $host; exec: $output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"desc=$ID" ]]
  [[ "$output" != *"$host"* ]]
}
