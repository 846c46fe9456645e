//! The three-way merge of two versions of one annotated document against their common base,
//! by identity: annotation sets by id; inside a set spans, relations and events by id, their
//! fields one by one and attributes by key; review decisions by what they decide. What only
//! one side changed is taken; what both changed the same way is kept; what both changed
//! differently is a [`Conflict`] recorded in the set, which keeps this side's version beside
//! the other side's, so that nothing is lost.
//!
//! Three things are merged by rule rather than left in conflict: a set's status goes to the
//! furthest either side reached, its active time adds up what each side added, and two
//! decisions on the same difference give the later one. The document's text (and hash),
//! metadata and inline schema are never merged: when they differ between the sides the merge
//! refuses ([`HardConflict`]).

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use super::annotation::{AnnotationSet, Conflict, Decision, Effort, Item, Span, Version};
use super::{AnnotatedDocument, LabelSchema};

mod items;

use items::merge_items;

/// What cannot be merged at all; the caller keeps this side's file as it is.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum HardConflict {
    #[error("the document's text differs between the two sides (never merged)")]
    Text,
    #[error("the document's {0} was changed differently on both sides")]
    Meta(&'static str),
    #[error("the document's inline schema was changed differently on both sides")]
    Schema,
    #[error("set \"{0}\" is a different kind of set on each side (human or model)")]
    Source(String),
    #[error("set \"{set}\" does not validate after the merge: {problem}")]
    Invalid { set: String, problem: String },
}

/// A merged document and how many conflicts it records.
#[derive(Debug)]
pub struct Merged {
    pub doc: AnnotatedDocument,
    pub conflicts: usize,
}

/// Merges `ours` and `theirs` from `base` (none when both sides added the file). The result
/// holds every change only one side made; what both changed differently is recorded as a
/// conflict. `project` is the schema the result is validated against (unless it has its own).
pub fn merge(
    base: Option<&AnnotatedDocument>,
    ours: &AnnotatedDocument,
    theirs: &AnnotatedDocument,
    project: &LabelSchema,
) -> Result<Merged, HardConflict> {
    if ours.document.text_sha256() != theirs.document.text_sha256()
        || ours.document.text() != theirs.document.text()
        || base.is_some_and(|b| b.document.text() != ours.document.text())
    {
        return Err(HardConflict::Text);
    }
    let mut doc = ours.clone();
    let (om, tm) = (&ours.document.meta, &theirs.document.meta);
    let bm = base.map(|b| &b.document.meta);
    {
        let meta = &mut doc.document.meta;
        meta.id = field(bm.map(|m| &m.id), &om.id, &tm.id).ok_or(HardConflict::Meta("id"))?;
        meta.title =
            field(bm.map(|m| &m.title), &om.title, &tm.title).ok_or(HardConflict::Meta("title"))?;
        meta.source = field(bm.map(|m| &m.source), &om.source, &tm.source)
            .ok_or(HardConflict::Meta("source"))?;
        meta.url = field(bm.map(|m| &m.url), &om.url, &tm.url).ok_or(HardConflict::Meta("url"))?;
        meta.published = field(bm.map(|m| &m.published), &om.published, &tm.published)
            .ok_or(HardConflict::Meta("publication date"))?;
        meta.language = field(bm.map(|m| &m.language), &om.language, &tm.language)
            .ok_or(HardConflict::Meta("language"))?;
        meta.import = field(bm.map(|m| &m.import), &om.import, &tm.import)
            .ok_or(HardConflict::Meta("import note"))?;
    }
    doc.schema =
        field(base.map(|b| &b.schema), &ours.schema, &theirs.schema).ok_or(HardConflict::Schema)?;

    let empty = Vec::new();
    let base_sets = base.map_or(&empty, |b| &b.sets);
    let mut sets = Vec::new();
    let mut fallbacks = HashMap::new();
    for id in keys(base_sets, &ours.sets, &theirs.sets, |s| s.id.clone()) {
        let find = |list: &[AnnotationSet]| list.iter().find(|s| s.id == id).cloned();
        let (b, o, t) = (find(base_sets), find(&ours.sets), find(&theirs.sets));
        let merged = match (b, o, t) {
            // A set only one side changed is that side's, as it is (no rule applied to it).
            (b, Some(o), Some(t)) if o == t || b.as_ref() == Some(&t) => Some(o),
            (Some(b), Some(o), Some(t)) if o == b => Some(t),
            (_, Some(o), Some(t)) => {
                let b = match (base_sets.iter().find(|s| s.id == id), o.source == t.source) {
                    (_, false) => return Err(HardConflict::Source(id)),
                    (Some(b), true) => b.clone(),
                    (None, true) => AnnotationSet {
                        source: o.source.clone(),
                        ..AnnotationSet::human(&id)
                    },
                };
                let merged = merge_set(&b, &o, &t, doc.document.text());
                fallbacks.insert(id.clone(), o);
                Some(merged)
            }
            // Deleted on one side: deleted when the other side left it as it was.
            (Some(b), Some(o), None) => (o != b).then_some(o),
            (Some(b), None, Some(t)) => (t != b).then_some(t),
            (None, Some(x), None) | (None, None, Some(x)) => Some(x),
            (_, None, None) => None,
        };
        sets.extend(merged);
    }
    doc.sets = sets;
    // A merge of two valid sides can still break a rule neither broke (one side relabels a
    // span, the other links it where the new label is not allowed). Such a set is this side's
    // version, with each item the merge would have changed recorded as a conflict.
    for problem in doc.validate(project) {
        let Some(set) = problem_set(&problem.location) else {
            return Err(HardConflict::Invalid {
                set: String::new(),
                problem: problem.to_string(),
            });
        };
        if let (Some(ours), Some(index)) = (
            fallbacks.remove(set),
            doc.sets.iter().position(|s| s.id == set),
        ) {
            doc.sets[index] = fall_back(ours, &doc.sets[index]);
        }
    }
    if let Some(problem) = doc.validate(project).first() {
        return Err(HardConflict::Invalid {
            set: problem_set(&problem.location)
                .unwrap_or_default()
                .to_owned(),
            problem: problem.to_string(),
        });
    }
    let conflicts = doc.sets.iter().map(|s| s.conflicts.len()).sum();
    Ok(Merged { doc, conflicts })
}

