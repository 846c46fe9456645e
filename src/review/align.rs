//! Pairing two annotation sets of one document, B against A, and typing each pair: what a
//! reviewer decides on.
//!
//! Pairing, in this order, each span used once: same range and label (**match**, or
//! **attribute mismatch** when an attribute both give has two values); same range,
//! other label (**label mismatch**); overlapping with the same label (**clitic boundary** when
//! they differ only by a leading proclitic و ف ب ل ك and/or the article ال, see
//! [`crate::model::arabic::is_clitic_prefix`], otherwise **boundary**; the largest overlap pairs
//! first); overlapping with another label and another range (**label mismatch**). What is left
//! is **missing** (A only) or **spurious** (B only).
//!
//! A [`Pair`] names its spans by their indices in the two sets, so an alignment can be kept
//! (cached per edit revision) without borrowing the document; [`Difference`] is the borrowed
//! view of a pair, made when it is drawn or decided.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

use crate::model::arabic::is_clitic_prefix;
use crate::model::{AnnotationSet, CharRange, Document, Span};

/// The kind of a difference between A and B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Match,
    /// Same range and label, but an attribute both give has another value (27 ≠ 7).
    AttributeMismatch,
    LabelMismatch,
    Boundary,
    CliticBoundary,
    /// In A only.
    Missing,
    /// In B only.
    Spurious,
}

impl DiffKind {
    pub const ALL: [DiffKind; 7] = [
        DiffKind::Match,
        DiffKind::AttributeMismatch,
        DiffKind::LabelMismatch,
        DiffKind::Boundary,
        DiffKind::CliticBoundary,
        DiffKind::Missing,
        DiffKind::Spurious,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DiffKind::Match => "match",
            DiffKind::AttributeMismatch => "attribute mismatch",
            DiffKind::LabelMismatch => "label mismatch",
            DiffKind::Boundary => "boundary mismatch",
            DiffKind::CliticBoundary => "clitic-only boundary",
            DiffKind::Missing => "missing (A only)",
            DiffKind::Spurious => "spurious (B only)",
        }
    }
}

/// One paired (or unpaired) span of A and B, borrowed from the two sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference<'a> {
    pub kind: DiffKind,
    pub a: Option<&'a Span>,
    pub b: Option<&'a Span>,
}

impl Difference<'_> {
    /// Where the difference is in the text: the start of its first span.
    pub fn start(&self) -> usize {
        match (self.a, self.b) {
            (Some(a), Some(b)) => a.start.min(b.start),
            (Some(s), None) | (None, Some(s)) => s.start,
            (None, None) => 0,
        }
    }

    /// The attributes both spans give with different values: (name, A's, B's).
    pub fn attribute_changes(&self) -> Vec<(&str, String, String)> {
        let (Some(a), Some(b)) = (self.a, self.b) else {
            return Vec::new();
        };
        a.attrs
            .iter()
            .filter_map(|(k, va)| {
                let vb = b.attrs.get(k)?;
                (va != vb).then(|| (k.as_str(), va.to_string(), vb.to_string()))
            })
            .collect()
    }

    /// The label it is counted under: A's, else B's.
    pub fn label(&self) -> &str {
        self.a.or(self.b).map_or("", |s| s.label.as_str())
    }
}

/// One paired (or unpaired) span of A and B, by index into `a.spans` and `b.spans`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub kind: DiffKind,
    pub a: Option<usize>,
    pub b: Option<usize>,
}

impl Pair {
    /// The pair's spans, from the sets it was made of.
    pub fn resolve<'s>(&self, a: &'s AnnotationSet, b: &'s AnnotationSet) -> Difference<'s> {
        Difference {
            kind: self.kind,
            a: self.a.and_then(|i| a.spans.get(i)),
            b: self.b.and_then(|j| b.spans.get(j)),
        }
    }
}

