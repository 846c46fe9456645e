//! Agreement figures of B against A, per label and overall: what a project reports.
//!
//! Exact P/R/F1 (matches), overlap P/R/F1 (matches and boundary differences: same label,
//! overlapping), and Cohen's κ on characters (for each label, each character is "covered by
//! this label" or not, in A and in B; the overall κ pools the (character, label) decisions).
//! Empty denominators are defined, never NaN: precision is 1 when B has no span (no false
//! positive), recall is 1 when A has none (nothing to miss), F1 is 0 when P + R = 0, and κ is 1
//! when both sets make the same decision on every character (chance agreement 1 with observed
//! agreement 1).

use std::collections::BTreeMap;

use serde::Serialize;

use super::align::{DiffKind, Pair, align};
use crate::model::{AnnotationSet, Document};

/// Counts behind the figures of one label (or of all labels), additive over documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Spans in A and in B.
    pub a: usize,
    pub b: usize,
    /// Pairs with the same range and label.
    pub exact: usize,
    /// Pairs with the same label that overlap (exact ones included).
    pub overlap: usize,
    /// Character decisions: both say yes, only A, only B, both say no.
    pub chars_both: usize,
    pub chars_a: usize,
    pub chars_b: usize,
    pub chars_none: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.a += o.a;
        self.b += o.b;
        self.exact += o.exact;
        self.overlap += o.overlap;
        self.chars_both += o.chars_both;
        self.chars_a += o.chars_a;
        self.chars_b += o.chars_b;
        self.chars_none += o.chars_none;
    }

    pub fn figures(&self) -> Figures {
        let prf = |tp: usize| {
            let p = if self.b == 0 {
                1.0
            } else {
                tp as f64 / self.b as f64
            };
            let r = if self.a == 0 {
                1.0
            } else {
                tp as f64 / self.a as f64
            };
            let f = if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            };
            Prf {
                precision: p,
                recall: r,
                f1: f,
            }
        };
        Figures {
            exact: prf(self.exact),
            overlap: prf(self.overlap),
            kappa: self.kappa(),
        }
    }

    /// Cohen's κ over the character decisions (1 when chance agreement is 1 and observed
    /// agreement too).
    fn kappa(&self) -> f64 {
        let n = (self.chars_both + self.chars_a + self.chars_b + self.chars_none) as f64;
        if n == 0.0 {
            return 1.0;
        }
        let po = (self.chars_both + self.chars_none) as f64 / n;
        let pa = (self.chars_both + self.chars_a) as f64 / n;
        let pb = (self.chars_both + self.chars_b) as f64 / n;
        let pe = pa * pb + (1.0 - pa) * (1.0 - pb);
        if pe >= 1.0 {
            return if po >= 1.0 { 1.0 } else { 0.0 };
        }
        (po - pe) / (1.0 - pe)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Figures {
    pub exact: Prf,
    pub overlap: Prf,
    pub kappa: f64,
}

/// The counts of one document (or a corpus, added up): per label and overall.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Agreement {
    pub labels: BTreeMap<String, Counts>,
    pub overall: Counts,
}

impl Agreement {
    /// Adds another document's counts (micro-averaging over a corpus).
    pub fn add(&mut self, other: &Agreement) {
        for (label, c) in &other.labels {
            self.labels.entry(label.clone()).or_default().add(c);
        }
        self.overall.add(&other.overall);
    }
}

/// A's label × B's label over the span pairs of an alignment: `cells[i][j]` pairs of A label
/// `labels[i]` with B label `labels[j]`; the last label is "none" (a span only one set has).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub cells: Vec<Vec<usize>>,
}

/// The row and column of a span only one set has.
pub const NONE: &str = "none";

