//! Queries, scored the way the browser client scores them.
//!
//! This is the parity contract in Rust. The query is sanitised (anything
//! but letters, digits and spaces becomes a space, then lowercased per
//! character), split into words, duplicate words dropped (tantivy 0.26+
//! does the same), and planned ([`super::plan`]): units of typed words,
//! each with its alternatives (glossary phrases, typo corrections,
//! associated terms).
//!
//! # Matching and scoring
//!
//! Any word can match (tantivy's default OR query). A *clause* is a term in
//! one searched field, scored with tantivy's BM25 (its own `Bm25Weight`),
//! boosted by the field's boost times the alternative's weight (1 for a
//! typed word; every product is exact in f32). A glossary phrase of
//! several words matches in a field that holds all of them, scoring the
//! sum of its terms' clauses there. Clauses are summed in f32, unit by
//! unit, in plan order: the typed terms (term by term, field by field),
//! then each alternative (field by field, term by term).
//!
//! - `main`: the sum of every clause but the associated terms';
//! - `associated`: the sum of the associated terms' clauses.
//!
//! # Coordination
//!
//! A unit is *matched* by a case study that holds all its typed terms (in
//! any fields), and *covered* by one that matches it or matches any of its
//! glossary or typo alternatives. Over the units that are not stop words,
//! `C` counts 2 for a matched unit and 1 for one only covered; `Cmax` is
//! twice their number. A case study is a result when `C > 0` or
//! `associated > 0`. Its score is `main * (C / Cmax)` (f32), so one that
//! matches more of what was typed ranks higher, and the words it found only
//! through a synonym or a correction count half. Results are ranked by
//! score, then `associated`, then doc id: an associated term can only
//! order case studies that the query's own words rank equal (in particular
//! those they do not find at all), and never lifts one above a case study
//! that matches what was typed. Filters narrow the set and add nothing.

use super::index::SearchIndex;
use super::plan::{self, Kind, Lookup, Plan, Switches, MAX_WORDS};
use super::schema::{FIELDS, SEARCHED};
use std::collections::{BTreeMap, BTreeSet};
use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// Filters on the result set. Empty means no filter. Values are slugs
/// (see [`super::filters`] for names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// A case study must have every one of these themes.
    pub themes: Vec<String>,
    pub authority: Option<String>,
    pub survey: Option<String>,
    pub year: Option<u16>,
}

/// A scored case study: its doc id, score and associated terms' score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    pub associated: f32,
}

impl Hit {
    /// Best first: score, then associated score, then doc id.
    pub fn rank(&self, other: &Hit) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.associated.total_cmp(&self.associated))
            .then(self.doc.cmp(&other.doc))
    }
}

/// One clause: a term in a field, with its boost.
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    field: usize,
    term: String,
    boost: f32,
}

/// What a case study must hold for one part of a unit to count, and the
/// clauses it then scores: one group per field for a phrase (all its terms
/// in that field), or one clause per field for a single term.
struct Part {
    kind: Option<Kind>,
    /// Per field, the clauses that must all match in that field.
    by_field: Vec<Vec<Clause>>,
}

/// The parts of each unit: its typed terms (each needed, in any field),
/// then its alternatives.
fn parts(plan: &Plan) -> Vec<(Vec<Part>, Vec<Part>)> {
    // The theme field is the last; without it, its clauses are left out.
    let fields = if plan.switches.themes { FIELDS } else { FIELDS - 1 };
    let clause = |term: &str, field: usize, weight: f32| Clause {
        field,
        term: term.to_string(),
        boost: SEARCHED[field].1 * weight,
    };
    plan.units
        .iter()
        .map(|unit| {
            let typed = unit
                .terms
                .iter()
                .map(|t| Part { kind: None, by_field: (0..fields).map(|f| vec![clause(t, f, 1.0)]).collect() })
                .collect();
            let alternatives = unit
                .alternatives
                .iter()
                .map(|a| Part {
                    kind: Some(a.kind),
                    by_field: (0..fields).map(|f| a.terms.iter().map(|t| clause(t, f, a.weight)).collect()).collect(),
                })
                .collect();
            (typed, alternatives)
        })
        .collect()
}

/// The index as the planner sees it.
pub struct IndexLookup<'a> {
    index: &'a SearchIndex,
    searcher: Searcher,
    by_length: BTreeMap<usize, Vec<String>>,
    glossary: plan::Compiled,
}

