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
//!
//! Krippendorff's αu (Krippendorff 2004, "Measuring the reliability of qualitative text
//! analysis data"), computed as DKPro Statistics computes it, for the two sets as two coders of
//! one continuum (the text): see [`alpha_u`].

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

/// The (A index, B index) pairs of spans that share at least one character.
fn overlapping_pairs(a: &[Span], b: &[Span]) -> Vec<(usize, usize)> {
    let by_start = |spans: &[Span]| {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i].start);
        order
    };
    let (a_order, b_order) = (by_start(a), by_start(b));
    let mut pairs = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0;
    for &i in &a_order {
        let x = &a[i];
        while next < b_order.len() && b[b_order[next]].start < x.end {
            active.push(b_order[next]);
            next += 1;
        }
        // Later A spans start no earlier, so a B span ending before this one is done.
        active.retain(|&j| b[j].end > x.start);
        pairs.extend(
            active
                .iter()
                .filter(|&&j| overlap(x, &b[j]) > 0)
                .map(|&j| (i, j)),
        );
    }
    pairs
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
    // Every pass needs the two spans to overlap: find those pairs once, by a sweep over both
    // sets in text order, instead of trying every pair in every pass.
    let pairs = overlapping_pairs(&a.spans, &b.spans);
    for test in passes {
        let mut candidates: Vec<(usize, usize, usize, DiffKind)> = Vec::new();
        for &(i, j) in pairs.iter().filter(|&&(i, j)| !a_used[i] && !b_used[j]) {
            let (x, y) = (&a.spans[i], &b.spans[j]);
            if let Some(kind) = test(&chars, x, y) {
                candidates.push((overlap(x, y), i, j, kind));
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

/// Krippendorff's αu per label and over all labels, for two sets of one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AlphaU {
    pub labels: BTreeMap<String, f64>,
    pub overall: f64,
}

/// Observed and expected disagreement of one category, as exact fractions
/// (`do_num / do_den`, `de_num / de_den`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Disagreement {
    do_num: i128,
    do_den: i128,
    de_num: i128,
    de_den: i128,
}

impl Disagreement {
    fn observed(&self) -> f64 {
        self.do_num as f64 / self.do_den as f64
    }

    fn expected(&self) -> f64 {
        if self.de_den == 0 {
            0.0
        } else {
            self.de_num as f64 / self.de_den as f64
        }
    }

    /// 1 − D_o / D_e; 0 when they are equal (no information), as DKPro defines it.
    fn alpha(&self) -> f64 {
        if self.do_num * self.de_den == self.de_num * self.do_den {
            return 0.0;
        }
        1.0 - self.observed() / self.expected()
    }
}

/// One coder's sections of the continuum `[0, len)` for a category: units (its spans, where
/// overlapping ones are merged) and the gaps of positive length between them.
/// Half-open stretches of the continuum, `(begin, end)`.
type Stretches = Vec<(i128, i128)>;

fn sections(len: usize, spans: &[(usize, usize)]) -> (Stretches, Stretches) {
    let mut sorted: Vec<(usize, usize)> = spans.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    let mut units: Vec<(usize, usize)> = Vec::new();
    for (s, e) in sorted {
        match units.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => units.push((s, e)),
        }
    }
    let mut gaps = Vec::new();
    let mut at = 0;
    for &(s, e) in &units {
        if s > at {
            gaps.push((at as i128, s as i128));
        }
        at = at.max(e);
    }
    if len > at {
        gaps.push((at as i128, len as i128));
    }
    let units = units
        .into_iter()
        .map(|(s, e)| (s as i128, e as i128))
        .collect();
    (units, gaps)
}