fn problem_set(location: &super::Location) -> Option<&str> {
    use super::Location as L;
    match location {
        L::Set { set } | L::Span { set, .. } | L::Relation { set, .. } | L::Event { set, .. } => {
            Some(set)
        }
        _ => None,
    }
}

/// This side's set, with each item `merged` has otherwise recorded as a conflict (the conflicts
/// both had are kept).
fn fall_back(ours: AnnotationSet, merged: &AnnotationSet) -> AnnotationSet {
    let mut out = AnnotationSet {
        status: merged.status,
        effort: merged.effort.clone(),
        decisions: merged.decisions.clone(),
        ..ours
    };
    let mut conflicts = merged.conflicts.clone();
    differing(
        &out.spans,
        &merged.spans,
        |s| &s.id,
        Item::Span,
        Version::Span,
        &mut conflicts,
    );
    differing(
        &out.relations,
        &merged.relations,
        |r| &r.id,
        Item::Relation,
        Version::Relation,
        &mut conflicts,
    );
    differing(
        &out.events,
        &merged.events,
        |e| &e.id,
        Item::Event,
        Version::Event,
        &mut conflicts,
    );
    dedup_conflicts(&mut conflicts);
    out.conflicts = conflicts;
    out
}

/// A conflict for each item of `merged` that `ours` holds differently or not at all, and for
/// each item of `ours` that `merged` dropped.
fn differing<T: Clone + PartialEq>(
    ours: &[T],
    merged: &[T],
    id: impl Fn(&T) -> &String,
    item: Item,
    version: impl Fn(T) -> Version,
    out: &mut Vec<Conflict>,
) {
    for m in merged {
        if !ours.iter().any(|o| o == m) {
            out.push(Conflict {
                item,
                id: id(m).clone(),
                theirs: Some(version(m.clone())),
            });
        }
    }
    for o in ours {
        if !merged.iter().any(|m| id(m) == id(o)) {
            out.push(Conflict {
                item,
                id: id(o).clone(),
                theirs: None,
            });
        }
    }
}

/// One conflict per item: the first recorded wins.
fn dedup_conflicts(conflicts: &mut Vec<Conflict>) {
    let mut seen = HashSet::new();
    conflicts.retain(|c| seen.insert((c.item, c.id.clone())));
}

/// The keys of three lists in merge order: this side's order, then the other side's
/// additions in its order (what only the base has comes last, to be dropped).
pub(super) fn keys<T, K: Clone + Eq + std::hash::Hash>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<K> {
    let mut seen = HashSet::new();
    ours.iter()
        .chain(theirs)
        .chain(base)
        .map(key)
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// A field's three-way merge: the side that changed it, or `None` when both changed it
/// differently. Without a base, the sides must agree.
pub(super) fn field<T: Clone + PartialEq>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else if base == Some(theirs) {
        Some(ours.clone())
    } else {
        None
    }
}

