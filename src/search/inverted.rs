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
//! and runs on every core: each distinct token is filtered and stemmed once
//! for the whole site (not at every occurrence), then case studies are
//! analysed in chunks in parallel and the chunks merged in doc order.

use super::document::{doc_info, plain_fields, DocInfo};
use super::schema::{self, FIELDS, SEARCHED};
use crate::model::{CaseStudy, SiteConfig};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, TokenStream, Tokenizer};

/// Case studies per unit of parallel work.
const CHUNK: usize = 256;
/// Case studies analysed together: their plain text is in memory at once.
const BATCH: usize = 1024;

/// A term must occur this often in a case study's why, what and impact to
/// describe it (for related case studies and associations).
pub const MIN_TERM_FREQUENCY: u32 = 2;

/// tantivy's idf, computed the same way in the same process (so with the
/// same `ln`), which matters to the last bit.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let x = ((doc_count - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

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
    /// Every word (lowercased as written) that made a term, in code point
    /// order: what typos are corrected to.
    pub words: Vec<String>,
    /// One per searched field, in [`SEARCHED`] order.
    pub fields: Vec<FieldIndex>,
    /// For each doc, the terms of its why, what and impact with their
    /// summed frequencies, by term id: those frequent enough to describe
    /// it for related case studies.
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
    pub fn build(case_studies: &[&CaseStudy], config: &SiteConfig) -> Inverted {
        let mut vocabulary = Vocabulary::default();
        let mut merged = Merged::default();
        // A batch at a time, so the plain text and analysed chunks of only
        // one batch are in memory at once.
        for batch in case_studies.chunks(BATCH) {
            let plain: Vec<[String; FIELDS]> = batch.par_iter().map(|c| plain_fields(c, config)).collect();
            let tokenised: Vec<Tokenised> =
                plain.par_chunks(CHUNK).map_init(SimpleTokenizer::default, |t, docs| tokenise(t, docs)).collect();
            let token_ids = vocabulary.learn(&tokenised);
            let chunks: Vec<Chunk> = tokenised
                .par_iter()
                .zip(token_ids)
                .zip(plain.par_chunks(CHUNK).zip(batch.par_chunks(CHUNK)))
                .map(|((tokenised, token_ids), (plain, docs))| analyse(&vocabulary, tokenised, &token_ids, plain, docs))
                .collect();
            for chunk in chunks {
                merged.add(chunk, &mut vocabulary);
            }
        }
        merged.finish(vocabulary)
    }

    /// A term's id, if any field holds it.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok().map(|i| i as u32)
    }
}

/// One chunk of case studies tokenised once: each distinct token (as
/// written) once, and every field's tokens as indexes into that list, so
/// the vocabulary is asked about each distinct token once per chunk rather
/// than at every occurrence.
struct Tokenised<'a> {
    /// The chunk's distinct tokens, in order of first sight.
    distinct: Vec<&'a str>,
    /// The fields of every doc, one after another, as indexes into
    /// `distinct`.
    tokens: Vec<u32>,
    /// Where each field's tokens end in `tokens`, doc by doc.
    ends: Vec<usize>,
}

impl Tokenised<'_> {
    /// The tokens of `field` of the chunk's `doc`.
    fn field(&self, doc: usize, field: usize) -> &[u32] {
        let at = doc * SEARCHED.len() + field;
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        &self.tokens[start..self.ends[at]]
    }
}

fn tokenise<'a>(tokenizer: &mut SimpleTokenizer, docs: &'a [[String; FIELDS]]) -> Tokenised<'a> {
    let mut seen: FxHashMap<&'a str, u32> = FxHashMap::default();
    let mut tokenised = Tokenised { distinct: Vec::new(), tokens: Vec::new(), ends: Vec::new() };
    for text in docs.iter().flatten() {
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            // The simple tokenizer only splits: a token is a slice of the text.
            let raw = &text[token.offset_from..token.offset_to];
            debug_assert_eq!(raw, token.text);
            let next = tokenised.distinct.len() as u32;
            let id = *seen.entry(raw).or_insert_with(|| {
                tokenised.distinct.push(raw);
                next
            });
            tokenised.tokens.push(id);
        }
        tokenised.ends.push(tokenised.tokens.len());
    }
    tokenised
}

/// Every distinct token seen (as written) and the term tantivy's filters
/// make of it, so each is filtered and stemmed once for the whole site.
/// Terms have provisional ids in order of first sight until
/// [`Merged::finish`] sorts them.
#[derive(Default)]
struct Vocabulary {
    /// Token to its id.
    ids: FxHashMap<String, u32>,
    /// By token id: the token and its term (none when the filters drop it).
    tokens: Vec<(String, Option<u32>)>,
    /// How often each token occurred, by token id.
    counts: Vec<u64>,
    term_ids: FxHashMap<String, u32>,
    terms: Vec<String>,
}

