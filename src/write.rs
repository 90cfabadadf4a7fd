//! Stage 5, write: the only stage that writes the site to disk.
//!
//! Files go into a staging folder beside the output as they are rendered
//! (so a build never holds the whole site in memory), which then replaces
//! the output in two renames. A build that fails at any point before the
//! swap removes its staging folder and leaves the previous output whole.
//! The output folder is refused when it is (or holds) the site, `content/`,
//! `/` or the home folder, or when it is a folder practicebank did not
//! write (it has no marker file), so a slip of `--output` cannot delete
//! anyone's work.

use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile, Sink};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The file practicebank leaves in every output folder it writes.
pub const MARKER: &str = ".practicebank-output";

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub files: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// A new output folder being written beside the old one. Files go in as
/// the render stage makes them (from any thread); [`Staging::finish`] swaps
/// it in for the output. Dropped unfinished, it removes itself, and the
/// previous output is untouched.
pub struct Staging {
    out_dir: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// Folders already made, so each is made once.
    made: Mutex<HashSet<PathBuf>>,
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
    finished: bool,
}

impl Staging {
    /// Checks that `out_dir` may be replaced and makes an empty staging
    /// folder beside it.
    pub fn open(out_dir: &Path, site_root: &Path) -> Result<Staging, Diagnostic> {
        let out_dir = absolute(out_dir).map_err(|e| error(out_dir, format!("cannot find the output folder: {e}")))?;
        check_output_folder(&out_dir, site_root)?;
        let parent =
            out_dir.parent().ok_or_else(|| error(&out_dir, "the output folder has no parent folder".into()))?;
        let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        fs::create_dir_all(parent).map_err(|e| error(parent, format!("cannot create the folder: {e}")))?;
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let fresh = || -> io::Result<()> {
            if staging.exists() {
                fs::remove_dir_all(&staging)?;
            }
            fs::create_dir_all(&staging)
        };
        fresh().map_err(|e| error(&staging, format!("cannot create the staging folder: {e}")))?;
        Ok(Staging {
            out_dir,
            staging,
            old,
            made: Mutex::new(HashSet::new()),
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            finished: false,
        })
    }