/// Merges one set's three versions.
fn merge_set(
    base: &AnnotationSet,
    ours: &AnnotationSet,
    theirs: &AnnotationSet,
    text: &str,
) -> AnnotationSet {
    let text: Vec<char> = text.chars().collect();
    let mut conflicts = ours.conflicts.clone();
    for c in &theirs.conflicts {
        if !conflicts.contains(c) && !base.conflicts.contains(c) {
            conflicts.push(c.clone());
        }
    }
    // A conflict resolved on one side (gone from it, and the other left it as it was) stays
    // resolved.
    conflicts.retain(|c| {
        !(base.conflicts.contains(c)
            && (!ours.conflicts.contains(c) || !theirs.conflicts.contains(c)))
    });
    let merged = merge_items(
        &base.spans,
        &ours.spans,
        &theirs.spans,
        &text,
        &mut conflicts,
    );
    // This side's spans keep their order; the other side's new ones go to their reading-order
    // place, as a save would have put them.
    let mine: HashSet<&String> = ours.spans.iter().map(|s| &s.id).collect();
    let (mut spans, added): (Vec<Span>, Vec<Span>) =
        merged.into_iter().partition(|s| mine.contains(&s.id));
    let key = |s: &Span| (s.start, std::cmp::Reverse(s.end));
    // Where the other side moved one of this side's spans, the list is put in reading order
    // again (stably), as a save of it would be.
    if !spans.is_sorted_by_key(key) {
        spans.sort_by_key(key);
    }
    for span in added {
        let at = spans.partition_point(|s| key(s) <= key(&span));
        spans.insert(at, span);
    }
    let relations = merge_items(
        &base.relations,
        &ours.relations,
        &theirs.relations,
        &text,
        &mut conflicts,
    );
    let events = merge_items(
        &base.events,
        &ours.events,
        &theirs.events,
        &text,
        &mut conflicts,
    );
    dedup_conflicts(&mut conflicts);
    AnnotationSet {
        id: ours.id.clone(),
        source: ours.source.clone(),
        // The status one side changed; the furthest when both changed it.
        status: field(Some(&base.status), &ours.status, &theirs.status)
            .unwrap_or(ours.status.max(theirs.status)),
        spans,
        relations,
        events,
        decisions: merge_decisions(&base.decisions, &ours.decisions, &theirs.decisions),
        effort: merge_effort(&base.effort, ours, theirs),
        conflicts,
    }
}

/// What a decision decides, which identifies it.
fn decision_key(d: &Decision) -> (String, String, Item, Option<String>, Option<String>) {
    (
        d.a_set.clone(),
        d.b_set.clone(),
        d.item,
        d.a.clone(),
        d.b.clone(),
    )
}

/// Decisions by what they decide; when both sides decided the same difference differently,
/// the later decision stands.
fn merge_decisions(base: &[Decision], ours: &[Decision], theirs: &[Decision]) -> Vec<Decision> {
    let find = |list: &[Decision], k: &_| list.iter().find(|d| &decision_key(d) == k).cloned();
    keys(base, ours, theirs, decision_key)
        .into_iter()
        .filter_map(
            |k| match (find(base, &k), find(ours, &k), find(theirs, &k)) {
                (b, Some(o), Some(t)) => Some(match field(b.as_ref(), &o, &t) {
                    Some(v) => v,
                    None if t.at > o.at => t,
                    None => o,
                }),
                (Some(b), Some(x), None) | (Some(b), None, Some(x)) => (x != b).then_some(x),
                (None, Some(x), None) | (None, None, Some(x)) => Some(x),
                (_, None, None) => None,
            },
        )
        .collect()
}

