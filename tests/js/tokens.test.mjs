// The search client tokenises and stems exactly as tantivy does for every
// line of tests/golden/tokens.tsv (written by tantivy's analyzer through
// `cargo run --example stem_words -- --all`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tokens } from '../../src/search/client/practicebank-search.js';

const golden = readFileSync(new URL('../golden/tokens.tsv', import.meta.url), 'utf8').split('\n').filter(Boolean);

test('client tokens match tantivy on the golden file', () => {
  assert.ok(golden.length > 20);
  for (const line of golden) {
    const cut = line.lastIndexOf('\t');
    const text = line.slice(0, cut);
    const expected = line.slice(cut + 1).split(' ').filter(Boolean);
    const got = tokens(text).map((t) => t.term).filter((t) => t !== null);
    assert.deepEqual(got, expected, JSON.stringify(text));
  }
});
