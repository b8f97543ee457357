#!/usr/bin/env bash
# Whether two builds of mognad write byte-identical outputs: the sample (sv
# and en, with the web edition), the multi-organisation fixture (sv and en)
# and 40 synthetic organisations, every year. For changes that must not
# change what mognad writes (refactoring): build the commit before, then
#
#   tools/same-outputs.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# Prints the differing files and exits 1 if any differ.
set -euo pipefail
old="$(realpath "$1")"
new="$(realpath "$2")"
work="${3:-$(mktemp -d)}"
mkdir -p "$work"
work="$(realpath "$work")"
repo="$(cd "$(dirname "$0")/.." && pwd)"
# run outside the repository: its report-templates/ folder would override
# both builds' built-in templates
cd "$work"

if [ ! -d "$work/synth40" ]; then
  "$old" synth --orgs 40 --respondents 120 --years 2 --out "$work/synth40" >/dev/null
fi

outputs() {
  local bin="$1" to="$2"
  rm -rf "$to"
  "$bin" run -q --all-years --html --input "$repo/input" --output "$to/sample-sv"
  "$bin" run -q --all-years --html --lang en --input "$repo/input" --output "$to/sample-en"
  "$bin" run -q --all-years --input "$repo/tests/fixtures/multi" --output "$to/multi-sv"
  "$bin" run -q --all-years --lang en --input "$repo/tests/fixtures/multi" --output "$to/multi-en"
  "$bin" run -q --all-years --input "$work/synth40" --output "$to/synth40"
}

# the old build's outputs are kept in WORK_DIR and written again only when
# the old binary changes
stamp="$(sha256sum "$old" | cut -d' ' -f1)"
if [ "$(cat "$work/old.sha256" 2>/dev/null)" != "$stamp" ]; then
  outputs "$old" "$work/old"
  echo "$stamp" >"$work/old.sha256"
fi
outputs "$new" "$work/new"
if diff -rq "$work/old" "$work/new"; then
  echo "same outputs: $(find "$work/new" -type f | wc -l) files"
else
  exit 1
fi
