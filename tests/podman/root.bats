#!/usr/bin/env bats
# podman end to end with ocirun as the runtime: root.
# Natively (cgroup v1 hybrid host) the cgroup v2 flows skip; tests/podman/run-in-vm.sh
# runs this file in the Debian VM (systemd, pure cgroup v2) where they run.
# bats --filter-tags core tests/podman: a quick subset; tag vm: the subset CI
# runs in the Debian VM (the cgroup v2 flows and the core of the rest).
load helpers
load flows

setup_file() { podman_suite_setup root; }
teardown_file() { podman_suite_teardown; }
teardown() { podman_test_teardown; }

# bats test_tags=core,vm
@test "root: run, output and exit codes" { flow_exit_codes; }
# bats test_tags=core,vm
@test "root: ocirun check finds nothing to fix" { flow_ocirun_check; }
# bats test_tags=core
@test "root: ocirun writes nothing into the container's output" { flow_quiet_runtime; }
# bats test_tags=core,vm
@test "root: 126/127 for a non-executable/missing command, from ocirun's JSON log" { flow_exec_errors; }
# bats test_tags=core,vm
@test "root: run -d + exec (-u, -w, -e, -t, exit codes)" { flow_exec; }
@test "root: exec -it" { flow_exec_it; }
# bats test_tags=core,vm
@test "root: stop: SIGTERM trapped" { flow_stop_sigterm; }
# bats test_tags=core
@test "root: stop: escalation to SIGKILL" { flow_stop_escalates; }
# bats test_tags=core
@test "root: kill -s" { flow_kill_signal; }
@test "root: restart" { flow_restart; }
# bats test_tags=core,vm
@test "root: create + init + start" { flow_create_init_start; }
# bats test_tags=core,vm
@test "root: run -it" { flow_run_it; }
@test "root: rm -f of a running container" { flow_rm_force_running; }
# bats test_tags=vm
@test "root: pause/unpause" { flow_pause; }
# bats test_tags=vm
@test "root: --memory" { flow_memory; }
# bats test_tags=vm
@test "root: OOM -> 137" { flow_oom; }
# bats test_tags=vm
@test "root: update --memory" { flow_update_memory; }
# bats test_tags=vm
@test "root: --pids-limit" { flow_pids_limit; }
# bats test_tags=core
@test "root: --cgroups=disabled" { flow_cgroups_disabled; }
@test "root: --uidmap/--gidmap" { flow_uidmap; }
# bats test_tags=core
@test "root: --privileged" { flow_privileged; }
@test "root: --init" { flow_init; }
@test "root: --read-only" { flow_read_only; }
# bats test_tags=core
@test "root: -v bind rw/ro" { flow_volumes; }
@test "root: --tmpfs" { flow_tmpfs; }
@test "root: --ulimit" { flow_ulimit; }
@test "root: --sysctl" { flow_sysctl; }
# bats test_tags=core
@test "root: --cap-add/--cap-drop" { flow_caps; }
@test "root: seccomp=unconfined, no-new-privileges" { flow_security_opts; }
# bats test_tags=core
@test "root: --network none (lo up) and host" { flow_network; }
@test "root: --hostname" { flow_hostname; }
@test "root: -e -w -u" { flow_env_workdir_user; }
