# Helpers for the podman end-to-end tests (bats-core >= 1.5).
#
# Each .bats file calls podman_suite_setup MODE from setup_file:
#   root      podman as root
#   rootless  podman as an unprivileged user with subuid/subgid ranges: when the
#             tests run as root, the user $PM_USER (default ocirun-podman) is
#             created (idempotently) and podman runs through runuser; when they
#             run as a non-root user (the VM's --as-user lane), as that user.
# Every suite gets a private temp dir holding containers.conf, storage.conf, the
# storage itself, a copy of the ocirun binary and the imported busybox image.
#
# Environment: OCIRUN (the binary; default ./ocirun of this tree),
# OCIRUN_PODMAN_USER, OCIRUN_PODMAN_KEEP=1 (keep the temp dir),
# OCIRUN_PODMAN_NO_INSTALL=1 (never apt-get).

bats_require_minimum_version 1.5.0

PM_SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OCIRUN=${OCIRUN:-$PM_SRCDIR/ocirun}
PM_IMAGE=localhost/ocirun-bb
PM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

cgroup2_host() {
  [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]
}

skip_unless_cgroup2() {
  cgroup2_host || skip "needs cgroup v2: runs in the VM lane"
}

# systemd as PID 1 with a bus: the VM lane uses the systemd cgroup manager.
systemd_host() {
  [ -d /run/systemd/system ] && cgroup2_host
}

# --- one-time host preparation (idempotent) ---------------------------------

podman_install() {
  local missing=() t
  for t in podman conmon catatonit newuidmap newgidmap script jq; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null 2>&1 || missing+=(runuser)
  fi
  [ -x /bin/busybox ] || missing+=(busybox)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || [ -n "${OCIRUN_PODMAN_NO_INSTALL:-}" ]; then
    echo "missing: ${missing[*]} (apt-get install podman conmon catatonit uidmap busybox-static)" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    podman conmon catatonit uidmap slirp4netns fuse-overlayfs busybox-static jq bsdutils >&2
}

# The first free subordinate id range at or above 200000 for USER's entry in FILE.
_subid_ensure() {
  local user=$1 file=$2 start=200000 s c
  touch "$file"
  grep -q "^$user:" "$file" && return 0
  while IFS=: read -r _ s c; do
    [ -n "$s" ] && [ -n "$c" ] || continue
    [ $((s + c)) -gt "$start" ] && start=$(( (s + c + 65535) / 65536 * 65536 ))
  done < "$file"
  echo "$user:$start:65536" >> "$file"
}

podman_user_ensure() {
  local user=$1
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$user" >&2 || id -u "$user" >/dev/null
  fi
  _subid_ensure "$user" /etc/subuid
  _subid_ensure "$user" /etc/subgid
}

# A busybox-static rootfs tarball (applet links, passwd, group).
make_busybox_tar() {
  local out=$1 r
  r=$(mktemp -d)
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,var/tmp,home/user}
  cp /bin/busybox "$r/bin/busybox"
  local a
  for a in $("$r/bin/busybox" --list); do
    [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'user:x:1000:1000:user:/home/user:/bin/sh' \
    'nobody:x:65534:65534:nobody:/:/bin/false' > "$r/etc/passwd"
  printf '%s\n' 'root:x:0:' 'tty:x:5:' 'user:x:1000:' 'nogroup:x:65534:' > "$r/etc/group"
  chmod 1777 "$r/tmp" "$r/var/tmp"
  chmod 0777 "$r/home/user"
  tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$out" .
  rm -rf "$r"
}

# --- running podman -----------------------------------------------------------

# The env prefix for the suite's user (podman, script, ...): pm_cmd CMD ARGS...
pm_cmd() {
  local envs=(CONTAINERS_CONF="$PM_TMP/containers.conf" CONTAINERS_STORAGE_CONF="$PM_TMP/storage.conf")
  case "$PM_RUNAS" in
    root)
      env -i PATH="$PM_PATH" HOME="$PM_TMP/home" TERM="${TERM:-xterm}" "${envs[@]}" "$@" ;;
    self)
      env "${envs[@]}" "$@" ;;
    *)
      runuser -u "$PM_RUNAS" -- env -i PATH="$PM_PATH" HOME="$PM_TMP/home" USER="$PM_RUNAS" \
        LOGNAME="$PM_RUNAS" TERM="${TERM:-xterm}" XDG_RUNTIME_DIR="$PM_TMP/xdg" "${envs[@]}" "$@" ;;
  esac
}

pm() {
  pm_cmd podman "$@"
}

# run_pm ARGS...: bats' run of podman.  Lines ocirun wrote as warnings to the
# container's stderr are dropped from $output/$lines (they land there when ocirun
# warns on stderr; "ocirun writes nothing into the container's output" checks that).
run_pm() {
  if [[ "${1:-}" =~ ^-[0-9]+$ ]]; then
    local want=$1
    shift
    run "$want" pm "$@"
  else
    run pm "$@"
  fi
  if [[ "$output" == *"ocirun: warning:"* ]]; then
    output=$(printf '%s\n' "$output" | grep -v '^ocirun: warning:' || true)
    lines=()
    [ -z "$output" ] || mapfile -t lines <<< "$output"
  fi
}

# podman with a pty: pm_tty 'podman run -it ...' (one shell string)
pm_tty() {
  pm_cmd script -qec "$1" /dev/null </dev/null
}

# --- suite setup / teardown -------------------------------------------------

