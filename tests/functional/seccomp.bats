#!/usr/bin/env bats
# linux.seccomp: every action, argument filters, flags, user notification,
# validation, and the filter's life with and without noNewPrivileges.
# The syscalls under test: mkdir/mkdirat (busybox mkdir shows the errno's
# message) and getppid with raw arguments through the static helper sysprobe
# (tests/helpers/sysprobe.c), which prints "ret=R" or "errno=E (message)".
load helpers
load ../helpers/confinement

MKDIRS='["mkdir", "mkdirat"]'

# A deny-by-default filter must let the init finish and busybox run.
ALLOW_LIST='["read", "write", "writev", "readv", "pread64", "open", "openat", "close", "close_range",
  "stat", "fstat", "lstat", "newfstatat", "statx", "lseek", "mmap", "mprotect", "munmap", "brk",
  "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "ioctl", "access", "faccessat",
  "faccessat2", "pipe", "pipe2", "dup", "dup2", "dup3", "getpid", "getppid", "gettid", "getuid",
  "geteuid", "getgid", "getegid", "getpgrp", "getpgid", "setpgid", "getcwd", "chdir", "fcntl",
  "getdents64", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "clone", "clone3",
  "fork", "vfork", "kill", "tgkill", "uname", "arch_prctl", "set_tid_address", "set_robust_list",
  "rseq", "prlimit64", "getrlimit", "futex", "readlink", "readlinkat", "getrandom", "poll", "ppoll",
  "select", "pselect6", "nanosleep", "clock_nanosleep", "clock_gettime", "gettimeofday", "time",
  "sched_getaffinity", "sched_yield", "umask", "sendmsg", "recvmsg", "prctl", "madvise",
  "mremap", "sysinfo", "getsid", "setsid", "getresuid", "getresgid", "getgroups"]'

# seccomp JSON: set linux.seccomp
seccomp() {
  set_config ".linux.seccomp = $1"
}

# rule_for NAMES ACTION [EXTRA-JSON]: a filter that allows by default and
# gives ACTION to NAMES
rule_for() {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": $1, \"action\": \"$2\" ${3:+, $3}}]}"
}

# dmesg_has PATTERN: the kernel log holds PATTERN (retries: audit is async)
dmesg_has() {
  local i
  for i in $(seq 20); do
    dmesg 2>/dev/null | grep -q -- "$1" && return 0
    sleep 0.1
  done
  return 1
}

skip_unless_dmesg() {
  dmesg >/dev/null 2>&1 || skip "the kernel log is not readable (dmesg)"
  [ -r /proc/sys/kernel/seccomp/actions_logged ] || skip "/proc/sys/kernel/seccomp/actions_logged is not readable"
  if command -v auditctl >/dev/null && auditctl -s 2>/dev/null | grep -q 'pid [1-9]'; then
    skip "auditd is running: seccomp records go to its log, not dmesg"
  fi
}

# the agent is built by `make check` (or `make tests/helpers/seccomp-agent`)
# in the build directory
agent_bin() {
  local top=${OCIRUN_BUILDDIR:-$SRCDIR}
  local a="$top/tests/helpers/seccomp-agent"
  if [ ! -x "$a" ]; then
    make -C "$top" tests/helpers/seccomp-agent >/dev/null 2>&1 || return 1
  fi
  echo "$a"
}

# start_agent [JSON]: the notification agent on $TEST_TMP/agent.sock, its
# state document in JSON (default $TEST_TMP/agent.json).  It serves one
# connection, then frees the socket path for the next agent.
start_agent() {
  local a i
  a=$(agent_bin) || skip "cannot build tests/helpers/seccomp-agent (make tests/helpers/seccomp-agent)"
  "$a" "$TEST_TMP/agent.sock" "${1:-$TEST_TMP/agent.json}" </dev/null >>"$TEST_TMP/agent.log" 2>&1 &
  AGENT_PIDS="${AGENT_PIDS:-} $!"
  AGENT_PID=$!
  for i in $(seq 100); do [ -S "$TEST_TMP/agent.sock" ] && return 0; sleep 0.05; done
  echo "the agent did not listen: $(cat "$TEST_TMP/agent.log")" >&2
  return 1
}

