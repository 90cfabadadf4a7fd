// The client's English stemmer must give tantivy's stems, or a query word
// misses the same word in the index.
//
//   node --test tests/js/
//
// Always checks tests/golden/english-stems.tsv (tricky words and a sample of
// a dictionary, stems from tantivy itself). scripts/check-stems.sh also
// checks a whole dictionary: it sets PRACTICEBANK_STEM_EXPECTED to a file of
// `line<TAB>term` pairs written by `cargo run --example stem_words`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stem } from '../../src/search/client/english-stemmer.js';

const GOLDEN = fileURLToPath(new URL('../golden/english-stems.tsv', import.meta.url));
const DICTIONARY = '/usr/share/dict/american-english';
const EXPECTED = process.env.PRACTICEBANK_STEM_EXPECTED;

function readPairs(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line, n) => {
      const tab = line.indexOf('\t');
      assert.ok(tab > 0, `${path} line ${n + 1} has no tab: ${JSON.stringify(line)}`);
      return [line.slice(0, tab), line.slice(tab + 1)];
    });
}

// The lines stem_words prints are whole input lines, not tokens, so they go
// through SimpleTokenizer and LowerCaser first, as tantivy does them: a
// token is a run of alphabetic or numeric code points, and each code point
// is lowercased on its own (no final-sigma rule). stem_words only prints
// lines that gave exactly one token, shorter than 40 UTF-8 bytes.
function analyzeOne(line) {
  const tokens = line.match(/[\p{Alphabetic}\p{N}]+/gu);
  assert.ok(tokens && tokens.length === 1, `expected one token in ${JSON.stringify(line)}, got ${JSON.stringify(tokens)}`);
  return Array.from(tokens[0], (c) => c.toLowerCase()).join('');
}

function mismatches(pairs, toToken) {
  const wrong = [];
  for (const [input, expected] of pairs) {
    const got = stem(toToken(input));
    if (got !== expected) wrong.push(`${input}: tantivy ${JSON.stringify(expected)}, js ${JSON.stringify(got)}`);
  }
  return wrong;
}

function assertNone(wrong, total, source) {
  assert.equal(
    wrong.length,
    0,
    `${wrong.length} of ${total} stems differ from tantivy (${source}):\n  ${wrong.slice(0, 50).join('\n  ')}` +
      (wrong.length > 50 ? `\n  ... and ${wrong.length - 50} more` : ''),
  );
}

test('stems match tantivy on the golden file', () => {
  const pairs = readPairs(GOLDEN);
  assert.ok(pairs.length > 2500, `the golden file has only ${pairs.length} words; is it truncated?`);
  // The golden words are already tokens, so they go to the stemmer as they are.
  assertNone(mismatches(pairs, (word) => word), pairs.length, GOLDEN);
});

test(
  'stems match tantivy on the whole dictionary',
  {
    skip:
      !EXPECTED
        ? 'set PRACTICEBANK_STEM_EXPECTED (scripts/check-stems.sh does)'
        : !existsSync(DICTIONARY)
          ? `${DICTIONARY} is missing (apt-get install wamerican)`
          : false,
  },
  () => {
    const pairs = readPairs(EXPECTED);
    // A dictionary of ~100k lines gives ~75k single-token words; far fewer
    // means the expected file was cut short, which would pass vacuously.
    assert.ok(pairs.length > 50000, `${EXPECTED} has only ${pairs.length} words`);
    assertNone(mismatches(pairs, analyzeOne), pairs.length, EXPECTED);
  },
);

test('short words, exceptions and non-ASCII', () => {
  // A few readable cases, so a failure here says what kind of thing broke.
  const cases = {
    running: 'run',
    university: 'universiti',
    organization: 'organiz',
    biologist: 'biolog',
    offings: 'off',
    skis: 'ski',
    skies: 'sky',
    dying: 'die',
    succeeded: 'succeed',
    sayings: 'say',
    yes: 'yes',
    by: 'by',
    a: 'a',
    '': '',
    covid19s: 'covid19',
    cafés: 'café',
    naïvely: 'naïv',
    ολοι: 'ολοι',
    // Two code points, so left alone, though it is three UTF-16 units.
    '𠀀y': '𠀀y',
  };
  for (const [word, expected] of Object.entries(cases)) assert.equal(stem(word), expected, word);
});
