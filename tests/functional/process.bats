#!/usr/bin/env bats
# The container process: umask, capabilities, no_new_privs, rlimits, oom
# score, sysctl, scheduler, I/O priority, personality, time offsets,
# domainname, cwd, socket activation (LISTEN_FDS) and NOTIFY_SOCKET.
load helpers
load environment

@test "process.user.umask is applied" {
  set_config '.process.user.umask = 23'
  run_container sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'
  [ "${lines[0]}" = 0027 ]
  [ "${lines[1]}" = 640 ]
}

@test "all five capability sets, ambient included, reach the process" {
  set_config '.process.user = {"uid": 1000, "gid": 1000}
    | .process.capabilities = {"bounding": ["CAP_NET_BIND_SERVICE", "CAP_KILL", "CAP_CHOWN"],
        "permitted": ["CAP_NET_BIND_SERVICE", "CAP_KILL"], "effective": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
        "inheritable": ["CAP_NET_BIND_SERVICE"], "ambient": ["CAP_NET_BIND_SERVICE"]}'
  run_container grep ^Cap /proc/self/status
  [ "$status" -eq 0 ]
  # CHOWN=0, KILL=5, NET_BIND_SERVICE=10; after execve as uid 1000 only the
  # ambient capability stays permitted and effective
  [ "${lines[0]}" = "CapInh:	0000000000000400" ]
  [ "${lines[1]}" = "CapPrm:	0000000000000400" ]
  [ "${lines[2]}" = "CapEff:	0000000000000400" ]
  [ "${lines[3]}" = "CapBnd:	0000000000000421" ]
  [ "${lines[4]}" = "CapAmb:	0000000000000400" ]
}

@test "root keeps exactly the listed capabilities" {
  set_config '.process.capabilities = {"bounding": ["CAP_KILL", "CAP_CHOWN"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]}'
  run_container grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status
  [ "${lines[0]}" = "CapPrm:	0000000000000020" ]
  [ "${lines[1]}" = "CapEff:	0000000000000020" ]
  [ "${lines[2]}" = "CapBnd:	0000000000000021" ]
}

@test "noNewPrivileges sets no_new_privs, its absence leaves it clear" {
  set_config '.process.noNewPrivileges = true'
  run_container grep NoNewPrivs /proc/self/status
  [ "$output" = "NoNewPrivs:	1" ]
  set_config '.process.noNewPrivileges = false'
  run_container grep NoNewPrivs /proc/self/status
  [ "$output" = "NoNewPrivs:	0" ]
}

@test "rlimits are set exactly as asked" {
  set_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456}, {"type": "RLIMIT_CORE", "soft": 0, "hard": 4096}]'
  run_container sh -c 'grep -E "open files|core file" /proc/self/limits'
  [[ "${lines[0]}" =~ core\ file\ size\ +0\ +4096 ]]
  [[ "${lines[1]}" =~ open\ files\ +123\ +456 ]]
}

@test "oomScoreAdj is applied" {
  set_config '.process.oomScoreAdj = 123'
  run_container cat /proc/self/oom_score_adj
  [ "$output" = 123 ]
}

@test "sysctl in the container's namespaces is applied" {
  set_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmni": "1234"}'
  run_container cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = 1234 ]
}

@test "scheduler, ioPriority and personality are applied" {
  set_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}
    | .process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}
    | .linux.personality = {"domain": "LINUX32"}'
  run_container sh -c 'grep -E "^policy" /proc/self/sched | tr -d " "; cut -d" " -f19 /proc/self/stat; ionice; uname -m'
  [ "${lines[0]}" = "policy:3" ]
  [ "${lines[1]}" = 5 ]
  [ "${lines[2]}" = idle ]
  [ "${lines[3]}" = i686 ]
}

@test "a time namespace gets its offsets before the init starts" {
  set_config '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"boottime": {"secs": 864000, "nanosecs": 0}, "monotonic": {"secs": 86400, "nanosecs": 0}}'
  run_container cut -d. -f1 /proc/uptime
  [ "$status" -eq 0 ]
  [ "$output" -ge 864000 ]
  [ "$(cut -d. -f1 /proc/uptime)" -lt 864000 ] || skip "the host has been up for ten days"
}

@test "hostname and domainname are set in the uts namespace" {
  set_config '.hostname = "box" | .domainname = "example.org"'
  run_container sh -c 'hostname; cat /proc/sys/kernel/domainname'
  [ "${lines[0]}" = box ]
  [ "${lines[1]}" = example.org ]
}

