// practicebank's search client: searches the static index that
// `practicebank build` writes under search/, with no server.
//
// An ES module with no dependencies and no build step; runs in browsers and
// in Node 20. It reads search/index.json first, then only the term shards a
// query needs, then the display data of the results it returns; the facets
// file only when a search filters or asks for counts. The format is
// documented in src/search/export.rs (format 3).
//
//   import { createSearch } from './practicebank-search.js';
//   const client = createSearch({ baseUrl: 'https://example.org/bank/' });
//   const results = await client.search('housing', { filters: { themes: ['housing'] }, limit: 10 });
//
// Ranking follows src/search/query.rs and src/search/plan.rs exactly (the
// same algorithm in Rust, held to tantivy's own queries by tests; read
// their module docs with this):
// - the query is sanitised (anything but letters and digits becomes a
//   space, then each character is lowercased on its own), split into words
//   (at most 32), and repeated words are dropped;
// - each word is analysed like the index (letters-and-digits runs, shorter
//   than 40 UTF-8 bytes, the English stemmer of frostem 1.20260821.8); a
//   word that analyses to no single term is dropped;
// - the words are planned (`planQuery`): glossary phrases become units with
//   their synonyms as alternatives, unknown words get typo corrections,
//   rare words get the terms the site associates with them;
// - any word can match; a case study's score is tantivy's BM25 in 32-bit
//   floats (Math.fround after every operation) summed in clause order,
//   times the share of the query's words it matched (a word found only
//   through an alternative counts half); associated terms only order case
//   studies that score the same; idf comes from the index, computed by
//   tantivy's own process, and length factors are computed here as
//   tantivy computes them;
// - ties go to the lower doc id (slug order).
// A query with no words matches nothing, as in tantivy; the search page
// asks, with `browse: true`, for every case study its filters allow
// instead (see `search`).
//
// Speed: a term's postings are decoded once into typed arrays of doc ids
// and finished f32 scores; a query adds them up in a Float32Array (whose
// stores round to f32, as tantivy's additions do) and keeps the best
// `limit` in a short sorted list, without sorting every match.
//
// The site gets this file without its comments (src/search/export.rs).

import { stem } from './english-stemmer.js';

const FORMAT = 3;
const f = Math.fround;
const K1 = f(1.2);
const B = f(0.75);
const OPK1 = f(1 + K1);
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const MAX_TOKEN_BYTES = 40;
const SNIPPET_CHARS = 160;
const MAX_PREFIX_TERMS = 20;
const MAX_WORDS = 32;
const MAX_TERM_WORDS = 4;
const GLOSSARY_WEIGHT = 0.5;
const TYPO_WEIGHT = [1, 0.5, 0.25];
const ASSOCIATION_WEIGHTS = [0.25, 0.125, 0.0625];
const MIN_TYPO_CHARS = 4;
const LONG_WORD_CHARS = 8;
const TYPO_CANDIDATES = 10;
const TYPO_ALTERNATIVES = 3;
const RARE_BANK_DOCS = 20;
const RARE_MIN_DOCS = 10;
const ASSOCIATE_BELOW = 10;
// src/search/plan.rs STOP_WORDS: searched, but they do not count as
// matching more of the query.
const STOP_WORDS = new Set(
  ('a about after all also an and any are as at be been but by can could do does for from get had has have how i if ' +
    'in into is it its me more my no not of on or other our out so some such than that the their them then there ' +
    'these they this to up us was we were what when where which who why will with would you your').split(' '),
);
const LISTS = ['themes', 'authorities', 'surveys', 'years'];
const encoder = new TextEncoder();
const bits = new DataView(new ArrayBuffer(4));

/** The value of each base-64 digit by character code. */
const DIGIT = new Uint8Array(128);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => {
  DIGIT[c.charCodeAt(0)] = i;
});

/** An f32 from its bit pattern. */
function fromBits(pattern) {
  bits.setUint32(0, pattern);
  return bits.getFloat32(0);
}