teardown() {
  local p
  for p in ${AGENT_PIDS:-}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  teardown_common
}

# --- actions ------------------------------------------------------------------

@test "SCMP_ACT_ERRNO without errnoRet fails the syscall with EPERM" {
  rule_for "$MKDIRS" SCMP_ACT_ERRNO
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_ERRNO with errnoRet fails the syscall with that errno" {
  rule_for "$MKDIRS" SCMP_ACT_ERRNO '"errnoRet": 38'
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Function not implemented"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "errnoRet is the exact errno value the process sees" {
  install_helper sysprobe
  rule_for '["getppid"]' SCMP_ACT_ERRNO '"errnoRet": 42'
  run_container /bin/sysprobe getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"errno=42 (No message of desired type)"* ]]
}

@test "defaultAction SCMP_ACT_ERRNO denies what no rule allows, with EPERM" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": $ALLOW_LIST, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "defaultErrnoRet is the errno of the default action" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": [{\"names\": $ALLOW_LIST, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Function not implemented"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_ALLOW lets the listed syscalls through a deny-by-default filter" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": $ALLOW_LIST, \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": $MKDIRS, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_container mkdir /allowed
  [ "$status" -eq 0 ]
  [ -d "$BUNDLE/rootfs/allowed" ]
}

@test "SCMP_ACT_KILL kills the process with SIGSYS" {
  rule_for "$MKDIRS" SCMP_ACT_KILL
  run_container mkdir /blocked
  [ "$status" -eq 159 ]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_KILL_PROCESS kills every thread with SIGSYS" {
  install_helper sysprobe
  rule_for '["getppid"]' SCMP_ACT_KILL_PROCESS
  run_container /bin/sysprobe -t getppid
  [ "$status" -eq 159 ]
  [[ "$output" != *"main alive"* ]]
}

@test "SCMP_ACT_KILL_THREAD kills only the calling thread" {
  install_helper sysprobe
  rule_for '["getppid"]' SCMP_ACT_KILL_THREAD
  run_container /bin/sysprobe -t getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"main alive"* ]]
  [[ "$output" != *"ret="* ]]
}

@test "SCMP_ACT_KILL_THREAD in a single-threaded process kills it with SIGSYS" {
  rule_for "$MKDIRS" SCMP_ACT_KILL_THREAD
  run_container mkdir /blocked
  [ "$status" -eq 159 ]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_TRAP sends SIGSYS: fatal by default" {
  rule_for "$MKDIRS" SCMP_ACT_TRAP
  run_container mkdir /blocked
  [ "$status" -eq 159 ]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_TRAP sends SIGSYS a handler can catch, with the syscall number" {
  install_helper sysprobe
  rule_for '["getppid"]' SCMP_ACT_TRAP
  run_container /bin/sysprobe -s getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"SIGSYS syscall=110"* ]]
}

@test "SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS" {
  rule_for "$MKDIRS" SCMP_ACT_TRACE '"errnoRet": 1'
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Function not implemented"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "SCMP_ACT_LOG allows the syscall" {
  rule_for "$MKDIRS" SCMP_ACT_LOG
  run_container mkdir /logged
  [ "$status" -eq 0 ]
  [ -d "$BUNDLE/rootfs/logged" ]
}

@test "SCMP_ACT_LOG writes a seccomp audit record" {
  skip_unless_dmesg
  grep -qw log /proc/sys/kernel/seccomp/actions_logged || skip "actions_logged has no \"log\""
  install_helper sysprobe
  name=lg$RANDOM$RANDOM
  cp "$BUNDLE/rootfs/bin/sysprobe" "$BUNDLE/rootfs/bin/$name"
  rule_for '["getppid"]' SCMP_ACT_LOG
  run_container "/bin/$name" getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"ret="* ]]
  dmesg_has "comm=\"$name\".*syscall=110" || skip "no seccomp record in dmesg (rate-limited or audit elsewhere)"
}

