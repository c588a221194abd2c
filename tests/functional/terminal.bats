#!/usr/bin/env bats
# process.terminal: --console-socket, consoleSize, /dev/console, and the
# foreground relay of `run`.
load helpers
load environment

# start the receiver; sets RECEIVER (pid)
start_receiver() {
  require_python
  python3 "$SRCDIR/tests/helpers/console-socket.py" "$TEST_TMP/console.sock" "$TEST_TMP/tty.out" "$@" &
  RECEIVER=$!
  local i
  for i in $(seq 1 100); do [ -S "$TEST_TMP/console.sock" ] && return 0; sleep 0.05; done
  return 1
}

@test "the pty master goes to --console-socket with consoleSize applied" {
  set_config '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100}'
  set_args sh -c 'tty; stty size; stat -c %t /dev/console; readlink /proc/self/fd/0'
  start_receiver
  ocirun_bg run --detach --console-socket "$TEST_TMP/console.sock" --bundle "$BUNDLE" "$ID"
  wait "$RECEIVER"
  [ "$(cat "$TEST_TMP/tty.out.size")" = "30 100" ]
  out=$(tr -d '\r' < "$TEST_TMP/tty.out")
  echo "$out"
  [ "$(echo "$out" | sed -n 1p)" = /dev/pts/0 ]
  [ "$(echo "$out" | sed -n 2p)" = "30 100" ]
  [ "$(echo "$out" | sed -n 3p)" = 88 ]
  [ "$(echo "$out" | sed -n 4p)" = /dev/pts/0 ]
}

@test "input sent to the console reaches the process" {
  set_config '.process.terminal = true'
  set_args sh -c 'read line; echo "got:$line"'
  start_receiver $'hello\n'
  ocirun_bg run --detach --console-socket "$TEST_TMP/console.sock" --bundle "$BUNDLE" "$ID"
  wait "$RECEIVER"
  grep -q 'got:hello' "$TEST_TMP/tty.out"
}

@test "run in the foreground relays the terminal" {
  command -v script >/dev/null || skip "script(1) is needed"
  set_config '.process.terminal = true'
  set_args sh -c 'tty; echo exit-status-follows; exit 3'
  run script -qec "$OCIRUN --root $ROOT $OCIRUN_GLOBAL run --bundle $BUNDLE $ID" /dev/null
  [ "$status" -eq 3 ]
  [[ "$output" == *"/dev/pts/0"* ]]
  [[ "$output" == *"exit-status-follows"* ]]
}

@test "bad input: a terminal without --console-socket for create names the fix" {
  set_config '.process.terminal = true'
  set_args true
  run_bg create --bundle "$BUNDLE" "$ID"
  assert_one_line_error 'process.terminal is true: pass --console-socket'
  assert_nothing_left
}

@test "bad input: a console socket nobody listens on fails cleanly" {
  set_config '.process.terminal = true'
  set_args true
  run_bg create --console-socket "$TEST_TMP/nobody.sock" --bundle "$BUNDLE" "$ID"
  assert_one_line_error "--console-socket: connect to \`$TEST_TMP/nobody.sock\`"
  assert_nothing_left
}