podman_suite_setup() {
  local mode=$1
  podman_install || return 1
  [ -x "$OCIRUN" ] || { echo "no ocirun binary at $OCIRUN (make first)" >&2; return 1; }
  PM_MODE=$mode
  PM_TMP=$(mktemp -d /tmp/ocirun-podman-$mode.XXXXXX)
  chmod 0711 "$PM_TMP"
  if [ "$mode" = root ]; then
    PM_RUNAS=root
  elif [ "$(id -u)" != 0 ]; then
    PM_RUNAS=self
  else
    PM_RUNAS=${OCIRUN_PODMAN_USER:-ocirun-podman}
    podman_user_ensure "$PM_RUNAS" || return 1
  fi
  export PM_MODE PM_TMP PM_RUNAS

  mkdir -p "$PM_TMP"/{bin,graph,run,tmp,home,xdg,vol}
  chmod 0700 "$PM_TMP/xdg"
  cp "$OCIRUN" "$PM_TMP/bin/ocirun"
  chmod 0755 "$PM_TMP/bin/ocirun"

  local manager=cgroupfs cgroups=enabled
  if systemd_host && { [ "$PM_RUNAS" = root ] || [ "$PM_RUNAS" = self ]; }; then
    # (a user reached through runuser has no systemd user session: cgroupfs)
    manager=systemd
  elif [ "$mode" = root ] && ! cgroup2_host; then
    # ocirun needs cgroup v2 for a cgroupsPath: root podman runs without cgroups here
    cgroups=disabled
  fi
  # podman's default ulimits, capped at the caller's hard limits: the runtime
  # may not raise them (no CAP_SYS_RESOURCE; a systemd user session caps nproc)
  local hn hp
  hn=$(ulimit -Hn); hp=$(ulimit -Hu)
  [ "$hn" = unlimited ] || [ "$hn" -gt 20000 ] && hn=20000
  [ "$hp" = unlimited ] || [ "$hp" -gt 32768 ] && hp=32768
  cat > "$PM_TMP/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$hn:$hn", "nproc=$hp:$hp"]
cgroups = "$cgroups"
[engine]
runtime = "ocirun"
runtime_supports_json = ["crun", "runc", "ocirun"]
runtime_supports_nocgroup = ["crun", "ocirun"]
cgroup_manager = "$manager"
events_logger = "file"
lock_type = "file"
pull_policy = "never"
tmp_dir = "$PM_TMP/tmp"
[engine.runtimes]
ocirun = ["$PM_TMP/bin/ocirun"]
EOF
  cat > "$PM_TMP/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$PM_TMP/graph"
runroot = "$PM_TMP/run"
rootless_storage_path = "$PM_TMP/graph"
EOF
  make_busybox_tar "$PM_TMP/bb.tar"
  if [ "$PM_RUNAS" != root ] && [ "$PM_RUNAS" != self ]; then
    chown -R "$PM_RUNAS:" "$PM_TMP"
    chown root: "$PM_TMP/bin" "$PM_TMP/bin/ocirun"
  fi
  pm import "$PM_TMP/bb.tar" "$PM_IMAGE" >/dev/null
}

podman_suite_teardown() {
  [ -n "${PM_TMP:-}" ] && [ -d "$PM_TMP" ] || return 0
  pm rm -af -t 0 >/dev/null 2>&1 || true
  if [ "$PM_MODE" = root ] && [ -z "${OCIRUN_PODMAN_KEEP:-}" ]; then
    pm system reset -f >/dev/null 2>&1 || true
  fi
  if [ "$PM_RUNAS" = self ] && [ -z "${OCIRUN_PODMAN_KEEP:-}" ]; then
    # files owned by subordinate ids: remove them inside the user namespace,
    # while the pause process still holds it
    pm unshare rm -rf "$PM_TMP/graph" "$PM_TMP/run" >/dev/null 2>&1 || true
  fi
  local pid
  pid=$(cat "$PM_TMP/tmp/pause.pid" 2>/dev/null) || pid=
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  # overlay mounts podman left under the temp dir (root only: rootless ones
  # lived in the pause process's mount namespace)
  local m
  for m in $(awk -v p="$PM_TMP/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  if [ -z "${OCIRUN_PODMAN_KEEP:-}" ]; then
    rm -rf "$PM_TMP" 2>/dev/null || true
  fi
}

# Per-test: no container survives a test.
podman_test_teardown() {
  pm rm -af -t 0 >/dev/null 2>&1 || true
}

# A world-accessible scratch dir for a test (bind mounts).
pm_scratch() {
  local d
  d=$(mktemp -d "$PM_TMP/vol/v.XXXXXX")
  chmod 0777 "$d"
  echo "$d"
}

# The ocirun log of a container: oci_log ID.  It is the --log podman passes:
# userdata/oci-log beside conmon's pid file, under podman's runroot (which
# rootless podman may move to $XDG_RUNTIME_DIR/containers, whatever
# storage.conf says).
oci_log() {
  local pidfile
  pidfile=$(pm inspect --format '{{.ConmonPidFile}}' "$1") || return 1
  [ -n "$pidfile" ] || return 1
  if [ -e "${pidfile%/*}/oci-log" ]; then cat "${pidfile%/*}/oci-log"; fi
  return 0
}

# wait_for_pm_output CTR TEXT: until `podman logs` shows TEXT
wait_for_log() {
  local i
  for i in $(seq 1 100); do
    pm logs "$1" 2>/dev/null | grep -q -- "$2" && return 0
    sleep 0.1
  done
  echo "container $1 never logged '$2'; logs: $(pm logs "$1" 2>&1)" >&2
  return 1
}

pm_status() {
  pm inspect --format '{{.State.Status}}' "$1"
}
