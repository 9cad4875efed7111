#!/bin/sh
# Re-extract the interface msgids (the English text, marked N_("...") in mapapp/strings.py) into
# mapapp/translations/messages.pot, then merge them into every catalog under
# mapapp/translations/<lang>/LC_MESSAGES/messages.po with `pybabel update`.
# New or changed texts come out empty or "#, fuzzy": translate them, remove the fuzzy flag, and
# run `python -m pytest tests/test_i18n.py` (it fails until every message is translated).
# Usage: scripts/update-translations.sh [--check]   (--check: change nothing, exit 1 if stale)
set -eu
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-pybabel}
DIR=mapapp/translations
POT=$DIR/messages.pot
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml)
extract() {
    "$PYBABEL" extract --no-default-keywords --keyword=N_ --add-location=file \
        --project="Budapest 1956" --version="$VERSION" --copyright-holder="mapapp contributors" \
        --output-file="$1" mapapp/strings.py
}
if [ "${1:-}" = "--check" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    extract "$tmp/messages.pot" 2>/dev/null
    strip() { sed '/^"POT-Creation-Date:/d; /^"Generated-By:/d; /^# /d' "$1"; }  # dates, years, versions
    strip "$POT" > "$tmp/old"; strip "$tmp/messages.pot" > "$tmp/new"
    diff -u "$tmp/old" "$tmp/new" || { echo "$POT is stale: run $0" >&2; exit 1; }
    "$PYBABEL" update --check --ignore-obsolete --ignore-pot-creation-date -i "$POT" -d "$DIR"
    exit
fi
extract "$POT"
"$PYBABEL" update --ignore-obsolete --ignore-pot-creation-date -i "$POT" -d "$DIR"
