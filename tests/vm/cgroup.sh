#!/bin/sh
# Runs INSIDE the cgroup v2 VM (tests/vm/run-cgroup-tests.sh puts it there):
# the cgroupfs manager against the real kernel.  Last line: "N passed, M failed".
set -u
mkdir -p /tmp
# nobody must exist for the rootless part (setresuid works without it, but be tidy)
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> /etc/passwd
echo "kernel $(uname -r); controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
exec /usr/local/bin/cgroup-driver
