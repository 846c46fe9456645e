//! Events across a corpus: the candidate reports of one event among 10,000 documents (the
//! index built once, then looked up), and the probable duplicates among 10,000 events.
//! Run with `cargo bench --bench events`. Targets (issue 18): candidates ≤ 200 ms, duplicates
//! ≤ 1 s. Under `cargo test` the inputs are a hundredth of the size.

use marsad::model::corpus_event::{CorpusEvent, Link, Report};
use marsad::model::event_index::{Facts, Index, duplicates};

fn main() {
    divan::main();
}

fn scaled(n: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    if full { n } else { (n / 100).max(1) }
}

const PLACES: [&str; 8] = [
    "سيكاسو",
    "موبتي",
    "غاو",
    "تمبكتو",
    "كيدال",
    "ميناكا",
    "جيبو",
    "دوري",
];
const ACTORS: [&str; 6] = [
    "جماعة نصرة الإسلام",
    "الجيش المالي",
    "ولاية الساحل",
    "قوات فاغنر",
    "متطوعو الدفاع عن الوطن",
    "مسلحون",
];

/// 10,000 documents, each naming two places and two actors (with clitics now and then) of a
/// few hundred distinct names, and a date in 2023.
fn corpus(n: usize) -> Vec<Facts> {
    (0..n)
        .map(|i| Facts {
            document: format!("doc-{i:05}.json"),
            places: vec![
                format!("{}{}", if i % 3 == 0 { "ب" } else { "" }, PLACES[i % 8]),
                format!("قرية {}", i % 300),
            ],
            actors: vec![ACTORS[i % 6].to_owned(), format!("كتيبة {}", i % 200)],
            days: vec![19_345 + (i % 365) as i64],
        })
        .collect()
}

fn event(i: usize) -> CorpusEvent {
    let link = |role: &str, text: String| Link {
        role: role.into(),
        document: format!("report-{i:05}.json"),
        set: "coder-a".into(),
        span: "s1".into(),
        text,
        entry: None,
    };
    let mut e = CorpusEvent::new(&format!("ev{i}"), "Battles");
    e.links = vec![
        link("places", format!("قرية {}", i % 300)),
        link("perpetrators", format!("كتيبة {}", i % 200)),
    ];
    let day = 1 + i % 28;
    e.reports = vec![Report {
        document: format!("report-{i:05}.json"),
        date: Some(format!("2023-{:02}-{day:02}", 1 + i % 12)),
        event: None,
    }];
    e
}

#[divan::bench(sample_count = 10)]
fn index_10000_documents(bencher: divan::Bencher) {
    let docs = corpus(scaled(10_000));
    bencher.bench(|| Index::new(docs.clone()));
}

#[divan::bench(sample_count = 20)]
fn candidates_of_one_event_in_10000_documents(bencher: divan::Bencher) {
    let index = Index::new(corpus(scaled(10_000)));
    let e = event(7);
    bencher.bench(|| {
        let found = index.candidates(&e);
        assert!(!found.is_empty());
        found
    });
}

#[divan::bench(sample_count = 10)]
fn duplicates_among_10000_events(bencher: divan::Bencher) {
    let events: Vec<CorpusEvent> = (0..scaled(10_000)).map(event).collect();
    bencher.bench(|| duplicates(&events));
}
