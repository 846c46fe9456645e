//! Export from the window: the open document or the whole folder, written on a background
//! thread so the window stays responsive, with progress, cancel, and the result reported as
//! a message. What is written is decided by `store::export`; this module only feeds it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use rayon::prelude::*;

use super::{App, AppError, ExportFailure};
use crate::model::corpus_event::CorpusEvent;
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
    handle: Option<JoinHandle<Result<export::Report, ExportFailure>>>,
}

/// One document to export: taken from memory, or read from its file on the thread.
pub enum Source {
    Open(Box<AnnotatedDocument>),
    File(PathBuf),
}

impl Job {
    /// Starts writing `docs` (named by their paths in errors) to `out`.
    /// `corpus`: the folder's root and its own events, for their ACLED rows.
    pub fn start(
        options: export::Options,
        out: PathBuf,
        docs: Vec<(PathBuf, Source)>,
        schema: LabelSchema,
        corpus: Option<(PathBuf, Vec<CorpusEvent>)>,
        registry: Option<crate::model::registry::Registry>,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let total = docs.len();
        let handle = {
            let (done, cancel, out) = (done.clone(), cancel.clone(), out.clone());
            std::thread::spawn(move || {
                run(
                    &options,
                    &out,
                    docs,
                    &schema,
                    (corpus.as_ref(), registry.as_ref()),
                    (&done, &cancel),
                )
            })
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
    pub fn finished(&mut self) -> Option<Result<export::Report, ExportFailure>> {
        if !self.handle.as_ref()?.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(handle.join().unwrap_or(Err(ExportFailure::Stopped)))
    }

    /// Waits for the result (tests and quitting).
    pub fn wait(&mut self) -> Result<export::Report, ExportFailure> {
        match self.handle.take() {
            Some(h) => h.join().unwrap_or(Err(ExportFailure::Stopped)),
            None => Err(ExportFailure::AlreadyFinished),
        }
    }
}

fn run(
    options: &export::Options,
    out: &Path,
    docs: Vec<(PathBuf, Source)>,
    schema: &LabelSchema,
    (corpus, registry): (
        Option<&(PathBuf, Vec<CorpusEvent>)>,
        Option<&crate::model::registry::Registry>,
    ),
    (done, cancel): (&AtomicUsize, &AtomicBool),
) -> Result<export::Report, ExportFailure> {
    let mut exporter =
        export::Exporter::new(options.clone(), out).map_err(ExportFailure::NotWritten)?;
    if let Some(registry) = registry {
        exporter.use_registry(registry.clone());
    }
    let linked: std::collections::HashSet<PathBuf> =
        corpus.map_or_else(Default::default, |(root, events)| {
            exporter.promoted_in(root, events);
            events
                .iter()
                .flat_map(|e| {
                    e.documents()
                        .into_iter()
                        .map(|d| root.join(d))
                        .collect::<Vec<_>>()
                })
                .collect()
        });
    let mut kept = std::collections::HashMap::new();
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        if cancel.load(Ordering::Relaxed) {
            return Err(ExportFailure::Cancelled(out.to_owned()));
        }
        // A batch read on every core, then made into the format's pieces (on every core for
        // CoNLL and spaCy) and written in order.
        let batch: Vec<(PathBuf, Source)> = docs.by_ref().take(export::BATCH).collect();
        let read: Vec<Result<(PathBuf, AnnotatedDocument), ExportFailure>> = batch
            .into_par_iter()
            .map(|(path, source)| match source {
                Source::Open(doc) => Ok((path, *doc)),
                Source::File(file) => store::open(&file, schema)
                    .map(|doc| (path, doc))
                    .map_err(|source| ExportFailure::Unreadable { source }),
            })
            .collect();
        // The first file that cannot be read, in the folder's order, is the one named.
        let opened: Vec<(PathBuf, AnnotatedDocument)> =
            read.into_iter().collect::<Result<_, _>>()?;
        let inputs: Vec<export::Input<'_>> = opened
            .iter()
            .map(|(path, doc)| export::Input {
                path,
                doc,
                schema: doc.schema_or(schema),
            })
            .collect();
        for result in exporter.add_all(&inputs) {
            result.map_err(ExportFailure::Refused)?;
            done.fetch_add(1, Ordering::Relaxed);
        }
        for (path, doc) in opened {
            if linked.contains(&path) {
                kept.insert(path, doc);
            }
        }
    }
    if let Some((root, events)) = corpus {
        for event in events {
            exporter
                .add_corpus_event(event, |k| kept.get(&root.join(k)))
                .map_err(ExportFailure::Refused)?;
        }
    }
    exporter.finish(true).map_err(ExportFailure::NotWritten)
}

impl App {
    /// Starts writing the open document or the whole folder on a background thread; the open
    /// document goes as it is on screen, unsaved changes included.
    pub(super) fn start_export(&mut self, request: Request) -> Result<(), AppError> {
        if self.export.is_some() {
            return Err(AppError::ExportRunning);
        }
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        let open = || Source::Open(Box::new(session.doc.clone()));
        let docs = match request.scope {
            Scope::Document => vec![(session.path.clone(), open())],
            Scope::Folder => {
                let corpus = self.corpus.as_ref().ok_or(AppError::NoFolder)?;
                corpus
                    .entries
                    .iter()
                    .map(|e| {
                        let source = if e.path == session.path {
                            open()
                        } else {
                            Source::File(e.path.clone())
                        };
                        (e.path.clone(), source)
                    })
                    .collect()
            }
        };
        // A target folder that does not exist yet is made (an export to a new folder).
        crate::store::make_parent_folder(&request.out)?;
        self.status = Some(format!("exporting to {}…", request.out.display()));
        let corpus = (request.scope == Scope::Folder
            && request.options.format == export::Format::AcledCsv)
            .then(|| {
                self.corpus
                    .as_ref()
                    .map(|c| (c.root.clone(), self.corpus_events.events.clone()))
            })
            .flatten();
        self.export = Some(Job::start(
            request.options,
            request.out,
            docs,
            self.schema.clone(),
            corpus,
            self.registry_file().then(|| self.registry().clone()),
        ));
        Ok(())
    }

