#!/bin/sh
# Make an OCI bundle with a busybox rootfs: contrib/busybox-bundle.sh DIR [--rootless] [ARGS...]
# The rootfs is busybox-static (apt-get install busybox-static) with its applet links.
# With --rootless the config maps your own uid/gid (for an unprivileged user).
# ARGS (default: sh) become process.args; the config has no terminal.
set -eu
dir=${1:?usage: busybox-bundle.sh DIR [--rootless] [ARGS...]}
shift
rootless=
if [ "${1:-}" = --rootless ]; then rootless=--rootless; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
ocirun=${OCIRUN:-$here/../ocirun}
bb=$(command -v busybox || echo /bin/busybox)
[ -x "$bb" ] || { echo "busybox not found: apt-get install busybox-static" >&2; exit 1; }
mkdir -p "$dir/rootfs"
cd "$dir/rootfs"
mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp root var/tmp
cp "$bb" bin/busybox
for a in $(bin/busybox --list); do
  [ -e "bin/$a" ] || ln -s busybox "bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > etc/passwd
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > etc/group
chmod 1777 tmp
cd ..
rm -f config.json
"$ocirun" spec $rootless
# no terminal, and the requested command
args='["sh"]'
if [ $# -gt 0 ]; then
  args=$(printf '%s\n' "$@" | python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n") for l in sys.stdin]))')
fi
python3 - "$args" <<'PY'
import json, sys
c = json.load(open("config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = json.loads(sys.argv[1])
json.dump(c, open("config.json", "w"), indent=2)
PY
