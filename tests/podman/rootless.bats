#!/usr/bin/env bats
# podman end to end with ocirun as the runtime: rootless (a user with subuid/subgid ranges).
# Natively (cgroup v1 hybrid host) the cgroup v2 flows skip; tests/podman/run-in-vm.sh
# runs this file in the Debian VM (systemd, pure cgroup v2) where they run.
# bats --filter-tags core tests/podman: a quick subset; tag vm: the subset CI
# runs in the Debian VM (the cgroup v2 flows and the core of the rest).
load helpers
load flows

setup_file() { podman_suite_setup rootless; }
teardown_file() { podman_suite_teardown; }
teardown() { podman_test_teardown; }

# bats test_tags=core,vm
@test "rootless: run, output and exit codes" { flow_exit_codes; }
# bats test_tags=core,vm
@test "rootless: ocirun check finds nothing to fix" { flow_ocirun_check; }
# bats test_tags=core
@test "rootless: ocirun writes nothing into the container's output" { flow_quiet_runtime; }
# bats test_tags=core,vm
@test "rootless: 126/127 for a non-executable/missing command, from ocirun's JSON log" { flow_exec_errors; }
# bats test_tags=core,vm
@test "rootless: run -d + exec (-u, -w, -e, -t, exit codes)" { flow_exec; }
@test "rootless: exec -it" { flow_exec_it; }
# bats test_tags=core,vm
@test "rootless: stop: SIGTERM trapped" { flow_stop_sigterm; }
# bats test_tags=core
@test "rootless: stop: escalation to SIGKILL" { flow_stop_escalates; }
# bats test_tags=core
@test "rootless: kill -s" { flow_kill_signal; }
@test "rootless: restart" { flow_restart; }
# bats test_tags=core,vm
@test "rootless: create + init + start" { flow_create_init_start; }
# bats test_tags=core,vm
@test "rootless: run -it" { flow_run_it; }
@test "rootless: rm -f of a running container" { flow_rm_force_running; }
# bats test_tags=vm
@test "rootless: pause/unpause" { flow_pause; }
# bats test_tags=vm
@test "rootless: --memory" { flow_memory; }
# bats test_tags=vm
@test "rootless: OOM -> 137" { flow_oom; }
# bats test_tags=vm
@test "rootless: update --memory" { flow_update_memory; }
# bats test_tags=vm
@test "rootless: --pids-limit" { flow_pids_limit; }
# bats test_tags=core
@test "rootless: --cgroups=disabled" { flow_cgroups_disabled; }
@test "rootless: --uidmap/--gidmap" { flow_uidmap; }
# bats test_tags=core
@test "rootless: --privileged" { flow_privileged; }
@test "rootless: --init" { flow_init; }
@test "rootless: --read-only" { flow_read_only; }
# bats test_tags=core
@test "rootless: -v bind rw/ro" { flow_volumes; }
@test "rootless: --tmpfs" { flow_tmpfs; }
@test "rootless: --ulimit" { flow_ulimit; }
@test "rootless: --sysctl" { flow_sysctl; }
# bats test_tags=core
@test "rootless: --cap-add/--cap-drop" { flow_caps; }
@test "rootless: seccomp=unconfined, no-new-privileges" { flow_security_opts; }
# bats test_tags=core
@test "rootless: --network none (lo up) and host" { flow_network; }
@test "rootless: --hostname" { flow_hostname; }
@test "rootless: -e -w -u" { flow_env_workdir_user; }
# bats test_tags=core,vm
@test "rootless: --userns=keep-id" { flow_keep_id; }
