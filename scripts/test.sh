#!/usr/bin/env bash
# The project's whole test suite: `bash scripts/test.sh` from anywhere.
#
# 1. cargo test (unit, integration and fixture tests);
# 2. the plain Node tests in tests/js/, if any;
# 3. the browser tests in tests/browser/: the example site and the XSS
#    fixture are built with the release binary into temporary folders and
#    checked in headless Chromium (axe-core WCAG 2.2 A/AA, console errors,
#    320 px layout, keyboard, script payloads), and practicebank serve's
#    live reload, restyle and problem overlay on a page left open while
#    the site is edited. Screenshots are left in tests/browser/artifacts/;
# 4. the Nu Html Checker (the W3C validator, npm `vnu-jar` in tests/html/)
#    over every HTML page of the example site and the fixture sites: no
#    errors allowed.
#
# Needs: Rust, Node 20+ with npm, Java 11+ and Chromium at /usr/bin/chromium
# (or CHROMIUM_PATH). When Chromium or Java is missing and we are root,
# Debian's package is installed with apt-get; nothing ever downloads a
# browser or a JVM of its own.
# Runs unattended (CI=true, no stdin); exits non-zero on any failure.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
# playwright-core downloads nothing, but make sure no install step does.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs)"
command -v node >/dev/null || die "node not found: the browser tests need Node 20 or newer"
command -v npm >/dev/null || die "npm not found: the browser tests need npm"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node $(node --version) is too old: the browser tests need Node 20 or newer"

step "cargo test"
cargo test </dev/null

# Plain Node tests of JavaScript shipped with the site (no browser needed).
shopt -s nullglob
js_tests=(tests/js/*.test.mjs)
shopt -u nullglob
if [ ${#js_tests[@]} -gt 0 ]; then
  step "node --test tests/js"
  node --test --test-reporter=spec "${js_tests[@]}" </dev/null
fi

step "Chromium"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "no Chromium at $CHROMIUM_PATH: installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update </dev/null
    apt-get install -y chromium </dev/null
  fi
  [ -x "$CHROMIUM_PATH" ] || die "no Chromium at $CHROMIUM_PATH. Install it as root
  (apt-get update && apt-get install -y chromium), or set CHROMIUM_PATH to a
  Chromium or Chrome binary, then run this again."
fi
echo "using $CHROMIUM_PATH"

step "Java (for the Nu Html Checker)"
if ! command -v java >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "no java: installing Debian's default-jre-headless package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update </dev/null
    apt-get install -y default-jre-headless </dev/null
  fi
  command -v java >/dev/null || die "no java found. Install a Java runtime (11 or newer) as root
  (apt-get update && apt-get install -y default-jre-headless), then run this again."
fi
java -version 2>&1 | sed -n 1p

step "npm ci (tests/browser, tests/html)"
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error </dev/null
npm ci --prefix tests/html --no-audit --no-fund --loglevel=error </dev/null

step "cargo build --release"
cargo build --release </dev/null
bin="${CARGO_TARGET_DIR:-target}/release/practicebank"
[ -x "$bin" ] || die "no binary at $bin after cargo build --release"

work=$(mktemp -d "${TMPDIR:-/tmp}/practicebank-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

step "build the example site and the fixture sites"
"$bin" build --root . --output "$work/site" </dev/null
"$bin" build --root tests/fixtures/build/xss --output "$work/xss" </dev/null
# With drafts, so the draft banner and tags are checked too.
"$bin" build --root tests/fixtures/build/basic --output "$work/basic" --drafts </dev/null

step "Nu Html Checker: every page of the example site and the fixture sites"
# One JVM for every page (a few seconds); only errors fail, as they do for
# the W3C's own service.
java -jar tests/html/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html \
  "$work/site" "$work/xss" "$work/basic" </dev/null
echo "no errors in $(find "$work/site" "$work/xss" "$work/basic" -name '*.html' | wc -l) pages"

step "browser tests"
mkdir -p tests/browser/artifacts
rm -f tests/browser/artifacts/*.png
PRACTICEBANK_SITE="$work/site" \
PRACTICEBANK_XSS_SITE="$work/xss" \
PRACTICEBANK_BIN="$bin" \
  node --test --test-reporter=spec --test-timeout=180000 tests/browser/*.test.mjs </dev/null

printf '\nall tests passed in %ss; screenshots in tests/browser/artifacts/\n' "$((SECONDS - started))"
