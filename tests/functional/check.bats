#!/usr/bin/env bats
# ocirun check: each check's ok, warn and fail on a crafted host tree
# (--root-dir, the test seam), as root and as an unprivileged user (nobody),
# the JSON form, the exit status, and a run on the real host.
load helpers

NOBODY=65534

setup() {
  TEST_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ocirun-check.XXXXXX")
  chmod 755 "$TEST_TMP"
  R=$TEST_TMP/root
  XDG=/run/user/$NOBODY
  healthy_root
}

teardown() {
  rm -rf "$TEST_TMP"
}

# A host on which every check passes for nobody (uid 65534).
healthy_root() {
  local svc=sys/fs/cgroup/user.slice/user-$NOBODY.slice/user@$NOBODY.service
  mkdir -p "$R"/proc/sys/user "$R"/proc/sys/kernel/seccomp "$R"/proc/self "$R"/etc "$R"/usr/bin \
    "$R/$svc" "$R/run/user/$NOBODY"
  echo 15000 > "$R/proc/sys/user/max_user_namespaces"
  printf 'Name:\tocirun\nSeccomp:\t0\nSeccomp_filters:\t0\n' > "$R/proc/self/status"
  echo 'kill_process errno allow' > "$R/proc/sys/kernel/seccomp/actions_avail"
  echo "0::/user.slice/user-$NOBODY.slice/user@$NOBODY.service/app.slice/x.scope" > "$R/proc/self/cgroup"
  printf 'nodev\tproc\nnodev\toverlay\n\text4\n' > "$R/proc/filesystems"
  echo 'cpuset cpu io memory hugetlb pids' > "$R/sys/fs/cgroup/cgroup.controllers"
  echo 'cpuset cpu io memory pids' > "$R/$svc/cgroup.controllers"
  chown "$NOBODY" "$R/$svc"
  printf 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\n' \
    > "$R/etc/passwd"
  printf 'root:x:0:\nalice:x:1000:\nnogroup:x:65534:\n' > "$R/etc/group"
  echo 'nobody:100000:65536' > "$R/etc/subuid"
  echo 'nobody:100000:65536' > "$R/etc/subgid"
  for h in newuidmap newgidmap; do
    printf '#!/bin/sh\n' > "$R/usr/bin/$h"
    chmod 4755 "$R/usr/bin/$h"
  done
  chown "$NOBODY" "$R/run/user/$NOBODY"
  chmod 0700 "$R/run/user/$NOBODY"
}

# util-linux setpriv (busybox's, in the VM lane, has no --reuid): the checks
# as an unprivileged user run natively
need_setpriv() {
  setpriv --help 2>&1 | grep -q -- --reuid || skip "needs util-linux setpriv --reuid (runs natively)"
}

# check as nobody / as root, on the fake root; sets status and output
check_user() {
  need_setpriv
  run setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
    env -u XDG_RUNTIME_DIR ${XDG:+XDG_RUNTIME_DIR=$XDG} "$OCIRUN" check --root-dir "$R" "$@"
}

check_root() {
  run "$OCIRUN" check --root-dir "$R" "$@"
}

# the line of check NAME
check_line() {
  printf '%s\n' "$output" | awk -v n="$1" '{ s = $0; sub(/^(ok|warn|fail) +/, "", s); if (index(s, n ": ") == 1) print }'
}

# assert_check NAME STATUS [TEXT]: the line of NAME has STATUS and contains TEXT
assert_check() {
  local line
  line=$(check_line "$1")
  [ -n "$line" ] || { echo "no line for $1 in: $output" >&2; return 1; }
  [[ "$line" == "$2 "* ]] || { echo "expected $2: $line" >&2; return 1; }
  [ -z "${3:-}" ] || [[ "$line" == *"$3"* ]] || { echo "expected '$3' in: $line" >&2; return 1; }
}

# ---- the whole report -------------------------------------------------------

