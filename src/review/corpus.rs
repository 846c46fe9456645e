//! Agreement over a corpus: each document's counts added up (micro-average), each document's
//! overall figures averaged (macro-average), and αu averaged over the documents (per label,
//! over the documents where the label occurs), as `marsad agree DIR` reports them.

use std::collections::BTreeMap;

use super::alpha::{AlphaU, alpha_u};
use super::metrics::{Agreement, Figures, Prf, agreement};
use crate::model::{AnnotationSet, Document};

/// The documents compared so far.
#[derive(Clone, Debug, Default)]
pub struct CorpusAgreement {
    /// Counts of every document added up.
    pub total: Agreement,
    per_doc: Vec<Figures>,
    alphas: Vec<AlphaU>,
}

impl CorpusAgreement {
    /// Adds one document's two sets.
    pub fn add(&mut self, doc: &Document, a: &AnnotationSet, b: &AnnotationSet) {
        let one = agreement(doc, a, b);
        self.alphas.push(alpha_u(doc.char_len(), a, b));
        self.per_doc.push(one.overall.figures());
        self.total.add(&one);
    }

    /// Documents added.
    pub fn documents(&self) -> usize {
        self.per_doc.len()
    }

    /// The mean of each document's overall figures; None before any document.
    pub fn macro_overall(&self) -> Option<Figures> {
        let n = self.per_doc.len() as f64;
        let mean = |f: fn(&Figures) -> f64| self.per_doc.iter().map(f).sum::<f64>() / n;
        let prf = |p: fn(&Figures) -> f64, r: fn(&Figures) -> f64, f: fn(&Figures) -> f64| Prf {
            precision: mean(p),
            recall: mean(r),
            f1: mean(f),
        };
        (!self.per_doc.is_empty()).then(|| Figures {
            exact: prf(|x| x.exact.precision, |x| x.exact.recall, |x| x.exact.f1),
            overlap: prf(
                |x| x.overlap.precision,
                |x| x.overlap.recall,
                |x| x.overlap.f1,
            ),
            kappa: mean(|x| x.kappa),
        })
    }

    /// αu per document, averaged: per label over the documents where it occurs; overall over
    /// all documents (1 when there are none).
    pub fn alpha_u(&self) -> AlphaU {
        let mut out = AlphaU::default();
        let mut per_label: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for a in &self.alphas {
            for (label, v) in &a.labels {
                per_label.entry(label.as_str()).or_default().push(*v);
            }
        }
        for (label, vs) in per_label {
            out.labels
                .insert(label.to_owned(), vs.iter().sum::<f64>() / vs.len() as f64);
        }
        out.overall = if self.alphas.is_empty() {
            1.0
        } else {
            self.alphas.iter().map(|a| a.overall).sum::<f64>() / self.alphas.len() as f64
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::sets;

    #[test]
    fn micro_adds_counts_and_macro_averages_documents() {
        let mut corpus = CorpusAgreement::default();
        let (doc, a, b) = sets(
            "[ACTOR|الجيش] في [PLACE|مالي]",
            "[ACTOR|الجيش] في [PLACE|مالي]",
        );
        corpus.add(&doc, &a, &b);
        let (doc, a, b) = sets("[ACTOR|الجيش] في [PLACE|مالي]", "الجيش في [ACTOR|مالي]");
        corpus.add(&doc, &a, &b);
        assert_eq!(corpus.documents(), 2);
        // Micro: 4 spans in A, 3 in B, 2 exact.
        let t = &corpus.total.overall;
        assert_eq!((t.a, t.b, t.exact), (4, 3, 2));
        // Macro: F1 1 and F1 0 average to 0.5.
        let m = corpus.macro_overall().expect("two documents");
        assert!((m.exact.f1 - 0.5).abs() < 1e-12);
        // αu: ACTOR agrees fully in the first document only; PLACE occurs in both.
        let alpha = corpus.alpha_u();
        assert!(alpha.overall < 1.0);
        assert_eq!(alpha.labels.len(), 2);
        assert!(CorpusAgreement::default().macro_overall().is_none());
        assert_eq!(CorpusAgreement::default().alpha_u().overall, 1.0);
    }
}
