#!/usr/bin/env bash
# Build the Debian package of this source tree and leave it in OUTDIR:
#   contrib/debian/build-deb.sh OUTDIR
# The tree (what git tracks plus the untracked files it does not ignore; a
# tree without git is copied whole) is copied to a temporary directory, with
# contrib/debian as debian/, and built there with `dpkg-buildpackage -b -us
# -uc`; the .deb files, .buildinfo and .changes go to OUTDIR.  The source
# tree is not touched.  Needs dpkg-dev and the Build-Depends of
# contrib/debian/control (the command that installs them is printed when one
# is missing).
set -euo pipefail

out=${1:?usage: contrib/debian/build-deb.sh OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

for c in dpkg-buildpackage dpkg-checkbuilddeps dpkg-parsechangelog; do
  command -v "$c" >/dev/null || { echo "build-deb.sh: $c not found (apt-get install dpkg-dev)" >&2; exit 1; }
done

# the package's version is the one configure.ac gives
version=$(sed -n 's/^AC_INIT(\[ocirun\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
deb_version=$(dpkg-parsechangelog -l "$top/contrib/debian/changelog" -S Version)
if [ "$version" != "$deb_version" ]; then
  echo "build-deb.sh: configure.ac says $version, contrib/debian/changelog $deb_version: add a changelog entry for $version" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocirun-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
src=$tmp/ocirun-$version
mkdir "$src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$top" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -C "$src" -xf -
else
  cp -a "$top/." "$src/"
fi
rm -rf "$src/debian"
cp -a "$top/contrib/debian" "$src/debian"
rm -f "$src/debian/build-deb.sh"

if ! (cd "$src" && dpkg-checkbuilddeps); then
  echo "build-deb.sh: install the build dependencies above (apt-get install --no-install-recommends NAMES)," >&2
  echo "  or all of them: cp -a contrib/debian debian && apt-get build-dep ./ && rm -rf debian" >&2
  exit 1
fi

(cd "$src" && dpkg-buildpackage -b -us -uc -Jauto)

set -- "$tmp"/*.deb
[ -e "$1" ] || { echo "build-deb.sh: dpkg-buildpackage made no .deb" >&2; exit 1; }
mv "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes "$out"/
for f in "$out"/ocirun_"$version"_*.deb; do echo "built $f"; done
