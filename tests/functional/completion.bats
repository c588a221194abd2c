#!/usr/bin/env bats
# Shell completion (contrib/completion/): the bash script completes verbs,
# options, their values, container ids and signals.  No root needed: the ids
# come from a stub `ocirun` that stands for `ocirun list -q`.  The last test
# keeps the completion and the man pages (docs/man/) in step with --help.

SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OCIRUN=${OCIRUN:-$SRCDIR/ocirun}

setup() {
  TEST_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ocirun-completion.XXXXXX")
  # the stub: `ocirun [--root DIR] list -q` prints two ids for DIR=/ids
  mkdir "$TEST_TMP/bin"
  cat >"$TEST_TMP/bin/ocirun" <<'STUB'
#!/bin/sh
[ "$*" = "--root /ids list -q" ] && printf 'web\nworker\n'
exit 0
STUB
  chmod +x "$TEST_TMP/bin/ocirun"
}

teardown() {
  rm -rf "$TEST_TMP"
}

# complete LINE: the candidates bash offers with the cursor at the end of LINE
# (LINE split as readline does, on blanks and on "=")
complete_line() {
  bash -c '
    source "$1"
    line=$2
    COMP_LINE=$line COMP_POINT=${#line}
    read -r -a COMP_WORDS <<<"${line//=/ = }"
    [[ $line == *[\ =] ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _ocirun
    printf "%s\n" "${COMPREPLY[@]}"
  ' complete "$SRCDIR/contrib/completion/ocirun.bash" "$1"
}

@test "completion: a verb from its prefix" {
  run complete_line "ocirun ex"
  [ "$status" -eq 0 ]
  [ "$output" = exec ]
}

@test "completion: every verb, then the global options" {
  run complete_line "ocirun "
  [ "$status" -eq 0 ]
  for v in create start run state kill delete list exec ps pause resume update events \
           checkpoint restore spec features check; do
    [[ " ${lines[*]} " == *" $v "* ]]
  done
  run complete_line "ocirun --"
  [[ " ${lines[*]} " == *" --root "* ]]
  [[ " ${lines[*]} " == *" --cgroup-manager "* ]]
}

@test "completion: kill -- lists kill's options" {
  run complete_line "ocirun kill --"
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "--all --signal --help" ]
}

@test "completion: option values (global, --opt=value, per verb)" {
  run complete_line "ocirun --log-format "
  [ "${lines[*]}" = "text json" ]
  run complete_line "ocirun --cgroup-manager=sy"
  [ "$output" = systemd ]
  run complete_line "ocirun list --format j"
  [ "$output" = json ]
  run complete_line "ocirun exec --cap CAP_SYS_AD"
  [ "$output" = CAP_SYS_ADMIN ]
  # spec --rootless is a flag, unlike the global --rootless true|false|auto
  run complete_line "ocirun spec --rootless "
  [ -z "$output" ]
}

@test "completion: container ids from ocirun list -q, with the --root given" {
  PATH="$TEST_TMP/bin:$PATH" run complete_line "ocirun --root /ids kill w"
  [ "${lines[*]}" = "web worker" ]
  PATH="$TEST_TMP/bin:$PATH" run complete_line "ocirun --root=/ids exec --tty --env A=1 we"
  [ "$output" = web ]
  # delete -f takes no argument: the id still comes next
  PATH="$TEST_TMP/bin:$PATH" run complete_line "ocirun --root /ids delete -f "
  [ "${lines[*]}" = "web worker" ]
  # no id where a new one is expected
  PATH="$TEST_TMP/bin:$PATH" run complete_line "ocirun --root /ids run --bundle /tmp "
  [ -z "$output" ]
}

@test "completion: signal names after kill's id" {
  PATH="$TEST_TMP/bin:$PATH" run complete_line "ocirun --root /ids kill web KI"
  [ "$output" = KILL ]
  run complete_line "ocirun kill web SIGTE"
  [ "$output" = SIGTERM ]
  run complete_line "ocirun kill --signal US"
  [ "${lines[*]}" = "USR1 USR2" ]
}

@test "completion: the zsh script parses" {
  command -v zsh >/dev/null || skip "zsh is not installed"
  run zsh -n "$SRCDIR/contrib/completion/_ocirun"
  [ "$status" -eq 0 ]
}

@test "completion and man pages: every option --help lists" {
  [ -x "$OCIRUN" ] || skip "no ocirun binary at $OCIRUN"
  [ -d "$SRCDIR/docs/man" ] || skip "no docs/man in this copy of the tree (the VM lane copies only the tests)"
  local verb opt missing=
  for opt in $("$OCIRUN" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    grep -qE -- "['{,]${opt}[],}+=[]" "$SRCDIR/contrib/completion/_ocirun" || missing+=" zsh:$opt"
    grep -q -- "\*\*$opt\*\*" "$SRCDIR/docs/man/ocirun.md" || missing+=" ocirun.md:$opt"
  done
  run complete_line "ocirun --"
  for opt in $("$OCIRUN" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    [[ " ${lines[*]} " == *" $opt "* ]] || missing+=" bash:$opt"
  done
  for verb in $("$OCIRUN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    [ "$verb" = help ] && continue
    [ -f "$SRCDIR/docs/man/ocirun-$verb.md" ] || missing+=" ocirun-$verb.md"
    run complete_line "ocirun $verb --"
    # create --help also lists run's options, marked (run)
    for opt in $("$OCIRUN" "$verb" --help | { [ "$verb" = run ] && cat || grep -v '(run)'; } \
                 | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
      [[ " ${lines[*]} " == *" $opt "* ]] || missing+=" bash:$verb:$opt"
      grep -qE -- "['{,]${opt}[],}+=[]" "$SRCDIR/contrib/completion/_ocirun" || missing+=" zsh:$verb:$opt"
      grep -q -- "\*\*$opt\*\*" "$SRCDIR/docs/man/ocirun-$verb.md" || missing+=" ocirun-$verb.md:$opt"
    done
  done
  echo "missing:$missing"
  [ -z "$missing" ]
}