fn overlap(a: &Span, b: &Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// True when the two ranges end together and the longer one only adds, at its start, what
/// [`is_clitic_prefix`] allows.
fn clitic_only(doc: &Document, a: &Span, b: &Span) -> bool {
    if a.end != b.end || a.start == b.start {
        return false;
    }
    let (outer, inner) = if a.start < b.start { (a, b) } else { (b, a) };
    doc.slice(CharRange::new(outer.start, inner.start))
        .is_some_and(is_clitic_prefix)
}

/// How many of the B spans open at an A span's start (the latest started) are looked at; all
/// of them in any ordinary document.
const WINDOW: usize = 1024;

/// How many overlapping B spans each A span keeps as candidates, of its own label and of
/// others, by overlap and by nearness. Pairing is exact unless a span overlaps more of the
/// other set's spans than this (or than [`WINDOW`]); the bounds keep time and memory linear
/// when thousands of spans overlap each other.
const CANDIDATES: usize = 16;

/// The (A index, B index) pairs of spans that share at least one character: for each A span
/// its [`CANDIDATES`] best of the same label and of other labels.
fn overlapping_pairs(a: &[Span], b: &[Span]) -> Vec<(usize, usize)> {
    let by_start = |spans: &[Span]| {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i].start);
        order
    };
    let (a_order, b_order) = (by_start(a), by_start(b));
    let mut pairs = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut compacted = 0;
    let mut next = 0;
    for &i in &a_order {
        let x = &a[i];
        while next < b_order.len() && b[b_order[next]].start < x.end {
            active.push(b_order[next]);
            next += 1;
        }
        // Later A spans start no earlier, so a B span ending before this one is done. Done
        // ones are dropped whenever the list has doubled, not on every span: when thousands
        // of spans overlap, rewriting the list for each would be the quadratic part.
        if active.len() > 2 * compacted + 64 {
            active.retain(|&j| b[j].end > x.start);
            compacted = active.len();
        }
        // Per label class, the best by overlap and the best by nearness of the boundaries
        // (the span most like this one), so that in a pile of nested spans each still sees
        // its own partner. Only the B spans that started last are looked at when a great many
        // are open at once.
        let mut best: [Best; 4] = Default::default();
        for &j in &active[active.len().saturating_sub(WINDOW)..] {
            let y = &b[j];
            let o = overlap(x, y);
            if o > 0 {
                let distance = x.start.abs_diff(y.start) + x.end.abs_diff(y.end);
                let class = if y.label == x.label { 0 } else { 2 };
                best[class].offer(o, Reverse(distance), j);
                best[class + 1].offer(usize::MAX - distance, Reverse(usize::MAX - o), j);
            }
        }
        let mut mine: Vec<usize> = best
            .into_iter()
            .flat_map(|kept| kept.0.into_iter().map(|Reverse((_, _, Reverse(j)))| j))
            .collect();
        mine.sort_unstable();
        mine.dedup();
        pairs.extend(mine.into_iter().map(|j| (i, j)));
    }
    pairs
}

/// A candidate's rank (larger is better), and the B span.
type Rank = (usize, Reverse<usize>, Reverse<usize>);

/// The [`CANDIDATES`] best-ranked B spans seen, as a heap whose top is the worst kept: most
/// offers are one comparison.
#[derive(Default)]
struct Best(BinaryHeap<Reverse<Rank>>);

impl Best {
    /// Offers B span `j` ranked by `first`, then `second` (both larger-is-better).
    fn offer(&mut self, first: usize, second: Reverse<usize>, j: usize) {
        let item = Reverse((first, second, Reverse(j)));
        if self.0.len() < CANDIDATES {
            self.0.push(item);
        } else if self.0.peek().is_some_and(|worst| item < *worst) {
            self.0.pop();
            self.0.push(item);
        }
    }
}