@test "a syscall without a rule gets the default action" {
  rule_for '["getppid"]' SCMP_ACT_ERRNO
  run_container mkdir /free
  [ "$status" -eq 0 ]
  [ -d "$BUNDLE/rootfs/free" ]
}

# --- user notification ----------------------------------------------------------

@test "SCMP_ACT_NOTIFY: the agent gets the listener fd and the process state" {
  start_agent
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"listenerMetadata\": \"meta-$ID\",
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  run_container sh -c 'mkdir /notified && echo mkdir-returned-0'
  [ "$status" -eq 0 ]
  [[ "$output" == *mkdir-returned-0* ]]
  # the agent answered "success" without making the directory
  [ ! -e "$BUNDLE/rootfs/notified" ]
  json=$TEST_TMP/agent.json
  [ -s "$json" ]
  [ "$(jq -r .ociVersion "$json")" != null ]
  [ "$(jq -r .pid "$json")" -gt 0 ]
  [ "$(jq -r .metadata "$json")" = "meta-$ID" ]
  [ "$(jq -r .state.id "$json")" = "$ID" ]
  [ "$(jq -r '.fds | join(",")' "$json")" = seccompFd ]
  [ "$(jq -r .state.bundle "$json")" = "$(realpath "$BUNDLE")" ]
}

@test "SCMP_ACT_NOTIFY without noNewPrivileges works too" {
  start_agent
  set_config '.process.noNewPrivileges = false'
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  run_container sh -c 'mkdir /notified && echo mkdir-returned-0'
  [ "$status" -eq 0 ]
  [[ "$output" == *mkdir-returned-0* ]]
  [ ! -e "$BUNDLE/rootfs/notified" ]
  [ "$(jq -r .state.id "$TEST_TMP/agent.json")" = "$ID" ]
}

@test "SCMP_ACT_NOTIFY: an exec'd process's listener goes to the agent too" {
  start_agent
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"listenerMetadata\": \"meta-$ID\",
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  set_args sleep 1000
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  wait_for_status "$ID" running
  # the init's agent took its connection and freed the path: a second agent
  # serves the exec'd process
  for i in $(seq 100); do [ -S "$TEST_TMP/agent.sock" ] || break; sleep 0.05; done
  [ ! -S "$TEST_TMP/agent.sock" ]
  start_agent "$TEST_TMP/agent-exec.json"
  run ocirun exec --pid-file "$TEST_TMP/exec.pid" "$ID" sh -c 'mkdir /from-exec && echo exec-mkdir-0'
  [ "$status" -eq 0 ]
  [[ "$output" == *exec-mkdir-0* ]]
  [ ! -e "$BUNDLE/rootfs/from-exec" ]
  json=$TEST_TMP/agent-exec.json
  [ -s "$json" ]
  [ "$(jq -r .pid "$json")" = "$(cat "$TEST_TMP/exec.pid")" ]
  [ "$(jq -r .pid "$json")" != "$(container_pid "$ID")" ]
  [ "$(jq -r .state.id "$json")" = "$ID" ]
  [ "$(jq -r .state.status "$json")" = running ]
  [ "$(jq -r .metadata "$json")" = "meta-$ID" ]
  [ "$(jq -r '.fds | join(",")' "$json")" = seccompFd ]
  # with no agent left the exec fails clearly, and runs nothing
  run ocirun exec "$ID" sh -c 'echo ran'
  [ "$status" -ne 0 ]
  [[ "$output" == *"is the agent running?"* ]]
  [[ "$output" != *ran* ]]
}

@test "a notify agent that is not there is a clear error, without a hang" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/nobody.sock\",
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  set_args true
  run timeout 30 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$status" -ne 124 ]
  [[ "$output" == *"$TEST_TMP/nobody.sock"* ]]
  [[ "$output" == *"is the agent running?"* ]]
  nothing_left
}