impl<'a> IndexLookup<'a> {
    pub fn new(index: &'a SearchIndex) -> tantivy::Result<IndexLookup<'a>> {
        let mut by_length: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for word in &index.lexicon.words {
            by_length.entry(word.chars().count()).or_default().push(word.clone());
        }
        let glossary = plan::Compiled::new(&index.lexicon.glossary, super::schema::analyse_all);
        Ok(IndexLookup { index, searcher: index.index.reader()?.searcher(), by_length, glossary })
    }
}

impl Lookup for IndexLookup<'_> {
    fn doc_freq(&self, term: &str) -> u32 {
        (0..FIELDS)
            .map(|f| {
                let field = self.index.fields.searched_field(f);
                self.searcher.doc_freq(&Term::from_field_text(field, term)).unwrap_or(0) as u32
            })
            .max()
            .unwrap_or(0)
    }
    fn docs(&self) -> u32 {
        self.index.docs.len() as u32
    }
    fn words_of_length(&self, chars: usize) -> &[String] {
        self.by_length.get(&chars).map_or(&[], Vec::as_slice)
    }
    fn associates(&self, term: &str) -> &[String] {
        self.index.lexicon.associations.get(term).map_or(&[], Vec::as_slice)
    }
    fn glossary(&self) -> &plan::Compiled {
        &self.glossary
    }
    fn analyse(&self, word: &str) -> Option<String> {
        // A sanitised word is one run of letters and digits: one token, or
        // none when it is too long to index (and then it is dropped).
        match super::schema::analyse_all(word).as_slice() {
            [term] => Some(term.clone()),
            _ => None,
        }
    }
}

/// The plan of `query` over `index`.
pub fn plan_of(index: &SearchIndex, query: &str, switches: Switches) -> tantivy::Result<Plan> {
    Ok(plan::plan(query, &IndexLookup::new(index)?, switches))
}

/// What one case study scored so far.
#[derive(Default, Clone, Copy)]
struct Tally {
    main: f32,
    associated: f32,
    /// Per unit: typed terms held (bit per term, units of up to 32 words).
    typed: [u32; MAX_WORDS],
}

/// The case studies matching `plan` and `filters`, best first, at most
/// `limit` of them, and how many matched in all.
pub fn search(index: &SearchIndex, plan: &Plan, filters: &Filters, limit: usize) -> tantivy::Result<(Vec<Hit>, usize)> {
    let searcher = index.index.reader()?.searcher();
    let allowed = allowed_docs(index, &searcher, filters)?;
    let total_docs = searcher.total_num_docs()?;
    let mut tallies: BTreeMap<u32, Tally> = BTreeMap::new();
    // Per unit, the docs covered by an alternative.
    let mut covered: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); plan.units.len()];
    // Each term's weight and postings in a field, read once per query.
    let mut lists: BTreeMap<(usize, String), (Bm25Weight, Vec<Posting>)> = BTreeMap::new();
    let mut scored = |clause: &Clause| -> tantivy::Result<Vec<(u32, f32)>> {
        let key = (clause.field, clause.term.clone());
        if !lists.contains_key(&key) {
            let field = index.fields.searched_field(clause.field);
            let average = searcher.total_num_tokens(field)? as f32 / total_docs as f32;
            let doc_freq = searcher.doc_freq(&Term::from_field_text(field, &clause.term))?;
            let weight = Bm25Weight::for_one_term_without_explain(doc_freq, total_docs, average);
            lists.insert(key.clone(), (weight, postings(&searcher, field, &clause.term)?));
        }
        let (weight, list) = &lists[&key];
        let weight = weight.boost_by(clause.boost);
        Ok(list.iter().map(|&(doc, tf, norm)| (doc, weight.score(norm, tf))).collect())
    };
    for (u, (typed, alternatives)) in parts(plan).iter().enumerate() {
        for (t, part) in typed.iter().enumerate() {
            for clauses in &part.by_field {
                for (doc, score) in scored(&clauses[0])? {
                    let tally = tallies.entry(doc).or_default();
                    tally.main += score;
                    tally.typed[u] |= 1 << t;
                }
            }
        }
        for part in alternatives {
            for clauses in &part.by_field {
                // Docs holding every term of the phrase in this field, with
                // the sum of their clause scores in term order.
                let mut sums: Option<BTreeMap<u32, f32>> = None;
                for clause in clauses {
                    let list: BTreeMap<u32, f32> = scored(clause)?.into_iter().collect();
                    sums = Some(match sums {
                        None => list,
                        Some(so_far) => {
                            so_far.into_iter().filter_map(|(doc, sum)| list.get(&doc).map(|s| (doc, sum + s))).collect()
                        }
                    });
                }
                for (doc, sum) in sums.unwrap_or_default() {
                    let tally = tallies.entry(doc).or_default();
                    if part.kind == Some(Kind::Associated) {
                        tally.associated += sum;
                    } else {
                        tally.main += sum;
                        covered[u].insert(doc);
                    }
                }
            }
        }
    }
    let mut hits: Vec<Hit> = tallies
        .into_iter()
        .filter(|(doc, _)| allowed.as_ref().is_none_or(|set| set.contains(doc)))
        .filter_map(|(doc, tally)| {
            let matched: Vec<bool> = plan
                .units
                .iter()
                .enumerate()
                .map(|(u, unit)| tally.typed[u].count_ones() as usize == unit.terms.len())
                .collect();
            score(plan, doc, tally.main, tally.associated, |u| matched[u], |u| covered[u].contains(&doc))
        })
        .collect();
    let total = hits.len();
    hits.sort_by(Hit::rank);
    hits.truncate(limit);
    Ok((hits, total))
}

