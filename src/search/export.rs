//! The static search index: the inverted index (what tantivy's index of the
//! site holds) written out as files under `search/` that a browser client
//! can search with no server.
//!
//! # Format, version 3
//!
//! All files are JSON, so that any web server compresses them (GitHub Pages
//! gzips `.json` but not unknown binary types), and need nothing of a
//! browser but `JSON.parse` and 32-bit integer arithmetic. The manifest is
//! `search/index.json`; every other index file is named by a hash of its
//! content, or sits in a folder named by a hash of all the files in it, so
//! browsers may cache it forever, and two builds of the same site write the
//! same bytes. The client (`search/practicebank-search.js`, without its
//! comments) and its stemmer are written beside them.
//!
//! ## The manifest, `search/index.json`, read first
//!
//! - `format`: 3. A client refuses other versions.
//! - `engine`: the tantivy version, the stemmer crate and Snowball commit
//!   the stems come from (the client's stemmer must match them).
//! - `docs`: N, the number of indexed case studies; doc ids are `0..N` in
//!   slug order.
//! - `mode`: `"any"`: a case study matching any query word is a result,
//!   ranked as `src/search/query.rs` says.
//! - `fields`: the searched fields in query order, each `{name, boost,
//!   tokens}`: `boost` an f32, `tokens` how many tokens the field holds over
//!   all case studies (tantivy's `total_num_tokens`), from which the client
//!   computes the field's BM25 length factors (see Scoring).
//! - `term_dir`: the folder of the term shards, `terms-<hash>/`; shard `i`
//!   is `<term_dir><i>.json`.
//! - `shards`: a key per shard, front-coded as `{shared, rest}`. Terms are
//!   sorted by Unicode code point, and a term is in the last shard whose
//!   key is not greater than it (nowhere if it is below the first key). A
//!   key is the shortest prefix of the shard's first term that is greater
//!   than the term before it (the first shard's: the first character).
//!   `rest` is each key without the code points it shares with the key
//!   before it, separated by spaces (keys are letters and digits); `shared`
//!   has a base-64 digit per key (see below) giving how many it shares.
//! - `doc_dir`: the folder of display data, one file per case study,
//!   `<doc_dir><doc id>.json`; the folder is named by a hash of all of
//!   them, so a query fetches only its results' data and a changed site
//!   gets a new folder.
//! - `facets`: the file of each case study's filter values, needed only to
//!   filter or to count results by filter value.
//! - `filters`: `{themes, authorities, surveys, years}`, each a list of
//!   `{value, label, count}` (how many case studies have it); facet values
//!   below are positions in these lists.
//! - `words`: `{dir, lengths}`: the vocabulary's words (every word, as
//!   written and lowercased, that made a term), for typo correction, one
//!   file per length in characters: `<dir><length>.json` is `{"words":
//!   "w1 w2 ..."}` in code point order; `lengths` lists the files there
//!   are. A word of n characters needs the files of n - 2 to n + 2 at most.
//! - `glossary`: the glossary groups that can find something in the site,
//!   each a list of `[phrase, searched]`: the phrase as written (the
//!   client analyses it as it analyses text) and whether it is searched as
//!   an alternative, or only recognised in a query (see
//!   `src/search/lexicon.rs`).
//!
//! ## Term shards
//!
//! A shard is `{"terms": [entry, ...]}` sorted by term. An entry is `[term,
//! word, code, associates, field, idf, n, field, idf, n, ...]`: the
//! analysed (stemmed) term; the most frequent surface word with that stem
//! (for "did you mean"); the term's postings, coded as below; the terms
//! the site's text associates with it, best first, separated by spaces
//! (see `src/search/lexicon.rs`; empty for none); then, for each field
//! holding the term, in field order, three numbers: the field's position
//! in `fields`, the term's idf in that field as f32 bits (tantivy's `ln(1 +
//! (N - n + 0.5) / (n + 0.5))`, exported so the client need not compute a
//! logarithm), and `n`, how many case studies hold the term in that field.
//! A shard is closed once its entries pass a size that grows with the
//! square root of the whole index (see `shard_bytes`); an entry that would
//! take a shard past that size starts a new shard, so a frequent term's
//! entry is a shard of its own and a query for another term never
//! downloads it.
//!
//! ## The postings code
//!
//! `code` is a string of base-64 digits (`A`-`Z` are 0-25, `a`-`z` 26-51,
//! `0`-`9` 52-61, `-` 62, `_` 63), the output of an adaptive binary range
//! coder (LZMA's, with 6-bit digits). Digits past the end of the string
//! are 0. The decoder starts with `range = 2^30 - 1` and `code` the first
//! five digits, most significant first.
//!
//! - A bit with probability `p` (11 bits: the chance of a 0 in 2048ths,
//!   starting at 1024, adapting after each bit): `bound = (range >> 11) *
//!   p`; if `code < bound`, the bit is 0, `range = bound` and `p += (2048 -
//!   p) >> 4`; otherwise the bit is 1, `code -= bound`, `range -= bound`
//!   and `p -= p >> 4`. A direct bit has no probability: `range >>= 1`, and
//!   the bit is 1 (and `code -= range`) if `code >= range`. After either,
//!   while `range < 2^24`: `range <<= 6` and `code = code << 6 | the next
//!   digit`.
//! - A number (1 or more) is a length and bits. The length `k` is the count
//!   of 1 bits read before a 0 (at most 31), the i-th read with `len[i]`.
//!   The number starts as 1; its next `min(k, 4)` bits are read with
//!   `tree[k][node]`, `node` starting at 1 and becoming `2 * node + bit`;
//!   its remaining bits are direct bits, most significant first.
//! - A fieldnorm id is 8 bits, most significant first, read with
//!   `norm[node]`, `node` starting at 1 and becoming `2 * node + bit`.
//!
//! A term's code holds its postings field by field, in the entry's field
//! order, `n` postings each: a doc id gap (a number: the first posting's
//! doc id plus 1, then the difference from the previous doc id), the term
//! frequency (a number), the doc's fieldnorm id in that field. The gaps
//! and the term frequencies each have their own `len` and `tree`
//! probabilities for the whole term; each field has its own `norm`.
//!
//! ## Scoring
//!
//! tantivy's BM25, every operation in f32 (exact in JavaScript as a double
//! operation then `Math.fround`). For a field with `tokens` T over N case
//! studies, `average = T / max(N, 1)` (each converted to f32 first) and the
//! length factor of fieldnorm id `i` is `1.2 * (0.25 + 0.75 * length(i) /
//! average)`. `length(i)` is tantivy's `FieldNormReader::id_to_fieldnorm`:
//! `i` below 41, otherwise `24 + (9 + j % 8) * 2^(1 + j / 8)` with `j = i -
//! 41` (integer division). A term's weight in a field is `idf * (1 +
//! 1.2)`, times the field's boost times the clause's weight unless that
//! product is 1; a posting scores `weight * (tf / (tf + factor))`. How
//! clauses are made from a query, summed and coordinated is in
//! `src/search/plan.rs` and `src/search/query.rs`.
//!
//! ## Display data and facets
//!
//! A doc file is `{slug, title, authority, themes, summary, text}`: what a
//! result shows (`themes` are slugs); `text` is the start of the case
//! study's plain text, for snippets.
//!
//! The facets file is `{themes, authorities, surveys, years}`, each a
//! string of base-64 digits (as above) holding, for each case study in doc
//! id order, the same number of digits (the string's length over N), least
//! significant digit first: for `themes`, the set of its themes as a bit
//! mask of their positions in `filters.themes` (theme `t` is bit `t % 6` of
//! digit `t / 6`); for the others, its position in that filter list plus 1
//! (0 for none).
//!
//! ## Changes from version 2
//!
//! Any word of a query can match (`mode` was `"and"`); a theme field (the
//! labels and descriptions of a case study's themes) is searched; entries
//! carry associated terms; `words` and `glossary` are new.
//!
//! ## Changes from version 1
//!
//! Shards were `{first, last, file}` with hashed names, and are now keys
//! and positions in a hashed folder; each field's 256 length factors gave
//! way to its token count; postings were lists of numbers (gaps, term
//! frequencies, fieldnorm ids) and are now one range-coded string per
//! term; a frequent term's entry is a shard of its own; facets were a list
//! of `[themes, authority, survey, year]` and are now columns of digits;
//! doc files no longer carry `authority_slug`, `survey` and `year`, which
//! only the facets need.

