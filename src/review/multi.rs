//! Agreement among any number of sets (coders) of one document or a corpus: the pairwise
//! table (every pair's exact and overlap F1, Cohen's κ and αu), Fleiss' κ on characters and
//! Krippendorff's αu for all of them at once.
//!
//! Fleiss' κ treats each (character, label) as an item that each coder either covers with a
//! span of that label or not, the same decisions Cohen's κ of [`super::metrics`] counts for
//! two; per label over its characters, overall pooled over the labels. Its counts are a
//! histogram (how many characters R, R−1, …, 0 coders cover), so a corpus adds them up.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::alpha::{AlphaU, alpha_u_n};
use super::metrics::{Agreement, Figures};
use crate::model::{AnnotatedDocument, AnnotationSet};

/// For each label: how many characters exactly k of the R coders cover, k = 0..=R.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub labels: BTreeMap<String, Vec<u64>>,
}

impl Coverage {
    /// The coverage histograms of `sets` over a text of `len` characters.
    pub fn of(len: usize, sets: &[&AnnotationSet]) -> Self {
        let labels: BTreeSet<&str> = sets
            .iter()
            .flat_map(|s| s.spans.iter().map(|x| x.label.as_str()))
            .collect();
        let r = sets.len();
        let mut out = Coverage::default();
        for label in labels {
            // How many coders cover each character: per coder, its merged coverage as a
            // difference array, added up.
            let mut coders_on = vec![0u32; len];
            for set in sets {
                let mut delta = vec![0i32; len + 1];
                for s in set.spans.iter().filter(|s| s.label == label) {
                    if s.start < s.end && s.end <= len {
                        delta[s.start] += 1;
                        delta[s.end] -= 1;
                    }
                }
                let mut on = 0;
                for (c, d) in coders_on.iter_mut().zip(&delta) {
                    on += d;
                    *c += u32::from(on > 0);
                }
            }
            let mut histogram = vec![0u64; r + 1];
            for k in coders_on {
                histogram[k as usize] += 1;
            }
            out.labels.insert(label.to_owned(), histogram);
        }
        out
    }

    /// Adds another document's histograms (of as many coders).
    pub fn add(&mut self, other: &Coverage) {
        for (label, h) in &other.labels {
            let mine = self.labels.entry(label.clone()).or_default();
            if mine.len() < h.len() {
                mine.resize(h.len(), 0);
            }
            for (m, x) in mine.iter_mut().zip(h) {
                *m += x;
            }
        }
    }

    /// Fleiss' κ per label and overall (the labels' items pooled).
    pub fn fleiss(&self) -> Fleiss {
        let mut pooled: Vec<u64> = Vec::new();
        let mut labels = BTreeMap::new();
        for (label, h) in &self.labels {
            labels.insert(label.clone(), fleiss_kappa(h));
            if pooled.len() < h.len() {
                pooled.resize(h.len(), 0);
            }
            for (p, x) in pooled.iter_mut().zip(h) {
                *p += x;
            }
        }
        Fleiss {
            overall: fleiss_kappa(&pooled),
            labels,
        }
    }
}

/// Fleiss' κ of binary items (covered or not) from `histogram[k]`, the number of items that
/// k of the R = len − 1 coders say yes to. 1 when all coders make the same decision on every
/// item and chance agreement is 1 too; 1 with no items.
fn fleiss_kappa(histogram: &[u64]) -> f64 {
    let r = histogram.len().saturating_sub(1) as f64;
    let items: u64 = histogram.iter().sum();
    if items == 0 || r < 2.0 {
        return 1.0;
    }
    let n = items as f64;
    let (mut agree, mut yes) = (0.0, 0.0);
    for (k, &count) in histogram.iter().enumerate() {
        let (k, count) = (k as f64, count as f64);
        // Pairs of coders agreeing on one item: k(k−1) saying yes, (R−k)(R−k−1) saying no.
        agree += count * (k * (k - 1.0) + (r - k) * (r - k - 1.0)) / (r * (r - 1.0));
        yes += count * k;
    }
    let p_bar = agree / n;
    let p_yes = yes / (n * r);
    let p_e = p_yes * p_yes + (1.0 - p_yes) * (1.0 - p_yes);
    if p_e >= 1.0 {
        return if p_bar >= 1.0 { 1.0 } else { 0.0 };
    }
    (p_bar - p_e) / (1.0 - p_e)
}