/// A case study's hit from its sums and which units it matched and
/// covered, or `None` when it is not a result (see the module docs).
fn score(
    plan: &Plan,
    doc: u32,
    main: f32,
    associated: f32,
    matched: impl Fn(usize) -> bool,
    covered: impl Fn(usize) -> bool,
) -> Option<Hit> {
    if !plan.switches.any_word && !(0..plan.units.len()).all(&matched) {
        return None;
    }
    let mut count = 0u32;
    let mut most = 0u32;
    for (u, unit) in plan.units.iter().enumerate() {
        if unit.stop {
            continue;
        }
        most += 2;
        count += if matched(u) { 2 } else { u32::from(covered(u)) };
    }
    if count == 0 && associated <= 0.0 {
        return None;
    }
    let coordination = if plan.switches.coordination { count as f32 / most as f32 } else { 1.0 };
    Some(Hit { doc, score: main * coordination, associated })
}

/// A doc id, term frequency and fieldnorm id.
type Posting = (u32, u32, u8);

/// The postings of every case study holding `term` in `field`.
fn postings(searcher: &Searcher, field: tantivy::schema::Field, term: &str) -> tantivy::Result<Vec<Posting>> {
    let segment = searcher.segment_reader(0);
    let inverted = segment.inverted_index(field)?;
    let norms = segment.get_fieldnorms_reader(field)?;
    let mut out = Vec::new();
    if let Some(mut postings) =
        inverted.read_postings(&Term::from_field_text(field, term), IndexRecordOption::WithFreqs)?
    {
        let mut doc = postings.doc();
        while doc != TERMINATED {
            out.push((doc, postings.term_freq(), norms.fieldnorm_id(doc)));
            doc = postings.advance();
        }
    }
    Ok(out)
}

/// The doc ids the filters allow, or `None` when there are no filters.
fn allowed_docs(index: &SearchIndex, searcher: &Searcher, filters: &Filters) -> tantivy::Result<Option<BTreeSet<u32>>> {
    let mut allowed: Option<BTreeSet<u32>> = None;
    for (field, value) in filter_terms(index, filters) {
        let docs: BTreeSet<u32> = postings(searcher, field, &value)?.into_iter().map(|(doc, _, _)| doc).collect();
        allowed = Some(match allowed {
            Some(set) => set.intersection(&docs).copied().collect(),
            None => docs,
        });
    }
    Ok(allowed)
}

fn filter_terms(index: &SearchIndex, filters: &Filters) -> Vec<(tantivy::schema::Field, String)> {
    let fields = &index.fields;
    let mut wanted: Vec<(tantivy::schema::Field, String)> =
        filters.themes.iter().map(|t| (fields.theme, t.clone())).collect();
    wanted.extend(filters.authority.iter().map(|a| (fields.authority_slug, a.clone())));
    wanted.extend(filters.survey.iter().map(|s| (fields.survey, s.clone())));
    wanted.extend(filters.year.iter().map(|y| (fields.year, y.to_string())));
    wanted
}

