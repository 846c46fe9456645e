//! The undo/redo history of one open document: the edits applied and undone, where the
//! document was saved, and an edit revision that changes with every apply, undo and redo
//! (caches of what is computed from the document are keyed by it).

use std::sync::atomic::{AtomicU64, Ordering};

use super::AnnotatedDocument;
use super::edit::{Edit, EditError};

/// Undo and redo stacks of applied edits, with the point at which the document was saved.
#[derive(Clone, Debug, Default)]
pub struct History {
    done: Vec<Edit>,
    undone: Vec<Edit>,
    /// Length of `done` when the document was last saved; `None` when that state is unreachable.
    saved_at: Option<usize>,
    /// Changes with every edit, undo and redo; unique across all histories of the process.
    revision: u64,
}

/// Source of revision numbers: each is used once in the whole process, so that what was
/// computed for one document at one revision is never mistaken for another's.
static REVISIONS: AtomicU64 = AtomicU64::new(1);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, Ordering::Relaxed)
}

impl History {
    /// A history for a document as it was just loaded or saved.
    pub fn new() -> Self {
        Self {
            saved_at: Some(0),
            revision: next_revision(),
            ..Self::default()
        }
    }

    /// The document's edit revision: whatever was computed from it at this revision (the
    /// review's differences, the view's highlights) is still true.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Applies `edit` and records it; the redo stack is cleared.
    pub fn apply(&mut self, doc: &mut AnnotatedDocument, edit: Edit) -> Result<(), EditError> {
        edit.apply(doc)?;
        if self.saved_at.is_some_and(|n| n > self.done.len()) {
            self.saved_at = None;
        }
        self.done.push(edit);
        self.undone.clear();
        self.revision = next_revision();
        Ok(())
    }

    /// Undoes the last edit; false when there is nothing to undo.
    pub fn undo(&mut self, doc: &mut AnnotatedDocument) -> Result<bool, EditError> {
        let Some(edit) = self.done.pop() else {
            return Ok(false);
        };
        if let Err(e) = edit.inverse().apply(doc) {
            self.done.push(edit);
            return Err(e);
        }
        self.undone.push(edit);
        self.revision = next_revision();
        Ok(true)
    }

    /// Redoes the last undone edit; false when there is nothing to redo.
    pub fn redo(&mut self, doc: &mut AnnotatedDocument) -> Result<bool, EditError> {
        let Some(edit) = self.undone.pop() else {
            return Ok(false);
        };
        if let Err(e) = edit.apply(doc) {
            self.undone.push(edit);
            return Err(e);
        }
        self.done.push(edit);
        self.revision = next_revision();
        Ok(true)
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Records that the document as it is now has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_at = Some(self.done.len());
    }

    /// True when the document differs from what was last saved.
    pub fn is_modified(&self) -> bool {
        self.saved_at != Some(self.done.len())
    }
}
