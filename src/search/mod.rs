//! Stage 4, index: search over the published case studies.
//!
//! At build, the published case studies are analysed once, in parallel,
//! into an [`inverted`] index that holds what tantivy's would (made with
//! tantivy's analyzer and fieldnorm code; the tests hold the two equal);
//! related case studies are computed from it; and it is exported as static
//! files under `search/` for the browser client. The tantivy index itself
//! ([`index`]) is built by `practicebank search`, which keeps it in a
//! [`cache`], and by the tests, as the reference the client is held to:
//! [`query`] scores queries exactly as the client does. tantivy types never
//! leave this module.

pub mod cache;
pub mod document;
pub mod evaluate;
pub mod export;
pub mod filters;
pub mod glossary;
pub mod index;
pub mod inverted;
pub mod lexicon;
pub mod plan;
pub mod query;
pub mod related;
mod schema;
pub mod snippet;

pub use document::DocInfo;
pub use index::{index, SearchIndex};
/// The analyzer of every searched field, for the tests and tools that pin
/// what it does (golden stems and tokens).
pub use schema::analyzer;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use std::collections::BTreeMap;

/// What the search stage gives the rest of the build.
#[derive(Clone)]
pub struct Searchable {
    /// Slug to the slugs of its related case studies, best first.
    pub related: BTreeMap<String, Vec<String>>,
    /// The static index under `search/`.
    pub files: Vec<OutputFile>,
}

/// Indexes the published case studies (drafts too if asked), finds
/// related ones and exports the static index.
pub fn build(site: &Site, drafts: bool) -> Searchable {
    let published: Vec<&crate::model::CaseStudy> = site.case_studies.iter().filter(|c| drafts || !c.draft).collect();
    let inverted = inverted::Inverted::build(&published, &site.config);
    let themes: Vec<&[String]> = published.iter().map(|c| c.themes.as_slice()).collect();
    // Both only read the index; side by side, each fills the other's
    // stretches on one core.
    let (related, files) = rayon::join(
        || related::related(&inverted, &themes),
        || {
            let lexicon = lexicon::Lexicon::new(&inverted, &glossary::active(&site.config.glossary));
            export::export(&inverted, &lexicon, &site.config)
        },
    );
    let related = related
        .into_iter()
        .enumerate()
        .map(|(doc, ids)| {
            (published[doc].slug.clone(), ids.into_iter().map(|id| published[id as usize].slug.clone()).collect())
        })
        .collect();
    Searchable { related, files }
}

/// One search result, as the browser client gives it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Found {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub authority: String,
    pub themes: Vec<String>,
    pub summary: String,
    /// The f32 score, widened exactly, as JavaScript holds it.
    pub score: f64,
    pub snippet: String,
}

/// What a search gives: the results, the plan they were found with, and
/// how many case studies matched in all.
pub struct Answer {
    pub found: Vec<Found>,
    pub plan: plan::Plan,
    pub total: usize,
}

/// Searches the published case studies of `site` like the browser client.
/// `exact` turns typo correction off.
pub fn find(
    site: &Site,
    sources: &crate::load::Sources,
    query_text: &str,
    filters: &query::Filters,
    limit: usize,
    exact: bool,
) -> Result<Answer, Diagnostic> {
    let index = open(site, sources)?;
    let plan = query::plan_of(&index, query_text, plan::Switches::exact(exact)).map_err(search_failed)?;
    let (found, total) = results(site, &index, &plan, filters, limit).map_err(search_failed)?;
    Ok(Answer { found, plan, total })
}

/// The index of the published case studies of `site`: the one cached by
/// the last search when it is current, otherwise a fresh one, kept in the
/// cache when the site folder allows.
pub fn open(site: &Site, sources: &crate::load::Sources) -> Result<SearchIndex, Diagnostic> {
    let cache = cache::Cache::new(sources, false);
    if let Some(index) = cache.open() {
        return Ok(index);
    }
    // The cache only saves time, so failing to keep it loses nothing.
    match keep_index(site, &cache) {
        Some(index) => Ok(index),
        None => index::index(site, false, None),
    }
}

/// A search that tantivy could not carry out, as a diagnostic.
pub fn search_failed(e: tantivy::TantivyError) -> Diagnostic {
    Diagnostic::file_error("search index", "search-index", format!("cannot search: {e}"))
}

/// Indexes `site` into `cache` and opens it from there.
fn keep_index(site: &Site, cache: &cache::Cache) -> Option<SearchIndex> {
    let staged = cache.stage().ok()?;
    let index = index::index(site, false, Some(&staged)).ok()?;
    cache.keep(&staged, &index.docs, &index.lexicon).ok()?;
    drop(index);
    cache.open()
}

/// The results of a planned query over `index`, as the browser client
/// gives them, and how many case studies matched.
pub fn results(
    site: &Site,
    index: &SearchIndex,
    plan: &plan::Plan,
    filters: &query::Filters,
    limit: usize,
) -> tantivy::Result<(Vec<Found>, usize)> {
    let (hits, total) = query::search(index, plan, filters, limit)?;
    let terms = plan.marked_terms();
    let found = hits
        .into_iter()
        .map(|hit| {
            let doc = &index.docs[hit.doc as usize];
            let source = if doc.text.is_empty() { &doc.summary } else { &doc.text };
            Found {
                slug: doc.slug.clone(),
                url: format!("{}case-studies/{}/", site.config.base_url, doc.slug),
                title: doc.title.clone(),
                authority: doc.authority.clone(),
                themes: doc.themes.clone(),
                summary: doc.summary.clone(),
                score: f64::from(hit.score),
                snippet: snippet::snippet(source, &terms),
            }
        })
        .collect();
    Ok((found, total))
}
