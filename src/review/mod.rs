//! Review: two annotation sets of one document side by side (A, the reference, and B, a model
//! or a second coder), with nothing of the window in it.
//!
//! | module | owns |
//! |---|---|
//! | [`align`] | pairing the spans of A and B and typing each pair (match, label, boundary, clitic-only boundary, missing, spurious), by span index |
//! | [`metrics`] | exact and overlap P/R/F1 and Cohen's κ on characters, per label and overall |
//! | [`structure`] | pairing the relations and events of A and B through the span pairs (match, mismatch, missing, spurious) |
//! | [`alpha`] | Krippendorff's αu, as DKPro Statistics computes it |
//! | [`adjudicate`] | the edits that accept a difference into the adjudicated set or take it out |
//! | [`corpus`] | micro and macro averages over the documents of a corpus |
//! | [`multi`] | any number of sets: the pairwise table, Fleiss' κ and αu of all of them |
//! | [`team`] | a team's progress: per coder and per document, and which documents are ready for agreement or adjudication |
//!
//! [`Comparison`] holds all of it for one document, computed once per edit revision: the
//! window redraws from it every frame and never recomputes a difference.

pub mod adjudicate;
pub mod align;
pub mod alpha;
pub mod corpus;
pub mod metrics;
pub mod multi;
pub mod structure;
pub mod team;

pub use adjudicate::{ADJUDICATED, Chosen, Decider, DiffKey, Side};
pub use align::{DiffKind, Difference, Pair, align, differences};
pub use alpha::{AlphaU, alpha_u};
pub use corpus::CorpusAgreement;
pub use metrics::{Agreement, Confusion, Counts, Figures, Prf, agreement};
pub use multi::{MultiAgreement, MultiCounts, multi_agreement};
pub use structure::{ItemKind, ItemPair, align_items};

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::model::{AnnotatedDocument, AnnotationSet, Item, Take};

/// The sets a review of `doc` starts with: A is `coder`'s own set (else the first human set),
/// B the first model set (else the next set); never the adjudicated set. None with fewer than
/// two sets.
pub fn default_pair(doc: &AnnotatedDocument, coder: &str) -> Option<(String, String)> {
    default_pair_where(doc, coder, |_| true)
}

/// [`default_pair`] among the sets `shown` keeps (blind coding hides other coders' sets).
pub fn default_pair_where(
    doc: &AnnotatedDocument,
    coder: &str,
    shown: impl Fn(&str) -> bool,
) -> Option<(String, String)> {
    let ids: Vec<&str> = doc
        .sets
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| *id != ADJUDICATED && shown(id))
        .collect();
    let is_model = |id: &str| {
        doc.set(id)
            .is_some_and(|s| matches!(s.source, crate::model::Source::Model { .. }))
    };
    let a = ids
        .iter()
        .find(|i| **i == coder)
        .or_else(|| ids.iter().find(|i| !is_model(i)))
        .or(ids.first())?;
    let b = ids
        .iter()
        .find(|i| *i != a && is_model(i))
        .or_else(|| ids.iter().find(|i| *i != a))?;
    Some(((*a).to_owned(), (*b).to_owned()))
}

/// The labels either set uses, sorted: what figures are given for.
fn labels_of<'s>(a: &'s AnnotationSet, b: &'s AnnotationSet) -> BTreeSet<&'s str> {
    a.spans
        .iter()
        .chain(&b.spans)
        .map(|s| s.label.as_str())
        .collect()
}

/// A document's place in a review queue: the overall exact F1 of B against A (lowest first:
/// most disagreement), its differences and how many are decided.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QueueEntry {
    pub f1: f64,
    pub differences: usize,
    pub decided: usize,
}

impl QueueEntry {
    pub fn undecided(&self) -> usize {
        self.differences - self.decided
    }

    /// The queue's order: lowest F1 first.
    pub fn cmp_queue(&self, other: &QueueEntry) -> std::cmp::Ordering {
        self.f1.total_cmp(&other.f1)
    }
}

/// Sets A and B of one document compared: the alignment, the agreement figures, αu, and which
/// differences the adjudicated set holds. Valid for the document at one edit revision.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// The edit revision of the document it was made from.
    pub revision: u64,
    pub pairs: Vec<Pair>,
    pub agreement: Agreement,
    pub alpha: AlphaU,
    /// Per pair: the decision taken on it (from the adjudicated set's decisions, or for a
    /// file without them, whose version the set holds), if any.
    pub decided: Vec<Option<Take>>,
    /// Pairs per kind, in the order of [`DiffKind::ALL`].
    pub counts: [usize; 7],
    /// A's label × B's label over the span pairs ("none" for a span only one set has).
    pub confusion: Confusion,
    /// All the document's sets (but the adjudicated one) together, when there are more than
    /// two.
    pub multi: Option<MultiAgreement>,
    /// The relations and events paired, sorted by where they start.
    pub items: Vec<ItemPair>,
    /// Per item pair: the decision taken on it, if any.
    pub items_decided: Vec<Option<Take>>,
    /// The labels the differences are counted under, sorted.
    pub labels: Vec<String>,
}

