//! File ▸ Sync: the coder's saved work committed, pulled (merged by Marsad's driver) and
//! pushed with the user's own git, on a background thread; when it is done the folder is read
//! again and the open document reloaded if the pull changed it. Every git failure is shown
//! with git's own words and nothing local is undone.

use std::path::PathBuf;
use std::thread::JoinHandle;

use super::{App, AppError};
use crate::store::git::{self, GitError, Synced};

/// A sync being run.
pub struct Job {
    handle: Option<JoinHandle<Result<Synced, GitError>>>,
}

impl Job {
    pub fn done(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl App {
    /// The folder a sync works on: the open corpus, else the open document's folder.
    fn sync_root(&self) -> Option<PathBuf> {
        self.corpus.as_ref().map(|c| c.root.clone()).or_else(|| {
            self.session
                .as_ref()
                .map(|s| crate::store::atomic::parent_dir(&s.path).to_owned())
        })
    }

    pub(super) fn start_sync(&mut self) -> Result<(), AppError> {
        if self.sync.is_some() {
            return Err(AppError::Refused("a sync is already running".to_owned()));
        }
        let root = self.sync_root().ok_or(AppError::NoDocument)?;
        // Only saved work is committed: the open document is saved first.
        if self.is_modified() {
            self.save(false)?;
            if self.prompt.is_some() {
                return Ok(());
            }
        }
        let coder = self.settings.coder.clone();
        let handle = std::thread::spawn(move || git::sync(&root, &coder));
        self.sync = Some(Job {
            handle: Some(handle),
        });
        self.tell(
            "syncing with git…".to_owned(),
            "جارٍ المزامنة مع git…".to_owned(),
        );
        Ok(())
    }

    /// A finished sync: what it did said, the folder read again, the open document reloaded
    /// when the pull changed it on disk and it has no unsaved changes.
    pub fn poll_sync(&mut self) {
        if self.sync.as_ref().is_some_and(Job::done) {
            self.wait_for_sync();
        }
    }

    /// Waits for a running sync and takes its result (at once when it is done).
    pub fn wait_for_sync(&mut self) {
        let Some(handle) = self.sync.take().and_then(|mut j| j.handle.take()) else {
            return;
        };
        match handle.join() {
            Ok(Ok(synced)) => {
                self.status = Some(said(&synced));
                self.after_pull();
            }
            Ok(Err(e)) => {
                self.error = Some(format!("sync: {e}; your saved work is as it was"));
                self.after_pull();
            }
            Err(_) => self.error = Some("sync: the git thread stopped".to_owned()),
        }
    }

    fn after_pull(&mut self) {
        let reopen = self.session.as_ref().and_then(|s| {
            (!s.history.is_modified() && s.changed_on_disk()).then(|| s.path.clone())
        });
        if let Some(path) = reopen {
            let status = self.status.take();
            if let Err(e) = self.open(&path) {
                self.error = Some(e.to_string());
            }
            self.status = status;
        }
        // The pull may have brought a new manifest (the lead assigned more documents).
        if let Some(root) = self.corpus.as_ref().map(|c| c.root.clone()) {
            if let Err(e) = self.find_team(&root) {
                self.error = Some(e.to_string());
            }
            self.reload_entries();
        }
    }
}

/// What a sync did, in a line.
fn said(s: &Synced) -> String {
    let mut parts = Vec::new();
    if s.finished_merge {
        parts.push("the merge is finished".to_owned());
    }
    if !s.committed.is_empty() {
        parts.push(format!("{} document(s) committed", s.committed.len()));
    }
    if !s.conflicts.is_empty() {
        parts.push(format!(
            "merge conflicts to settle in {} (open each, choose, save, then Sync again); nothing was pushed",
            s.conflicts.join(", ")
        ));
    } else if s.pushed {
        parts.push("pulled and pushed".to_owned());
    } else if !s.remote {
        parts.push("no remote to pull from or push to".to_owned());
    }
    if parts.is_empty() {
        "sync: nothing to do".to_owned()
    } else {
        format!("sync: {}", parts.join("; "))
    }
}
