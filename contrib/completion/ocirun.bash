# bash completion for ocirun                       -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/ocirun; to try it from
# the source tree: source contrib/completion/ocirun.bash
# Completes the commands, the global options, each command's options and
# their values, container ids (`ocirun list -q`, with the --root given on the
# command line) where a command expects one, and signal names for kill.

_ocirun_verbs="create start run state kill delete list exec ps pause resume update
  events checkpoint restore spec features check help"
_ocirun_global_opts="--root --log --log-format --log-level --debug --systemd-cgroup
  --cgroup-manager --rootless --criu --version --help"
# options that take an argument: before the command, and after it (long
# names; the short ones depend on the command, see _ocirun_takes_arg)
_ocirun_global_arg_opts="--root --log --log-format --log-level --cgroup-manager --rootless --criu"
_ocirun_verb_arg_opts="--bundle --config --pid-file --console-socket --preserve-fds --process
  --cwd --env --user --additional-gids --cap --process-label --apparmor --cgroup --format
  --regex --resources --signal --interval --image-path --work-path --manage-cgroups-mode
  --root-dir --memory --memory-swap --memory-reservation --kernel-memory --kernel-memory-tcp
  --cpu-quota --cpu-period --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus
  --cpuset-mems --pids-limit --blkio-weight"
_ocirun_caps="CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE CAP_BLOCK_SUSPEND CAP_BPF
  CAP_CHECKPOINT_RESTORE CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER
  CAP_FSETID CAP_IPC_LOCK CAP_IPC_OWNER CAP_KILL CAP_LEASE CAP_LINUX_IMMUTABLE
  CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_MKNOD CAP_NET_ADMIN CAP_NET_BIND_SERVICE
  CAP_NET_BROADCAST CAP_NET_RAW CAP_PERFMON CAP_SETFCAP CAP_SETGID CAP_SETPCAP
  CAP_SETUID CAP_SYSLOG CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_CHROOT CAP_SYS_MODULE
  CAP_SYS_NICE CAP_SYS_PACCT CAP_SYS_PTRACE CAP_SYS_RAWIO CAP_SYS_RESOURCE
  CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_WAKE_ALARM"

# the long options of a command
_ocirun_verb_opts()
{
  local create="--bundle --config --pid-file --console-socket --preserve-fds --no-pivot --no-new-keyring"
  local criu="--image-path --work-path --tcp-established --ext-unix-sk --shell-job --file-locks
    --manage-cgroups-mode"
  case $1 in
    create) echo "$create --help" ;;
    run) echo "$create --detach --keep --no-subreaper --help" ;;
    start | state | pause | resume | features) echo "--help" ;;
    kill) echo "--all --signal --help" ;;
    delete) echo "--force --regex --help" ;;
    list) echo "--quiet --format --help" ;;
    exec) echo "--process --tty --console-socket --detach --pid-file --cwd --env --user
      --additional-gids --cap --no-new-privs --preserve-fds --process-label --apparmor --help" ;;
    ps) echo "--format --help" ;;
    update) echo "--resources --memory --memory-swap --memory-reservation --cpu-quota
      --cpu-period --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems
      --pids-limit --blkio-weight --help" ;;
    events) echo "--stats --interval --help" ;;
    checkpoint) echo "$criu --leave-running --help" ;;
    restore) echo "--bundle --detach --pid-file --console-socket $criu --help" ;;
    spec) echo "--rootless --bundle --help" ;;
    check) echo "--json --root-dir --help" ;;
  esac
}

# does option $1 take an argument, before the command ($2 empty) or after command $2?
_ocirun_takes_arg()
{
  local o list=$_ocirun_verb_arg_opts
  [ -z "$2" ] && list=$_ocirun_global_arg_opts
  case $2:$1 in
    create:-[bf] | run:-[bf] | restore:-b | spec:-b | exec:-[pewucg] | list:-f | ps:-f | \
      delete:-r | update:-r | kill:-s | events:-i) return 0 ;;
  esac
  for o in $list; do
    [ "$o" = "$1" ] && return 0
  done
  return 1
}

# complete CUR as files (or directories with -d)
_ocirun_files()
{
  if declare -F _filedir >/dev/null 2>&1; then
    _filedir ${1:+-d}
  else
    compopt -o filenames 2>/dev/null
    if [ "$1" = -d ]; then
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
  fi
}

