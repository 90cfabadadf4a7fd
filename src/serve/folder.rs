//! The served folder: a temporary folder holding the last good build,
//! brought up to date file by file.
//!
//! `serve` never writes the site's `public/`. It builds into a folder made
//! with `tempfile`, removed when the session ends (Ctrl-C included). After
//! each successful build, [`Folder::update`] writes only the files whose
//! bytes differ from what the folder holds, each to a hidden temporary name
//! renamed into place, so a request never reads half a file; it removes the
//! files the build no longer makes, and the folders they leave empty. The
//! folder then holds exactly what `practicebank build` writes, less its
//! marker file. A fingerprint stands in for each file's bytes, so memory
//! stays small on large sites: the length and a 64-bit SipHash with keys
//! drawn for this session (a collision, which would leave a changed file
//! unwritten, is a 1 in 2^64 chance per changed file), or for a resource
//! copied from `content/`, its source, size and modification time.
//!
//! It also says whether a change touched stylesheets only (see
//! [`Update::restyle`]), checked on the bytes: every other changed file is
//! a page that differs from the old one only in the stylesheets' names.

use crate::output::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::{BuildHasher, RandomState};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

/// What stands in for a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fingerprint {
    Bytes { len: u64, hash: u64 },
    Copy { from: PathBuf, len: u64, modified: Option<SystemTime> },
}

/// A temporary folder of served files, removed when dropped.
pub struct Folder {
    dir: tempfile::TempDir,
    /// What each file on disk holds, by path relative to the folder.
    files: BTreeMap<String, Fingerprint>,
    hasher: RandomState,
    /// Set when the session ends: an update in progress stops at the next
    /// file.
    stop: Arc<AtomicBool>,
}

/// What an update changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Files written, new or changed, sorted.
    pub written: Vec<String>,
    /// Files removed, sorted.
    pub removed: Vec<String>,
    /// When only stylesheets changed: each changed stylesheet's old path and
    /// new path (the same when its name carries no hash). Pages changed only
    /// in the names of the stylesheets they link, so open pages can swap
    /// their stylesheets instead of reloading.
    pub restyle: Option<BTreeMap<String, String>>,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

