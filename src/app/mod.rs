//! The application: what is open, what is selected, what the coder asked for, and every
//! command that changes it. Pure logic without drawing, so that tests drive it directly; the
//! `ui` module only turns clicks and keys into [`Command`]s and shows this state.
//!
//! Every change to annotations goes through `model::Edit`, so undo and redo cover all of them;
//! saving is atomic, checks the file on disk first, and unsaved work is written to a recovery
//! file beside the document.

pub mod casualty;
pub mod export;
pub mod review;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{
    AnnotatedDocument, AnnotationSet, AttrValue, Change, CharRange, Edit, Event, EventRole,
    History, LabelSchema, Span, Status, sha256_hex,
};
use crate::store;

/// Letters a coder may trim from the start of a selection or span: the proclitics و ف ب ل ك.
pub const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// Settings remembered between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The coder's name: the id of their annotation set.
    pub coder: String,
    /// Zoom factor of the document view.
    pub zoom: f32,
    pub dark: bool,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            coder: std::env::var("USER")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "coder".to_owned()),
            zoom: 1.0,
            dark: false,
            recent: Vec::new(),
        }
    }
}

/// An open document.
pub struct Session {
    /// Where Save writes (a `.txt` opens as the `.json` beside it).
    pub path: PathBuf,
    pub doc: AnnotatedDocument,
    pub history: History,
    /// SHA-256 of the file as it was loaded or last saved (`None`: not on disk yet).
    disk: Option<String>,
}

/// A folder of documents being coded, in name order.
pub struct Corpus {
    pub root: PathBuf,
    pub entries: Vec<CorpusEntry>,
}

/// One document of a corpus as the navigator shows it (for the current coder).
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusEntry {
    pub path: PathBuf,
    pub title: String,
    pub status: Status,
    pub spans: usize,
    /// Why the document cannot be opened, if it cannot.
    pub error: Option<String>,
}

/// A question the window must ask before going on.
pub enum Prompt {
    /// The document has unsaved changes: save, discard or cancel, then `then`.
    Unsaved { then: Box<Command> },
    /// The file changed on disk since it was loaded: overwrite it (then go on with `then`) or
    /// cancel.
    Conflict { then: Option<Box<Command>> },
    /// A recovery file from a session that did not end well: restore or discard it.
    Recovery { recovered: Box<AnnotatedDocument> },
}

/// Everything the coder can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Open(PathBuf),
    Save,
    SaveAs(PathBuf),
    /// Save even though the file changed on disk.
    Overwrite,
    Undo,
    Redo,
    /// The text selection (`None` clears it).
    Select(Option<CharRange>),
    /// Make the selection a span with this label, or relabel the selected span.
    Label(String),
    SelectSpan(Option<String>),
    DeleteSpan,
    SetAttr {
        span: String,
        name: String,
        value: Option<AttrValue>,
    },
    SetNote {
        span: String,
        note: Option<String>,
    },
    TrimProclitic,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    SetCoder(String),
    /// Corpus navigation: the next or previous document, the next one not done yet.
    NextDocument,
    PreviousDocument,
    NextNotDone,
    /// The status of the coder's work on the open document (e.g. Done).
    SetStatus(Status),
    /// Close the window (asking first about unsaved changes).
    Quit,
    /// Answers to prompts.
    RestoreRecovery,
    DiscardRecovery,
    DiscardChanges,
    SaveThenContinue,
    CancelPrompt,
    /// Write unsaved work to the recovery file.
    Autosave,
    /// A new event in the coder's set, selected for linking.
    NewEvent,
    SelectEvent(Option<String>),
    UpdateEvent {
        event: String,
        field: EventField,
    },
    DeleteEvent(String),
    /// Arms a role of the selected event: clicking a span then links it in that role (or
    /// unlinks it when it is linked there). `None` stops linking.
    LinkRole(Option<EventRole>),
    ToggleLink {
        event: String,
        role: EventRole,
        span: String,
    },
    /// Export the open document or folder (on a background thread).
    Export(export::Request),
    CancelExport,
    /// Put a model's predictions (a file) into the open document as the model's set.
    ImportPredictions {
        path: PathBuf,
        options: crate::store::predictions::Options,
    },
    /// Review: compare set B with set A (None ends the review).
    Review(Option<(String, String)>),
    ReviewThreshold(f64),
    /// The next (true) or previous difference that is not a match.
    ReviewStep(bool),
    ReviewFocus(review::DiffKey),
    /// Copy these differences' spans into the adjudicated set (one undoable edit).
    Accept(Vec<review::DiffKey>),
    /// Decide against these differences (an accepted one leaves the adjudicated set).
    Reject(Vec<review::DiffKey>),
}

/// What an [`Command::UpdateEvent`] changes.
#[derive(Clone, Debug, PartialEq)]
pub enum EventField {
    /// The ACLED event type; a sub-event type that does not belong to it is cleared.
    Type(String),
    SubType(Option<String>),
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; empty clears it.
    Date(Option<String>),
    Notes(Option<String>),
}

/// The application state.
pub struct App {
    pub session: Option<Session>,
    pub selection: Option<CharRange>,
    pub selected_span: Option<String>,
    /// The event whose card is open, and the role clicked spans are linked in.
    pub selected_event: Option<String>,
    pub linking: Option<EventRole>,
    pub prompt: Option<Prompt>,
    /// The last failure, shown until dismissed.
    pub error: Option<String>,
    /// A short note on what just happened (saved, restored…).
    pub status: Option<String>,
    pub settings: Settings,
    /// The folder being worked through, when a folder was opened.
    pub corpus: Option<Corpus>,
    /// Set when the window may close.
    pub quit: bool,
    /// The export being written, if any.
    pub export: Option<export::Job>,
    /// The review in progress, if any.
    pub review: Option<review::Review>,
    /// A text offset the view should scroll to (taken by the window).
    pub scroll_to: Option<usize>,
    schema: LabelSchema,
}

fn entry_for(path: &Path, doc: &AnnotatedDocument, coder: &str) -> CorpusEntry {
    let set = doc.set(coder);
    CorpusEntry {
        path: path.to_owned(),
        title: doc
            .document
            .meta
            .title
            .clone()
            .unwrap_or_else(|| doc.document.meta.id.clone()),
        status: set.map_or(Status::NotStarted, |s| s.status),
        spans: set.map_or(0, |s| s.spans.len()),
        error: None,
    }
}

/// Refuses to write a document that would not load again, naming every problem.
fn validate_before_saving(doc: &AnnotatedDocument, project: &LabelSchema) -> Result<(), String> {
    let problems = doc.validate(project);
    if problems.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    Err(format!(
        "not saved, the document has problems:\n{}",
        lines.join("\n")
    ))
}

/// The recovery file of a document: hidden, beside it.
pub fn recovery_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.recovery.json"))
}