impl Vocabulary {
    /// Adds the tokens of `chunks` not seen before, filtering them in
    /// parallel; returns, for each chunk, the token id of each of its
    /// distinct tokens.
    fn learn(&mut self, chunks: &[Tokenised]) -> Vec<Vec<u32>> {
        let known = &self.ids;
        let mut new: Vec<String> = chunks
            .par_iter()
            .map(|chunk| chunk.distinct.iter().copied().filter(|raw| !known.contains_key(*raw)).collect())
            .reduce(FxHashSet::default, |mut a: FxHashSet<&str>, b| {
                a.extend(b);
                a
            })
            .into_iter()
            .map(str::to_string)
            .collect();
        // Sorted, so provisional ids (and so nothing) depend on hash order.
        new.par_sort_unstable();
        let filtered: Vec<Option<String>> =
            new.par_iter().map_init(schema::token_filters, |filters, raw| filter(filters, raw)).collect();
        for (raw, term) in new.into_iter().zip(filtered) {
            let term = term.map(|term| {
                let next = self.terms.len() as u32;
                *self.term_ids.entry(term).or_insert_with_key(|term| {
                    self.terms.push(term.clone());
                    next
                })
            });
            self.ids.insert(raw.clone(), self.tokens.len() as u32);
            self.tokens.push((raw, term));
        }
        self.counts.resize(self.tokens.len(), 0);
        let ids = &self.ids;
        chunks.par_iter().map(|chunk| chunk.distinct.iter().map(|raw| ids[*raw]).collect()).collect()
    }
}

/// What tantivy's filters make of one token: `None` when it is dropped.
fn filter(filters: &mut TextAnalyzer, raw: &str) -> Option<String> {
    let mut stream = filters.token_stream(raw);
    let term = stream.next().map(|t| t.text.clone());
    debug_assert!(stream.next().is_none(), "the filters never split a token");
    term
}

/// One chunk of case studies, analysed with the vocabulary's ids.
struct Chunk {
    /// How often each token occurred, by token id (sparse).
    token_counts: Vec<(u32, u32)>,
    /// Per field, in doc order.
    postings: Vec<Vec<Posting>>,
    /// Per field, each doc's token count.
    lengths: Vec<Vec<u32>>,
    described: Vec<Vec<(u32, u32)>>,
    docs: Vec<DocInfo>,
}