impl Folder {
    /// A new empty folder under the system's temporary folder.
    pub fn create(stop: Arc<AtomicBool>) -> io::Result<Folder> {
        let dir = tempfile::Builder::new().prefix("practicebank-serve-").tempdir()?;
        Ok(Folder { dir, files: BTreeMap::new(), hasher: RandomState::new(), stop })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folder and everything in it.
    pub fn remove(self) -> io::Result<()> {
        self.dir.close()
    }

    /// Makes the folder hold exactly `files`.
    pub fn update(&mut self, files: &[OutputFile]) -> io::Result<Update> {
        let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let gone: Vec<String> = self.files.keys().filter(|p| !keep.contains(p.as_str())).cloned().collect();
        let wanted = files.par_iter().map(|file| (file, self.fingerprint(&file.contents))).collect();
        let mut update = self.write(wanted, &gone)?;
        for path in gone {
            self.check_stop()?;
            let full = self.dir.path().join(&path);
            match fs::remove_file(&full) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            self.files.remove(&path);
            self.remove_empty_parents(&full);
            update.removed.push(path);
        }
        Ok(update)
    }

    /// Brings `files` up to date and leaves every other file as it is: for
    /// a preview of one case study, before the full build that follows.
    pub fn put(&mut self, files: &[OutputFile]) -> io::Result<Update> {
        // On this thread: a full build may have every pool thread busy.
        let wanted = files.iter().map(|file| (file, self.fingerprint(&file.contents))).collect();
        self.write(wanted, &[])
    }

    /// Writes the `wanted` files whose bytes differ from the folder's;
    /// `gone` are the files about to be removed (for [`Update::restyle`]).
    fn write(&mut self, wanted: Vec<(&OutputFile, Fingerprint)>, gone: &[String]) -> io::Result<Update> {
        let changed: Vec<&(&OutputFile, Fingerprint)> =
            wanted.iter().filter(|(file, print)| self.files.get(&file.path) != Some(print)).collect();
        let restyle = self.restyle(&changed, gone);
        let mut update = Update { restyle, ..Update::default() };
        let mut made = BTreeSet::new();
        for (file, print) in changed {
            self.check_stop()?;
            let path = self.dir.path().join(&file.path);
            if let Some(parent) = path.parent() {
                if made.insert(parent.to_path_buf()) {
                    fs::create_dir_all(parent)?;
                }
            }
            write_whole(&path, &file.contents)?;
            self.files.insert(file.path.clone(), print.clone());
            update.written.push(file.path.clone());
        }
        update.written.sort();
        Ok(update)
    }

    fn check_stop(&self) -> io::Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "the session is ending"));
        }
        Ok(())
    }

    fn fingerprint(&self, contents: &Contents) -> Fingerprint {
        match contents {
            Contents::Bytes(bytes) => Fingerprint::Bytes { len: bytes.len() as u64, hash: self.hasher.hash_one(bytes) },
            Contents::Copy(from) => {
                let meta = fs::metadata(from).ok();
                Fingerprint::Copy {
                    from: from.clone(),
                    len: meta.as_ref().map_or(0, fs::Metadata::len),
                    modified: meta.and_then(|m| m.modified().ok()),
                }
            }
        }
    }

    /// The old and new paths of the changed stylesheets, when every other
    /// change is a page whose only difference is the stylesheets' names.
    fn restyle(&self, changed: &[&(&OutputFile, Fingerprint)], gone: &[String]) -> Option<BTreeMap<String, String>> {
        let is_css = |path: &str| path.ends_with(".css");
        let added: Vec<&str> = changed.iter().map(|(f, _)| f.path.as_str()).filter(|p| is_css(p)).collect();
        if added.is_empty() || gone.iter().any(|p| !is_css(p)) {
            return None;
        }
        let mut map = BTreeMap::new();
        for new in &added {
            if self.files.contains_key(*new) {
                map.insert(new.to_string(), new.to_string());
            } else {
                let old = gone.iter().filter(|old| unhashed(old) == unhashed(new));
                let [old] = old.collect::<Vec<_>>()[..] else { return None };
                map.insert(old.clone(), new.to_string());
            }
        }
        if gone.iter().any(|old| !map.contains_key(old)) {
            return None;
        }
        let renamed: Vec<(&String, &String)> = map.iter().filter(|(old, new)| old != new).collect();
        let only_names = changed.iter().filter(|(f, _)| !is_css(&f.path)).all(|(file, _)| {
            let (Contents::Bytes(bytes), Some(Fingerprint::Bytes { len, hash })) =
                (&file.contents, self.files.get(&file.path))
            else {
                return false;
            };
            let Ok(text) = std::str::from_utf8(bytes) else { return false };
            let mut old_text = text.to_string();
            for (old, new) in &renamed {
                old_text = old_text.replace(new.as_str(), old);
            }
            old_text.len() as u64 == *len && self.hasher.hash_one(old_text.as_bytes()) == *hash
        });
        only_names.then_some(map)
    }

    /// Removes the folders above `file` that are now empty, up to the root.
    fn remove_empty_parents(&self, file: &Path) {
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir.path()) {
            // A folder that still holds files refuses, which ends the climb.
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// `assets/style.0123456789.css` without its hash: `assets/style.css`.
fn unhashed(path: &str) -> String {
    let parts: Vec<&str> = path.rsplitn(3, '.').collect();
    match parts[..] {
        [ext, hash, stem] if hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("{stem}.{ext}")
        }
        _ => path.to_string(),
    }
}

