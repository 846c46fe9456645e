//! The pure half of adjudication: what accepting or rejecting differences does to a document.
//! Accepting copies a difference's candidate span (B's, or A's for a "missing" one) into the
//! adjudicated set, a human set whose annotator is `adjudicated`; rejecting an accepted
//! difference takes its span back out. Both give an invertible [`Edit`], so undo covers them.

use std::collections::HashSet;

use super::align::Difference;
use crate::model::{
    AnnotatedDocument, AnnotationSet, Change, CharRange, Decision, Edit, Span, Take,
};

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

/// Whose version of a difference the adjudicated set took (the model's `Take` without
/// "neither").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

/// The span of `side` a difference offers: A's, or for B its [`candidate`] (B's, else A's —
/// accepting a span only A has keeps it).
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

/// Who decides, on which pair of sets, when (RFC 3339).
#[derive(Clone, Copy, Debug)]
pub struct Decider<'a> {
    pub a_set: &'a str,
    pub b_set: &'a str,
    pub by: &'a str,
    pub at: &'a str,
}

/// Whether `decision` is about `d` between the decider's two sets.
pub fn is_about(decision: &Decision, d: &Difference<'_>, who: &Decider<'_>) -> bool {
    decision.a_set == who.a_set
        && decision.b_set == who.b_set
        && decision.a.as_deref() == d.a.map(|s| s.id.as_str())
        && decision.b.as_deref() == d.b.map(|s| s.id.as_str())
}

/// The one edit that decides each of `chosen`: the adjudicated set (made when needed) holds
/// the version taken (`Take::A`, `Take::B`) or neither, the other version is taken out, and a
/// decision records which, by whom, when, and B's confidence. A span taken keeps its origin
/// in its note's place? No: its confidence is B's score when B's was taken. None when
/// nothing changes.
pub fn decide_edit(
    doc: &AnnotatedDocument,
    chosen: &[Difference<'_>],
    take: Take,
    who: &Decider<'_>,
) -> Option<Edit> {
    let index = doc.sets.iter().position(|s| s.id == ADJUDICATED);
    let old = index.map(|i| doc.sets[i].clone());
    let mut set = old
        .clone()
        .unwrap_or_else(|| AnnotationSet::human(ADJUDICATED));
    let find = |set: &AnnotationSet, span: &Span| {
        set.spans
            .iter()
            .position(|x| x.range() == span.range() && x.label == span.label)
    };
    for d in chosen {
        let want = match take {
            Take::A => version(d, Side::A),
            Take::B => version(d, Side::B),
            Take::Neither => None,
        };
        for span in [d.a, d.b].into_iter().flatten() {
            let same_as_wanted =
                want.is_some_and(|w| (w.range(), &w.label) == (span.range(), &span.label));
            if !same_as_wanted && let Some(i) = find(&set, span) {
                set.spans.remove(i);
            }
        }
        if let Some(c) = want
            && find(&set, c).is_none()
        {
            let from_b = d.b.is_some_and(|b| std::ptr::eq(b, c));
            let span = Span {
                id: set.fresh_id("s"),
                confidence: if from_b { c.confidence } else { None },
                ..c.clone()
            };
            let at = set.spans.partition_point(|x| {
                (x.start, std::cmp::Reverse(x.end)) <= (span.start, std::cmp::Reverse(span.end))
            });
            set.spans.insert(at, span);
        }
        set.decisions.retain(|x| !is_about(x, d, who));
        set.decisions.push(Decision {
            a_set: who.a_set.to_owned(),
            b_set: who.b_set.to_owned(),
            a: d.a.map(|s| s.id.clone()),
            b: d.b.map(|s| s.id.clone()),
            take,
            by: who.by.to_owned(),
            at: who.at.to_owned(),
            confidence: d.b.and_then(|s| s.confidence),
        });
    }
    match (index, old) {
        (Some(index), Some(old)) if old != set => Some(Edit::Set(Change::Replace {
            index,
            old,
            new: set,
        })),
        (None, _) => Some(Edit::Set(Change::Insert {
            index: doc.sets.len(),
            item: set,
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use crate::review::differences;
    use crate::review::testing::coder_and_model as doc;

    const WHO: Decider<'static> = Decider {
        a_set: "coder-a",
        b_set: "model",
        by: "lead",
        at: "2026-12-01T10:00:00Z",
    };

    fn held(d: &AnnotatedDocument) -> Vec<String> {
        d.set(ADJUDICATED)
            .map(|s| s.spans.iter().map(|x| x.text.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn taking_b_copies_its_span_once_records_the_decision_and_undoes() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        let edit = decide_edit(&d, &diffs[1..2], Take::B, &WHO).expect("an edit");
        let before = d.clone();
        edit.apply(&mut d).expect("apply");
        let adj = d.set(ADJUDICATED).expect("adjudicated set");
        assert_eq!(
            adj.source,
            Source::Human {
                annotator: ADJUDICATED.into()
            }
        );
        assert_eq!(
            (adj.spans[0].text.as_str(), adj.spans[0].confidence),
            ("سيكاسو", Some(0.9)),
            "B's span keeps B's score"
        );
        assert_eq!(adj.decisions.len(), 1);
        let decision = &adj.decisions[0];
        assert_eq!((decision.take, decision.by.as_str()), (Take::B, "lead"));
        assert_eq!(decision.confidence, Some(0.9));
        assert!(is_about(decision, &diffs[1], &WHO));
        assert!(
            decide_edit(&d, &diffs[1..2], Take::B, &WHO).is_none(),
            "already decided so"
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
        decide_edit(&d, one, Take::B, &WHO)
            .expect("B")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["سيكاسو"]);
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::B));
        decide_edit(&d, one, Take::A, &WHO)
            .expect("A")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["بسيكاسو"], "B's version went out as A's came in");
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::A));
        decide_edit(&d, one, Take::Neither, &WHO)
            .expect("neither")
            .apply(&mut d)
            .expect("apply");
        assert!(held(&d).is_empty());
        let decisions = &d.set(ADJUDICATED).expect("set").decisions;
        assert_eq!(decisions.len(), 1, "one decision per difference, the last");
        assert_eq!(decisions[0].take, Take::Neither);
    }
}
