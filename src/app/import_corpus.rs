//! File ▸ Import Corpus…: another tool's corpus read, checked and written as a new folder of
//! `marsad/1` documents on a background thread ([`crate::store::import`]); when it is done the
//! folder opens in the navigator, and what the schema lacked is said.

use std::path::PathBuf;
use std::thread::JoinHandle;

use super::{App, AppError};
use crate::model::LabelSchema;
use crate::store::import::{self, Format, ImportError};

/// What File ▸ Import Corpus… asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub format: Format,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    /// The set's name where the input names no annotator.
    pub set: Option<String>,
}

/// What a finished import says: how many documents, what the schema lacked.
type Outcome = Result<(usize, Vec<String>), ImportError>;

/// An import being written.
pub struct Job {
    pub out: PathBuf,
    handle: Option<JoinHandle<Outcome>>,
}

impl Job {
    pub fn done(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl App {
    pub(super) fn import_corpus(&mut self, request: Request) -> Result<(), AppError> {
        if self.import.is_some() {
            return Err(AppError::Refused("an import is already running".to_owned()));
        }
        if request.inputs.is_empty() {
            return Err(AppError::Refused("choose what to import".to_owned()));
        }
        let project: LabelSchema = self.schema().clone();
        let out = request.out.clone();
        let handle = std::thread::spawn(move || {
            let (docs, added) = import::corpus(
                request.format,
                &request.inputs,
                request.set.as_deref(),
                &project,
            )?;
            import::write(&docs, &request.out, &project)?;
            Ok((docs.len(), added))
        });
        self.import = Some(Job {
            out,
            handle: Some(handle),
        });
        self.tell("importing…".to_owned(), "جارٍ الاستيراد…".to_owned());
        Ok(())
    }

    /// A finished import opens its folder (asking about unsaved changes first).
    pub fn poll_import(&mut self) {
        let Some(job) = &mut self.import else {
            return;
        };
        if !job.done() {
            return;
        }
        let out = job.out.clone();
        let result = job.handle.take().map(|h| h.join());
        self.import = None;
        match result {
            Some(Ok(Ok((n, added)))) => {
                self.apply(super::Command::Open(out.clone()));
                let more = if added.is_empty() {
                    String::new()
                } else {
                    format!("; not in the schema, added: {}", added.join(", "))
                };
                self.tell(
                    format!(
                        "imported {n} document{} into {}{more}",
                        if n == 1 { "" } else { "s" },
                        out.display()
                    ),
                    format!("استُورد {n} مستندًا إلى {}", out.display()),
                );
            }
            Some(Ok(Err(e))) => self.error = Some(e.to_string()),
            _ => self.error = Some("the import stopped unexpectedly".to_owned()),
        }
    }

    /// Waits for a running import (tests).
    pub fn wait_for_import(&mut self) {
        while self.import.as_ref().is_some_and(|j| !j.done()) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.poll_import();
    }
}
