// The search page's browse mode: with `browse: true`, a query with no
// words and at least one filter lists every case study the filters allow,
// in doc id order, with counts over them; without filters, or without
// `browse`, it lists nothing, as tantivy does. The index here is a small
// one written by hand in the export format (src/search/export.rs, format
// 3): it has no terms, which a query with no words never needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSearch } from '../../src/search/client/practicebank-search.js';

const BASE = 'https://example.org/bank/';
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DOCS = 60;
// Doc d has theme housing (bit 0) when even, education (bit 1) when a
// multiple of 3; authority a (1) when below 30, b (2) otherwise; year 2021.
const housing = (d) => d % 2 === 0;
const education = (d) => d % 3 === 0;
const slug = (d) => `case-${String(d).padStart(2, '0')}`;

function site() {
  const docs = Array.from({ length: DOCS }, (_, d) => d);
  const files = {
    'search/index.json': {
      format: 3,
      docs: DOCS,
      mode: 'any',
      fields: [{ name: 'title', boost: 3, tokens: 0 }],
      term_dir: 'terms-x/',
      shards: { shared: '', rest: '' },
      doc_dir: 'docs-x/',
      facets: 'facets-x.json',
      words: { dir: 'words-x/', lengths: [] },
      glossary: [],
      filters: {
        themes: [
          { value: 'housing', label: 'Housing', count: docs.filter(housing).length },
          { value: 'education', label: 'Education', count: docs.filter(education).length },
        ],
        authorities: [
          { value: 'a', label: 'Authority A', count: 30 },
          { value: 'b', label: 'Authority B', count: 30 },
        ],
        surveys: [],
        years: [{ value: '2021', label: '2021', count: DOCS }],
      },
    },
    'search/facets-x.json': {
      themes: docs.map((d) => DIGITS[(housing(d) ? 1 : 0) | (education(d) ? 2 : 0)]).join(''),
      authorities: docs.map((d) => DIGITS[d < 30 ? 1 : 2]).join(''),
      surveys: 'A'.repeat(DOCS),
      years: 'B'.repeat(DOCS),
    },
  };
  for (const d of docs) {
    files[`search/docs-x/${d}.json`] = {
      slug: slug(d),
      title: `Case ${d}`,
      authority: d < 30 ? 'Authority A' : 'Authority B',
      themes: [housing(d) && 'housing', education(d) && 'education'].filter(Boolean),
      summary: `The summary of case ${d}.`,
      text: `The text of case ${d}, which has words.`,
    };
  }
  const fetched = [];
  const fetch = async (url) => {
    const path = url.slice(BASE.length);
    fetched.push(path);
    const body = files[path];
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, json: async () => body };
  };
  return { client: createSearch({ baseUrl: BASE, fetch }), fetched };
}

test('an empty query with a filter lists every match in doc id order, a page at a time', async () => {
  const { client, fetched } = site();
  const matches = Array.from({ length: DOCS }, (_, d) => d).filter(housing).map(slug);
  const first = await client.search('', { filters: { themes: ['housing'] }, limit: 20, browse: true });
  assert.equal(first.total, matches.length);
  assert.deepEqual(first.map((r) => r.slug), matches.slice(0, 20));
  const all = await client.search('', { filters: { themes: ['housing'] }, limit: 40, browse: true });
  assert.deepEqual(all.map((r) => r.slug), matches);
  const result = all[1];
  assert.equal(result.url, `${BASE}case-studies/case-02/`);
  assert.equal(result.summary, 'The summary of case 2.');
  assert.equal(result.score, 0);
  assert.equal(result.snippet, '', 'no words, nothing to mark: the page shows the summary');
  assert.ok(!fetched.some((path) => path.includes('terms-')), `no term shard is needed: ${fetched}`);
});

test('every filter narrows an empty query, and counts follow its matches', async () => {
  const { client } = site();
  const results = await client.search('   ', {
    filters: { themes: ['housing', 'education'], authority: 'b' },
    limit: 20,
    counts: true,
    browse: true,
  });
  assert.deepEqual(results.map((r) => r.slug), [30, 36, 42, 48, 54].map(slug));
  assert.equal(results.total, 5);
  assert.deepEqual(results.counts, {
    themes: { housing: 5, education: 5 },
    authorities: { b: 5 },
    surveys: {},
    years: { 2021: 5 },
  });
  const byYear = await client.search('', { filters: { year: '2021' }, limit: 100, browse: true });
  assert.equal(byYear.total, DOCS);
  const unknown = await client.search('', { filters: { authority: 'nowhere' }, limit: 20, browse: true });
  assert.equal(unknown.total, 0);
});

test('an empty query lists nothing without filters, or without browse (as tantivy)', async () => {
  const { client } = site();
  for (const [query, options] of [
    ['', { browse: true }],
    ['', { filters: {}, counts: true, browse: true }],
    ['', { filters: { themes: ['housing'] } }],
    ['!!!', { filters: { themes: ['housing'] }, counts: true }],
  ]) {
    const results = await client.search(query, { limit: 20, ...options });
    assert.equal(results.length, 0, `${JSON.stringify(query)} ${JSON.stringify(options)}`);
    assert.equal(results.total, 0);
  }
});

test('browse changes nothing for a query with words', async () => {
  const { client } = site();
  const results = await client.search('housing', { filters: { themes: ['housing'] }, limit: 20, browse: true });
  assert.equal(results.total, 0, 'no case study holds the word');
});
