#!/usr/bin/env bash
# Search benchmark, run by hand (not in CI): for generated sites of 1,000
# and 10,000 case studies, the static index's size, the gzip bytes a cold
# one-word, three-word, one-typo and one-glossary-word query downloads (client script included) and the
# time of a warm query, for practicebank and for Pagefind 1.6 (installed
# from npm into bench/peers/) on the same built site.
#
#   bash bench/search.sh [SIZES...]      # default: 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
[ $# -gt 0 ] || sizes=(1000 10000)
work=bench/work
mkdir -p "$work" bench/peers
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
if [ ! -x bench/peers/node_modules/.bin/pagefind ]; then
  npm install --prefix bench/peers --no-audit --no-fund --loglevel=error pagefind@1.6.0
fi
printf '| case studies | engine | index bytes | query | results | cold bytes (gzip) | warm query ms |\n|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  if [ ! -f "$site/site.yaml" ]; then
    target/release/examples/gen_corpus --n "$n" --seed 1 --out "$site" >/dev/null
  fi
  out="$work/public-$n"
  target/release/practicebank build --root "$site" --output "$out" >/dev/null
  ours_bytes=$(du -sb "$out/search" | cut -f1)
  peer="$work/pagefind-$n"
  rm -rf "$peer" && cp -r "$out" "$peer" && rm -rf "$peer/search"
  bench/peers/node_modules/.bin/pagefind --site "$peer" --quiet >/dev/null
  theirs_bytes=$(du -sb "$peer/pagefind" | cut -f1)
  node bench/search-bytes.mjs "$out" "$peer" | node -e '
    const rows = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const [n, ours, theirs] = process.argv.slice(1);
    for (const r of rows) {
      const size = r.engine === "practicebank" ? ours : theirs;
      console.log(`| ${n} | ${r.engine} | ${size} | ${r.query} | ${r.results} | ${r.coldBytes} | ${r.warmMs.toFixed(2)} |`);
    }' "$n" "$ours_bytes" "$theirs_bytes"
done
