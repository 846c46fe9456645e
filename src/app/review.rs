//! Review: two sets of the open document compared (A, the reference, and B, e.g. a model),
//! their differences walked one by one, and each decided: accepted (its span copied into the
//! adjudicated set) or rejected. The adjudicated set is a human set whose annotator is
//! `adjudicated`; accepting is an ordinary edit, saved with the document and undone by undo.

use crate::model::agreement::{DiffKind, Difference, differences};
use crate::model::{AnnotatedDocument, AnnotationSet, Change, Edit, Span};

/// The id (and annotator) of the adjudicated set.
pub const ADJUDICATED: &str = "adjudicated";

/// What the review remembers: which sets, the confidence threshold, where the reviewer is,
/// and the differences rejected so far (accepted ones are in the adjudicated set).
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub a: String,
    pub b: String,
    /// B's spans below this confidence are shown faded and left out of "accept all above".
    pub threshold: f64,
    /// The difference in focus, by its key.
    pub current: Option<DiffKey>,
    pub rejected: Vec<DiffKey>,
}

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
}

/// The span a difference offers to the adjudicated set: B's when B has one, else A's.
pub fn candidate<'a>(d: &Difference<'a>) -> Option<&'a Span> {
    d.b.or(d.a)
}

/// B's confidence in a difference (1 when B gives none or has no span).
pub fn confidence(d: &Difference<'_>) -> f64 {
    d.b.and_then(|s| s.confidence).unwrap_or(1.0)
}

/// Whether the adjudicated set holds the difference's candidate (same range and label).
pub fn accepted(doc: &AnnotatedDocument, d: &Difference<'_>) -> bool {
    let (Some(adj), Some(c)) = (doc.set(ADJUDICATED), candidate(d)) else {
        return false;
    };
    adj.spans
        .iter()
        .any(|s| s.range() == c.range() && s.label == c.label)
}

impl Review {
    pub fn new(a: &str, b: &str) -> Self {
        Self {
            a: a.to_owned(),
            b: b.to_owned(),
            threshold: 0.5,
            current: None,
            rejected: Vec::new(),
        }
    }

    /// The differences of the two sets (empty when one is missing).
    pub fn differences<'d>(&self, doc: &'d AnnotatedDocument) -> Vec<Difference<'d>> {
        match (doc.set(&self.a), doc.set(&self.b)) {
            (Some(a), Some(b)) => differences(doc.document.text(), a, b),
            _ => Vec::new(),
        }
    }

    pub fn is_decided(&self, doc: &AnnotatedDocument, d: &Difference<'_>) -> bool {
        accepted(doc, d) || self.rejected.contains(&DiffKey::of(d))
    }

    /// The next (or previous) difference that is not a match, after the current one.
    pub fn step(&mut self, doc: &AnnotatedDocument, forward: bool) -> Option<usize> {
        let diffs: Vec<Difference<'_>> = self
            .differences(doc)
            .into_iter()
            .filter(|d| d.kind != DiffKind::Match)
            .collect();
        if diffs.is_empty() {
            self.current = None;
            return None;
        }
        let at = self
            .current
            .as_ref()
            .and_then(|k| diffs.iter().position(|d| &DiffKey::of(d) == k));
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => diffs.len() - 1,
            (Some(i), true) => (i + 1) % diffs.len(),
            (Some(i), false) => (i + diffs.len() - 1) % diffs.len(),
        };
        self.current = Some(DiffKey::of(&diffs[next]));
        Some(diffs[next].start())
    }
}

/// The edit that copies the candidates of `keys` into the adjudicated set (creating it when
/// needed); candidates already there are skipped. None when there is nothing to add.
pub fn accept_edit(doc: &AnnotatedDocument, review: &Review, keys: &[DiffKey]) -> Option<Edit> {
    let diffs = review.differences(doc);
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
    for d in diffs.iter().filter(|d| keys.contains(&DiffKey::of(d))) {
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
    adds_spans.then(|| {
        if edits.len() == 1 {
            edits.remove(0)
        } else {
            Edit::Batch(edits)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Source, notation};

    fn doc() -> AnnotatedDocument {
        let mut d = notation::parse("[ACTOR|الجيش] قصف [PLACE|بسيكاسو] أمس")
            .expect("A")
            .to_document("t", "coder-a");
        let mut b = notation::parse("[ACTOR|الجيش] قصف ب[PLACE|سيكاسو] [CLAIM|أمس]")
            .expect("B")
            .to_document("t", "model")
            .sets
            .remove(0);
        b.source = Source::Model {
            name: "model".into(),
            version: None,
        };
        b.spans[1].confidence = Some(0.9);
        b.spans[2].confidence = Some(0.2);
        d.sets.push(b);
        d
    }

    #[test]
    fn stepping_visits_every_difference_but_matches() {
        let d = doc();
        let mut r = Review::new("coder-a", "model");
        let first = r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s2")
        );
        assert_eq!(first, Some(10));
        r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s3")
        );
        r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s2"),
            "wraps"
        );
        r.step(&d, false);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s3")
        );
    }

    #[test]
    fn accepting_copies_the_candidate_once_and_undoes() {
        let mut d = doc();
        let r = Review::new("coder-a", "model");
        let keys: Vec<DiffKey> = r.differences(&d).iter().map(DiffKey::of).collect();
        let edit = accept_edit(&d, &r, &keys[1..2]).expect("an edit");
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
            accept_edit(&d, &r, &keys[1..2]).is_none(),
            "already accepted"
        );
        edit.inverse().apply(&mut d).expect("undo");
        assert_eq!(d, before);
    }
}