@test "a healthy host: every check is ok for an unprivileged user, exit 0" {
  check_user
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | grep -cv '^ok    ')" -eq 0 ]
  for name in "user namespaces" "unprivileged user namespaces" "AppArmor user namespaces" \
    /etc/subuid /etc/subgid newuidmap newgidmap "cgroup v2" "cgroup delegation" seccomp SELinux \
    AppArmor overlayfs "idmapped mounts" XDG_RUNTIME_DIR openat2 clone3 pidfd_open; do
    assert_check "$name" ok
  done
  assert_check "user namespaces" ok "user.max_user_namespaces = 15000"
  assert_check /etc/subuid ok "nobody has 100000-165535 (65536 uids)"
}

@test "the exit status is 1 with a fail, 0 with only ok and warn" {
  rm "$R/proc/filesystems"
  check_user
  [ "$status" -eq 0 ]
  assert_check overlayfs warn
  : > "$R/etc/subuid"
  check_user
  [ "$status" -eq 1 ]
}

@test "--json: an array of {name,status,message,fix} with the same checks as the text" {
  : > "$R/etc/subuid"
  rm "$R/proc/filesystems"
  check_user
  [ "$status" -eq 1 ]
  text=$(printf '%s\n' "$output" | awk '{ st = $1; s = $0; sub(/^(ok|warn|fail) +/, "", s); print st " " substr(s, 1, index(s, ": ") - 1) }')
  check_user --json
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | jq -e 'type == "array" and length > 15
    and all(.[]; (keys == ["fix","message","name","status"]) and (.status | IN("ok","warn","fail"))
                 and (.message | type) == "string" and ((.fix | type) | IN("string","null")))'
  [ "$(printf '%s\n' "$output" | jq -r '.[] | "\(.status) \(.name)"')" = "$text" ]
  [ "$(printf '%s\n' "$output" | jq -r '.[] | select(.name == "/etc/subuid") | .fix')" = \
    "usermod --add-subuids 100000-165535 nobody" ]
  [ "$(printf '%s\n' "$output" | jq -r '.[] | select(.name == "openat2") | .fix')" = null ]
}

# ---- user namespaces --------------------------------------------------------

@test "user.max_user_namespaces = 0 fails with the sysctl that fixes it (warns for root)" {
  echo 0 > "$R/proc/sys/user/max_user_namespaces"
  check_user
  [ "$status" -eq 1 ]
  assert_check "user namespaces" fail "(fix: sysctl -w user.max_user_namespaces=15000 && echo user.max_user_namespaces=15000 > /etc/sysctl.d/"
  check_root
  assert_check "user namespaces" warn "user.max_user_namespaces = 0"
}

@test "kernel.unprivileged_userns_clone = 0 fails for a user, not for root" {
  check_user
  assert_check "unprivileged user namespaces" ok "not restricted"
  echo 0 > "$R/proc/sys/kernel/unprivileged_userns_clone"
  check_user
  [ "$status" -eq 1 ]
  assert_check "unprivileged user namespaces" fail "(fix: sysctl -w kernel.unprivileged_userns_clone=1"
  check_root
  assert_check "unprivileged user namespaces" warn
  echo 1 > "$R/proc/sys/kernel/unprivileged_userns_clone"
  check_user
  assert_check "unprivileged user namespaces" ok "kernel.unprivileged_userns_clone = 1"
}

@test "kernel.apparmor_restrict_unprivileged_userns = 1 fails naming the sysctl and a profile" {
  echo 1 > "$R/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
  check_user
  [ "$status" -eq 1 ]
  assert_check "AppArmor user namespaces" fail "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
  assert_check "AppArmor user namespaces" fail "AppArmor profile"
  echo 0 > "$R/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
  check_user
  assert_check "AppArmor user namespaces" ok "= 0"
}

# ---- /etc/subuid, /etc/subgid -----------------------------------------------

