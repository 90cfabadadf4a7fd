// practicebank's search client: searches the static index that
// `practicebank build` writes under search/, with no server.
//
// An ES module with no dependencies and no build step; runs in browsers and
// in Node 20. It reads search/index.json first, then only the term shards a
// query needs, then the display data of the results it returns.
//
//   import { createSearch } from './practicebank-search.js';
//   const client = createSearch({ baseUrl: 'https://example.org/bank/' });
//   const results = await client.search('housing', { filters: { themes: ['housing'] }, limit: 10 });
//
// Ranking follows tantivy 0.27 exactly (docs: src/search/query.rs is the
// same algorithm in Rust, held to tantivy's own ranking by tests):
// - the query is sanitised (anything but letters and digits becomes a
//   space, then each character is lowercased on its own), split into words,
//   and repeated words are dropped;
// - each word is analysed like the index (letters-and-digits runs, shorter
//   than 40 UTF-8 bytes, the English stemmer of frostem 1.20260821.8) and
//   gives one clause per searched field, word-major, with the field's boost;
//   a word that analyses to no single term is dropped;
// - a case study must match every word in some field;
// - its score is tantivy's BM25 in 32-bit floats (Math.fround after every
//   operation), summed in clause order; idf and length factors come from the
//   index, computed by tantivy's own process;
// - ties go to the lower doc id (slug order).

import { stem } from './english-stemmer.js';

const FORMAT = 1;
const f = Math.fround;
const K1 = f(1.2);
const OPK1 = f(1 + K1);
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const MAX_TOKEN_BYTES = 40;
const SNIPPET_CHARS = 160;
const MAX_PREFIX_TERMS = 20;
const encoder = new TextEncoder();
const bits = new DataView(new ArrayBuffer(4));

/** An f32 from its bit pattern. */
function fromBits(pattern) {
  bits.setUint32(0, pattern);
  return bits.getFloat32(0);
}

/** Compares two strings by Unicode code point, as the index sorts terms. */
export function compareTerms(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Lowercases each character on its own, as tantivy's LowerCaser does. */
function lower(text) {
  return Array.from(text, (c) => c.toLowerCase()).join('');
}

/** The query's words: sanitised, lowercased, first occurrence of each. */
export function queryWords(query) {
  const sanitised = lower(Array.from(String(query), (c) => (ALNUM.test(c) ? c : ' ')).join(''));
  const words = [];
  for (const word of sanitised.split(' ')) {
    if (word && !words.includes(word)) words.push(word);
  }
  return words;
}

/** Tokens of a text as the index analyses it: `{ text, start, end, term }`
 *  with start and end in code points, and term null when the token is too
 *  long to index. */
export function tokens(text) {
  const chars = Array.from(text);
  const out = [];
  let start = -1;
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && ALNUM.test(chars[i])) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const word = chars.slice(start, i).join('');
      const term = encoder.encode(word).length < MAX_TOKEN_BYTES ? stem(lower(word)) : null;
      out.push({ text: word, start, end: i, term });
      start = -1;
    }
  }
  return out;
}

/** The term a query word searches for, or null when it gives none. */
export function analyse(word) {
  const found = tokens(word);
  return found.length === 1 ? found[0].term : null;
}

// The same escaping as the Rust side (escape::markup): the five markup
// characters, and control characters XML forbids are dropped.
function escapeHtml(text) {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A snippet of `text` around the most query terms, with them marked. */
export function snippet(text, terms) {
  const chars = Array.from(text);
  const found = tokens(text);
  const matches = found.map((t) => t.term !== null && terms.has(t.term));
  let best = 0;
  let bestCount = -1;
  for (let i = 0; i < found.length; i++) {
    let count = 0;
    for (let j = i; j < found.length && found[j].end - found[i].start <= SNIPPET_CHARS; j++) {
      if (matches[j]) count++;
    }
    if (count > bestCount) {
      best = i;
      bestCount = count;
    }
  }
  if (found.length === 0) return escapeHtml(chars.slice(0, SNIPPET_CHARS).join(''));
  let last = best;
  while (last + 1 < found.length && found[last + 1].end - found[best].start <= SNIPPET_CHARS) last++;
  // Text before the first word or after the last (quotes, a full stop)
  // belongs to the snippet when the window reaches that end.
  const start = best === 0 ? 0 : found[best].start;
  const end = last === found.length - 1 ? chars.length : found[last].end;
  let out = start > 0 ? '\u2026' : '';
  let at = start;
  for (let i = best; i <= last; i++) {
    out += escapeHtml(chars.slice(at, found[i].start).join(''));
    const word = escapeHtml(found[i].text);
    out += matches[i] ? `<mark>${word}</mark>` : word;
    at = found[i].end;
  }
  out += escapeHtml(chars.slice(at, end).join(''));
  return out + (end < chars.length ? '\u2026' : '');
}

/** Levenshtein distance, for "did you mean". */
function distance(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  let row = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length];
}

