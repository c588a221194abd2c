#!/usr/bin/env bash
# Memory safety of the runtime, natively (as root):
#  1. build ocirun with AddressSanitizer + UndefinedBehaviorSanitizer
#     (./configure --enable-sanitizers) out of tree and run the whole
#     functional suite (tests/functional/*.bats) against it; any sanitizer
#     report fails the run, also one from a forked child whose only trace in
#     the suite is a failed container (reports go to a log directory);
#  2. run a few flows of a plain build under valgrind (run, every hook with
#     args and env, create/start/exec/kill/delete, error paths); any valgrind
#     error, a definite leak included, fails.
# TAP on stdout: bats' lines, then one line per check of this script.
#
# usage: tests/asan/run-functional.sh [--build-dir DIR] [-j N] [--no-asan] [--no-valgrind]
#                                     [-- BATS-ARGS...]
#   --build-dir DIR  where to build (default: build-asan in the source tree);
#                    DIR/asan and DIR/plain are VPATH builds, DIR/logs the reports
#   -- BATS-ARGS     instead of tests/functional, e.g. -- -f hooks tests/functional/hooks.bats
#
# A VPATH build needs a source tree that is not configured in place: when it
# is (./configure was run in it, as CI does), the build uses DIR/src, a copy
# of the working tree without build products (git ls-files), kept in sync.
#
# Reports: ASAN_OPTIONS/UBSAN_OPTIONS send them to DIR/logs/asan, checked
# after the suite (a report of a process whose failure a test expects would
# pass unnoticed otherwise); frames of the sealed memfd copy the runtime runs
# from are resolved against the build.  Not covered there: the container init
# after pivot_root cannot open the log (it dies with "ERROR: Can't open file"
# on the container's stderr: the container fails, the report is lost), and
# rootless tests run the runtime through `env -i` (ASan's defaults: report on
# stderr, exit 1, leak check on).
#
# Leaks: the suite runs with detect_leaks=0.  LeakSanitizer stops the world
# with a tracer clone that exits at once when it is born in another pid
# namespace; `ocirun exec` (and create joining a pid namespace by path) calls
# setns(CLONE_NEWPID) in the main process, whose exit-time check then spins
# forever.  The runtime's leaks are checked by valgrind (step 2) instead.
#
# valgrind 3.19 lacks mount_setattr, openat2, pidfd_open and seccomp (ENOSYS)
# and owns RLIMIT_NOFILE: the valgrind bundle has no rlimits and no masked or
# read-only paths (with open_tree but no mount_setattr, a read-only bind fails:
# the runtime's Linux 5.2-5.11 path).  Step 2 runs natively as root, in a
# private mount namespace of its own.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build-asan
jobs=$(nproc 2>/dev/null || echo 2)
do_asan=1
do_valgrind=1
vg_inner=
bats_args=()

usage() { sed -n '/^# usage:/,/^#   -- BATS/s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    -j) jobs=${2:?-j needs a number}; shift 2 ;;
    --no-asan) do_asan=; shift ;;
    --no-valgrind) do_valgrind=; shift ;;
    --valgrind-flows) vg_inner=1; shift ;;  # internal: step 2 only, in its mount namespace
    -h|--help) usage; exit 0 ;;
    --) shift; bats_args=("$@"); break ;;
    *) usage >&2; exit 2 ;;
  esac
done
mkdir -p "$build" && build=$(cd "$build" && pwd)

failed=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failed=1; }
comment() { sed 's/^/# /'; }

# ---- sources and builds ---------------------------------------------------

