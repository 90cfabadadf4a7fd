//! Related case studies, computed at build from the inverted index.
//!
//! A "more like this" of our own rather than tantivy's `MoreLikeThisQuery`,
//! whose choice among equally good terms depends on hash order and so
//! changes between runs. For each case study: the terms of its why, what
//! and impact found in more than one case study but in at most one in
//! [`MAX_SHARE`] and at most [`MAX_HOLDERS`] (two, in a small bank),
//! weighted by frequency times idf, the best [`MAX_TERMS`] kept (ties by
//! term). Every case study holding one of those terms scores, for each
//! term and each of the three fields holding it, BM25 with a term
//! frequency of one (what matters is that it shares the term) boosted by
//! the term's weight relative to the best, plus, for each theme it
//! shares, [`THEME_BOOST`] times the theme's idf. When too few case
//! studies share a term (a small bank), every case study sharing a theme
//! is a candidate. The best [`RELATED`] are kept (ties: lower doc id).
//! Only determinism matters here, not parity with any client, so the
//! scores are plain f32 sums in a fixed order. Each case study's work is
//! bounded, so the stage grows linearly with the bank.

use super::inverted::{idf, Inverted, DESCRIBING, MIN_TERM_FREQUENCY};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// How many related case studies a page lists.
pub const RELATED: usize = 4;
/// How many of a case study's terms describe it.
const MAX_TERMS: usize = 12;
/// A describing term is in at most one in this many case studies, and in
/// at most [`MAX_HOLDERS`]: each is scored over every case study holding
/// it, so without a bound the stage would grow with the square of the bank.
const MAX_SHARE: usize = 10;
const MAX_HOLDERS: usize = 250;
/// A shared theme weighs this much times its idf.
const THEME_BOOST: f32 = 0.5;
const K1: f32 = 1.2;

/// For each doc id, the doc ids of its related case studies, best first.
/// `themes` are each doc's themes.
pub fn related(inverted: &Inverted, themes: &[&[String]]) -> Vec<Vec<u32>> {
    let total = inverted.docs.len();
    // 1 / (1 + BM25's length factor) per field and doc: the whole of
    // BM25's term-frequency part when the frequency is one.
    let length_factors: Vec<Vec<f32>> = DESCRIBING
        .iter()
        .map(|field| {
            let field = &inverted.fields[*field];
            let average = field.average_length();
            field
                .norm_ids
                .iter()
                .map(|id| {
                    let length = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(*id) as f32;
                    1.0 / (1.0 + K1 * (1.0 - 0.75 + 0.75 * length / average))
                })
                .collect()
        })
        .collect();
    let mut by_theme: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (doc, doc_themes) in themes.iter().enumerate() {
        for theme in doc_themes.iter() {
            by_theme.entry(theme).or_default().push(doc as u32);
        }
    }
    let theme_weights: Vec<f32> =
        by_theme.values().map(|holders| THEME_BOOST * idf(holders.len() as u64, total as u64)).collect();
    let theme_ids: Vec<Vec<usize>> = themes
        .iter()
        .map(|doc_themes| doc_themes.iter().filter_map(|t| by_theme.keys().position(|k| k == t)).collect())
        .collect();
    let holders: Vec<&Vec<u32>> = by_theme.values().collect();
    (0..total)
        .into_par_iter()
        .map_init(
            || (vec![0f32; total], Vec::new()),
            |(scores, touched), doc| {
                for (term, weight) in describing_terms(inverted, doc, total) {
                    for (field, factors) in DESCRIBING.iter().zip(&length_factors) {
                        let field = &inverted.fields[*field];
                        let doc_freq = field.doc_freq(term);
                        if doc_freq == 0 {
                            continue;
                        }
                        let term_weight = idf(u64::from(doc_freq), total as u64) * (1.0 + K1) * weight;
                        for other in field.postings(term).0 {
                            add(scores, touched, *other, term_weight * factors[*other as usize]);
                        }
                    }
                }
                // Shared themes count for the case studies that share terms;
                // only when too few do (a small bank), for every case study
                // sharing a theme, which costs a pass over them.
                let mine = &theme_ids[doc];
                if touched.len() > RELATED {
                    for other in touched.iter() {
                        let shared: f32 = mine
                            .iter()
                            .filter(|t| theme_ids[*other as usize].contains(t))
                            .map(|t| theme_weights[*t])
                            .sum();
                        scores[*other as usize] += shared;
                    }
                } else {
                    for theme in mine {
                        for other in holders[*theme] {
                            add(scores, touched, *other, theme_weights[*theme]);
                        }
                    }
                }
                let mut best: Vec<(f32, u32)> = Vec::with_capacity(RELATED + 1);
                for other in touched.drain(..) {
                    let score = std::mem::take(&mut scores[other as usize]);
                    if other as usize == doc || score <= 0.0 {
                        continue;
                    }
                    let better = |a: &(f32, u32)| score > a.0 || (score == a.0 && other < a.1);
                    if best.len() < RELATED || best.last().is_some_and(better) {
                        let at = best.iter().position(better).unwrap_or(best.len());
                        best.insert(at, (score, other));
                        best.truncate(RELATED);
                    }
                }
                best.into_iter().map(|(_, other)| other).collect()
            },
        )
        .collect()
}

/// Adds `score` to `other`'s, noting it as touched the first time.
fn add(scores: &mut [f32], touched: &mut Vec<u32>, other: u32, score: f32) {
    if scores[other as usize] == 0.0 {
        touched.push(other);
    }
    scores[other as usize] += score;
}

/// The terms that describe `doc`, each with its weight relative to the
/// best one's.
fn describing_terms(inverted: &Inverted, doc: usize, total: usize) -> Vec<(u32, f32)> {
    let mut weighted: Vec<(f32, u32)> = Vec::new();
    for (term, frequency) in &inverted.described[doc] {
        if *frequency < MIN_TERM_FREQUENCY {
            continue;
        }
        let doc_freq = DESCRIBING.iter().map(|f| inverted.fields[*f].doc_freq(*term)).max().unwrap_or(0) as usize;
        // A term only this case study has says nothing about others, and
        // one in many case studies barely tells them apart (shared themes
        // say that better) while costing the most to score.
        if doc_freq > 1 && doc_freq <= (total / MAX_SHARE).clamp(2, MAX_HOLDERS) {
            weighted.push((*frequency as f32 * idf(doc_freq as u64, total as u64), *term));
        }
    }
    // Term ids follow term order, so ties go to the first term.
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    weighted.truncate(MAX_TERMS);
    let best = weighted.first().map_or(1.0, |w| w.0);
    weighted.into_iter().map(|(weight, term)| (term, weight / best)).collect()
}
