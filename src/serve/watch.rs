//! Watching the site: `site.yaml`, `content/` and `themes/`, with native
//! file events or, where those do not arrive, by polling.
//!
//! Native events (inotify, FSEvents, ReadDirectoryChangesW) are used unless
//! `--poll` is given, the site is on a network or shared-folder file
//! system (read from `/proc/self/mounts` on Linux: NFS, SMB, 9p, VirtualBox
//! and VMware shared folders, sshfs, WSL's drvfs), or the native watcher
//! cannot start (inotify's limits reached). Polling ([`Poller`]) looks at
//! every watched file every [`POLL_INTERVAL`] and compares its size and
//! modification time to the nanosecond, and the contents of files modified
//! in the last [`RECENT`], so two saves within one tick of a coarse clock
//! are still two changes. (notify's own `PollWatcher` compares whole
//! seconds only, and misses a second save within the same second.)
//!
//! Only changes that can change the site count: files under `content/`
//! and `themes/` and `site.yaml` itself, not hidden files (which the build
//! ignores, and which include editors' swap files), backups ending in `~`
//! or vim's `4913` probe. Reads are not changes, so the build reading the
//! site cannot start another build. [`Watch::next_batch`] waits for the
//! first change, then until [`QUIET`] has passed with no other (at most
//! [`LONGEST`]), so a save that is several events (a temporary file
//! renamed into place, a file deleted and written again) is one rebuild;
//! while a changed file is missing or empty, a few quiet periods more, in
//! case its writer was slowed down half way.

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

/// How long a burst of events must have been quiet before a rebuild. An
/// editor's save is a few events within a millisecond or two (write a
/// temporary file, rename it over the old one); every millisecond here is
/// added to every save's reload.
pub const QUIET: Duration = Duration::from_millis(20);
/// How many more quiet periods a batch waits while one of its files is
/// missing or empty (see [`Watch::next_batch`]).
const MID_SAVE_WAITS: u32 = 5;
/// The longest a burst may delay a rebuild.
pub const LONGEST: Duration = Duration::from_secs(2);
/// How often polling looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Files modified this recently have their contents compared too.
pub const RECENT: Duration = Duration::from_secs(3);

/// The folders watched, relative to the root, besides the root itself.
const FOLDERS: [&str; 2] = [crate::load::CONTENT_DIR, "themes"];

/// How changes are noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Native,
    /// Polling, and why.
    Poll(String),
}

/// What happened to the site since the last batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Changed files, relative to the root, `/`-separated.
    pub paths: BTreeSet<String>,
    /// Events were lost (or the watcher failed): anything may have changed.
    pub rescan: Option<String>,
}

/// What the watcher's handler passes on.
enum Signal {
    Changed(Vec<String>),
    Rescan(String),
}

/// A running watch on a site.
pub struct Watch {
    /// The native watcher; `None` when polling.
    watcher: Option<Box<dyn Watcher + Send>>,
    /// The poller, when polling; it stops when dropped.
    _poller: Option<Poller>,
    signals: mpsc::Receiver<Signal>,
    root: PathBuf,
    pub method: Method,
}

impl Watch {
    /// Starts watching the site at `root` (an absolute path), natively
    /// unless `poll` or the file system says otherwise.
    pub fn start(root: &Path, poll: bool) -> Result<Watch, String> {
        let native = if poll {
            Err("--poll was given".to_string())
        } else if let Some(fs) = network_file_system(root) {
            Err(format!("the site is on a {fs} file system, which may not report changes"))
        } else {
            Ok(())
        };
        if native.is_ok() {
            let (sender, signals) = mpsc::channel();
            let started = notify::recommended_watcher(handler(root, sender))
                .map_err(|e| e.to_string())
                .and_then(|watcher| Watch::native(Box::new(watcher), signals, root));
            match started {
                Ok(watch) => return Ok(watch),
                Err(e) => return Watch::polling(root, format!("native file events are not available ({e})")),
            }
        }
        Watch::polling(root, native.err().unwrap_or_default())
    }