fn fingerprint(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| {
        // The hash of the bytes, whatever they are: only equality matters.
        sha256_hex(&String::from_utf8_lossy(&bytes))
    })
}

impl App {
    pub fn new(settings: Settings) -> Self {
        Self {
            session: None,
            selection: None,
            selected_span: None,
            selected_event: None,
            linking: None,
            prompt: None,
            error: None,
            status: None,
            settings,
            corpus: None,
            quit: false,
            export: None,
            review: None,
            scroll_to: None,
            schema: LabelSchema::builtin().clone(),
        }
    }

    /// Where the open document is in the corpus.
    pub fn corpus_index(&self) -> Option<usize> {
        let (corpus, session) = (self.corpus.as_ref()?, self.session.as_ref()?);
        corpus.entries.iter().position(|e| e.path == session.path)
    }

    /// Runs what a prompt was holding back, now that the question is answered: opening or
    /// quitting goes ahead even though the document has unsaved changes.
    fn continue_with(&mut self, then: Command) -> Result<(), String> {
        match then {
            Command::Open(path) => self.open_any(&path),
            Command::Quit => {
                self.quit = true;
                Ok(())
            }
            other => self.try_apply(other),
        }
    }

    /// Opens a folder (as a corpus) or a file; the corpus is kept for files inside it.
    fn open_any(&mut self, path: &Path) -> Result<(), String> {
        if path.is_dir() {
            return self.open_folder(path);
        }
        self.open(path)?;
        if self
            .corpus
            .as_ref()
            .is_some_and(|c| !path.starts_with(&c.root))
        {
            self.corpus = None;
        }
        Ok(())
    }

    /// Saves to a new path; the document moves there only once the file is written.
    fn save_as(&mut self, path: PathBuf) -> Result<(), String> {
        let session = self.session.as_mut().ok_or("no document is open")?;
        validate_before_saving(&session.doc, &self.schema)?;
        store::save(&path, &session.doc).map_err(|e| e.to_string())?;
        let old = std::mem::replace(&mut session.path, path);
        let _ = std::fs::remove_file(recovery_path(&old));
        session.disk = fingerprint(&session.path);
        session.history.mark_saved();
        self.status = Some(format!("saved {}", session.path.display()));
        let opened = session.path.clone();
        self.remember(&opened);
        Ok(())
    }

    fn remember(&mut self, path: &Path) {
        self.settings.recent.retain(|p| p != path);
        self.settings.recent.insert(0, path.to_owned());
        self.settings.recent.truncate(10);
    }

    /// Reads a folder's documents for the navigator; the first one not done is opened.
    fn open_folder(&mut self, root: &Path) -> Result<(), String> {
        let (paths, problems) = store::documents_in(root);
        if paths.is_empty() {
            let mut why = format!(
                "{}: no .json or .ron documents in this folder",
                root.display()
            );
            for p in problems {
                why.push('\n');
                why.push_str(&p.to_string());
            }
            return Err(why);
        }
        let project = store::project_schema(root)
            .map_err(|e| e.to_string())?
            .unwrap_or_else(|| LabelSchema::builtin().clone());
        let coder = self.settings.coder.clone();
        let entries = paths
            .into_iter()
            .map(|path| match store::load(&path, &project) {
                Ok(doc) => entry_for(&path, &doc, &coder),
                Err(e) => CorpusEntry {
                    title: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    path,
                    status: Status::NotStarted,
                    spans: 0,
                    error: Some(e.to_string()),
                },
            })
            .collect::<Vec<_>>();
        let first = entries
            .iter()
            .find(|e| {
                e.error.is_none() && matches!(e.status, Status::NotStarted | Status::InProgress)
            })
            .or_else(|| entries.iter().find(|e| e.error.is_none()))
            .map(|e| e.path.clone());
        self.corpus = Some(Corpus {
            root: root.to_owned(),
            entries,
        });
        match first {
            Some(path) => self.open(&path),
            None => Err(format!(
                "{}: none of the documents can be opened",
                root.display()
            )),
        }
    }

    /// Re-reads every entry of the corpus (for another coder).
    fn reload_entries(&mut self) {
        let coder = self.settings.coder.clone();
        let schema = self.schema.clone();
        if let Some(corpus) = &mut self.corpus {
            for entry in &mut corpus.entries {
                if let Ok(doc) = store::load(&entry.path, &schema) {
                    *entry = entry_for(&entry.path, &doc, &coder);
                }
            }
        }
    }

    /// The navigator's entry for the open document, after it changed.
    fn refresh_entry(&mut self) {
        let coder = self.settings.coder.clone();
        if let (Some(corpus), Some(session)) = (&mut self.corpus, &self.session)
            && let Some(entry) = corpus.entries.iter_mut().find(|e| e.path == session.path)
        {
            *entry = entry_for(&session.path, &session.doc, &coder);
        }
    }

    fn go_to(
        &mut self,
        pick: impl Fn(&[CorpusEntry], Option<usize>) -> Option<usize>,
    ) -> Result<(), String> {
        let corpus = self
            .corpus
            .as_ref()
            .ok_or("open a folder to move between documents")?;
        let target = pick(&corpus.entries, self.corpus_index())
            .and_then(|i| corpus.entries.get(i))
            .map(|e| e.path.clone());
        match target {
            Some(path) => self.try_apply(Command::Open(path)),
            None => {
                self.status = Some("no other document to go to".to_owned());
                Ok(())
            }
        }
    }

    /// The schema in force for the open document.
    pub fn schema(&self) -> &LabelSchema {
        match &self.session {
            Some(s) => s.doc.schema_or(&self.schema),
            None => &self.schema,
        }
    }

    /// The current coder's annotation set, if the document has one yet.
    pub fn set(&self) -> Option<&AnnotationSet> {
        self.session.as_ref()?.doc.set(&self.settings.coder)
    }

