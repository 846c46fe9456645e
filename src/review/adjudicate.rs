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

/// Whether `held` (from [`adjudicated_spans`]) holds the difference's candidate.
pub fn is_accepted(held: &HashSet<(CharRange, &str)>, d: &Difference<'_>) -> bool {
    candidate(d).is_some_and(|c| held.contains(&(c.range(), c.label.as_str())))
}

/// The edit that copies the candidates of `chosen` into the adjudicated set (creating it when
/// needed); candidates already there are skipped. None when there is nothing to add.
pub fn accept_edit(doc: &AnnotatedDocument, chosen: &[Difference<'_>]) -> Option<Edit> {
    let mut adjudicated = doc
        .set(ADJUDICATED)
        .cloned()
        .unwrap_or_else(|| AnnotationSet::human(ADJUDICATED));
    let mut edits = Vec::new();
    let mut work = doc.clone();
    if doc.set(ADJUDICATED).is_none() {
        let add = Edit::Set(Change::Insert {
            index: doc.sets.len(),
            item: adjudicated.clone(),
        });
        add.apply(&mut work).ok()?;
        edits.push(add);
    }
    for d in chosen {
        let Some(c) = candidate(d) else { continue };
        if adjudicated
            .spans
            .iter()
            .any(|s| s.range() == c.range() && s.label == c.label)
        {
            continue;
        }
        let span = Span {
            id: adjudicated.fresh_id("s"),
            confidence: None,
            ..c.clone()
        };
        let edit = Edit::add_span(&work, ADJUDICATED, span).ok()?;
        edit.apply(&mut work).ok()?;
        if let Some(set) = work.set(ADJUDICATED) {
            adjudicated = set.clone();
        }
        edits.push(edit);
    }
    let adds_spans = edits.iter().any(|e| matches!(e, Edit::Span { .. }));
    adds_spans.then(|| Edit::batch(edits))
}

/// The edit that takes the candidates of `chosen` back out of the adjudicated set (those that
/// were accepted). None when none of them is there.
pub fn reject_edit(
    doc: &AnnotatedDocument,
    chosen: &[Difference<'_>],
) -> Result<Option<Edit>, EditError> {
    let mut edits = Vec::new();
    let mut work = doc.clone();
    for d in chosen {
        let Some(c) = candidate(d) else { continue };
        let found = work.set(ADJUDICATED).and_then(|s| {
            s.spans
                .iter()
                .find(|x| x.range() == c.range() && x.label == c.label)
                .map(|x| x.id.clone())
        });
        if let Some(id) = found {
            let edit = Edit::remove_span(&work, ADJUDICATED, &id)?;
            edit.apply(&mut work)?;
            edits.push(edit);
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
}
