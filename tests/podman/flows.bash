# The podman flows, shared by root.bats and rootless.bats (each @test calls one).
# $IMG is the imported busybox image; pm runs podman as the suite's user.

IMG=localhost/ocirun-bb

# `ocirun check` as the user podman runs as: never a fail on a host where
# podman runs, and on a systemd host with cgroup v2 (the VM lane: delegated
# controllers, subordinate ids, uidmap) nothing to fix at all.
flow_ocirun_check() {
  run pm_cmd "$OCIRUN" check
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *$'\nfail '* && "$output" != "fail "* ]]
  if systemd_host; then
    [[ "$output" != *"warn "* ]]
  fi
  run pm_cmd "$OCIRUN" check --json
  [ "$status" -eq 0 ]
  [ "$(printf '%s' "$output" | jq '[.[] | select(.status == "fail")] | length')" -eq 0 ]
}

flow_exit_codes() {
  run_pm run --rm "$IMG" echo hello
  [ "$status" -eq 0 ]
  [ "$output" = hello ]
  run_pm run --rm "$IMG" sh -c 'exit 42'
  [ "$status" -eq 42 ]
  run_pm run --rm "$IMG" false
  [ "$status" -eq 1 ]
  run_pm run --rm "$IMG" sh -c 'exit 255'
  [ "$status" -eq 255 ]
}

flow_exec_errors() {
  # not executable: 126, missing: 127 (podman maps ocirun's JSON --log message)
  run_pm run --name noexec "$IMG" /etc/passwd
  echo "$output"
  [ "$status" -eq 126 ]
  oci_log noexec > "$BATS_TEST_TMPDIR/log"
  cat "$BATS_TEST_TMPDIR/log"
  [ -s "$BATS_TEST_TMPDIR/log" ]
  jq -e '.level == "error" and (.msg | test("permission denied")) and (.time | length > 0)' "$BATS_TEST_TMPDIR/log"
  [ "$(wc -l < "$BATS_TEST_TMPDIR/log")" -eq 1 ]
  run_pm -127 run --rm "$IMG" /nonexistent
  echo "$output"
  run_pm -127 run --rm "$IMG" nonexistent-command
  run_pm run --rm "$IMG" /etc
  [ "$status" -eq 126 ]
}

