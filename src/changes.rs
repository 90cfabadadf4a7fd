//! What a pull request changed: `check --changed-since REV` and `--summary`.
//!
//! [`since`] asks git (as a subprocess, run in the site folder) which files
//! under the site folder differ from `REV`: the commits on this branch since
//! it left `REV` (`git diff REV...HEAD`, so work merged into `REV` later is
//! not counted) plus whatever is not committed yet (staged, unstaged and
//! untracked files, ignored files excepted). Paths are relative to the site
//! folder. When git cannot answer, the error is a [`Diagnostic`] on the
//! flag.
//!
//! [`Changes::shows`] decides which diagnostics a pull request sees: those
//! in changed files and those about the whole site. A change to `site.yaml`
//! or to a file under `content/` that is not a case study (a resource) can
//! break case studies nobody touched, so then every diagnostic is shown.
//!
//! [`summary`] writes the Markdown a reviewer reads. Nothing here writes
//! files; the command line does.

use crate::diagnostic::Diagnostic;
use crate::frontmatter;
use crate::load::{self, Sources, SITE_CONFIG};
use crate::model::SiteConfig;
use crate::validate;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

/// The files that changed since a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The revision, as given.
    pub rev: String,
    /// Path relative to the site folder, `/`-separated, to how it changed.
    pub files: BTreeMap<String, Change>,
}

