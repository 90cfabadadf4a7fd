// The search client reads the static index as the export writes it
// (src/search/export.rs, format 2). tests/js/export-golden.json is written
// by that module's tests from tantivy and the Rust encoder; here the
// client must agree with it exactly:
// - tantivy's fieldnorm table and the BM25 length factors, bit for bit;
// - postings codes, decoded back to the doc ids, term frequencies and
//   fieldnorm ids they were made from (extremes and coder carries too);
// - term order by Unicode code point, as the shard keys are sorted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareTerms, decodeEntry, fieldnormLength, lengthFactors } from '../../src/search/client/practicebank-search.js';

const golden = JSON.parse(readFileSync(new URL('./export-golden.json', import.meta.url), 'utf8'));

const bitsOf = (x) => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
};

test('fieldnorm lengths are tantivy’s table', () => {
  assert.equal(golden.fieldnorms.length, 256);
  for (let id = 0; id < 256; id++) assert.equal(fieldnormLength(id), golden.fieldnorms[id], `id ${id}`);
});

test('length factors are tantivy’s, bit for bit', () => {
  assert.ok(golden.factors.length >= 3);
  for (const { tokens, docs, bits } of golden.factors) {
    const factors = lengthFactors(tokens, docs);
    assert.deepEqual(Array.from(factors, bitsOf), bits, `tokens ${tokens}, docs ${docs}`);
  }
});

test('postings codes decode to the postings they were made from', () => {
  assert.ok(golden.codes.length >= 4);
  for (const { code, lists } of golden.codes) {
    const entry = ['term', 'word', code, ''];
    lists.forEach(([docs], field) => entry.push(field, 1065353216, docs.length));
    const decoded = decodeEntry(entry);
    assert.equal(decoded.length, lists.length);
    decoded.forEach((list, field) => {
      const [docs, frequencies, norms] = lists[field];
      assert.equal(list.field, field);
      assert.equal(list.idf, 1065353216);
      assert.deepEqual(Array.from(list.docs), docs, `docs of list ${field} of ${JSON.stringify(code.slice(0, 20))}`);
      assert.deepEqual(Array.from(list.frequencies), frequencies, `term frequencies of list ${field}`);
      assert.deepEqual(Array.from(list.norms), norms, `fieldnorm ids of list ${field}`);
    });
  }
});

test('terms compare by Unicode code point', () => {
  const words = ['b', 'a', 'ab', '', 'é', 'z', '\u{e000}', '\u{1f600}', '\u{10000}', 'a\u{1f600}', 'a\u{ffff}', 'aé'];
  const byCodePoint = (x, y) => {
    const a = Array.from(x, (c) => c.codePointAt(0));
    const b = Array.from(y, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  for (const x of words) {
    for (const y of words) assert.equal(Math.sign(compareTerms(x, y)), Math.sign(byCodePoint(x, y)), `${x} ${y}`);
  }
});
