#!/usr/bin/env bash
# The web edition in a real browser (run by .ci/run after the tests):
# installs Debian's chromium (no browser download at npm install time) and
# npm's axe-core with playwright-core to drive it, renders the sample's web
# edition in Swedish and English, and checks every page (the organisation,
# every unit, the index; and a multi-organisation fixture's national
# overview and year index) with axe-core's WCAG 2.1 A/AA rules in headless
# Chromium with no network. Screenshots go to $CARGO_TARGET_DIR/web-check/;
# look at them. Fails, never skips: a violation, a request for another
# host, a browser that cannot start or a check that cannot fail (the
# canary page) all end it with a non-zero exit code.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/mognad-target}"

sudo_=""
[ "$(id -u)" -eq 0 ] || sudo_="sudo"
apt_install() {
  echo "web check: installing $* from Debian's packages"
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/chromium ] || apt_install chromium
command -v npm >/dev/null || apt_install nodejs npm
# playwright-core needs Node.js 20 or later
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "web check: Node.js $(node -v) is too old; playwright-core needs 20 or later" >&2
  exit 1
fi
(cd tools/web-check && npm ci --no-audit --no-fund --loglevel=error)

cargo build --quiet
mognad="$CARGO_TARGET_DIR/debug/mognad"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$mognad" run -q --html --input input --output "$out/sv"
"$mognad" run -q --html --lang en --input input --output "$out/en"
# a multi-organisation year: the national overview and the indexes
"$mognad" run -q --html --input tests/fixtures/multi --output "$out/multi"

# the check must be able to fail: the canary page has known violations,
# and the check must find them (exit 1 and a FAIL line, not a crash)
canary_rc=0
canary="$(node tools/web-check/check.mjs "$out/canary" tools/web-check/canary.html)" || canary_rc=$?
if [ "$canary_rc" -ne 1 ] || ! grep -q '^FAIL' <<<"$canary"; then
  echo "web check: the canary page did not fail as it should (exit $canary_rc); the check does not work:" >&2
  echo "$canary" >&2
  exit 1
fi

shots="$(realpath -m "$CARGO_TARGET_DIR")/web-check"
rm -rf "$shots"
cd "$out"
# the organisation report first: it is also shot at phone width
year="$(ls multi)"
for page in "multi/$year/overview.html" "multi/$year/index.html"; do
  [ -f "$page" ] || { echo "web check: $page was not written" >&2; exit 1; }
done
mapfile -t pages < <(
  { find sv en -name '*.html'; echo "multi/$year/overview.html"; echo "multi/$year/index.html"; } |
    sort | awk '/enheter|index|multi/ { print "2 " $0; next } { print "1 " $0 }' | sort | cut -c3-
)
node "$OLDPWD/tools/web-check/check.mjs" "$shots" "${pages[@]}"