/// D_o and D_e of one category for two coders over `len` characters.
fn disagreement(len: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> Disagreement {
    let l = len as i128;
    let (ua, ga) = sections(len, a);
    let (ub, gb) = sections(len, b);
    // δ² over the pairs of sections: overlapping units by their ends, a unit lying inside the
    // other coder's gap by its length; everything else 0. Two coders: Σ δ² / L².
    let mut observed: i128 = 0;
    for &(b1, e1) in &ua {
        for &(b2, e2) in &ub {
            if b1.max(b2) < e1.min(e2) {
                observed += (b1 - b2).pow(2) + (e1 - e2).pow(2);
            }
        }
    }
    for (units, gaps) in [(&ua, &gb), (&ub, &ga)] {
        for &(s, e) in units.iter() {
            if gaps.iter().any(|&(gs, ge)| gs <= s && e <= ge) {
                observed += (e - s).pow(2);
            }
        }
    }
    // Expected: (2/L) Σ_u [(N−1)(2l³−3l²+l)/3 + l² Σ_{gaps g ≥ l} (g−l+1)] over
    // (R·L(R·L−1) − Σ_u l(l−1)), with every coder's units and gaps.
    let lengths: Vec<i128> = ua.iter().chain(&ub).map(|(s, e)| e - s).collect();
    let gap_lengths: Vec<i128> = ga.iter().chain(&gb).map(|(s, e)| e - s).collect();
    let n = lengths.len() as i128;
    let mut sum3: i128 = 0; // Σ (N−1)(2l³−3l²+l), divided by 3 at the end (always divisible)
    let mut sum_gaps: i128 = 0;
    for &u in &lengths {
        sum3 += (n - 1) * (2 * u.pow(3) - 3 * u.pow(2) + u);
        sum_gaps += u.pow(2)
            * gap_lengths
                .iter()
                .filter(|&&g| g >= u)
                .map(|&g| g - u + 1)
                .sum::<i128>();
    }
    let inner = sum3 / 3 + sum_gaps;
    let rl = 2 * l;
    let den = rl * (rl - 1) - lengths.iter().map(|u| u * (u - 1)).sum::<i128>();
    Disagreement {
        do_num: observed,
        do_den: (l * l).max(1),
        de_num: 2 * inner,
        de_den: l * den,
    }
}

/// Krippendorff's αu of B with A, per label and overall, over the text's `len` characters.
/// Per label it is 1 − D_o/D_e (0 when D_o = D_e); overall 1 − ΣD_o/ΣD_e over the labels,
/// 1 when neither set has a span (they agree that nothing is there).
pub fn alpha_u(len: usize, a: &AnnotationSet, b: &AnnotationSet) -> AlphaU {
    let labels: std::collections::BTreeSet<&str> = a
        .spans
        .iter()
        .chain(&b.spans)
        .map(|s| s.label.as_str())
        .collect();
    let ranges = |set: &AnnotationSet, label: &str| -> Vec<(usize, usize)> {
        set.spans
            .iter()
            .filter(|s| s.label == label && s.end <= len)
            .map(|s| (s.start, s.end))
            .collect()
    };
    let mut out = AlphaU::default();
    let (mut total_do, mut total_de) = (0.0, 0.0);
    for label in labels {
        let d = disagreement(len, &ranges(a, label), &ranges(b, label));
        total_do += d.observed();
        total_de += d.expected();
        out.labels.insert(label.to_owned(), d.alpha());
    }
    out.overall = if out.labels.is_empty() || total_de == 0.0 {
        1.0
    } else if total_do == total_de {
        0.0
    } else {
        1.0 - total_do / total_de
    };
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

    /// Krippendorff (2004, p. 254), as in DKPro Statistics' tests: a continuum of 300
    /// characters (shifted to start at 0), two coders, categories c and k.
    #[test]
    fn alpha_u_reproduces_krippendorffs_example() {
        let at = |b: usize, l: usize| (b - 150, b - 150 + l);
        let c_a = [at(225, 70), at(370, 30)];
        let c_b = [at(220, 80), at(355, 20), at(400, 20)];
        let c = disagreement(300, &c_a, &c_b);
        assert!((c.observed() - 13.0 / 900.0).abs() < 1e-12);
        assert!((c.expected() - 69179.0 / 1299825.0).abs() < 1e-12);
        assert!((c.alpha() - 0.7285989968).abs() < 1e-9);
        let k_a = [at(180, 60), at(300, 50)];
        let k = disagreement(300, &k_a, &k_a);
        assert_eq!(k.do_num, 0);
        assert!((k.expected() - 127621.0 / 2605650.0).abs() < 1e-12);
        assert_eq!(k.alpha(), 1.0);
        let overall = 1.0 - (c.observed() + k.observed()) / (c.expected() + k.expected());
        assert!((overall - 0.8586654052).abs() < 1e-9);
    }

    /// DKPro's small example: one long unit against three short ones inside it.
    #[test]
    fn alpha_u_small_example_and_the_sets_api() {
        let d = disagreement(10, &[(1, 9)], &[(2, 3), (4, 5), (6, 7)]);
        assert!((d.observed() - 0.91).abs() < 1e-12);
        assert!((d.expected() - 289.0 / 540.0).abs() < 1e-12);
        assert!((d.alpha() + 0.7003460208).abs() < 1e-9);
        // The same through two annotation sets on a 10-character text.
        let (text, a, b) = sets("a[PLACE|bcdefghi]j", "ab[PLACE|c]d[PLACE|e]f[PLACE|g]hij");
        let alpha = alpha_u(text.chars().count(), &a, &b);
        assert!((alpha.labels["PLACE"] + 0.7003460208).abs() < 1e-9);
        assert!((alpha.overall + 0.7003460208).abs() < 1e-9);
        // Identical sets agree fully; empty sets agree that nothing is there.
        let (text, a, b) = sets(
            "[ACTOR|الجيش] في [PLACE|مالي]",
            "[ACTOR|الجيش] في [PLACE|مالي]",
        );
        let alpha = alpha_u(text.chars().count(), &a, &b);
        assert_eq!((alpha.labels["ACTOR"], alpha.overall), (1.0, 1.0));
        let (text, a, b) = sets("الجيش في مالي", "الجيش في مالي");
        assert_eq!(alpha_u(text.chars().count(), &a, &b).overall, 1.0);
    }
}