use super::document::DocInfo;
use super::inverted::{idf, Inverted};
use super::lexicon::Lexicon;
use super::schema::SEARCHED;
use crate::hash::{content_hash, content_hash_of_parts};
use crate::model::SiteConfig;
use crate::output::OutputFile;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const FORMAT: u32 = 3;

/// The browser client, written beside the index it reads.
const CLIENT: &str = include_str!("client/practicebank-search.js");
/// Its stemmer, written as it is: its comments hold the licence of the
/// code it derives from.
const STEMMER: &str = include_str!("client/english-stemmer.js");
/// The bounds of a term shard's size in bytes (see [`shard_bytes`]).
const SHARD_BYTES: std::ops::RangeInclusive<usize> = 4 * 1024..=64 * 1024;
/// The digits of postings codes and facets.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The static index files.
pub fn export(inverted: &Inverted, lexicon: &Lexicon, config: &SiteConfig) -> Vec<OutputFile> {
    let total_docs = inverted.docs.len() as u32;
    let mut files = Vec::new();
    let fields_json: Vec<Value> = SEARCHED
        .iter()
        .zip(&inverted.fields)
        .map(|((name, boost), field)| json!({ "name": name, "boost": boost, "tokens": field.total_tokens }))
        .collect();

    // Written as JSON text directly: a `serde_json::Value` per entry costs
    // more than everything else in the export.
    let quoted = |text: &str| serde_json::to_string(text).expect("a string always serialises");
    let entries: Vec<String> = (0..inverted.terms.len() as u32)
        .into_par_iter()
        .map(|term| {
            let lists: Vec<FieldPostings> = inverted
                .fields
                .iter()
                .enumerate()
                .filter_map(|(position, field)| {
                    let (docs, frequencies) = field.postings(term);
                    let ids = docs.iter().map(|d| field.norm_ids[*d as usize]).collect();
                    (!docs.is_empty()).then_some((position, docs, frequencies, ids))
                })
                .collect();
            let code = postings_code(lists.iter().map(|(_, docs, tfs, ids)| (*docs, *tfs, ids.as_slice())));
            let name = &inverted.terms[term as usize];
            let associates = lexicon.associations.get(name).map_or_else(String::new, |a| a.join(" "));
            let mut entry = format!(
                "[{},{},\"{code}\",{}",
                quoted(name),
                quoted(&inverted.surface[term as usize]),
                quoted(&associates)
            );
            for (position, docs, _, _) in &lists {
                let idf = idf(docs.len() as u64, u64::from(total_docs));
                let _ = write!(entry, ",{position},{},{}", idf.to_bits(), docs.len());
            }
            entry.push(']');
            entry
        })
        .collect();

    // Cut into shards: an entry that would take a shard past the size
    // starts the next one, so a big entry is a shard of its own.
    let limit = shard_bytes(entries.iter().map(String::len).sum());
    let mut shards: Vec<String> = Vec::new();
    let mut keys = Keys::default();
    let mut current: Vec<String> = Vec::new();
    let mut current_bytes = 0;
    for (term, entry) in entries.into_iter().enumerate() {
        if !current.is_empty() && current_bytes + entry.len() > limit {
            shards.push(shard_text(&mut current));
            current_bytes = 0;
        }
        if current.is_empty() {
            let previous = term.checked_sub(1).map(|t| inverted.terms[t].as_str());
            keys.push(&shard_key(&inverted.terms[term], previous));
        }
        current_bytes += entry.len();
        current.push(entry);
        if current_bytes >= limit {
            shards.push(shard_text(&mut current));
            current_bytes = 0;
        }
    }
    if !current.is_empty() {
        shards.push(shard_text(&mut current));
    }
    let term_dir = format!("terms-{}/", &content_hash_of_parts(shards.iter().map(String::as_bytes))[..12]);
    for (i, text) in shards.into_iter().enumerate() {
        files.push(OutputFile::bytes(format!("search/{term_dir}{i}.json"), text));
    }

    let doc_bytes: Vec<Vec<u8>> = inverted
        .docs
        .par_iter()
        .map(|d| {
            json_bytes(&json!({
                "slug": d.slug, "title": d.title, "authority": d.authority,
                "themes": d.themes, "summary": d.summary, "text": d.text,
            }))
        })
        .collect();
    let doc_dir = format!("docs-{}/", &content_hash_of_parts(doc_bytes.iter().map(Vec::as_slice))[..12]);
    for (id, bytes) in doc_bytes.into_iter().enumerate() {
        files.push(OutputFile::bytes(format!("search/{doc_dir}{id}.json"), bytes));
    }

    // The vocabulary's words by length in characters, for typos: a word
    // of n characters is compared only with words of n - 2 to n + 2.
    let mut by_length: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for word in &lexicon.words {
        by_length.entry(word.chars().count()).or_default().push(word);
    }
    let word_files: Vec<(usize, String)> = by_length
        .iter()
        .map(|(length, words)| {
            (*length, format!("{}\n", crate::escape::json_inert(&json!({ "words": words.join(" ") }).to_string())))
        })
        .collect();
    let word_dir = format!("words-{}/", &content_hash_of_parts(word_files.iter().map(|(_, t)| t.as_bytes()))[..12]);
    let lengths: Vec<usize> = word_files.iter().map(|(l, _)| *l).collect();
    for (length, text) in word_files {
        files.push(OutputFile::bytes(format!("search/{word_dir}{length}.json"), text));
    }

    let filters = Filters::new(&inverted.docs, config);
    let facets = write_hashed(&mut files, "facets", &filters.facets(&inverted.docs));

    let manifest = json!({
        "format": FORMAT,
        "engine": { "tantivy": "0.27.0", "stemmer": "frostem 1.20260821.8", "snowball": "81dd074" },
        "docs": total_docs,
        "mode": "any",
        "fields": fields_json,
        "term_dir": term_dir,
        "shards": { "shared": keys.shared, "rest": keys.rest },
        "doc_dir": doc_dir,
        "facets": facets,
        "words": { "dir": word_dir, "lengths": lengths },
        "glossary": lexicon.glossary,
        "filters": filters.to_json(&inverted.docs),
    });
    files.push(OutputFile::bytes("search/index.json", json_bytes(&manifest)));
    files.push(OutputFile::bytes("search/practicebank-search.js", without_comments(CLIENT)));
    files.push(OutputFile::bytes("search/english-stemmer.js", STEMMER));
    files
}