flow_exec() {
  pm run -d --name c1 "$IMG" sleep 1000 >/dev/null
  run_pm exec c1 echo hi
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
  run_pm exec c1 sh -c 'exit 3'
  [ "$status" -eq 3 ]
  run_pm exec -u 1000:1000 c1 id
  [[ "$output" == "uid=1000(user) gid=1000(user)"* ]]
  run_pm exec -u nobody c1 id -u
  [ "$output" = 65534 ]
  run_pm exec -w /tmp c1 pwd
  [ "$output" = /tmp ]
  run_pm exec -e FOO=bar c1 sh -c 'echo $FOO'
  [ "$output" = bar ]
  run_pm exec -t c1 tty
  [ "$status" -eq 0 ]
  [[ "$output" == /dev/pts/* ]]
  run_pm -127 exec c1 /nonexistent
  # the exec'd processes are gone, the container still runs
  [ "$(pm_status c1)" = running ]
  run_pm exec c1 ps -o comm
  [ "${#lines[@]}" -eq 3 ]
  [ "${lines[1]}" = sleep ]
}

flow_exec_it() {
  pm run -d --name c1 "$IMG" sleep 1000 >/dev/null
  run pm_tty "podman exec -it c1 sh -c 'tty; echo ok; exit 4'"
  echo "$output"
  [ "$status" -eq 4 ]
  [[ "$output" == *"/dev/pts/"* ]]
  [[ "$output" == *ok* ]]
}

flow_stop_sigterm() {
  pm run -d --name c1 "$IMG" sh -c 'trap "echo got-TERM; exit 7" TERM; echo ready; while :; do sleep 0.1; done'
  wait_for_log c1 ready
  local t0=$SECONDS
  run_pm stop -t 20 c1
  [ "$status" -eq 0 ]
  [ $((SECONDS - t0)) -lt 10 ]
  [ "$(pm inspect --format '{{.State.ExitCode}}' c1)" -eq 7 ]
  pm logs c1 | grep got-TERM
}

flow_stop_escalates() {
  pm run -d --name c1 "$IMG" sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'
  wait_for_log c1 ready
  local t0=$SECONDS
  run_pm stop -t 2 c1
  [ "$status" -eq 0 ]
  [ $((SECONDS - t0)) -ge 2 ]
  [ "$(pm inspect --format '{{.State.ExitCode}}' c1)" -eq 137 ]
  [ "$(pm_status c1)" = exited ]
}

flow_kill_signal() {
  pm run -d --name c1 "$IMG" sh -c 'trap "echo got-USR1" USR1; echo ready; while :; do sleep 0.1; done'
  wait_for_log c1 ready
  pm kill -s USR1 c1
  wait_for_log c1 got-USR1
  [ "$(pm_status c1)" = running ]
  pm kill -s KILL c1
  pm wait c1
  [ "$(pm inspect --format '{{.State.ExitCode}}' c1)" -eq 137 ]
}

flow_restart() {
  pm run -d --name c1 "$IMG" sh -c 'trap "exit 0" TERM; echo started; while :; do sleep 0.1; done'
  wait_for_log c1 started
  local pid1 pid2
  pid1=$(pm inspect --format '{{.State.Pid}}' c1)
  pm restart -t 5 c1
  [ "$(pm_status c1)" = running ]
  pid2=$(pm inspect --format '{{.State.Pid}}' c1)
  [ "$pid1" != "$pid2" ]
  for i in $(seq 50); do [ "$(pm logs c1 | grep -c started)" -ge 2 ] && break; sleep 0.1; done
  [ "$(pm logs c1 | grep -c started)" -eq 2 ]
}

flow_create_init_start() {
  pm create --name c1 "$IMG" sh -c 'echo hi-from-c1; sleep 1000'
  [ "$(pm_status c1)" = created ]
  pm init c1
  [ "$(pm_status c1)" = initialized ]
  # the init process exists but has not run the command
  [ "$(pm inspect --format '{{.State.Pid}}' c1)" -gt 0 ]
  [ -z "$(pm logs c1)" ]
  pm start c1
  [ "$(pm_status c1)" = running ]
  wait_for_log c1 hi-from-c1
  pm stop -t 0 c1
}

flow_run_it() {
  run pm_tty "podman run -it --rm $IMG sh -c 'tty; stty size; echo ok; exit 5'"
  echo "$output"
  [ "$status" -eq 5 ]
  [[ "$output" == *"/dev/pts/0"* ]]
  [[ "$output" == *ok* ]]
}

flow_pause() {
  skip_unless_cgroup2
  pm run -d --name c1 "$IMG" sh -c 'while :; do date +%s%N > /tmp/t; sleep 0.05; done'
  pm pause c1
  [ "$(pm_status c1)" = paused ]
  pm unpause c1
  [ "$(pm_status c1)" = running ]
  run_pm exec c1 cat /tmp/t
  [ "$status" -eq 0 ]
}

flow_memory() {
  skip_unless_cgroup2
  run_pm run --rm --memory 64m "$IMG" cat /sys/fs/cgroup/memory.max
  [ "$status" -eq 0 ]
  [ "$output" = 67108864 ]
}

flow_oom() {
  skip_unless_cgroup2
  run_pm run --name oom --memory 32m --memory-swap 32m "$IMG" sh -c 'tail /dev/zero'
  [ "$status" -eq 137 ]
  [ "$(pm inspect --format '{{.State.OOMKilled}}' oom)" = true ] || true
}

flow_update_memory() {
  skip_unless_cgroup2
  pm run -d --name c1 --memory 64m "$IMG" sleep 1000
  pm update --memory 128m --memory-swap 256m c1
  run_pm exec c1 cat /sys/fs/cgroup/memory.max
  [ "$output" = 134217728 ]
}

flow_pids_limit() {
  skip_unless_cgroup2
  run_pm run --rm --pids-limit 10 "$IMG" cat /sys/fs/cgroup/pids.max
  [ "$output" = 10 ]
  run_pm run --rm --pids-limit 5 "$IMG" sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait'
  [[ "$output" == *"can't fork"* || "$output" == *"Resource temporarily unavailable"* ]]
}

flow_cgroups_disabled() {
  run_pm run --rm --cgroups=disabled "$IMG" sh -c 'echo ok; cat /proc/self/cgroup'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = ok ]
}

flow_keep_id() {
  local uid gid
  uid=$(pm_cmd id -u) gid=$(pm_cmd id -g)
  run_pm run --rm --userns=keep-id "$IMG" sh -c 'id -u; id -g; grep -c . /proc/self/uid_map'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$uid" ]
  [ "${lines[1]}" = "$gid" ]
}

flow_uidmap() {
  run_pm run --rm --uidmap 0:100:5000 --gidmap 0:100:5000 "$IMG" cat /proc/self/uid_map /proc/self/gid_map
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(echo "${lines[0]}" | awk '{print $1, $3}')" = "0 5000" ]
  [ "$(echo "${lines[1]}" | awk '{print $1, $3}')" = "0 5000" ]
  run_pm run --rm --uidmap 0:100:5000 --gidmap 0:100:5000 "$IMG" sh -c 'touch /tmp/x && stat -c %u:%g /tmp/x && id -u'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0:0 ]
}

flow_privileged() {
  run_pm run --rm --privileged "$IMG" sh -c 'grep CapEff /proc/self/status; ls /dev | wc -l; grep Seccomp: /proc/self/status'
  echo "$output"
  [ "$status" -eq 0 ]
  local capeff bnd
  capeff=$(echo "${lines[0]}" | awk '{print $2}')
  # every capability podman has (its bounding set: no CAP_SYS_RESOURCE on some hosts)
  bnd=$(pm_cmd grep CapBnd /proc/self/status | awk '{print $2}')
  [ "$PM_MODE" = rootless ] || [ "$capeff" = "$bnd" ]
  [ $(( 0x$capeff & 0x$bnd )) -eq $(( 0x$bnd )) ]
  [ "${lines[1]}" -gt 10 ]
  [ "$(echo "${lines[2]}" | awk '{print $2}')" = 0 ]
}

flow_init() {
  run_pm run --rm --init "$IMG" sh -c 'tr "\0" " " < /proc/1/cmdline; echo; echo $$'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *podman-init* ]]
  [ "${lines[1]}" != 1 ]
}

flow_read_only() {
  run_pm run --rm --read-only "$IMG" touch /x
  [ "$status" -ne 0 ]
  [[ "$output" == *"Read-only file system"* ]]
  run_pm run --rm --read-only "$IMG" sh -c 'touch /tmp/x /run/x /var/tmp/x && echo ok'
  [ "$output" = ok ]
}

flow_volumes() {
  local d
  d=$(pm_scratch)
  echo from-host > "$d/in"
  chmod 0666 "$d/in"
  run_pm run --rm -v "$d:/data" "$IMG" sh -c 'cat /data/in; echo from-ctr > /data/out'
  [ "$status" -eq 0 ]
  [ "$output" = from-host ]
  [ "$(cat "$d/out")" = from-ctr ]
  run_pm run --rm -v "$d:/data:ro" "$IMG" sh -c 'cat /data/in; echo x > /data/out2'
  [ "$status" -ne 0 ]
  [[ "$output" == *from-host* ]]
  [[ "$output" == *"Read-only file system"* ]]
  [ ! -e "$d/out2" ]
  # a file bind mount
  run_pm run --rm -v "$d/in:/etc/in:ro" "$IMG" cat /etc/in
  [ "$output" = from-host ]
}

flow_tmpfs() {
  run_pm run --rm --tmpfs /scratch:size=1m,mode=0700 "$IMG" sh -c 'grep " /scratch " /proc/mounts; stat -c %a /scratch'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "tmpfs /scratch tmpfs "*size=1024k* ]]
  [ "${lines[1]}" = 700 ]
}

flow_ulimit() {
  run_pm run --rm --ulimit nofile=1234:1500 --ulimit nproc=500:600 "$IMG" sh -c 'ulimit -Sn; ulimit -Hn; ulimit -Hu'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1234 ]
  [ "${lines[1]}" = 1500 ]
  [ "${lines[2]}" = 600 ]
}

flow_sysctl() {
  run_pm run --rm --sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=12345 "$IMG" \
    cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = 12345 ]
}

capeff() { # capeff ARGS...: the container's CapEff
  pm run --rm "$@" "$IMG" sh -c 'grep CapEff /proc/self/status' 2>/dev/null | awk '$1 == "CapEff:" {print $2}'
}

flow_caps() {
  local def
  def=$(capeff)
  # podman's built-in default set: chown dac_override fowner fsetid kill setgid setuid
  # setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap
  [ "$def" = 00000000a80425fb ]
  [ "$(capeff --cap-drop all)" = 0000000000000000 ]
  [ "$(capeff --cap-drop all --cap-add net_raw)" = 0000000000002000 ]
  [ $(( 0x$(capeff --cap-add sys_admin) & (1 << 21) )) -ne 0 ]
  [ $(( 0x$(capeff --cap-drop chown) & 1 )) -eq 0 ]
  run_pm run --rm --cap-drop all "$IMG" chown 1:1 /tmp
  [ "$status" -ne 0 ]
}

flow_security_opts() {
  run_pm run --rm "$IMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
  [[ "$output" == *"Seccomp:"*2* ]]
  [[ "$output" == *"NoNewPrivs:"*0* ]]
  run_pm run --rm --security-opt seccomp=unconfined "$IMG" sh -c 'grep "^Seccomp:" /proc/self/status'
  [[ "$output" == *"Seccomp:"*0 ]]
  run_pm run --rm --security-opt no-new-privileges "$IMG" sh -c 'grep "^NoNewPrivs:" /proc/self/status'
  [[ "$output" == *"NoNewPrivs:"*1 ]]
}

flow_network() {
  run_pm run --rm --network none "$IMG" sh -c 'ls /sys/class/net; ip -o link show lo'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = lo ]
  [[ "${lines[1]}" == *"<LOOPBACK,UP,LOWER_UP>"* ]]
  run_pm run --rm --network none "$IMG" ping -c1 -W1 127.0.0.1
  [ "$status" -eq 0 ] || [[ "$output" == *"permission denied"* ]]
  local host_ifs
  host_ifs=$(ls /sys/class/net | sort | tr '\n' ' ')
  run_pm run --rm --network host "$IMG" sh -c 'ls /sys/class/net | sort | tr "\n" " "'
  [ "$status" -eq 0 ]
  [ "$output" = "$host_ifs" ]
}

flow_hostname() {
  run_pm run --rm --hostname myhost "$IMG" sh -c 'hostname; cat /etc/hostname'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = myhost ]
  [ "${lines[1]}" = myhost ]
}

flow_env_workdir_user() {
  run_pm run --rm -e FOO=bar -w /tmp -u 1000:1000 "$IMG" sh -c 'echo $FOO; pwd; id -u; id -g'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = bar ]
  [ "${lines[1]}" = /tmp ]
  [ "${lines[2]}" = 1000 ]
  [ "${lines[3]}" = 1000 ]
}

flow_rm_force_running() {
  pm run -d --name c1 "$IMG" sleep 1000 >/dev/null
  pm rm -f -t 0 c1
  run_pm inspect c1
  [ "$status" -ne 0 ]
}

flow_quiet_runtime() {
  # whatever ocirun prints on stderr while creating becomes the container's stderr
  pm run -d --name c1 "$IMG" sleep 1000 >/dev/null
  pm exec c1 true
  run_pm run --rm "$IMG" true
  run pm logs c1
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}