@test "a notify agent that died (stale socket) is a clear error, without a hang" {
  start_agent
  kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true; AGENT_PID=
  [ -S "$TEST_TMP/agent.sock" ]
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  set_args true
  run timeout 30 "$OCIRUN" --root "$ROOT" $OCIRUN_GLOBAL run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$status" -ne 124 ]
  [[ "$output" == *"Connection refused"* ]]
  [[ "$output" == *"is the agent running?"* ]]
  nothing_left
}

@test "SCMP_ACT_NOTIFY without listenerPath is rejected" {
  rule_for "$MKDIRS" SCMP_ACT_NOTIFY
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.seccomp.listenerPath"* ]]
  nothing_left
}

# --- argument filters ---------------------------------------------------------------

# arg_filter OP VALUE [VALUETWO]: getppid fails with errno 42 when args[0] OP VALUE
arg_filter() {
  install_helper sysprobe
  local two=""
  [ -z "${3:-}" ] || two=", \"valueTwo\": $3"
  rule_for '["getppid"]' SCMP_ACT_ERRNO "\"errnoRet\": 42, \"args\": [{\"index\": 0, \"value\": $2 $two, \"op\": \"$1\"}]"
}

# probe A0...: run sysprobe getppid for each first argument, one line each
probe_args() {
  local script="" a
  for a in "$@"; do script="$script echo \"$a: \$(/bin/sysprobe getppid $a)\";"; done
  run_container sh -c "$script"
  [ "$status" -eq 0 ]
}

matched() { [[ "$output" == *"$1: errno=42"* ]]; }
passed() { [[ "$output" == *"$1: ret="* ]]; }

@test "SCMP_CMP_EQ matches an equal argument only" {
  arg_filter SCMP_CMP_EQ 5
  probe_args 5 4 6
  matched 5; passed 4; passed 6
}

@test "SCMP_CMP_NE matches a different argument only" {
  arg_filter SCMP_CMP_NE 5
  probe_args 5 4 6
  passed 5; matched 4; matched 6
}

@test "SCMP_CMP_LT matches a smaller argument only" {
  arg_filter SCMP_CMP_LT 5
  probe_args 4 5 6
  matched 4; passed 5; passed 6
}

@test "SCMP_CMP_LE matches a smaller or equal argument" {
  arg_filter SCMP_CMP_LE 5
  probe_args 4 5 6
  matched 4; matched 5; passed 6
}

@test "SCMP_CMP_GT matches a greater argument only" {
  arg_filter SCMP_CMP_GT 5
  probe_args 4 5 6
  passed 4; passed 5; matched 6
}

@test "SCMP_CMP_GE matches a greater or equal argument" {
  arg_filter SCMP_CMP_GE 5
  probe_args 4 5 6
  passed 4; matched 5; matched 6
}

@test "SCMP_CMP_MASKED_EQ compares the masked argument with valueTwo" {
  arg_filter SCMP_CMP_MASKED_EQ 240 48
  probe_args 0x30 0x3f 0x40 0x130
  matched 0x30; matched 0x3f; passed 0x40; matched 0x130
}

@test "an argument filter compares all 64 bits" {
  arg_filter SCMP_CMP_EQ 4294967296
  probe_args 0x100000000 0 0x200000000
  matched 0x100000000; passed 0; passed 0x200000000
}

@test "conditions on different arguments of one syscall are ANDed" {
  install_helper sysprobe
  rule_for '["getppid"]' SCMP_ACT_ERRNO '"errnoRet": 42, "args": [
    {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
    {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"},
    {"index": 2, "value": 10, "op": "SCMP_CMP_GT"}]'
  run_container sh -c 'for a in "1 2 11" "1 2 10" "1 3 11" "0 2 11"; do echo "$a: $(/bin/sysprobe getppid $a)"; done'
  [ "$status" -eq 0 ]
  [[ "$output" == *"1 2 11: errno=42"* ]]
  [[ "$output" == *"1 2 10: ret="* ]]
  [[ "$output" == *"1 3 11: ret="* ]]
  [[ "$output" == *"0 2 11: ret="* ]]
}

# --- flags --------------------------------------------------------------------------

@test "SECCOMP_FILTER_FLAG_TSYNC: a thread of the process is filtered" {
  install_helper sysprobe
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_TSYNC"],
            "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
  run_container /bin/sysprobe -t getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"errno=42"* ]]
  [[ "$output" == *"main alive"* ]]
}