/// Lists the files under `root` changed since `rev`.
pub fn since(root: &Path, rev: &str) -> Result<Changes, Diagnostic> {
    git(root, rev, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?;
    let committed =
        git(root, rev, &["diff", "--name-status", "--no-renames", "--relative", "-z", &format!("{rev}...HEAD")])?;
    let uncommitted = git(root, rev, &["diff", "--name-status", "--no-renames", "--relative", "-z", "HEAD"])?;
    let untracked = git(root, rev, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let mut files = BTreeMap::new();
    for (path, change) in name_status(&committed) {
        files.insert(path, change);
    }
    for (path, change) in name_status(&uncommitted) {
        let combined = match (files.get(&path), change) {
            // Added on the branch and deleted again before committing: gone.
            (Some(Change::Added), Change::Deleted) => None,
            (Some(Change::Added), _) => Some(Change::Added),
            (_, change) => Some(change),
        };
        match combined {
            Some(change) => files.insert(path, change),
            None => files.remove(&path),
        };
    }
    for path in untracked.split('\0').filter(|p| !p.is_empty()) {
        files.insert(path.to_string(), Change::Added);
    }
    Ok(Changes { rev: rev.to_string(), files })
}

/// Runs git in `root`; its output, or a diagnostic on `--changed-since`.
fn git(root: &Path, rev: &str, args: &[&str]) -> Result<String, Diagnostic> {
    let fail = |why: String| {
        Diagnostic::file_error(
            "--changed-since",
            "git-failed",
            format!("cannot list the files changed since `{rev}`: {why}"),
        )
        .with_help(
            "give a commit, branch or tag of this repository, such as `origin/main`, and run in a git checkout \
                 with its history (in GitHub Actions: actions/checkout with `fetch-depth: 0`)",
        )
    };
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(|e| fail(format!("git could not be run ({e})")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        let why = if why.is_empty() { format!("`{rev}` is not a commit here") } else { why };
        return Err(fail(why));
    }
    String::from_utf8(output.stdout).map_err(|_| fail("git printed a path that is not UTF-8".into()))
}

/// Parses `git diff --name-status -z` output.
fn name_status(output: &str) -> Vec<(String, Change)> {
    let mut fields = output.split('\0').filter(|f| !f.is_empty());
    let mut out = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let change = match status.chars().next() {
            Some('A') => Change::Added,
            Some('D') => Change::Deleted,
            _ => Change::Modified,
        };
        out.push((path.to_string(), change));
    }
    out
}

impl Changes {
    /// Whether a changed file can break case studies other than itself:
    /// `site.yaml`, or a file under `content/` that is not a case study.
    pub fn touches_shared_files(&self) -> bool {
        self.files
            .keys()
            .any(|path| path == SITE_CONFIG || load::in_content(path).is_some_and(|p| !load::is_case_study(p)))
    }

    /// Whether a pull request should see `diagnostic`.
    pub fn shows(&self, diagnostic: &Diagnostic) -> bool {
        !load::is_case_study_path(&diagnostic.file)
            || self.files.contains_key(&diagnostic.file)
            || self.touches_shared_files()
    }

    /// Case-study files that changed, with how.
    pub fn case_studies(&self) -> impl Iterator<Item = (&str, Change)> {
        self.files
            .iter()
            .filter(|(path, _)| load::is_case_study_path(path))
            .map(|(path, change)| (path.as_str(), *change))
    }
}

/// The facts a reviewer wants about one case study, read leniently from its
/// front matter so that they can be shown even when it is not valid yet.
#[derive(Debug, Default)]
struct Facts {
    title: Option<String>,
    authority: Option<String>,
    themes: Vec<String>,
    survey: Option<String>,
    date: Option<String>,
    figures: Vec<[Option<String>; 4]>,
}

fn facts(text: &str) -> Facts {
    let Ok(fm) = frontmatter::split(text) else { return Facts::default() };
    let Ok(yaml) = serde_yaml::from_str::<serde_yaml::Value>(fm.yaml) else { return Facts::default() };
    let text_of = |v: Option<&serde_yaml::Value>| -> Option<String> {
        match v? {
            serde_yaml::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    let themes = match yaml.get("themes") {
        Some(serde_yaml::Value::Sequence(items)) => items.iter().filter_map(|i| text_of(Some(i))).collect(),
        other => text_of(other).into_iter().collect(),
    };
    let figures = match yaml.get("figures") {
        Some(serde_yaml::Value::Sequence(items)) => items
            .iter()
            .map(|f| ["label", "value", "comparison", "comparison_label"].map(|key| text_of(f.get(key))))
            .collect(),
        _ => Vec::new(),
    };
    Facts {
        title: text_of(yaml.get("title")),
        authority: text_of(yaml.get("authority")),
        themes,
        survey: text_of(yaml.get("survey")),
        date: text_of(yaml.get("date")),
        figures,
    }
}

/// The Markdown summary of a pull request: the case studies it adds,
/// changes and removes, with their authority, themes, figures, whether
/// they pass the check, and the vocabulary `site.yaml` would need for them.
/// `config` is `None` when `site.yaml` itself is not valid.
pub fn summary(
    changes: &Changes,
    sources: Option<&Sources>,
    config: Option<&SiteConfig>,
    diagnostics: &[Diagnostic],
) -> String {
    let mut out = String::new();
    let case_studies: Vec<(&str, Change)> = changes.case_studies().collect();
    let _ = writeln!(out, "## Case studies changed since {}\n", code(&changes.rev));
    let shown: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error() && changes.shows(d)).collect();
    if shown.is_empty() {
        let _ = writeln!(out, "✅ The check found no problems.\n");
    } else {
        let mut files: Vec<&str> = shown.iter().map(|d| d.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let _ = writeln!(
            out,
            "❌ The check found {} {} to fix in {} {}. Each one is marked on its line under **Files changed**.\n",
            shown.len(),
            if shown.len() == 1 { "problem" } else { "problems" },
            files.len(),
            if files.len() == 1 { "file" } else { "files" },
        );
    }
    if case_studies.is_empty() {
        let _ = writeln!(out, "No case study was added, changed or removed.\n");
    }
    for (file, change) in &case_studies {
        let text = sources.and_then(|s| s.text_of(file));
        match (change, text) {
            (Change::Deleted, _) | (_, None) => {
                let _ = writeln!(out, "### Removed: {}\n", code(file));
            }
            (change, Some(text)) => {
                let problems: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.file == *file).collect();
                case_study(&mut out, file, *change, &facts(text), config, &problems);
            }
        }
    }
    let others: Vec<&String> = changes
        .files
        .keys()
        .filter(|p| *p == SITE_CONFIG || (p.starts_with("content/") && !case_studies.iter().any(|(f, _)| f == p)))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "### Other files changed\n");
        for path in others {
            let note = if path == SITE_CONFIG { ": the site's settings and vocabulary (themes, surveys)" } else { "" };
            let _ = writeln!(out, "- {}{note}", code(path));
        }
        out.push('\n');
    }
    out
}

fn case_study(
    out: &mut String,
    file: &str,
    change: Change,
    facts: &Facts,
    config: Option<&SiteConfig>,
    problems: &[&Diagnostic],
) {
    let verb = if change == Change::Added { "Added" } else { "Changed" };
    let title = facts.title.as_deref().map_or_else(|| "(no title yet)".to_string(), md);
    let _ = writeln!(out, "### {verb}: {title}\n");
    let _ = writeln!(out, "- File: {}", code(file));
    let _ = writeln!(out, "- Authority: {}", facts.authority.as_deref().map_or_else(|| "(none yet)".into(), md));
    let label = |slug: &str, vocabulary: Option<&str>| match vocabulary {
        Some(label) => format!("{} ({})", md(label), code(slug)),
        None => code(slug),
    };
    let themes: Vec<String> =
        facts.themes.iter().map(|t| label(t, config.and_then(|c| c.themes.get(t)).map(|t| t.label.as_str()))).collect();
    let _ = writeln!(out, "- Themes: {}", if themes.is_empty() { "(none yet)".into() } else { themes.join(", ") });
    if let Some(survey) = &facts.survey {
        let _ = writeln!(
            out,
            "- Survey: {}",
            label(survey, config.and_then(|c| c.surveys.get(survey)).map(|s| s.label.as_str()))
        );
    }
    let _ = writeln!(out, "- Date: {}", facts.date.as_deref().map_or_else(|| "(none yet)".into(), md));
    let errors = problems.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        let _ = writeln!(out, "- Check: ✅ no problems");
    } else {
        let _ = writeln!(out, "- Check: ❌ {errors} {}:", if errors == 1 { "problem" } else { "problems" });
        for d in problems.iter().take(10) {
            let place = d.line.map_or_else(String::new, |l| format!("line {l}: "));
            let _ = writeln!(out, "  - {place}{}", md(&d.message));
        }
        if problems.len() > 10 {
            let _ = writeln!(out, "  - and {} more", problems.len() - 10);
        }
    }
    out.push('\n');
    if !facts.figures.is_empty() {
        let _ = writeln!(out, "| Figure | Value | Compared with |\n| --- | ---: | --- |");
        for [figure_label, value, comparison, comparison_label] in &facts.figures {
            let percent = |v: &Option<String>| v.as_deref().map_or_else(|| "?".to_string(), |v| format!("{}%", md(v)));
            let compared = match (comparison, comparison_label) {
                (None, None) => "(nothing)".to_string(),
                (c, l) => format!("{} {}", percent(c), l.as_deref().map_or_else(String::new, md)),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                figure_label.as_deref().map_or_else(|| "?".to_string(), md),
                percent(value),
                compared.trim()
            );
        }
        out.push('\n');
    }
    if let Some(config) = config {
        let mut needed: Vec<String> = facts
            .themes
            .iter()
            .filter(|t| !config.themes.contains_key(*t))
            .map(|t| format!("the theme {}", code(t)))
            .collect();
        if let Some(survey) = facts.survey.as_ref().filter(|s| !config.surveys.contains_key(*s)) {
            needed.push(format!("the survey {}", code(survey)));
        }
        if !needed.is_empty() {
            let _ = writeln!(
                out,
                "**New vocabulary needed:** {} {} not in `site.yaml`. Use one that is, or ask a maintainer to add it \
                 (with a label) to `site.yaml`.\n",
                needed.join(", "),
                if needed.len() == 1 { "is" } else { "are" }
            );
        }
    }
}

