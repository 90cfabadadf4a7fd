//! A case study as search sees it: the text of each searched field, and
//! what a result shows. Shared by the tantivy index and the build's own
//! inverted index, so both index the same text.

use super::schema::FIELDS;
use crate::markdown;
use crate::model::{CaseStudy, SiteConfig};
use serde::{Deserialize, Serialize};

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

/// How much of a case study's text snippets are chosen from.
const SNIPPET_SOURCE_CHARS: usize = 1200;

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
