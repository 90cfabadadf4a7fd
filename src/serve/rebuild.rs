//! One session's builds, in two kinds.
//!
//! - A full build ([`Builder::settle`]): the whole pipeline in memory
//!   ([`crate::generate`], reusing the last build's search stage when the
//!   site is unchanged), then the served folder made to hold exactly its
//!   files. It runs on a thread of its own, so a save never waits for it.
//! - A preview ([`Builder::saved`]): when a save changed only case studies
//!   already published, each is read, checked and rendered again against
//!   the last full build ([`crate::preview`]) and its page written at once;
//!   a full build follows to bring everything else (listings, feeds, the
//!   search index, related lists) up to date. A preview's page differs from
//!   the full build's only where it depends on other case studies.
//!
//! Every save starts a new *generation*. A full build that finds, when it
//! is done, that a save came in since it read the site writes nothing, and
//! the next one starts; so the folder never goes back to an older save.
//! The folder is updated and the new [`Status`] published under the
//! folder's lock, in that order, so a page told to reload finds the new
//! files.
//!
//! A failed build or preview writes nothing and changes no version: the
//! folder keeps the last good files and the status carries the problems.

use super::folder::{Folder, Update};
use super::status::{Changed, Problem, Restyle, Status};
use super::watch::Batch;
use crate::diagnostic::Diagnostic;
use crate::load::{self, Sources};
use crate::{BuildFailure, BuildOptions, Preview, Reuse};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;
use tokio::sync::watch;

/// Past this many changed files, the status does not list them and every
/// open page reloads.
const MOST_LISTED: usize = 100;

/// What a build or a preview did.
pub enum Outcome {
    /// The folder holds the new build.
    Built { case_studies: usize, update: Update },
    /// The saved case studies' pages are written; a full build follows.
    Previewed { update: Update },
    /// The site has problems; nothing changed.
    Failed(BuildFailure),
    /// The full build found the same problems as the preview before it,
    /// which were shown then.
    FailedAgain,
    /// A save came in while the full build ran: it wrote nothing, and
    /// another follows.
    Superseded,
    /// The site built but the folder could not be brought up to date.
    NotWritten(io::Error),
    /// The session is ending.
    Stopped,
}

/// Builds the site of a session, again and again; shared by the thread that
/// hears saves and the thread that runs full builds.
pub struct Builder {
    options: BuildOptions,
    /// Shared with the session, which takes it away to remove it when it
    /// stops; `None` from then on. Locked before `state`.
    folder: Arc<Mutex<Option<Folder>>>,
    status: watch::Sender<Arc<Status>>,
    session: String,
    state: Mutex<State>,
    /// Wakes the full-build thread.
    wanted: Condvar,
}

struct State {
    /// The last successful full build.
    previous: Option<Arc<Reuse>>,
    /// How many builds changed the served files.
    changes: u64,
    /// How many saves have been heard.
    generation: u64,
    /// The generation the next full build is for; none is wanted when it
    /// equals `built`.
    wanted: u64,
    /// The generation of the last full build, written, failed or
    /// superseded.
    built: u64,
    /// The files the last full build's problems are in, when it failed.
    failing: Option<BTreeSet<String>>,
    /// The problems the last preview found, when it found some.
    previewed_problems: Option<Vec<Diagnostic>>,
    stopping: bool,
}

