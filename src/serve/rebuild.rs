//! One session's builds: the whole pipeline in memory ([`crate::generate`],
//! reusing the last build's search stage when the site is unchanged), then
//! the served folder brought up to date, then the new [`Status`] published
//! to the event streams, in that order, so a page told to reload finds the
//! new files.
//!
//! A failed build writes nothing and changes no version: the folder keeps
//! the last good build and the status carries the problems.

use super::folder::{Folder, Update};
use super::status::{Problem, Restyle, Status};
use crate::diagnostic::Diagnostic;
use crate::{BuildFailure, BuildOptions, Reuse};
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::watch;

/// What a build did.
pub enum Outcome {
    /// The folder holds the new build.
    Built { case_studies: usize, update: Update },
    /// The site has problems; nothing changed.
    Failed(BuildFailure),
    /// The site built but the folder could not be brought up to date.
    NotWritten(io::Error),
    /// The session is ending.
    Stopped,
}

/// Builds the site of a session, again and again.
pub struct Builder {
    options: BuildOptions,
    previous: Option<Reuse>,
    /// Shared with the session, which takes it away to remove it when it
    /// stops; `None` from then on.
    folder: Arc<Mutex<Option<Folder>>>,
    status: watch::Sender<Arc<Status>>,
    session: String,
    /// How many builds changed the served files.
    changes: u64,
}

impl Builder {
    pub fn new(
        options: BuildOptions,
        folder: Arc<Mutex<Option<Folder>>>,
        status: watch::Sender<Arc<Status>>,
        session: String,
    ) -> Builder {
        Builder { options, previous: None, folder, status, session, changes: 0 }
    }

    /// Builds the site and, if it built, updates the folder; then publishes
    /// the new status.
    pub fn build(&mut self) -> Outcome {
        let generated = match crate::generate(&self.options, &crate::Quiet, self.previous.as_ref()) {
            Ok(generated) => generated,
            Err(failure) => {
                self.publish(None, Problem::all(&failure.diagnostics, failure.sources.as_ref()));
                return Outcome::Failed(failure);
            }
        };
        let updated = {
            let mut folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner);
            match folder.as_mut() {
                Some(folder) => folder.update(&generated.files),
                None => return Outcome::Stopped,
            }
        };
        self.previous = Some(generated.reuse);
        match updated {
            Ok(update) => {
                self.publish(Some(&update), Vec::new());
                Outcome::Built { case_studies: generated.case_studies, update }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Outcome::Stopped,
            Err(e) => {
                let problem = Diagnostic::file_error(
                    "(served folder)",
                    "output",
                    format!("cannot update the served folder ({e}); some pages may be out of date"),
                )
                .with_help("check the disk has room, then save a file to build again");
                self.publish(None, Problem::all(&[problem], None));
                Outcome::NotWritten(e)
            }
        }
    }

    /// Publishes the status after a build: a new version when `update`
    /// changed the served files.
    fn publish(&mut self, update: Option<&Update>, problems: Vec<Problem>) {
        let old = self.status.borrow().clone();
        let mut status = Status { problems, restyle: None, ..(*old).clone() };
        if let Some(update) = update {
            status.built = true;
            if !update.is_empty() {
                self.changes += 1;
                status.version = format!("{}-{}", self.session, self.changes);
                status.restyle =
                    update.restyle.clone().map(|stylesheets| Restyle { from: old.version.clone(), stylesheets });
            }
        }
        self.status.send_replace(Arc::new(status));
    }
}