    fn polling(root: &Path, why: String) -> Result<Watch, String> {
        let (sender, signals) = mpsc::channel();
        let poller = Poller::start(root, sender).map_err(|e| format!("cannot start polling: {e}"))?;
        Ok(Watch { watcher: None, _poller: Some(poller), signals, root: root.to_path_buf(), method: Method::Poll(why) })
    }

    fn native(watcher: Box<dyn Watcher + Send>, signals: mpsc::Receiver<Signal>, root: &Path) -> Result<Watch, String> {
        let mut watch =
            Watch { watcher: Some(watcher), _poller: None, signals, root: root.to_path_buf(), method: Method::Native };
        if let Some(watcher) = watch.watcher.as_mut() {
            watcher.watch(root, RecursiveMode::NonRecursive).map_err(|e| format!("{}: {e}", root.display()))?;
        }
        for folder in FOLDERS {
            watch.watch_folder(folder)?;
        }
        Ok(watch)
    }

    /// (Re)starts the native recursive watch on `folder`, if it exists:
    /// after the folder is made, or replaced, the old watch sees nothing.
    /// (Polling looks at whatever is there each time.)
    fn watch_folder(&mut self, folder: &str) -> Result<(), String> {
        let path = self.root.join(folder);
        let Some(watcher) = self.watcher.as_mut() else { return Ok(()) };
        if let Err(e) = watcher.unwatch(&path) {
            // Not watched yet, or gone with its folder: both are expected.
            if !matches!(e.kind, notify::ErrorKind::WatchNotFound | notify::ErrorKind::PathNotFound) {
                return Err(format!("{}: {e}", path.display()));
            }
        }
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Blocks until a burst of changes has settled, and returns it; `None`
    /// once the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        batch.add(self.signals.recv().ok()?);
        let started = Instant::now();
        let mut last = started;
        let mut waited_for_saves = 0;
        loop {
            let deadline = (last + QUIET).min(started + LONGEST);
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { break };
            match self.signals.recv_timeout(left) {
                Ok(signal) => {
                    batch.add(signal);
                    last = Instant::now();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // A file missing or empty may be a save half done (an
                    // editor that deletes or empties the file, then writes
                    // it), by a writer slowed down: give it a little longer.
                    if waited_for_saves < MID_SAVE_WAITS && batch.paths.iter().any(|p| mid_save(&self.root.join(p))) {
                        waited_for_saves += 1;
                        last = Instant::now();
                        continue;
                    }
                    break;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        for folder in FOLDERS {
            if batch.rescan.is_some() || batch.paths.contains(folder) {
                if let Err(e) = self.watch_folder(folder) {
                    batch.rescan = Some(format!("cannot watch {folder}/ again: {e}"));
                }
            }
        }
        Some(batch)
    }
}

/// Whether `path` looks like a file in the middle of being saved: gone,
/// or a file with nothing in it yet. (A folder, or a file deleted for
/// good, costs a batch a few quiet periods at most.)
fn mid_save(path: &Path) -> bool {
    std::fs::symlink_metadata(path).map_or(true, |meta| meta.is_file() && meta.len() == 0)
}

impl Batch {
    fn add(&mut self, signal: Signal) {
        match signal {
            Signal::Changed(paths) => self.paths.extend(paths),
            Signal::Rescan(why) => self.rescan = Some(why),
        }
    }
}

/// The watcher's event handler: passes on the changes that matter, as
/// paths relative to `root`.
fn handler(root: &Path, sender: mpsc::Sender<Signal>) -> impl notify::EventHandler {
    let root = root.to_path_buf();
    move |event: notify::Result<notify::Event>| {
        let signal = match event {
            Err(e) => Some(Signal::Rescan(e.to_string())),
            Ok(event) if event.need_rescan() => Some(Signal::Rescan("the watcher lost events".into())),
            Ok(event) if !is_change(&event.kind) => None,
            Ok(event) => {
                let paths: Vec<String> = event.paths.iter().filter_map(|p| relevant(&root, p)).collect();
                (!paths.is_empty()).then_some(Signal::Changed(paths))
            }
        };
        if let Some(signal) = signal {
            if let Err(mpsc::SendError(_)) = sender.send(signal) {
                // The session is ending: no one listens any more.
            }
        }
    }
}

/// Polling: a thread that looks at every watched file each
/// [`POLL_INTERVAL`] and reports what changed since the last look.
struct Poller {
    stop: Arc<AtomicBool>,
}

/// What polling knows of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    len: u64,
    modified: Option<SystemTime>,
    /// The contents' hash, for recently modified files only.
    hash: Option<u64>,
}

impl Poller {
    fn start(root: &Path, sender: mpsc::Sender<Signal>) -> std::io::Result<Poller> {
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped, hasher) = (root.to_path_buf(), stop.clone(), RandomState::new());
        let mut seen = snapshot(&root, &hasher);
        std::thread::Builder::new().name("practicebank-poll".into()).spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(POLL_INTERVAL);
                let now = snapshot(&root, &hasher);
                let changed: Vec<String> = seen
                    .keys()
                    .chain(now.keys())
                    .filter(|path| seen.get(*path) != now.get(*path))
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                seen = now;
                if !changed.is_empty() && sender.send(Signal::Changed(changed)).is_err() {
                    break;
                }
            }
        })?;
        Ok(Poller { stop })
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Every watched file under `root`, by path relative to it.
fn snapshot(root: &Path, hasher: &RandomState) -> BTreeMap<String, Seen> {
    let now = SystemTime::now();
    let mut files = BTreeMap::new();
    let mut look = |path: &Path, meta: std::fs::Metadata| {
        // A folder changes when its files do, which are seen themselves.
        let Some(rel) = relevant(root, path).filter(|_| !meta.is_dir()) else { return };
        let modified = meta.modified().ok();
        let recent = modified.is_some_and(|m| now.duration_since(m).map_or(true, |age| age < RECENT));
        let hash = if recent { std::fs::read(path).ok().map(|bytes| hasher.hash_one(bytes)) } else { None };
        files.insert(rel, Seen { len: meta.len(), modified, hash });
    };
    if let Ok(meta) = std::fs::metadata(root.join(crate::load::SITE_CONFIG)) {
        look(&root.join(crate::load::SITE_CONFIG), meta);
    }
    for folder in FOLDERS {
        let walker = walkdir::WalkDir::new(root.join(folder))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !ignored(&e.file_name().to_string_lossy()));
        for entry in walker.flatten() {
            if let Ok(meta) = entry.metadata() {
                look(entry.path(), meta);
            }
        }
    }
    files
}

