//! The valid site: what validation produces and every later stage reads.
//!
//! These types are valid by construction. A `CaseStudy` has resolved themes,
//! a real date, percentages in range and resource files that exist inside
//! `content/`; renderers and the indexer never check again.

use crate::date::Date;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A whole valid site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The site folder (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Every case study, drafts included, sorted by slug.
    pub case_studies: Vec<CaseStudy>,
    /// Every other file inside `content/`: path relative to `content/`
    /// (`/`-separated) to size in bytes. Links pointing out of `content/`
    /// are not here.
    pub assets: BTreeMap<String, u64>,
}

/// `site.yaml`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute http(s) URL, always ending in `/`.
    pub base_url: String,
    pub repository: Option<String>,
    /// The look: a folder under `<root>/themes/`, or `default`.
    pub theme: String,
    /// The topic vocabulary, keyed by slug.
    pub themes: BTreeMap<String, Theme>,
    pub surveys: BTreeMap<String, Survey>,
    /// How many case studies a listing page shows.
    pub page_size: usize,
    /// `search.glossary`: the site's own glossary groups, and built-in ones
    /// switched off.
    pub glossary: crate::search::glossary::Settings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub slug: String,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub slug: String,
    pub label: String,
    pub description: String,
}

/// A Markdown field with the line of the file it starts on, so later stages
/// (link checking) can point into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    pub text: String,
    pub line: usize,
}

/// One valid case study.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseStudy {
    pub slug: String,
    /// The source file relative to the site root, `/`-separated.
    pub file: String,
    pub title: String,
    pub authority: String,
    /// `slug::slugify(authority)`, for authority pages.
    pub authority_slug: String,
    /// Theme slugs, each in the site's vocabulary, in the author's order.
    pub themes: Vec<String>,
    pub survey: Option<String>,
    pub date: Date,
    /// Plain text.
    pub summary: String,
    pub why: Markdown,
    pub what: Markdown,
    pub impact: Markdown,
    /// Markdown after the front matter; may be empty.
    pub body: Markdown,
    pub figures: Vec<Figure>,
    pub quotes: Vec<Quote>,
    pub resources: Vec<Resource>,
    pub draft: bool,
}

/// A survey result: the authority's percentage, and what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    /// A percentage, 0 to 100.
    pub value: f64,
    pub comparison: Option<Comparison>,
    pub year: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// A percentage, 0 to 100.
    pub value: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub title: String,
    pub target: ResourceTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceTarget {
    /// A file inside `content/`: its path relative to `content/`,
    /// `/`-separated, and its size in bytes.
    File { path: String, size: u64 },
    /// An `http` or `https` URL.
    Url(String),
}