# The working tree without build products, in $build/src: every file git
# tracks or would track.  configure & co. are regenerated only when their
# inputs changed (file times are kept, so make rebuilds only what changed).
sync_sources() {
  local src=$build/src new=$build/src.new f
  rm -rf "$new" && mkdir -p "$new"
  (cd "$top" && git ls-files -z -co --exclude-standard) \
    | (cd "$top" && while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done) \
    | tar -C "$top" -c --null -T - | tar -C "$new" -x || return 1
  (cd "$new" && find . -name configure.ac -o -name Makefile.am -o -name '*.mk' -o -path './m4/*' \
     | LC_ALL=C sort | xargs sha256sum) > "$new/.autogen-inputs"
  if [ -x "$src/configure" ] && cmp -s "$src/.autogen-inputs" "$new/.autogen-inputs"; then
    for f in configure Makefile.in config.h.in aclocal.m4 build-aux m4; do
      [ -e "$src/$f" ] && cp -a "$src/$f" "$new/"
    done
  else
    (cd "$new" && ./autogen.sh) >"$build/autogen.log" 2>&1 || { cat "$build/autogen.log" >&2; return 1; }
  fi
  rm -rf "$build/src.old"
  [ -d "$src" ] && mv "$src" "$build/src.old"
  mv "$new" "$src" && rm -rf "$build/src.old"
}

source_dir() {
  if [ -f "$top/config.status" ]; then
    git -C "$top" rev-parse --git-dir >/dev/null 2>&1 \
      || { echo "$top is configured in place and not a git checkout: run make distclean there" >&2; return 1; }
    sync_sources || return 1
    echo "$build/src"
  else
    echo "$top"
  fi
}

# configure_in DIR SRC [CONFIGURE ARGS]: a VPATH build of SRC in DIR
configure_in() {
  local dir=$1 src=$2
  shift 2
  if [ -f "$dir/Makefile" ] && [ "$(sed -n 's/^abs_top_srcdir = //p' "$dir/Makefile")" = "$src" ]; then
    return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && "$src/configure" "$@") >"$dir/configure.log" 2>&1 \
    || { tail -20 "$dir/configure.log" >&2; return 1; }
}

# build_in DIR TARGET...: the generated spec types first (BUILT_SOURCES are
# only built before all and check, and nothing else says ocirun.o needs them)
build_in() {
  local dir=$1
  shift
  { make -C "$dir" libocispec/oci_spec.h && make -C "$dir" -j"$jobs" "$@"; } >"$dir/make.log" 2>&1 \
    || { tail -40 "$dir/make.log" >&2; return 1; }
}

t0=$(date +%s)
[ -z "$vg_inner" ] || { do_asan=; do_valgrind=; }
[ -z "$do_asan$do_valgrind" ] || src=$(source_dir) || { fail "sources for a VPATH build"; exit 1; }
if [ -n "$do_asan" ]; then
  if configure_in "$build/asan" "$src" --enable-sanitizers && build_in "$build/asan" ocirun tests/helpers/seccomp-agent; then
    pass "build with --enable-sanitizers (VPATH, $(( $(date +%s) - t0 )) s)"
  else
    fail "build with --enable-sanitizers"
    exit 1
  fi
fi
if [ -n "$do_valgrind" ]; then
  if configure_in "$build/plain" "$src" && build_in "$build/plain" ocirun; then
    pass "plain build for valgrind (VPATH)"
  else
    fail "plain build for valgrind"
    exit 1
  fi
fi

# symbolize BINARY: a sanitizer report on stdin, with the frames of the
# runtime's sealed memfd copy ("(/memfd:ocirun (deleted)+0x1234)": the copy
# has no debug sections) resolved against BINARY
symbolize() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^(.*)\(/memfd:[^+]*\+(0x[0-9a-f]+)\)$ ]]; then
      echo "${BASH_REMATCH[1]}$(addr2line -f -i -C -p -e "$1" "${BASH_REMATCH[2]}" | paste -sd' ')"
    else
      printf '%s\n' "$line"
    fi
  done
}

# no_reports DIR BINARY: print the sanitizer reports in DIR as TAP comments;
# false if there is any
no_reports() {
  local dir=$1 f n=0
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    echo "--- $f" | comment
    head -80 "$f" | symbolize "$2" | comment
  done
  [ "$n" -eq 0 ]
}

# ---- 1. the functional suite against the ASan + UBSan binary -----------------