/// Pairs the spans of A and B and types each pair; pairs come in text order.
pub fn align(doc: &Document, a: &AnnotationSet, b: &AnnotationSet) -> Vec<Pair> {
    let mut a_used = vec![false; a.spans.len()];
    let mut b_used = vec![false; b.spans.len()];
    let mut out = Vec::new();
    // Each pass pairs what its test allows, best pairs first.
    type Test = fn(&Document, &Span, &Span) -> Option<DiffKind>;
    let passes: [Test; 4] = [
        |_, x, y| {
            (x.range() == y.range() && x.label == y.label).then(|| {
                // Attributes only one of them gives are no disagreement (a model that gives
                // none agrees with a coder's span); two values for one attribute are.
                let differ = x
                    .attrs
                    .iter()
                    .any(|(k, v)| y.attrs.get(k).is_some_and(|w| w != v));
                if differ {
                    DiffKind::AttributeMismatch
                } else {
                    DiffKind::Match
                }
            })
        },
        |_, x, y| (x.range() == y.range()).then_some(DiffKind::LabelMismatch),
        |t, x, y| {
            (x.label == y.label && overlap(x, y) > 0).then(|| {
                if clitic_only(t, x, y) {
                    DiffKind::CliticBoundary
                } else {
                    DiffKind::Boundary
                }
            })
        },
        |_, x, y| (overlap(x, y) > 0).then_some(DiffKind::LabelMismatch),
    ];
    // Every pass needs the two spans to overlap: find those pairs once, by a sweep over both
    // sets in text order, instead of trying every pair in every pass.
    let pairs = overlapping_pairs(&a.spans, &b.spans);
    for test in passes {
        let mut candidates: Vec<(usize, usize, usize, DiffKind)> = Vec::new();
        for &(i, j) in pairs.iter().filter(|&&(i, j)| !a_used[i] && !b_used[j]) {
            let (x, y) = (&a.spans[i], &b.spans[j]);
            if let Some(kind) = test(doc, x, y) {
                candidates.push((overlap(x, y), i, j, kind));
            }
        }
        candidates.sort_by_key(|&(o, i, j, _)| (std::cmp::Reverse(o), i, j));
        for (_, i, j, kind) in candidates {
            if !a_used[i] && !b_used[j] {
                a_used[i] = true;
                b_used[j] = true;
                out.push(Pair {
                    kind,
                    a: Some(i),
                    b: Some(j),
                });
            }
        }
    }
    out.extend((0..a.spans.len()).filter(|&i| !a_used[i]).map(|i| Pair {
        kind: DiffKind::Missing,
        a: Some(i),
        b: None,
    }));
    out.extend((0..b.spans.len()).filter(|&j| !b_used[j]).map(|j| Pair {
        kind: DiffKind::Spurious,
        a: None,
        b: Some(j),
    }));
    out.sort_by_key(|p| (p.resolve(a, b).start(), p.kind));
    out
}

