#!/usr/bin/env bash
# Refresh a vendored npm package (nothing is ever loaded from a CDN); the version is in the path.
#   scripts/vendor.sh leaflet [1.9.4]     -> static/vendor/leaflet-<version>/  (served to visitors)
#   scripts/vendor.sh axe-core [4.14.1]   -> tests/vendor/axe-core-<version>/  (tests only)
# Keep mapapp/mapbuild.py LEAFLET_VERSION and tests/test_a11y.py AXE_VERSION in step.
set -euo pipefail
name="${1:?usage: scripts/vendor.sh leaflet|axe-core [version]}"
case "$name" in
  leaflet)  version="${2:-1.9.4}";  into=static/vendor; files="dist/leaflet.js dist/leaflet.css dist/images LICENSE" ;;
  axe-core) version="${2:-4.14.1}"; into=tests/vendor;  files="axe.min.js LICENSE" ;;
  *) echo "unknown package: $name (expected leaflet or axe-core)" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/$into/$name-$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$name@$version" >/dev/null && tar xzf "$name-$version.tgz")
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
for file in $files; do cp -r "$work/package/$file" "$dest.tmp/"; done
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "$name $version vendored in ${dest#$root/}"
