//! Two annotation sets of one document compared: typed differences (what a reviewer decides
//! on) and agreement figures (what a project reports), B measured against A.
//!
//! Pairing, in this order, each span used once: same range and label (**match**); same range,
//! other label (**label mismatch**); overlapping with the same label (**clitic boundary** when
//! they differ only by a leading proclitic و ف ب ل ك and/or the article ال, otherwise
//! **boundary**; the largest overlap pairs first); overlapping with another label and another
//! range (**label mismatch**). What is left is **missing** (A only) or **spurious** (B only).
//!
//! Figures, per label and overall: exact P/R/F1 (matches), overlap P/R/F1 (matches and
//! boundary differences: same label, overlapping), and Cohen's κ on characters (for each
//! label, each character is "covered by this label" or not, in A and in B; the overall κ
//! pools the (character, label) decisions). Empty denominators are defined, never NaN:
//! precision is 1 when B has no span (no false positive), recall is 1 when A has none
//! (nothing to miss), F1 is 0 when P + R = 0, and κ is 1 when both sets make the same
//! decision on every character (chance agreement 1 with observed agreement 1).
//! Krippendorff's αu is not computed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::annotation::{AnnotationSet, Span};

/// The kind of a difference between A and B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Match,
    LabelMismatch,
    Boundary,
    CliticBoundary,
    /// In A only.
    Missing,
    /// In B only.
    Spurious,
}

impl DiffKind {
    pub const ALL: [DiffKind; 6] = [
        DiffKind::Match,
        DiffKind::LabelMismatch,
        DiffKind::Boundary,
        DiffKind::CliticBoundary,
        DiffKind::Missing,
        DiffKind::Spurious,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DiffKind::Match => "match",
            DiffKind::LabelMismatch => "label mismatch",
            DiffKind::Boundary => "boundary mismatch",
            DiffKind::CliticBoundary => "clitic-only boundary",
            DiffKind::Missing => "missing (A only)",
            DiffKind::Spurious => "spurious (B only)",
        }
    }
}

/// One paired (or unpaired) span of A and B.
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

    /// The label it is counted under: A's, else B's.
    pub fn label(&self) -> &str {
        self.a.or(self.b).map_or("", |s| s.label.as_str())
    }
}

