#!/usr/bin/env bash
# Run the checkpoint/restore tests (tests/functional/criu.bats) as root inside
# the pure cgroup v2 VM (../shared/vm/run-in-vm.sh, Debian's 6.1 kernel), where
# CRIU works; natively they skip when `criu check` fails (a newer host kernel).
# The VM gets ocirun, criu with its libraries, libcriu.so.2 (dlopen()ed, so
# copy-bin does not see it), ip and iptables (criu dumps network namespaces
# and locks the network with them), GNU tar (tmpfs contents), bats and the
# busybox rootfs built here.
# Usage: tests/vm/run-criu-in-vm.sh [BATS-ARGS...]   (default: tests/functional/criu.bats)
# Prints the TAP and a last line "N passed, M failed, K skipped"; exits non-zero
# when a test failed, none ran, or the VM did not finish.  Reports land in
# reports/vm-criu/.  Run one VM at a time: flock /tmp/ocirun-vm.lock tests/vm/run-criu-in-vm.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=${OCIVM_RUN:-$(cd "$top/.." && pwd)/shared/vm/run-in-vm.sh}
[ -x "$vm" ] || { echo "run-in-vm.sh not found at $vm (set OCIVM_RUN)" >&2; exit 2; }
criu=$(command -v criu || echo /usr/sbin/criu)
[ -x "$criu" ] || { echo "criu not found: apt-get install criu" >&2; exit 2; }
libcriu=$(ldconfig -p | awk '$1 == "libcriu.so.2" { print $NF; exit }')
[ -n "$libcriu" ] || { echo "libcriu.so.2 not found: apt-get install criu" >&2; exit 2; }
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT

"$vm" fetch >/dev/null
"$vm" copy-bin "$files" --into /usr/local/bin "$top/ocirun" "$(command -v jq)"
"$vm" copy-bin "$files" "$criu" "$libcriu"
for tool in ip:iproute2 iptables-save:iptables iptables-restore:iptables ip6tables-save:iptables \
            ip6tables-restore:iptables; do
  t=$(command -v "${tool%%:*}") || { echo "${tool%%:*} not found: apt-get install ${tool#*:}" >&2; exit 2; }
  "$vm" copy-bin "$files" --into /usr/sbin "$t"
done
# criu saves tmpfs contents with GNU tar (busybox's lacks its options)
"$vm" copy-bin "$files" --into /bin "$(command -v tar)" "$(command -v gzip)"
# iptables' matches (criu locks the network with `-m mark`) are dlopen()ed
xt=$(readlink -f "$(dirname "$libcriu")/xtables")
if [ -d "$xt" ]; then mkdir -p "$files$xt" && cp -a "$xt/." "$files$xt/"; fi
mkdir -p "$files/usr/lib" "$files/usr/libexec" "$files/usr/bin" "$files/ocirun"
cp -a /usr/lib/bats-core "$files/usr/lib/"
cp -a /usr/libexec/bats-core "$files/usr/libexec/"
cp /usr/bin/bats "$files/usr/bin/"
cp -a "$top/tests" "$top/contrib" "$files/ocirun/"
# the VM has no python3: build the rootfs cache here
OCIRUN="$top/ocirun" "$top/contrib/busybox-bundle.sh" "$files/ocirun-cache" true >/dev/null

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(tests/functional/criu.bats)
out="$top/reports/vm-criu"
rm -rf "$out"
mkdir -p "$out"
rc=0
# criu needs netfilter (its network lock, kernel checks, conntrack dump) and the sock_diag
# modules to dump sockets
"$vm" --files "$files" --out "$out" --timeout "${OCIVM_TIMEOUT:-900}" --mem 2048 \
  --modules "overlay nf_tables nft_ct nft_compat xt_mark nf_conntrack_netlink unix_diag inet_diag tcp_diag udp_diag netlink_diag af_packet_diag veth tun" \
  --env OCIRUN=/usr/local/bin/ocirun --env OCIRUN_TEST_CACHE=/ocirun-cache \
  --env OCIRUN_BUILDDIR=/ocirun \
  --cwd /ocirun -- bash -c 'bats --tap '"$(printf '%q ' "${args[@]}")"' | tee "$OCIVM_OUT/criu.tap"; exit ${PIPESTATUS[0]}' ||
  rc=$?
tap="$out/criu.tap"
[ -f "$tap" ] || { echo "run-criu-in-vm: no TAP came back (VM exit $rc)" >&2; exit "$(( rc ? rc : 1 ))"; }
passed=$(grep -c '^ok ' "$tap" | tr -d ' ' || true)
skipped=$(grep -c '^ok .* # skip' "$tap" || true)
failed=$(grep -c '^not ok ' "$tap" || true)
passed=$(( passed - skipped ))
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
