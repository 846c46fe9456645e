//! The application: what is open, what is selected, what the coder asked for, and every
//! command that changes it. Pure logic without drawing or files, so that tests drive it
//! directly; the `ui` module only turns clicks and keys into [`Command`]s and shows this state.
//!
//! Every change to annotations goes through `model::Edit`, so undo and redo cover all of them;
//! saving is atomic, checks the file on disk first, and unsaved work is written to a recovery
//! file beside the document (all through `store`).
//!
//! | file | owns |
//! |---|---|
//! | `command.rs` | [`Command`], everything the coder can ask for |
//! | `error.rs` | [`AppError`], why a command failed |
//! | `settings.rs` | [`Settings`] remembered between runs; zoom; the coder's name |
//! | `session.rs` | the open document: open, save, recovery, undo/redo, the prompts |
//! | `corpus.rs` | the folder being worked through, read in the background; navigation |
//! | `corpus_events.rs` | events of the corpus: promoted, linked across documents, reconciled |
//! | `labelling.rs` | selection, spans, labels, attributes, notes, proclitics |
//! | `events.rs` | events and their links |
//! | `review.rs` | the review of two sets and its decisions; importing predictions |
//! | `export.rs` | exports on a background thread |
//! | `relations.rs` | making and deleting relations |
//! | `registry.rs` | the registry of actors and places: offered as the coder types, new entries from spans |
//! | `find.rs` | find in the open document |
//! | `import_corpus.rs` | another tool's corpus imported as a new folder, in the background |
//! | `label_all.rs` | label every match, in the document or the folder, after a preview |
//! | `suggest.rs` | suggestions from what the coder already labelled (string matcher) |
//! | `team.rs` | the corpus's team: blind coding, the navigator's filter, active time |
//! | `conflicts.rs` | the merge conflicts a document records, resolved one by one |
//! | `sync.rs` | File ▸ Sync: commit, pull with the merge driver, push, in the background |

pub mod command;
pub mod conflicts;
pub mod corpus;
pub mod corpus_events;
pub mod error;
pub mod events;
pub mod export;
pub mod find;
pub mod import_corpus;
pub mod label_all;
pub mod labelling;
pub mod registry;
pub mod relations;
pub mod review;
pub mod session;
pub mod settings;
pub mod suggest;
pub mod sync;
pub mod team;
#[cfg(test)]
mod testing;

pub use command::{Command, EventField};
pub use corpus::{Corpus, CorpusEntry};
pub use error::{AppError, ExportFailure};
pub use session::{Prompt, Session};
pub use settings::{Lang, Settings};

use crate::model::{AnnotationSet, CharRange, EventRole, LabelSchema};

/// The application state.
pub struct App {
    pub session: Option<Session>,
    pub selection: Option<CharRange>,
    pub selected_span: Option<String>,
    /// The event whose card is open, and the role clicked spans are linked in.
    pub selected_event: Option<String>,
    pub linking: Option<EventRole>,
    /// R was pressed on this span: the next span picked is the relation's end.
    pub relating: Option<String>,
    /// The relation clicked on (its arc): Delete deletes it.
    pub selected_relation: Option<String>,
    /// Several relation kinds fit the two spans picked: the coder chooses one.
    pub relation_choice: Option<relations::RelationChoice>,
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
    /// The corpus import being written, if any.
    pub import: Option<import_corpus::Job>,
    /// The find bar (Ctrl+F), when open.
    pub find: Option<find::Find>,
    /// What the recommender proposes in the open document, in text order.
    pub suggestions: Vec<crate::model::recommend::Suggestion>,
    suggestions_key: Option<suggest::SuggestionsKey>,
    /// The preview of a label-all, while it is open.
    pub label_all: Option<label_all::LabelAll>,
    /// The other documents the last folder-wide label-all wrote (for Undo label all).
    pub label_all_written: Option<label_all::Written>,
    /// A text offset the view should scroll to (taken by the window).
    pub scroll_to: Option<usize>,
    /// The team of the open corpus or document (its manifest), if it has one.
    team: Option<team::Team>,
    /// The open folder's own events (`marsad-events/`), reconciled.
    pub corpus_events: corpus_events::CorpusEvents,
    /// The registry of actors and places in force, and the folder its file is (or goes) in.
    registry: (std::path::PathBuf, crate::model::registry::Registry),
    /// The corpus's registry file could not be read: nothing is written over it.
    registry_broken: bool,
    /// The git sync being run, if any.
    pub sync: Option<sync::Job>,
    /// Active coding time on the open document not yet added to the coder's set.
    active_seconds: f64,
    schema: LabelSchema,
}