impl Confusion {
    pub fn of(a: &AnnotationSet, b: &AnnotationSet, pairs: &[Pair]) -> Self {
        let mut labels: Vec<String> = super::labels_of(a, b)
            .into_iter()
            .map(str::to_owned)
            .collect();
        labels.push(NONE.to_owned());
        let n = labels.len();
        let at = |label: Option<&str>| {
            label
                .and_then(|l| labels.iter().position(|x| x == l))
                .unwrap_or(n - 1)
        };
        let mut cells = vec![vec![0; n]; n];
        for d in pairs.iter().map(|p| p.resolve(a, b)) {
            let (i, j) = (
                at(d.a.map(|s| s.label.as_str())),
                at(d.b.map(|s| s.label.as_str())),
            );
            cells[i][j] += 1;
        }
        Self { labels, cells }
    }

    /// How many pairs have A label `a` and B label `b`.
    pub fn get(&self, a: &str, b: &str) -> usize {
        let i = self.labels.iter().position(|x| x == a);
        let j = self.labels.iter().position(|x| x == b);
        i.zip(j).map_or(0, |(i, j)| self.cells[i][j])
    }
}

/// Agreement of B with A on one document.
pub fn agreement(doc: &Document, a: &AnnotationSet, b: &AnnotationSet) -> Agreement {
    of_alignment(doc.char_len(), a, b, &align(doc, a, b))
}

