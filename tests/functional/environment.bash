# Helpers for the container-environment tests (mounts, devices, userns,
# rootless, process, hooks, terminal, exec).  Loaded after helpers.bash.

# After a failed create: no state directory, no mount of ours, no process
# running in the bundle.
assert_nothing_left() {
  if [ -n "$(ls -A "$ROOT" 2>/dev/null)" ]; then
    echo "state left under $ROOT: $(ls -A "$ROOT")" >&2
    return 1
  fi
  if grep -q " $TEST_TMP" /proc/self/mountinfo; then
    echo "mount left: $(grep " $TEST_TMP" /proc/self/mountinfo)" >&2
    return 1
  fi
  # a process forked by ocirun for this test that never exec'd
  local left
  left=$(grep -lzx "OCIRUN_TEST_DIR=$TEST_TMP" /proc/[0-9]*/environ 2>/dev/null | head -1)
  if [ -n "$left" ]; then
    left=${left#/proc/}
    echo "process left: ${left%/environ}" >&2
    return 1
  fi
}

# The error is one line and names WHAT.
assert_one_line_error() {
  [ "$status" -ne 0 ]
  local errs
  errs=$(printf '%s\n' "$output" | grep -v 'warning:' | grep -c .)
  [ "$errs" -eq 1 ] || { echo "expected one error line, got: $output" >&2; return 1; }
  [[ "$output" == *"$1"* ]] || { echo "error does not name '$1': $output" >&2; return 1; }
}

# A user namespace mapping 0-65535 to 100000-165535, rootfs owned accordingly.
use_userns() {
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 755 "$TEST_TMP" "$BUNDLE"
  set_config '.linux.namespaces += [{"type":"user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# ensure_user NAME [SUBID_START]: an unprivileged user, with a subordinate id
# range of 65536 when SUBID_START is given, none otherwise (idempotent).
ensure_user() {
  local name=$1 start=${2:-} f
  command -v useradd >/dev/null && command -v newuidmap >/dev/null \
    || skip "needs useradd and newuidmap (the rootless tests run natively)"
  id "$name" >/dev/null 2>&1 || useradd -M -N -d /nonexistent -s /bin/sh "$name" >/dev/null 2>&1 \
    || id "$name" >/dev/null 2>&1
  for f in /etc/subuid /etc/subgid; do
    if [ -n "$start" ]; then
      grep -q "^$name:" "$f" || echo "$name:$start:65536" >> "$f"
    else
      sed -i "/^$name:/d" "$f"
    fi
  done
}

# as_user NAME CMD...: run CMD as NAME with a clean environment.
as_user() {
  local name=$1; shift
  runuser -u "$name" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp XDG_RUNTIME_DIR= "$@"
}

# wait_for_file FILE: up to 5 s.
wait_for_file() {
  local i
  for i in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "$1 did not appear" >&2
  return 1
}

# Without a cgroup manager the default resources only earn a warning that
# would mix with the container's output: drop them.
setup() {
  setup_common
  set_config 'del(.linux.resources)'
}

# rootless_bundle USER: hand the bundle to USER (its own uid maps to root)
# and give it a state root of its own; sets RL_ROOT.
rootless_bundle() {
  local user=$1 uid gid
  uid=$(id -u "$user") gid=$(id -g "$user")
  chmod 755 "$TEST_TMP"
  RL_ROOT="$TEST_TMP/rl-state"
  mkdir -p "$RL_ROOT"
  set_config "del(.linux.resources) | .linux.namespaces |= map(select(.type != \"network\" and .type != \"cgroup\")) + [{\"type\": \"user\"}]
    | .linux.uidMappings = [{\"containerID\": 0, \"hostID\": $uid, \"size\": 1}]
    | .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $gid, \"size\": 1}]"
  chown -R "$user" "$BUNDLE" "$RL_ROOT"
}

# rl USER ARGS...: ocirun as USER with its own state root
rl() {
  local user=$1; shift
  as_user "$user" "$OCIRUN" --root "$RL_ROOT" --cgroup-manager=disabled "$@"
}

rootless_teardown() {
  local user=$1 id
  [ -d "${RL_ROOT:-/nonexistent}" ] || return 0
  for id in $(ls "$RL_ROOT"); do rl "$user" delete --force "$id" >/dev/null 2>&1 || true; done
}

# kernel_at_least MAJOR MINOR
kernel_at_least() {
  local v maj min
  v=$(uname -r)
  maj=${v%%.*}
  v=${v#*.}
  min=${v%%[!0-9]*}
  [ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# The tests' files live on tmpfs in the VM, whose idmapped mounts need 6.3.
require_idmap_tmpfs() {
  kernel_at_least 6 3 || skip "idmapped mounts of tmpfs need Linux >= 6.3 (this kernel: $(uname -r)); run natively"
}
