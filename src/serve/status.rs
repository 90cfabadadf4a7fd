//! What the event stream tells open pages: the state of the served site
//! after the last build, and the name of the event that moves a page from
//! one state to the next.
//!
//! Every event carries the whole [`Status`] as JSON, so a page that missed
//! events (it loaded while a build was running, or its connection dropped)
//! still ends up right: it compares the version it was served with to the
//! status's, and reloads, restyles or shows problems from that alone.

use crate::diagnostic::Diagnostic;
use crate::load::Sources;
use serde::Serialize;
use std::collections::BTreeMap;

/// The state of the served site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Names the served files: `<session>-<n>`, where `n` counts the
    /// builds that changed them. Pages are served with the version they
    /// belong to.
    pub version: String,
    /// Whether a build has succeeded yet; before that, every page is a
    /// placeholder.
    pub built: bool,
    /// When the change to this version was to stylesheets only.
    pub restyle: Option<Restyle>,
    /// Which files the change to this version wrote or removed, when they
    /// are few: open pages none of them touch keep their place.
    pub changed: Option<Changed>,
    /// Whether the served files are a whole build. A preview of a saved
    /// case study (its page only) is not; the full build that follows is.
    pub settled: bool,
    /// The problems of the last build when it failed; the files served are
    /// then the last good build's. Empty when it succeeded.
    pub problems: Vec<Problem>,
}

/// A change that open pages can apply by swapping stylesheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restyle {
    /// The version the change applies to.
    pub from: String,
    /// Old path to new path of each changed stylesheet, relative to the
    /// site root.
    pub stylesheets: BTreeMap<String, String>,
}

/// The files one change wrote or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// The version the change applies to.
    pub from: String,
    /// Paths relative to the site root, sorted.
    pub files: Vec<String>,
}

/// A diagnostic as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The line of the file the diagnostic points at, when it has one.
    pub source_line: Option<String>,
}

impl Problem {
    /// Each diagnostic with the line it points at, from `sources`.
    pub fn all(diagnostics: &[Diagnostic], sources: Option<&Sources>) -> Vec<Problem> {
        diagnostics
            .iter()
            .map(|d| Problem {
                diagnostic: d.clone(),
                source_line: d.line.and_then(|line| {
                    let text = sources.and_then(|s| s.text_of(&d.file))?;
                    text.lines().nth(line.checked_sub(1)?).map(str::to_string)
                }),
            })
            .collect()
    }
}

impl Status {
    /// The status of a session before its first build.
    pub fn starting(session: &str) -> Status {
        Status {
            version: format!("{session}-0"),
            built: false,
            restyle: None,
            changed: None,
            settled: false,
            problems: Vec::new(),
        }
    }
}

/// The event that takes a connection from the status it was last sent
/// (`None`: it has just connected) to `current`: `status` first, then
/// `reload` or `css` when the served files changed, `error` when a build
/// failed, and `ok` when a build succeeded without changing anything.
pub fn event_name(previous: Option<&Status>, current: &Status) -> &'static str {
    match previous {
        None => "status",
        Some(p) if p.version != current.version => match &current.restyle {
            Some(restyle) if restyle.from == p.version => "css",
            _ => "reload",
        },
        Some(_) if !current.problems.is_empty() => "error",
        Some(_) => "ok",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    #[test]
    fn events_follow_the_status() {
        let start = Status::starting("s");
        assert_eq!(event_name(None, &start), "status");
        let built = Status { version: "s-1".into(), built: true, ..start.clone() };
        assert_eq!(event_name(Some(&start), &built), "reload");
        let restyle = Restyle { from: "s-1".into(), stylesheets: BTreeMap::new() };
        let restyled = Status { version: "s-2".into(), restyle: Some(restyle), ..built.clone() };
        assert_eq!(event_name(Some(&built), &restyled), "css");
        assert_eq!(event_name(Some(&start), &restyled), "reload", "a missed version means a reload");
        let problem = Problem { diagnostic: Diagnostic::file_error("site.yaml", "x", "bad"), source_line: None };
        let failed = Status { problems: vec![problem], ..restyled.clone() };
        assert_eq!(event_name(Some(&restyled), &failed), "error");
        assert_eq!(event_name(Some(&failed), &restyled), "ok");
    }

    #[test]
    fn problems_carry_their_line() {
        let d = Diagnostic::error("site.yaml", Pos::new(2, 1), "x", "bad");
        let [p] = &Problem::all(&[d], None)[..] else { panic!() };
        assert_eq!(p.source_line, None);
        let json = serde_json::to_value(p).unwrap();
        assert_eq!(json["file"], "site.yaml");
        assert_eq!(json["line"], 2);
    }
}