/// Whether an event kind can mean new contents: not a read.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// `path` relative to `root` if a change to it can change the site.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let parts: Vec<String> =
        path.strip_prefix(root).ok()?.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let first = parts.first()?;
    let watched = (first == crate::load::SITE_CONFIG && parts.len() == 1) || FOLDERS.contains(&first.as_str());
    (watched && !parts.iter().any(|p| ignored(p))).then(|| parts.join("/"))
}

/// Names that are never part of a site: hidden files (editors' swap and
/// lock files among them), backups and vim's write probe.
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name == "4913" || (name.starts_with('#') && name.ends_with('#'))
}

/// The type of the file system holding `path`, when it is one whose
/// changes native events may miss (Linux only).
fn network_file_system(path: &Path) -> Option<String> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    mount_type(&mounts, path).filter(|fs| is_remote(fs))
}

/// The type of the mount holding `path`, from a `/proc/self/mounts` text.
fn mount_type(mounts: &str, path: &Path) -> Option<String> {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let (_, point, fs) = (fields.next()?, fields.next()?, fields.next()?);
            // Spaces and other odd bytes in mount points are octal escapes.
            let point = point.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            path.starts_with(&point).then(|| (Path::new(&point).components().count(), fs.to_string()))
        })
        .max_by_key(|(depth, _)| *depth)
        .map(|(_, fs)| fs)
}