fn analyse(
    vocabulary: &Vocabulary,
    tokenised: &Tokenised,
    token_ids: &[u32],
    plain: &[[String; FIELDS]],
    case_studies: &[&CaseStudy],
) -> Chunk {
    let mut chunk = Chunk {
        token_counts: Vec::new(),
        postings: vec![Vec::new(); SEARCHED.len()],
        lengths: vec![Vec::with_capacity(plain.len()); SEARCHED.len()],
        described: Vec::with_capacity(plain.len()),
        docs: Vec::with_capacity(plain.len()),
    };
    // How often each of the chunk's distinct tokens occurred.
    let mut token_counts: Vec<u32> = vec![0; token_ids.len()];
    // Term frequencies of the current field, by term id, with the ids
    // touched so clearing costs only what was used.
    let mut counts: Vec<u32> = vec![0; vocabulary.terms.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut described: FxHashMap<u32, u32> = FxHashMap::default();
    for (doc, (fields, case_study)) in plain.iter().zip(case_studies).enumerate() {
        for field in 0..fields.len() {
            let mut length = 0;
            for &local in tokenised.field(doc, field) {
                token_counts[local as usize] += 1;
                let Some(term) = vocabulary.tokens[token_ids[local as usize] as usize].1 else { continue };
                length += 1;
                if counts[term as usize] == 0 {
                    touched.push(term);
                }
                counts[term as usize] += 1;
            }
            chunk.lengths[field].push(length);
            for term in touched.drain(..) {
                let frequency = std::mem::take(&mut counts[term as usize]);
                chunk.postings[field].push(Posting::new(term, doc, frequency));
                if DESCRIBING.contains(&field) {
                    *described.entry(term).or_default() += frequency;
                }
            }
        }
        chunk.described.push(described.drain().filter(|(_, n)| *n >= MIN_TERM_FREQUENCY).collect());
        chunk.docs.push(doc_info(case_study, fields));
    }
    chunk.token_counts = token_ids.iter().copied().zip(token_counts).collect();
    chunk
}

/// A term in one case study of a chunk, in 8 bytes: the term, and the
/// case study's place in its chunk with the term frequency.
#[derive(Clone, Copy)]
struct Posting {
    term: u32,
    doc_and_frequency: u32,
}

// The place in the chunk takes the top 8 bits; the frequency the other 24
// (a case study file is at most 1 MiB, so no field has 2^24 tokens).
const _: () = assert!(CHUNK <= 256);

impl Posting {
    fn new(term: u32, doc: usize, frequency: u32) -> Posting {
        debug_assert!(frequency < 1 << 24);
        Posting { term, doc_and_frequency: (doc as u32) << 24 | frequency }
    }

    fn doc(self) -> u32 {
        self.doc_and_frequency >> 24
    }

    fn frequency(self) -> u32 {
        self.doc_and_frequency & 0xFF_FFFF
    }
}

/// Chunks joined in doc order.
#[derive(Default)]
struct Merged {
    /// Per field, each chunk's first doc id and postings (with provisional
    /// term ids), in doc order; laid out by term once all are in.
    postings: Vec<Vec<(u32, Vec<Posting>)>>,
    lengths: Vec<Vec<u32>>,
    described: Vec<Vec<(u32, u32)>>,
    docs: Vec<DocInfo>,
}

impl Merged {
    fn add(&mut self, chunk: Chunk, vocabulary: &mut Vocabulary) {
        let first_doc = self.docs.len() as u32;
        self.postings.resize_with(SEARCHED.len(), Vec::new);
        self.lengths.resize_with(SEARCHED.len(), Vec::new);
        for (token, count) in chunk.token_counts {
            vocabulary.counts[token as usize] += u64::from(count);
        }
        for (field, mut entries) in chunk.postings.into_iter().enumerate() {
            entries.shrink_to_fit();
            self.postings[field].push((first_doc, entries));
        }
        for (field, field_lengths) in chunk.lengths.into_iter().enumerate() {
            self.lengths[field].extend(field_lengths);
        }
        self.described.extend(chunk.described);
        self.docs.extend(chunk.docs);
    }

    /// Sorts the vocabulary into byte order and lays the postings out by it.
    fn finish(self, vocabulary: Vocabulary) -> Inverted {
        let Merged { postings, lengths, mut described, docs } = self;
        let Vocabulary { tokens, counts, terms, .. } = vocabulary;
        let mut order: Vec<u32> = (0..terms.len() as u32).collect();
        order.sort_unstable_by(|a, b| terms[*a as usize].cmp(&terms[*b as usize]));
        let mut sorted_id = vec![0u32; terms.len()];
        for (sorted, provisional) in order.iter().enumerate() {
            sorted_id[*provisional as usize] = sorted as u32;
        }
        // A counting sort by term: the chunks are in doc order, so each
        // term's postings come out in doc order. A field at a time, giving
        // back the memory of its unsorted postings before the next is laid
        // out, so the two copies of the whole index are never resident at
        // once (at 10,000 case studies each is about 50 MB).
        let fields = postings
            .into_iter()
            .zip(lengths)
            .map(|(chunks, field_lengths)| {
                let mut starts = vec![0u32; terms.len() + 1];
                for posting in chunks.iter().flat_map(|(_, postings)| postings) {
                    starts[sorted_id[posting.term as usize] as usize + 1] += 1;
                }
                for i in 1..starts.len() {
                    starts[i] += starts[i - 1];
                }
                let total = starts[terms.len()] as usize;
                let (mut doc_ids, mut term_freqs) = (vec![0u32; total], vec![0u32; total]);
                let mut next = starts.clone();
                for (first_doc, postings) in chunks {
                    for posting in postings {
                        let at = &mut next[sorted_id[posting.term as usize] as usize];
                        doc_ids[*at as usize] = first_doc + posting.doc();
                        term_freqs[*at as usize] = posting.frequency();
                        *at += 1;
                    }
                }
                crate::memory::release_freed();
                FieldIndex {
                    total_tokens: field_lengths.iter().map(|l| u64::from(*l)).sum(),
                    norm_ids: field_lengths.iter().map(|l| FieldNormReader::fieldnorm_to_id(*l)).collect(),
                    starts,
                    doc_ids,
                    term_freqs,
                }
            })
            .collect();
        // The surface word of a term: its most frequent lowercased token
        // (ties: the first in code point order).
        let mut words: Vec<FxHashMap<String, u64>> = vec![FxHashMap::default(); terms.len()];
        for ((raw, term), count) in tokens.into_iter().zip(counts) {
            if let Some(term) = term {
                let lower: String = raw.chars().flat_map(char::to_lowercase).collect();
                *words[sorted_id[term as usize] as usize].entry(lower).or_default() += count;
            }
        }
        let mut all_words: Vec<String> = words.iter().flat_map(|w| w.keys().cloned()).collect();
        all_words.par_sort_unstable();
        all_words.dedup();
        let mut terms: Vec<Option<String>> = terms.into_iter().map(Some).collect();
        let terms: Vec<String> =
            order.iter().map(|p| terms[*p as usize].take().expect("each term is taken once")).collect();
        let surface = words
            .into_iter()
            .zip(&terms)
            .map(|(words, term)| {
                let best = words.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
                best.map_or_else(|| term.clone(), |(word, _)| word)
            })
            .collect();
        described.par_iter_mut().for_each(|terms_of_doc| {
            for (term, _) in terms_of_doc.iter_mut() {
                *term = sorted_id[*term as usize];
            }
            terms_of_doc.sort_unstable();
        });
        Inverted { terms, surface, words: all_words, fields, described, docs }
    }
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
        let mut filters = schema::token_filters();
        let mut ours = Vec::new();
        let mut tokenizer = SimpleTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            let raw = stream.token().text.clone();
            ours.extend(filter(&mut filters, &raw));
        }
        assert_eq!(ours, expected);
    }
}