/// Writes a file under a hidden temporary name and renames it into place.
fn write_whole(path: &Path, contents: &Contents) -> io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.practicebank-partial"));
    let written = match contents {
        Contents::Bytes(bytes) => fs::write(&temporary, bytes),
        Contents::Copy(from) => fs::copy(from, &temporary).map(|_| ()),
    };
    written.and_then(|()| fs::rename(&temporary, path)).map_err(|e| match fs::remove_file(&temporary) {
        Ok(()) => e,
        Err(left) if left.kind() == io::ErrorKind::NotFound => e,
        Err(left) => io::Error::new(e.kind(), format!("{e} (and {} is left behind: {left})", temporary.display())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> Folder {
        Folder::create(Arc::new(AtomicBool::new(false))).unwrap()
    }

    fn tree(dir: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn writes_only_what_changed_and_removes_what_went() {
        let mut f = folder();
        let first = [OutputFile::bytes("index.html", "a"), OutputFile::bytes("x/y/z.html", "z")];
        let update = f.update(&first).unwrap();
        assert_eq!(update.written, vec!["index.html", "x/y/z.html"]);
        let second = [OutputFile::bytes("index.html", "a"), OutputFile::bytes("b.html", "b")];
        let update = f.update(&second).unwrap();
        assert_eq!(update.written, vec!["b.html"]);
        assert_eq!(update.removed, vec!["x/y/z.html"]);
        assert!(!f.path().join("x").exists(), "empty folders are removed");
        let expected: BTreeMap<String, String> =
            [("index.html", "a"), ("b.html", "b")].into_iter().map(|(p, t)| (p.into(), t.into())).collect();
        assert_eq!(tree(f.path()), expected);
        assert!(f.update(&second).unwrap().is_empty());
    }

    #[test]
    fn put_writes_what_changed_and_keeps_the_rest() {
        let mut f = folder();
        f.update(&[OutputFile::bytes("index.html", "a"), OutputFile::bytes("x/p.html", "p")]).unwrap();
        let update = f.put(&[OutputFile::bytes("x/p.html", "p2"), OutputFile::bytes("index.html", "a")]).unwrap();
        assert_eq!((update.written, update.removed), (vec!["x/p.html".to_string()], vec![]));
        let expected: BTreeMap<String, String> =
            [("index.html", "a"), ("x/p.html", "p2")].into_iter().map(|(p, t)| (p.into(), t.into())).collect();
        assert_eq!(tree(f.path()), expected);
        let update = f.update(&[OutputFile::bytes("x/p.html", "p2")]).unwrap();
        assert_eq!((update.written, update.removed), (vec![], vec!["index.html".to_string()]), "put's file is known");
    }

    #[test]
    fn copies_follow_their_source() {
        let source = tempfile::tempdir().unwrap();
        let pdf = source.path().join("a.pdf");
        fs::write(&pdf, "one").unwrap();
        let mut f = folder();
        let files = [OutputFile { path: "a.pdf".into(), contents: Contents::Copy(pdf.clone()) }];
        f.update(&files).unwrap();
        assert!(f.update(&files).unwrap().is_empty());
        fs::write(&pdf, "three").unwrap();
        assert_eq!(f.update(&files).unwrap().written, vec!["a.pdf"]);
        assert_eq!(fs::read_to_string(f.path().join("a.pdf")).unwrap(), "three");
    }

    #[test]
    fn a_stylesheet_rename_is_a_restyle() {
        let page = |css: &str| format!("<link rel=stylesheet href=\"../assets/{css}\"><p>hi</p>");
        let mut f = folder();
        f.update(&[
            OutputFile::bytes("assets/style.0123456789.css", "a{}"),
            OutputFile::bytes("p/index.html", page("style.0123456789.css")),
            OutputFile::bytes("extra.css", "b{}"),
        ])
        .unwrap();
        let update = f
            .update(&[
                OutputFile::bytes("assets/style.abcdefabcd.css", "a{color:red}"),
                OutputFile::bytes("p/index.html", page("style.abcdefabcd.css")),
                OutputFile::bytes("extra.css", "b{color:blue}"),
            ])
            .unwrap();
        let expected: BTreeMap<String, String> =
            [("assets/style.0123456789.css", "assets/style.abcdefabcd.css"), ("extra.css", "extra.css")]
                .into_iter()
                .map(|(a, b)| (a.into(), b.into()))
                .collect();
        assert_eq!(update.restyle, Some(expected));
    }

    #[test]
    fn a_page_that_changed_otherwise_is_no_restyle() {
        let mut f = folder();
        f.update(&[
            OutputFile::bytes("assets/style.0123456789.css", "a{}"),
            OutputFile::bytes("index.html", "style.0123456789.css one"),
        ])
        .unwrap();
        let update = f
            .update(&[
                OutputFile::bytes("assets/style.abcdefabcd.css", "a{color:red}"),
                OutputFile::bytes("index.html", "style.abcdefabcd.css two"),
            ])
            .unwrap();
        assert_eq!(update.restyle, None);
        let update = f.update(&[OutputFile::bytes("index.html", "three")]).unwrap();
        assert_eq!(update.restyle, None, "no stylesheet changed");
    }

    #[test]
    fn stops_when_told() {
        let stop = Arc::new(AtomicBool::new(true));
        let mut f = Folder::create(stop).unwrap();
        let err = f.update(&[OutputFile::bytes("index.html", "a")]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Interrupted);
        assert!(tree(f.path()).is_empty());
    }

    #[test]
    fn unhashed_names() {
        assert_eq!(unhashed("assets/style.0123456789.css"), "assets/style.css");
        assert_eq!(unhashed("assets/style.css"), "assets/style.css");
        assert_eq!(unhashed("extra.theme.css"), "extra.theme.css");
    }
}
