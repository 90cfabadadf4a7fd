//! Queries, scored the way the browser client scores them.
//!
//! This is the parity contract of `docs/search-index.md` in Rust: the query
//! is sanitised (anything but letters, digits and spaces becomes a space,
//! then lowercased per character), split into words, duplicate words are
//! dropped (tantivy 0.26+ does the same), and each word becomes one clause
//! per searched field, word-major. A case study must match every word in
//! some field (AND). Its score is the f32 sum, in clause order, of tantivy's
//! BM25 for each matching clause, computed by tantivy's own `Bm25Weight`;
//! ties go to the lower doc id. Filters narrow the set and add nothing.

use super::index::SearchIndex;
use super::schema::SEARCHED;
use std::collections::BTreeMap;
use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// Filters on the result set. Empty means no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// A case study must have every one of these themes.
    pub themes: Vec<String>,
    pub authority: Option<String>,
    pub survey: Option<String>,
    pub year: Option<u16>,
}

/// One search clause: a term of one field, with the field's boost.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Which word of the query it came from.
    pub word: usize,
    /// Index into [`SEARCHED`].
    pub field: usize,
    pub term: String,
    pub boost: f32,
}

/// A scored case study: its doc id and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// Letters, digits and whitespace survive; everything else becomes a
/// space. Then each character is lowercased on its own, as tantivy's
/// `LowerCaser` does (so no final-sigma rule).
pub fn sanitize(query: &str) -> String {
    query
        .chars()
        .map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The query's words, first occurrence of each kept.
pub fn words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in sanitize(query).split_whitespace() {
        if !out.iter().any(|w| w == word) {
            out.push(word.to_string());
        }
    }
    out
}

/// The clauses of a query, word-major then field-minor.
pub fn clauses(query: &str) -> Vec<Clause> {
    let mut analyzer = super::schema::analyzer();
    let mut out = Vec::new();
    let mut word_index = 0;
    for word in words(query) {
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(&word);
        while let Some(token) = stream.next() {
            terms.push(token.text.clone());
        }
        // A sanitised word is one run of letters and digits: one token, or
        // none when it is too long to index, and then the word is dropped
        // (it is not a word that nothing can match).
        if let [term] = terms.as_slice() {
            for (field, (_, boost)) in SEARCHED.iter().enumerate() {
                out.push(Clause { word: word_index, field, term: term.clone(), boost: *boost });
            }
            word_index += 1;
        }
    }
    out
}

/// The case studies matching `query` and `filters`, best first, at most
/// `limit` of them.
pub fn search(index: &SearchIndex, query: &str, filters: &Filters, limit: usize) -> tantivy::Result<Vec<Hit>> {
    let searcher = index.index.reader()?.searcher();
    let clauses = clauses(query);
    let word_count = clauses.iter().map(|c| c.word + 1).max().unwrap_or(0);
    let allowed = allowed_docs(index, &searcher, filters)?;
    // doc -> (score so far, bit set of the words it matched)
    let mut scores: BTreeMap<u32, (f32, u64)> = BTreeMap::new();
    let total_docs = searcher.total_num_docs()?;
    for clause in &clauses {
        let field = index.fields.searched_field(clause.field);
        let average = searcher.total_num_tokens(field)? as f32 / total_docs as f32;
        let doc_freq = searcher.doc_freq(&Term::from_field_text(field, &clause.term))?;
        let weight = Bm25Weight::for_one_term_without_explain(doc_freq, total_docs, average).boost_by(clause.boost);
        for (doc, term_freq, fieldnorm_id) in postings(&searcher, field, &clause.term)? {
            let entry = scores.entry(doc).or_insert((0.0, 0));
            entry.0 += weight.score(fieldnorm_id, term_freq);
            entry.1 |= 1 << clause.word.min(63);
        }
    }
    let every_word = if word_count >= 64 { u64::MAX } else { (1u64 << word_count) - 1 };
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .filter(|(doc, (_, matched))| *matched == every_word && allowed.as_ref().is_none_or(|set| set.contains(doc)))
        .map(|(doc, (score, _))| Hit { doc, score })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits.truncate(limit);
    Ok(hits)
}

/// `(doc, term frequency, fieldnorm id)` of every case study holding `term`
/// in `field`.
fn postings(searcher: &Searcher, field: tantivy::schema::Field, term: &str) -> tantivy::Result<Vec<(u32, u32, u8)>> {
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
fn allowed_docs(
    index: &SearchIndex,
    searcher: &Searcher,
    filters: &Filters,
) -> tantivy::Result<Option<std::collections::BTreeSet<u32>>> {
    let fields = &index.fields;
    let mut wanted: Vec<(tantivy::schema::Field, String)> =
        filters.themes.iter().map(|t| (fields.theme, t.clone())).collect();
    wanted.extend(filters.authority.iter().map(|a| (fields.authority_slug, a.clone())));
    wanted.extend(filters.survey.iter().map(|s| (fields.survey, s.clone())));
    wanted.extend(filters.year.iter().map(|y| (fields.year, y.to_string())));
    let mut allowed: Option<std::collections::BTreeSet<u32>> = None;
    for (field, value) in wanted {
        let docs: std::collections::BTreeSet<u32> =
            postings(searcher, field, &value)?.into_iter().map(|(doc, _, _)| doc).collect();
        allowed = Some(match allowed {
            Some(set) => set.intersection(&docs).copied().collect(),
            None => docs,
        });
    }
    Ok(allowed)
}

/// The same query ranked by tantivy's own `QueryParser` and `TopDocs`, with
/// filters as zero-scoring required clauses: the reference that
/// [`search`] and the browser client are held to.
pub fn tantivy_top_docs(
    index: &SearchIndex,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
    let sanitized = sanitize(query);
    if sanitized.trim().is_empty() {
        return Ok(Vec::new());
    }
    let fields = &index.fields;
    let mut parser = QueryParser::for_index(&index.index, fields.searched.to_vec());
    for (i, (_, boost)) in SEARCHED.iter().enumerate() {
        parser.set_field_boost(fields.searched_field(i), *boost);
    }
    parser.set_conjunction_by_default();
    let parsed = parser.parse_query(&sanitized).map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
    let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let term = |field, value: &str| -> (Occur, Box<dyn Query>) {
        (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)))
    };
    required.extend(filters.themes.iter().map(|t| term(fields.theme, t)));
    required.extend(filters.authority.iter().map(|a| term(fields.authority_slug, a)));
    required.extend(filters.survey.iter().map(|s| term(fields.survey, s)));
    required.extend(filters.year.iter().map(|y| term(fields.year, &y.to_string())));
    let query: Box<dyn Query> = if required.is_empty() {
        parsed
    } else {
        let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(required)), 0.0);
        Box::new(BooleanQuery::new(vec![(Occur::Must, parsed), (Occur::Must, Box::new(filter))]))
    };
    let searcher = index.index.reader()?.searcher();
    let hits = searcher.search(&*query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    Ok(hits.into_iter().map(|(score, address)| Hit { doc: address.doc_id, score }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_like_the_contract() {
        assert_eq!(sanitize("Care-Leavers AND don't C++ ΟΔΟΣ"), "care leavers and don t c   οδοσ");
        assert_eq!(words("rust Rust rust running"), ["rust", "running"]);
    }

    #[test]
    fn clauses_are_word_major_and_drop_long_words() {
        let clauses = clauses(&format!("housing {}", "x".repeat(40)));
        assert_eq!(clauses.len(), SEARCHED.len());
        assert!(clauses.iter().all(|c| c.term == "hous" && c.word == 0));
        assert_eq!(clauses[0].boost, 3.0);
    }
}