    /// Reports a finished export (called every frame while one runs, hidden window or not).
    pub fn poll_export(&mut self) {
        let Some(job) = &mut self.export else {
            return;
        };
        let Some(result) = job.finished() else {
            return;
        };
        let out = job.out.display().to_string();
        self.export = None;
        match result {
            Ok(report) => {
                let mut message = format!(
                    "exported {} document(s), {} span(s), {} event(s) to {out}",
                    report.documents, report.spans, report.events
                );
                for w in &report.warnings {
                    message.push_str("\nnote: ");
                    message.push_str(w);
                }
                self.status = Some(message);
            }
            Err(e) => {
                self.status = None;
                self.error = Some(e.to_string());
            }
        }
    }

    pub(super) fn cancel_export(&mut self) -> Result<(), AppError> {
        if let Some(job) = &self.export {
            job.cancel();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::store;

    fn wait_for_export(app: &mut App) {
        let job = app.export.as_mut().expect("an export runs");
        let result = job.wait();
        // Put the result where poll_export reports it from.
        app.export = None;
        match result {
            Ok(r) => app.status = Some(format!("exported {} document(s)", r.documents)),
            Err(e) => app.error = Some(e.to_string()),
        }
    }

    #[test]
    fn the_folder_is_exported_with_the_open_documents_unsaved_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles");
        for name in ["mali-sinsgaji-jnim.json", "chad-lake-boko-haram.json"] {
            std::fs::copy(samples.join(name), dir.path().join(name)).expect("copy");
        }
        let mut app = app_for("coder-a");
        app.apply(Command::Open(dir.path().to_owned()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        let out = dir.path().join("out").join("train.jsonl");
        std::fs::create_dir(out.parent().expect("parent")).expect("mkdir");
        let mut options = store::export::Options::new(store::export::Format::Jsonl);
        options.set = Some("coder-a".into());
        app.apply(Command::Export(export::Request {
            options: options.clone(),
            scope: export::Scope::Folder,
            out: out.clone(),
        }));
        assert_eq!(app.error, None);
        assert_eq!(app.export.as_ref().map(|j| j.total), Some(2));
        wait_for_export(&mut app);
        assert_eq!(app.status.as_deref(), Some("exported 2 document(s)"));
        let lines = std::fs::read_to_string(&out).expect("written");
        let docs = store::export::jsonl::read(&lines, "x").expect("reads back");
        let spans: Vec<usize> = docs.iter().map(|d| d.sets[0].spans.len()).collect();
        // The open (first) document, chad, without its deleted span; the seed from its file.
        assert_eq!(spans, [39, 88]);
        // A folder with a file that cannot be read exports nothing.
        std::fs::write(dir.path().join("zz-broken.json"), "{").expect("write");
        app.apply(Command::Save);
        app.apply(Command::Open(dir.path().to_owned()));
        app.apply(Command::Export(export::Request {
            options,
            scope: export::Scope::Folder,
            out: out.clone(),
        }));
        wait_for_export(&mut app);
        assert!(
            app.error
                .as_deref()
                .is_some_and(|e| e.contains("zz-broken.json"))
        );
        assert_eq!(std::fs::read_to_string(&out).expect("kept"), lines);
    }

    #[test]
    fn quitting_during_an_export_cancels_it_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles");
        for i in 0..30 {
            std::fs::copy(
                samples.join("mali-sinsgaji-jnim.json"),
                dir.path().join(format!("doc-{i:02}.json")),
            )
            .expect("copy");
        }
        let mut app = app_for("coder-a");
        app.apply(Command::Open(dir.path().to_owned()));
        app.wait_for_corpus();
        let out = dir.path().join("train.conll");
        let mut options = store::export::Options::new(store::export::Format::Conll);
        options.set = Some("coder-a".into());
        app.apply(Command::Export(export::Request {
            options,
            scope: export::Scope::Folder,
            out: out.clone(),
        }));
        assert!(app.export.is_some());
        app.apply(Command::Quit);
        assert!(app.quit);
        assert!(app.export.is_none(), "the export was waited for");
        let temps: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".marsad"))
            .collect();
        assert!(temps.is_empty(), "{temps:?}");
    }
}
