//! Stage 4, index: search over the published case studies.
//!
//! At build, every published case study is indexed with tantivy (one
//! segment, slug order: see [`index`]); related case studies are computed
//! from that index; and the index is exported as static files under
//! `search/` for the browser client. [`query`] scores queries exactly as
//! the client does. tantivy types never leave this module.

pub mod export;
pub mod index;
pub mod query;
pub mod related;
mod schema;

pub use index::{index, DocInfo, SearchIndex};

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use std::collections::BTreeMap;

/// What the search stage gives the rest of the build.
pub struct Searchable {
    /// Slug to the slugs of its related case studies, best first.
    pub related: BTreeMap<String, Vec<String>>,
    /// The static index under `search/`.
    pub files: Vec<OutputFile>,
}

/// Indexes the published case studies, finds related ones and exports the
/// static index.
pub fn build(site: &Site, drafts: bool) -> Result<Searchable, Diagnostic> {
    let fail = |e: tantivy::TantivyError| {
        Diagnostic::file_error("search index", "search-index", format!("cannot build the search index: {e}"))
    };
    let index = index::index(site, drafts, None)?;
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
    Ok(Searchable { related, files })
}