/// The client as written to the site: its source without the lines that
/// are only comment (`//` lines, and `/* */` blocks that start and end
/// lines, which is how the client writes all its comments) or blank. The
/// source is the documentation; a cold search saves a third of the
/// client's compressed bytes.
fn without_comments(source: &str) -> String {
    let mut out = String::from(
        "// practicebank's search client, without its comments: see src/search/client/practicebank-search.js\n\
         // in practicebank for the documented source.\n",
    );
    let mut in_block = false;
    for line in source.lines() {
        let code = line.trim();
        if in_block || code.starts_with("/*") {
            in_block = !code.ends_with("*/");
        } else if !code.is_empty() && !code.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A term's postings in one field: the field's position, doc ids, term
/// frequencies and fieldnorm ids.
type FieldPostings<'a> = (usize, &'a [u32], &'a [u32], Vec<u8>);

/// The size past which a term shard is closed, for entries of `total`
/// bytes in all. Every query downloads the manifest, which lists a key per
/// shard, and the shards of its terms: more shards make the first bigger,
/// fewer the second. Measured on generated sites of 1,000 and 10,000 case
/// studies (bench/search-bytes.mjs), the sum for a one-word query drawn by
/// how often words occur is least at about `sqrt(6 * total)`: 4.5 kB and
/// 9 kB.
fn shard_bytes(total: usize) -> usize {
    ((6.0 * total as f64).sqrt() as usize).clamp(*SHARD_BYTES.start(), *SHARD_BYTES.end())
}

/// The shard keys, front-coded (see the module docs).
#[derive(Default)]
struct Keys {
    shared: String,
    rest: String,
    previous: String,
}

impl Keys {
    fn push(&mut self, key: &str) {
        let shared = key.chars().zip(self.previous.chars()).take_while(|(a, b)| a == b).count();
        self.shared.push(char::from(DIGITS[shared.min(63)]));
        if !self.rest.is_empty() {
            self.rest.push(' ');
        }
        self.rest.extend(key.chars().skip(shared.min(63)));
        self.previous = key.to_string();
    }
}

/// A shard's JSON text from its entries (which it takes).
fn shard_text(entries: &mut Vec<String>) -> String {
    let text = format!("{{\"terms\":[{}]}}", entries.join(","));
    entries.clear();
    let mut text = crate::escape::json_inert(&text);
    text.push('\n');
    text
}

/// The key of a shard starting at `first`: its shortest prefix greater
/// than the term before it (the first character when there is none).
fn shard_key(first: &str, previous: Option<&str>) -> String {
    let mut ends = first.char_indices().map(|(i, c)| i + c.len_utf8());
    match previous {
        None => first[..ends.next().unwrap_or(0)].to_string(),
        Some(previous) => ends.map(|end| &first[..end]).find(|prefix| *prefix > previous).unwrap_or(first).to_string(),
    }
}

/// The postings code of a term from its lists, one per field holding it,
/// in field order: doc ids (ascending), term frequencies and fieldnorm ids,
/// posting by posting (see the module docs).
fn postings_code<'a>(lists: impl IntoIterator<Item = (&'a [u32], &'a [u32], &'a [u8])>) -> String {
    let mut coder = RangeCoder::default();
    let mut gaps = NumberModel::default();
    let mut frequencies = NumberModel::default();
    for (docs, term_frequencies, norm_ids) in lists {
        let mut norms = [PROBABILITY_HALF; 256];
        let mut next = 0;
        for ((doc, frequency), id) in docs.iter().zip(term_frequencies).zip(norm_ids) {
            gaps.encode(&mut coder, doc + 1 - next);
            frequencies.encode(&mut coder, *frequency);
            let mut node = 1;
            for i in (0..8).rev() {
                let bit = (id >> i) & 1;
                coder.bit(&mut norms[node], bit == 1);
                node = 2 * node + usize::from(bit);
            }
            next = doc + 1;
        }
    }
    coder.finish()
}

