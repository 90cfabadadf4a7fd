//! Indexing: published case studies into a one-segment tantivy index whose
//! doc ids follow slug order, so ids, ties and the export are reproducible.

use super::lexicon::Lexicon;
use super::schema::{self, Fields, ANALYZER, FIELDS};
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::{CaseStudy, Site, SiteConfig};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

/// A flush threshold, not an allocation: high enough that one indexing
/// thread never cuts a second segment for any realistic bank.
const MEMORY_BUDGET: usize = 1 << 30;

/// What a search result shows, for each indexed case study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocInfo {
    pub slug: String,
    pub title: String,
    pub authority: String,
    pub authority_slug: String,
    pub themes: Vec<String>,
    pub survey: Option<String>,
    pub year: u16,
    pub summary: String,
    /// Plain text of why, what and impact, cut short: what snippets are
    /// taken from.
    pub text: String,
}

/// The tantivy index of a site, with what it was built from.
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    /// Indexed case studies; a doc id is an index into this list.
    pub docs: Vec<DocInfo>,
    /// What query plans need besides the postings.
    pub lexicon: Lexicon,
}

/// How much of a case study's text snippets are chosen from.
const SNIPPET_SOURCE_CHARS: usize = 1200;

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

/// The text of each searched field of `c`, in [`schema::SEARCHED`] order.
pub fn plain_fields(c: &CaseStudy, config: &SiteConfig) -> [String; FIELDS] {
    [
        c.title.clone(),
        c.summary.clone(),
        markdown::plain_text(&c.why.text),
        markdown::plain_text(&c.what.text),
        markdown::plain_text(&c.impact.text),
        markdown::plain_text(&c.body.text),
        c.authority.clone(),
        theme_text(c, config),
    ]
}

/// The labels and descriptions of the themes of `c`.
fn theme_text(c: &CaseStudy, config: &SiteConfig) -> String {
    let mut text = String::new();
    for theme in c.themes.iter().filter_map(|t| config.themes.get(t)) {
        for part in [&theme.label, &theme.description] {
            if !part.is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(part);
            }
        }
    }
    text
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

/// What a result shows of `c`, given its [`plain_fields`].
pub fn doc_info(c: &CaseStudy, plain: &[String; FIELDS]) -> DocInfo {
    let mut text = plain[2..5].join(" ");
    if let Some((cut, _)) = text.char_indices().nth(SNIPPET_SOURCE_CHARS) {
        text.truncate(cut);
        // Kept for the whole build: without this, every case study would
        // hold the capacity of all its text (60 MB at 10,000).
        text.shrink_to_fit();
    }
    DocInfo {
        slug: c.slug.clone(),
        title: c.title.clone(),
        authority: c.authority.clone(),
        authority_slug: c.authority_slug.clone(),
        themes: c.themes.clone(),
        survey: c.survey.clone(),
        year: c.date.year,
        summary: c.summary.clone(),
        text,
    }
}