/// The same plan ranked with tantivy's own queries and collectors: a
/// `BooleanQuery` of boosted `TermQuery`s (a phrase of several words: a
/// boosted `BooleanQuery` of required terms, per field) scored by
/// `TopDocs`, the associated terms' the same way, and each unit's matched
/// and covered case studies from `DocSetCollector`; filters as
/// zero-scoring required clauses. The reference that [`search`] and the
/// browser client are held to.
pub fn tantivy_top_docs(
    index: &SearchIndex,
    plan: &Plan,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    use tantivy::collector::{DocSetCollector, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
    let fields = &index.fields;
    let searcher = index.index.reader()?.searcher();
    let term_query = |clause: &Clause, option| -> Box<dyn Query> {
        let term = Term::from_field_text(fields.searched_field(clause.field), &clause.term);
        Box::new(TermQuery::new(term, option))
    };
    let scoring = |clauses: &[Clause]| -> Box<dyn Query> {
        let boost = clauses[0].boost;
        let inner: Box<dyn Query> = if clauses.len() == 1 {
            term_query(&clauses[0], IndexRecordOption::WithFreqs)
        } else {
            let unboosted: Vec<(Occur, Box<dyn Query>)> = clauses
                .iter()
                .map(|c| (Occur::Must, term_query(&Clause { boost: 1.0, ..c.clone() }, IndexRecordOption::WithFreqs)))
                .collect();
            Box::new(BooleanQuery::new(unboosted))
        };
        Box::new(BoostQuery::new(inner, boost))
    };
    let any = |queries: Vec<Box<dyn Query>>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect()))
    };
    let filter: Vec<(Occur, Box<dyn Query>)> = filter_terms(index, filters)
        .into_iter()
        .map(|(field, value)| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(field, &value), IndexRecordOption::Basic)))
        })
        .collect();
    let filtered = |query: Box<dyn Query>| -> Box<dyn Query> {
        if filter.is_empty() {
            query
        } else {
            let only = ConstScoreQuery::new(
                Box::new(BooleanQuery::new(filter.iter().map(|(o, q)| (*o, q.box_clone())).collect())),
                0.0,
            );
            Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, Box::new(only))]))
        }
    };
    let every_doc = (searcher.num_docs() as usize).max(1);
    let scores = |queries: Vec<Box<dyn Query>>| -> tantivy::Result<BTreeMap<u32, f32>> {
        if queries.is_empty() {
            return Ok(BTreeMap::new());
        }
        let top = searcher.search(&*filtered(any(queries)), &TopDocs::with_limit(every_doc).order_by_score())?;
        Ok(top.into_iter().map(|(score, address)| (address.doc_id, score)).collect())
    };
    let doc_set = |query: Box<dyn Query>| -> tantivy::Result<BTreeSet<u32>> {
        Ok(searcher.search(&*query, &DocSetCollector)?.into_iter().map(|a| a.doc_id).collect())
    };
    let units = parts(plan);
    let mut main_queries = Vec::new();
    let mut associated_queries = Vec::new();
    let mut matched = Vec::new();
    let mut covered = Vec::new();
    for (typed, alternatives) in &units {
        let mut all_terms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for part in typed {
            main_queries.extend(part.by_field.iter().map(|c| scoring(c)));
            all_terms.push((Occur::Must, any(part.by_field.iter().map(|c| scoring(c)).collect())));
        }
        let exact: Box<dyn Query> = Box::new(BooleanQuery::new(all_terms));
        let mut covering = vec![exact.box_clone()];
        for part in alternatives {
            let queries: Vec<Box<dyn Query>> = part.by_field.iter().map(|c| scoring(c)).collect();
            if part.kind == Some(Kind::Associated) {
                associated_queries.extend(queries);
            } else {
                covering.extend(queries.iter().map(|q| q.box_clone()));
                main_queries.extend(queries);
            }
        }
        matched.push(doc_set(exact)?);
        covered.push(doc_set(any(covering))?);
    }
    let main = scores(main_queries)?;
    let associated = scores(associated_queries)?;
    let docs: BTreeSet<u32> = main.keys().chain(associated.keys()).copied().collect();
    let mut hits: Vec<Hit> = docs
        .into_iter()
        .filter_map(|doc| {
            score(
                plan,
                doc,
                main.get(&doc).copied().unwrap_or(0.0),
                associated.get(&doc).copied().unwrap_or(0.0),
                |u| matched[u].contains(&doc),
                |u| covered[u].contains(&doc),
            )
        })
        .collect();
    hits.sort_by(Hit::rank);
    hits.truncate(limit);
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_of_the_query_matched_ranks_higher() {
        let plan = Plan {
            switches: Switches::ALL,
            units: ["housing", "the", "rent"]
                .iter()
                .map(|w| plan::Unit {
                    typed: w.to_string(),
                    terms: vec![w.to_string()],
                    stop: *w == "the",
                    alternatives: Vec::new(),
                })
                .collect(),
        };
        let both = score(&plan, 0, 4.0, 0.0, |u| u != 1, |_| false).unwrap();
        let one = score(&plan, 1, 6.0, 0.0, |u| u == 0, |_| false).unwrap();
        assert_eq!((both.score, one.score), (4.0, 3.0));
        assert!(score(&plan, 2, 1.0, 0.0, |u| u == 1, |_| false).is_none(), "a stop word alone finds nothing");
        let related = score(&plan, 3, 0.0, 0.5, |_| false, |_| false).unwrap();
        assert_eq!(related.score, 0.0);
        assert_eq!(one.rank(&related), std::cmp::Ordering::Less);
        let synonym = score(&plan, 4, 8.0, 0.0, |_| false, |u| u == 0).unwrap();
        assert_eq!(synonym.score, 2.0, "a unit only covered counts half");
    }
}
