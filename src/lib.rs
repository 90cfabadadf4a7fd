//! practicebank: a static site generator for banks of practice examples.
//!
//! The build is a pipeline of stages, each a module with one entry point:
//! [`load`] (disk to [`load::Sources`]) and [`validate`] (sources to a valid
//! [`model::Site`], or every [`diagnostic::Diagnostic`]). [`cli`] wires them
//! to the `practicebank` command.

// Diagnostics are the error type of every stage and are only built on the
// cold path; boxing them would cost clarity and buy nothing.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod frontmatter;
pub mod load;
pub mod model;
pub mod report;
pub mod slug;
pub mod suggest;
pub mod validate;
pub mod yaml;

use diagnostic::Diagnostic;
use std::path::Path;

/// What `check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Case-study files seen, readable or not.
    pub case_studies: usize,
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the problems are with the site itself (no `site.yaml`, an
    /// invalid one) rather than with case studies.
    pub site_invalid: bool,
    /// The site's sources, for showing the lines problems point at.
    pub sources: Option<load::Sources>,
}

/// Loads and validates the site at `root` without writing anything.
pub fn check(root: &Path) -> CheckReport {
    let sources = match load::load(root) {
        Ok(sources) => sources,
        Err(diagnostic) => {
            return CheckReport {
                case_studies: 0,
                diagnostics: vec![diagnostic],
                site_invalid: true,
                sources: None,
            }
        }
    };
    let case_studies = sources.case_study_count();
    match validate::validate(&sources) {
        Ok(_) => CheckReport {
            case_studies,
            diagnostics: Vec::new(),
            site_invalid: false,
            sources: Some(sources),
        },
        Err(invalid) => CheckReport {
            case_studies,
            diagnostics: invalid.diagnostics,
            site_invalid: invalid.config,
            sources: Some(sources),
        },
    }
}
