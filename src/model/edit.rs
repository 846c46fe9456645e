//! Edits as invertible values (the undo/redo history that applies them is
//! [`super::history`]).
//!
//! Every change to annotations is an [`Edit`]: a value that carries what it removes as well as
//! what it adds, so that [`Edit::inverse`] is exact and undo is "apply the inverse" (as in
//! helix). Applying checks that the document is in the state the edit expects; a stale edit is
//! refused and leaves the document untouched.

use thiserror::Error;

use super::AnnotatedDocument;
use super::annotation::{AnnotationSet, Conflict, Event, Relation, Span, Status};

/// One change to a list: insert, remove or replace the item at an index.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<T> {
    Insert { index: usize, item: T },
    Remove { index: usize, item: T },
    Replace { index: usize, old: T, new: T },
}

/// What an edit checks an item against before it changes it: equality, except that a set's
/// effort (time kept beside the edits, never undone) does not make an edit stale.
pub trait Same: Clone + PartialEq {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

impl Same for Span {}
impl Same for Relation {}
impl Same for Event {}
impl Same for Conflict {}
impl Same for AnnotationSet {
    fn same(&self, other: &Self) -> bool {
        let mut a = self.clone();
        a.effort = other.effort.clone();
        a == *other
    }
}

impl<T: Same> Change<T> {
    pub fn inverse(&self) -> Self {
        match self {
            Change::Insert { index, item } => Change::Remove {
                index: *index,
                item: item.clone(),
            },
            Change::Remove { index, item } => Change::Insert {
                index: *index,
                item: item.clone(),
            },
            Change::Replace { index, old, new } => Change::Replace {
                index: *index,
                old: new.clone(),
                new: old.clone(),
            },
        }
    }

    fn apply(&self, items: &mut Vec<T>) -> Result<(), EditError> {
        match self {
            Change::Insert { index, item } => {
                if *index > items.len() {
                    return Err(EditError::Stale);
                }
                items.insert(*index, item.clone());
            }
            Change::Remove { index, item } => {
                if !items.get(*index).is_some_and(|it| it.same(item)) {
                    return Err(EditError::Stale);
                }
                items.remove(*index);
            }
            Change::Replace { index, old, new } => match items.get_mut(*index) {
                Some(current) if current.same(old) => *current = new.clone(),
                _ => return Err(EditError::Stale),
            },
        }
        Ok(())
    }
}

/// A change to a document's annotations.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Set(Change<AnnotationSet>),
    Span {
        set: String,
        change: Change<Span>,
    },
    Relation {
        set: String,
        change: Change<Relation>,
    },
    Event {
        set: String,
        change: Change<Event>,
    },
    Status {
        set: String,
        old: Status,
        new: Status,
    },
    /// A merge conflict recorded in a set, or resolved (removed).
    Conflict {
        set: String,
        change: Change<Conflict>,
    },
    /// Several edits applied in order as one step (and undone as one).
    Batch(Vec<Edit>),
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    #[error("no annotation set \"{0}\"")]
    UnknownSet(String),
    #[error("no span \"{span}\" in set \"{set}\"")]
    UnknownSpan { set: String, span: String },
    #[error("a span needs start < end within the text (got {start}..{end}, text has {len})")]
    BadRange {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("no event \"{event}\" in set \"{set}\"")]
    UnknownEvent { set: String, event: String },
    #[error("the document changed since the edit was made")]
    Stale,
    #[error("set \"{set}\" already has an item with id \"{id}\"")]
    DuplicateId { set: String, id: String },
    #[error("no relation \"{relation}\" in set \"{set}\"")]
    UnknownRelation { set: String, relation: String },
}

