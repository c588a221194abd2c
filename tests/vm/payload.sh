# Deliver a directory to the Debian VM through --env instead of --files.
# Sourced by the runners of ../shared/vm/run-in-debian-vm.sh.
#
# Why: the guest unpacks --files trees with `tar --no-overwrite-dir`, which
# chmods every existing directory on the way (/ and /usr included) to 0700
# until the end of the archive.  When the user manager of "tester" starts in
# that window it cannot read /usr/lib and aborts (an assertion in
# user@1001.service): the flaky rootless boots seen before.  An environment
# payload is unpacked by COMMAND itself, after the boot, into a fresh
# directory, and touches nothing else.
#
#   payload_env DIR        fills the array PAYLOAD_ENV with --env arguments
#                          (gzip+base64 chunks under the 128 KiB limit of one
#                          environment string)
#   "$PAYLOAD_UNPACK ..."  shell text for COMMAND: unpacks the payload into
#                          $OCIRUN_VM_DIR (0755, under /tmp) and drops the chunks
#                          from the environment; exits 125 when that fails.

payload_env() {
  local dir=$1 b64 i=0 chunk=100000
  b64=$(tar -C "$dir" --owner=0 --group=0 --numeric-owner -cf - . | gzip -9 | base64 -w0)
  PAYLOAD_ENV=()
  while [ -n "$b64" ]; do
    PAYLOAD_ENV+=(--env "OCIRUN_PAYLOAD_$i=${b64:0:chunk}")
    b64=${b64:chunk}
    i=$((i + 1))
  done
  PAYLOAD_ENV+=(--env "OCIRUN_PAYLOAD_N=$i")
}

# shellcheck disable=SC2016
PAYLOAD_UNPACK='OCIRUN_VM_DIR=$(mktemp -d /tmp/ocirun-vm.XXXXXX) || exit 125
chmod 0755 "$OCIRUN_VM_DIR"
for ((i = 0; i < OCIRUN_PAYLOAD_N; i++)); do v=OCIRUN_PAYLOAD_$i; printf %s "${!v}"; done > "$OCIRUN_VM_DIR/.payload"
for ((i = 0; i < OCIRUN_PAYLOAD_N; i++)); do unset "OCIRUN_PAYLOAD_$i"; done
unset OCIRUN_PAYLOAD_N
base64 -d "$OCIRUN_VM_DIR/.payload" | tar -xzf - -C "$OCIRUN_VM_DIR" || { echo "payload: cannot unpack" >&2; exit 125; }
rm -f "$OCIRUN_VM_DIR/.payload"
export OCIRUN_VM_DIR
'
