//! Stage 1, load: the site folder on disk becomes [`Sources`].
//!
//! The only stage that reads the site. It reads `site.yaml`, every case-study
//! file under `content/case-studies/` and the list of asset files under
//! `content/` (their sizes, and whether a symbolic link leads out of
//! `content/`), and decodes text: a UTF-8 byte-order mark is dropped and CRLF
//! becomes LF, so line numbers match the original file. It does not parse
//! YAML or judge content; files it cannot read become diagnostics and loading
//! goes on.

use crate::diagnostic::{Diagnostic, Pos};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The site configuration file, relative to the root.
pub const SITE_CONFIG: &str = "site.yaml";
/// The folder holding case studies and their files, relative to the root.
pub const CONTENT_DIR: &str = "content";
/// The folder of case studies, relative to `content/`.
pub const CASE_STUDIES_DIR: &str = "case-studies";
/// Case studies larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Everything read from a site folder.
#[derive(Debug, Clone)]
pub struct Sources {
    pub root: PathBuf,
    /// `site.yaml`, decoded.
    pub config: String,
    /// Case-study files that could be read as text, sorted by path.
    pub case_studies: Vec<SourceFile>,
    /// Every other file under `content/`, by path relative to `content/`.
    pub assets: BTreeMap<String, Asset>,
    /// Case-study files that could not be read as text, with why.
    pub unreadable: Vec<Diagnostic>,
    /// Text of files that were not valid UTF-8, decoded lossily, so reports
    /// can still show the offending line.
    pub lossy_text: BTreeMap<String, String>,
}

/// One case-study file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the site root, `/`-separated.
    pub file: String,
    /// The file name without its extension: the slug to be.
    pub stem: String,
    /// The extension as written (`md`, `MD`, `markdown`).
    pub extension: String,
    /// The text, without byte-order mark, with LF line endings.
    pub text: String,
}

/// A file under `content/` that is not a case study.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asset {
    File {
        size: u64,
    },
    /// A symbolic link whose target is outside `content/` (or missing).
    /// It is never read or copied.
    OutsideContent,
}

impl Sources {
    /// The text of a file, as the report shows it.
    pub fn text_of(&self, file: &str) -> Option<&str> {
        if file == SITE_CONFIG {
            return Some(&self.config);
        }
        if let Ok(i) = self.case_studies.binary_search_by(|s| s.file.as_str().cmp(file)) {
            return Some(&self.case_studies[i].text);
        }
        self.lossy_text.get(file).map(String::as_str)
    }

    /// How many case-study files the site has, readable or not.
    pub fn case_study_count(&self) -> usize {
        self.case_studies.len() + self.unreadable.len()
    }
}

