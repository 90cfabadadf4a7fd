//! The inverted index that the static export and related case studies are
//! made from, built in memory in one pass over the text.
//!
//! It holds what tantivy's one segment holds for the same case studies
//! (terms in byte order; for each searched field, each term's doc ids and
//! term frequencies, every doc's fieldnorm id, and the field's token
//! count), and is made with tantivy's own tokenizer, filters and fieldnorm
//! code, so the export scores like tantivy to the bit; the tests compare it
//! with a tantivy index of the same site, posting by posting. Building it
//! costs a fraction of a tantivy index (no segment files, no serialising)
//! and runs on every core: case studies are analysed in chunks, each with
//! its own vocabulary, so a word is lowercased and stemmed once per chunk
//! rather than at every occurrence, then the chunks are merged in doc order.

use super::index::{doc_info, plain_fields, DocInfo};
use super::schema::{self, SEARCHED};
use crate::model::CaseStudy;
use rayon::prelude::*;
use std::collections::HashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, TokenStream, Tokenizer};

/// Case studies per unit of parallel work: large enough that a chunk's
/// vocabulary saves most stemming, small enough to share among cores.
const CHUNK: usize = 256;

/// The index of why, what and impact in [`SEARCHED`]: the fields that
/// describe a case study for related ones.
pub const DESCRIBING: [usize; 3] = [2, 3, 4];

/// The searched text of the published case studies, inverted.
pub struct Inverted {
    /// Every term of any searched field, in byte order; a term id is an
    /// index into this list.
    pub terms: Vec<String>,
    /// For each term, the lowercased word it most often came from (ties:
    /// the first in code point order).
    pub surface: Vec<String>,
    /// One per searched field, in [`SEARCHED`] order.
    pub fields: Vec<FieldIndex>,
    /// For each doc, the terms of its why, what and impact with their
    /// summed frequencies, by term id.
    pub described: Vec<Vec<(u32, u32)>>,
    /// Display data, by doc id.
    pub docs: Vec<DocInfo>,
}

/// One searched field's postings and lengths.
pub struct FieldIndex {
    /// Tokens in the field over all docs (tantivy's `total_num_tokens`).
    pub total_tokens: u64,
    /// Each doc's fieldnorm id, by doc id.
    pub norm_ids: Vec<u8>,
    /// The postings of term `t` are `starts[t]..starts[t + 1]` of `doc_ids`
    /// and `term_freqs`.
    starts: Vec<u32>,
    doc_ids: Vec<u32>,
    term_freqs: Vec<u32>,
}

impl FieldIndex {
    /// The doc ids holding `term` in this field, ascending, and how often.
    pub fn postings(&self, term: u32) -> (&[u32], &[u32]) {
        let range = self.starts[term as usize] as usize..self.starts[term as usize + 1] as usize;
        (&self.doc_ids[range.clone()], &self.term_freqs[range])
    }

    pub fn doc_freq(&self, term: u32) -> u32 {
        self.starts[term as usize + 1] - self.starts[term as usize]
    }

    /// The average field length BM25 uses: unquantised tokens per doc.
    pub fn average_length(&self) -> f32 {
        self.total_tokens as f32 / self.norm_ids.len().max(1) as f32
    }
}

impl Inverted {
    /// Analyses and inverts `case_studies`; doc ids follow their order.
    pub fn build(case_studies: &[&CaseStudy]) -> Inverted {
        let chunks: Vec<Chunk> =
            case_studies.par_chunks(CHUNK).map_init(Analysis::new, |analysis, chunk| analysis.chunk(chunk)).collect();
        merge(chunks, case_studies.len())
    }

    /// A term's id, if any field holds it.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok().map(|i| i as u32)
    }
}

/// Turns text into term ids of one chunk's vocabulary, remembering what
/// each distinct token became.
struct Analysis {
    tokenizer: SimpleTokenizer,
    /// tantivy's filters after the tokenizer, applied to one token at a time.
    filters: TextAnalyzer,
}

/// One chunk of case studies, analysed, with term ids local to it.
struct Chunk {
    /// Local term id to term.
    terms: Vec<String>,
    /// Every distinct token seen (as written), its term and how often.
    tokens: Vec<(String, u32, u32)>,
    /// Per field: `(local term, doc, term frequency)`, in doc order.
    postings: Vec<Vec<(u32, u32, u32)>>,
    /// Per field, each doc's token count.
    lengths: Vec<Vec<u32>>,
    described: Vec<Vec<(u32, u32)>>,
    docs: Vec<DocInfo>,
}

