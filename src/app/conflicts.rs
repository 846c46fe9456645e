//! The merge conflicts a document records (what `marsad merge-driver` could not decide): each
//! shown as this side's version beside the other side's, and settled one by one or all at
//! once by keeping this side's or taking the other's, as one undoable edit that must leave a
//! valid document.

use super::{App, AppError};
use crate::model::{
    AnnotatedDocument, AnnotationSet, Change, Conflict, Edit, Event, Item, LabelSchema, Relation,
    Span, Version,
};

/// A conflict as the window shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    pub set: String,
    pub index: usize,
    /// "span s3", "relation r1", "event e2".
    pub what: String,
    /// This side's version in words ("deleted" when it has none).
    pub mine: String,
    pub theirs: String,
    /// Where the item is in the text, to scroll to.
    pub at: Option<usize>,
}

fn span_words(s: &Span) -> String {
    let attrs = s.attrs_shown();
    let mut out = format!("{} «{}»", s.label, s.text);
    if !attrs.is_empty() {
        out.push_str(&format!(" · {attrs}"));
    }
    if let Some(note) = &s.note {
        out.push_str(&format!(" · note: {note}"));
    }
    out
}

fn relation_words(r: &Relation) -> String {
    format!("{} from {} to {}", r.kind, r.from, r.to)
}

fn event_words(e: &Event) -> String {
    let mut out = e.event_type.clone();
    if let Some(sub) = &e.sub_event_type {
        out.push_str(&format!(" / {sub}"));
    }
    if let Some(date) = &e.date {
        out.push_str(&format!(" · {date}"));
    }
    out.push_str(&format!(" · {} link(s)", e.links().count()));
    if let Some(notes) = &e.notes {
        out.push_str(&format!(" · {notes}"));
    }
    out
}

fn version_words(v: Option<&Version>) -> String {
    match v {
        None => "deleted".to_owned(),
        Some(Version::Span(s)) => span_words(s),
        Some(Version::Relation(r)) => relation_words(r),
        Some(Version::Event(e)) => event_words(e),
    }
}

/// This side's version of a conflict's item, as it is in the set.
fn mine(set: &AnnotationSet, c: &Conflict) -> Option<Version> {
    match c.item {
        Item::Span => set.span(&c.id).cloned().map(Version::Span),
        Item::Relation => set
            .relations
            .iter()
            .find(|r| r.id == c.id)
            .cloned()
            .map(Version::Relation),
        Item::Event => set
            .events
            .iter()
            .find(|e| e.id == c.id)
            .cloned()
            .map(Version::Event),
    }
}

/// Every conflict of `doc`'s sets that `shown` keeps, in words.
pub fn shown(doc: &AnnotatedDocument, keep: impl Fn(&AnnotationSet) -> bool) -> Vec<Shown> {
    let mut out = Vec::new();
    for set in doc.sets.iter().filter(|s| keep(s)) {
        for (index, c) in set.conflicts.iter().enumerate() {
            let here = mine(set, c);
            let at = match (&here, &c.theirs) {
                (Some(Version::Span(s)), _) | (_, Some(Version::Span(s))) => Some(s.start),
                _ => None,
            };
            let kind = match c.item {
                Item::Span => "span",
                Item::Relation => "relation",
                Item::Event => "event",
            };
            out.push(Shown {
                set: set.id.clone(),
                index,
                what: format!("{kind} {} of {}", c.id, set.id),
                mine: version_words(here.as_ref()),
                theirs: version_words(c.theirs.as_ref()),
                at,
            });
        }
    }
    out
}