/// Reads the site at `root`. Fails only when there is no site to read: no
/// folder, no `site.yaml`, no `content/`.
pub fn load(root: &Path) -> Result<Sources, Diagnostic> {
    let fatal =
        |file: &str, message: String, help: &str| Diagnostic::file_error(file, "site-missing", message).with_help(help);
    let config = load_config(root)?;
    let content = root.join(CONTENT_DIR);
    let content_real = fs::canonicalize(&content).map_err(|e| {
        fatal(
            CONTENT_DIR,
            format!("cannot read the content folder: {e}"),
            "create content/case-studies/ beside site.yaml",
        )
    })?;

    let mut sources = Sources {
        root: root.to_path_buf(),
        config,
        case_studies: Vec::new(),
        assets: BTreeMap::new(),
        unreadable: Vec::new(),
        lossy_text: BTreeMap::new(),
    };
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    // Case studies are read once the walk is done, on every core.
    let mut to_read: Vec<(PathBuf, String)> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let file = e.path().map_or_else(|| CONTENT_DIR.to_string(), |p| relative(root, p));
                sources.unreadable.push(Diagnostic::file_error(&file, "unreadable", format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let in_content = relative(&content, path);
        let target = resolve_inside(path, &content_real, entry.path_is_symlink());
        if is_case_study(&in_content) {
            let file = relative(root, path);
            match target {
                Some(_) => to_read.push((path.to_path_buf(), file)),
                None => sources.unreadable.push(
                    Diagnostic::file_error(
                        &file,
                        "outside-content",
                        "this file is a link to a file outside content/, so it was not read",
                    )
                    .with_help("replace the link with the file itself"),
                ),
            }
        } else {
            let asset = match target.and_then(|t| fs::metadata(t).ok()) {
                Some(meta) if meta.is_file() => Asset::File { size: meta.len() },
                _ => Asset::OutsideContent,
            };
            sources.assets.insert(in_content, asset);
        }
    }
    let read: Vec<Reading> = to_read.into_par_iter().map(|(path, file)| read_case_study(&path, file)).collect();
    for outcome in read {
        match outcome {
            Reading::Text(source) => sources.case_studies.push(source),
            Reading::Unreadable(diagnostic) => sources.unreadable.push(diagnostic),
            Reading::NotUtf8(diagnostic, file, lossy) => {
                sources.unreadable.push(diagnostic);
                sources.lossy_text.insert(file, lossy);
            }
        }
    }
    sources.case_studies.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(sources)
}

/// Reads only `site.yaml`, decoded, for commands that need the site's
/// settings and vocabulary but not its content (`new`, `schema`).
pub fn load_config(root: &Path) -> Result<String, Diagnostic> {
    let fatal =
        |file: &str, message: String, help: &str| Diagnostic::file_error(file, "site-missing", message).with_help(help);
    if !root.is_dir() {
        return Err(fatal(
            &root.display().to_string(),
            "the site folder does not exist".into(),
            "pass the folder holding site.yaml with --root",
        ));
    }
    let bytes = fs::read(root.join(SITE_CONFIG)).map_err(|e| {
        fatal(
            SITE_CONFIG,
            format!("cannot read site.yaml: {e}"),
            "run practicebank in the site folder (the one holding site.yaml and content/), or pass it with --root",
        )
    })?;
    decode(bytes).map_err(|(pos, _)| {
        Diagnostic::error(SITE_CONFIG, pos, "invalid-utf8", "site.yaml is not valid UTF-8 text")
            .with_help("save the file with the UTF-8 encoding")
    })
}

/// Whether a path relative to `content/` names a case study: a Markdown file
/// under `case-studies/`. Extensions are matched in any case so that
/// `Coventry.MD` is reported as a bad name rather than ignored.
pub fn is_case_study(in_content: &str) -> bool {
    let lower = in_content.to_ascii_lowercase();
    in_content.starts_with("case-studies/") && (lower.ends_with(".md") || lower.ends_with(".markdown"))
}

/// A path relative to the site root, relative to `content/` instead;
/// `None` outside it.
pub fn in_content(site_path: &str) -> Option<&str> {
    site_path.strip_prefix(CONTENT_DIR)?.strip_prefix('/')
}

/// Whether a path relative to the site root names a case study.
pub fn is_case_study_path(site_path: &str) -> bool {
    in_content(site_path).is_some_and(is_case_study)
}

/// Reads one case study, `file` relative to the site root: what [`load`]
/// reads for it, or why it cannot be read.
pub fn load_case_study(root: &Path, file: &str) -> Result<SourceFile, Diagnostic> {
    match read_case_study(&root.join(file), file.to_string()) {
        Reading::Text(source) => Ok(source),
        Reading::Unreadable(diagnostic) | Reading::NotUtf8(diagnostic, ..) => Err(diagnostic),
    }
}

/// The real path of `path` when it stays inside `content_real`, following a
/// symbolic link; `None` when it leads outside or nowhere.
fn resolve_inside(path: &Path, content_real: &Path, is_link: bool) -> Option<PathBuf> {
    if !is_link {
        return Some(path.to_path_buf());
    }
    fs::canonicalize(path).ok().filter(|real| real.starts_with(content_real))
}

/// What reading one case study gave.
enum Reading {
    Text(SourceFile),
    Unreadable(Diagnostic),
    /// Not UTF-8: the problem, the file, and its text decoded lossily (to
    /// show the line).
    NotUtf8(Diagnostic, String, String),
}

fn read_case_study(path: &Path, file: String) -> Reading {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, extension) = name.rsplit_once('.').map_or((name.as_str(), ""), |(s, e)| (s, e));
    let (stem, extension) = (stem.to_string(), extension.to_string());
    match read_limited(path) {
        Err(e) => {
            Reading::Unreadable(Diagnostic::file_error(&file, "unreadable", format!("cannot read this file: {e}")))
        }
        Ok(None) => Reading::Unreadable(
            Diagnostic::file_error(&file, "file-too-large", "this case study is larger than 1 MiB").with_help(
                "move large material into a resource file beside the case study and link to it under `resources`",
            ),
        ),
        Ok(Some(bytes)) => match decode(bytes) {
            Ok(text) => Reading::Text(SourceFile { file, stem, extension, text }),
            Err((pos, lossy)) => Reading::NotUtf8(
                Diagnostic::error(&file, pos, "invalid-utf8", "this line holds bytes that are not UTF-8 text")
                    .with_help(
                        "save the file with the UTF-8 encoding (in most editors: Save As, then Encoding: UTF-8)",
                    ),
                file,
                lossy,
            ),
        },
    }
}

/// Reads at most [`MAX_FILE_BYTES`]; `None` when the file is larger. Reading
/// through `take` keeps memory bounded even if the size changes under us.
fn read_limited(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len().min(MAX_FILE_BYTES + 1);
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// UTF-8 text without byte-order mark, CRLF turned into LF. On invalid UTF-8,
/// the position of the first bad byte and the text decoded lossily.
pub fn decode(bytes: Vec<u8>) -> Result<String, (Pos, String)> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let good = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
            let before = std::str::from_utf8(&bytes[..good]).expect("valid up to here");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err((Pos::new(line, column), String::from_utf8_lossy(&bytes).into_owned()));
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n") } else { text })
}

/// `path` relative to `base`, `/`-separated whatever the platform.
fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_bom_and_crlf() {
        assert_eq!(decode(b"\xef\xbb\xbf---\r\na: 1\r\n---\r\n".to_vec()).unwrap(), "---\na: 1\n---\n");
    }

    #[test]
    fn decode_points_at_the_bad_byte() {
        let (pos, lossy) = decode(b"---\ntitle: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(pos, Pos::new(2, 11));
        assert!(lossy.contains("caf\u{fffd}"));
    }

    #[test]
    fn case_study_paths() {
        assert!(is_case_study("case-studies/a.md"));
        assert!(is_case_study("case-studies/A.MD"));
        assert!(is_case_study("case-studies/a.markdown"));
        assert!(!is_case_study("case-studies/a/slides.pdf"));
        assert!(!is_case_study("about.md"));
    }
}