fn overlap(a: &Span, b: &Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// True when the two ranges end together and the longer one only adds, at its start, one or
/// two proclitics (و ف ب ل ك) and/or the article ال.
fn clitic_only(text: &[char], a: &Span, b: &Span) -> bool {
    if a.end != b.end || a.start == b.start {
        return false;
    }
    let (outer, inner) = if a.start < b.start { (a, b) } else { (b, a) };
    let Some(prefix) = text.get(outer.start..inner.start) else {
        return false;
    };
    let letters = prefix.iter().take_while(|c| "وفبلك".contains(**c)).count();
    let rest = &prefix[letters..];
    letters <= 2 && (rest.is_empty() || rest == ['ا', 'ل'])
}

/// Pairs the spans of A and B and types each pair. `text` is the document's text (for the
/// clitic rule). Differences come in text order.
pub fn differences<'a>(
    text: &str,
    a: &'a AnnotationSet,
    b: &'a AnnotationSet,
) -> Vec<Difference<'a>> {
    let chars: Vec<char> = text.chars().collect();
    let mut a_used = vec![false; a.spans.len()];
    let mut b_used = vec![false; b.spans.len()];
    let mut out = Vec::new();
    // Each pass pairs what its test allows, best pairs first.
    type Test = fn(&[char], &Span, &Span) -> Option<DiffKind>;
    let passes: [Test; 4] = [
        |_, x, y| (x.range() == y.range() && x.label == y.label).then_some(DiffKind::Match),
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
    for test in passes {
        let mut candidates: Vec<(usize, usize, usize, DiffKind)> = Vec::new();
        for (i, x) in a.spans.iter().enumerate().filter(|(i, _)| !a_used[*i]) {
            for (j, y) in b.spans.iter().enumerate().filter(|(j, _)| !b_used[*j]) {
                if let Some(kind) = test(&chars, x, y) {
                    candidates.push((overlap(x, y), i, j, kind));
                }
            }
        }
        candidates.sort_by_key(|&(o, i, j, _)| (std::cmp::Reverse(o), i, j));
        for (_, i, j, kind) in candidates {
            if !a_used[i] && !b_used[j] {
                a_used[i] = true;
                b_used[j] = true;
                out.push(Difference {
                    kind,
                    a: Some(&a.spans[i]),
                    b: Some(&b.spans[j]),
                });
            }
        }
    }
    out.extend(
        a.spans
            .iter()
            .zip(&a_used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| Difference {
                kind: DiffKind::Missing,
                a: Some(s),
                b: None,
            }),
    );
    out.extend(
        b.spans
            .iter()
            .zip(&b_used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| Difference {
                kind: DiffKind::Spurious,
                a: None,
                b: Some(s),
            }),
    );
    out.sort_by_key(|d| (d.start(), d.kind));
    out
}

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
    fn add(&mut self, o: &Counts) {
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

/// Agreement of B with A on one document of `len` characters.
pub fn agreement(text: &str, a: &AnnotationSet, b: &AnnotationSet) -> Agreement {
    let len = text.chars().count();
    let mut out = Agreement::default();
    let labels: std::collections::BTreeSet<&str> = a
        .spans
        .iter()
        .chain(&b.spans)
        .map(|s| s.label.as_str())
        .collect();
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
    for d in differences(text, a, b) {
        let (Some(x), Some(y)) = (d.a, d.b) else {
            continue;
        };
        if x.label != y.label {
            continue;
        }
        if let Some(c) = out.labels.get_mut(&x.label) {
            c.overlap += 1;
            c.exact += usize::from(d.kind == DiffKind::Match);
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
    use crate::model::notation;

    /// Two sets over the same text, each written in span notation.
    fn sets(a: &str, b: &str) -> (String, AnnotationSet, AnnotationSet) {
        let da = notation::parse(a).expect("A").to_document("t", "a");
        let db = notation::parse(b).expect("B").to_document("t", "b");
        assert_eq!(da.document.text(), db.document.text(), "same text");
        let text = da.document.text().to_owned();
        (text, da.sets[0].clone(), db.sets[0].clone())
    }

    fn kinds(a: &str, b: &str) -> Vec<(DiffKind, String, String)> {
        let (text, a, b) = sets(a, b);
        differences(&text, &a, &b)
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
    fn figures_by_hand() {
        // A: ACTOR الجيش, PLACE بسيكاسو, ACTOR جماعة نصرة الإسلام (3 spans).
        // B: ACTOR الجيش (exact), PLACE سيكاسو (overlap), ACTOR جماعة (overlap), CLAIM أمس.
        let (text, a, b) = sets(
            "[ACTOR|الجيش] قصف [PLACE|بسيكاسو] و[ACTOR|جماعة نصرة الإسلام] أمس",
            "[ACTOR|الجيش] قصف ب[PLACE|سيكاسو] و[ACTOR|جماعة] نصرة الإسلام [CLAIM|أمس]",
        );
        let agr = agreement(&text, &a, &b);
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
        let n = text.chars().count();
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
    fn identical_and_empty_sets_give_defined_figures() {
        let (text, a, b) = sets(
            "[ACTOR|الجيش] في [PLACE|مالي]",
            "[ACTOR|الجيش] في [PLACE|مالي]",
        );
        let f = agreement(&text, &a, &b).overall.figures();
        assert_eq!((f.exact.f1, f.overlap.f1, f.kappa), (1.0, 1.0, 1.0));
        let (text, a, b) = sets("الجيش في مالي", "الجيش في مالي");
        let f = agreement(&text, &a, &b).overall.figures();
        assert_eq!(
            (f.exact.precision, f.exact.recall, f.exact.f1, f.kappa),
            (1.0, 1.0, 1.0, 1.0)
        );
        // A has spans, B none: P 1, R 0, F1 0 — no NaN anywhere.
        let (text, a, b) = sets("[ACTOR|الجيش] في مالي", "الجيش في مالي");
        let f = agreement(&text, &a, &b).overall.figures();
        assert_eq!(
            (f.exact.precision, f.exact.recall, f.exact.f1),
            (1.0, 0.0, 0.0)
        );
        assert!(f.kappa.abs() < 1e-12);
        assert!(!f.kappa.is_nan());
    }
}