@test "SECCOMP_FILTER_FLAG_SPEC_ALLOW is accepted and the filter applies" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_ERRNO\"}]}"
  run_container sh -c 'grep -E "^(Seccomp|Speculation_Store_Bypass):" /proc/self/status; mkdir /blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  [[ "$output" == *"Seccomp:"*2* ]]
  # where seccomp would force the mitigation, SPEC_ALLOW leaves it off
  if grep -q seccomp /sys/devices/system/cpu/vulnerabilities/spec_store_bypass 2>/dev/null; then
    [[ "$output" != *"force mitigated"* ]]
  fi
}

@test "SECCOMP_FILTER_FLAG_LOG logs the filter's non-allow actions" {
  skip_unless_dmesg
  grep -qw errno /proc/sys/kernel/seccomp/actions_logged || skip "actions_logged has no \"errno\""
  install_helper sysprobe
  name=lf$RANDOM$RANDOM
  cp "$BUNDLE/rootfs/bin/sysprobe" "$BUNDLE/rootfs/bin/$name"
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
            "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
  run_container "/bin/$name" getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"errno=42"* ]]
  dmesg_has "comm=\"$name\".*syscall=110" || skip "no seccomp record in dmesg (rate-limited or audit elsewhere)"
}

@test "without SECCOMP_FILTER_FLAG_LOG an ERRNO action is not logged" {
  skip_unless_dmesg
  install_helper sysprobe
  name=ln$RANDOM$RANDOM
  cp "$BUNDLE/rootfs/bin/sysprobe" "$BUNDLE/rootfs/bin/$name"
  rule_for '["getppid"]' SCMP_ACT_ERRNO '"errnoRet": 42'
  run_container "/bin/$name" getppid
  [ "$status" -eq 0 ]
  [[ "$output" == *"errno=42"* ]]
  sleep 0.5
  ! dmesg | grep -q "comm=\"$name\""
}

# --- names, validation --------------------------------------------------------------

@test "unknown syscall names are skipped, the known ones filtered" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ocirun_no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
  set_args mkdir /blocked
  run ocirun --debug run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  [[ "$output" == *'unknown syscall "ocirun_no_such_syscall" skipped'* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "an unknown action is rejected naming the field" {
  rule_for "$MKDIRS" SCMP_ACT_BOGUS
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.syscalls[0].action'*'SCMP_ACT_BOGUS'* ]]
  nothing_left
}

@test "an unknown defaultAction is rejected naming the field" {
  seccomp '{"defaultAction": "SCMP_ACT_BOGUS"}'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.defaultAction'*'SCMP_ACT_BOGUS'* ]]
  nothing_left
}

@test "an unknown operator is rejected naming the field" {
  rule_for '["getppid"]' SCMP_ACT_ERRNO '"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_BOGUS"}]'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.syscalls[0].args[0].op'*'SCMP_CMP_BOGUS'* ]]
  nothing_left
}

@test "an argument index above 5 is rejected naming the field" {
  rule_for '["getppid"]' SCMP_ACT_ERRNO '"args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.syscalls[0].args[0].index'* ]]
  nothing_left
}

@test "an unknown architecture is rejected naming the field" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_BOGUS"]}'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.architectures[1]'*'SCMP_ARCH_BOGUS'* ]]
  nothing_left
}

@test "known architectures are accepted" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_ERRNO\"}]}"
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "an unknown flag is rejected naming the field" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_BOGUS"]}'
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.flags[0]'*'SECCOMP_FILTER_FLAG_BOGUS'* ]]
  nothing_left
}

