//! What a query plan needs of a site besides its postings: the words of
//! its vocabulary (for typos), the terms its text associates with each
//! other, and the glossary groups that can find something in it. Made at
//! build from the [`Inverted`] index; exported for the browser client and
//! kept in the cache for `practicebank search`, so both plan alike.
//!
//! # Associations
//!
//! Learned from the site's own text, deterministically. Each case study is
//! described by its [`DESCRIBING_TERMS`] best terms of why, what and
//! impact: terms occurring at least twice there
//! ([`super::inverted::MIN_TERM_FREQUENCY`]), held by at least two case
//! studies and at most a quarter of them (at least two), weighed by
//! frequency times `ln(N / held)` (ties: term order). Two terms are
//! associated when they describe the same case study at least
//! [`MIN_SHARED`] times; their strength is the cosine `shared /
//! sqrt(a * b)` (`a`, `b`: how many case studies each describes). A term
//! keeps its [`ASSOCIATES`] strongest (ties: term order). A bank of fewer
//! than [`MIN_BANK`] case studies learns none: in a handful of case
//! studies, any two words that two of them share look associated.

use super::inverted::Inverted;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DESCRIBING_TERMS: usize = 12;
pub const MIN_SHARED: u32 = 2;
pub const ASSOCIATES: usize = 3;
pub const MIN_BANK: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    /// Every word of the vocabulary, lowercased as written, in code point
    /// order.
    pub words: Vec<String>,
    /// Term to its associated terms, best first.
    pub associations: BTreeMap<String, Vec<String>>,
    /// The glossary groups that can find something in the site, in
    /// glossary order: each phrase as written, and whether it is searched
    /// (see [`Lexicon::new`]); every phrase is recognised in a query.
    pub glossary: Vec<Vec<(String, bool)>>,
}

impl Lexicon {
    /// A glossary phrase is searched when the site can find something with
    /// it that its words alone would not: every word of it is in the
    /// vocabulary, and at least one is held by at most half the case
    /// studies ("children in care" is noise in a bank where nearly every
    /// case study says "children", "in" and "care"). Groups with no
    /// phrase searched are left out.
    pub fn new(inverted: &Inverted, glossary: &[super::glossary::Group]) -> Lexicon {
        let half = inverted.docs.len() / 2;
        let searched = |phrase: &str| {
            let terms: Vec<Option<u32>> =
                super::schema::analyse_all(phrase).iter().map(|t| inverted.term_id(t)).collect();
            !terms.is_empty()
                && terms.iter().all(Option::is_some)
                && terms.iter().flatten().any(|t| held(inverted, *t) as usize <= half)
        };
        let glossary = glossary
            .iter()
            .map(|group| group.terms.iter().map(|p| (p.clone(), searched(p))).collect::<Vec<_>>())
            .filter(|group| group.iter().any(|(_, searched)| *searched))
            .collect();
        Lexicon { words: inverted.words.clone(), associations: associations(inverted), glossary }
    }
}

/// How many case studies hold term `term` in the field holding it most.
pub fn held(inverted: &Inverted, term: u32) -> u32 {
    inverted.fields.iter().map(|f| f.doc_freq(term)).max().unwrap_or(0)
}

fn associations(inverted: &Inverted) -> BTreeMap<String, Vec<String>> {
    if inverted.docs.len() < MIN_BANK {
        return BTreeMap::new();
    }
    let docs = inverted.docs.len() as u32;
    let most = (docs / 4).max(2);
    // Each case study's describing terms, as ascending term ids.
    let described: Vec<Vec<u32>> = inverted
        .described
        .iter()
        .map(|terms| {
            let mut weighed: Vec<(f64, u32)> = terms
                .iter()
                .filter_map(|&(term, frequency)| {
                    let n = held(inverted, term);
                    (2..=most)
                        .contains(&n)
                        .then(|| (f64::from(frequency) * (f64::from(docs) / f64::from(n)).ln(), term))
                })
                .collect();
            weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut best: Vec<u32> = weighed.into_iter().take(DESCRIBING_TERMS).map(|(_, t)| t).collect();
            best.sort_unstable();
            best
        })
        .collect();
    let mut describes: FxHashMap<u32, u32> = FxHashMap::default();
    let mut shared: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for terms in &described {
        for (i, &a) in terms.iter().enumerate() {
            *describes.entry(a).or_default() += 1;
            for &b in &terms[i + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut candidates: FxHashMap<u32, Vec<(f64, u32)>> = FxHashMap::default();
    for ((a, b), n) in shared {
        if n < MIN_SHARED {
            continue;
        }
        let strength = f64::from(n) / (f64::from(describes[&a]) * f64::from(describes[&b])).sqrt();
        candidates.entry(a).or_default().push((strength, b));
        candidates.entry(b).or_default().push((strength, a));
    }
    candidates
        .into_iter()
        .map(|(term, mut others)| {
            others.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let names = others.into_iter().take(ASSOCIATES).map(|(_, t)| inverted.terms[t as usize].clone()).collect();
            (inverted.terms[term as usize].clone(), names)
        })
        .collect()
}