@test "no subordinate range for the user fails with the usermod command" {
  : > "$R/etc/subuid"
  rm "$R/etc/subgid"
  check_user
  [ "$status" -eq 1 ]
  [ "$(check_line /etc/subuid)" = "fail  /etc/subuid: no range for nobody (fix: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 nobody)" ]
  assert_check /etc/subgid fail "no range for nobody (the file is missing)"
}

@test "the suggested range is free of every other range and real id" {
  printf 'alice:100000:65536\n' > "$R/etc/subuid"
  printf 'bob:165536:65536\n' > "$R/etc/subgid"
  check_user
  assert_check /etc/subuid fail "usermod --add-subuids 231072-296607 --add-subgids 231072-296607 nobody"
}

@test "a range given by uid counts" {
  echo "$NOBODY:200000:65536" > "$R/etc/subuid"
  check_user
  [ "$status" -eq 0 ]
  assert_check /etc/subuid ok "200000-265535"
}

@test "fewer than 65536 subordinate ids warns" {
  echo 'nobody:100000:1000' > "$R/etc/subgid"
  check_user
  [ "$status" -eq 0 ]
  assert_check /etc/subgid warn "nobody has only 1000 gids (100000-100999)"
  assert_check /etc/subgid warn "(fix: usermod --add-subgids 101000-166535 nobody)"
}

@test "a range over real uids or gids warns" {
  echo 'nobody:1:65536' > "$R/etc/subuid"
  echo 'nobody:60000:65536' > "$R/etc/subgid"
  check_user
  [ "$status" -eq 0 ]
  assert_check /etc/subuid warn "range 1-65536 includes uid 1000 of alice (/etc/passwd)"
  assert_check /etc/subuid warn "(fix: usermod --del-subuids 1-65536 nobody && usermod --add-subuids"
  assert_check /etc/subgid warn "includes gid 65534 of nogroup (/etc/group)"
}

@test "a range overlapping another user's fails" {
  printf 'alice:100000:65536\nnobody:150000:65536\n' > "$R/etc/subuid"
  check_user
  [ "$status" -eq 1 ]
  assert_check /etc/subuid fail "nobody's range 150000-215535 overlaps alice's 100000-165535"
}

@test "root needs no subordinate range" {
  : > "$R/etc/subuid"
  : > "$R/etc/subgid"
  check_root
  [ "$status" -eq 0 ]
  assert_check /etc/subuid ok "no range for root: optional"
  assert_check /etc/subgid ok
}

# ---- newuidmap, newgidmap ---------------------------------------------------

@test "newuidmap missing fails with the package to install" {
  rm "$R/usr/bin/newuidmap"
  check_user
  [ "$status" -eq 1 ]
  assert_check newuidmap fail "not found in /usr/bin, /bin, /usr/sbin or /usr/local/bin"
  assert_check newuidmap fail "(fix: apt-get install uidmap)"
  assert_check newgidmap ok "/usr/bin/newgidmap is setuid root"
  check_root
  [ "$status" -eq 0 ]
  assert_check newuidmap warn "root does not need it"
}

@test "newgidmap without setuid or file capabilities fails with chmod u+s" {
  chmod 0755 "$R/usr/bin/newgidmap"
  check_user
  [ "$status" -eq 1 ]
  assert_check newgidmap fail "(fix: chmod u+s /usr/bin/newgidmap)"
  chown "$NOBODY" "$R/usr/bin/newgidmap"
  chmod 4755 "$R/usr/bin/newgidmap"
  check_user
  assert_check newgidmap fail "(fix: chown root:root /usr/bin/newgidmap && chmod 4755 /usr/bin/newgidmap)"
}

