//! What templates see: view structs built from the model.
//!
//! Templates never see the model itself, so renaming a model field is a
//! compile error here instead of an empty spot on a page. Every `url` is a
//! path relative to the site root (`case-studies/x/`, never starting with
//! `/`); templates prefix it with `page.root`, the way back to the root
//! from the current page (`../../`), so the output works under any
//! `base_url` path and from any host. `*_html` fields are sanitised HTML
//! and are the only ones a template may mark `safe`.
//!
//! Every template gets `site` ([`SiteView`]), `page` ([`PageMeta`]) and
//! `assets` ([`AssetUrls`]), and one more value named after its kind:
//! `home`, `case_study`, `listing`, `themes_index` or `authorities`.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    pub language: &'static str,
    /// Every theme, A to Z by label, with counts: for navigation and the
    /// no-JavaScript search fallback.
    pub themes: Vec<ThemeView>,
    pub generator: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetUrls {
    /// Content-hashed, relative to the root.
    pub css: String,
    pub print_css: String,
    pub js: String,
    /// The search page's ES module.
    pub search_js: String,
    /// The theme's `favicon.svg`, linked from every page so browsers do
    /// not ask for `/favicon.ico` at the root of the host (outside the
    /// site when `base_url` has a path). Empty if the theme has none.
    pub icon: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// For `<title>`: already includes the site title where wanted.
    pub title: String,
    /// The page's `<h1>`.
    pub heading: String,
    /// For `<meta name="description">` and Open Graph.
    pub description: String,
    /// Absolute URL of this page.
    pub canonical_url: String,
    /// Relative path from this page to the site root: `""`, `"../"`, ...
    pub root: String,
    /// This page's own path relative to the root (`themes/housing/`).
    pub path: String,
    /// `website` or `article`, for Open Graph.
    pub og_type: &'static str,
    /// A schema.org JSON-LD document, already serialised, or empty.
    pub json_ld: String,
    /// From the home page down to (not including) this page.
    pub breadcrumbs: Vec<Link>,
    /// An Atom feed for this page, relative to the root, if there is one.
    pub feed_url: Option<String>,
    /// Which top navigation item to mark as current: `home`, `themes`,
    /// `authorities`, `search` or empty.
    pub section: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeView {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub count: usize,
    pub url: String,
}

/// A case study in a list: the home page, theme and authority pages.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub authority: String,
    pub authority_url: String,
    /// `2020-10-01`, for `<time datetime>`.
    pub date: String,
    /// `1 October 2020`.
    pub date_text: String,
    pub summary: String,
    pub themes: Vec<Link>,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub latest: Vec<Card>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseStudyView {
    pub slug: String,
    pub title: String,
    pub authority: Link,
    pub themes: Vec<Link>,
    pub survey: Option<Link>,
    pub date: String,
    pub date_text: String,
    pub summary: String,
    /// The Markdown fields as HTML; each is empty when it shows nothing
    /// (only HTML comments or blank space), so its heading is left out.
    pub why_html: String,
    pub what_html: String,
    pub impact_html: String,
    /// Empty when the case study has no body, or one that shows nothing.
    pub body_html: String,
    pub figures: Vec<FigureView>,
    pub quotes: Vec<QuoteView>,
    pub resources: Vec<ResourceView>,
    /// Up to four related case studies, from the search stage.
    pub related: Vec<Card>,
    /// "Suggest an edit" link, when `site.yaml` has `repository`.
    pub edit_url: Option<String>,
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub label: String,
    /// `92%`.
    pub value_text: String,
    pub comparison_text: Option<String>,
    pub comparison_label: Option<String>,
    pub year: Option<u16>,
    /// The whole sentence a screen reader needs: "92% in Coventry, compared
    /// with 87% of care leavers in other local authorities (2020)".
    pub text: String,
    /// An inline `<svg>` bar chart, hidden from assistive technology (the
    /// template shows `text` to them instead).
    pub chart_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceView {
    pub title: String,
    /// Relative to the root for files; absolute for links.
    pub url: String,
    /// `file` or `link`.
    pub kind: &'static str,
    /// For files: `PDF`, `CSV`, ... and `400 KB`.
    pub file_type: Option<String>,
    pub size_text: Option<String>,
    /// For links: the host name, so readers see where they are going.
    pub host: Option<String>,
}

/// A page of case studies: a theme, an authority or a survey.
#[derive(Debug, Clone, Serialize)]
pub struct ListingView {
    /// `theme`, `authority` or `survey`.
    pub kind: &'static str,
    pub description: String,
    pub total: usize,
    pub items: Vec<Card>,
    pub pagination: Option<Pagination>,
}

/// GOV.UK-style pagination.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total_pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page numbers to show, with gaps as `ellipsis`.
    pub items: Vec<PageItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageItem {
    /// 0 for an ellipsis.
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub ellipsis: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemesIndexView {
    pub themes: Vec<ThemeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthoritiesView {
    pub letters: Vec<Letter>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// `A` to `Z`, or `#` for names that start otherwise.
    pub letter: String,
    /// An id for the letter's heading: `letter-a`, or `letter-other`.
    pub id: String,
    pub authorities: Vec<AuthorityView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorityView {
    pub name: String,
    pub url: String,
    pub count: usize,
}
