//! The pure half of adjudication: what accepting or rejecting differences does to a document.
//! Accepting copies a difference's candidate span (B's, or A's for a "missing" one) into the
//! adjudicated set, a human set whose annotator is `adjudicated`; rejecting an accepted
//! difference takes its span back out. Both give an invertible [`Edit`], so undo covers them.

use std::collections::HashSet;

use super::align::Difference;
use crate::model::{AnnotatedDocument, AnnotationSet, Change, CharRange, Edit, EditError, Span};

/// The id (and annotator) of the adjudicated set.
pub const ADJUDICATED: &str = "adjudicated";

/// A difference named by its spans' ids (stable while the sets do not change).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DiffKey {
    pub a: Option<String>,
    pub b: Option<String>,
}

impl DiffKey {
    pub fn of(d: &Difference<'_>) -> Self {
        Self {
            a: d.a.map(|s| s.id.clone()),
            b: d.b.map(|s| s.id.clone()),
        }
    }

    /// Whether this key names `d` (without allocating a key for it).
    pub fn names(&self, d: &Difference<'_>) -> bool {
        self.a.as_deref() == d.a.map(|s| s.id.as_str())
            && self.b.as_deref() == d.b.map(|s| s.id.as_str())
    }
}

/// The span a difference offers to the adjudicated set: B's when B has one, else A's.
pub fn candidate<'a>(d: &Difference<'a>) -> Option<&'a Span> {
    d.b.or(d.a)
}

/// B's confidence in a difference (1 when B gives none or has no span).
pub fn confidence(d: &Difference<'_>) -> f64 {
    d.b.and_then(|s| s.confidence).unwrap_or(1.0)
}

