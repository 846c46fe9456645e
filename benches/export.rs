//! Export of a corpus: 1,000 documents of 200 KB with 2,000 spans each (the shared big
//! document), written to a file in a temp folder, fsync and rename included.
//! Run with `cargo bench --bench export`. Target (issue 6): JSONL under 5 s.

use marsad::model::{AnnotatedDocument, LabelSchema};
use marsad::store::export::{Exporter, Format, Options};

mod common;

fn main() {
    divan::main();
}

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
    let doc = common::big_document();
    (0..documents())
        .map(|i| {
            let mut d = doc.clone();
            d.document.meta.id = format!("doc-{i:04}");
            d
        })
        .collect()
}

fn export(format: Format, docs: &[AnnotatedDocument]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut exporter = Exporter::new(Options::new(format), &out).expect("start");
    for doc in docs {
        exporter
            .add(
                std::path::Path::new("doc.json"),
                doc,
                LabelSchema::builtin(),
            )
            .expect("add");
    }
    exporter.finish(false).expect("finish");
}

#[divan::bench(args = ["jsonl", "conll", "spacy"], sample_count = 3, sample_size = 1)]
fn thousand_documents(bencher: divan::Bencher, format: &str) {
    let format: Format = format.parse().expect("format");
    let docs = corpus();
    bencher.bench(|| export(format, &docs));
}