@test "newuidmap with file capabilities, or in /bin, is ok" {
  command -v setcap >/dev/null || skip "needs setcap"
  chmod 0755 "$R/usr/bin/newuidmap"
  setcap cap_setuid+ep "$R/usr/bin/newuidmap" || skip "this filesystem has no file capabilities"
  mkdir -p "$R/bin"
  mv "$R/usr/bin/newgidmap" "$R/bin/newgidmap"
  check_user
  [ "$status" -eq 0 ]
  assert_check newuidmap ok "/usr/bin/newuidmap has file capabilities"
  assert_check newgidmap ok "/bin/newgidmap is setuid root"
}

# ---- cgroups ----------------------------------------------------------------

@test "a hybrid or v1 hierarchy warns with the boot option, and exits 0" {
  rm -rf "$R/sys/fs/cgroup"
  mkdir -p "$R/sys/fs/cgroup/unified" "$R/sys/fs/cgroup/memory"
  : > "$R/sys/fs/cgroup/unified/cgroup.controllers"
  check_user
  [ "$status" -eq 0 ]
  assert_check "cgroup v2" warn "hybrid hierarchy"
  assert_check "cgroup v2" warn "(fix: boot with systemd.unified_cgroup_hierarchy=1"
  [ -z "$(check_line "cgroup delegation")" ]
  rm -rf "$R/sys/fs/cgroup/unified"
  check_user
  assert_check "cgroup v2" warn "no cgroup v2 at /sys/fs/cgroup"
}

@test "cgroup v2: controllers not delegated to the user warn with the systemd drop-in" {
  echo 'cpu pids' > "$R/sys/fs/cgroup/user.slice/user-$NOBODY.slice/user@$NOBODY.service/cgroup.controllers"
  check_user
  [ "$status" -eq 0 ]
  assert_check "cgroup v2" ok "unified hierarchy"
  assert_check "cgroup delegation" warn "memory cpuset io is not delegated"
  assert_check "cgroup delegation" warn "(fix: mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\nDelegate=memory pids cpu cpuset io\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload)"
  check_root
  [ -z "$(check_line "cgroup delegation")" ]
}

@test "cgroup v2 without user@UID.service: the current cgroup, which must be the user's" {
  rm -rf "$R/sys/fs/cgroup/user.slice"
  echo '0::/session.scope' > "$R/proc/self/cgroup"
  mkdir -p "$R/sys/fs/cgroup/session.scope"
  echo 'cpuset cpu io memory pids' > "$R/sys/fs/cgroup/session.scope/cgroup.controllers"
  check_user
  assert_check "cgroup delegation" warn "your cgroup /session.scope belongs to uid 0"
  chown "$NOBODY" "$R/sys/fs/cgroup/session.scope"
  check_user
  assert_check "cgroup delegation" ok "delegated (/session.scope)"
}

# ---- confinement ------------------------------------------------------------

@test "seccomp: the Seccomp line of /proc/self/status" {
  check_user
  assert_check seccomp ok "supported (actions: kill_process errno allow)"
  printf 'Name:\tocirun\n' > "$R/proc/self/status"
  check_user
  [ "$status" -eq 0 ]
  assert_check seccomp warn "CONFIG_SECCOMP"
}

@test "SELinux and AppArmor: enforcing, permissive, enabled or absent are all ok" {
  mkdir -p "$R/sys/fs/selinux" "$R/sys/module/apparmor/parameters"
  echo 1 > "$R/sys/fs/selinux/enforce"
  echo Y > "$R/sys/module/apparmor/parameters/enabled"
  check_user
  [ "$status" -eq 0 ]
  assert_check SELinux ok enforcing
  assert_check AppArmor ok enabled
  echo 0 > "$R/sys/fs/selinux/enforce"
  echo N > "$R/sys/module/apparmor/parameters/enabled"
  check_user
  assert_check SELinux ok permissive
  assert_check AppArmor ok "not enabled"
}

# ---- filesystems, session, kernel -------------------------------------------