if [ -n "$do_asan" ]; then
  logs=$build/logs/asan
  rm -rf "$logs" && mkdir -p "$logs" && chmod 1777 "$build/logs" "$logs"
  [ ${#bats_args[@]} -gt 0 ] || bats_args=("$top/tests/functional")
  t1=$(date +%s)
  OCIRUN=$build/asan/ocirun OCIRUN_SRCDIR=$top OCIRUN_BUILDDIR=$build/asan \
  ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:disable_coredump=1:log_path=$logs/asan${OCIRUN_ASAN_OPTIONS:+:$OCIRUN_ASAN_OPTIONS}" \
  UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:disable_coredump=1:log_path=$logs/ubsan" \
    timeout -k 30 "${OCIRUN_ASAN_SUITE_TIMEOUT:-3600}" bats --tap "${bats_args[@]}" | tee "$build/logs/functional.tap" | grep -v '^1\.\.[0-9]*$'
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    pass "functional suite under ASan+UBSan ($(( $(date +%s) - t1 )) s)"
  else
    fail "functional suite under ASan+UBSan: $(grep -c '^not ok' "$build/logs/functional.tap") failed ($(( $(date +%s) - t1 )) s)"
  fi
  if no_reports "$logs" "$build/asan/ocirun"; then
    pass "no AddressSanitizer or UndefinedBehaviorSanitizer report in $logs"
  else
    fail "sanitizer reports in $logs"
  fi
fi

# ---- 2. flows of the plain binary under valgrind --------------------------

# The runtime copies itself into a sealed memfd and re-executes unless its
# binary is on a read-only mount: valgrind would then only see the copying.
# So the flows run from a read-only bind mount, in a private mount namespace.
valgrind_flows() {
  local vg=$build/vg logs=$build/logs/valgrind b state global="" hooklog
  cgroup2() { [ -e /sys/fs/cgroup/cgroup.controllers ]; }
  cgroup2 || global=--cgroup-manager=disabled
  rm -rf "$vg" "$logs" && mkdir -p "$vg/ro" "$logs"
  cp "$build/plain/ocirun" "$vg/ro/ocirun"
  if ! { mount --bind "$vg/ro" "$vg/ro" && mount -o remount,bind,ro "$vg/ro"; }; then
    fail "valgrind: a read-only mount for the binary"
    return
  fi
  b=$vg/bundle state=$vg/state hooklog=$vg/hooks.log
  OCIRUN=$build/plain/ocirun "$top/contrib/busybox-bundle.sh" "$b" true >/dev/null 2>&1 \
    || { fail "valgrind: busybox bundle"; return; }
  jq '.linux.maskedPaths = [] | .linux.readonlyPaths = [] | del(.process.rlimits) | .root.readonly = false' \
    "$b/config.json" > "$b/config.json.tmp" && mv "$b/config.json.tmp" "$b/config.json"
  cp "$b/config.json" "$vg/config.base.json"

  # vg NAME WANT-STATUS ARGS...: ocirun ARGS under valgrind, exit WANT-STATUS,
  # no valgrind error in it or in any process it forked
  vg() {
    local name=$1 want=$2 dir rc
    shift 2
    dir=$logs/$(printf '%s' "$name" | tr -c 'a-zA-Z0-9_-' _)
    mkdir -p "$dir"
    # One log for the runtime and every process it forks (a --log-file=%p
    # cannot be opened by a process forked after pivot_root).  Errors are
    # found by their markers: a forked child that execs (a hook, the
    # container's process) prints no ERROR SUMMARY.
    valgrind --trace-children=no --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
      --errors-for-leak-kinds=definite --suppressions="$top/tests/asan/valgrind.supp" \
      --error-markers=VALGRIND-ERROR-BEGIN,VALGRIND-ERROR-END \
      --log-fd=9 "$vg/ro/ocirun" --root "$state" $global "$@" >"$dir/out" 2>&1 </dev/null 9>"$dir/valgrind.log"
    rc=$?
    if [ "$rc" -eq "$want" ] \
       && ! grep -qE 'VALGRIND-ERROR-BEGIN|ERROR SUMMARY: [1-9]|Process terminating with default action' "$dir/valgrind.log"; then
      pass "valgrind: $name"
    else
      fail "valgrind: $name (exit $rc, want $want)"
      { cat "$dir/out"
        awk '/VALGRIND-ERROR-BEGIN|Process terminating/ { p = 1 } p { print } /VALGRIND-ERROR-END/ { p = 0 }' \
          "$dir/valgrind.log" | head -100; } | comment
    fi
  }
  set_config() { jq "$1" "$vg/config.base.json" > "$b/config.json"; }

  vg "features" 0 features
  mkdir -p "$vg/spec"
  vg "spec" 0 spec --bundle "$vg/spec"
  set_config '.process.args = ["sh", "-c", "echo hi; exit 3"]'
  vg "run, exit status of the container" 3 run --bundle "$b" vg1
  # every hook kind, with args and env, an empty env, no env, no args
  # shellcheck disable=SC2016 # $0 and $FOO are the hook shell's
  jq --arg log "$hooklog" '
    def hook($n): {path: "/bin/sh", args: ["sh", "-c", "echo \"$0 FOO=${FOO:-none}\" >> " + $log, $n],
                   env: ["FOO=" + $n, "A=1"]};
    .hooks = {prestart: [hook("prestart"), {path: "/bin/true"}],
              createRuntime: [hook("createRuntime") | .env = []],
              createContainer: [hook("createContainer") | del(.env)],
              startContainer: [{path: "/bin/true", args: [], env: []}],
              poststart: [hook("poststart")],
              poststop: [hook("poststop")]}' "$vg/config.base.json" > "$b/config.json"
  : > "$hooklog"
  vg "run with hooks (args, env, empty env, no env, no args)" 0 run --bundle "$b" vg2
  if [ "$(cat "$hooklog")" = "$(printf '%s\n' 'prestart FOO=prestart' 'createRuntime FOO=none' \
      'createContainer FOO=none' 'poststart FOO=poststart' 'poststop FOO=poststop')" ]; then
    pass "valgrind: every hook ran with its env"
  else
    fail "valgrind: hooks log"
    comment < "$hooklog"
  fi
  # the runtime replaces a NOTIFY_SOCKET of process.env (memmove over the
  # parsed array up to its NULL terminator); no listener: only a warning
  set_config '.process.args = ["true"] | .process.env += ["NOTIFY_SOCKET=/x", "B=1"]'
  NOTIFY_SOCKET=$vg/no-listener.sock vg "run with NOTIFY_SOCKET replacing process.env's" 0 run --bundle "$b" vg6
  set_config '.process.args = ["sleep", "1000"]'
  vg "create" 0 create --bundle "$b" vg3
  vg "start" 0 start vg3
  vg "state" 0 state vg3
  vg "list" 0 list
  # shellcheck disable=SC2016 # $FOO is the container shell's
  vg "exec with --env and --cwd" 4 exec --env FOO=4 --cwd /tmp vg3 sh -c 'exit $FOO'
  printf '{"cwd": "/", "args": ["sh", "-c", "exit 5"], "env": ["PATH=/bin", "X=1"]}' > "$vg/process.json"
  vg "exec --process" 5 exec --process "$vg/process.json" vg3
  printf '{"cwd": "/", "args": ["sh", "-c", "exit 6"], "env": []}' > "$vg/process.json"
  vg "exec --process with an empty env" 6 exec --process "$vg/process.json" vg3
  vg "ps" 0 ps vg3
  vg "kill" 0 kill vg3 KILL
  vg "delete --force" 0 delete --force vg3
  set_config '.process.args = ["/nonexistent"]'
  vg "run of a missing program (error path)" 1 run --bundle "$b" vg4
  vg "delete of a missing container (error path)" 1 delete vg5
  "$vg/ro/ocirun" --root "$state" $global delete --force vg3 >/dev/null 2>&1
  umount "$vg/ro"
}

if [ -n "$vg_inner" ]; then
  valgrind_flows
  exit "$failed"
elif [ -n "$do_valgrind" ]; then
  command -v valgrind >/dev/null || { fail "valgrind: not installed (apt-get install valgrind)"; exit 1; }
  t2=$(date +%s)
  # the read-only mount lives and dies with a private mount namespace
  unshare -m --propagation private -- "$0" --build-dir "$build" --valgrind-flows || failed=1
  echo "# valgrind flows: $(( $(date +%s) - t2 )) s"
fi
echo "# total: $(( $(date +%s) - t0 )) s"
exit "$failed"
