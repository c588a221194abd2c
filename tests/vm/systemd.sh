#!/bin/bash
# Runs INSIDE the Debian VM (systemd PID 1): root mode (system bus) or, with
# "user", as tester in its session (user bus, delegated controllers).
set -u
mode=${1:-root}
echo "uid $(id -u), own cgroup $(cat /proc/self/cgroup)"
"$(dirname "$0")/systemd-driver" "$mode"
