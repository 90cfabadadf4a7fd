//! Stage 4, index: search over the published case studies.
//!
//! At build, every published case study is indexed with tantivy (one
//! segment, slug order: see [`index`]); related case studies are computed
//! from that index; and the index is exported as static files under
//! `search/` for the browser client. [`query`] scores queries exactly as
//! the client does. tantivy types never leave this module.

pub mod cache;
pub mod export;
pub mod index;
pub mod query;
pub mod related;
mod schema;
pub mod snippet;

pub use index::{index, DocInfo, SearchIndex};
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

/// Indexes the published case studies, finds related ones and exports the
/// static index. With `cache`, the tantivy index is built on disk there
/// (see [`cache`]) so `practicebank search` can reuse it.
pub fn build(site: &Site, drafts: bool, cache: Option<&cache::Cache>) -> Result<Searchable, Diagnostic> {
    let fail = |e: tantivy::TantivyError| {
        Diagnostic::file_error("search index", "search-index", format!("cannot build the search index: {e}"))
    };
    let staged = cache.and_then(|c| c.stage().ok());
    let index = index::index(site, drafts, staged.as_deref())?;
    let published: Vec<&crate::model::CaseStudy> = site.case_studies.iter().filter(|c| drafts || !c.draft).collect();
    let related_ids = related::related(&index, &published).map_err(fail)?;
    let related = related_ids
        .into_iter()
        .enumerate()
        .map(|(doc, ids)| {
            (index.docs[doc].slug.clone(), ids.into_iter().map(|id| index.docs[id as usize].slug.clone()).collect())
        })
        .collect();
    let files = export::export(&index, &site.config).map_err(fail)?;
    if let (Some(cache), Some(staged)) = (cache, staged) {
        // The cache only saves time later; failing to keep it loses nothing.
        let _ = cache.keep(&staged, &index.docs);
    }
    Ok(Searchable { related, files })
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

/// Searches the published case studies of `site` like the browser client:
/// with the index cached by the last build when it is current, otherwise
/// with a fresh index in memory. Also says whether the cache was used.
pub fn find(
    site: &Site,
    sources: &crate::load::Sources,
    query_text: &str,
    filters: &query::Filters,
    limit: usize,
) -> Result<(Vec<Found>, bool), Diagnostic> {
    let fail = |e: tantivy::TantivyError| {
        Diagnostic::file_error("search index", "search-index", format!("cannot search: {e}"))
    };
    let cached = cache::Cache::new(sources, false).open();
    let from_cache = cached.is_some();
    let index = match cached {
        Some(index) => index,
        None => index::index(site, false, None)?,
    };
    Ok((results(site, &index, query_text, filters, limit).map_err(fail)?, from_cache))
}

/// The results of a query over `index`, as the browser client gives them.
pub fn results(
    site: &Site,
    index: &SearchIndex,
    query_text: &str,
    filters: &query::Filters,
    limit: usize,
) -> tantivy::Result<Vec<Found>> {
    let hits = query::search(index, query_text, filters, limit)?;
    let terms: std::collections::BTreeSet<String> = query::clauses(query_text).into_iter().map(|c| c.term).collect();
    Ok(hits
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
        .collect())
}