/// Agreement of B with A on a document of `len` characters, from their alignment.
pub fn of_alignment(len: usize, a: &AnnotationSet, b: &AnnotationSet, pairs: &[Pair]) -> Agreement {
    let mut out = Agreement::default();
    let labels = super::labels_of(a, b);
    for label in &labels {
        out.labels.insert((*label).to_owned(), Counts::default());
    }
    for s in &a.spans {
        if let Some(c) = out.labels.get_mut(&s.label) {
            c.a += 1;
        }
    }
    for s in &b.spans {
        if let Some(c) = out.labels.get_mut(&s.label) {
            c.b += 1;
        }
    }
    for d in pairs.iter().map(|p| p.resolve(a, b)) {
        let (Some(x), Some(y)) = (d.a, d.b) else {
            continue;
        };
        if x.label != y.label {
            continue;
        }
        if let Some(c) = out.labels.get_mut(&x.label) {
            c.overlap += 1;
            // Same range and label: exact, whatever the attributes say.
            c.exact += usize::from(matches!(
                d.kind,
                DiffKind::Match | DiffKind::AttributeMismatch
            ));
        }
    }
    // Characters: per label, covered or not, in A and in B (coverage as a difference array).
    for label in &labels {
        let cover = |set: &AnnotationSet| {
            let mut delta = vec![0i32; len + 1];
            for s in set.spans.iter().filter(|s| s.label == *label) {
                if s.start < s.end && s.end <= len {
                    delta[s.start] += 1;
                    delta[s.end] -= 1;
                }
            }
            let mut on = 0;
            delta
                .iter()
                .take(len)
                .map(|d| {
                    on += d;
                    on > 0
                })
                .collect::<Vec<bool>>()
        };
        let (ca, cb) = (cover(a), cover(b));
        let c = out.labels.entry((*label).to_owned()).or_default();
        for (x, y) in ca.iter().zip(&cb) {
            match (x, y) {
                (true, true) => c.chars_both += 1,
                (true, false) => c.chars_a += 1,
                (false, true) => c.chars_b += 1,
                (false, false) => c.chars_none += 1,
            }
        }
    }
    let mut overall = Counts::default();
    for c in out.labels.values() {
        overall.add(c);
    }
    out.overall = overall;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::sets;

    #[test]
    fn figures_by_hand() {
        // A: ACTOR الجيش, PLACE بسيكاسو, ACTOR جماعة نصرة الإسلام (3 spans).
        // B: ACTOR الجيش (exact), PLACE سيكاسو (overlap), ACTOR جماعة (overlap), CLAIM أمس.
        let (doc, a, b) = sets(
            "[ACTOR|الجيش] قصف [PLACE|بسيكاسو] و[ACTOR|جماعة نصرة الإسلام] أمس",
            "[ACTOR|الجيش] قصف ب[PLACE|سيكاسو] و[ACTOR|جماعة] نصرة الإسلام [CLAIM|أمس]",
        );
        let agr = agreement(&doc, &a, &b);
        let f = agr.overall.figures();
        // exact: 1 of 4 in B, 1 of 3 in A.
        assert_eq!(
            (
                agr.overall.a,
                agr.overall.b,
                agr.overall.exact,
                agr.overall.overlap
            ),
            (3, 4, 1, 3)
        );
        assert!((f.exact.precision - 0.25).abs() < 1e-12);
        assert!((f.exact.recall - 1.0 / 3.0).abs() < 1e-12);
        assert!((f.exact.f1 - 2.0 * 0.25 * (1.0 / 3.0) / (0.25 + 1.0 / 3.0)).abs() < 1e-12);
        // overlap: 3 of 4, 3 of 3.
        assert!((f.overlap.precision - 0.75).abs() < 1e-12);
        assert!((f.overlap.recall - 1.0).abs() < 1e-12);
        // PLACE characters: text has 41 characters; A covers 7 (بسيكاسو), B 6 (سيكاسو).
        let place = &agr.labels["PLACE"];
        let n = doc.char_len();
        assert_eq!(n, 41);
        assert_eq!((place.chars_both, place.chars_a, place.chars_b), (6, 1, 0));
        let po = (6.0 + 34.0) / 41.0;
        let (pa, pb) = (7.0 / 41.0, 6.0 / 41.0);
        let pe = pa * pb + (1.0 - pa) * (1.0 - pb);
        assert!((place.figures().kappa - (po - pe) / (1.0 - pe)).abs() < 1e-12);
        // CLAIM is B's only: precision 0, recall 1 (A has none to miss), κ 0 (all 3 chars B's).
        let claim = agr.labels["CLAIM"].figures();
        assert_eq!((claim.exact.precision, claim.exact.recall), (0.0, 1.0));
        assert!(claim.kappa.abs() < 1e-12);
    }

    #[test]
    fn the_confusion_matrix_counts_label_pairs_with_none_for_a_lone_span() {
        let (doc, a, b) = sets(
            "[ACTOR|الجيش] قصف [PLACE|مالي] و[PLACE|النيجر] [CLAIM|أمس]",
            "[ACTOR|الجيش] قصف [ACTOR|مالي] و[PLACE|النيجر] أمس",
        );
        let pairs = align(&doc, &a, &b);
        let c = Confusion::of(&a, &b, &pairs);
        assert_eq!(c.labels, ["ACTOR", "CLAIM", "PLACE", "none"]);
        assert_eq!(c.get("ACTOR", "ACTOR"), 1);
        assert_eq!(c.get("PLACE", "ACTOR"), 1, "مالي: PLACE for A, ACTOR for B");
        assert_eq!(c.get("PLACE", "PLACE"), 1);
        assert_eq!(c.get("CLAIM", "none"), 1, "أمس: A only");
        let total: usize = c.cells.iter().flatten().sum();
        assert_eq!(total, 4);
    }

    #[test]
    fn identical_and_empty_sets_give_defined_figures() {
        let (doc, a, b) = sets(
            "[ACTOR|الجيش] في [PLACE|مالي]",
            "[ACTOR|الجيش] في [PLACE|مالي]",
        );
        let f = agreement(&doc, &a, &b).overall.figures();
        assert_eq!((f.exact.f1, f.overlap.f1, f.kappa), (1.0, 1.0, 1.0));
        let (doc, a, b) = sets("الجيش في مالي", "الجيش في مالي");
        let f = agreement(&doc, &a, &b).overall.figures();
        assert_eq!(
            (f.exact.precision, f.exact.recall, f.exact.f1, f.kappa),
            (1.0, 1.0, 1.0, 1.0)
        );
        // A has spans, B none: P 1, R 0, F1 0 — no NaN anywhere.
        let (doc, a, b) = sets("[ACTOR|الجيش] في مالي", "الجيش في مالي");
        let f = agreement(&doc, &a, &b).overall.figures();
        assert_eq!(
            (f.exact.precision, f.exact.recall, f.exact.f1),
            (1.0, 0.0, 0.0)
        );
        assert!(f.kappa.abs() < 1e-12);
        assert!(!f.kappa.is_nan());
    }
}