impl Analysis {
    fn new() -> Analysis {
        Analysis { tokenizer: SimpleTokenizer::default(), filters: schema::token_filters() }
    }

    fn chunk(&mut self, case_studies: &[&CaseStudy]) -> Chunk {
        let mut vocabulary: HashMap<String, usize> = HashMap::new();
        let mut tokens: Vec<(String, Option<u32>, u32)> = Vec::new();
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut terms: Vec<String> = Vec::new();
        let mut chunk = Chunk {
            terms: Vec::new(),
            tokens: Vec::new(),
            postings: vec![Vec::new(); SEARCHED.len()],
            lengths: vec![Vec::with_capacity(case_studies.len()); SEARCHED.len()],
            described: Vec::with_capacity(case_studies.len()),
            docs: Vec::with_capacity(case_studies.len()),
        };
        // Term frequencies of the current field, by local term id, with the
        // ids touched so clearing costs only what was used.
        let mut counts: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let mut described: HashMap<u32, u32> = HashMap::new();
        for (doc, case_study) in case_studies.iter().enumerate() {
            let plain = plain_fields(case_study);
            for (field, text) in plain.iter().enumerate() {
                let mut length = 0;
                let mut stream = self.tokenizer.token_stream(text);
                let filters = &mut self.filters;
                while stream.advance() {
                    let raw = stream.token().text.as_str();
                    let slot = match vocabulary.get(raw) {
                        Some(slot) => *slot,
                        None => {
                            let term = filter(filters, raw).map(|term| {
                                let next = terms.len() as u32;
                                *term_ids.entry(term).or_insert_with_key(|term| {
                                    terms.push(term.clone());
                                    next
                                })
                            });
                            tokens.push((raw.to_string(), term, 0));
                            vocabulary.insert(raw.to_string(), tokens.len() - 1);
                            tokens.len() - 1
                        }
                    };
                    tokens[slot].2 += 1;
                    let Some(term) = tokens[slot].1 else { continue };
                    length += 1;
                    if counts.len() <= term as usize {
                        counts.resize(terms.len(), 0);
                    }
                    if counts[term as usize] == 0 {
                        touched.push(term);
                    }
                    counts[term as usize] += 1;
                }
                chunk.lengths[field].push(length);
                for term in touched.drain(..) {
                    let frequency = std::mem::take(&mut counts[term as usize]);
                    chunk.postings[field].push((term, doc as u32, frequency));
                    if DESCRIBING.contains(&field) {
                        *described.entry(term).or_default() += frequency;
                    }
                }
            }
            let mut terms_of_doc: Vec<(u32, u32)> = described.drain().collect();
            terms_of_doc.sort_unstable();
            chunk.described.push(terms_of_doc);
            chunk.docs.push(doc_info(case_study, &plain));
        }
        chunk.terms = terms;
        chunk.tokens = tokens.into_iter().filter_map(|(raw, term, count)| Some((raw, term?, count))).collect();
        chunk
    }
}

/// What tantivy's filters make of one token: `None` when it is dropped.
fn filter(filters: &mut TextAnalyzer, raw: &str) -> Option<String> {
    let mut stream = filters.token_stream(raw);
    let term = stream.next().map(|t| t.text.clone());
    debug_assert!(stream.next().is_none(), "the filters never split a token");
    term
}

