# Shared by seccomp.bats and lsm.bats: static test helpers (tests/helpers/*.c).
# OCIRUN_TEST_HELPERS: a directory with them prebuilt (the VM has no compiler);
# otherwise they are built here with `gcc -static` once per bats run.

# helper_bin NAME: print the path of the static helper NAME (built if needed)
helper_bin() {
  local name=$1 dir out
  if [ -n "${OCIRUN_TEST_HELPERS:-}" ] && [ -x "$OCIRUN_TEST_HELPERS/$name" ]; then
    echo "$OCIRUN_TEST_HELPERS/$name"
    return 0
  fi
  dir=${BATS_RUN_TMPDIR:-/tmp}/ocirun-helpers
  out=$dir/$name
  if [ ! -x "$out" ]; then
    command -v gcc >/dev/null || return 1
    mkdir -p "$dir"
    gcc -static -pthread -O2 -o "$out.tmp.$$" "$SRCDIR/tests/helpers/$name.c" >&2 || return 1
    mv "$out.tmp.$$" "$out"
  fi
  echo "$out"
}

# install_helper NAME: copy the helper into the bundle's rootfs as /bin/NAME
install_helper() {
  local bin
  bin=$(helper_bin "$1") || skip "cannot build the static helper $1 (gcc -static)"
  cp "$bin" "$BUNDLE/rootfs/bin/$1"
}

# nothing_left: the state directory holds no container
nothing_left() {
  [ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || { echo "left behind in $ROOT: $(ls -A "$ROOT")" >&2; return 1; }
  run ocirun list -q
  [ -z "$output" ]
}