/// The (range, label) of every span of the adjudicated set: what "accepted" is looked up in.
pub fn adjudicated_spans(doc: &AnnotatedDocument) -> HashSet<(CharRange, &str)> {
    doc.set(ADJUDICATED)
        .map(|s| {
            s.spans
                .iter()
                .map(|x| (x.range(), x.label.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whose version of a difference the adjudicated set took.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

/// The span of `side` a difference offers: A's, or for B its [`candidate`] (B's, else A's —
/// "accept" on a span only A has keeps it).
pub fn version<'a>(d: &Difference<'a>, side: Side) -> Option<&'a Span> {
    match side {
        Side::A => d.a,
        Side::B => candidate(d),
    }
}

/// Which version of the difference `held` (from [`adjudicated_spans`]) holds: B's when it
/// holds B's, else A's when it holds A's.
pub fn taken(held: &HashSet<(CharRange, &str)>, d: &Difference<'_>) -> Option<Side> {
    let holds = |s: Option<&Span>| s.is_some_and(|c| held.contains(&(c.range(), c.label.as_str())));
    if holds(version(d, Side::B)) {
        Some(Side::B)
    } else if holds(d.a) {
        Some(Side::A)
    } else {
        None
    }
}

/// Whether `held` holds the difference's candidate.
pub fn is_accepted(held: &HashSet<(CharRange, &str)>, d: &Difference<'_>) -> bool {
    taken(held, d) == Some(Side::B)
}

/// The id of the adjudicated span with `span`'s range and label, if there is one.
fn held_id(doc: &AnnotatedDocument, span: &Span) -> Option<String> {
    doc.set(ADJUDICATED)?
        .spans
        .iter()
        .find(|x| x.range() == span.range() && x.label == span.label)
        .map(|x| x.id.clone())
}

/// The edit that makes the adjudicated set hold `side`'s version of each of `chosen` (made
/// when needed): the other version is taken out, this one copied in (once). None when there
/// is nothing to change.
pub fn take_edit(doc: &AnnotatedDocument, chosen: &[Difference<'_>], side: Side) -> Option<Edit> {
    let mut edits = Vec::new();
    let mut work = doc.clone();
    if doc.set(ADJUDICATED).is_none() {
        let add = Edit::Set(Change::Insert {
            index: doc.sets.len(),
            item: AnnotationSet::human(ADJUDICATED),
        });
        add.apply(&mut work).ok()?;
        edits.push(add);
    }
    for d in chosen {
        let want = version(d, side);
        let other = match side {
            Side::A => version(d, Side::B),
            Side::B => d.a,
        };
        if let Some(o) = other
            && want.is_none_or(|w| (w.range(), &w.label) != (o.range(), &o.label))
            && let Some(id) = held_id(&work, o)
        {
            let edit = Edit::remove_span(&work, ADJUDICATED, &id).ok()?;
            edit.apply(&mut work).ok()?;
            edits.push(edit);
        }
        let Some(c) = want else { continue };
        if held_id(&work, c).is_some() {
            continue;
        }
        let id = work.set(ADJUDICATED)?.fresh_id("s");
        let span = Span {
            id,
            confidence: None,
            ..c.clone()
        };
        let edit = Edit::add_span(&work, ADJUDICATED, span).ok()?;
        edit.apply(&mut work).ok()?;
        edits.push(edit);
    }
    let changes = edits.iter().any(|e| matches!(e, Edit::Span { .. }));
    changes.then(|| Edit::batch(edits))
}

/// The edit that copies the candidates of `chosen` into the adjudicated set: B's version.
pub fn accept_edit(doc: &AnnotatedDocument, chosen: &[Difference<'_>]) -> Option<Edit> {
    take_edit(doc, chosen, Side::B)
}

/// The edit that takes every version of `chosen` back out of the adjudicated set ("neither").
/// None when none of them is there.
pub fn reject_edit(
    doc: &AnnotatedDocument,
    chosen: &[Difference<'_>],
) -> Result<Option<Edit>, EditError> {
    let mut edits = Vec::new();
    let mut work = doc.clone();
    for d in chosen {
        for span in [d.a, d.b].into_iter().flatten() {
            if let Some(id) = held_id(&work, span) {
                let edit = Edit::remove_span(&work, ADJUDICATED, &id)?;
                edit.apply(&mut work)?;
                edits.push(edit);
            }
        }
    }
    Ok((!edits.is_empty()).then(|| Edit::batch(edits)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use crate::review::differences;
    use crate::review::testing::coder_and_model as doc;

    #[test]
    fn accepting_copies_the_candidate_once_and_undoes() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        let edit = accept_edit(&d, &diffs[1..2]).expect("an edit");
        let before = d.clone();
        edit.apply(&mut d).expect("apply");
        let adj = d.set(ADJUDICATED).expect("adjudicated set");
        assert_eq!(
            adj.source,
            Source::Human {
                annotator: ADJUDICATED.into()
            }
        );
        assert_eq!(adj.spans.len(), 1);
        assert_eq!(
            (adj.spans[0].text.as_str(), adj.spans[0].confidence),
            ("سيكاسو", None)
        );
        assert!(
            is_accepted(&adjudicated_spans(&d), &diffs[1]),
            "the adjudicated set holds it"
        );
        assert!(accept_edit(&d, &diffs[1..2]).is_none(), "already accepted");
        let out = reject_edit(&d, &diffs[1..2])
            .expect("reject")
            .expect("an edit");
        let mut rejected = d.clone();
        out.apply(&mut rejected).expect("apply");
        assert!(
            rejected
                .set(ADJUDICATED)
                .is_some_and(|s| s.spans.is_empty())
        );
        edit.inverse().apply(&mut d).expect("undo");
        assert_eq!(d, before);
    }

    #[test]
    fn taking_the_other_side_replaces_the_version_taken() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        // The clitic-only boundary: A's بسيكاسو, B's سيكاسو.
        let one = &diffs[1..2];
        take_edit(&d, one, Side::B)
            .expect("B")
            .apply(&mut d)
            .expect("apply");
        let held = |d: &AnnotatedDocument| -> Vec<String> {
            d.set(ADJUDICATED)
                .map(|s| s.spans.iter().map(|x| x.text.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(held(&d), ["سيكاسو"]);
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::B));
        take_edit(&d, one, Side::A)
            .expect("A")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["بسيكاسو"], "B's version went out as A's came in");
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::A));
        assert!(take_edit(&d, one, Side::A).is_none(), "nothing more to do");
        reject_edit(&d, one)
            .expect("neither")
            .expect("an edit")
            .apply(&mut d)
            .expect("apply");
        assert!(held(&d).is_empty());
    }
}
