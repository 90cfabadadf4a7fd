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
//!
//! The staging folder is named after the process writing it
//! (`.public.staging-PID`, and `.public.old-PID` for the previous output
//! during the swap). A build killed outright (`kill -9`, a power cut)
//! leaves its folder; the next build removes any whose process is gone
//! (where `/proc` tells: Linux). When the disk fills, the rest of the site
//! is still counted, not written, so the build fails with one error that
//! says how much space the whole site needs.

use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile, Sink};
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
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
    /// Bytes of every file put, written or not: what the site needs.
    needed: AtomicU64,
    /// The disk filled: later files are counted, not written.
    full: AtomicBool,
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
        // Before anything is written: a killed build's folder may be what
        // filled the disk.
        remove_stale(parent, &name, STAGING);
        let staging = parent.join(format!(".{name}.{STAGING}-{}", std::process::id()));
        let old = parent.join(format!(".{name}.{OLD}-{}", std::process::id()));
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
            needed: AtomicU64::new(0),
            full: AtomicBool::new(false),
            finished: false,
        })
    }

    /// Puts the staged site in place of the output.
    pub fn finish(mut self) -> Result<WriteReport, Diagnostic> {
        self.finished = true;
        let (out_dir, staging, old) = (&self.out_dir, &self.staging, &self.old);
        if self.full.load(Ordering::Relaxed) {
            // Removed before saying so: the space it took is given back.
            let _ = fs::remove_dir_all(staging);
            return Err(self.disk_full());
        }
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
        // A killed build's previous output, kept only until a new one is
        // in place (it may have been the only copy).
        if let Some(parent) = out_dir.parent() {
            let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            remove_stale(parent, &name, OLD);
        }
        Ok(WriteReport {
            files: self.files.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }

    /// The one error for a full disk: what the whole site needs, and how
    /// much of it was written before the disk filled.
    fn disk_full(&self) -> Diagnostic {
        let needed = self.needed.load(Ordering::Relaxed);
        let written = self.bytes.load(Ordering::Relaxed);
        error(
            &self.out_dir,
            format!(
                "the disk is full: this site needs {} ({needed} bytes) of free space to build, \
                 and the disk filled after {}; the previous output is unchanged",
                size_text(needed),
                size_text(written),
            ),
        )
        .with_help("free that much space on the disk that holds the output folder, or choose another --output, and build again")
    }

    /// Notes a file put: written (`Ok`), not written because the disk is
    /// full (noted once; later files are only counted), or an error about
    /// that file.
    fn record(&self, file: &OutputFile, size: u64, written: io::Result<()>) -> Result<(), Diagnostic> {
        self.needed.fetch_add(size, Ordering::Relaxed);
        match written {
            Ok(()) => Ok(()),
            Err(e) if is_disk_full(&e) => {
                self.full.store(true, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => Err(error(
                &self.out_dir,
                format!("cannot write `{}` ({e}); the previous output is unchanged", file.path),
            )),
        }
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
        let size = match &file.contents {
            Contents::Bytes(bytes) => bytes.len() as u64,
            // Unreadable, it fails below with its own error when written.
            Contents::Copy(from) => fs::metadata(from).map_or(0, |m| m.len()),
        };
        let written = if self.full.load(Ordering::Relaxed) { Ok(()) } else { self.put_file(&file) };
        self.record(&file, size, written)
    }
}

/// What the staging folder and the previous output are called while a
/// build runs: `.public.staging-PID` and `.public.old-PID`.
const STAGING: &str = "staging";
const OLD: &str = "old";

/// Removes the folders `.{name}.{kind}-PID` in `parent` whose process is
/// gone: left by a build that was killed. Another build of the same output
/// that is still running keeps its own.
fn remove_stale(parent: &Path, name: &str, kind: &str) {
    let prefix = format!(".{name}.{kind}-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        if is_pid && pid != std::process::id().to_string() && !process_may_run(pid) {
            // Litter that cannot be removed stays litter: not a reason to
            // fail the build.
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` may still be running: `false` only when `/proc`
/// shows it is not. Without `/proc` (not Linux) nobody can tell, so every
/// folder is kept.
fn process_may_run(pid: &str) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid).exists()
}

/// Whether writing failed because the disk (or the user's quota) is full.
fn is_disk_full(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded)
}

/// `13.5 KB`, `12.3 MB`: the units `df -H` shows free space in.
fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} KB", bytes as f64 / 1_000.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
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
    fn a_full_disk_is_one_error_with_the_space_the_site_needs() {
        let dir = site();
        let out = dir.path().join("public");
        write(&[OutputFile::bytes("index.html", "good")], &out, dir.path()).unwrap();
        let staging = Staging::open(&out, dir.path()).unwrap();
        let full = || Err(io::Error::from(io::ErrorKind::StorageFull));
        let pages: Vec<OutputFile> =
            (0..13).map(|n| OutputFile::bytes(format!("case-studies/{n}/index.html"), vec![b'x'; 1000])).collect();
        staging.put(pages[0].clone()).unwrap();
        // Written from many threads, as the render stage does; the disk
        // fills at the second file and every later one would fail too.
        std::thread::scope(|scope| {
            for page in &pages[1..] {
                scope.spawn(|| {
                    let written = if staging.full.load(Ordering::Relaxed) { Ok(()) } else { full() };
                    assert!(staging.record(page, 1000, written).is_ok(), "a full disk is reported once, at the end");
                });
            }
        });
        staging.put(OutputFile::bytes("sitemap.xml", vec![b'x'; 500])).unwrap();
        let e = staging.finish().unwrap_err();
        assert_eq!(e.file, out.display().to_string());
        assert!(
            e.message.starts_with("the disk is full: this site needs 13.5 KB (13500 bytes) of free space"),
            "{}",
            e.message
        );
        assert!(e.message.contains("the previous output is unchanged"), "{}", e.message);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 2, "the staging folder is gone: {leftovers:?}");
        // Other errors still name their file.
        let staging = Staging::open(&out, dir.path()).unwrap();
        let denied = staging.record(&pages[0], 1000, Err(io::Error::from(io::ErrorKind::PermissionDenied)));
        assert!(denied.unwrap_err().message.contains("cannot write `case-studies/0/index.html`"));
    }

    #[test]
    fn stale_folders_are_those_of_processes_that_are_gone() {
        if !Path::new("/proc/self").exists() {
            eprintln!("skipped: without /proc no process can be known to be gone");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let own = format!(".public.staging-{}", std::process::id());
        // PID 1 always runs; no process has an id this large.
        let names = [
            own.as_str(),
            ".public.staging-1",
            ".public.staging-999999999",
            ".public.old-999999999",
            ".public.staging-x1",
            ".blog.staging-999999999",
        ];
        for name in names {
            fs::create_dir_all(dir.path().join(name).join("sub")).unwrap();
        }
        remove_stale(dir.path(), "public", STAGING);
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        let mut expected: Vec<String> =
            names.iter().filter(|n| **n != ".public.staging-999999999").map(|n| n.to_string()).collect();
        expected.sort();
        assert_eq!(left, expected);
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