/// The edit that settles conflict `index` of set `set`: the other side's version put in the
/// set (`theirs`), or the set's left as it is; the conflict record goes either way.
fn settle(
    doc: &AnnotatedDocument,
    set_id: &str,
    index: usize,
    theirs: bool,
) -> Result<Edit, AppError> {
    let set = doc
        .set(set_id)
        .ok_or_else(|| AppError::NoSet(set_id.to_owned()))?;
    let c = set
        .conflicts
        .get(index)
        .ok_or_else(|| AppError::NoConflict {
            set: set_id.to_owned(),
            index,
        })?;
    let mut edits = Vec::new();
    if theirs {
        let owned = set_id.to_owned();
        let item_edit = match (&c.theirs, c.item) {
            (Some(Version::Span(span)), Item::Span) => match set.span(&c.id) {
                Some(_) => Edit::update_span(doc, set_id, &c.id, |s| *s = span.clone())?,
                None => Edit::add_span(doc, set_id, span.clone())?,
            },
            (None, Item::Span) => Edit::remove_span(doc, set_id, &c.id)?,
            (theirs, Item::Relation) => {
                let theirs = match theirs {
                    Some(Version::Relation(r)) => Some(r.clone()),
                    None => None,
                    Some(_) => return Err(malformed(c)),
                };
                Edit::Relation {
                    set: owned,
                    change: list_change(&set.relations, |r| r.id == c.id, theirs)?,
                }
            }
            (theirs, Item::Event) => {
                let theirs = match theirs {
                    Some(Version::Event(e)) => Some(e.clone()),
                    None => None,
                    Some(_) => return Err(malformed(c)),
                };
                Edit::Event {
                    set: owned,
                    change: list_change(&set.events, |e| e.id == c.id, theirs)?,
                }
            }
            (Some(_), Item::Span) => return Err(malformed(c)),
        };
        edits.push(item_edit);
    }
    edits.push(Edit::Conflict {
        set: set_id.to_owned(),
        change: Change::Remove {
            index,
            item: c.clone(),
        },
    });
    Ok(Edit::batch(edits))
}

fn malformed(c: &Conflict) -> AppError {
    AppError::ConflictBreaks {
        what: c.id.clone(),
        problem: "its record holds another kind of item".to_owned(),
    }
}

/// The change that makes the item `find` picks in `items` be `new` (inserted at the end when
/// it is not there, removed when `new` is none).
fn list_change<T: Clone>(
    items: &[T],
    find: impl Fn(&T) -> bool,
    new: Option<T>,
) -> Result<Change<T>, AppError> {
    Ok(match (items.iter().position(find), new) {
        (Some(index), Some(new)) => Change::Replace {
            index,
            old: items[index].clone(),
            new,
        },
        (Some(index), None) => Change::Remove {
            index,
            item: items[index].clone(),
        },
        (None, Some(item)) => Change::Insert {
            index: items.len(),
            item,
        },
        (None, None) => {
            return Err(AppError::ConflictBreaks {
                what: "an item".to_owned(),
                problem: "neither side has it".to_owned(),
            });
        }
    })
}

/// `edit` applied to a copy of `doc` must leave it valid.
fn check(
    doc: &AnnotatedDocument,
    edit: &Edit,
    schema: &LabelSchema,
    what: &str,
) -> Result<(), AppError> {
    let mut after = doc.clone();
    edit.apply(&mut after)?;
    match after.validate(schema).first() {
        None => Ok(()),
        Some(problem) => Err(AppError::ConflictBreaks {
            what: what.to_owned(),
            problem: format!("{problem} (settle the conflict it depends on first)"),
        }),
    }
}

impl App {
    /// The open document's conflicts in the sets the coder may see.
    pub fn conflicts(&self) -> Vec<Shown> {
        self.session
            .as_ref()
            .map_or_else(Vec::new, |s| shown(&s.doc, |set| self.shows_set(&set.id)))
    }

    pub(super) fn resolve_conflict(
        &mut self,
        set: &str,
        index: usize,
        theirs: bool,
    ) -> Result<(), AppError> {
        if !self.shows_set(set) {
            return Err(AppError::HiddenSet(set.to_owned()));
        }
        let schema = self.schema().clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let edit = settle(&session.doc, set, index, theirs)?;
        check(
            &session.doc,
            &edit,
            &schema,
            &format!("conflict {} of {set}", index + 1),
        )?;
        session.history.apply(&mut session.doc, edit)?;
        self.tell_conflicts_left();
        self.refresh_entry();
        Ok(())
    }