impl Comparison {
    /// Compares set `a` with set `b` of `doc` (nothing when one of them is missing).
    pub fn new(doc: &AnnotatedDocument, a: &str, b: &str, revision: u64) -> Self {
        let (Some(sa), Some(sb)) = (doc.set(a), doc.set(b)) else {
            return Self {
                revision,
                ..Self::default()
            };
        };
        let pairs = align(&doc.document, sa, sb);
        let agreement = metrics::of_alignment(doc.document.char_len(), sa, sb, &pairs);
        let alpha = alpha_u(doc.document.char_len(), sa, sb);
        let held = adjudicate::adjudicated_spans(doc);
        // What the adjudicated set holds tells what was decided only in a file written before
        // decisions were recorded: with decisions, a span that came in with a relation or an
        // event taken is not a decision on its own difference.
        let legacy = doc.set(ADJUDICATED).is_some_and(|s| s.decisions.is_empty());
        let recorded: HashMap<(Item, Option<&str>, Option<&str>), Take> = doc
            .set(ADJUDICATED)
            .map(|s| {
                s.decisions
                    .iter()
                    .filter(|x| x.a_set == a && x.b_set == b)
                    .map(|x| ((x.item, x.a.as_deref(), x.b.as_deref()), x.take))
                    .collect()
            })
            .unwrap_or_default();
        let mut counts = [0; 7];
        let mut labels = Vec::new();
        let decided = pairs
            .iter()
            .map(|p| {
                let d = p.resolve(sa, sb);
                counts[DiffKind::ALL.iter().position(|k| *k == d.kind).unwrap_or(0)] += 1;
                labels.push(d.label().to_owned());
                let ids = (
                    Item::Span,
                    d.a.map(|s| s.id.as_str()),
                    d.b.map(|s| s.id.as_str()),
                );
                recorded.get(&ids).copied().or_else(|| {
                    let held = legacy.then_some(&held)?;
                    adjudicate::taken(held, &d).map(|side| match side {
                        Side::A => Take::A,
                        Side::B => Take::B,
                    })
                })
            })
            .collect();
        labels.sort_unstable();
        labels.dedup();
        let items = align_items(sa, sb, &pairs);
        let confusion = Confusion::of(sa, sb, &pairs);
        let all: Vec<String> = doc
            .sets
            .iter()
            .map(|s| s.id.clone())
            .filter(|id| id != ADJUDICATED)
            .collect();
        let multi = (all.len() > 2)
            .then(|| multi_agreement(doc, &all))
            .flatten();
        let held_items = doc
            .set(ADJUDICATED)
            .map(adjudicate::item_sigs)
            .unwrap_or_default();
        let items_decided = items
            .iter()
            .map(|p| {
                let [ia, ib] = p.ids(sa, sb);
                recorded.get(&(p.item, ia, ib)).copied().or_else(|| {
                    let held = legacy.then_some(&held_items)?;
                    adjudicate::item_taken(held, p, sa, sb).map(|side| match side {
                        Side::A => Take::A,
                        Side::B => Take::B,
                    })
                })
            })
            .collect();
        Self {
            revision,
            pairs,
            agreement,
            alpha,
            decided,
            counts,
            labels,
            confusion,
            multi,
            items,
            items_decided,
        }
    }

    /// The pairs as differences with their spans, each with its decision.
    pub fn differences<'d>(
        &'d self,
        a: &'d AnnotationSet,
        b: &'d AnnotationSet,
    ) -> impl Iterator<Item = (Difference<'d>, Option<Take>)> + 'd {
        self.pairs
            .iter()
            .zip(&self.decided)
            .map(move |(p, &decided)| (p.resolve(a, b), decided))
    }

    /// Where the document stands in a review queue.
    pub fn queue_entry(&self) -> QueueEntry {
        let (differences, decided) = self.progress();
        QueueEntry {
            f1: self.agreement.overall.figures().exact.f1,
            differences,
            decided,
        }
    }

    /// How many differences (spans, relations and events that are not matches) there are,
    /// and how many of them are decided.
    pub fn progress(&self) -> (usize, usize) {
        let spans = self.pairs.iter().map(|p| p.kind != DiffKind::Match);
        let items = self.items.iter().map(|p| p.kind != ItemKind::Match);
        let decided = self.decided.iter().chain(&self.items_decided);
        spans
            .chain(items)
            .zip(decided)
            .filter(|(differs, _)| *differs)
            .fold((0, 0), |(n, done), (_, d)| {
                (n + 1, done + usize::from(d.is_some()))
            })
    }

    /// The relation or event pairs of one kind.
    pub fn item_count(&self, item: Item, kind: ItemKind) -> usize {
        self.items
            .iter()
            .filter(|p| p.item == item && p.kind == kind)
            .count()
    }

    /// The relation and event pairs, each with its decision.
    pub fn item_pairs(&self) -> impl Iterator<Item = (&ItemPair, Option<Take>)> {
        self.items.iter().zip(self.items_decided.iter().copied())
    }

    /// Pairs of one kind.
    pub fn count(&self, kind: DiffKind) -> usize {
        DiffKind::ALL
            .iter()
            .position(|k| *k == kind)
            .map_or(0, |i| self.counts[i])
    }
}

/// Shared fixtures of the review tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{AnnotatedDocument, AnnotationSet, Document, Source, notation};

    /// Two sets over the same text, each written in span notation.
    pub fn sets(a: &str, b: &str) -> (Document, AnnotationSet, AnnotationSet) {
        let da = notation::parse(a).expect("A").to_document("t", "a");
        let db = notation::parse(b).expect("B").to_document("t", "b");
        assert_eq!(da.document.text(), db.document.text(), "same text");
        (da.document.clone(), da.sets[0].clone(), db.sets[0].clone())
    }

    /// A coder's set and a model's over one sentence: a match, a clitic-only boundary (0.9)
    /// and a spurious CLAIM (0.2).
    pub fn coder_and_model() -> AnnotatedDocument {
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
}