/// The typed differences of B against A, in text order (an alignment, resolved).
pub fn differences<'s>(
    doc: &Document,
    a: &'s AnnotationSet,
    b: &'s AnnotationSet,
) -> Vec<Difference<'s>> {
    align(doc, a, b).iter().map(|p| p.resolve(a, b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::sets;

    fn kinds(a: &str, b: &str) -> Vec<(DiffKind, String, String)> {
        let (doc, a, b) = sets(a, b);
        differences(&doc, &a, &b)
            .into_iter()
            .map(|d| {
                let show = |s: Option<&Span>| {
                    s.map_or(String::new(), |s| format!("{}|{}", s.label, s.text))
                };
                (d.kind, show(d.a), show(d.b))
            })
            .collect()
    }

    #[test]
    fn every_kind_of_difference() {
        let got = kinds(
            "[ACTOR|الجيش] قصف [PLACE|بسيكاسو] و[ACTOR|جماعة نصرة الإسلام] في [PLACE|كايس] أمس [CASUALTY|قتيلين]",
            "[ACTOR|الجيش] قصف ب[PLACE|سيكاسو] و[ACTOR|جماعة نصرة] الإسلام في [ACTOR|كايس] [CLAIM|أمس] قتيلين",
        );
        use DiffKind::*;
        let d = |k, a: &str, b: &str| (k, a.to_owned(), b.to_owned());
        assert_eq!(
            got,
            [
                d(Match, "ACTOR|الجيش", "ACTOR|الجيش"),
                d(CliticBoundary, "PLACE|بسيكاسو", "PLACE|سيكاسو"),
                d(Boundary, "ACTOR|جماعة نصرة الإسلام", "ACTOR|جماعة نصرة"),
                d(LabelMismatch, "PLACE|كايس", "ACTOR|كايس"),
                d(Spurious, "", "CLAIM|أمس"),
                d(Missing, "CASUALTY|قتيلين", ""),
            ]
        );
    }

    #[test]
    fn two_values_of_an_attribute_are_a_difference_one_value_is_not() {
        let got = kinds(
            "[CASUALTY value=27|27 جنديا] و[ACTOR kind=REBEL|الجماعة]",
            "[CASUALTY value=7|27 جنديا] و[ACTOR|الجماعة]",
        );
        assert_eq!(got[0].0, DiffKind::AttributeMismatch);
        assert_eq!(
            got[1].0,
            DiffKind::Match,
            "B gives no kind: no disagreement"
        );
        let (doc, a, b) = sets(
            "[CASUALTY value=27|27 جنديا] قتلى",
            "[CASUALTY value=7|27 جنديا] قتلى",
        );
        let d = differences(&doc, &a, &b);
        assert_eq!(
            d[0].attribute_changes(),
            [("value", "27".to_owned(), "7".to_owned())]
        );
        // Still an exact match of the span for the figures.
        let agr = crate::review::agreement(&doc, &a, &b);
        assert_eq!(agr.overall.exact, 1);
    }

    #[test]
    fn the_article_and_two_proclitics_are_clitics_but_a_word_is_not() {
        use DiffKind::*;
        let first = |a: &str, b: &str| kinds(a, b)[0].0;
        assert_eq!(
            first("[PLACE|والمدينة]", "وال[PLACE|مدينة]"),
            CliticBoundary
        );
        assert_eq!(first("[PLACE|المدينة]", "ال[PLACE|مدينة]"), CliticBoundary);
        assert_eq!(
            first("[PLACE|مدينة سيكاسو]", "مدينة [PLACE|سيكاسو]"),
            Boundary
        );
        assert_eq!(first("[PLACE|سيكاسو] أمس", "[PLACE|سيكاسو أمس]"), Boundary);
    }

    #[test]
    fn overlapping_spans_pair_by_largest_overlap() {
        // A nests a PLACE inside an ACTOR; B has only the outer ACTOR and the inner PLACE cut.
        let got = kinds(
            "[ACTOR|حامية [PLACE|تمبكتو]] صمدت",
            "[ACTOR|حامية تمبكتو] صمدت",
        );
        assert_eq!(got[0].0, DiffKind::Match);
        assert_eq!(
            got[1],
            (DiffKind::Missing, "PLACE|تمبكتو".into(), String::new())
        );
    }

    #[test]
    fn many_spans_overlapping_each_other_still_pair_one_to_one() {
        let words: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let doc = crate::model::Document::new(Default::default(), text.clone());
        let len = doc.char_len();
        let set = |id: &str, shift: usize| {
            let mut s = AnnotationSet::human(id);
            s.spans = (0..50)
                .map(|i| {
                    let (start, end) = (i + shift, len - i);
                    Span {
                        id: format!("{id}{i}"),
                        start,
                        end,
                        label: "ACTOR".into(),
                        text: doc
                            .slice(CharRange::new(start, end))
                            .unwrap_or_default()
                            .into(),
                        attrs: Default::default(),
                        note: None,
                        confidence: None,
                    }
                })
                .collect();
            s
        };
        let (a, b) = (set("a", 0), set("b", 1));
        let pairs = align(&doc, &a, &b);
        assert_eq!(pairs.len(), 50, "every A span has a partner");
        assert!(pairs.iter().all(|p| p.a.is_some() && p.b.is_some()));
        let mut used: Vec<usize> = pairs.iter().filter_map(|p| p.b).collect();
        used.sort_unstable();
        used.dedup();
        assert_eq!(used.len(), 50, "each B span once");
    }
}