_ocirun_words_in()
{
  mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# complete the value of option $1 given in context $2 (see _ocirun_takes_arg;
# cur is the value); returns 1 when the option takes none
_ocirun_value()
{
  _ocirun_takes_arg "$1" "$2" || return 1
  case $2:$1 in
    *:--root | *:--bundle | *:-b | *:--image-path | *:--work-path | *:--root-dir) _ocirun_files -d ;;
    *:--log | *:--config | create:-f | run:-f | *:--pid-file | *:--console-socket | \
      *:--process | *:-p | *:--resources | update:-r) _ocirun_files ;;
    *:--criu) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
    *:--log-format) _ocirun_words_in "text json" ;;
    *:--log-level) _ocirun_words_in "error warning info debug" ;;
    *:--cgroup-manager) _ocirun_words_in "cgroupfs systemd disabled" ;;
    *:--rootless) _ocirun_words_in "true false auto" ;;
    *:--format | *:-f) _ocirun_words_in "table json" ;;
    *:--manage-cgroups-mode) _ocirun_words_in "soft full strict ignore" ;;
    *:--cap | exec:-c) _ocirun_words_in "$_ocirun_caps" ;;
    kill:--signal | kill:-s) _ocirun_signals ;;
  esac
  return 0
}

# signal names: TERM, KILL, ... (SIGTERM, ... when the word starts with SIG)
_ocirun_signals()
{
  local s sigs=
  for s in $(compgen -A signal -- SIG); do
    [[ $s == *'('* ]] && continue # SIGJUNK(32): no name
    sigs+=" $s"
  done
  case $cur in
    [Ss][Ii][Gg]*) ;;
    *) sigs=${sigs// SIG/ } ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$sigs" -- "${cur^^}")
}

_ocirun_ids()
{
  local ids
  ids=$("${words[0]}" "${root[@]}" list -q 2>/dev/null)
  mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur")
}

_ocirun()
{
  local cur prev words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur prev words cword
  else
    # whitespace-separated words up to the cursor ("--opt=value" stays one word)
    read -r -a words <<<"${COMP_LINE:0:COMP_POINT}"
    [[ ${COMP_LINE:0:COMP_POINT} == *[[:space:]] ]] && words+=("")
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    prev=${words[cword - 1]}
  fi
  COMPREPLY=()

  # the command, its position, the --root to list ids with, the arguments so far
  local i=1 w verb='' root=() nargs=0
  while [ "$i" -lt "$cword" ]; do
    w=${words[i]}
    if [ -z "$verb" ]; then
      case $w in
        --root) root=(--root "${words[i + 1]}") ;;
        --root=*) root=(--root "${w#--root=}") ;;
        -*) ;;
        *) verb=$w ;;
      esac
    elif [[ $w != -* ]]; then
      nargs=$((nargs + 1))
    fi
    # the option's argument is the next word (the command is not an option)
    if [[ $w == -* && $w != *=* ]] && _ocirun_takes_arg "$w" "$verb"; then
      i=$((i + 1))
    fi
    i=$((i + 1))
  done

  # an option's value: "--opt value" or "--opt=value"
  if [[ $cur == --*=* ]]; then
    local opt=${cur%%=*}
    cur=${cur#*=}
    _ocirun_value "$opt" "$verb"
    if [[ $COMP_WORDBREAKS != *=* ]]; then
      COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
    fi
    return 0
  fi
  if [[ $prev == -* && $cword -gt 1 ]] && _ocirun_value "$prev" "$verb"; then
    return 0
  fi

  if [ -z "$verb" ]; then
    case $cur in
      -*) _ocirun_words_in "$_ocirun_global_opts" ;;
      *) _ocirun_words_in "$_ocirun_verbs" ;;
    esac
    return 0
  fi

  # exec: after the id comes the command, run inside the container
  if [ "$verb" = exec ] && [ "$nargs" -ge 1 ]; then
    return 0
  fi
  if [[ $cur == -* ]]; then
    _ocirun_words_in "$(_ocirun_verb_opts "$verb")"
    return 0
  fi
  case $verb in
    start | state | delete | exec | ps | pause | resume | update | events | checkpoint)
      [ "$nargs" -eq 0 ] && _ocirun_ids ;;
    kill)
      if [ "$nargs" -eq 0 ]; then _ocirun_ids; elif [ "$nargs" -eq 1 ]; then _ocirun_signals; fi ;;
    help)
      [ "$nargs" -eq 0 ] && _ocirun_words_in "$_ocirun_verbs" ;;
  esac
  return 0
} &&
  complete -F _ocirun ocirun
