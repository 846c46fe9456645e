//! Export of a corpus: 1,000 documents of 200 KB with 2,000 spans each (the shared big
//! document), written to a file in a temp folder, fsync and rename included.
//! Run with `cargo bench --bench export`. Targets: JSONL under 5 s (issue 6); CoNLL and spaCy
//! at most 2 s each (the speed issue).

use marsad::model::{AnnotatedDocument, LabelSchema};
use marsad::store::export::{BATCH, Exporter, Format, Input, Options};

mod common;

// The allocator the marsad binary uses.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // As `marsad export` hands them over: a batch at a time.
    for batch in docs.chunks(BATCH) {
        let inputs: Vec<Input<'_>> = batch
            .iter()
            .map(|doc| Input {
                path: std::path::Path::new("doc.json"),
                doc,
                schema: LabelSchema::builtin(),
            })
            .collect();
        for result in exporter.add_all(&inputs) {
            result.expect("add");
        }
    }
    exporter.finish(false).expect("finish");
}

#[divan::bench(args = ["jsonl", "conll", "spacy"], sample_count = 3, sample_size = 1)]
fn thousand_documents(bencher: divan::Bencher, format: &str) {
    let format: Format = format.parse().expect("format");
    let docs = corpus();
    bencher.bench(|| export(format, &docs));
}
