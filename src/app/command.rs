//! Everything the coder can ask for, as values: the window turns gestures into these, tests
//! and benchmarks send them directly, and [`super::App::apply`] carries them out.

use std::path::PathBuf;

use super::export;
use crate::model::{AttrValue, CharRange, EventRole, Status};
use crate::review::DiffKey;
use crate::store::predictions;

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
    /// Delete the selected span (asking first when relations or events use it), or the
    /// selected relation.
    DeleteSpan,
    /// New ends for a span, keeping its id, attributes, relations and event links.
    Resize {
        span: String,
        range: CharRange,
    },
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
        options: predictions::Options,
    },
    /// Review: compare set B with set A (None ends the review).
    Review(Option<(String, String)>),
    ReviewThreshold(f64),
    /// The next (true) or previous difference that is not a match.
    ReviewStep(bool),
    ReviewFocus(DiffKey),
    /// List the folder as a review queue (most disagreement first), or in name order.
    SortByQueue(bool),
    /// List only some of the folder's documents (assigned to me, done, needing review).
    FilterNavigator(super::team::NavFilter),
    /// A merge conflict of set `set` settled: the other side's version (`theirs`) or the one
    /// in the set.
    ResolveConflict {
        set: String,
        index: usize,
        theirs: bool,
    },
    /// The open document's event, as an event of the corpus (written to `marsad-events/`).
    PromoteEvent(String),
    /// A report found elsewhere linked to a corpus event (its spans naming the event's places
    /// and actors, and its deaths).
    LinkReport {
        event: String,
        document: String,
    },
    /// A registry entry made from span `span` (with this id when it is free), and the span's
    /// `actor_id` / `gazetteer_id` set to it.
    NewRegistryEntry {
        span: String,
        id: Option<String>,
    },
    /// Two corpus events that are one: `other`'s links and reports go into `keep`.
    MergeEvents {
        keep: String,
        other: String,
    },
    /// Put back the two events the last merge replaced.
    UndoMergeEvents,
    /// Open the document a corpus event's link points at, with its span selected.
    ShowLink {
        document: String,
        span: String,
    },
    /// File ▸ Sync: commit the coder's saved work, pull (merging with the driver), push.
    Sync,
    /// Every merge conflict of the document settled the same way.
    ResolveAllConflicts {
        theirs: bool,
    },
    /// R: a relation from the selected span; the next span picked is its end.
    StartRelation,
    /// The relation's kind, chosen when several fit.
    AddRelation {
        from: String,
        to: String,
        kind: String,
    },
    DeleteRelation(String),
    /// A click on a relation's arc (`None`: on nothing).
    SelectRelation(Option<String>),
    /// The answer to "delete this span and what uses it?".
    DeleteSpanAnyway(String),
    /// Esc while making a relation.
    CancelRelation,
    /// File ▸ Import Corpus…: another tool's corpus as a new folder (in the background).
    ImportCorpus(super::import_corpus::Request),
    /// Ctrl+F: the find bar.
    FindOpen,
    FindQuery {
        query: String,
        clitics: bool,
    },
    /// Enter / Shift+Enter in the find bar: the next (previous) match, the first time from
    /// the caret at `from`.
    FindStep {
        forward: bool,
        from: usize,
    },
    FindClose,
    /// The preview of labelling every match (its candidates are found by the app).
    LabelAllPreview(super::label_all::LabelAll),
    LabelAllCheck {
        index: usize,
        on: bool,
    },
    LabelAllApply,
    LabelAllCancel,
    /// Put back the other documents the last folder-wide label-all wrote.
    UndoLabelAll,
    /// Enter or a click on a suggestion: the coder's span (recorded for the recommender).
    AcceptSuggestion(crate::model::recommend::Suggestion),
    /// View ▸ Suggestions.
    ShowSuggestions(bool),
    /// Backspace on a suggestion: it does not come back for this document.
    RejectSuggestion(crate::model::recommend::Suggestion),
    /// Something typed that cannot be taken: said in the bottom bar, nothing changes.
    Refuse(String),
    /// Ctrl+Enter: the coder's set is done; saved, and (by the setting) on to the next
    /// document not done.
    MarkDone,
    /// Take B's version of these differences into the adjudicated set (A's when only A has a
    /// span); one undoable edit.
    Accept(Vec<DiffKey>),
    /// Take A's version of these differences (B's leaves the adjudicated set).
    TakeA(Vec<DiffKey>),
    /// Decide against these differences (an accepted one leaves the adjudicated set).
    Reject(Vec<DiffKey>),
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