@test "a missing cwd is created" {
  set_config '.process.cwd = "/work/deep/here"'
  run_container pwd
  [ "$status" -eq 0 ]
  [ "$output" = /work/deep/here ]
}

@test "LISTEN_FDS with --preserve-fds: the fd passes, LISTEN_PID is the container process" {
  echo socket-data > "$TEST_TMP/fd3"
  set_args sh -c 'echo $LISTEN_FDS $LISTEN_PID; cat <&3'
  run env LISTEN_FDS=1 LISTEN_PID=99999 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --preserve-fds 1 --bundle "$BUNDLE" "$ID" 3<"$TEST_TMP/fd3"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "1 1" ]
  [ "${lines[1]}" = socket-data ]
}

@test "LISTEN_FDS in process.env gets LISTEN_PID too" {
  set_config '.process.env += ["LISTEN_FDS=0"]'
  run_container sh -c 'echo $LISTEN_PID'
  [ "$output" = 1 ]
}

# a static sd_notify for the busybox rootfs
build_notifier() {
  command -v gcc >/dev/null || skip "gcc is needed to build the notifier"
  cat > "$TEST_TMP/notify.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
int main (int argc, char **argv)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_DGRAM, 0);
  strncpy (a.sun_path, getenv ("NOTIFY_SOCKET"), sizeof (a.sun_path) - 1);
  return sendto (fd, argv[1], strlen (argv[1]), 0, (struct sockaddr *) &a, sizeof (a)) < 0;
}
C
  gcc -static -o "$BUNDLE/rootfs/bin/notify" "$TEST_TMP/notify.c" || skip "no static libc"
}

@test "NOTIFY_SOCKET: the host hears READY=1 only from the running container" {
  build_notifier
  chmod 755 "$TEST_TMP"
  require_python
  python3 "$SRCDIR/tests/helpers/notify-listen.py" "$TEST_TMP/host.sock" "$TEST_TMP/got" &
  listener=$!
  wait_for_file "$TEST_TMP/got.ready" || true
  set_args sh -c 'echo $NOTIFY_SOCKET > /env; notify STATUS=starting; notify READY=1; sleep 100'
  NOTIFY_SOCKET="$TEST_TMP/host.sock" ocirun_bg create --bundle "$BUNDLE" "$ID"
  [ ! -s "$TEST_TMP/got" ]
  NOTIFY_SOCKET="$TEST_TMP/host.sock" run ocirun start "$ID"
  [ "$status" -eq 0 ]
  wait "$listener"
  [ "$(cat "$BUNDLE/rootfs/env")" = /run/notify/notify.sock ]
  [ "$(cat "$TEST_TMP/got")" = "$(printf 'STATUS=starting\nREADY=1')" ]
}

@test "NOTIFY_SOCKET: start returns when the container exits without READY=1" {
  chmod 755 "$TEST_TMP"
  require_python
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])' "$TEST_TMP/host.sock"
  set_args true
  NOTIFY_SOCKET="$TEST_TMP/host.sock" ocirun_bg create --bundle "$BUNDLE" "$ID"
  run timeout 10 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL start "$ID"
  [ "$status" -eq 0 ]
}

@test "bad input: an unknown rlimit names the field and leaves nothing behind" {
  set_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
  run_container true
  assert_one_line_error 'process.rlimits[0].type: unknown rlimit `RLIMIT_BOGUS`'
  assert_nothing_left
}

@test "bad input: a duplicate rlimit is refused" {
  set_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}]'
  run_container true
  assert_one_line_error 'process.rlimits[1].type: `RLIMIT_NOFILE` is set twice'
  assert_nothing_left
}

@test "bad input: a sysctl outside the container's namespaces is refused" {
  set_config '.linux.sysctl = {"kernel.pid_max": "4096"}'
  run_container true
  assert_one_line_error 'linux.sysctl: `kernel.pid_max` is not namespaced'
  assert_nothing_left
}

@test "bad input: a network sysctl without a network namespace says what to add" {
  set_config '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
  run_container true
  assert_one_line_error 'needs the container to have its own network namespace'
  assert_nothing_left
}

@test "bad input: an unknown capability names the set" {
  set_config '.process.capabilities.ambient = ["CAP_BOGUS"]'
  run_container true
  assert_one_line_error 'process.capabilities.ambient'
  [[ "$output" == *CAP_BOGUS* ]]
  assert_nothing_left
}

@test "bad input: an unknown scheduler policy fails the create and cleans up" {
  set_config '.process.scheduler = {"policy": "SCHED_BOGUS"}'
  run_container true
  assert_one_line_error 'process.scheduler.policy: unknown policy `SCHED_BOGUS`'
  assert_nothing_left
}