/// Probabilities are of a 0 bit, in 2048ths.
const PROBABILITY_BITS: u32 = 11;
const PROBABILITY_HALF: u16 = 1 << (PROBABILITY_BITS - 1);
/// How fast a probability follows the bits it sees.
const ADAPT_SHIFT: u32 = 4;
/// Below this the range is widened by a digit.
const RANGE_TOP: u32 = 1 << 24;

/// LZMA's binary range coder, writing 6-bit digits. `low` holds 30 bits
/// and a carry; `cache` and `pending` hold the digits not yet certain (a
/// digit and a run of 63s that a carry would turn over).
struct RangeCoder {
    low: u64,
    range: u32,
    cache: u8,
    pending: u64,
    digits: Vec<u8>,
}

impl Default for RangeCoder {
    fn default() -> RangeCoder {
        RangeCoder { low: 0, range: (1 << 30) - 1, cache: 0, pending: 1, digits: Vec::new() }
    }
}

impl RangeCoder {
    fn bit(&mut self, probability: &mut u16, bit: bool) {
        let bound = (self.range >> PROBABILITY_BITS) * u32::from(*probability);
        if bit {
            self.low += u64::from(bound);
            self.range -= bound;
            *probability -= *probability >> ADAPT_SHIFT;
        } else {
            self.range = bound;
            *probability += ((1 << PROBABILITY_BITS) - *probability) >> ADAPT_SHIFT;
        }
        self.normalise();
    }

