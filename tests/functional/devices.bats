#!/usr/bin/env bats
# /dev: the default nodes, linux.devices, devpts, the standard links, and the
# user-namespace fallback (bind the host's nodes when mknod is refused).
load helpers
load environment

@test "the default devices exist with their numbers and work" {
  run_container sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done; echo x > /dev/null && echo $(head -c 3 /dev/zero | wc -c) $(head -c 4 /dev/urandom | wc -c)'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/null character special file 1:3 666" ]
  [ "${lines[1]}" = "/dev/zero character special file 1:5 666" ]
  [ "${lines[2]}" = "/dev/full character special file 1:7 666" ]
  [ "${lines[3]}" = "/dev/random character special file 1:8 666" ]
  [ "${lines[4]}" = "/dev/urandom character special file 1:9 666" ]
  [ "${lines[5]}" = "/dev/tty character special file 5:0 666" ]
  [ "${lines[6]}" = "3 4" ]
}

@test "linux.devices creates char, block and fifo nodes with mode, uid and gid" {
  set_config '.linux.devices = [
    {"path": "/dev/mychar", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 12, "gid": 34},
    {"path": "/dev/sub/myblk", "type": "b", "major": 7, "minor": 0, "fileMode": 384},
    {"path": "/dev/myfifo", "type": "p", "fileMode": 420}]'
  run_container sh -c 'stat -c "%F %t:%T %a %u:%g" /dev/mychar /dev/sub/myblk /dev/myfifo'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "character special file 1:3 660 12:34" ]
  [ "${lines[1]}" = "block special file 7:0 600 0:0" ]
  [ "${lines[2]}" = "fifo 0:0 644 0:0" ]
}

@test "devpts is a new instance and /dev/ptmx points into it" {
  run_container sh -c 'readlink /dev/ptmx; awk "\$5 == \"/dev/pts\" { print \$9, \$NF }" /proc/self/mountinfo; ls /dev/pts'
  [ "${lines[0]}" = pts/ptmx ]
  [[ "${lines[1]}" == "devpts "*"ptmxmode=666"* ]]
  [ "${lines[2]}" = ptmx ]
}

@test "/dev/fd and /dev/std* link to the process's fds, /dev/shm is a tmpfs" {
  run_container sh -c 'for l in fd stdin stdout stderr; do readlink /dev/$l; done; stat -f -c %T /dev/shm'
  [ "${lines[0]}" = /proc/self/fd ]
  [ "${lines[1]}" = /proc/self/fd/0 ]
  [ "${lines[2]}" = /proc/self/fd/1 ]
  [ "${lines[3]}" = /proc/self/fd/2 ]
  [ "${lines[4]}" = tmpfs ]
}

@test "in a user namespace the host's nodes are bind-mounted instead" {
  use_userns
  set_config '.linux.devices = [{"path": "/dev/mychar", "type": "c", "major": 1, "minor": 3}]'
  run_container sh -c 'stat -c "%t:%T" /dev/null /dev/mychar; echo ok > /dev/null && echo written; awk "\$5 == \"/dev/null\" { print \"bound\" }" /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1:3 ]
  [ "${lines[1]}" = 1:3 ]
  [ "${lines[2]}" = written ]
  [ "${lines[3]}" = bound ]
}

@test "bad input: an unknown device type names the field and leaves nothing behind" {
  set_config '.linux.devices = [{"path": "/dev/x", "type": "z", "major": 1, "minor": 3}]'
  run_container true
  assert_one_line_error 'linux.devices[0].type: `z` is not one of c, b, u, p'
  assert_nothing_left
}

@test "bad input: a char device without major/minor is refused" {
  set_config '.linux.devices = [{"path": "/dev/x", "type": "c"}]'
  run_container true
  assert_one_line_error 'linux.devices[0]: major and minor are required'
  assert_nothing_left
}