/// Fleiss' κ per label and overall.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Fleiss {
    pub labels: BTreeMap<String, f64>,
    pub overall: f64,
}

/// Two sets' figures in the pairwise table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairRow {
    pub a: String,
    pub b: String,
    pub figures: Figures,
    /// Their αu (the mean over documents for a corpus).
    pub alpha_u: f64,
}

/// Agreement of R sets of one document (or a corpus): pairwise, Fleiss' κ and αu of all.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MultiAgreement {
    pub sets: Vec<String>,
    pub pairwise: Vec<PairRow>,
    pub fleiss: Fleiss,
    pub alpha_u: AlphaU,
}

/// The counts behind a [`MultiAgreement`], additive over documents.
#[derive(Clone, Debug, Default)]
pub struct MultiCounts {
    pub sets: Vec<String>,
    /// Per pair (i < j, in the order of `sets`): the pair's counts, and αu's sum and count of
    /// documents (αu over a corpus is the mean of the documents').
    pairs: Vec<(Agreement, f64, usize)>,
    coverage: Coverage,
    /// αu of all R per document, summed per label and overall, with the document count.
    alpha_sum: BTreeMap<String, f64>,
    alpha_overall: f64,
    documents: usize,
}

impl MultiCounts {
    pub fn new(sets: &[String]) -> Self {
        let r = sets.len();
        Self {
            sets: sets.to_vec(),
            pairs: vec![Default::default(); r * r.saturating_sub(1) / 2],
            ..Self::default()
        }
    }

    /// Adds one document; false (and nothing added) when it lacks one of the sets.
    pub fn add(&mut self, doc: &AnnotatedDocument) -> bool {
        let Some(sets) = self
            .sets
            .iter()
            .map(|id| doc.set(id))
            .collect::<Option<Vec<&AnnotationSet>>>()
        else {
            return false;
        };
        let len = doc.document.char_len();
        let mut k = 0;
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                let pairs = super::align(&doc.document, sets[i], sets[j]);
                let agreement = super::metrics::of_alignment(len, sets[i], sets[j], &pairs);
                let entry = &mut self.pairs[k];
                entry.0.add(&agreement);
                entry.1 += super::alpha_u(len, sets[i], sets[j]).overall;
                entry.2 += 1;
                k += 1;
            }
        }
        self.coverage.add(&Coverage::of(len, &sets));
        let all = alpha_u_n(len, &sets);
        for (label, v) in &all.labels {
            *self.alpha_sum.entry(label.clone()).or_default() += v;
        }
        self.alpha_overall += all.overall;
        self.documents += 1;
        true
    }

    /// How many documents were added.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// The figures.
    pub fn agreement(&self) -> MultiAgreement {
        let mut pairwise = Vec::new();
        let mut k = 0;
        for i in 0..self.sets.len() {
            for j in i + 1..self.sets.len() {
                let (agreement, alpha, n) = &self.pairs[k];
                pairwise.push(PairRow {
                    a: self.sets[i].clone(),
                    b: self.sets[j].clone(),
                    figures: agreement.overall.figures(),
                    alpha_u: if *n == 0 { 1.0 } else { alpha / *n as f64 },
                });
                k += 1;
            }
        }
        let mean = |sum: f64| {
            if self.documents == 0 {
                1.0
            } else {
                sum / self.documents as f64
            }
        };
        MultiAgreement {
            sets: self.sets.clone(),
            pairwise,
            fleiss: self.coverage.fleiss(),
            alpha_u: AlphaU {
                labels: self
                    .alpha_sum
                    .iter()
                    .map(|(l, v)| (l.clone(), mean(*v)))
                    .collect(),
                overall: mean(self.alpha_overall),
            },
        }
    }
}