    fn direct(&mut self, bit: bool) {
        self.range >>= 1;
        if bit {
            self.low += u64::from(self.range);
        }
        self.normalise();
    }

    fn normalise(&mut self) {
        while self.range < RANGE_TOP {
            self.range <<= 6;
            self.shift_low();
        }
    }

    fn shift_low(&mut self) {
        if self.low < 63 << 24 || self.low >= 1 << 30 {
            let carry = (self.low >> 30) as u8;
            let mut digit = self.cache;
            loop {
                self.digits.push((digit + carry) & 63);
                digit = 63;
                self.pending -= 1;
                if self.pending == 0 {
                    break;
                }
            }
            self.cache = ((self.low >> 24) & 63) as u8;
        }
        self.pending += 1;
        self.low = (self.low & (RANGE_TOP as u64 - 1)) << 6;
    }

    /// The code: the value in the final range with the most trailing zero
    /// digits, which are left out, as is the first digit (always 0).
    fn finish(mut self) -> String {
        let mask = u64::from(RANGE_TOP) - 1;
        self.low = (self.low + mask) & !mask;
        self.shift_low();
        self.shift_low();
        debug_assert_eq!(self.digits[0], 0);
        let end = self.digits.iter().rposition(|d| *d != 0).map_or(1, |i| i + 1).max(1);
        self.digits[1..end].iter().map(|d| char::from(DIGITS[*d as usize])).collect()
    }
}