/// Joins the chunks in doc order under one vocabulary in byte order.
fn merge(chunks: Vec<Chunk>, doc_count: usize) -> Inverted {
    // Terms get provisional ids in order of first sight, then are sorted.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut terms: Vec<String> = Vec::new();
    let mut postings: Vec<Vec<Vec<(u32, u32)>>> = vec![Vec::new(); SEARCHED.len()];
    let mut surface_counts: Vec<HashMap<String, u32>> = Vec::new();
    let mut lengths: Vec<Vec<u32>> = vec![Vec::with_capacity(doc_count); SEARCHED.len()];
    let mut described = Vec::with_capacity(doc_count);
    let mut docs = Vec::with_capacity(doc_count);
    let mut first_doc = 0u32;
    for chunk in chunks {
        let global: Vec<u32> = chunk
            .terms
            .into_iter()
            .map(|term| {
                let next = terms.len() as u32;
                *ids.entry(term).or_insert_with_key(|term| {
                    terms.push(term.clone());
                    next
                })
            })
            .collect();
        surface_counts.resize_with(terms.len(), HashMap::new);
        for field in &mut postings {
            field.resize_with(terms.len(), Vec::new);
        }
        for (raw, term, count) in chunk.tokens {
            let lower: String = raw.chars().flat_map(char::to_lowercase).collect();
            *surface_counts[global[term as usize] as usize].entry(lower).or_default() += count;
        }
        for (field, entries) in chunk.postings.into_iter().enumerate() {
            for (term, doc, frequency) in entries {
                postings[field][global[term as usize] as usize].push((first_doc + doc, frequency));
            }
        }
        for (field, field_lengths) in chunk.lengths.into_iter().enumerate() {
            lengths[field].extend(field_lengths);
        }
        described.extend(chunk.described.into_iter().map(|terms_of_doc| {
            terms_of_doc.into_iter().map(|(term, frequency)| (global[term as usize], frequency)).collect()
        }));
        first_doc += chunk.docs.len() as u32;
        docs.extend(chunk.docs);
    }

    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|a, b| terms[*a as usize].cmp(&terms[*b as usize]));
    let mut sorted_id = vec![0u32; terms.len()];
    for (sorted, provisional) in order.iter().enumerate() {
        sorted_id[*provisional as usize] = sorted as u32;
    }
    let fields = postings
        .into_iter()
        .zip(lengths)
        .map(|(mut by_term, field_lengths)| {
            let mut field = FieldIndex {
                total_tokens: field_lengths.iter().map(|l| u64::from(*l)).sum(),
                norm_ids: field_lengths.iter().map(|l| FieldNormReader::fieldnorm_to_id(*l)).collect(),
                starts: Vec::with_capacity(terms.len() + 1),
                doc_ids: Vec::new(),
                term_freqs: Vec::new(),
            };
            field.starts.push(0);
            for provisional in &order {
                for (doc, frequency) in std::mem::take(&mut by_term[*provisional as usize]) {
                    field.doc_ids.push(doc);
                    field.term_freqs.push(frequency);
                }
                field.starts.push(field.doc_ids.len() as u32);
            }
            field
        })
        .collect();
    let surface = order
        .iter()
        .map(|provisional| {
            let words = &surface_counts[*provisional as usize];
            let best = words.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
            best.map_or_else(|| terms[*provisional as usize].clone(), |(word, _)| word.clone())
        })
        .collect();
    let described = described
        .into_iter()
        .map(|terms_of_doc: Vec<(u32, u32)>| {
            let mut sorted: Vec<(u32, u32)> =
                terms_of_doc.into_iter().map(|(term, frequency)| (sorted_id[term as usize], frequency)).collect();
            sorted.sort_unstable();
            sorted
        })
        .collect();
    let mut terms_sorted: Vec<String> = Vec::with_capacity(terms.len());
    let mut terms = terms.into_iter().map(Some).collect::<Vec<_>>();
    for provisional in &order {
        terms_sorted.push(terms[*provisional as usize].take().expect("each term is taken once"));
    }
    Inverted { terms: terms_sorted, surface, fields, described, docs }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunked, remembered analysis must give exactly the tokens of the
    /// analyzer tantivy indexes with.
    #[test]
    fn filtering_token_by_token_equals_the_analyzer() {
        let text = "Care-leavers' HOUSING housed İstanbul Straße ΟΔΟΣ naïve 東京 don't \
                    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \
                    éééééééééééééééééééé ééééééééééééééééééé universities organisation_2021 Σίσυφος";
        let mut expected = Vec::new();
        let mut analyzer = schema::analyzer();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            expected.push(token.text.clone());
        }
        let mut analysis = Analysis::new();
        let mut ours = Vec::new();
        let mut tokens = analysis.tokenizer.clone();
        let mut stream = tokens.token_stream(text);
        while stream.advance() {
            let raw = stream.token().text.clone();
            ours.extend(filter(&mut analysis.filters, &raw));
        }
        assert_eq!(ours, expected);
    }
}