@test "overlayfs missing from /proc/filesystems warns" {
  printf 'nodev\tproc\n\text4\n' > "$R/proc/filesystems"
  check_user
  [ "$status" -eq 0 ]
  assert_check overlayfs warn "(fix: modprobe overlay"
}

@test "idmapped mounts: this kernel's release is judged" {
  check_user
  if [ "$(printf '%s\n' "$(uname -r)" 5.12 | sort -V | head -1)" = 5.12 ]; then
    assert_check "idmapped mounts" ok "Linux $(uname -r)"
  else
    assert_check "idmapped mounts" warn "older than 5.12"
  fi
}

@test "XDG_RUNTIME_DIR: unset, missing, not the user's or not 0700 warns; root needs none" {
  XDG= check_user
  [ "$status" -eq 0 ]
  assert_check XDG_RUNTIME_DIR warn "not set"
  assert_check XDG_RUNTIME_DIR warn "(fix: loginctl enable-linger nobody && export XDG_RUNTIME_DIR=/run/user/65534)"
  XDG=/run/user/4242 check_user
  assert_check XDG_RUNTIME_DIR warn "/run/user/4242 is missing"
  chmod 0755 "$R/run/user/$NOBODY"
  check_user
  assert_check XDG_RUNTIME_DIR warn "(fix: chmod 0700 /run/user/65534)"
  chmod 0700 "$R/run/user/$NOBODY"
  chown 0 "$R/run/user/$NOBODY"
  check_user
  assert_check XDG_RUNTIME_DIR warn "belongs to uid 0"
  check_root
  assert_check XDG_RUNTIME_DIR ok "not needed for root"
}

@test "openat2, clone3 and pidfd_open probe the running kernel, whatever the root" {
  rm -rf "$R/proc"
  check_user
  for s in openat2 clone3 pidfd_open; do
    assert_check "$s" ok "the kernel has it"
  done
}

# ---- the command line, the real host ----------------------------------------

@test "check --help, and check is in the command list" {
  run "$OCIRUN" check --help
  [ "$status" -eq 0 ]
  [[ "$output" == "Usage: ocirun check [--json] [--root-dir DIR]"* ]]
  [[ "$output" == *"--root-dir DIR  (for tests)"* ]]
  run "$OCIRUN" --help
  [[ "$output" == *"  check "* ]]
}

@test "bad usage: an unknown option, an argument, a missing root dir" {
  run "$OCIRUN" check --frobnicate
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown option \`--frobnicate\`"* ]]
  run "$OCIRUN" check extra
  [ "$status" -eq 1 ]
  [[ "$output" == *"unexpected argument \`extra\`"* ]]
  run "$OCIRUN" check --root-dir "$TEST_TMP/nowhere"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"--root-dir \`$TEST_TMP/nowhere\`: No such file or directory"* ]]
}

@test "the real host, as root: one line per check, exit status per the results" {
  run "$OCIRUN" check
  echo "$output"
  [ "$status" -lt 2 ]
  [ "$(printf '%s\n' "$output" | grep -cvE '^(ok|warn|fail)  +[^:]+: ')" -eq 0 ]
  if printf '%s\n' "$output" | grep -q '^fail'; then [ "$status" -eq 1 ]; else [ "$status" -eq 0 ]; fi
  if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
    assert_check "cgroup v2" ok
  else
    assert_check "cgroup v2" warn "systemd.unified_cgroup_hierarchy=1"
  fi
  run "$OCIRUN" check --json
  [ "$status" -lt 2 ]
  printf '%s\n' "$output" | jq -e 'length > 15'
}

@test "the real host, as an unprivileged user: no crash, a fail means exit 1" {
  need_setpriv
  run setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$OCIRUN" check
  echo "$output"
  [ "$status" -lt 2 ]
  if printf '%s\n' "$output" | grep -q '^fail'; then [ "$status" -eq 1 ]; else [ "$status" -eq 0 ]; fi
  assert_check XDG_RUNTIME_DIR warn
}
