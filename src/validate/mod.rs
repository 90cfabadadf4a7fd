//! Stage 2, validate: [`Sources`] become a valid [`Site`], or every problem.
//!
//! Pure: reads nothing from disk. `site.yaml` is checked first, since case
//! studies are judged against its vocabulary; then every case study, all of
//! them, so the author sees every problem in one run; then what only shows
//! across files (slugs that collide). A case study still holding the
//! guidance text of `practicebank new` is invalid ([`guidance`]).

mod case_study;
mod config;
mod fields;
pub mod guidance;
mod raw;

pub use case_study::{validate as validate_case_study, MAX_FIGURES, MAX_SUMMARY, MAX_THEMES, MAX_TITLE};
pub use config::{validate as validate_config, DEFAULT_PAGE_SIZE, DEFAULT_THEME};
pub use fields::check_web_url;
pub use raw::{CASE_STUDY_KEYS, FIGURE_KEYS, QUOTE_KEYS, RESOURCE_KEYS};

use crate::diagnostic::{self, Diagnostic};
use crate::load::{Asset, Sources};
use crate::model::Site;
use crate::slug;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Why a site is not valid.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether `site.yaml` itself is at fault (then case studies were not
    /// checked against it).
    pub config: bool,
}

/// Validates a whole site.
pub fn validate(sources: &Sources) -> Result<Site, Invalid> {
    let config = config::validate(&sources.config).map_err(|diagnostics| Invalid { diagnostics, config: true })?;
    let mut diagnostics = sources.unreadable.clone();
    // Files are independent of each other; `collect` keeps their order.
    let results: Vec<_> =
        sources.case_studies.par_iter().map(|source| case_study::validate(source, &config, &sources.assets)).collect();
    let mut case_studies = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(case_study) => case_studies.push(case_study),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    diagnostics.extend(collisions(sources));
    if diagnostics.is_empty() {
        case_studies.sort_by(|a, b| a.slug.cmp(&b.slug));
        let assets = sources
            .assets
            .iter()
            .filter_map(|(path, asset)| match asset {
                Asset::File { size } => Some((path.clone(), *size)),
                Asset::OutsideContent => None,
            })
            .collect();
        Ok(Site { root: sources.root.clone(), config, case_studies, assets })
    } else {
        diagnostic::sort(&mut diagnostics);
        Err(Invalid { diagnostics, config: false })
    }
}

/// Case-study files whose slugs would be the same page: `Coventry.md` and
/// `coventry.md`, or two files of one name in different folders.
fn collisions(sources: &Sources) -> Vec<Diagnostic> {
    let mut by_slug: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for source in &sources.case_studies {
        by_slug.entry(slug::slugify(&source.stem)).or_default().push(&source.file);
    }
    let mut out = Vec::new();
    for (slug, files) in by_slug.into_iter().filter(|(_, files)| files.len() > 1) {
        for file in &files {
            let others: Vec<String> = files.iter().filter(|f| *f != file).map(|f| format!("`{f}`")).collect();
            out.push(
                Diagnostic::file_error(
                    file,
                    "slug-collision",
                    format!("this file and {} would both be the page `/case-studies/{slug}/`", others.join(" and ")),
                )
                .with_help("give each case study its own file name"),
            );
        }
    }
    out
}
