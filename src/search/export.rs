//! The static search index: the tantivy index written out as files under
//! `search/` that a browser client can search with no server.
//!
//! # Format, version 1
//!
//! All files are JSON. Every file but the manifest is named by a hash of its
//! content, so browsers may cache it forever and two builds of the same
//! site write the same bytes.
//!
//! `search/index.json`, the manifest, read first:
//! - `format`: 1. A client refuses other versions.
//! - `engine`: the tantivy version, the stemmer crate and Snowball commit
//!   the stems come from (the client's stemmer must match them).
//! - `docs`: N, the number of indexed case studies; doc ids are `0..N` in
//!   slug order.
//! - `mode`: `"and"`: a case study must match every query word.
//! - `fields`: the searched fields in query order: `name`, `boost` (f32),
//!   `norms`: the 256 BM25 length factors `K1 * (1 - B + B * len / avgdl)`
//!   for each fieldnorm id, as f32 bit patterns (unsigned integers),
//!   computed as tantivy computes them.
//! - `shards`: `[{first, last, file}]`: the term dictionary cut into ranges
//!   of terms, in Unicode code point order; a term is in the shard whose
//!   range holds it.
//! - `doc_dir`: the folder of display data, one file per case study,
//!   `<doc_dir><doc id>.json`; the folder is named by a hash of all of
//!   them, so a query fetches only its results' data and a changed site
//!   gets a new folder.
//! - `facets`: the file of each case study's filter values.
//! - `filters`: `{themes, authorities, surveys, years}`, each a list of
//!   `{value, label, count}` (how many case studies have it); facet values
//!   below index into these lists.
//!
//! A term shard is `{"terms": [[term, word, fields], ...]}` sorted by term,
//! where `term` is the analysed (stemmed) term, `word` the most frequent
//! surface word with that stem (for "did you mean"), and `fields` a list of
//! `[field, idf, docs, tfs, norms]`: the field's index in `fields`, the
//! term's idf in that field as f32 bits (tantivy's `ln(1 + (N - n + 0.5) /
//! (n + 0.5))`, exported so the client need not compute a logarithm), the
//! doc ids holding it as gaps (first id, then differences), their term
//! frequencies, and their fieldnorm ids.
//!
//! A doc file is `{slug, title, authority, themes, survey, year, summary,
//! text}`; `text` is the start of the case study's plain text, for
//! snippets. The facets file is `{"docs": [[themes, authority, survey,
//! year], ...]}` by doc id: `themes` a list of indexes into
//! `filters.themes`, the others one index each (`-1` for no survey).

use super::index::DocInfo;
use super::inverted::Inverted;
use super::schema::SEARCHED;
use crate::hash::content_hash;
use crate::model::SiteConfig;
use crate::output::OutputFile;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const FORMAT: u32 = 1;

