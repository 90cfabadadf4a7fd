//! A fluent driver for `practicebank check`, in the spirit of mdBook's
//! `BookTest`: copy a fixture site into a temporary folder, change it if the
//! test needs something that cannot be checked in (symbolic links, invalid
//! UTF-8, a file over 1 MiB), run the real binary, and assert on what it
//! reported.
//!
//! ```ignore
//! Site::fixture("unknown-key-top")
//!     .check()
//!     .assert_exit(1)
//!     .assert_diagnostic(CASE_STUDY, 3, Some(1), "unknown-key", "did you mean `authority`");
//! ```

use serde::Deserialize;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// The case study most fixtures hold, relative to the site root.
pub const CASE_STUDY: &str = "content/case-studies/coventry-celebrating-success.md";

/// Where the fixture sites live.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// The text of a checked-in fixture file, for tests that derive a file from
/// it (a copy with CRLF line endings, with a byte-order mark, ...).
pub fn fixture_text(fixture: &str, rel: &str) -> String {
    let path = fixtures_dir().join(fixture).join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A site in a temporary folder, removed when the test ends.
pub struct Site {
    dir: TempDir,
}

impl Site {
    /// The shared `tests/fixtures/check/site.yaml`, with the fixture folder
    /// `name` copied over it (a fixture may bring its own `site.yaml`).
    pub fn fixture(name: &str) -> Site {
        let source = fixtures_dir().join(name);
        assert!(source.is_dir(), "no fixture folder {}", source.display());
        let site = Site::empty();
        copy_dir(&source, site.root());
        site
    }

    /// The shared `site.yaml` and an empty `content/case-studies/`.
    pub fn empty() -> Site {
        let dir = tempfile::Builder::new().prefix("practicebank-test-").tempdir().expect("create a temporary folder");
        let site = Site { dir };
        fs::copy(fixtures_dir().join("site.yaml"), site.root().join("site.yaml")).expect("copy the shared site.yaml");
        fs::create_dir_all(site.root().join("content/case-studies")).expect("create content/case-studies");
        site
    }

    /// The site folder, passed to `--root`.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `rel` (relative to the root), creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the file's folder");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        self
    }

    /// Removes the file `rel`.
    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root().join(rel)).unwrap_or_else(|e| panic!("cannot remove {rel}: {e}"));
        self
    }

    /// Makes `link` (relative to the root) a symbolic link to `target`
    /// (relative to the root too, and made absolute).
    #[cfg(unix)]
    pub fn symlink(&self, target: &str, link: &str) -> &Self {
        let link_path = self.root().join(link);
        if let Some(parent) = link_path.parent() {
            fs::create_dir_all(parent).expect("create the link's folder");
        }
        std::os::unix::fs::symlink(self.root().join(target), &link_path)
            .unwrap_or_else(|e| panic!("cannot link {link} to {target}: {e}"));
        self
    }

    /// Runs `practicebank check --format json` on this site.
    pub fn check(&self) -> Checked {
        Checked::from_json_run(self.run(&["check", "--format", "json"]))
    }

    /// Runs `practicebank ARGS --root ROOT`, with colour settings cleared.
    pub fn run(&self, args: &[&str]) -> Output {
        run_binary(args, self.root(), &[])
    }
}

/// Runs the binary on any site folder; `env` is added to a cleared colour
/// environment.
pub fn run_binary(args: &[&str], root: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_practicebank"));
    command.args(args).arg("--root").arg(root);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command.output().expect("run the practicebank binary")
}

/// Runs `practicebank check --format json` on any site folder.
pub fn check_root(root: &Path) -> Checked {
    Checked::from_json_run(run_binary(&["check", "--format", "json"], root, &[]))
}

/// One diagnostic as the JSON report gives it. Unknown fields are refused,
/// so the shape of the report is checked by every test.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reported {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: String,
    pub code: String,
    pub message: String,
    pub help: Option<String>,
}

/// What one `check --format json` run gave.
pub struct Checked {
    pub status: Option<i32>,
    pub diagnostics: Vec<Reported>,
    pub stdout: String,
    pub stderr: String,
}

impl Checked {
    fn from_json_run(output: Output) -> Checked {
        let stdout = String::from_utf8(output.stdout).expect("the report is UTF-8");
        let stderr = String::from_utf8(output.stderr).expect("the summary is UTF-8");
        let diagnostics = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("stdout is not a JSON array of diagnostics ({e}):\n{stdout}\nstderr:\n{stderr}")
        });
        Checked { status: output.status.code(), diagnostics, stdout, stderr }
    }

    /// Everything reported, for failure messages.
    fn listing(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let _ = writeln!(
                out,
                "  {}:{}:{} {} {:?} help: {:?}",
                d.file,
                d.line.map_or("-".into(), |l| l.to_string()),
                d.column.map_or("-".into(), |c| c.to_string()),
                d.code,
                d.message,
                d.help
            );
        }
        let _ = write!(out, "stderr: {}", self.stderr);
        out
    }

    pub fn assert_exit(&self, code: i32) -> &Self {
        assert_eq!(self.status, Some(code), "expected exit status {code}; reported:\n{}", self.listing());
        self
    }

    /// Exit 0, nothing reported, and a summary saying so.
    pub fn assert_clean(&self) -> &Self {
        self.assert_exit(0).assert_count(0);
        assert!(self.stderr.contains(": no problems"), "expected a clean summary, got: {}", self.stderr);
        self
    }

    pub fn assert_count(&self, count: usize) -> &Self {
        assert_eq!(self.diagnostics.len(), count, "expected {count} diagnostics; reported:\n{}", self.listing());
        self
    }

    /// A diagnostic at exactly `file:line:column` with `code`, whose message
    /// or help contains `text`.
    pub fn assert_diagnostic(&self, file: &str, line: usize, column: Option<usize>, code: &str, text: &str) -> &Self {
        self.assert_found(file, Some(line), column, code, text)
    }

    /// A diagnostic about a whole file (no line, no column).
    pub fn assert_file_diagnostic(&self, file: &str, code: &str, text: &str) -> &Self {
        self.assert_found(file, None, None, code, text)
    }

    fn assert_found(&self, file: &str, line: Option<usize>, column: Option<usize>, code: &str, text: &str) -> &Self {
        let found = self.diagnostics.iter().any(|d| {
            d.file == file
                && d.line == line
                && d.column == column
                && d.code == code
                && d.severity == "error"
                && (d.message.contains(text) || d.help.as_deref().is_some_and(|h| h.contains(text)))
        });
        assert!(
            found,
            "expected error[{code}] at {file}:{line:?}:{column:?} mentioning {text:?}; reported:\n{}",
            self.listing()
        );
        self
    }

    /// The summary line (on stderr with `--format json`).
    pub fn assert_summary(&self, summary: &str) -> &Self {
        assert!(self.stderr.lines().any(|l| l == summary), "expected the summary {summary:?}, got: {}", self.stderr);
        self
    }

    /// `text` appears nowhere in the output, in any stream.
    pub fn assert_never_shown(&self, text: &str) -> &Self {
        assert!(
            !self.stdout.contains(text) && !self.stderr.contains(text),
            "{text:?} was shown:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display())) {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("fixture file type").is_dir() {
            fs::create_dir_all(&target).expect("create a fixture folder");
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}
