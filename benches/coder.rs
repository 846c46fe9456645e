//! The coder at full speed (the coder speed issue's targets): find over a corpus of 1,000
//! documents ≤ 300 ms (in memory, and loaded from disk as `marsad find` does), and the
//! string matcher's suggestions for a 200 KB document from 5,000 labelled strings ≤ 50 ms
//! (lexicon built and text folded included). Run with `cargo bench --bench coder`; under
//! `cargo test` each runs once on inputs a hundred times smaller.

use marsad::model::recommend::Lexicon;
use marsad::model::search::{Folded, Query};

mod common;

fn main() {
    divan::main();
}

fn full_size() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// `n` at full size under `cargo bench`, a hundredth under `cargo test`.
fn scaled(n: usize) -> usize {
    if full_size() { n } else { (n / 100).max(1) }
}

/// 1,000 texts of about 6 KB (the seed article), as a corpus has them.
fn corpus_texts() -> Vec<String> {
    let doc = common::document(6_000, 0);
    (0..scaled(1000))
        .map(|_| doc.document.text().to_owned())
        .collect()
}

#[divan::bench(sample_count = 10)]
fn find_in_1000_documents(bencher: divan::Bencher) {
    let texts = corpus_texts();
    let query = Query::new("الجيش", true);
    bencher.bench_local(|| {
        let found: usize = texts
            .iter()
            .map(|t| Folded::new(t).find(&query).len())
            .sum();
        assert!(found > 0);
        divan::black_box(found)
    });
}

#[divan::bench(sample_count = 10)]
fn find_in_1000_files(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = common::document(6_000, 20);
    let paths: Vec<std::path::PathBuf> = (0..scaled(1000))
        .map(|i| {
            let path = dir.path().join(format!("d{i:04}.json"));
            marsad::store::save(&path, &doc).expect("save");
            path
        })
        .collect();
    let schema = marsad::model::LabelSchema::builtin();
    let query = Query::new("مالي", true);
    bencher.bench_local(|| {
        let mut found = 0;
        for p in &paths {
            let doc = marsad::store::load(p, schema).expect("load");
            found += Folded::new(doc.document.text()).find(&query).len();
        }
        divan::black_box(found)
    });
}

/// 5,000 distinct labelled strings: the words, word pairs and triples of the article.
fn labelled(text: &str, n: usize) -> Vec<(String, &'static str)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut seen = std::collections::HashSet::new();
    let labels = ["ACTOR", "PLACE", "CASUALTY", "CLAIM"];
    let mut out = Vec::new();
    'all: for width in 1..=3 {
        for (i, w) in words.windows(width).enumerate() {
            let s = w.join(" ");
            if seen.insert(s.clone()) {
                out.push((s, labels[i % 4]));
                if out.len() == n {
                    break 'all;
                }
            }
        }
    }
    out
}

#[divan::bench(sample_count = 10)]
fn suggestions_200kb_from_5000_strings(bencher: divan::Bencher) {
    let doc = if full_size() {
        common::big_document()
    } else {
        common::document(2_000, 20)
    };
    let text = doc.document.text();
    let strings = labelled(text, scaled(5000));
    bencher.bench_local(|| {
        let lexicon = Lexicon::new(strings.iter().map(|(t, l)| (t.as_str(), *l)));
        let found = lexicon.suggest(&Folded::new(text), |_| true);
        assert!(!found.is_empty());
        divan::black_box(found.len())
    });
}