/// The browser client, written beside the index it reads.
const CLIENT: [(&str, &str); 2] = [
    ("search/practicebank-search.js", include_str!("client/practicebank-search.js")),
    ("search/english-stemmer.js", include_str!("client/english-stemmer.js")),
];
/// A term shard is closed once its JSON passes this many bytes.
const SHARD_BYTES: usize = 24 * 1024;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The static index files.
pub fn export(inverted: &Inverted, config: &SiteConfig) -> Vec<OutputFile> {
    let total_docs = inverted.docs.len() as u32;
    let mut files = Vec::new();
    let fields_json: Vec<Value> = SEARCHED
        .iter()
        .zip(&inverted.fields)
        .map(|((name, boost), field)| {
            let average = field.average_length();
            let factors: Vec<u32> = (0..=255u8)
                .map(|id| {
                    let length = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id) as f32;
                    (K1 * (1.0 - B + B * length / average)).to_bits()
                })
                .collect();
            json!({ "name": name, "boost": boost, "norms": factors })
        })
        .collect();

    // Written as JSON text directly: a `serde_json::Value` per posting
    // list costs more than everything else in the export.
    let quoted = |text: &str| serde_json::to_string(text).expect("a string always serialises");
    let entries: Vec<String> = (0..inverted.terms.len() as u32)
        .into_par_iter()
        .map(|term| {
            let mut entry =
                format!("[{},{},[", quoted(&inverted.terms[term as usize]), quoted(&inverted.surface[term as usize]));
            let mut first_field = true;
            for (field_index, field) in inverted.fields.iter().enumerate() {
                let (docs, frequencies) = field.postings(term);
                if docs.is_empty() {
                    continue;
                }
                let idf = idf(docs.len() as u64, u64::from(total_docs));
                let (mut gaps, mut tfs, mut ids) = (String::new(), String::new(), String::new());
                let mut previous = 0;
                for (doc, frequency) in docs.iter().zip(frequencies) {
                    let comma = if gaps.is_empty() { "" } else { "," };
                    let _ = write!(gaps, "{comma}{}", doc - previous);
                    let _ = write!(tfs, "{comma}{frequency}");
                    let _ = write!(ids, "{comma}{}", field.norm_ids[*doc as usize]);
                    previous = *doc;
                }
                let comma = if first_field { "" } else { "," };
                first_field = false;
                let _ = write!(entry, "{comma}[{field_index},{},[{gaps}],[{tfs}],[{ids}]]", idf.to_bits());
            }
            entry.push_str("]]");
            entry
        })
        .collect();

    let mut shards = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut current_bytes = 0;
    let mut first = 0;
    for (term, entry) in entries.into_iter().enumerate() {
        if current.is_empty() {
            first = term;
        }
        current_bytes += entry.len();
        current.push(entry);
        if current_bytes >= SHARD_BYTES {
            shards.push(shard_file(&mut files, &current, &inverted.terms[first], &inverted.terms[term]));
            current = Vec::new();
            current_bytes = 0;
        }
    }
    if !current.is_empty() {
        shards.push(shard_file(
            &mut files,
            &current,
            &inverted.terms[first],
            &inverted.terms[inverted.terms.len() - 1],
        ));
    }

    let doc_bytes: Vec<Vec<u8>> =
        inverted.docs.par_iter().map(|d| json_bytes(&serde_json::to_value(d).expect("plain data"))).collect();
    let doc_dir = format!("docs-{}/", &content_hash(&doc_bytes.concat())[..12]);
    for (id, bytes) in doc_bytes.into_iter().enumerate() {
        files.push(OutputFile::bytes(format!("search/{doc_dir}{id}.json"), bytes));
    }

    let filters = Filters::new(&inverted.docs, config);
    let facet_docs: Vec<Value> = inverted.docs.iter().map(|d| filters.facets_of(d)).collect();
    let facets = write_hashed(&mut files, "facets", &json!({ "docs": facet_docs }));

    let manifest = json!({
        "format": FORMAT,
        "engine": { "tantivy": "0.27.0", "stemmer": "frostem 1.20260821.8", "snowball": "81dd074" },
        "docs": total_docs,
        "mode": "and",
        "fields": fields_json,
        "shards": shards,
        "doc_dir": doc_dir,
        "facets": facets,
        "filters": filters.to_json(&inverted.docs),
    });
    files.push(OutputFile::bytes("search/index.json", json_bytes(&manifest)));
    files.extend(CLIENT.iter().map(|(path, text)| OutputFile::bytes(*path, *text)));
    files
}

/// tantivy's idf, computed the same way in the same process (so with the
/// same `ln`), which matters to the last bit.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
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

    fn facets_of(&self, doc: &DocInfo) -> Value {
        let position =
            |list: &[(String, String)], value: &str| list.iter().position(|(v, _)| v == value).map_or(-1, |i| i as i64);
        let themes: Vec<i64> = doc.themes.iter().map(|t| position(&self.themes, t)).collect();
        let authority = position(&self.authorities, &doc.authority_slug);
        let survey = doc.survey.as_deref().map_or(-1, |s| position(&self.surveys, s));
        let year = self.years.iter().position(|y| *y == doc.year).map_or(-1, |i| i as i64);
        json!([themes, authority, survey, year])
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

#[derive(Serialize)]
struct Shard {
    first: String,
    last: String,
    file: String,
}

/// A term shard from its entries, already JSON text.
fn shard_file(files: &mut Vec<OutputFile>, entries: &[String], first: &str, last: &str) -> Shard {
    let text = format!("{{\"terms\":[{}]}}", entries.join(","));
    Shard { first: first.to_string(), last: last.to_string(), file: write_hashed_text(files, "terms", &text) }
}

/// Writes `value` as `search/<kind>-<hash>.json`; returns the file name.
fn write_hashed(files: &mut Vec<OutputFile>, kind: &str, value: &Value) -> String {
    write_hashed_text(files, kind, &value.to_string())
}

/// Writes JSON text as `search/<kind>-<hash>.json`; returns the file name.
fn write_hashed_text(files: &mut Vec<OutputFile>, kind: &str, json: &str) -> String {
    let mut text = crate::escape::json_inert(json);
    text.push('\n');
    let bytes = text.into_bytes();
    let name = format!("{kind}-{}.json", &content_hash(&bytes)[..12]);
    files.push(OutputFile::bytes(format!("search/{name}"), bytes));
    name
}

fn json_bytes(value: &Value) -> Vec<u8> {
    let mut text = crate::escape::json_inert(&value.to_string());
    text.push('\n');
    text.into_bytes()
}
