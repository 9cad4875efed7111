#!/usr/bin/env bash
# Refresh the vendored Leaflet from the npm registry: static/vendor/leaflet-<version>/.
# Usage: scripts/vendor-leaflet.sh [version]   (default 1.9.4)
set -euo pipefail
version="${1:-1.9.4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor/leaflet-$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@$version" >/dev/null && tar xzf "leaflet-$version.tgz")
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/images"
cp "$work/package/dist/leaflet.js" "$work/package/dist/leaflet.css" "$dest.tmp/"
cp "$work/package/dist/images/"*.png "$dest.tmp/images/"
cp "$work/package/LICENSE" "$dest.tmp/LICENSE"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "Leaflet $version vendored in ${dest#$root/}"