impl App {
    pub fn new(settings: Settings) -> Self {
        Self {
            session: None,
            selection: None,
            selected_span: None,
            selected_event: None,
            linking: None,
            relating: None,
            selected_relation: None,
            relation_choice: None,
            prompt: None,
            error: None,
            status: None,
            settings,
            corpus: None,
            quit: false,
            export: None,
            review: None,
            scroll_to: None,
            find: None,
            import: None,
            label_all: None,
            suggestions: Vec::new(),
            suggestions_key: None,
            label_all_written: None,
            team: None,
            corpus_events: Default::default(),
            registry: (
                std::path::PathBuf::from("."),
                crate::store::registry::starter(),
            ),
            registry_broken: false,
            sync: None,
            active_seconds: 0.0,
            schema: LabelSchema::builtin().clone(),
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

    /// What runs between frames, shown or hidden: finished exports reported, the folder's
    /// documents taken in as they are read.
    pub fn poll(&mut self) {
        self.poll_export();
        self.poll_corpus();
        self.poll_import();
        self.poll_sync();
    }

    /// Says `en` (or `ar` in the Arabic interface) in the bottom bar.
    pub(crate) fn tell(&mut self, en: String, ar: String) {
        self.status = Some(if self.settings.language == Lang::Ar {
            ar
        } else {
            en
        });
    }

    /// Carries out a command; a failure is kept in `error` and changes nothing else. What the
    /// bottom bar said about the last command goes when the user does something else.
    pub fn apply(&mut self, command: Command) {
        if !matches!(command, Command::Autosave | Command::Review(_)) {
            self.error = None;
            self.status = None;
        }
        if let Err(e) = self.try_apply(command) {
            let arabic = (self.settings.language == Lang::Ar)
                .then(|| e.arabic())
                .flatten();
            self.error = Some(arabic.unwrap_or_else(|| e.to_string()));
        }
        self.refresh_review();
        self.refresh_find(false);
        self.refresh_suggestions();
    }

    /// Hands a command to its handler.
    fn try_apply(&mut self, command: Command) -> Result<(), AppError> {
        match command {
            Command::Open(path) => self.ask_then_open(path),
            Command::NextDocument => self.next_document(),
            Command::PreviousDocument => self.previous_document(),
            Command::NextNotDone => self.next_not_done(),
            Command::SortByQueue(on) => self.sort_by_queue(on),
            Command::FilterNavigator(filter) => self.filter_navigator(filter),
            Command::ResolveConflict { set, index, theirs } => {
                self.resolve_conflict(&set, index, theirs)
            }
            Command::ResolveAllConflicts { theirs } => self.resolve_all_conflicts(theirs),
            Command::Sync => self.start_sync(),
            Command::PromoteEvent(id) => self.promote_event(&id),
            Command::LinkReport { event, document } => self.link_report(&event, &document),
            Command::ShowLink { document, span } => self.show_link(&document, &span),
            Command::MergeEvents { keep, other } => self.merge_events(&keep, &other),
            Command::NewRegistryEntry { span, id } => self.new_registry_entry(&span, id),
            Command::UndoMergeEvents => self.undo_merge_events(),
            Command::MarkDone => self.mark_done(),
            Command::Refuse(why) => Err(AppError::Refused(why)),
            Command::SetStatus(status) => self.set_status(status),
            Command::Quit => self.quit(),
            Command::Save => self.save(false),
            Command::Overwrite => self.overwrite(),
            Command::SaveAs(path) => self.save_as(path),
            Command::Undo => self.step_history(true),
            Command::Redo => self.step_history(false),
            Command::Select(range) => self.select(range),
            Command::Label(label) => self.label(&label),
            Command::SelectSpan(Some(span)) if self.relating.is_some() => self.relate_to(&span),
            Command::StartRelation => self.start_relation(),
            Command::AddRelation { from, to, kind } => self.add_relation(&from, &to, &kind),
            Command::DeleteRelation(id) => self.delete_relation(&id),
            Command::SelectRelation(id) => self.select_relation(id),
            Command::ImportCorpus(request) => self.import_corpus(request),
            Command::FindOpen => self.find_open(),
            Command::FindQuery { query, clitics } => self.find_query(query, clitics),
            Command::FindStep { forward, from } => self.find_step(forward, from),
            Command::FindClose => self.find_close(),
            Command::LabelAllPreview(preview) => self.label_all_preview(preview),
            Command::LabelAllCheck { index, on } => self.label_all_check(index, on),
            Command::LabelAllApply => self.label_all_apply(),
            Command::LabelAllCancel => {
                self.label_all = None;
                Ok(())
            }
            Command::UndoLabelAll => self.undo_label_all(),
            Command::AcceptSuggestion(s) => self.accept_suggestion(s),
            Command::RejectSuggestion(s) => self.reject_suggestion(s),
            Command::ShowSuggestions(on) => {
                self.settings.suggest = on;
                Ok(())
            }
            Command::DeleteSpanAnyway(id) => self.delete_span_anyway(&id),
            Command::CancelRelation => self.cancel_relation(),
            Command::SelectSpan(Some(span)) if self.linking.is_some() => {
                match (self.selected_event.clone(), self.linking) {
                    (Some(event), Some(role)) => self.toggle_link(&event, role, &span),
                    _ => Ok(()),
                }
            }
            Command::SelectSpan(id) => self.select_span(id),
            Command::DeleteSpan => self.delete_span(),
            Command::Resize { span, range } => self.resize_span(&span, range),
            Command::SetAttr { span, name, value } => self.set_attr(&span, name, value),
            Command::SetNote { span, note } => self.set_note(&span, note),
            Command::TrimProclitic => self.trim_proclitic(),
            Command::ZoomIn => self.zoom(self.settings.zoom * 1.1),
            Command::ZoomOut => self.zoom(self.settings.zoom / 1.1),
            Command::ZoomReset => self.zoom(1.0),
            Command::SetCoder(name) => self.set_coder(&name),
            Command::RestoreRecovery => self.restore_recovery(),
            Command::DiscardRecovery => self.discard_recovery(),
            Command::DiscardChanges => self.discard_changes(),
            Command::SaveThenContinue => self.save_then_continue(),
            Command::CancelPrompt => {
                self.prompt = None;
                Ok(())
            }
            Command::Autosave => self.autosave(),
            Command::NewEvent => self.new_event(),
            Command::SelectEvent(id) => self.select_event(id),
            Command::UpdateEvent { event, field } => self.change_event(&event, field),
            Command::DeleteEvent(id) => self.delete_event(&id),
            Command::LinkRole(role) => self.link_role(role),
            Command::ToggleLink { event, role, span } => self.toggle_link(&event, role, &span),
            Command::Export(request) => self.start_export(request),
            Command::CancelExport => self.cancel_export(),
            Command::ImportPredictions { path, options } => {
                self.import_predictions(&path, &options)
            }
            Command::Review(sets) => self.review(sets),
            Command::ReviewThreshold(t) => self.review_threshold(t),
            Command::ReviewStep(forward) => self.review_step(forward),
            Command::ReviewFocus(key) => self.review_focus(key),
            Command::Accept(keys) => self.decide(&keys, crate::model::Take::B),
            Command::TakeA(keys) => self.decide(&keys, crate::model::Take::A),
            Command::Reject(keys) => self.decide(&keys, crate::model::Take::Neither),
        }
    }

    /// The status of the coder's work on the open document (e.g. Done); nothing changes (and
    /// nothing is left unsaved) when it is that already.
    fn set_status(&mut self, status: crate::model::Status) -> Result<(), AppError> {
        if self.set().map(|s| s.status) == Some(status) {
            let ar = match status {
                crate::model::Status::NotStarted => "لم يبدأ بعد",
                crate::model::Status::InProgress => "قيد العمل بالفعل",
                crate::model::Status::Done => "مكتمل بالفعل",
                crate::model::Status::Reviewed => "رُوجع بالفعل",
            };
            self.tell(format!("already {}", status.name()), ar.to_owned());
            return Ok(());
        }
        let coder = self.settings.coder.clone();
        self.edit_in_own_set(|doc| Ok(crate::model::Edit::set_status(doc, &coder, status)?))?;
        self.refresh_entry();
        Ok(())
    }

    /// Done with this document: the status set, the file saved, and (by the setting, on by
    /// default) the next document not done opened.
    fn mark_done(&mut self) -> Result<(), AppError> {
        self.set_status(crate::model::Status::Done)?;
        if self.is_modified() {
            self.save(false)?;
        }
        if self.prompt.is_none() && self.settings.next_after_done && self.corpus.is_some() {
            self.next_not_done()?;
        }
        Ok(())
    }
}