/// Time adds up what each side added to the base; started is the earlier start; done goes
/// with the status the merged set has.
fn merge_effort(base: &Effort, ours: &AnnotationSet, theirs: &AnnotationSet) -> Effort {
    let (o, t) = (&ours.effort, &theirs.effort);
    let added = |e: &Effort| e.active_seconds.saturating_sub(base.active_seconds);
    let earlier = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b).clone()),
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    let done = match ours.status.cmp(&theirs.status) {
        std::cmp::Ordering::Greater => o.done.clone(),
        std::cmp::Ordering::Less => t.done.clone(),
        std::cmp::Ordering::Equal => earlier(&o.done, &t.done),
    };
    Effort {
        started: earlier(&o.started, &t.started),
        done,
        active_seconds: base.active_seconds + added(o) + added(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttrValue, Relation, Status, notation};

    fn doc(marked: &str, coder: &str) -> AnnotatedDocument {
        notation::parse(marked)
            .expect("notation")
            .to_document("t", coder)
    }

    fn merged(
        base: &AnnotatedDocument,
        ours: &AnnotatedDocument,
        theirs: &AnnotatedDocument,
    ) -> Merged {
        merge(Some(base), ours, theirs, LabelSchema::builtin()).expect("merges")
    }

    const TEXT: &str = "[ACTOR|جماعة] تتبنى الهجوم في [PLACE|مالي]";

    #[test]
    fn two_coders_adding_their_sets_merge_without_conflict() {
        let base = AnnotatedDocument::new(doc(TEXT, "x").document);
        let ours = doc(TEXT, "coder-a");
        let theirs = doc(TEXT, "coder-b");
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.conflicts, 0);
        let ids: Vec<&str> = m.doc.sets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["coder-a", "coder-b"]);
    }

    #[test]
    fn changes_to_different_fields_and_attributes_of_one_span_both_land() {
        let base = doc(TEXT, "coder-a");
        let mut ours = base.clone();
        ours.sets[0].spans[0]
            .attrs
            .insert("kind".into(), AttrValue::Str("REBEL".into()));
        let mut theirs = base.clone();
        theirs.sets[0].spans[0].note = Some("تحقق".into());
        theirs.sets[0].spans[1].label = "ACTOR".into();
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.conflicts, 0);
        let spans = &m.doc.sets[0].spans;
        assert_eq!(
            spans[0].attrs.get("kind"),
            Some(&AttrValue::Str("REBEL".into()))
        );
        assert_eq!(spans[0].note.as_deref(), Some("تحقق"));
        assert_eq!(spans[1].label, "ACTOR");
    }

    #[test]
    fn one_span_changed_differently_on_both_sides_keeps_both_versions() {
        let base = doc(TEXT, "coder-a");
        let mut ours = base.clone();
        ours.sets[0].spans[1].label = "ACTOR".into();
        let mut theirs = base.clone();
        theirs.sets[0].spans[1].label = "CLAIM".into();
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.conflicts, 1);
        let set = &m.doc.sets[0];
        assert_eq!(set.spans[1].label, "ACTOR", "this side's version in place");
        match &set.conflicts[0].theirs {
            Some(Version::Span(s)) => assert_eq!(s.label, "CLAIM"),
            other => panic!("theirs kept: {other:?}"),
        }
    }

    #[test]
    fn a_span_deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
        let base = doc(TEXT, "coder-a");
        let mut ours = base.clone();
        ours.sets[0].spans.remove(0);
        let m = merged(&base, &ours, &base);
        assert_eq!(m.conflicts, 0);
        assert_eq!(m.doc.sets[0].spans.len(), 1);
        let m = merged(&base, &base, &ours);
        assert_eq!(m.doc.sets[0].spans.len(), 1);
    }

    #[test]
    fn deleted_on_one_side_and_changed_on_the_other_is_a_conflict() {
        let base = doc(TEXT, "coder-a");
        let mut ours = base.clone();
        ours.sets[0].spans.remove(1);
        let mut theirs = base.clone();
        theirs.sets[0].spans[1].note = Some("ok".into());
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.conflicts, 1);
        assert_eq!(m.doc.sets[0].spans.len(), 1);
        assert!(matches!(
            m.doc.sets[0].conflicts[0].theirs,
            Some(Version::Span(_))
        ));
    }

    #[test]
    fn a_merge_that_would_break_the_schema_keeps_this_side_and_records_the_rest() {
        let base = doc("[CLAIM|تتبنى] [ACTOR|الجماعة]", "coder-a");
        let mut ours = base.clone();
        ours.sets[0].spans[1].label = "PLACE".into();
        let mut theirs = base.clone();
        theirs.sets[0].relations.push(Relation {
            id: "r1".into(),
            kind: "claimed_by".into(),
            from: "s1".into(),
            to: "s2".into(),
        });
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.doc.validate(LabelSchema::builtin()), vec![]);
        assert_eq!(
            m.doc.sets[0],
            AnnotationSet {
                conflicts: m.doc.sets[0].conflicts.clone(),
                ..ours.sets[0].clone()
            }
        );
        assert_eq!(m.conflicts, 1, "{:?}", m.doc.sets[0].conflicts);
    }

    #[test]
    fn status_goes_furthest_and_time_adds_up() {
        let mut base = doc(TEXT, "coder-a");
        base.sets[0].effort.active_seconds = 100;
        let mut ours = base.clone();
        ours.sets[0].status = Status::Done;
        ours.sets[0].effort.active_seconds = 130;
        let mut theirs = base.clone();
        theirs.sets[0].status = Status::InProgress;
        theirs.sets[0].effort.active_seconds = 160;
        let m = merged(&base, &ours, &theirs);
        assert_eq!(m.doc.sets[0].status, Status::Done);
        assert_eq!(m.doc.sets[0].effort.active_seconds, 190);
    }

    #[test]
    fn a_different_text_is_never_merged() {
        let base = doc(TEXT, "coder-a");
        let other = doc("[ACTOR|جماعة] أخرى", "coder-a");
        assert_eq!(
            merge(Some(&base), &base, &other, LabelSchema::builtin()).err(),
            Some(HardConflict::Text)
        );
    }
}