    /// Puts the staged site in place of the output.
    pub fn finish(mut self) -> Result<WriteReport, Diagnostic> {
        self.finished = true;
        let (out_dir, staging, old) = (&self.out_dir, &self.staging, &self.old);
        let marked = fs::write(
            staging.join(MARKER),
            "This folder is written by practicebank build and replaced whole on every build.\n",
        );
        if let Err(e) = marked {
            let _ = fs::remove_dir_all(staging);
            return Err(error(out_dir, format!("cannot write the site ({e}); the previous output is unchanged")));
        }
        let had_output = out_dir.exists();
        if had_output {
            if let Err(e) = fs::rename(out_dir, old) {
                let _ = fs::remove_dir_all(staging);
                return Err(error(out_dir, format!("cannot move the previous output aside ({e}); it is unchanged")));
            }
        }
        if let Err(e) = fs::rename(staging, out_dir) {
            // Put the previous output back so the site is never left half-built.
            let restored = !had_output || fs::rename(old, out_dir).is_ok();
            let _ = fs::remove_dir_all(staging);
            let state =
                if restored { "the previous output is unchanged" } else { "the previous output is kept beside it" };
            return Err(error(out_dir, format!("cannot put the new site in place ({e}); {state}")));
        }
        if had_output {
            // The new site is in place; an old copy left behind is only clutter.
            let _ = fs::remove_dir_all(old);
        }
        Ok(WriteReport {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }

    fn put_file(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.staging.join(&file.path);
        if let Some(dir) = path.parent() {
            let new = self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(dir.to_path_buf());
            if new {
                fs::create_dir_all(dir)?;
            }
        }
        let bytes = match &file.contents {
            Contents::Bytes(bytes) => {
                fs::write(&path, bytes)?;
                bytes.len() as u64
            }
            Contents::Copy(from) => fs::copy(from, &path)?,
        };
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.put_file(&file).map_err(|e| {
            error(&self.out_dir, format!("cannot write `{}` ({e}); the previous output is unchanged", file.path))
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Refuses output folders whose replacement would destroy something.
fn check_output_folder(out_dir: &Path, site_root: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| Err(error(out_dir, format!("refusing to write the site here: {why}")));
    let root = absolute(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    let content = root.join(crate::load::CONTENT_DIR);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if out_dir.parent().is_none() {
        return refuse("it is the top of the file system");
    }
    if home.as_deref().is_some_and(|h| absolute(h).is_ok_and(|h| h == out_dir)) {
        return refuse("it is your home folder");
    }
    if root.starts_with(out_dir) {
        return refuse("it is the site folder or holds it");
    }
    if out_dir.starts_with(&content) {
        return refuse("it is inside content/");
    }
    if out_dir.exists() {
        let is_empty = fs::read_dir(out_dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !out_dir.is_dir() {
            return refuse("it is a file, not a folder");
        }
        if !is_empty && !out_dir.join(MARKER).exists() {
            return refuse("it holds files that practicebank did not write (remove them, or choose another --output)");
        }
    }
    Ok(())
}

/// An absolute, normalised path, following symbolic links for the part
/// that exists, so `./public/../public` and a link to it compare equal.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    if let Ok(real) = fs::canonicalize(&path) {
        return Ok(real);
    }
    let mut tail = Vec::new();
    let mut existing = path.as_path();
    while !existing.exists() {
        tail.push(existing.file_name().map(|n| n.to_os_string()).unwrap_or_default());
        existing = match existing.parent() {
            Some(parent) => parent,
            None => break,
        };
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for part in tail.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if !part.is_empty() && part != "." {
            out.push(part);
        }
    }
    Ok(out)
}

fn error(path: &Path, message: String) -> Diagnostic {
    Diagnostic::file_error(&path.display().to_string(), "output", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(files: &[OutputFile], out_dir: &Path, site_root: &Path) -> Result<WriteReport, Diagnostic> {
        let staging = Staging::open(out_dir, site_root)?;
        for file in files {
            staging.put(file.clone())?;
        }
        staging.finish()
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/case-studies")).unwrap();
        dir
    }

    #[test]
    fn writes_and_replaces_whole() {
        let dir = site();
        let out = dir.path().join("public");
        write(&[OutputFile::bytes("a/index.html", "one"), OutputFile::bytes("old.txt", "x")], &out, dir.path())
            .unwrap();
        let report = write(&[OutputFile::bytes("a/index.html", "two")], &out, dir.path()).unwrap();
        assert_eq!(report, WriteReport { files: 1, pages: 1, bytes: 3 });
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn a_failed_write_keeps_the_old_output() {
        let dir = site();
        let out = dir.path().join("public");
        write(&[OutputFile::bytes("index.html", "good")], &out, dir.path()).unwrap();
        let missing = OutputFile { path: "x.pdf".into(), contents: Contents::Copy(dir.path().join("nope.pdf")) };
        assert!(write(&[OutputFile::bytes("index.html", "new"), missing], &out, dir.path()).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn refuses_dangerous_folders() {
        let dir = site();
        let root = dir.path();
        for out in
            [root.to_path_buf(), root.join("content"), root.join("content/x"), root.join(".."), PathBuf::from("/")]
        {
            let err = write(&[], &out, root).unwrap_err();
            assert!(err.message.contains("refusing"), "{}: {}", out.display(), err.message);
        }
        fs::create_dir_all(root.join("mine")).unwrap();
        fs::write(root.join("mine/notes.txt"), "keep me").unwrap();
        assert!(write(&[], &root.join("mine"), root).unwrap_err().message.contains("did not write"));
        assert_eq!(fs::read_to_string(root.join("mine/notes.txt")).unwrap(), "keep me");
    }
}
