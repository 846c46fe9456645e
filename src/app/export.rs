//! Export from the window: the open document or the whole folder, written on a background
//! thread so the window stays responsive, with progress, cancel, and the result reported as
//! a message. What is written is decided by `store::export`; this module only feeds it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::model::{AnnotatedDocument, LabelSchema};
use crate::store::{self, export};

/// Which documents to export.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// The open document as it is on screen (unsaved changes included).
    Document,
    /// Every document of the open folder; the open one as it is on screen.
    Folder,
}

/// What the coder asked for in the export dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub options: export::Options,
    pub scope: Scope,
    pub out: PathBuf,
}

/// An export running on its own thread.
pub struct Job {
    pub out: PathBuf,
    pub total: usize,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    handle: Option<JoinHandle<Result<export::Report, String>>>,
}

/// One document to export: taken from memory, or read from its file on the thread.
pub enum Source {
    Open(Box<AnnotatedDocument>),
    File(PathBuf),
}

impl Job {
    /// Starts writing `docs` (named by their paths in errors) to `out`.
    pub fn start(
        options: export::Options,
        out: PathBuf,
        docs: Vec<(PathBuf, Source)>,
        schema: LabelSchema,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let total = docs.len();
        let handle = {
            let (done, cancel, out) = (done.clone(), cancel.clone(), out.clone());
            std::thread::spawn(move || run(&options, &out, docs, &schema, &done, &cancel))
        };
        Self {
            out,
            total,
            done,
            cancel,
            handle: Some(handle),
        }
    }

    /// Documents written so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the thread to stop; OUT is left as it was.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result, once the thread has finished.
    pub fn finished(&mut self) -> Option<Result<export::Report, String>> {
        if !self.handle.as_ref()?.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|_| Err("the export stopped unexpectedly".to_owned())),
        )
    }

    /// Waits for the result (tests and quitting).
    pub fn wait(&mut self) -> Result<export::Report, String> {
        match self.handle.take() {
            Some(h) => h
                .join()
                .unwrap_or_else(|_| Err("the export stopped unexpectedly".to_owned())),
            None => Err("the export has already finished".to_owned()),
        }
    }
}

fn run(
    options: &export::Options,
    out: &Path,
    docs: Vec<(PathBuf, Source)>,
    schema: &LabelSchema,
    done: &AtomicUsize,
    cancel: &AtomicBool,
) -> Result<export::Report, String> {
    let mut exporter = export::Exporter::new(options.clone(), out).map_err(|e| e.to_string())?;
    for (path, source) in docs {
        if cancel.load(Ordering::Relaxed) {
            return Err(format!("export cancelled; {} is unchanged", out.display()));
        }
        let doc = match source {
            Source::Open(doc) => *doc,
            Source::File(file) => store::open(&file, schema).map_err(|e| {
                format!(
                    "nothing exported, {} cannot be read:\n{}",
                    file.display(),
                    e.lines().collect::<Vec<_>>().join("\n")
                )
            })?,
        };
        exporter
            .add(&path, &doc, doc.schema_or(schema))
            .map_err(|e| format!("nothing exported: {e}"))?;
        done.fetch_add(1, Ordering::Relaxed);
    }
    exporter.finish(true).map_err(|e| e.to_string())
}
