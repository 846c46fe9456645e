//! Corpora in at scale (the interop issue's target): 1,000 documents of 200 KB with 2,000
//! spans each, exported by Marsad in each format we also import, then read back with every
//! check — offsets, span texts, tags — and the schema fitted: at most 5 s per format. Writing
//! the 1,000 documents of the new folder is timed apart (`write_1000`). Run with
//! `cargo bench --bench import`; under `cargo test` ten documents of 2 KB.

use std::path::{Path, PathBuf};

use marsad::model::LabelSchema;
use marsad::store::{export, import};

mod common;

fn main() {
    divan::main();
}

fn full_size() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// The corpus as `format` files in `dir`; the inputs to import.
fn exported(dir: &Path, format: export::Format) -> Vec<PathBuf> {
    let (n, doc) = if full_size() {
        (1000, common::big_document())
    } else {
        (10, common::document(2_000, 20))
    };
    let name = match format {
        export::Format::Brat | export::Format::Xmi => "folder",
        _ => "corpus.out",
    };
    let out = dir.join(name);
    let mut exporter = export::Exporter::new(export::Options::new(format), &out).expect("start");
    let mut doc = doc;
    for i in 0..n {
        doc.document.meta.id = format!("d{i:04}");
        exporter
            .add(Path::new("big.json"), &doc, LabelSchema::builtin())
            .expect("add");
    }
    exporter.finish(true).expect("finish");
    vec![out]
}

fn bench_format(bencher: divan::Bencher, out: export::Format, input: import::Format) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = exported(dir.path(), out);
    bencher.bench_local(|| {
        let (docs, _) = import::corpus(input, &inputs, Some("coder-a"), LabelSchema::builtin())
            .expect("import");
        divan::black_box(docs.len())
    });
}

#[divan::bench(sample_count = 3)]
fn jsonl(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Jsonl, import::Format::Jsonl);
}

#[divan::bench(sample_count = 3)]
fn doccano(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Doccano, import::Format::Doccano);
}

#[divan::bench(sample_count = 3)]
fn label_studio(bencher: divan::Bencher) {
    bench_format(
        bencher,
        export::Format::LabelStudio,
        import::Format::LabelStudio,
    );
}

#[divan::bench(sample_count = 3)]
fn brat(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Brat, import::Format::Brat);
}

#[divan::bench(sample_count = 3)]
fn conll(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Conll, import::Format::Conll);
}

#[divan::bench(sample_count = 3)]
fn spacy(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Spacy, import::Format::Spacy);
}

#[divan::bench(sample_count = 3)]
fn xmi(bencher: divan::Bencher) {
    bench_format(bencher, export::Format::Xmi, import::Format::Xmi);
}

#[divan::bench(sample_count = 3)]
fn write_1000(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = exported(dir.path(), export::Format::Jsonl);
    let (docs, _) = import::corpus(import::Format::Jsonl, &inputs, None, LabelSchema::builtin())
        .expect("import");
    let mut k = 0;
    bencher.bench_local(|| {
        k += 1;
        let out = dir.path().join(format!("corpus-{k}"));
        import::write(&docs, &out, LabelSchema::builtin()).expect("write");
        // Removing the folder is part of the next run's setup, not of this one's time.
        out
    });
}