impl Builder {
    pub fn new(
        options: BuildOptions,
        folder: Arc<Mutex<Option<Folder>>>,
        status: watch::Sender<Arc<Status>>,
        session: String,
    ) -> Builder {
        let state = State {
            previous: None,
            changes: 0,
            generation: 0,
            wanted: 0,
            built: 0,
            failing: None,
            previewed_problems: None,
            stopping: false,
        };
        Builder { options, folder, status, session, state: Mutex::new(state), wanted: Condvar::new() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first build, on the calling thread.
    pub fn build(&self) -> Outcome {
        self.full_build(0)
    }

    /// Hears a save: previews it when it can, and asks for a full build.
    /// Returns what the preview did, if there was one.
    pub fn saved(&self, batch: &Batch) -> Option<Outcome> {
        let (previous, failing) = {
            let mut state = self.state();
            state.generation += 1;
            state.previewed_problems = None;
            (state.previous.clone(), state.failing.clone())
        };
        let previewed = self.preview(batch, previous, failing);
        let mut state = self.state();
        state.wanted = state.generation;
        self.wanted.notify_one();
        previewed
    }

    /// Tells the full-build thread to end.
    pub fn stop(&self) {
        self.state().stopping = true;
        self.wanted.notify_one();
    }

    /// Waits until a full build is wanted and runs it; `None` when the
    /// session is ending. Returns when the build started, too.
    pub fn settle(&self) -> Option<(Outcome, Instant)> {
        let generation = {
            let mut state = self.state();
            while state.wanted == state.built && !state.stopping {
                state = self.wanted.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            if state.stopping {
                return None;
            }
            state.wanted
        };
        let started = Instant::now();
        Some((self.full_build(generation), started))
    }

    /// Builds the whole site for the save `generation` and, if it built
    /// and no save came in since, updates the folder; then publishes the
    /// new status.
    fn full_build(&self, generation: u64) -> Outcome {
        let previous = self.state().previous.clone();
        let generated = crate::generate(&self.options, &crate::Quiet, previous.as_deref());
        drop(previous);
        let mut folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = self.state();
        state.built = generation;
        if state.generation != generation {
            return Outcome::Superseded;
        }
        let generated = match generated {
            Ok(generated) => generated,
            Err(failure) => {
                state.failing = Some(failure.diagnostics.iter().map(|d| d.file.clone()).collect());
                self.publish(&mut state, None, Problem::all(&failure.diagnostics, failure.sources.as_ref()), true);
                if state.previewed_problems.as_ref() == Some(&failure.diagnostics) {
                    return Outcome::FailedAgain;
                }
                return Outcome::Failed(failure);
            }
        };
        let Some(folder) = folder.as_mut() else { return Outcome::Stopped };
        let updated = folder.update(&generated.files);
        state.previous = Some(Arc::new(generated.reuse));
        state.failing = None;
        match updated {
            Ok(update) => {
                self.publish(&mut state, Some(&update), Vec::new(), true);
                Outcome::Built { case_studies: generated.case_studies, update }
            }
            Err(e) => self.not_written(&mut state, e),
        }
    }

    /// Previews the case studies `batch` changed, when it changed nothing
    /// else and the last full build succeeded (or failed only in them: a
    /// preview would hide other files' problems).
    fn preview(
        &self,
        batch: &Batch,
        previous: Option<Arc<Reuse>>,
        failing: Option<BTreeSet<String>>,
    ) -> Option<Outcome> {
        let previous = previous?;
        let only_case_studies = batch.paths.iter().all(|path| load::is_case_study_path(path));
        if batch.rescan.is_some() || !only_case_studies || failing.is_some_and(|f| !f.is_subset(&batch.paths)) {
            return None;
        }
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        let mut read = Vec::new();
        for path in &batch.paths {
            match crate::preview(&previous, path) {
                Preview::Pages(pages) => files.extend(pages),
                Preview::Invalid { diagnostics: problems, source } => {
                    diagnostics.extend(problems);
                    read.extend(source);
                }
                Preview::NeedsBuild => return None,
            }
        }
        let mut folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = self.state();
        if !diagnostics.is_empty() {
            crate::diagnostic::sort(&mut diagnostics);
            let sources = Sources {
                root: previous.site.root.clone(),
                config: String::new(),
                case_studies: read,
                assets: BTreeMap::new(),
                unreadable: Vec::new(),
                lossy_text: BTreeMap::new(),
            };
            self.publish(&mut state, None, Problem::all(&diagnostics, Some(&sources)), false);
            state.previewed_problems = Some(diagnostics.clone());
            let failure = BuildFailure { diagnostics, site_invalid: false, sources: Some(sources) };
            return Some(Outcome::Failed(failure));
        }
        let Some(folder) = folder.as_mut() else { return Some(Outcome::Stopped) };
        Some(match folder.put(&files) {
            Ok(update) => {
                self.publish(&mut state, Some(&update), Vec::new(), false);
                Outcome::Previewed { update }
            }
            Err(e) => self.not_written(&mut state, e),
        })
    }

    fn not_written(&self, state: &mut State, e: io::Error) -> Outcome {
        if e.kind() == io::ErrorKind::Interrupted {
            return Outcome::Stopped;
        }
        let problem = Diagnostic::file_error(
            "(served folder)",
            "output",
            format!("cannot update the served folder ({e}); some pages may be out of date"),
        )
        .with_help("check the disk has room, then save a file to build again");
        self.publish(state, None, Problem::all(&[problem], None), true);
        Outcome::NotWritten(e)
    }

    /// Publishes the status after a build or preview: a new version when
    /// `update` changed the served files.
    fn publish(&self, state: &mut State, update: Option<&Update>, problems: Vec<Problem>, settled: bool) {
        let old = self.status.borrow().clone();
        let mut status = Status { problems, restyle: None, changed: None, settled, ..(*old).clone() };
        if let Some(update) = update {
            status.built = true;
            if !update.is_empty() {
                state.changes += 1;
                status.version = format!("{}-{}", self.session, state.changes);
                status.restyle =
                    update.restyle.clone().map(|stylesheets| Restyle { from: old.version.clone(), stylesheets });
                let count = update.written.len() + update.removed.len();
                status.changed = (count <= MOST_LISTED).then(|| {
                    let mut files: Vec<String> = update.written.iter().chain(&update.removed).cloned().collect();
                    files.sort();
                    Changed { from: old.version.clone(), files }
                });
            }
        }
        self.status.send_replace(Arc::new(status));
    }
}
