//! Agreement over a corpus: 1,000 documents, each with two sets of 50 spans (B = A with every
//! fifth span relabelled, every seventh cut by one character, every eleventh left out), as
//! `marsad agree DIR` computes it (differences, counts, figures, αu), from memory.
//! Run with `cargo bench --bench agree`. Targets: under 1 s for the agreement (issue 5) and
//! for the review queue over the same documents.

use marsad::model::{AnnotatedDocument, AnnotationSet, CharRange, Document, DocumentMeta, Span};
use marsad::review::CorpusAgreement;

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../tests/data/seed-article.txt");

/// 1,000 documents under `cargo bench`; 3 when `cargo test` runs each benchmark once as a
/// smoke test (divan's rule: no `--bench`, or `--test`).
fn documents() -> usize {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test") {
        1_000
    } else {
        3
    }
}

fn corpus() -> Vec<AnnotatedDocument> {
    let document = Document::new(
        DocumentMeta {
            id: "seed".into(),
            language: "ar".into(),
            ..DocumentMeta::default()
        },
        SEED.to_owned(),
    );
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in SEED.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let labels = ["ACTOR", "PLACE", "CASUALTY", "CLAIM"];
    let step = words.len() / 50;
    let span = |id: usize, start: usize, end: usize, label: &str| Span {
        id: format!("s{id}"),
        start,
        end,
        label: label.into(),
        text: document
            .slice(CharRange::new(start, end))
            .unwrap_or_default()
            .to_owned(),
        attrs: Default::default(),
        note: None,
        confidence: Some(0.5),
    };
    let mut a = AnnotationSet::human("a");
    let mut b = AnnotationSet::human("b");
    for i in 0..50 {
        let (s, e) = words[i * step];
        a.spans.push(span(i, s, e, labels[i % 4]));
        if i % 11 == 0 {
            continue;
        }
        let label = if i % 5 == 0 {
            labels[(i + 1) % 4]
        } else {
            labels[i % 4]
        };
        let e = if i % 7 == 0 && e - s > 1 { e - 1 } else { e };
        b.spans.push(span(i, s, e, label));
    }
    let doc = AnnotatedDocument {
        document,
        schema: None,
        sets: vec![a, b],
    };
    (0..documents()).map(|_| doc.clone()).collect()
}

#[divan::bench(sample_count = 10)]
fn thousand_documents(bencher: divan::Bencher) {
    let docs = corpus();
    bencher.bench(|| {
        let mut corpus = CorpusAgreement::default();
        for d in &docs {
            corpus.add(&d.document, &d.sets[0], &d.sets[1]);
        }
        (corpus.total.overall.figures(), corpus.alpha_u().overall)
    });
}

/// The review queue's work over the same corpus: a comparison per document (differences,
/// figures, αu, decisions), then the documents sorted by exact F1.
#[divan::bench(sample_count = 10)]
fn review_queue_thousand_documents(bencher: divan::Bencher) {
    let docs = corpus();
    bencher.bench(|| {
        let mut f1: Vec<(f64, usize)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let c = marsad::review::Comparison::new(d, &d.sets[0].id, &d.sets[1].id, 0);
                (c.agreement.overall.figures().exact.f1, i)
            })
            .collect();
        f1.sort_by(|x, y| x.0.total_cmp(&y.0));
        f1
    });
}
