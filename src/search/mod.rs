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
pub mod export;
pub mod index;
pub mod inverted;
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

/// Indexes the published case studies (drafts too if asked), finds
/// related ones and exports the static index.
pub fn build(site: &Site, drafts: bool) -> Searchable {
    let published: Vec<&crate::model::CaseStudy> = site.case_studies.iter().filter(|c| drafts || !c.draft).collect();
    let inverted = inverted::Inverted::build(&published);
    let themes: Vec<&[String]> = published.iter().map(|c| c.themes.as_slice()).collect();
    // Both only read the index; side by side, each fills the other's
    // stretches on one core.
    let (related, files) =
        rayon::join(|| related::related(&inverted, &themes), || export::export(&inverted, &site.config));
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
    let cache = cache::Cache::new(sources, false);
    let cached = cache.open();
    let from_cache = cached.is_some();
    let index = match cached {
        Some(index) => index,
        // Kept for next time when the site folder allows it; the cache
        // only saves time, so failing to keep it loses nothing.
        None => match keep_index(site, &cache) {
            Some(index) => index,
            None => index::index(site, false, None)?,
        },
    };
    Ok((results(site, &index, query_text, filters, limit).map_err(fail)?, from_cache))
}

/// Indexes `site` into `cache` and opens it from there.
fn keep_index(site: &Site, cache: &cache::Cache) -> Option<SearchIndex> {
    let staged = cache.stage().ok()?;
    let index = index::index(site, false, Some(&staged)).ok()?;
    cache.keep(&staged, &index.docs).ok()?;
    drop(index);
    cache.open()
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