/** The field length a fieldnorm id stands for: tantivy's
 *  `FieldNormReader::id_to_fieldnorm`. */
export function fieldnormLength(id) {
  return id < 41 ? id : 24 + (9 + ((id - 41) % 8)) * Math.pow(2, 1 + ((id - 41) >> 3));
}

/** A field's 256 BM25 length factors, `K1 * (1 - B + B * length / average)`
 *  in f32, as tantivy's `Bm25Weight` computes them. */
export function lengthFactors(tokens, docs) {
  const average = f(f(tokens) / f(Math.max(docs, 1)));
  const factors = new Float32Array(256);
  for (let id = 0; id < 256; id++) {
    factors[id] = f(K1 * f(f(1 - B) + f(f(B * f(fieldnormLength(id))) / average)));
  }
  return factors;
}

/** Compares two strings by Unicode code point, as the index sorts terms. */
export function compareTerms(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort above the rest of the BMP.
      const surrogateX = x >= 0xd800 && x <= 0xdfff;
      const surrogateY = y >= 0xd800 && y <= 0xdfff;
      if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Lowercases each character on its own, as tantivy's LowerCaser does. */
function lower(text) {
  return Array.from(text, (c) => c.toLowerCase()).join('');
}

/** The query's words: sanitised, lowercased, first occurrence of each. */
export function queryWords(query) {
  const sanitised = lower(Array.from(String(query), (c) => (ALNUM.test(c) ? c : ' ')).join(''));
  const words = [];
  for (const word of sanitised.split(/\s+/)) {
    if (words.length === MAX_WORDS) break;
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
  return snippetOf(Array.from(text), tokens(text), terms);
}

/** `snippet` of a text already split into characters and tokens. */
function snippetOf(chars, found, terms) {
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

/** The shard keys from their front-coded form `{ shared, rest }`. */
function shardKeys({ shared, rest }) {
  const keys = [];
  let previous = [];
  rest.split(' ').forEach((suffix, i) => {
    if (i >= shared.length) return;
    const key = previous.slice(0, DIGIT[shared.charCodeAt(i)]).concat(Array.from(suffix));
    keys.push(key.join(''));
    previous = key;
  });
  return keys;
}

/** Probabilities for numbers of 1 or more (see `decodeEntry`). */
function numberModel() {
  return { length: new Uint16Array(32).fill(1024), tree: new Uint16Array(32 * 16).fill(1024) };
}

/**
 * A term's postings from its shard entry `[term, word, code, associates,
 * field, idf, n, ...]`: for each field holding it, `{ field, idf, docs,
 * frequencies, norms }` (idf as f32 bits; doc ids ascending, with each
 * one's term frequency and fieldnorm id). `code` is the output of the
 * range coder in src/search/export.rs: read its module docs with this.
 */
export function decodeEntry(entry) {
  const text = entry[2];
  const size = text.length;
  let at = 0;
  let range = 0x3fffffff;
  let code = 0;
  const digit = () => (at < size ? DIGIT[text.charCodeAt(at++)] : 0);
  for (let i = 0; i < 5; i++) code = (code << 6) | digit();
  // Every value stays below 2^30, so 32-bit integer operations are exact.
  const normalise = (out) => {
    while (range < 0x1000000) {
      range <<= 6;
      code = (code << 6) | digit();
    }
    return out;
  };
  const bit = (probabilities, i) => {
    const p = probabilities[i];
    const bound = (range >>> 11) * p;
    if (code < bound) {
      range = bound;
      probabilities[i] = p + ((2048 - p) >> 4);
      return normalise(0);
    }
    code -= bound;
    range -= bound;
    probabilities[i] = p - (p >> 4);
    return normalise(1);
  };
  const direct = () => {
    range >>>= 1;
    if (code < range) return normalise(0);
    code -= range;
    return normalise(1);
  };
  const number = (model) => {
    let length = 0;
    while (length < 31 && bit(model.length, length)) length++;
    const modelled = Math.min(length, 4);
    let value = 1;
    for (let i = 0; i < modelled; i++) value = (value << 1) | bit(model.tree, length * 16 + value);
    for (let i = length - modelled; i > 0; i--) value = value * 2 + direct();
    return value;
  };
  const gaps = numberModel();
  const frequencies = numberModel();
  const out = [];
  for (let k = 4; k + 2 < entry.length; k += 3) {
    const count = entry[k + 2];
    const list = { field: entry[k], idf: entry[k + 1], docs: new Uint32Array(count), frequencies: new Uint32Array(count), norms: new Uint8Array(count) };
    const probabilities = new Uint16Array(256).fill(1024);
    let doc = -1;
    for (let j = 0; j < count; j++) {
      doc += number(gaps);
      list.docs[j] = doc;
      list.frequencies[j] = number(frequencies);
      let node = 1;
      for (let b = 0; b < 8; b++) node = (node << 1) | bit(probabilities, node);
      list.norms[j] = node - 256;
    }
    out.push(list);
  }
  return out;
}

/** A term's postings scored with BM25 at `weight` (1 for a typed word):
 *  for each field holding it, `{ field, docs, scores }`, each doc's score
 *  for the term in that field (f32). */
function scorePostings(index, lists, weight) {
  return lists.map(({ field, idf, docs, frequencies, norms }) => {
    const factors = index.factors[field];
    let score = f(fromBits(idf) * OPK1);
    const boost = f(f(index.fields[field].boost) * weight);
    if (boost !== 1) score = f(score * boost);
    const scores = new Float32Array(docs.length);
    for (let j = 0; j < docs.length; j++) {
      const tf = f(frequencies[j]);
      scores[j] = f(score * f(tf / f(tf + factors[norms[j]])));
    }
    return { field, docs, scores };
  });
}

/** How many case studies hold a term in the field holding it most, from
 *  its entry (0 for none). */
function heldBy(entry) {
  let most = 0;
  if (entry) for (let k = 6; k < entry.length; k += 3) most = Math.max(most, entry[k]);
  return most;
}

/** The terms of a text, as the index analyses it. */
function termsOf(text) {
  return tokens(text)
    .map((t) => t.term)
    .filter((t) => t !== null);
}

/** The values of a facets column, `width` digits per doc, least
 *  significant first. */
function column(text, docs) {
  const width = docs > 0 ? text.length / docs : 1;
  const out = new Int32Array(docs);
  for (let d = 0; d < docs; d++) {
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 64 + DIGIT[text.charCodeAt(d * width + i)];
    out[d] = value;
  }
  return out;
}

/** The facets file as typed arrays: `themes` (per doc, `width` digits of
 *  6 theme bits each) and, per single-value list, position + 1 by doc. */
function decodeFacets(index, data) {
  const docs = index.docs;
  const width = docs > 0 ? data.themes.length / docs : 1;
  const themes = new Uint8Array(docs * width);
  for (let i = 0; i < themes.length; i++) themes[i] = DIGIT[data.themes.charCodeAt(i)];
  return {
    width,
    themes,
    authorities: column(data.authorities, docs),
    surveys: column(data.surveys, docs),
    years: column(data.years, docs),
  };
}

/** Whether a hit ranks above `hit`: a higher score, or the same and a
 *  higher associated score, or both the same and a lower doc id. */
function above(doc, score, associated, hit) {
  if (score !== hit.score) return score > hit.score;
  if (associated !== hit.associated) return associated > hit.associated;
  return doc < hit.doc;
}

/** The best `limit` of a stream of hits, best first: a short sorted list
 *  that most hits fail to enter at the first comparison. */
function topK(limit) {
  const best = [];
  return {
    best,
    offer(doc, score, associated) {
      if (limit <= 0 || (best.length === limit && !above(doc, score, associated, best[limit - 1]))) return;
      let i = best.length;
      while (i > 0 && above(doc, score, associated, best[i - 1])) i--;
      best.splice(i, 0, { doc, score, associated });
      if (best.length > limit) best.pop();
    },
  };
}

/** The code points of a word, as numbers. */
function codePoints(word) {
  return Array.from(word, (c) => c.codePointAt(0));
}

/** Optimal string alignment distance of two arrays of code points
 *  (insertions, deletions, substitutions and swaps of neighbours cost 1),
 *  or `most + 1` once it is certainly more than `most`. Three rows in one
 *  typed array, reused: typo correction compares a word with thousands. */
let rows = new Uint16Array(0);
function alignment(a, b, most) {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Uint16Array(3 * width);
  for (let j = 0; j < width; j++) rows[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const current = (i % 3) * width;
    const previous = ((i - 1) % 3) * width;
    const before = ((i + 1) % 3) * width;
    rows[current] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[before + j - 2] + 1);
      rows[current + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > most) return most + 1;
  }
  return Math.min(rows[(a.length % 3) * width + b.length], most + 1);
}

/**
 * A search client for the site at `baseUrl` (its base_url, or any URL the
 * built site is served at). `fetch` defaults to the global one.
 */
export function createSearch({ baseUrl, fetch: fetchImpl } = {}) {
  const base = String(baseUrl || './').replace(/\/?$/, '/');
  const doFetch = fetchImpl || globalThis.fetch.bind(globalThis);
  const cache = new Map();
  /** Scored postings by weight and term, decoded postings by term,
   *  display data's tokens by doc id, and typo corrections by word. */
  const postings = new Map();
  const decoded = new Map();
  const shown = new Map();
  const corrections = new Map();

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
    if (!index.factors) {
      index.factors = index.fields.map((field) => lengthFactors(field.tokens, index.docs));
      index.keys = shardKeys(index.shards);
      index.glossaryTerms = index.glossary.map((group) =>
        group.map(([shown, searched]) => ({ shown, searched, terms: termsOf(shown) })).filter((p) => p.terms.length > 0),
      );
    }
    return index;
  }

  /** The position of the shard that would hold `term`, or -1. */
  function shardOf(index, term) {
    let low = 0;
    let high = index.keys.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (compareTerms(index.keys[middle], term) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** A shard's entries, with a map by term. */
  async function shard(index, position) {
    const data = await load(`${index.term_dir}${position}.json`);
    if (!data.byTerm) data.byTerm = new Map(data.terms.map((entry) => [entry[0], entry]));
    return data;
  }

  async function entry(index, term) {
    const position = shardOf(index, term);
    if (position < 0) return null;
    return (await shard(index, position)).byTerm.get(term) || null;
  }

  /** A term's postings scored at `weight` (none when the index lacks
   *  it). */
  async function termPostings(index, term, weight) {
    const key = `${weight} ${term}`;
    if (!postings.has(key)) {
      const found = await entry(index, term);
      if (found && !decoded.has(term)) decoded.set(term, decodeEntry(found));
      if (!postings.has(key)) postings.set(key, found ? scorePostings(index, decoded.get(term), weight) : []);
    }
    return postings.get(key);
  }

  /** How many case studies hold `term` (see `heldBy`). */
  async function held(index, term) {
    return heldBy(await entry(index, term));
  }

  /** The vocabulary's words of `length` characters, in code point order. */
  async function wordsOfLength(index, length) {
    if (!index.words.lengths.includes(length)) return [];
    const data = await load(`${index.words.dir}${length}.json`);
    if (!data.list) data.list = data.words.split(' ');
    return data.list;
  }

  /** The typo corrections of a word (src/search/plan.rs, `typos`), worked
   *  out once per word: while typing, each keystroke asks again. */
  function typos(index, word, term, count) {
    if (!corrections.has(word)) corrections.set(word, correct(index, word, term, count));
    return corrections.get(word);
  }

  async function correct(index, word, term, count) {
    const chars = codePoints(word);
    const rare = count === 1 && index.docs >= RARE_BANK_DOCS;
    if (chars.length < MIN_TYPO_CHARS || /^[0-9]+$/.test(word) || (count > 0 && !rare)) return [];
    const most = chars.length >= LONG_WORD_CHARS ? 2 : 1;
    const lengths = [];
    for (let n = Math.max(0, chars.length - most); n <= chars.length + most; n++) lengths.push(n);
    const lists = await Promise.all(lengths.map((n) => wordsOfLength(index, n)));
    let found = [];
    const other = new Array(chars.length + most);
    for (const list of lists) {
      for (const candidate of list) {
        // Code points without an array per word: most words are plain.
        let n = 0;
        for (let i = 0; i < candidate.length; i++, n++) {
          const unit = candidate.charCodeAt(i);
          other[n] = unit >= 0xd800 && unit <= 0xdbff ? candidate.codePointAt(i++) : unit;
        }
        other.length = n;
        const d = alignment(chars, other, most);
        if (d >= 1 && d <= most) found.push({ d, candidate });
      }
    }
    if (found.length === 0) return [];
    const least = Math.min(...found.map((c) => c.d));
    found = found.filter((c) => c.d === least).sort((a, b) => compareTerms(a.candidate, b.candidate));
    const candidates = [];
    for (const { candidate } of found) {
      if (candidates.length === TYPO_CANDIDATES) break;
      const t = analyse(candidate);
      if (t !== null && t !== term && !candidates.some((c) => c.term === t)) candidates.push({ term: t, shown: candidate });
    }
    const counts = await Promise.all(candidates.map((c) => held(index, c.term)));
    const minimum = rare ? RARE_MIN_DOCS : 1;
    return candidates
      .map((c, i) => ({ ...c, count: counts[i], order: i }))
      .sort((a, b) => b.count - a.count || a.order - b.order)
      .filter((c) => c.count >= minimum)
      .slice(0, TYPO_ALTERNATIVES)
      .map((c) => ({ kind: 'typo', shown: c.shown, terms: [c.term], weight: TYPO_WEIGHT[least] }));
  }

  /**
   * The plan of a query: its units (typed words, with glossary phrases as
   * one unit), each with `{ typed, terms, stop, alternatives }`, an
   * alternative being `{ kind, shown, terms, weight }` with kind
   * `glossary`, `typo`, `associated` or (search as you type) `prefix`.
   * The same plan as src/search/plan.rs makes; read its docs with this.
   */
  async function planQuery(index, query, { exact = false, prefix = false } = {}) {
    const words = [];
    for (const word of queryWords(query)) {
      const term = analyse(word);
      if (term !== null) words.push({ word, term });
    }
    const same = (a, b) => a.length === b.length && a.every((t, i) => t === b[i]);
    const holds = (terms) => index.glossaryTerms.some((group) => group.some((p) => same(p.terms, terms)));
    const units = [];
    for (let i = 0; i < words.length; ) {
      let k = Math.min(MAX_TERM_WORDS, words.length - i);
      while (k > 0 && !holds(words.slice(i, i + k).map((w) => w.term))) k--;
      const phrase = k > 0;
      if (!phrase) k = 1;
      const part = words.slice(i, i + k);
      const terms = part.map((w) => w.term);
      const alternatives = [];
      if (phrase) {
        for (const group of index.glossaryTerms.filter((g) => g.some((p) => same(p.terms, terms)))) {
          for (const { shown, searched, terms: other } of group) {
            if (!searched || same(other, terms) || alternatives.some((a) => same(a.terms, other))) continue;
            alternatives.push({ kind: 'glossary', shown, terms: other, weight: GLOSSARY_WEIGHT });
          }
        }
      }
      units.push({ typed: part.map((w) => w.word).join(' '), terms, stop: k === 1 && STOP_WORDS.has(part[0].word), alternatives });
      i += k;
    }
    if (units.every((u) => u.stop)) units.forEach((u) => (u.stop = false));
    const typedTerms = units.flatMap((u) => u.terms);
    for (const unit of units) {
      if (unit.terms.length !== 1) continue;
      const term = unit.terms[0];
      const found = await entry(index, term);
      const count = heldBy(found);
      if (!exact && unit.alternatives.length === 0) unit.alternatives.push(...(await typos(index, unit.typed, term, count)));
      if (!unit.stop && count > 0 && count < ASSOCIATE_BELOW) {
        const associates = found[3] ? found[3].split(' ') : [];
        associates
          .filter((a) => !typedTerms.includes(a))
          .slice(0, 3)
          .forEach((a, rank) => unit.alternatives.push({ kind: 'associated', shown: a, terms: [a], weight: ASSOCIATION_WEIGHTS[rank] }));
      }
    }
    const last = units[units.length - 1];
    if (prefix && last && last.terms.length === 1) {
      for (const term of await prefixTerms(index, last.typed)) {
        if (term !== last.terms[0]) last.alternatives.push({ kind: 'prefix', shown: term, terms: [term], weight: 1 });
      }
    }
    return units;
  }

  /** Terms for the last word while typing: its own stem, the first terms
   *  starting with it, and the longest term it extends (`housin` finds
   *  `hous`). Shards are read in order only until enough are found. */
  async function prefixTerms(index, word) {
    const own = analyse(word);
    const out = new Set(own ? [own] : []);
    for (let position = Math.max(shardOf(index, word), 0); position < index.keys.length; position++) {
      if (out.size >= MAX_PREFIX_TERMS) break;
      const key = index.keys[position];
      if (compareTerms(key, word) > 0 && !key.startsWith(word)) break;
      for (const [term] of (await shard(index, position)).terms) {
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

  function facetTable(index) {
    if (!index.facetTable) {
      index.facetTable = load(index.facets).then((data) => decodeFacets(index, data));
      index.facetTable.catch(() => {
        index.facetTable = null;
      });
    }
    return index.facetTable;
  }

  function filtering(filters) {
    return Boolean((filters.themes && filters.themes.length) || filters.authority || filters.survey || filters.year);
  }

  /** A test of doc ids for the filters, or null for no filters. */
  function allowed(index, table, filters) {
    if (!filtering(filters)) return null;
    // A value is a slug or a name, in any case ("Hull", "hull").
    const position = (list, value) => {
      const wanted = String(value).trim().toLowerCase();
      return index.filters[list].findIndex((v) => v.value === wanted || v.label.toLowerCase() === wanted);
    };
    const themes = (filters.themes || []).map((theme) => position('themes', theme));
    const singles = [];
    if (filters.authority) singles.push([table.authorities, position('authorities', filters.authority)]);
    if (filters.survey) singles.push([table.surveys, position('surveys', filters.survey)]);
    if (filters.year) singles.push([table.years, position('years', filters.year)]);
    // A value the site does not have matches nothing.
    if (themes.some((t) => t < 0) || singles.some(([, p]) => p < 0)) return () => false;
    const { width } = table;
    return (doc) => {
      for (const t of themes) {
        if (((table.themes[doc * width + ((t / 6) | 0)] >> t % 6) & 1) === 0) return false;
      }
      for (const [values, p] of singles) {
        if (values[doc] !== p + 1) return false;
      }
      return true;
    };
  }

  /** Scores a plan (src/search/query.rs, `search`): by doc, the f32
   *  `main` and `associated` sums, and per unit whether the doc holds all
   *  its typed terms (`typed`, a bit per term) or is covered by an
   *  alternative. */
  async function rank(index, units) {
    const docs = index.docs;
    const main = new Float32Array(docs);
    const associated = new Float32Array(docs);
    const touched = new Uint8Array(docs);
    const typed = units.map(() => new Uint32Array(docs));
    const covered = units.map(() => new Uint8Array(docs));
    const phraseSum = new Float32Array(docs);
    const phraseHeld = new Uint8Array(docs);
    const terms = new Set();
    const score = (term, weight) => termPostings(index, term, weight);
    const lists = await Promise.all(
      units.map((unit) =>
        Promise.all([
          Promise.all(unit.terms.map((t) => score(t, 1))),
          Promise.all(unit.alternatives.map((a) => Promise.all(a.terms.map((t) => score(t, a.weight))))),
        ]),
      ),
    );
    units.forEach((unit, u) => {
      const [typedLists, alternativeLists] = lists[u];
      unit.terms.forEach((term, t) => {
        terms.add(term);
        for (const { docs: ids, scores } of typedLists[t]) {
          for (let k = 0; k < ids.length; k++) {
            const doc = ids[k];
            main[doc] += scores[k];
            typed[u][doc] |= 1 << t;
            touched[doc] = 1;
          }
        }
      });
      unit.alternatives.forEach((alternative, a) => {
        const into = alternative.kind === 'associated' ? associated : main;
        if (alternative.kind !== 'associated') alternative.terms.forEach((t) => terms.add(t));
        const termLists = alternativeLists[a];
        for (let field = 0; field < index.fields.length; field++) {
          // Docs holding every term of the alternative in this field, with
          // the sum of their scores in term order: `held[doc]` counts the
          // terms seen so far, so a doc stays only while it has them all.
          const lists = termLists.map((perField) => perField.find((l) => l.field === field));
          if (lists.some((l) => !l)) continue;
          for (let t = 0; t < lists.length; t++) {
            const { docs: ids, scores } = lists[t];
            for (let k = 0; k < ids.length; k++) {
              const doc = ids[k];
              if (t === 0) {
                phraseSum[doc] = scores[k];
                phraseHeld[doc] = 1;
              } else if (phraseHeld[doc] === t) {
                phraseSum[doc] = f(phraseSum[doc] + scores[k]);
                phraseHeld[doc] = t + 1;
              }
            }
          }
          const last = lists.length;
          for (const doc of lists[0].docs) {
            if (phraseHeld[doc] === last) {
              into[doc] += phraseSum[doc];
              touched[doc] = 1;
              if (alternative.kind === 'prefix') typed[u][doc] = (1 << unit.terms.length) - 1;
              else if (alternative.kind !== 'associated') covered[u][doc] = 1;
            }
            phraseHeld[doc] = 0;
          }
        }
      });
    });
    return { main, associated, touched, typed, covered, terms };
  }

  /** A doc's score from its sums (src/search/query.rs, `score`), or null
   *  when it is not a result. */
  function scoreOf(units, ranked, doc) {
    let count = 0;
    let most = 0;
    units.forEach((unit, u) => {
      if (unit.stop) return;
      most += 2;
      const all = (1 << unit.terms.length) - 1;
      count += (ranked.typed[u][doc] & all) === all ? 2 : ranked.covered[u][doc];
    });
    const associated = ranked.associated[doc];
    if (count === 0 && !(associated > 0)) return null;
    return { score: f(ranked.main[doc] * f(count / most)), associated };
  }

  /** What the results page says of a plan: the words searched instead of
   *  typos, and the phrases also searched for. */
  function planShown(units) {
    const of = (kind) =>
      units
        .map((u) => ({ typed: u.typed, words: u.alternatives.filter((a) => a.kind === kind).map((a) => a.shown) }))
        .filter((x) => x.words.length > 0);
    return {
      corrections: of('typo').map(({ typed, words }) => ({ typed, searched: words })),
      expansions: of('glossary').map(({ typed, words }) => ({ typed, with: words })),
    };
  }

  /** A doc's display data, with its text split for snippets once. */
  async function display(index, doc) {
    const data = await load(`${index.doc_dir}${doc}.json`);
    if (!shown.has(doc)) {
      const text = data.text || data.summary;
      shown.set(doc, { chars: Array.from(text), found: tokens(text) });
    }
    return { data, split: shown.get(doc) };
  }

  /**
   * Searches. Resolves to the best `limit` results, each
   * `{ slug, url, title, authority, themes, summary, score, snippet }`;
   * the array also carries `total` (how many matched) and `counts`: with
   * `counts: true`, for each filter list, how many of the matches have
   * each value (otherwise null). Filters and counts need the facets file,
   * which is loaded only then.
   * `prefix: true` lets the last word match as a prefix too, for search as
   * you type: a departure from tantivy, which has no prefix term query.
   * `exact: true` turns typo correction off. The array also carries
   * `plan`: `{ corrections: [{ typed, searched }], expansions: [{ typed,
   * with }] }`, what the results page says it searched for.
   * `browse: true` makes a query with no words and at least one filter
   * list every case study the filters allow, in doc id (slug) order, each
   * with score 0 and an empty snippet (there is nothing to mark: show the
   * summary). Without it, or with no filters, a query with no words
   * matches nothing, as in tantivy and `practicebank search`.
   */
  async function search(query, { filters = {}, limit = 10, prefix = false, counts = false, browse = false, exact = false } = {}) {
    const index = await manifest();
    const needFacets = counts || filtering(filters);
    const browsing = browse && filtering(filters) && queryWords(query).length === 0;
    const [units, table] = await Promise.all([planQuery(index, query, { exact, prefix }), needFacets ? facetTable(index) : null]);
    const ranked = await rank(index, units);
    const terms = ranked.terms;
    const test = table ? allowed(index, table, filters) : null;
    const tally = counts ? LISTS.map((list) => new Int32Array(index.filters[list].length + 1)) : null;
    const best = topK(limit);
    let total = 0;
    if (units.length > 0 || browsing) {
      for (let doc = 0; doc < index.docs; doc++) {
        // Browsing, every score is 0, so the best are the lowest doc ids.
        const hit = browsing ? { score: 0, associated: 0 } : ranked.touched[doc] ? scoreOf(units, ranked, doc) : null;
        if (hit === null || (test && !test(doc))) continue;
        total++;
        best.offer(doc, hit.score, hit.associated);
        if (tally) {
          for (let i = 0; i < table.width; i++) {
            const digit = table.themes[doc * table.width + i];
            for (let b = 0; b < 6; b++) if ((digit >> b) & 1) tally[0][i * 6 + b + 1]++;
          }
          tally[1][table.authorities[doc]]++;
          tally[2][table.surveys[doc]]++;
          tally[3][table.years[doc]]++;
        }
      }
    }
    let countsOut = null;
    if (tally) {
      countsOut = {};
      LISTS.forEach((list, i) => {
        countsOut[list] = {};
        index.filters[list].forEach((item, p) => {
          if (tally[i][p + 1] > 0) countsOut[list][item.value] = tally[i][p + 1];
        });
      });
    }
    const results = await Promise.all(
      best.best.map(async ({ doc, score }) => {
        const { data: d, split } = await display(index, doc);
        return {
          slug: d.slug,
          url: new URL(`case-studies/${d.slug}/`, base).toString(),
          title: d.title,
          authority: d.authority,
          themes: d.themes,
          summary: d.summary,
          score,
          snippet: browsing ? '' : snippetOf(split.chars, split.found, terms),
        };
      }),
    );
    Object.defineProperty(results, 'total', { value: total });
    Object.defineProperty(results, 'counts', { value: countsOut });
    Object.defineProperty(results, 'plan', { value: planShown(units) });
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
      const initial = Array.from(word)[0] || word;
      const first = Math.max(shardOf(index, initial), 0);
      for (let position = first; position < index.keys.length; position++) {
        const key = index.keys[position];
        if (compareTerms(key, initial) > 0 && !key.startsWith(initial)) break;
        for (const [, surface] of (await shard(index, position)).terms) {
          const d = alignment(codePoints(word), codePoints(surface), bestDistance);
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