/// The probabilities of numbers of 1 or more: their length in bits, then
/// up to four bits after the leading 1 (see the module docs).
struct NumberModel {
    length: [u16; 32],
    tree: [[u16; 16]; 32],
}

impl Default for NumberModel {
    fn default() -> NumberModel {
        NumberModel { length: [PROBABILITY_HALF; 32], tree: [[PROBABILITY_HALF; 16]; 32] }
    }
}

impl NumberModel {
    fn encode(&mut self, coder: &mut RangeCoder, value: u32) {
        debug_assert!(value >= 1);
        let length = 31 - value.leading_zeros() as usize;
        for i in 0..length {
            coder.bit(&mut self.length[i], true);
        }
        if length < 31 {
            coder.bit(&mut self.length[length], false);
        }
        let modelled = length.min(4);
        let mut node = 1;
        for i in (length - modelled..length).rev() {
            let bit = (value >> i) & 1;
            coder.bit(&mut self.tree[length][node], bit == 1);
            node = 2 * node + bit as usize;
        }
        for i in (0..length - modelled).rev() {
            coder.direct((value >> i) & 1 == 1);
        }
    }
}

struct Filters {
    themes: Vec<(String, String)>,
    authorities: Vec<(String, String)>,
    surveys: Vec<(String, String)>,
    years: Vec<u16>,
}

impl Filters {
    fn new(docs: &[DocInfo], config: &SiteConfig) -> Filters {
        let themes = config.themes.values().map(|t| (t.slug.clone(), t.label.clone())).collect();
        let surveys = config.surveys.values().map(|s| (s.slug.clone(), s.label.clone())).collect();
        let mut authorities: BTreeMap<String, String> = BTreeMap::new();
        for doc in docs {
            authorities.entry(doc.authority_slug.clone()).or_insert_with(|| doc.authority.clone());
        }
        let mut years: Vec<u16> = docs.iter().map(|d| d.year).collect();
        years.sort_unstable();
        years.dedup();
        years.reverse();
        Filters { themes, authorities: authorities.into_iter().collect(), surveys, years }
    }

    /// The facets file: a column of digits per filter (see the module docs).
    fn facets(&self, docs: &[DocInfo]) -> Value {
        let position = |list: &[(String, String)], value: &str| list.iter().position(|(v, _)| v == value);
        let mut themes = Column { width: self.themes.len().div_ceil(6).max(1), text: String::new() };
        let mut authorities = Column::new(self.authorities.len() + 1);
        let mut surveys = Column::new(self.surveys.len() + 1);
        let mut years = Column::new(self.years.len() + 1);
        for doc in docs {
            let mut mask = vec![0u8; themes.width];
            for theme in doc.themes.iter().filter_map(|t| position(&self.themes, t)) {
                mask[theme / 6] |= 1 << (theme % 6);
            }
            themes.text.extend(mask.iter().map(|d| char::from(DIGITS[*d as usize])));
            authorities.push(position(&self.authorities, &doc.authority_slug).map_or(0, |i| i + 1));
            surveys.push(doc.survey.as_deref().and_then(|s| position(&self.surveys, s)).map_or(0, |i| i + 1));
            years.push(self.years.iter().position(|y| *y == doc.year).map_or(0, |i| i + 1));
        }
        json!({ "themes": themes.text, "authorities": authorities.text, "surveys": surveys.text, "years": years.text })
    }