impl Edit {
    /// One edit made of `edits`, applied in order (the edit itself when there is one).
    pub fn batch(mut edits: Vec<Edit>) -> Edit {
        if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Batch(edits)
        }
    }

    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Set(c) => Edit::Set(c.inverse()),
            Edit::Span { set, change } => Edit::Span {
                set: set.clone(),
                change: change.inverse(),
            },
            Edit::Relation { set, change } => Edit::Relation {
                set: set.clone(),
                change: change.inverse(),
            },
            Edit::Event { set, change } => Edit::Event {
                set: set.clone(),
                change: change.inverse(),
            },
            Edit::Status { set, old, new } => Edit::Status {
                set: set.clone(),
                old: *new,
                new: *old,
            },
            Edit::Conflict { set, change } => Edit::Conflict {
                set: set.clone(),
                change: change.inverse(),
            },
            Edit::Batch(edits) => Edit::Batch(edits.iter().rev().map(Edit::inverse).collect()),
        }
    }

    /// Applies the edit; on error the document is unchanged.
    pub fn apply(&self, doc: &mut AnnotatedDocument) -> Result<(), EditError> {
        match self {
            Edit::Set(change) => change.apply(&mut doc.sets),
            Edit::Span { set, change } => change.apply(&mut set_mut(doc, set)?.spans),
            Edit::Relation { set, change } => change.apply(&mut set_mut(doc, set)?.relations),
            Edit::Event { set, change } => change.apply(&mut set_mut(doc, set)?.events),
            Edit::Conflict { set, change } => change.apply(&mut set_mut(doc, set)?.conflicts),
            Edit::Status { set, old, new } => {
                let set = set_mut(doc, set)?;
                if set.status != *old {
                    return Err(EditError::Stale);
                }
                set.status = *new;
                Ok(())
            }
            Edit::Batch(edits) => {
                for (done, edit) in edits.iter().enumerate() {
                    if let Err(e) = edit.apply(doc) {
                        for applied in edits[..done].iter().rev() {
                            // Undoing what was just applied cannot be stale.
                            let _ = applied.inverse().apply(doc);
                        }
                        return Err(e);
                    }
                }
                Ok(())
            }
        }
    }

    /// Adds `span` to a set at its reading-order place. The span's `text` is filled from the
    /// document, so that a span can never disagree with the text.
    pub fn add_span(doc: &AnnotatedDocument, set: &str, mut span: Span) -> Result<Edit, EditError> {
        span.text = covered_text(doc, span.start, span.end)?;
        let s = set_ref(doc, set)?;
        if s.span(&span.id).is_some() {
            return Err(EditError::DuplicateId {
                set: set.to_owned(),
                id: span.id,
            });
        }
        let index = s.span_insert_index(span.range());
        Ok(Edit::Span {
            set: set.to_owned(),
            change: Change::Insert { index, item: span },
        })
    }

    /// Removes a span together with the relations that use it and its event links.
    pub fn remove_span(
        doc: &AnnotatedDocument,
        set: &str,
        span_id: &str,
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        let index = span_index(s, set, span_id)?;
        let mut edits = Vec::new();
        // Highest index first, so that each index is still right when its turn comes.
        for (i, rel) in s.relations.iter().enumerate().rev() {
            if rel.from == span_id || rel.to == span_id {
                edits.push(Edit::Relation {
                    set: set.to_owned(),
                    change: Change::Remove {
                        index: i,
                        item: rel.clone(),
                    },
                });
            }
        }
        for (i, event) in s.events.iter().enumerate() {
            let mut new = event.clone();
            if new.unlink(span_id) {
                edits.push(Edit::Event {
                    set: set.to_owned(),
                    change: Change::Replace {
                        index: i,
                        old: event.clone(),
                        new,
                    },
                });
            }
        }
        edits.push(Edit::Span {
            set: set.to_owned(),
            change: Change::Remove {
                index,
                item: s.spans[index].clone(),
            },
        });
        Ok(if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Batch(edits)
        })
    }

    /// Replaces a span (new label, attributes, note or range) keeping its id; the span moves to
    /// its reading-order place when its range changes, and its text follows the range.
    pub fn update_span(
        doc: &AnnotatedDocument,
        set: &str,
        span_id: &str,
        update: impl FnOnce(&mut Span),
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        let index = span_index(s, set, span_id)?;
        let old = s.spans[index].clone();
        let mut new = old.clone();
        update(&mut new);
        new.id = old.id.clone();
        new.text = covered_text(doc, new.start, new.end)?;
        if new.range() == old.range() {
            return Ok(Edit::Span {
                set: set.to_owned(),
                change: Change::Replace { index, old, new },
            });
        }
        let mut rest = s.clone();
        rest.spans.remove(index);
        let new_index = rest.span_insert_index(new.range());
        Ok(Edit::Batch(vec![
            Edit::Span {
                set: set.to_owned(),
                change: Change::Remove { index, item: old },
            },
            Edit::Span {
                set: set.to_owned(),
                change: Change::Insert {
                    index: new_index,
                    item: new,
                },
            },
        ]))
    }

    /// Adds an event at the end of a set's events.
    pub fn add_event(doc: &AnnotatedDocument, set: &str, event: Event) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        if s.events.iter().any(|e| e.id == event.id) {
            return Err(EditError::DuplicateId {
                set: set.to_owned(),
                id: event.id,
            });
        }
        Ok(Edit::Event {
            set: set.to_owned(),
            change: Change::Insert {
                index: s.events.len(),
                item: event,
            },
        })
    }

    /// Changes an event (type, date, notes, links), keeping its id. Links must name spans of
    /// the set.
    pub fn update_event(
        doc: &AnnotatedDocument,
        set: &str,
        event_id: &str,
        update: impl FnOnce(&mut Event),
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        let index = event_index(s, set, event_id)?;
        let old = s.events[index].clone();
        let mut new = old.clone();
        update(&mut new);
        new.id = old.id.clone();
        if let Some((_, missing)) = new.links().find(|(_, id)| s.span(id).is_none()) {
            return Err(EditError::UnknownSpan {
                set: set.to_owned(),
                span: missing.clone(),
            });
        }
        Ok(Edit::Event {
            set: set.to_owned(),
            change: Change::Replace { index, old, new },
        })
    }

    /// Removes an event (its spans stay).
    pub fn remove_event(
        doc: &AnnotatedDocument,
        set: &str,
        event_id: &str,
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        let index = event_index(s, set, event_id)?;
        Ok(Edit::Event {
            set: set.to_owned(),
            change: Change::Remove {
                index,
                item: s.events[index].clone(),
            },
        })
    }

    /// Adds a relation between two spans of the set.
    pub fn add_relation(
        doc: &AnnotatedDocument,
        set: &str,
        relation: Relation,
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        span_index(s, set, &relation.from)?;
        span_index(s, set, &relation.to)?;
        if s.relations.iter().any(|r| r.id == relation.id) {
            return Err(EditError::DuplicateId {
                set: set.to_owned(),
                id: relation.id,
            });
        }
        Ok(Edit::Relation {
            set: set.to_owned(),
            change: Change::Insert {
                index: s.relations.len(),
                item: relation,
            },
        })
    }

    /// Removes a relation (its spans stay).
    pub fn remove_relation(
        doc: &AnnotatedDocument,
        set: &str,
        relation_id: &str,
    ) -> Result<Edit, EditError> {
        let s = set_ref(doc, set)?;
        let index = s
            .relations
            .iter()
            .position(|r| r.id == relation_id)
            .ok_or_else(|| EditError::UnknownRelation {
                set: set.to_owned(),
                relation: relation_id.to_owned(),
            })?;
        Ok(Edit::Relation {
            set: set.to_owned(),
            change: Change::Remove {
                index,
                item: s.relations[index].clone(),
            },
        })
    }

    /// Sets a set's status.
    pub fn set_status(
        doc: &AnnotatedDocument,
        set: &str,
        status: Status,
    ) -> Result<Edit, EditError> {
        Ok(Edit::Status {
            set: set.to_owned(),
            old: set_ref(doc, set)?.status,
            new: status,
        })
    }
}

