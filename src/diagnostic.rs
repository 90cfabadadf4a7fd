//! Diagnostics: every problem the tool finds, as data.
//!
//! A [`Diagnostic`] names the file (relative to the site root, with `/`
//! separators), the line and column where there is one, a stable code, a
//! message for the author and, where we know the fix, a help line. Stages
//! collect them instead of stopping at the first; `report` prints them.

use serde::Serialize;

/// How bad a problem is. Errors stop a build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column, counted in characters,
/// with the opening `---` of the front matter as line 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the site root, `/`-separated.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    /// A short stable name for the kind of problem, such as `unknown-key`.
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at a place in a file.
    pub fn error(file: &str, pos: Pos, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: Some(pos.line),
            column: Some(pos.column),
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        }
    }

    /// An error about a whole file, with no line to point at.
    pub fn file_error(file: &str, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, then line and column, so reports are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message).cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}