    pub fn is_modified(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.history.is_modified())
    }

    /// The window title: "Marsad — <title>", with • when there are unsaved changes.
    pub fn title(&self) -> String {
        match &self.session {
            None => "Marsad".to_owned(),
            Some(s) => {
                let name = s
                    .doc
                    .document
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| s.doc.document.meta.id.clone());
                let dot = if s.history.is_modified() { " •" } else { "" };
                format!("Marsad — {name}{dot}")
            }
        }
    }

    /// Carries out a command; a failure is kept in `error` and changes nothing else.
    pub fn apply(&mut self, command: Command) {
        if let Err(e) = self.try_apply(command) {
            self.error = Some(e);
        }
    }

    fn try_apply(&mut self, command: Command) -> Result<(), String> {
        match command {
            Command::Open(path) => {
                if self.prompt.is_some() {
                    return Err("answer the open question first".to_owned());
                }
                if self.is_modified() {
                    self.prompt = Some(Prompt::Unsaved {
                        then: Box::new(Command::Open(path)),
                    });
                    return Ok(());
                }
                self.open_any(&path)
            }
            Command::NextDocument => self.go_to(|entries, at| {
                let from = at.map_or(0, |i| i + 1);
                (from..entries.len()).find(|&i| entries[i].error.is_none())
            }),
            Command::PreviousDocument => self.go_to(|entries, at| {
                (0..at.unwrap_or(0))
                    .rev()
                    .find(|&i| entries[i].error.is_none())
            }),
            Command::NextNotDone => self.go_to(|entries, at| {
                let start = at.map_or(0, |i| i + 1);
                (0..entries.len())
                    .map(|k| (start + k) % entries.len())
                    .find(|&i| {
                        Some(i) != at
                            && entries[i].error.is_none()
                            && matches!(entries[i].status, Status::NotStarted | Status::InProgress)
                    })
            }),
            Command::SetStatus(status) => {
                let coder = self.settings.coder.clone();
                self.edit_in_own_set(|doc| {
                    Edit::set_status(doc, &coder, status).map_err(|e| e.to_string())
                })?;
                self.refresh_entry();
                Ok(())
            }
            Command::Quit => {
                if self.is_modified() {
                    self.prompt = Some(Prompt::Unsaved {
                        then: Box::new(Command::Quit),
                    });
                } else {
                    self.quit = true;
                }
                Ok(())
            }
            Command::Save => self.save(false),
            Command::Overwrite => {
                let then = match self.prompt.take() {
                    Some(Prompt::Conflict { then }) => then,
                    _ => None,
                };
                self.save(true)?;
                match then {
                    Some(then) => self.continue_with(*then),
                    None => Ok(()),
                }
            }
            Command::SaveAs(path) => self.save_as(path),
            Command::Undo => self.step_history(true),
            Command::Redo => self.step_history(false),
            Command::Select(range) => {
                self.selection = range.filter(|r| !r.is_empty());
                if self.selection.is_some() {
                    self.selected_span = None;
                }
                Ok(())
            }
            Command::Label(label) => self.label(&label),
            Command::SelectSpan(Some(span)) if self.linking.is_some() => {
                match (self.selected_event.clone(), self.linking) {
                    (Some(event), Some(role)) => {
                        self.try_apply(Command::ToggleLink { event, role, span })
                    }
                    _ => Ok(()),
                }
            }
            Command::SelectSpan(id) => {
                self.selected_span = id;
                if self.selected_span.is_some() {
                    self.selection = None;
                }
                Ok(())
            }
            Command::DeleteSpan => {
                let Some(id) = self.selected_span.clone() else {
                    return Ok(());
                };
                let set = self.settings.coder.clone();
                let session = self.session.as_mut().ok_or("no document is open")?;
                let edit = Edit::remove_span(&session.doc, &set, &id).map_err(|e| e.to_string())?;
                session
                    .history
                    .apply(&mut session.doc, edit)
                    .map_err(|e| e.to_string())?;
                self.selected_span = None;
                Ok(())
            }
            Command::SetAttr { span, name, value } => self.update_span(&span, |s| match value {
                Some(v) => {
                    s.attrs.insert(name, v);
                }
                None => {
                    s.attrs.remove(&name);
                }
            }),
            Command::SetNote { span, note } => {
                self.update_span(&span, |s| s.note = note.filter(|n| !n.trim().is_empty()))
            }
            Command::TrimProclitic => self.trim_proclitic(),
            Command::ZoomIn => self.zoom(self.settings.zoom * 1.1),
            Command::ZoomOut => self.zoom(self.settings.zoom / 1.1),
            Command::ZoomReset => self.zoom(1.0),
            Command::SetCoder(name) => {
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err("the coder name cannot be empty".to_owned());
                }
                if self.is_modified() {
                    return Err("save or undo your changes before changing the coder".to_owned());
                }
                self.settings.coder = name;
                self.selected_span = None;
                if let Some(session) = &mut self.session {
                    // Undo stays within one coder's work.
                    session.history = History::new();
                }
                self.reload_entries();
                Ok(())
            }
            Command::RestoreRecovery => {
                if let Some(Prompt::Recovery { recovered }) = self.prompt.take() {
                    let coder = self.settings.coder.clone();
                    let session = self.session.as_mut().ok_or("no document is open")?;
                    if recovered.document.text_sha256() != session.doc.document.text_sha256() {
                        return Err("the recovery file belongs to another text".to_owned());
                    }
                    // Only the coder's own set comes back: other coders' saved work stays.
                    let Some(mine) = recovered.set(&coder).cloned() else {
                        return Err(format!("the recovery file has no work by {coder}"));
                    };
                    let edit = match session.doc.sets.iter().position(|s| s.id == coder) {
                        Some(index) => Edit::Set(Change::Replace {
                            index,
                            old: session.doc.sets[index].clone(),
                            new: mine,
                        }),
                        None => Edit::Set(Change::Insert {
                            index: session.doc.sets.len(),
                            item: mine,
                        }),
                    };
                    session
                        .history
                        .apply(&mut session.doc, edit)
                        .map_err(|e| e.to_string())?;
                    self.status = Some("unsaved work restored".to_owned());
                }
                Ok(())
            }
            Command::DiscardRecovery => {
                self.prompt = None;
                if let Some(s) = &self.session {
                    let _ = std::fs::remove_file(recovery_path(&s.path));
                }
                Ok(())
            }
            Command::DiscardChanges => {
                if let Some(Prompt::Unsaved { then }) = self.prompt.take() {
                    let recovery = self.session.as_ref().map(|s| recovery_path(&s.path));
                    // The edits stay (and stay unsaved) unless what follows replaces them.
                    self.continue_with(*then)?;
                    if let Some(r) = recovery {
                        let _ = std::fs::remove_file(r);
                    }
                }
                Ok(())
            }
            Command::SaveThenContinue => {
                if let Some(Prompt::Unsaved { then }) = self.prompt.take() {
                    self.save(false)?;
                    match &mut self.prompt {
                        // The file changed on disk: go on once that is answered.
                        Some(Prompt::Conflict { then: pending }) => *pending = Some(then),
                        _ => self.continue_with(*then)?,
                    }
                }
                Ok(())
            }
            Command::CancelPrompt => {
                self.prompt = None;
                Ok(())
            }
            Command::Autosave => self.autosave(),
            Command::NewEvent => {
                let event_type = self
                    .schema()
                    .event_types
                    .first()
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| "Battles".to_owned());
                let coder = self.settings.coder.clone();
                let mut new_id = String::new();
                self.edit_in_own_set(|doc| {
                    let set = doc.set(&coder).ok_or("no annotation set")?;
                    new_id = set.fresh_id("e");
                    let event = Event {
                        id: new_id.clone(),
                        event_type,
                        ..Event::default()
                    };
                    Edit::add_event(doc, &coder, event).map_err(|e| e.to_string())
                })?;
                self.selected_event = Some(new_id);
                self.linking = None;
                Ok(())
            }
            Command::SelectEvent(id) => {
                if id != self.selected_event {
                    self.linking = None;
                }
                self.selected_event = id;
                Ok(())
            }
            Command::UpdateEvent { event, field } => {
                if let EventField::Date(Some(date)) = &field
                    && !crate::model::validate::is_iso_date(date)
                {
                    return Err(format!(
                        "\"{date}\" is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)"
                    ));
                }
                let schema = self.schema().clone();
                if let EventField::Type(t) = &field
                    && !schema.event_types.is_empty()
                    && schema.event_type(t).is_none()
                {
                    return Err(format!("the schema has no event type \"{t}\""));
                }
                self.update_event(&event, |e| match field {
                    EventField::Type(t) => {
                        let keeps_sub = e.sub_event_type.as_ref().is_some_and(|sub| {
                            schema
                                .event_type(&t)
                                .is_some_and(|def| def.sub_types.contains(sub))
                        });
                        if !keeps_sub {
                            e.sub_event_type = None;
                        }
                        e.event_type = t;
                    }
                    EventField::SubType(sub) => e.sub_event_type = sub,
                    EventField::Date(date) => e.date = date.filter(|d| !d.trim().is_empty()),
                    EventField::Notes(notes) => e.notes = notes.filter(|n| !n.trim().is_empty()),
                })
            }
            Command::DeleteEvent(id) => {
                let coder = self.settings.coder.clone();
                let session = self.session.as_mut().ok_or("no document is open")?;
                let edit =
                    Edit::remove_event(&session.doc, &coder, &id).map_err(|e| e.to_string())?;
                session
                    .history
                    .apply(&mut session.doc, edit)
                    .map_err(|e| e.to_string())?;
                if self.selected_event.as_ref() == Some(&id) {
                    self.selected_event = None;
                    self.linking = None;
                }
                Ok(())
            }
            Command::LinkRole(role) => {
                if role.is_some() && self.selected_event.is_none() {
                    return Err("open an event first (Events ▸ New event)".to_owned());
                }
                self.linking = role;
                Ok(())
            }
            Command::ToggleLink { event, role, span } => {
                self.update_event(&event, |e| e.toggle(role, &span))
            }
            Command::Export(request) => self.start_export(request),
            Command::ImportPredictions { path, options } => {
                let session = self.session.as_mut().ok_or("no document is open")?;
                let src = store::read_text(&path)
                    .map_err(|e| e.lines().collect::<Vec<_>>().join("\n"))?;
                let imported =
                    crate::store::predictions::import(&src, &session.doc, &self.schema, &options)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                let count = imported.set.spans.len();
                let skipped = imported.skipped.len();
                let edit = match session
                    .doc
                    .sets
                    .iter()
                    .position(|s| s.id == imported.set.id)
                {
                    Some(index) => Edit::Set(Change::Replace {
                        index,
                        old: session.doc.sets[index].clone(),
                        new: imported.set,
                    }),
                    None => Edit::Set(Change::Insert {
                        index: session.doc.sets.len(),
                        item: imported.set,
                    }),
                };
                session
                    .history
                    .apply(&mut session.doc, edit)
                    .map_err(|e| e.to_string())?;
                let mut message = format!(
                    "{count} prediction(s) imported as set \"{}\", {skipped} left out",
                    options.model
                );
                for line in imported.skipped.iter().take(20) {
                    message.push('\n');
                    message.push_str(line);
                }
                if skipped > 0 {
                    self.error = Some(message);
                } else {
                    self.status = Some(message);
                }
                Ok(())
            }
            Command::Review(None) => {
                self.review = None;
                Ok(())
            }
            Command::Review(Some((a, b))) => {
                let session = self.session.as_ref().ok_or("no document is open")?;
                for id in [&a, &b] {
                    if session.doc.set(id).is_none() {
                        return Err(format!("the document has no set \"{id}\""));
                    }
                }
                let keep = self.review.take().filter(|r| r.a == a && r.b == b);
                self.review = Some(keep.unwrap_or_else(|| review::Review::new(&a, &b)));
                Ok(())
            }
            Command::ReviewThreshold(t) => {
                if let Some(r) = &mut self.review {
                    r.threshold = t.clamp(0.0, 1.0);
                }
                Ok(())
            }
            Command::ReviewStep(forward) => {
                let session = self.session.as_ref().ok_or("no document is open")?;
                if let Some(r) = &mut self.review {
                    self.scroll_to = r.step(&session.doc, forward);
                }
                Ok(())
            }
            Command::ReviewFocus(key) => {
                if let Some(r) = &mut self.review {
                    r.current = Some(key);
                }
                Ok(())
            }
            Command::Accept(keys) => {
                let session = self.session.as_mut().ok_or("no document is open")?;
                let r = self.review.as_mut().ok_or("no review is open")?;
                r.rejected.retain(|k| !keys.contains(k));
                if let Some(edit) = review::accept_edit(&session.doc, r, &keys) {
                    session
                        .history
                        .apply(&mut session.doc, edit)
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Command::Reject(keys) => {
                let session = self.session.as_mut().ok_or("no document is open")?;
                let r = self.review.as_mut().ok_or("no review is open")?;
                // A rejected difference that was accepted leaves the adjudicated set.
                let mut edits = Vec::new();
                let mut work = session.doc.clone();
                for d in r.differences(&session.doc) {
                    let key = review::DiffKey::of(&d);
                    if !keys.contains(&key) {
                        continue;
                    }
                    if !r.rejected.contains(&key) {
                        r.rejected.push(key);
                    }
                    let Some(c) = review::candidate(&d) else {
                        continue;
                    };
                    let found = work.set(review::ADJUDICATED).and_then(|s| {
                        s.spans
                            .iter()
                            .find(|x| x.range() == c.range() && x.label == c.label)
                            .map(|x| x.id.clone())
                    });
                    if let Some(id) = found {
                        let edit = Edit::remove_span(&work, review::ADJUDICATED, &id)
                            .map_err(|e| e.to_string())?;
                        edit.apply(&mut work).map_err(|e| e.to_string())?;
                        edits.push(edit);
                    }
                }
                if !edits.is_empty() {
                    let edit = if edits.len() == 1 {
                        edits.remove(0)
                    } else {
                        Edit::Batch(edits)
                    };
                    session
                        .history
                        .apply(&mut session.doc, edit)
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Command::CancelExport => {
                if let Some(job) = &self.export {
                    job.cancel();
                }
                Ok(())
            }
        }
    }

    fn open(&mut self, path: &Path) -> Result<(), String> {
        // An article already imported: its annotations are in the .json beside it.
        let json = path.with_extension("json");
        let path = if store::is_text_file(path) && json.is_file() {
            self.status = Some(format!("opened the annotated {}", json.display()));
            json.as_path()
        } else {
            path
        };
        let project = store::project_schema(path.parent().unwrap_or(Path::new(".")))
            .map_err(|e| e.to_string())?
            .unwrap_or_else(|| LabelSchema::builtin().clone());
        let doc = store::open(path, &project).map_err(|e| e.to_string())?;
        let (save_path, disk) = if store::is_text_file(path) {
            let json = path.with_extension("json");
            let disk = fingerprint(&json);
            (json, disk)
        } else {
            (path.to_owned(), fingerprint(path))
        };
        self.schema = project;
        self.selection = None;
        self.selected_span = None;
        self.selected_event = None;
        self.linking = None;
        self.review = None;
        self.error = None;
        let recovery = recovery_path(&save_path);
        self.session = Some(Session {
            path: save_path,
            doc,
            history: History::new(),
            disk,
        });
        self.remember(path);
        if recovery.exists() {
            self.offer_recovery(&recovery);
        }
        Ok(())
    }

    fn offer_recovery(&mut self, recovery: &Path) {
        let Some(session) = &self.session else { return };
        match store::load(recovery, session.doc.schema_or(&self.schema)) {
            Ok(recovered)
                if recovered.document.text_sha256() == session.doc.document.text_sha256()
                    && recovered.set(&self.settings.coder).is_some()
                    && recovered.set(&self.settings.coder)
                        != session.doc.set(&self.settings.coder) =>
            {
                self.prompt = Some(Prompt::Recovery {
                    recovered: Box::new(recovered),
                });
            }
            Ok(_) => {
                let _ = std::fs::remove_file(recovery);
            }
            Err(e) => {
                self.error = Some(format!(
                    "the recovery file could not be read and was left alone:\n{e}"
                ));
            }
        }
    }

    fn save(&mut self, force: bool) -> Result<(), String> {
        let session = self.session.as_mut().ok_or("no document is open")?;
        validate_before_saving(&session.doc, &self.schema)?;
        if !force && fingerprint(&session.path) != session.disk {
            self.prompt = Some(Prompt::Conflict { then: None });
            return Ok(());
        }
        store::save(&session.path, &session.doc).map_err(|e| e.to_string())?;
        session.disk = fingerprint(&session.path);
        session.history.mark_saved();
        let _ = std::fs::remove_file(recovery_path(&session.path));
        self.status = Some(format!("saved {}", session.path.display()));
        self.refresh_entry();
        Ok(())
    }

    fn autosave(&mut self) -> Result<(), String> {
        let Some(session) = &self.session else {
            return Ok(());
        };
        let path = recovery_path(&session.path);
        if !session.history.is_modified() {
            // Back at the saved state: nothing to recover.
            let _ = std::fs::remove_file(&path);
            return Ok(());
        }
        store::save(&path, &session.doc).map_err(|e| format!("cannot write the recovery file: {e}"))
    }

    fn step_history(&mut self, undo: bool) -> Result<(), String> {
        let session = self.session.as_mut().ok_or("no document is open")?;
        let done = if undo {
            session.history.undo(&mut session.doc)
        } else {
            session.history.redo(&mut session.doc)
        };
        done.map_err(|e| e.to_string())?;
        // A selected span may be gone.
        if let Some(id) = &self.selected_span
            && session
                .doc
                .set(&self.settings.coder)
                .and_then(|s| s.span(id))
                .is_none()
        {
            self.selected_span = None;
        }
        if let Some(id) = &self.selected_event
            && session
                .doc
                .set(&self.settings.coder)
                .is_none_or(|s| s.events.iter().all(|e| &e.id != id))
        {
            self.selected_event = None;
            self.linking = None;
        }
        self.refresh_entry();
        Ok(())
    }

    fn zoom(&mut self, zoom: f32) -> Result<(), String> {
        self.settings.zoom = zoom.clamp(0.5, 3.0);
        Ok(())
    }

    /// Applies an edit, first adding the coder's set when the document has none for them.
    fn edit_in_own_set(
        &mut self,
        make: impl FnOnce(&AnnotatedDocument) -> Result<Edit, String>,
    ) -> Result<(), String> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or("no document is open")?;
        let mut batch = Vec::new();
        if session.doc.set(&coder).is_none() {
            let add_set = Edit::Set(Change::Insert {
                index: session.doc.sets.len(),
                item: AnnotationSet::human(&coder),
            });
            add_set.apply(&mut session.doc).map_err(|e| e.to_string())?;
            batch.push(add_set);
        }
        let edit = match make(&session.doc) {
            Ok(edit) => edit,
            Err(e) => {
                for done in batch.iter().rev() {
                    let _ = done.inverse().apply(&mut session.doc);
                }
                return Err(e);
            }
        };
        for done in batch.iter().rev() {
            let _ = done.inverse().apply(&mut session.doc);
        }
        batch.push(edit);
        let edit = if batch.len() == 1 {
            batch.remove(0)
        } else {
            Edit::Batch(batch)
        };
        session
            .history
            .apply(&mut session.doc, edit)
            .map_err(|e| e.to_string())
    }

    fn label(&mut self, label: &str) -> Result<(), String> {
        let def = self
            .schema()
            .label(label)
            .ok_or_else(|| format!("the schema has no label {label}"))?
            .clone();
        if let Some(range) = self.selection {
            let coder = self.settings.coder.clone();
            let attrs = self.prefill(&def.name, range);
            let mut new_id = String::new();
            self.edit_in_own_set(|doc| {
                let id = doc
                    .set(&coder)
                    .map_or_else(|| "s1".to_owned(), |s| s.fresh_id("s"));
                new_id = id.clone();
                let span = Span {
                    id,
                    start: range.start,
                    end: range.end,
                    label: def.name.clone(),
                    text: String::new(),
                    attrs,
                    note: None,
                    confidence: None,
                };
                Edit::add_span(doc, &coder, span).map_err(|e| e.to_string())
            })?;
            self.selection = None;
            self.selected_span = Some(new_id);
            return Ok(());
        }
        if let Some(id) = self.selected_span.clone() {
            let schema = self.schema().clone();
            if let Some(set) = self.set() {
                for rel in set.relations.iter().filter(|r| r.from == id || r.to == id) {
                    let allowed = schema
                        .relation(&rel.kind)
                        .map(|d| if rel.from == id { &d.from } else { &d.to });
                    if allowed.is_some_and(|a| !a.is_empty() && !a.contains(&def.name)) {
                        return Err(format!(
                            "span {id} is in relation {} ({}), which does not take {}",
                            rel.id, rel.kind, def.name
                        ));
                    }
                }
            }
            // Attributes the new label does not have, or whose values it does not take, go.
            return self.update_span(&id, |s| {
                s.label = def.name.clone();
                s.attrs.retain(|k, v| {
                    def.attributes
                        .iter()
                        .any(|a| &a.name == k && a.ty.mismatch(v).is_none())
                });
            });
        }
        Err("select some text or a span first".to_owned())
    }

    /// Attribute values proposed for a new span: for CASUALTY, the figure and its qualifier.
    fn prefill(&self, label: &str, range: CharRange) -> BTreeMap<String, AttrValue> {
        let mut attrs = BTreeMap::new();
        let Some(session) = &self.session else {
            return attrs;
        };
        let has = |name: &str| {
            self.schema()
                .label(label)
                .is_some_and(|l| l.attributes.iter().any(|a| a.name == name))
        };
        if label != "CASUALTY" {
            return attrs;
        }
        let doc = &session.doc.document;
        let text = doc.slice(range).unwrap_or_default();
        let before = doc
            .slice(CharRange::new(range.start.saturating_sub(24), range.start))
            .unwrap_or_default();
        if has("value")
            && let Some(n) = casualty::parse_value(text)
        {
            attrs.insert("value".to_owned(), AttrValue::Int(n));
        }
        if has("qualifier") {
            let q = casualty::parse_qualifier(before, text)
                .or_else(|| attrs.contains_key("value").then_some(casualty::EXACT));
            if let Some(q) = q {
                attrs.insert("qualifier".to_owned(), AttrValue::Str(q.to_owned()));
            }
        }
        attrs
    }

    fn update_span(&mut self, id: &str, change: impl FnOnce(&mut Span)) -> Result<(), String> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or("no document is open")?;
        let edit =
            Edit::update_span(&session.doc, &coder, id, change).map_err(|e| e.to_string())?;
        session
            .history
            .apply(&mut session.doc, edit)
            .map_err(|e| e.to_string())
    }

    fn start_export(&mut self, request: export::Request) -> Result<(), String> {
        if self.export.is_some() {
            return Err("an export is already running".to_owned());
        }
        let session = self.session.as_ref().ok_or("no document is open")?;
        let open = || export::Source::Open(Box::new(session.doc.clone()));
        let docs = match request.scope {
            export::Scope::Document => vec![(session.path.clone(), open())],
            export::Scope::Folder => {
                let corpus = self.corpus.as_ref().ok_or("no folder is open")?;
                corpus
                    .entries
                    .iter()
                    .map(|e| {
                        let source = if e.path == session.path {
                            open()
                        } else {
                            export::Source::File(e.path.clone())
                        };
                        (e.path.clone(), source)
                    })
                    .collect()
            }
        };
        self.status = Some(format!("exporting to {}…", request.out.display()));
        self.export = Some(export::Job::start(
            request.options,
            request.out,
            docs,
            self.schema.clone(),
        ));
        Ok(())
    }

    /// Reports a finished export (called every frame while one runs).
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
                self.error = Some(e);
            }
        }
    }

    fn update_event(&mut self, id: &str, change: impl FnOnce(&mut Event)) -> Result<(), String> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or("no document is open")?;
        let edit =
            Edit::update_event(&session.doc, &coder, id, change).map_err(|e| e.to_string())?;
        session
            .history
            .apply(&mut session.doc, edit)
            .map_err(|e| e.to_string())
    }

    fn trim_proclitic(&mut self) -> Result<(), String> {
        let session = self.session.as_ref().ok_or("no document is open")?;
        let doc = &session.doc.document;
        let starts_with_proclitic = |r: CharRange| {
            let head: Vec<char> = doc
                .slice(CharRange::new(r.start, (r.start + 2).min(r.end)))
                .unwrap_or_default()
                .chars()
                .collect();
            head.len() == 2 && PROCLITICS.contains(&head[0]) && head[1].is_alphabetic()
        };
        if let Some(r) = self.selection {
            if starts_with_proclitic(r) {
                self.selection = Some(CharRange::new(r.start + 1, r.end));
            }
            return Ok(());
        }
        if let Some(id) = self.selected_span.clone() {
            let range = self
                .set()
                .and_then(|s| s.span(&id))
                .map(Span::range)
                .ok_or("the selected span is gone")?;
            if starts_with_proclitic(range) {
                return self.update_span(&id, |s| s.start += 1);
            }
            return Ok(());
        }
        Err("select some text or a span first".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    /// A temp folder with one document written from span notation.
    fn setup(marked: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let doc = notation::parse(marked)
            .expect("notation")
            .to_document("t", "coder-a");
        let path = dir.path().join("doc.json");
        store::save(&path, &doc).expect("save");
        (dir, path)
    }

    /// A document open with an unsaved edit (its span deleted), and a copy of it beside it.
    fn unsaved_with_another_document() -> (tempfile::TempDir, PathBuf, PathBuf, App) {
        let (dir, path) = setup("[ACTOR|الجيش] في مالي");
        let other = dir.path().join("other.json");
        std::fs::copy(&path, &other).expect("copy");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        (dir, path, other, app)
    }

    fn app_for(coder: &str) -> App {
        App::new(Settings {
            coder: coder.to_owned(),
            ..Settings::default()
        })
    }

    fn find(text: &str, word: &str) -> CharRange {
        let byte = text.find(word).expect("word");
        let start = text[..byte].chars().count();
        CharRange::new(start, start + word.chars().count())
    }

    fn text_of(app: &App) -> String {
        let session = app.session.as_ref().expect("open");
        session.doc.document.text().to_owned()
    }

    fn shown(app: &App) -> String {
        let s = app.session.as_ref().expect("open");
        notation::render_set(&s.doc, &app.settings.coder)
    }

    #[test]
    fn label_relabel_attribute_undo_redo_save() {
        let (_dir, path) = setup("[ACTOR|الجيش] يستعيد بلدة سيكاسو");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        assert_eq!(app.error, None);
        let text = text_of(&app);
        app.apply(Command::Select(Some(find(&text, "سيكاسو"))));
        app.apply(Command::Label("ACTOR".into()));
        assert_eq!(shown(&app), "[ACTOR|الجيش] يستعيد بلدة [ACTOR|سيكاسو]");
        assert_eq!(app.selected_span.as_deref(), Some("s2"));
        assert!(app.title().ends_with(" •"));
        app.apply(Command::Label("PLACE".into()));
        assert_eq!(shown(&app), "[ACTOR|الجيش] يستعيد بلدة [PLACE|سيكاسو]");
        app.apply(Command::SetAttr {
            span: "s2".into(),
            name: "level".into(),
            value: Some(AttrValue::Str("ADMIN1".into())),
        });
        app.apply(Command::Undo);
        assert!(
            app.set()
                .and_then(|s| s.span("s2"))
                .expect("span")
                .attrs
                .is_empty()
        );
        app.apply(Command::Redo);
        app.apply(Command::Save);
        assert_eq!(app.error, None);
        assert!(!app.title().ends_with(" •"));
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved file");
        let span = saved
            .set("coder-a")
            .and_then(|s| s.span("s2"))
            .expect("s2 on disk");
        assert_eq!(
            (span.start, span.end, span.label.as_str()),
            (18, 24, "PLACE")
        );
        assert_eq!(span.attrs["level"], AttrValue::Str("ADMIN1".into()));
    }

    #[test]
    fn a_new_coder_gets_a_set_of_their_own_and_undo_removes_it() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-b");
        app.apply(Command::Open(path));
        app.apply(Command::Select(Some(CharRange::new(9, 13))));
        app.apply(Command::Label("PLACE".into()));
        let sets: Vec<String> = app
            .session
            .as_ref()
            .expect("open")
            .doc
            .sets
            .iter()
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(sets, ["coder-a", "coder-b"]);
        assert_eq!(
            shown(&app),
            "[ACTOR|الجيش] في [PLACE|مالي]".replace("[ACTOR|الجيش]", "الجيش")
        );
        app.apply(Command::Undo);
        assert_eq!(app.session.as_ref().expect("open").doc.sets.len(), 1);
    }

    #[test]
    fn casualty_spans_are_prefilled_from_their_words() {
        let (_dir, path) = setup("خلفت الغارات ما لا يقل عن 27 قتيلا ومقتل ثلاثة مدنيين");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        let text = text_of(&app);
        app.apply(Command::Select(Some(find(&text, "27 قتيلا"))));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app
            .set()
            .and_then(|s| s.spans.first())
            .expect("span")
            .clone();
        assert_eq!(span.attrs["value"], AttrValue::Int(27));
        assert_eq!(
            span.attrs["qualifier"],
            AttrValue::Str("AT_LEAST".into()),
            "from the words before"
        );
        app.apply(Command::Select(Some(find(&text, "ثلاثة مدنيين"))));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app
            .set()
            .and_then(|s| s.spans.get(1))
            .expect("span")
            .clone();
        assert_eq!(span.attrs["value"], AttrValue::Int(3));
        assert_eq!(span.attrs["qualifier"], AttrValue::Str("EXACT".into()));
    }

    #[test]
    fn trim_proclitic_only_when_asked() {
        let (_dir, path) = setup("هجوم [PLACE|بسيكاسو] و[ACTOR|الجيش]");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::TrimProclitic);
        assert_eq!(shown(&app), "هجوم ب[PLACE|سيكاسو] و[ACTOR|الجيش]");
        // The selection "والجيش" loses its و.
        app.apply(Command::Select(Some(CharRange::new(13, 19))));
        app.apply(Command::TrimProclitic);
        assert_eq!(app.selection, Some(CharRange::new(14, 19)));
    }

    #[test]
    fn opening_another_document_asks_about_unsaved_changes() {
        let (_dir, path, other, mut app) = unsaved_with_another_document();
        app.apply(Command::Open(other.clone()));
        assert!(matches!(app.prompt, Some(Prompt::Unsaved { .. })));
        assert_eq!(
            app.session.as_ref().expect("open").path,
            path,
            "still the first document"
        );
        app.apply(Command::CancelPrompt);
        assert!(app.is_modified());
        app.apply(Command::Open(other.clone()));
        app.apply(Command::DiscardChanges);
        assert_eq!(app.session.as_ref().expect("open").path, other);
        assert!(!app.is_modified());
        let first = store::load(&path, LabelSchema::builtin()).expect("untouched");
        assert_eq!(first.sets[0].spans.len(), 1, "discarded work was not saved");
    }

    #[test]
    fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        let theirs = std::fs::read_to_string(&path)
            .expect("read")
            .replace("\"coder-a\"", "\"coder-a\" ");
        std::fs::write(&path, &theirs).expect("someone else saves");
        app.apply(Command::Save);
        assert!(matches!(app.prompt, Some(Prompt::Conflict { .. })));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
        app.apply(Command::Overwrite);
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved");
        assert!(saved.sets[0].spans.is_empty());
    }

    #[test]
    fn unsaved_work_is_recovered_after_a_crash() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::Select(Some(CharRange::new(9, 13))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Autosave);
        assert!(recovery_path(&path).exists());
        drop(app); // the crash: nothing saved
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        assert!(matches!(app.prompt, Some(Prompt::Recovery { .. })));
        app.apply(Command::RestoreRecovery);
        assert_eq!(shown(&app), "[ACTOR|الجيش] في [PLACE|مالي]");
        assert!(app.is_modified());
        app.apply(Command::Save);
        assert!(
            !recovery_path(&path).exists(),
            "saving removes the recovery file"
        );
    }

    #[test]
    fn an_invalid_file_shows_an_error_and_keeps_the_open_document() {
        let (dir, path) = setup("[ACTOR|الجيش] في مالي");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"format\": \"marsad/1\"").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::Open(bad));
        assert!(
            app.error.as_deref().is_some_and(|e| e.contains("bad.json")),
            "{:?}",
            app.error
        );
        assert_eq!(app.session.as_ref().expect("open").path, path);
    }

    #[test]
    fn a_folder_opens_the_corpus_navigator() {
        let (dir, first) = setup("[ACTOR|الجيش] في مالي");
        let second = dir.path().join("second.json");
        let third = dir.path().join("third.json");
        std::fs::copy(&first, &second).expect("copy");
        std::fs::copy(&first, &third).expect("copy");
        let mut app = app_for("coder-b");
        app.apply(Command::Open(dir.path().to_owned()));
        assert_eq!(app.error, None);
        let corpus = app.corpus.as_ref().expect("corpus");
        assert_eq!(corpus.entries.len(), 3);
        assert_eq!(app.corpus_index(), Some(0));
        app.apply(Command::SetStatus(Status::Done));
        app.apply(Command::Save);
        assert_eq!(
            app.corpus.as_ref().expect("corpus").entries[0].status,
            Status::Done
        );
        app.apply(Command::NextDocument);
        assert_eq!(app.session.as_ref().expect("open").path, second);
        app.apply(Command::SetStatus(Status::Done));
        app.apply(Command::Save);
        app.apply(Command::PreviousDocument);
        assert_eq!(app.corpus_index(), Some(0));
        app.apply(Command::NextNotDone);
        assert_eq!(
            app.session.as_ref().expect("open").path,
            third,
            "skips what is done"
        );
        let saved = store::load(&first, LabelSchema::builtin()).expect("saved");
        assert_eq!(saved.set("coder-b").map(|s| s.status), Some(Status::Done));
        app.apply(Command::Quit);
        assert!(app.quit);
    }

    #[test]
    fn reopening_an_imported_article_opens_its_annotations() {
        let dir = tempfile::tempdir().expect("tempdir");
        let txt = dir.path().join("article.txt");
        std::fs::write(&txt, "هجوم في مالي").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(txt.clone()));
        app.apply(Command::Select(Some(CharRange::new(8, 12))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Save);
        let mut again = app_for("coder-a");
        again.apply(Command::Open(txt));
        assert_eq!(
            shown(&again),
            "هجوم في [PLACE|مالي]",
            "the .json beside it, not a fresh import"
        );
        assert!(again.settings.recent[0].ends_with("article.json"));
    }

    #[test]
    fn relabelling_drops_values_the_new_label_does_not_take() {
        let (_dir, path) = setup("[ACTOR kind=REBEL named=true|الجماعة] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app.set().and_then(|s| s.span("s1")).expect("span").clone();
        assert_eq!(span.label, "CASUALTY");
        assert!(
            span.attrs.is_empty(),
            "kind=REBEL is no CASUALTY kind: {:?}",
            span.attrs
        );
        app.apply(Command::Save);
        assert_eq!(app.error, None);
        assert!(
            store::load(&path, LabelSchema::builtin()).is_ok(),
            "the saved file loads again"
        );
    }

    #[test]
    fn recovery_is_only_offered_for_unsaved_work_of_the_same_coder() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        app.apply(Command::Autosave);
        assert!(recovery_path(&path).exists());
        app.apply(Command::Undo);
        app.apply(Command::Autosave);
        assert!(
            !recovery_path(&path).exists(),
            "back at the saved state: nothing to recover"
        );
        app.apply(Command::Redo);
        app.apply(Command::Autosave);
        let mut other = app_for("coder-b");
        other.apply(Command::Open(path.clone()));
        assert!(other.prompt.is_none(), "coder-b has nothing to recover");
    }

    #[test]
    fn a_failed_save_as_keeps_the_document_where_it_was() {
        let (dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SaveAs(dir.path().join("no-extension")));
        assert!(app.error.is_some());
        assert_eq!(app.session.as_ref().expect("open").path, path);
        app.error = None;
        let ron = dir.path().join("copy.ron");
        app.apply(Command::SaveAs(ron.clone()));
        assert_eq!(app.error, None);
        assert_eq!(app.session.as_ref().expect("open").path, ron);
        assert!(store::load(&ron, LabelSchema::builtin()).is_ok());
    }

    #[test]
    fn after_a_conflict_the_held_back_open_goes_on() {
        let (_dir, path, other, mut app) = unsaved_with_another_document();
        std::fs::write(&path, std::fs::read_to_string(&path).expect("read") + "\n").expect("write");
        app.apply(Command::Open(other.clone()));
        app.apply(Command::SaveThenContinue);
        assert!(matches!(app.prompt, Some(Prompt::Conflict { .. })));
        app.apply(Command::Overwrite);
        assert_eq!(
            app.session.as_ref().expect("open").path,
            other,
            "the open went on"
        );
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved");
        assert!(saved.sets[0].spans.is_empty());
    }

    #[test]
    fn a_text_file_is_saved_as_json_beside_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let txt = dir.path().join("article.txt");
        std::fs::write(&txt, "هجوم في مالي\r\n").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(txt));
        app.apply(Command::Select(Some(CharRange::new(8, 12))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Save);
        let saved = store::load(&dir.path().join("article.json"), LabelSchema::builtin())
            .expect("json beside");
        assert_eq!(saved.sets[0].spans[0].text, "مالي");
        assert_eq!(saved.document.text(), "هجوم في مالي\n");
    }

    #[test]
    fn an_event_is_made_linked_by_clicking_spans_edited_saved_and_undone() {
        let (_dir, path) = setup(
            "[ACTOR kind=REBEL|جماعة نصرة الإسلام] هاجمت [ACTOR kind=STATE|الجيش] في [PLACE|سيكاسو] و[CASUALTY kind=KILLED value=1|قتل جندي]",
        );
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::NewEvent);
        assert_eq!(app.selected_event.as_deref(), Some("e1"));
        // Arm a role, then click spans: each click links the span in that role.
        app.apply(Command::LinkRole(Some(EventRole::Perpetrators)));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::LinkRole(Some(EventRole::Targets)));
        app.apply(Command::SelectSpan(Some("s2".into())));
        app.apply(Command::LinkRole(Some(EventRole::Places)));
        app.apply(Command::SelectSpan(Some("s3".into())));
        app.apply(Command::SelectSpan(Some("s2".into())));
        app.apply(Command::SelectSpan(Some("s2".into()))); // a second click unlinks
        app.apply(Command::LinkRole(None));
        app.apply(Command::SelectSpan(Some("s4".into()))); // not linking: selects
        assert_eq!(app.selected_span.as_deref(), Some("s4"));
        let field = |field| Command::UpdateEvent {
            event: "e1".into(),
            field,
        };
        app.apply(field(EventField::Type("Explosions/Remote violence".into())));
        app.apply(field(EventField::SubType(Some("Air/drone strike".into()))));
        app.apply(field(EventField::Date(Some("2023-01-18".into()))));
        app.apply(field(EventField::Notes(Some("a drone strike".into()))));
        assert_eq!(app.error, None);
        app.apply(field(EventField::Date(Some("18/01/2023".into()))));
        assert!(app.error.take().is_some_and(|e| e.contains("YYYY-MM-DD")));
        // A new type drops a sub-type that is not its own.
        app.apply(field(EventField::Type("Battles".into())));
        let event = app.set().expect("set").events[0].clone();
        assert_eq!(event.sub_event_type, None);
        app.apply(Command::Undo);
        app.apply(Command::Save);
        let saved = store::load(&path, LabelSchema::builtin()).expect("reload");
        let e = &saved.set("coder-a").expect("set").events[0];
        assert_eq!(e.event_type, "Explosions/Remote violence");
        assert_eq!(e.sub_event_type.as_deref(), Some("Air/drone strike"));
        assert_eq!(e.date.as_deref(), Some("2023-01-18"));
        assert_eq!(e.notes.as_deref(), Some("a drone strike"));
        assert_eq!(e.perpetrators, ["s1"]);
        assert_eq!(e.targets, ["s2"]);
        assert_eq!(e.places, ["s3"]);
        // Deleting a linked span unlinks it; undo brings both back.
        app.apply(Command::SelectSpan(Some("s3".into())));
        app.apply(Command::DeleteSpan);
        assert!(app.set().expect("set").events[0].places.is_empty());
        app.apply(Command::Undo);
        assert_eq!(app.set().expect("set").events[0].places, ["s3"]);
        // Deleting the event, then undoing it.
        app.apply(Command::DeleteEvent("e1".into()));
        assert!(app.set().expect("set").events.is_empty());
        assert_eq!(app.selected_event, None);
        app.apply(Command::Undo);
        assert_eq!(app.set().expect("set").events.len(), 1);
    }

    #[test]
    fn linking_needs_an_open_event() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::LinkRole(Some(EventRole::Perpetrators)));
        assert!(app.error.is_some_and(|e| e.contains("open an event first")));
        assert_eq!(app.linking, None);
    }

    fn wait_for_export(app: &mut App) {
        let job = app.export.as_mut().expect("an export runs");
        let result = job.wait();
        // Put the result where poll_export reports it from.
        app.export = None;
        match result {
            Ok(r) => app.status = Some(format!("exported {} document(s)", r.documents)),
            Err(e) => app.error = Some(e),
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
}