fn is_remote(fs: &str) -> bool {
    const REMOTE: &str = "nfs nfs4 cifs smb3 smbfs 9p vboxsf vmhgfs fuse.vmhgfs-fuse fuse.sshfs drvfs prl_fs afs davfs";
    REMOTE.split(' ').any(|remote| remote == fs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_are_relevant() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(rel("/site/site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(rel("/site/content/case-studies/a.md").as_deref(), Some("content/case-studies/a.md"));
        assert_eq!(rel("/site/themes/mine/static/x.css").as_deref(), Some("themes/mine/static/x.css"));
        assert_eq!(rel("/site/content").as_deref(), Some("content"));
        for ignored in [
            "/site/public/index.html",
            "/site/.git/index",
            "/site/site.yaml~",
            "/site/.site.yaml.swp",
            "/site/content/case-studies/.a.md.swp",
            "/site/content/case-studies/a.md~",
            "/site/content/4913",
            "/site/content/#a.md#",
            "/site/README.md",
            "/elsewhere/site.yaml",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Read))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_change(&EventKind::Remove(notify::event::RemoveKind::File)));
    }

    #[test]
    fn finds_the_mount_of_a_path() {
        let mounts = "/dev/vda / ext4 rw 0 0\nserver:/export /mnt/share nfs4 rw 0 0\n\
                      //host/s /mnt/my\\040docs cifs rw 0 0\n";
        assert_eq!(mount_type(mounts, Path::new("/home/me/site")).as_deref(), Some("ext4"));
        assert_eq!(mount_type(mounts, Path::new("/mnt/share/site")).as_deref(), Some("nfs4"));
        assert_eq!(mount_type(mounts, Path::new("/mnt/my docs/site")).as_deref(), Some("cifs"));
        assert!(is_remote("nfs4") && !is_remote("ext4") && !is_remote("overlay"));
    }

    #[test]
    fn a_burst_is_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/case-studies")).unwrap();
        std::fs::write(root.join("site.yaml"), "a").unwrap();
        let mut watch = Watch::start(&root, true).unwrap();
        assert!(matches!(watch.method, Method::Poll(_)));
        let case_study = root.join("content/case-studies/a.md");
        std::fs::write(root.join("content/case-studies/.a.md.tmp"), "x").unwrap();
        std::fs::rename(root.join("content/case-studies/.a.md.tmp"), &case_study).unwrap();
        std::fs::write(root.join("site.yaml"), "bb").unwrap();
        let batch = watch.next_batch().unwrap();
        let expected: BTreeSet<String> = ["content/case-studies/a.md", "site.yaml"].map(String::from).into();
        assert_eq!(batch.paths, expected);
        // The same size, at once: only the contents tell.
        std::fs::write(root.join("site.yaml"), "cc").unwrap();
        let batch = watch.next_batch().unwrap();
        assert_eq!(batch.paths, ["site.yaml".to_string()].into());
    }

    #[test]
    fn a_save_slowed_down_half_way_is_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let case_study = root.join("content/case-studies/a.md");
        std::fs::create_dir_all(case_study.parent().unwrap()).unwrap();
        std::fs::write(&case_study, "first").unwrap();
        let mut watch = Watch::start(&root, false).unwrap();
        let writer = {
            let case_study = case_study.clone();
            std::thread::spawn(move || {
                std::fs::write(&case_study, "").unwrap();
                // Longer than the quiet period, shorter than the waits for
                // a file left empty.
                std::thread::sleep(QUIET * 3);
                std::fs::write(&case_study, "second").unwrap();
                Instant::now()
            })
        };
        let batch = watch.next_batch().unwrap();
        let batched = Instant::now();
        let written = writer.join().unwrap();
        assert_eq!(batch.paths, ["content/case-studies/a.md".to_string()].into());
        assert!(batched > written, "the batch ended before the save was written");
        assert!(mid_save(&root.join("content/case-studies/gone.md")));
        assert!(!mid_save(&case_study));
    }
}