    pub(super) fn resolve_all_conflicts(&mut self, theirs: bool) -> Result<(), AppError> {
        let schema = self.schema().clone();
        let sets: Vec<String> = self
            .session
            .as_ref()
            .ok_or(AppError::NoDocument)?
            .doc
            .sets
            .iter()
            .filter(|s| !s.conflicts.is_empty() && self.shows_set(&s.id))
            .map(|s| s.id.clone())
            .collect();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let mut scratch = session.doc.clone();
        let mut edits = Vec::new();
        for set in &sets {
            let n = scratch.set(set).map_or(0, |s| s.conflicts.len());
            // The last first, so that each index is still right when its turn comes.
            for index in (0..n).rev() {
                let edit = settle(&scratch, set, index, theirs)?;
                edit.apply(&mut scratch)?;
                edits.push(edit);
            }
        }
        if edits.is_empty() {
            return Ok(());
        }
        let edit = Edit::batch(edits);
        check(&session.doc, &edit, &schema, "every conflict")?;
        session.history.apply(&mut session.doc, edit)?;
        self.tell_conflicts_left();
        self.refresh_entry();
        Ok(())
    }

    fn tell_conflicts_left(&mut self) {
        let left = self.conflicts().len();
        if left == 0 {
            self.tell(
                "every merge conflict is settled: save, then File › Sync (or git add) finishes the merge"
                    .to_owned(),
                "حُسمت كل تعارضات الدمج: احفظ ثم «مزامنة» من قائمة ملف لإتمام الدمج".to_owned(),
            );
        } else {
            self.tell(
                format!("{left} merge conflict(s) left"),
                format!("بقي {left} من تعارضات الدمج"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::model::{AttrValue, Conflict, Item, LabelSchema};
    use crate::store;

    /// A document whose first span has a conflict: this side says REBEL, the other ID_MILITIA.
    fn conflicted() -> (tempfile::TempDir, std::path::PathBuf) {
        let (dir, path) = setup("[ACTOR kind=REBEL|جماعة نصرة الإسلام] تتبنى في [PLACE|مالي]");
        let mut doc = store::load(&path, LabelSchema::builtin()).expect("load");
        let mut theirs = doc.sets[0].spans[0].clone();
        theirs
            .attrs
            .insert("kind".into(), AttrValue::Str("ID_MILITIA".into()));
        doc.sets[0].conflicts.push(Conflict::span(theirs));
        doc.sets[0].conflicts.push(Conflict {
            item: Item::Span,
            id: "s2".into(),
            theirs: None,
        });
        store::save(&path, &doc).expect("save");
        (dir, path)
    }

    #[test]
    fn taking_theirs_puts_their_version_in_and_undo_brings_the_conflict_back() {
        let (_dir, path) = conflicted();
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        assert_eq!(app.conflicts().len(), 2);
        app.apply(Command::ResolveConflict {
            set: "coder-a".into(),
            index: 0,
            theirs: true,
        });
        assert_eq!(app.error, None);
        let kind = app
            .set()
            .and_then(|s| s.spans[0].attrs.get("kind"))
            .cloned();
        assert_eq!(kind, Some(AttrValue::Str("ID_MILITIA".into())));
        assert_eq!(app.conflicts().len(), 1);
        app.apply(Command::Undo);
        assert_eq!(app.conflicts().len(), 2);
        // The other side deleted مالي: taking theirs deletes it.
        app.apply(Command::ResolveAllConflicts { theirs: true });
        assert_eq!(app.error, None);
        assert_eq!(app.conflicts().len(), 0);
        assert_eq!(app.set().map(|s| s.spans.len()), Some(1));
    }
}
