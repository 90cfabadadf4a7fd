//! Printing diagnostics for people, for GitHub and for programs.
//!
//! Three formats of the same [`Diagnostic`]s: `human` (compiler-style, with
//! the source line and a caret; colour only when the stream is a terminal
//! and `NO_COLOR` is unset, which `anstream` decides), `github` (workflow
//! commands that become pull-request annotations) and `json`.

use crate::diagnostic::{Diagnostic, Severity};
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const ACCENT: Style = AnsiColor::Blue.on_default().bold();
const HELP: Style = AnsiColor::Cyan.on_default().bold();
const BOLD: Style = Style::new().bold();

/// One diagnostic in the human format, with ANSI styles (stripped later when
/// the output is not a terminal). `source` is the file's text, if known.
pub fn human(diagnostic: &Diagnostic, source: Option<&str>) -> String {
    let mut out = String::new();
    let (label, style) = match diagnostic.severity {
        Severity::Error => ("error", ERROR),
        Severity::Warning => ("warning", WARNING),
    };
    let place = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", diagnostic.file),
        (Some(line), None) => format!("{}:{line}", diagnostic.file),
        _ => diagnostic.file.clone(),
    };
    let _ = writeln!(
        out,
        "{BOLD}{place}:{BOLD:#} {style}{label}[{}]:{style:#} {BOLD}{}{BOLD:#}",
        diagnostic.code, diagnostic.message
    );
    if let (Some(line_no), Some(text)) =
        (diagnostic.line, diagnostic.line.and_then(|l| source.and_then(|s| s.lines().nth(l - 1))))
    {
        let shown: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let gutter = line_no.to_string().len();
        let column = diagnostic.column.unwrap_or(1).max(1);
        let width = caret_width(&shown, column);
        let _ = writeln!(out, "{ACCENT}{line_no} |{ACCENT:#} {}", shown.trim_end());
        let _ = writeln!(
            out,
            "{ACCENT}{:gutter$} |{ACCENT:#} {:pad$}{style}{}{style:#}",
            "",
            "",
            "^".repeat(width),
            pad = column - 1
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "  {HELP}help:{HELP:#} {help}");
    }
    out
}

/// How many characters of the word starting at `column` to underline.
fn caret_width(line: &str, column: usize) -> usize {
    let word =
        line.chars().skip(column - 1).take_while(|c| !c.is_whitespace() && !matches!(c, ':' | ',' | ']' | '}')).count();
    word.max(1)
}

/// One diagnostic as a GitHub Actions workflow command.
pub fn github(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = format!("file={}", escape_property(&diagnostic.file));
    if let Some(line) = diagnostic.line {
        let _ = write!(properties, ",line={line}");
    }
    if let Some(column) = diagnostic.column {
        let _ = write!(properties, ",col={column}");
    }
    let _ = write!(properties, ",title={}", escape_property(&format!("practicebank {}", diagnostic.code)));
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!("::{command} {properties}::{}", escape_data(&message))
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// All diagnostics as a JSON array.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).expect("diagnostics are plain strings and numbers")
}

/// The closing line of `check`.
pub fn summary(case_studies: usize, diagnostics: &[Diagnostic]) -> String {
    let noun = if case_studies == 1 { "case study" } else { "case studies" };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        return format!("checked {case_studies} {noun}: no problems");
    }
    let mut files: Vec<&str> = diagnostics.iter().filter(|d| d.is_error()).map(|d| d.file.as_str()).collect();
    files.dedup();
    files.sort_unstable();
    files.dedup();
    let error_noun = if errors == 1 { "error" } else { "errors" };
    let file_noun = if files.len() == 1 { "file" } else { "files" };
    format!("checked {case_studies} {noun}: {errors} {error_noun} in {} {file_noun}", files.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    fn plain(text: &str) -> String {
        let mut out = Vec::new();
        let mut stream = anstream::StripStream::new(&mut out);
        std::io::Write::write_all(&mut stream, text.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_shows_line_caret_and_help() {
        let d = Diagnostic::error(
            "content/case-studies/a.md",
            Pos::new(3, 1),
            "unknown-key",
            "`autority` is not a key a case study can have",
        )
        .with_help("did you mean `authority`?");
        let text = plain(&human(&d, Some("---\ntitle: A\nautority: B\n---\n")));
        assert_eq!(
            text,
            "content/case-studies/a.md:3:1: error[unknown-key]: `autority` is not a key a case study can have\n\
             3 | autority: B\n  | ^^^^^^^^\n  help: did you mean `authority`?\n"
        );
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let d = Diagnostic::error("a,b.md", Pos::new(2, 5), "bad-date", "100% wrong\nreally").with_help("fix: it");
        assert_eq!(
            github(&d),
            "::error file=a%2Cb.md,line=2,col=5,title=practicebank bad-date::100%25 wrong%0Areally%0Ahelp: fix: it"
        );
    }

    #[test]
    fn summary_counts_files() {
        let d = |f: &str| Diagnostic::file_error(f, "x", "y");
        assert_eq!(summary(1, &[]), "checked 1 case study: no problems");
        assert_eq!(summary(5, &[d("a"), d("b"), d("a")]), "checked 5 case studies: 3 errors in 2 files");
    }
}
