//! Marsad at scale, where quadratic work would show (the "nothing lost" issue, item 10): a
//! document with 200,000 spans, 200,000 relations and one event linking every span, validated
//! and converted; an inline schema of 100,000 labels; agreement of two sets of 200,000 spans,
//! and of 20,000 + 20,000 spans that all overlap each other; CoNLL and spaCy exports of
//! 200,000 spans. Run with `cargo bench --bench scale`; allocations are counted (divan's
//! AllocProfiler: bytes allocated per run bound the peak). Targets: validate and convert
//! ≤ 1 s, agree ≤ 2 s and ≤ 500 MB.
//! Under `cargo test` every input is a hundred times smaller.

use marsad::model::{AnnotatedDocument, Event, LabelDef, LabelSchema, Relation, Span};
use marsad::review::CorpusAgreement;
use marsad::store::{self, export};

mod common;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// `n` at full size under `cargo bench`, a hundredth under `cargo test`.
fn scaled(n: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test") {
        n
    } else {
        n / 100
    }
}

/// The seed article repeated until it has `spans` words, each one a span; every span is
/// `located_in` a PLACE span near it, and one event links every span.
fn linked_document(spans: usize) -> AnnotatedDocument {
    let mut doc = common::document(spans * 14, spans);
    let set = &mut doc.sets[0];
    let n = set.spans.len();
    // Spans cycle ACTOR, PLACE, CASUALTY, CLAIM: span 4k+1 is a PLACE.
    let place = |i: usize| {
        if i % 4 == 1 {
            (i + 4).min(n - 3)
        } else {
            4 * (i / 4) + 1
        }
    };
    set.relations = (0..n)
        .filter(|&i| place(i) < n && place(i) != i)
        .map(|i| Relation {
            id: format!("r{i}"),
            kind: "located_in".into(),
            from: set.spans[i].id.clone(),
            to: set.spans[place(i)].id.clone(),
        })
        .collect();
    set.events = vec![Event {
        id: "e1".into(),
        event_type: "Battles".into(),
        perpetrators: set.spans.iter().map(|s| s.id.clone()).collect(),
        ..Event::default()
    }];
    doc
}

#[divan::bench(sample_count = 5)]
fn validate_200k_spans_and_relations(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.json");
    store::save(&path, &linked_document(scaled(200_000))).expect("save");
    bencher.bench(|| store::load(&path, LabelSchema::builtin()).expect("valid"));
}

#[divan::bench(sample_count = 5)]
fn convert_200k_spans_json_to_ron(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.json");
    store::save(&path, &linked_document(scaled(200_000))).expect("save");
    let out = dir.path().join("big.ron");
    bencher.bench(|| {
        let doc = store::load(&path, LabelSchema::builtin()).expect("valid");
        store::save(&out, &doc).expect("save");
    });
}

#[divan::bench(sample_count = 5)]
fn inline_schema_of_100k_labels(bencher: divan::Bencher) {
    let mut doc = common::document(1, 20);
    let mut schema = LabelSchema::builtin().clone();
    let template = schema.labels[0].clone();
    schema.labels.extend((0..scaled(100_000)).map(|i| LabelDef {
        name: format!("L{i}"),
        key: String::new(),
        ..template.clone()
    }));
    doc.schema = Some(schema);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("schema.json");
    store::save(&path, &doc).expect("save");
    bencher.bench(|| store::load(&path, LabelSchema::builtin()).expect("valid"));
}

/// Set B of `doc`: A with every third span relabelled and every fifth cut by a character.
fn second_set(doc: &mut AnnotatedDocument) {
    let mut b = doc.sets[0].clone();
    b.id = "b".into();
    for (i, s) in b.spans.iter_mut().enumerate() {
        if i % 3 == 0 {
            s.label = "CLAIM".into();
        }
        if i % 5 == 0 && s.end - s.start > 1 {
            s.end -= 1;
        }
    }
    doc.sets.push(b);
}

#[divan::bench(sample_count = 5)]
fn agree_200k_spans(bencher: divan::Bencher) {
    let mut doc = common::document(scaled(200_000) * 14, scaled(200_000));
    second_set(&mut doc);
    bencher.bench(|| {
        let mut corpus = CorpusAgreement::default();
        corpus.add(&doc.document, &doc.sets[0], &doc.sets[1]);
        corpus.total.overall.figures()
    });
}

#[divan::bench(sample_count = 3)]
fn agree_20k_spans_all_overlapping(bencher: divan::Bencher) {
    let mut doc = common::document(20_000, 1);
    let len = doc.document.char_len();
    let n = scaled(20_000);
    let all = |set: &str, shift: usize| -> Vec<Span> {
        (0..n)
            .map(|i| {
                let (start, end) = ((i + shift) % (len / 4), len - (i % (len / 4)));
                Span {
                    id: format!("{set}{i}"),
                    start,
                    end,
                    label: "ACTOR".into(),
                    text: doc
                        .document
                        .slice(marsad::model::CharRange::new(start, end))
                        .unwrap_or_default()
                        .to_owned(),
                    attrs: Default::default(),
                    note: None,
                    confidence: None,
                }
            })
            .collect()
    };
    let a = all("a", 0);
    let b = all("b", 1);
    doc.sets[0].spans = a;
    let mut set_b = doc.sets[0].clone();
    set_b.id = "b".into();
    set_b.spans = b;
    doc.sets.push(set_b);
    bencher.bench(|| {
        let mut corpus = CorpusAgreement::default();
        corpus.add(&doc.document, &doc.sets[0], &doc.sets[1]);
        corpus.total.overall.figures()
    });
}

#[divan::bench(args = ["conll", "spacy"], sample_count = 5)]
fn export_200k_spans(bencher: divan::Bencher, format: &str) {
    let doc = common::document(scaled(200_000) * 14, scaled(200_000));
    let dir = tempfile::tempdir().expect("tempdir");
    let format = if format == "conll" {
        export::Format::Conll
    } else {
        export::Format::Spacy
    };
    let out = dir.path().join("out");
    bencher.bench(|| {
        let mut exporter = export::Exporter::new(export::Options::new(format), &out).expect("new");
        exporter
            .add(std::path::Path::new("big"), &doc, LabelSchema::builtin())
            .expect("add");
        exporter.finish(true).expect("finish")
    });
}
