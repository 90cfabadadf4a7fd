#!/usr/bin/env bash
# Checks the search client's English stemmer against tantivy over a whole
# dictionary (~100k words), not just the golden sample: tantivy stems every
# word (cargo run --example stem_words), then the Node test compares the JS
# port with every stem. Exits non-zero on any mismatch.
#
#   scripts/check-stems.sh
#
# Needs cargo and Node 20+. Installs Debian's wamerican if it is missing and
# we are root; otherwise install it first (apt-get install wamerican).
set -euo pipefail

cd "$(dirname "$0")/.."
dict=/usr/share/dict/american-english

if [[ ! -f $dict ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "check-stems: installing wamerican for $dict" >&2
    apt-get install -y -q wamerican >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wamerican >/dev/null; }
  else
    echo "check-stems: $dict is missing; install it with: apt-get install wamerican" >&2
    exit 1
  fi
fi

expected=$(mktemp "${TMPDIR:-/tmp}/practicebank-stems.XXXXXX")
trap 'rm -f "$expected"' EXIT

cargo run --quiet --example stem_words <"$dict" >"$expected"
echo "check-stems: tantivy stemmed $(wc -l <"$expected") words from $dict" >&2

PRACTICEBANK_STEM_EXPECTED=$expected node --test tests/js/english-stemmer.test.mjs