    /// The filter lists with how many case studies have each value.
    fn to_json(&self, docs: &[DocInfo]) -> Value {
        let list = |values: &[(String, String)], count: &dyn Fn(&str) -> usize| -> Vec<Value> {
            values.iter().map(|(v, l)| json!({ "value": v, "label": l, "count": count(v) })).collect()
        };
        let years: Vec<(String, String)> = self.years.iter().map(|y| (y.to_string(), y.to_string())).collect();
        json!({
            "themes": list(&self.themes, &|v| docs.iter().filter(|d| d.themes.iter().any(|t| t == v)).count()),
            "authorities": list(&self.authorities, &|v| docs.iter().filter(|d| d.authority_slug == v).count()),
            "surveys": list(&self.surveys, &|v| docs.iter().filter(|d| d.survey.as_deref() == Some(v)).count()),
            "years": list(&years, &|v| docs.iter().filter(|d| d.year.to_string() == v).count()),
        })
    }
}

/// A facets column: each doc's value in `width` digits.
struct Column {
    width: usize,
    text: String,
}

impl Column {
    /// A column for values below `bound`.
    fn new(bound: usize) -> Column {
        let mut width = 1;
        while 64usize.pow(width as u32) < bound {
            width += 1;
        }
        Column { width, text: String::new() }
    }

    fn push(&mut self, mut value: usize) {
        for _ in 0..self.width {
            self.text.push(char::from(DIGITS[value % 64]));
            value /= 64;
        }
    }
}

/// Writes `value` as `search/<kind>-<hash>.json`; returns the file name.
fn write_hashed(files: &mut Vec<OutputFile>, kind: &str, value: &Value) -> String {
    let bytes = json_bytes(value);
    let name = format!("{kind}-{}.json", &content_hash(&bytes)[..12]);
    files.push(OutputFile::bytes(format!("search/{name}"), bytes));
    name
}

