//! Related case studies, computed at build from the index.
//!
//! A "more like this" of our own rather than tantivy's `MoreLikeThisQuery`,
//! whose choice among equally good terms depends on hash order and so
//! changes between runs. For each case study: the terms of its why, what
//! and impact, weighted by frequency times idf, the best
//! [`MAX_TERMS`] kept (ties by term), each searched in those three fields
//! with its weight as boost; each of its themes is searched too, so shared
//! themes count. The best [`RELATED`] other case studies are kept.

use super::index::SearchIndex;
use super::schema;
use crate::markdown;
use crate::model::CaseStudy;
use rayon::prelude::*;
use std::collections::BTreeMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// How many related case studies a page lists.
pub const RELATED: usize = 4;
/// How many of a case study's terms describe it.
const MAX_TERMS: usize = 12;
/// A term must occur this often in the case study to describe it.
const MIN_TERM_FREQUENCY: usize = 2;
/// A shared theme weighs as much as a term of this relative weight.
const THEME_BOOST: f32 = 0.5;
/// Indexes of why, what and impact in [`schema::SEARCHED`].
const FIELDS: [usize; 3] = [2, 3, 4];

/// For each indexed case study (by doc id), the doc ids of its related ones.
pub fn related(index: &SearchIndex, case_studies: &[&CaseStudy]) -> tantivy::Result<Vec<Vec<u32>>> {
    let searcher = index.index.reader()?.searcher();
    let total = u64::from(searcher.segment_reader(0).max_doc());
    case_studies
        .par_iter()
        .enumerate()
        .map(|(doc, case_study)| {
            let mut analyzer = schema::analyzer();
            let mut frequencies: BTreeMap<String, usize> = BTreeMap::new();
            for text in [&case_study.why.text, &case_study.what.text, &case_study.impact.text] {
                let plain = markdown::plain_text(text);
                let mut stream = analyzer.token_stream(&plain);
                while let Some(token) = stream.next() {
                    *frequencies.entry(token.text.clone()).or_default() += 1;
                }
            }
            let mut weighted = Vec::new();
            for (term, frequency) in frequencies.into_iter().filter(|(_, f)| *f >= MIN_TERM_FREQUENCY) {
                let mut doc_freq = 0;
                for field in FIELDS {
                    doc_freq = doc_freq
                        .max(searcher.doc_freq(&Term::from_field_text(index.fields.searched_field(field), &term))?);
                }
                // A term only this case study has says nothing about others,
                // and one in most case studies barely tells them apart
                // while costing the most to search.
                if doc_freq > 1 && doc_freq * 2 <= total {
                    weighted.push((frequency as f32 * super::export::idf(doc_freq, total), term));
                }
            }
            weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            weighted.truncate(MAX_TERMS);
            let best = weighted.first().map_or(1.0, |w| w.0);
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (weight, term) in &weighted {
                for field in FIELDS {
                    let query = TermQuery::new(
                        Term::from_field_text(index.fields.searched_field(field), term),
                        IndexRecordOption::Basic,
                    );
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), weight / best))));
                }
            }
            for theme in &case_study.themes {
                let query = TermQuery::new(Term::from_field_text(index.fields.theme, theme), IndexRecordOption::Basic);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), THEME_BOOST))));
            }
            if clauses.is_empty() {
                return Ok(Vec::new());
            }
            let hits =
                searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(RELATED + 1).order_by_score())?;
            Ok(hits
                .into_iter()
                .map(|(_, address)| address.doc_id)
                .filter(|d| *d as usize != doc)
                .take(RELATED)
                .collect())
        })
        .collect()
}