@test "SCMP_ACT_NOTIFY as the default action is rejected" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"$TEST_TMP/agent.sock\"}"
  run_container true
  [ "$status" -ne 0 ]
  [[ "$output" == *'linux.seccomp.defaultAction'*'SCMP_ACT_NOTIFY'* ]]
  nothing_left
}

# --- noNewPrivileges, exec ------------------------------------------------------------

@test "with noNewPrivileges the filter is loaded and no_new_privs is set" {
  set_config '.process.noNewPrivileges = true'
  rule_for "$MKDIRS" SCMP_ACT_ERRNO
  run_container sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; mkdir /blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"NoNewPrivs:"*1* ]]
  [[ "$output" == *"Seccomp:"*2* ]]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "without noNewPrivileges the filter is loaded all the same (CAP_SYS_ADMIN held)" {
  set_config '.process.noNewPrivileges = false'
  rule_for "$MKDIRS" SCMP_ACT_ERRNO
  run_container sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; mkdir /blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"NoNewPrivs:"*0* ]]
  [[ "$output" == *"Seccomp:"*2* ]]
  [[ "$output" == *"Operation not permitted"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "without noNewPrivileges a non-root user with no capabilities is filtered" {
  set_config '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000}
              | .process.capabilities = {}'
  rule_for "$MKDIRS" SCMP_ACT_ERRNO '"errnoRet": 38'
  run_container sh -c 'grep -E "^(NoNewPrivs|Seccomp|CapEff):" /proc/self/status; mkdir /tmp/blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"NoNewPrivs:"*0* ]]
  [[ "$output" == *"CapEff:"*0000000000000000* ]]
  [[ "$output" == *"Function not implemented"* ]]
}

@test "exec into a container runs under the same filter" {
  rule_for "$MKDIRS" SCMP_ACT_ERRNO '"errnoRet": 38'
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec "$ID" sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"Seccomp:"*2* ]]
  [[ "$output" == *"Function not implemented"* ]]
  [ ! -e "$BUNDLE/rootfs/blocked" ]
}

@test "exec without noNewPrivileges runs under the same filter" {
  set_config '.process.noNewPrivileges = false'
  rule_for "$MKDIRS" SCMP_ACT_ERRNO '"errnoRet": 38'
  set_args sleep 100
  ocirun_bg run --detach --bundle "$BUNDLE" "$ID"
  run_ocirun exec "$ID" sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; mkdir /blocked'
  [ "$status" -ne 0 ]
  [[ "$output" == *"NoNewPrivs:"*0* ]]
  [[ "$output" == *"Seccomp:"*2* ]]
  [[ "$output" == *"Function not implemented"* ]]
}

# --- flags with user notification ------------------------------------------------------

@test "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV with SCMP_ACT_NOTIFY reaches the agent" {
  start_agent
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"},
                          {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 42}]}"
  install_helper sysprobe
  run_container sh -c 'mkdir /notified && echo mkdir-returned-0; /bin/sysprobe getppid'
  [ "$status" -eq 0 ]
  [[ "$output" == *mkdir-returned-0* ]]
  [[ "$output" == *"errno=42"* ]]
  [ ! -e "$BUNDLE/rootfs/notified" ]
  [ "$(jq -r .state.id "$TEST_TMP/agent.json")" = "$ID" ]
}

@test "SECCOMP_FILTER_FLAG_TSYNC with SCMP_ACT_NOTIFY reaches the agent" {
  start_agent
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$TEST_TMP/agent.sock\",
            \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\"],
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  run_container sh -c 'mkdir /notified && echo mkdir-returned-0'
  [ "$status" -eq 0 ]
  [[ "$output" == *mkdir-returned-0* ]]
  [ ! -e "$BUNDLE/rootfs/notified" ]
}

@test "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV without a NOTIFY rule is accepted" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],
            \"syscalls\": [{\"names\": $MKDIRS, \"action\": \"SCMP_ACT_ERRNO\"}]}"
  run_container mkdir /blocked
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
}