fn json_bytes(value: &Value) -> Vec<u8> {
    let mut text = crate::escape::json_inert(&value.to_string());
    text.push('\n');
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by these tests, read by tests/js/export.test.mjs: what the
    /// client must decode and compute exactly as the export means it.
    const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/export-golden.json");

    type Lists = Vec<(Vec<u32>, Vec<u32>, Vec<u8>)>;

    /// Postings to code: the smallest, the extremes, lists like real ones
    /// (sparse, dense, one posting), and noise that makes the coder carry.
    fn cases() -> Vec<Lists> {
        let mut state: u64 = 7;
        let mut random = move |below: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        let mut realistic = Lists::new();
        let sparse: Vec<u32> = (0..50).map(|i| i * 200 + random(200) as u32).collect();
        let tfs = sparse.iter().map(|_| 1 + random(3) as u32).collect();
        let ids = sparse.iter().map(|_| 5 + random(8) as u8).collect();
        realistic.push((sparse, tfs, ids));
        let dense: Vec<u32> = (0..2600).filter(|_| random(100) < 77).collect();
        let tfs = dense.iter().map(|_| 1 + (random(8) * random(8) / 8) as u32).collect();
        let ids = dense.iter().map(|_| 66 + random(9) as u8).collect();
        realistic.push((dense, tfs, ids));
        realistic.push((vec![1234], vec![2], vec![40]));
        let mut noise = (Vec::new(), Vec::new(), Vec::new());
        let mut doc = 0u32;
        for _ in 0..1000 {
            doc += 1 + random(1 << 20) as u32;
            noise.0.push(doc);
            noise.1.push(1 + random(1 << 16) as u32);
            noise.2.push(random(256) as u8);
        }
        vec![
            Lists::new(),
            vec![(vec![0], vec![1], vec![0])],
            vec![(vec![0, 1, u32::MAX - 1], vec![u32::MAX, 1, 1 << 31], vec![255, 0, 128])],
            realistic,
            vec![noise],
        ]
    }

    /// tantivy's length factor (its `cached_tf_component`), as f32 bits.
    fn factor(length: u32, tokens: u64, docs: u32) -> u32 {
        let average = tokens as f32 / docs.max(1) as f32;
        (1.2f32 * (1.0 - 0.75 + 0.75 * length as f32 / average)).to_bits()
    }

    fn golden() -> Value {
        let fieldnorms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
        let factors: Vec<Value> =
            [(65_026u64, 10_000u32), (2_555_442, 10_000), (1_234, 1), (7, 0), (u64::from(u32::MAX) * 3, 77)]
                .iter()
                .map(|&(tokens, docs)| {
                    let bits: Vec<u32> = fieldnorms.iter().map(|length| factor(*length, tokens, docs)).collect();
                    json!({ "tokens": tokens, "docs": docs, "bits": bits })
                })
                .collect();
        let codes: Vec<Value> = cases()
            .iter()
            .map(|lists| {
                let code = postings_code(lists.iter().map(|(d, t, i)| (d.as_slice(), t.as_slice(), i.as_slice())));
                json!({ "code": code, "lists": lists })
            })
            .collect();
        json!({ "fieldnorms": fieldnorms, "factors": factors, "codes": codes })
    }

    #[test]
    fn the_client_tests_golden_file_is_current() {
        let expected = golden();
        if std::env::var_os("PRACTICEBANK_WRITE_GOLDEN").is_some() {
            std::fs::write(GOLDEN, format!("{expected}\n")).unwrap();
        }
        let found: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
        assert!(
            found == expected,
            "tests/js/export-golden.json is not what the export writes: if the format changed on purpose, \
             rewrite it with `PRACTICEBANK_WRITE_GOLDEN=1 cargo test --lib search::export` and run `node --test tests/js/`"
        );
    }

    #[test]
    fn the_client_loses_only_whole_comment_lines() {
        let shipped = without_comments(CLIENT);
        assert!(shipped.len() < CLIENT.len() * 4 / 5);
        // Every line of the source is shipped, or is a comment or blank.
        let mut kept = shipped.lines().skip(2).peekable();
        let mut in_block = false;
        for line in CLIENT.lines() {
            if kept.peek() == Some(&line) {
                kept.next();
                continue;
            }
            let code = line.trim();
            assert!(in_block || code.is_empty() || code.starts_with("//") || code.starts_with("/*"), "{line}");
            if code.starts_with("/*") {
                in_block = true;
            }
            // A block never ends with code after it on the same line.
            if in_block && code.contains("*/") {
                assert!(code.ends_with("*/"), "code after a comment block: {line}");
                in_block = false;
            }
        }
        assert_eq!(kept.next(), None);
        assert!(!shipped.lines().skip(2).any(|l| l.trim().starts_with("//") || l.trim().starts_with("/*")));
    }

    #[test]
    fn a_shard_key_is_the_shortest_prefix_past_the_term_before() {
        assert_eq!(shard_key("housing", None), "h");
        assert_eq!(shard_key("housing", Some("hous")), "housi");
        assert_eq!(shard_key("hout", Some("housing")), "hout");
        assert_eq!(shard_key("b", Some("azzz")), "b");
        // Code point order: é is above every ASCII letter.
        assert_eq!(shard_key("été", Some("étude")), "été");
        assert_eq!(shard_key("éa", Some("zz")), "é");
    }

    #[test]
    fn keys_are_front_coded() {
        let mut keys = Keys::default();
        for key in ["a", "ab", "abd", "b", "été", "étu"] {
            keys.push(key);
        }
        assert_eq!(keys.shared, "ABCAAC");
        assert_eq!(keys.rest, "a b d b été u");
    }

    #[test]
    fn shards_grow_with_the_square_root_of_the_index() {
        assert_eq!(shard_bytes(1000), 4096);
        assert_eq!(shard_bytes(13_850_000), 9115);
        assert_eq!(shard_bytes(1 << 40), 65536);
    }
}
