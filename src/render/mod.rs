//! Stage 3, render: a valid [`Site`] becomes the files of the published
//! site, handed to a [`Sink`] as they are made (the write stage's staging
//! folder, or memory), so the whole site is never held at once.
//!
//! Reads nothing but the theme (see [`theme`]).
//! Pages are rendered from view structs ([`views`]) with tera, in parallel;
//! feeds, the sitemap and open data are written directly. Links between
//! case studies are resolved here, and a broken one is a diagnostic with
//! the file and line of the link.

mod chart;
mod data;
mod feeds;
mod pages;
pub mod theme;
pub mod views;

pub use feeds::robots_note;
pub use theme::Templates;

use crate::diagnostic::{self, Diagnostic};
use crate::model::{CaseStudy, Site};
use crate::output::{OutputFile, Sink};
use crate::Progress;
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// What to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Include case studies marked `draft: true`.
    pub drafts: bool,
}

/// The case studies being published, in the orders pages need them.
pub struct Published<'a> {
    pub site: &'a Site,
    /// By slug.
    pub by_slug: BTreeMap<&'a str, &'a CaseStudy>,
    /// Newest first; same date by slug.
    pub newest_first: Vec<&'a CaseStudy>,
}

impl<'a> Published<'a> {
    pub fn new(site: &'a Site, options: RenderOptions) -> Published<'a> {
        let included: Vec<&CaseStudy> = site.case_studies.iter().filter(|c| options.drafts || !c.draft).collect();
        let by_slug = included.iter().map(|c| (c.slug.as_str(), *c)).collect();
        let mut newest_first = included;
        newest_first.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        Published { site, by_slug, newest_first }
    }
}

/// Renders every file of the site.
pub fn render(
    site: &Site,
    templates: &Templates,
    options: RenderOptions,
    related: &BTreeMap<String, Vec<String>>,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let published = Published::new(site, options);
    let recorded = Recorded { sink, paths: Mutex::new(Vec::new()) };
    // Feeds and open data are long single pieces of work: made beside the
    // pages, they fill gaps the pages leave instead of ending the stage
    // on one core.
    let (rendered, (feeds, open_data)) = rayon::join(
        || pages::render_pages(&published, templates, related, progress, &recorded),
        || rayon::join(|| feeds::feeds(&published), || data::open_data(&published)),
    );
    rendered?;
    let mut paths = recorded.paths.into_inner().unwrap_or_else(PoisonError::into_inner);
    paths.sort_unstable();
    let mut files = vec![feeds::sitemap(&published, &paths), feeds::robots(&published)];
    files.extend(feeds);
    files.extend(open_data);
    paths.extend(files.iter().map(|f| f.path.clone()));
    for file in files {
        sink.put(file).map_err(|d| vec![d])?;
    }
    paths.sort_unstable();
    let mut clashes: Vec<Diagnostic> = paths
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| {
            Diagnostic::file_error(
                crate::load::CONTENT_DIR,
                "output-clash",
                format!("two files would be written to `{}`", pair[0]),
            )
            .with_help("rename the resource file so it does not clash with a page (such as `index.html`)")
        })
        .collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        diagnostic::sort(&mut clashes);
        Err(clashes)
    }
}

/// The pages of one case study as they would be with `replacement` in
/// place of the case study of the same slug in `site`: its page and the
/// resource files it links. What depends on the rest of the site (the
/// related list, theme counts, links to other case studies) is taken from
/// `site` and `related` as they are.
pub fn case_study_preview(
    site: &Site,
    templates: &Templates,
    options: RenderOptions,
    related: &BTreeMap<String, Vec<String>>,
    replacement: &CaseStudy,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut published = Published::new(site, options);
    published.by_slug.insert(&replacement.slug, replacement);
    for slot in published.newest_first.iter_mut().filter(|c| c.slug == replacement.slug) {
        *slot = replacement;
    }
    pages::case_study_pages(&published, templates, related, replacement)
}

/// The problems with the links and images of the case studies `options`
/// publishes, sorted: what rendering them would report, found without
/// rendering (for `check`).
pub fn check_links(site: &Site, options: RenderOptions) -> Vec<Diagnostic> {
    let mut problems = pages::link_problems(&Published::new(site, options));
    diagnostic::sort(&mut problems);
    problems
}

/// Passes files on, noting their paths (for the sitemap, and to find two
/// files with the same path).
struct Recorded<'a> {
    sink: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl Sink for Recorded<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.paths.lock().unwrap_or_else(PoisonError::into_inner).push(file.path.clone());
        self.sink.put(file)
    }
}

/// The way back to the site root from a page at `path` (`themes/x/` gives
/// `../../`).
pub fn root_from(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// `1 October 2020`.
pub fn date_text(date: crate::date::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", date.day, MONTHS[usize::from(date.month) - 1], date.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(root_from(""), "");
        assert_eq!(root_from("themes/"), "../");
        assert_eq!(root_from("themes/housing/page/2/"), "../../../../");
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(date_text(crate::date::Date::parse("2020-10-01").unwrap()), "1 October 2020");
    }
}
