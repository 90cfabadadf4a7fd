#!/usr/bin/env bash
# Relevance, run by hand (not in CI): the judged queries of
# tests/relevance/ scored with `practicebank search --evaluate`, with the
# search's mechanisms switched on one at a time, from the search as it was
# before any word could match (every mechanism off) to all of them.
#
#   bash bench/relevance.sh            # prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=(cargo run --quiet --)
steps=(
  "any-word,coordination,themes,typos,glossary,associations|every word required (before)"
  "coordination,themes,typos,glossary,associations|+ any word can match"
  "themes,typos,glossary,associations|+ coordination"
  "typos,glossary,associations|+ theme labels"
  "glossary,associations|+ typos"
  "associations|+ glossary"
  "|+ associations (everything)"
)
for set in "tests/relevance/site|tests/relevance/judged.yaml|fixture site (30 case studies, 58 queries)" \
  ".|tests/relevance/example-site.judged.yaml|example site (5 case studies, 17 queries)"; do
  IFS='|' read -r root judged title <<<"$set"
  printf '\n%s\n\n| mechanisms | nDCG@10 | recall@10 | MRR@10 | no result |\n|---|---|---|---|---|\n' "$title"
  for step in "${steps[@]}"; do
    IFS='|' read -r without label <<<"$step"
    args=(search --root "$root" --evaluate "$judged" --json)
    [ -z "$without" ] || args+=(--without "$without")
    "${bin[@]}" "${args[@]}" | node -e '
      const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const o = r.overall;
      console.log(`| ${process.argv[1]} | ${o.ndcg.toFixed(3)} | ${o.recall.toFixed(3)} | ${o.mrr.toFixed(3)} | ${o.no_result} / ${r.count} |`);
    ' "$label"
  done
done