/// The agreement of the sets `ids` of one document (None when one is missing).
pub fn multi_agreement(doc: &AnnotatedDocument, ids: &[String]) -> Option<MultiAgreement> {
    let mut counts = MultiCounts::new(ids);
    counts.add(doc).then(|| counts.agreement())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    /// Three coders of one text, each in span notation.
    fn three(a: &str, b: &str, c: &str) -> AnnotatedDocument {
        let mut doc = notation::parse(a).expect("a").to_document("t", "a");
        for (id, marked) in [("b", b), ("c", c)] {
            let other = notation::parse(marked).expect(id).to_document("t", id);
            assert_eq!(other.document.text(), doc.document.text());
            doc.sets.push(other.sets[0].clone());
        }
        doc
    }

    #[test]
    fn fleiss_kappa_by_hand_on_three_coders() {
        // Ten characters "abcdefghij"; PLACE over "bcd" (a), "bcd" (b), "cde" (c).
        // Per character, coders covering it: a0 b2 c3 d3 e1 f0 g0 h0 i0 j0.
        // P_i: 1 for k∈{0,3}, 1/3 for k∈{1,2} → P̄ = (8 + 2/3)/10 = 0.8666…
        // p_yes = (2+3+3+1)/30 = 0.3 → P_e = 0.09 + 0.49 = 0.58.
        // κ = (0.86666… − 0.58)/(0.42) = 0.68253968…
        let doc = three(
            "a[PLACE|bcd]efghij",
            "a[PLACE|bcd]efghij",
            "ab[PLACE|cde]fghij",
        );
        let ids = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let m = multi_agreement(&doc, &ids).expect("all three");
        let expected = (26.0 / 30.0 - 0.58) / 0.42;
        assert!((m.fleiss.labels["PLACE"] - expected).abs() < 1e-12, "{m:?}");
        assert!((m.fleiss.overall - expected).abs() < 1e-12);
        // The pairwise table: a–b identical; a–c and b–c share "cd".
        let f1: Vec<(&str, &str, f64)> = m
            .pairwise
            .iter()
            .map(|p| (p.a.as_str(), p.b.as_str(), p.figures.exact.f1))
            .collect();
        assert_eq!(f1, [("a", "b", 1.0), ("a", "c", 0.0), ("b", "c", 0.0)]);
        assert_eq!(m.pairwise[0].alpha_u, 1.0);
        assert_eq!(m.pairwise[1].figures.overlap.f1, 1.0);
    }

    #[test]
    fn alpha_u_of_three_coders_by_hand() {
        // L = 10, one category. Units: a (1,4), b (1,4), c (2,5).
        // D_o: pairs a–b 0; a–c and b–c each overlap: (1−2)² + (4−5)² = 2 → Σ = 4;
        //      D_o = 2·4 / (3·2·100) = 8/600.
        // D_e: N = 3 units of length 3; gaps: a (0,1),(4,10) → 1, 6; b → 1, 6; c → 2, 5.
        //      per unit: (N−1)(2·27 − 3·9 + 3)/3 = 2·30/3 = 20; l² Σ_{g≥3}(g−3+1) = 9·(4+4+3) = 99
        //      → Σ = 3·119 = 357; D_e = (2/10)·357 / (30·29 − 3·6) = 71.4/852.
        //      α = 1 − (8/600)/(71.4/852) = 0.840896…
        let doc = three("a[P|bcd]efghij", "a[P|bcd]efghij", "ab[P|cde]fghij");
        let sets: Vec<&AnnotationSet> = doc.sets.iter().collect();
        let alpha = alpha_u_n(10, &sets);
        let expected = 1.0 - (8.0 / 600.0) / (71.4 / 852.0);
        assert!((alpha.labels["P"] - expected).abs() < 1e-12, "{alpha:?}");
        // Two of them through the N-coder path equal the two-coder αu.
        let two = alpha_u_n(10, &sets[..2]);
        assert_eq!(two, crate::review::alpha_u(10, sets[0], sets[1]));
    }

    #[test]
    fn a_corpus_adds_histograms_and_skips_documents_without_every_set() {
        let ids = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let mut counts = MultiCounts::new(&ids);
        let doc = three(
            "a[PLACE|bcd]efghij",
            "a[PLACE|bcd]efghij",
            "ab[PLACE|cde]fghij",
        );
        assert!(counts.add(&doc));
        assert!(counts.add(&doc));
        let mut partial = doc.clone();
        partial.sets.pop();
        assert!(!counts.add(&partial), "c is missing");
        assert_eq!(counts.documents(), 2);
        let m = counts.agreement();
        let expected = (26.0 / 30.0 - 0.58) / 0.42;
        assert!(
            (m.fleiss.overall - expected).abs() < 1e-12,
            "same κ twice over"
        );
    }
}