/// Text made safe to show inside Markdown: on one line, with the
/// characters Markdown and HTML give meaning to escaped.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as a Markdown code span: shown exactly as written, on one line.
fn code(text: &str) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The config a summary labels things with, when `site.yaml` is valid.
pub fn config_of(sources: Option<&Sources>) -> Option<SiteConfig> {
    sources.and_then(|s| validate::validate_config(&s.config).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_status() {
        let parsed = name_status("A\0content/a.md\0M\0site.yaml\0D\0content/b.md\0");
        assert_eq!(
            parsed,
            vec![
                ("content/a.md".to_string(), Change::Added),
                ("site.yaml".to_string(), Change::Modified),
                ("content/b.md".to_string(), Change::Deleted),
            ]
        );
    }

    #[test]
    fn shows_changed_files_and_site_wide_problems() {
        let changes =
            Changes { rev: "main".into(), files: [("content/case-studies/a.md".to_string(), Change::Added)].into() };
        let d = |file: &str| Diagnostic::file_error(file, "x", "y");
        assert!(changes.shows(&d("content/case-studies/a.md")));
        assert!(!changes.shows(&d("content/case-studies/b.md")));
        assert!(changes.shows(&d("site.yaml")));
        let mut shared = changes.clone();
        shared.files.insert("content/case-studies/a/slides.pdf".into(), Change::Deleted);
        assert!(shared.shows(&d("content/case-studies/b.md")));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md("a|b <script> *x*\nnext"), "a\\|b &lt;script&gt; \\*x\\* next");
        assert_eq!(code("content/a_b.md"), "`content/a_b.md`");
        assert_eq!(code("a`b\nc"), "`` a`b c ``");
    }
}