fn event_index(s: &AnnotationSet, set: &str, id: &str) -> Result<usize, EditError> {
    s.events
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| EditError::UnknownEvent {
            set: set.to_owned(),
            event: id.to_owned(),
        })
}

fn covered_text(doc: &AnnotatedDocument, start: usize, end: usize) -> Result<String, EditError> {
    let len = doc.document.char_len();
    match doc.document.slice(super::CharRange::new(start, end)) {
        Some(text) if start < end => Ok(text.to_owned()),
        _ => Err(EditError::BadRange { start, end, len }),
    }
}

fn set_ref<'d>(doc: &'d AnnotatedDocument, id: &str) -> Result<&'d AnnotationSet, EditError> {
    doc.set(id)
        .ok_or_else(|| EditError::UnknownSet(id.to_owned()))
}

fn set_mut<'d>(
    doc: &'d mut AnnotatedDocument,
    id: &str,
) -> Result<&'d mut AnnotationSet, EditError> {
    doc.set_mut(id)
        .ok_or_else(|| EditError::UnknownSet(id.to_owned()))
}

fn span_index(set: &AnnotationSet, set_id: &str, span_id: &str) -> Result<usize, EditError> {
    set.spans
        .iter()
        .position(|s| s.id == span_id)
        .ok_or_else(|| EditError::UnknownSpan {
            set: set_id.to_owned(),
            span: span_id.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{History, notation};

    fn doc(marked: &str) -> AnnotatedDocument {
        notation::parse(marked)
            .expect("notation")
            .to_document("t", "coder-a")
    }

    fn shown(doc: &AnnotatedDocument) -> String {
        notation::render_set(doc, "coder-a")
    }

    fn new_span(start: usize, end: usize, label: &str) -> Span {
        Span {
            id: "s9".into(),
            start,
            end,
            label: label.into(),
            text: String::new(),
            attrs: Default::default(),
            note: None,
            confidence: None,
        }
    }

    #[test]
    fn add_relabel_undo_redo() {
        let mut d = doc("[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في مالي");
        let mut history = History::new();
        assert!(!history.is_modified());
        let add = Edit::add_span(&d, "coder-a", new_span(34, 38, "PLACE")).expect("add");
        history.apply(&mut d, add).expect("apply");
        assert_eq!(
            shown(&d),
            "[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في [PLACE|مالي]"
        );
        let relabel =
            Edit::update_span(&d, "coder-a", "s9", |s| s.label = "ACTOR".into()).expect("relabel");
        history.apply(&mut d, relabel).expect("apply");
        assert_eq!(
            shown(&d),
            "[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في [ACTOR|مالي]"
        );
        assert!(history.is_modified());
        history.undo(&mut d).expect("undo");
        assert_eq!(
            shown(&d),
            "[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في [PLACE|مالي]"
        );
        history.undo(&mut d).expect("undo");
        assert_eq!(shown(&d), "[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في مالي");
        assert!(!history.is_modified(), "back at the saved state");
        assert_eq!(history.undo(&mut d), Ok(false));
        history.redo(&mut d).expect("redo");
        history.redo(&mut d).expect("redo");
        assert_eq!(
            shown(&d),
            "[ACTOR|جماعة نصرة الإسلام] تتبنى عملية في [ACTOR|مالي]"
        );
        assert_eq!(history.redo(&mut d), Ok(false));
    }

    #[test]
    fn moving_a_span_boundary_keeps_its_text_in_step() {
        // The coder leaves out the proclitic ب of بسيكاسو.
        let mut d = doc("هجوم [PLACE|بسيكاسو] جنوب مالي");
        let mut history = History::new();
        let trim = Edit::update_span(&d, "coder-a", "s1", |s| s.start += 1).expect("trim");
        history.apply(&mut d, trim).expect("apply");
        assert_eq!(shown(&d), "هجوم ب[PLACE|سيكاسو] جنوب مالي");
        assert_eq!(d.sets[0].spans[0].text, "سيكاسو");
        history.undo(&mut d).expect("undo");
        assert_eq!(shown(&d), "هجوم [PLACE|بسيكاسو] جنوب مالي");
    }

    #[test]
    fn removing_a_span_removes_its_relations_and_event_links_and_undo_restores_them() {
        let mut d = doc("[CLAIM|تتبنى] [ACTOR|الجماعة] الهجوم في [PLACE|مالي]");
        let set = &mut d.sets[0];
        set.relations.push(Relation {
            id: "r1".into(),
            kind: "claimed_by".into(),
            from: "s1".into(),
            to: "s2".into(),
        });
        set.events.push(Event {
            id: "e1".into(),
            event_type: "Battles".into(),
            perpetrators: vec!["s2".into()],
            places: vec!["s3".into()],
            ..Event::default()
        });
        let before = d.clone();
        let mut history = History::new();
        let remove = Edit::remove_span(&d, "coder-a", "s2").expect("remove");
        history.apply(&mut d, remove).expect("apply");
        assert_eq!(shown(&d), "[CLAIM|تتبنى] الجماعة الهجوم في [PLACE|مالي]");
        assert!(d.sets[0].relations.is_empty());
        assert!(d.sets[0].events[0].perpetrators.is_empty());
        history.undo(&mut d).expect("undo");
        assert_eq!(d, before);
    }

    #[test]
    fn a_stale_edit_is_refused_and_changes_nothing() {
        let mut d = doc("[ACTOR|الجيش] في [PLACE|مالي]");
        let remove = Edit::remove_span(&d, "coder-a", "s1").expect("remove");
        remove.apply(&mut d).expect("first time");
        let after = d.clone();
        assert_eq!(remove.apply(&mut d), Err(EditError::Stale));
        assert_eq!(d, after);
    }

    #[test]
    fn a_failing_batch_rolls_back_what_it_applied() {
        let mut d = doc("[ACTOR|الجيش] في [PLACE|مالي]");
        let before = d.clone();
        let good = Edit::set_status(&d, "coder-a", Status::Done).expect("status");
        let bad = Edit::Set(Change::Remove {
            index: 5,
            item: AnnotationSet::human("nobody"),
        });
        assert_eq!(
            Edit::Batch(vec![good, bad]).apply(&mut d),
            Err(EditError::Stale)
        );
        assert_eq!(d, before);
    }

    #[test]
    fn spans_outside_the_text_are_refused() {
        let d = doc("[PLACE|مالي]");
        assert_eq!(
            Edit::add_span(&d, "coder-a", new_span(2, 9, "PLACE")),
            Err(EditError::BadRange {
                start: 2,
                end: 9,
                len: 4
            })
        );
        assert!(Edit::add_span(&d, "coder-a", new_span(2, 2, "PLACE")).is_err());
        let mut twin = new_span(0, 2, "PLACE");
        twin.id = "s1".into();
        assert_eq!(
            Edit::add_span(&d, "coder-a", twin),
            Err(EditError::DuplicateId {
                set: "coder-a".into(),
                id: "s1".into()
            })
        );
        assert_eq!(
            Edit::add_span(&d, "nobody", new_span(0, 1, "PLACE")),
            Err(EditError::UnknownSet("nobody".into()))
        );
    }

    #[test]
    fn a_new_edit_after_undoing_past_the_save_point_leaves_the_document_modified() {
        let mut d = doc("[ACTOR|الجيش] في مالي");
        let mut history = History::new();
        let e = Edit::set_status(&d, "coder-a", Status::Done).expect("status");
        history.apply(&mut d, e).expect("apply");
        history.mark_saved();
        history.undo(&mut d).expect("undo");
        assert!(history.is_modified());
        let e = Edit::set_status(&d, "coder-a", Status::InProgress).expect("status");
        history.apply(&mut d, e).expect("apply");
        assert!(history.is_modified());
        assert!(history.can_undo());
        assert!(!history.can_redo());
    }
}
