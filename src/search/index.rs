//! Indexing: published case studies into a one-segment tantivy index whose
//! doc ids follow slug order, so ids, ties and the export are reproducible.

use super::document::{doc_info, plain_fields, DocInfo};
use super::lexicon::Lexicon;
use super::schema::{self, Fields, ANALYZER};
use crate::diagnostic::Diagnostic;
use crate::model::{CaseStudy, Site, SiteConfig};
use std::path::Path;
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

/// A flush threshold, not an allocation: high enough that one indexing
/// thread never cuts a second segment for any realistic bank.
const MEMORY_BUDGET: usize = 1 << 30;

/// The tantivy index of a site, with what it was built from.
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    /// Indexed case studies; a doc id is an index into this list.
    pub docs: Vec<DocInfo>,
    /// What query plans need besides the postings.
    pub lexicon: Lexicon,
}

/// Indexes the published case studies of `site` (drafts too if asked), in
/// memory or, given `dir`, in that (empty) folder.
pub fn index(site: &Site, drafts: bool, dir: Option<&Path>) -> Result<SearchIndex, Diagnostic> {
    let fail = |e: tantivy::TantivyError| {
        Diagnostic::file_error("search index", "search-index", format!("cannot build the search index: {e}"))
    };
    let (schema, fields) = schema::schema();
    let index = match dir {
        Some(dir) => Index::create_in_dir(dir, schema).map_err(fail)?,
        None => Index::create_in_ram(schema),
    };
    index.tokenizers().register(ANALYZER, schema::analyzer());
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, MEMORY_BUDGET).map_err(fail)?;
    let mut docs = Vec::new();
    for (ordinal, case_study) in site.case_studies.iter().filter(|c| drafts || !c.draft).enumerate() {
        writer.add_document(document(&fields, case_study, &site.config, ordinal as u64)).map_err(fail)?;
        docs.push(doc_info(case_study, &plain_fields(case_study, &site.config)));
    }
    writer.commit().map_err(fail)?;
    writer.wait_merging_threads().map_err(fail)?;
    let segments = index.searchable_segment_ids().map_err(fail)?;
    if segments.len() > 1 {
        return Err(fail(tantivy::TantivyError::InternalError(format!(
            "expected one segment, got {}",
            segments.len()
        ))));
    }
    let published: Vec<&CaseStudy> = site.case_studies.iter().filter(|c| drafts || !c.draft).collect();
    let lexicon = Lexicon::new(
        &super::inverted::Inverted::build(&published, &site.config),
        &super::glossary::active(&site.config.glossary),
    );
    Ok(SearchIndex { index, fields, docs, lexicon })
}

fn document(fields: &Fields, c: &CaseStudy, config: &SiteConfig, ordinal: u64) -> TantivyDocument {
    let texts = plain_fields(c, config);
    let mut document = doc!(
        fields.ordinal => ordinal,
        fields.slug => c.slug.clone(),
        fields.authority_slug => c.authority_slug.clone(),
        fields.year => c.date.year.to_string(),
    );
    for (field, text) in fields.searched.iter().zip(texts) {
        document.add_text(*field, text);
    }
    for theme in &c.themes {
        document.add_text(fields.theme, theme);
    }
    if let Some(survey) = &c.survey {
        document.add_text(fields.survey, survey);
    }
    document
}