/**
 * A search client for the site at `baseUrl` (its base_url, or any URL the
 * built site is served at). `fetch` defaults to the global one.
 */
export function createSearch({ baseUrl, fetch: fetchImpl } = {}) {
  const base = String(baseUrl || './').replace(/\/?$/, '/');
  const doFetch = fetchImpl || globalThis.fetch.bind(globalThis);
  const cache = new Map();

  function load(path) {
    if (!cache.has(path)) {
      const url = new URL(path, new URL('search/', base)).toString();
      cache.set(
        path,
        doFetch(url).then((response) => {
          if (!response.ok) throw new Error(`practicebank search: cannot load ${url} (${response.status})`);
          return response.json();
        }),
      );
      cache.get(path).catch(() => cache.delete(path));
    }
    return cache.get(path);
  }

  async function manifest() {
    const index = await load('index.json');
    if (index.format !== FORMAT) throw new Error(`practicebank search: index format ${index.format}, this client reads ${FORMAT}`);
    if (!index.norms) index.norms = index.fields.map((field) => field.norms.map(fromBits));
    return index;
  }

  /** The shards whose ranges may hold terms from `low` to `high`. */
  function shardsFor(index, low, high) {
    return index.shards.filter((s) => compareTerms(s.last, low) >= 0 && compareTerms(s.first, high) <= 0);
  }

  async function shardTerms(index, shard) {
    const data = await load(shard.file);
    if (!data.byTerm) data.byTerm = new Map(data.terms.map((entry) => [entry[0], entry]));
    return data;
  }

  async function entry(index, term) {
    const [shard] = shardsFor(index, term, term);
    if (!shard) return null;
    return (await shardTerms(index, shard)).byTerm.get(term) || null;
  }

  /** Terms for the last word while typing: terms starting with it, its
   *  own stem, and the longest term it extends (`housin` finds `hous`). */
  async function prefixTerms(index, word) {
    const own = analyse(word);
    const out = new Set(own ? [own] : []);
    for (const shard of shardsFor(index, word, word + '\u{10ffff}')) {
      const data = await shardTerms(index, shard);
      for (const [term] of data.terms) {
        if (term.startsWith(word) && out.size < MAX_PREFIX_TERMS) out.add(term);
      }
    }
    const chars = Array.from(word);
    for (let n = chars.length - 1; n >= 4; n--) {
      const head = chars.slice(0, n).join('');
      if (await entry(index, head)) {
        out.add(head);
        break;
      }
    }
    return [...out];
  }

  async function facetTable(index) {
    return (await load(index.facets)).docs;
  }

  /** Doc ids passing the filters, or null for no filters. */
  async function allowed(index, filters = {}) {
    const wanted = [];
    const position = (list, value) => index.filters[list].findIndex((v) => v.value === String(value));
    for (const theme of filters.themes || []) wanted.push((d) => d[0].includes(position('themes', theme)));
    if (filters.authority) wanted.push((d) => d[1] === position('authorities', filters.authority));
    if (filters.survey) wanted.push((d) => d[2] === position('surveys', filters.survey));
    if (filters.year) wanted.push((d) => d[3] === position('years', filters.year));
    if (wanted.length === 0) return null;
    const table = await facetTable(index);
    const set = new Set();
    table.forEach((d, doc) => {
      if (wanted.every((test) => test(d))) set.add(doc);
    });
    return set;
  }

  /** Every matching doc with its score, best first. */
  async function rank(index, query, { prefix = false } = {}) {
    const words = queryWords(query);
    const groups = [];
    for (let i = 0; i < words.length; i++) {
      const terms = prefix && i === words.length - 1 ? await prefixTerms(index, words[i]) : [analyse(words[i])].filter(Boolean);
      if (terms.length > 0) groups.push(terms);
    }
    const scores = new Map();
    const matched = new Map();
    const termSet = new Set();
    for (let word = 0; word < groups.length; word++) {
      for (const term of groups[word]) {
        termSet.add(term);
        const found = await entry(index, term);
        for (let field = 0; field < index.fields.length; field++) {
          const posting = found && found[2].find((p) => p[0] === field);
          if (!posting) continue;
          const [, idfBits, gaps, tfs, normIds] = posting;
          let weight = f(fromBits(idfBits) * OPK1);
          const boost = f(index.fields[field].boost);
          if (boost !== 1) weight = f(weight * boost);
          const norms = index.norms[field];
          let doc = 0;
          for (let k = 0; k < gaps.length; k++) {
            doc += gaps[k];
            const tf = tfs[k];
            const score = f(weight * f(tf / f(tf + norms[normIds[k]])));
            scores.set(doc, f((scores.get(doc) || 0) + score));
            if (!matched.has(doc)) matched.set(doc, new Set());
            matched.get(doc).add(word);
          }
        }
      }
    }
    const hits = [];
    for (const [doc, score] of scores) {
      if (matched.get(doc).size === groups.length) hits.push({ doc, score });
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return { hits, terms: termSet };
  }

  async function display(index, doc) {
    return load(`${index.doc_dir}${doc}.json`);
  }

  /**
   * Searches. Resolves to the best `limit` results, each
   * `{ slug, url, title, authority, themes, summary, score, snippet }`;
   * the array also carries `total` (how many matched) and `counts` (for
   * each filter, how many of the matches have each value).
   * `prefix: true` lets the last word match as a prefix too, for search as
   * you type: a departure from tantivy, which has no prefix term query.
   */
  async function search(query, { filters = {}, limit = 10, prefix = false } = {}) {
    const index = await manifest();
    const { hits, terms } = await rank(index, query, { prefix });
    const permitted = await allowed(index, filters);
    const kept = permitted ? hits.filter((h) => permitted.has(h.doc)) : hits;
    const table = kept.length > 0 ? await facetTable(index) : [];
    const counts = { themes: {}, authorities: {}, surveys: {}, years: {} };
    const lists = ['themes', 'authorities', 'surveys', 'years'];
    for (const hit of kept) {
      const [themes, ...rest] = table[hit.doc];
      for (const t of themes) counts.themes[index.filters.themes[t].value] = (counts.themes[index.filters.themes[t].value] || 0) + 1;
      rest.forEach((position, k) => {
        if (position < 0) return;
        const value = index.filters[lists[k + 1]][position].value;
        counts[lists[k + 1]][value] = (counts[lists[k + 1]][value] || 0) + 1;
      });
    }
    const results = await Promise.all(
      kept.slice(0, limit).map(async ({ doc, score }) => {
        const d = await display(index, doc);
        return {
          slug: d.slug,
          url: new URL(`case-studies/${d.slug}/`, base).toString(),
          title: d.title,
          authority: d.authority,
          themes: d.themes,
          summary: d.summary,
          score,
          snippet: snippet(d.text || d.summary, terms),
        };
      }),
    );
    Object.defineProperty(results, 'total', { value: kept.length });
    Object.defineProperty(results, 'counts', { value: counts });
    return results;
  }

  /** For a query with no results: the same query with each unknown word
   *  replaced by the nearest word of the site's vocabulary, or null. */
  async function suggest(query) {
    const index = await manifest();
    let changed = false;
    const words = [];
    for (const word of queryWords(query)) {
      const term = analyse(word);
      if (term && (await entry(index, term))) {
        words.push(word);
        continue;
      }
      let best = null;
      let bestDistance = Math.max(1, Math.min(2, Math.floor(Array.from(word).length / 3))) + 1;
      const neighbours = shardsFor(index, Array.from(word)[0] || word, (Array.from(word)[0] || word) + '\u{10ffff}');
      for (const shard of neighbours) {
        for (const [, surface] of (await shardTerms(index, shard)).terms) {
          const d = distance(word, surface);
          if (d < bestDistance || (d === bestDistance && best !== null && compareTerms(surface, best) < 0)) {
            best = surface;
            bestDistance = d;
          }
        }
      }
      if (best) {
        words.push(best);
        changed = true;
      } else {
        words.push(word);
      }
    }
    return changed ? words.join(' ') : null;
  }

  /** The filter values with their labels and counts over the whole site. */
  async function filters() {
    return (await manifest()).filters;
  }

  return { search, suggest, filters };
}
