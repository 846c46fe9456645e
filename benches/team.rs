//! A team's corpus through git: the merge driver on two 200 KB documents with 2,000 spans in
//! each side's set, in memory and as the files git hands it (read, checked, merged, checked,
//! written); and `marsad team status` over 10,000 documents as a process.
//! Run with `cargo bench --bench team`. Targets (issue 16): merge ≤ 20 ms; status ≤ 2 s.
//! Under `cargo test` the corpus is a hundredth of the size.

use std::process::Command;

use marsad::model::{AnnotatedDocument, LabelSchema, Status, merge};
use marsad::store::{self, merge as file_merge};

mod common;

fn main() {
    divan::main();
}

fn full_size() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// The base without sets, and each side with one coder's 2,000 spans.
fn sides() -> (AnnotatedDocument, AnnotatedDocument, AnnotatedDocument) {
    let ours = common::big_document();
    let mut base = ours.clone();
    base.sets.clear();
    let mut theirs = ours.clone();
    theirs.sets[0].id = "coder-b".into();
    theirs.sets[0].source = marsad::model::Source::Human {
        annotator: "coder-b".into(),
    };
    (base, ours, theirs)
}

#[divan::bench(sample_count = 20)]
fn merge_two_sets_of_2000_spans(bencher: divan::Bencher) {
    let (base, ours, theirs) = sides();
    bencher.bench(|| {
        let m = merge::merge(Some(&base), &ours, &theirs, LabelSchema::builtin()).expect("merges");
        assert_eq!(m.doc.sets.len(), 2);
        m
    });
}

#[divan::bench(sample_count = 20)]
fn merge_one_set_changed_on_both_sides(bencher: divan::Bencher) {
    let base = common::big_document();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    for (i, span) in ours.sets[0].spans.iter_mut().enumerate().step_by(7) {
        span.note = Some(format!("ours {i}"));
    }
    for span in theirs.sets[0].spans.iter_mut().skip(3).step_by(7) {
        span.label = "ACTOR".into();
        span.attrs.clear();
    }
    bencher.bench(|| {
        let m = merge::merge(Some(&base), &ours, &theirs, LabelSchema::builtin()).expect("merges");
        assert_eq!(m.conflicts, 0);
        m
    });
}

#[divan::bench(sample_count = 20)]
fn merge_driver_on_files(bencher: divan::Bencher) {
    let (base, ours, theirs) = sides();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| dir.path().join(name);
    store::save(&path("base.json"), &base).expect("save");
    store::save(&path("theirs.json"), &theirs).expect("save");
    bencher
        .with_inputs(|| store::save(&path("ours.json"), &ours).expect("save"))
        .bench_values(|()| {
            let (b, o, t) = (path("base.json"), path("ours.json"), path("theirs.json"));
            let sides = file_merge::Sides {
                base: &b,
                ours: &o,
                theirs: &t,
                path: Some(&o),
            };
            assert_eq!(file_merge::merge_files(&sides).expect("merges"), 0);
        });
}

#[divan::bench(sample_count = 3)]
fn team_status_of_10000_documents(bencher: divan::Bencher) {
    let n = if full_size() { 10_000 } else { 100 };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = common::document(6_000, 20);
    doc.sets[0].status = Status::Done;
    doc.sets[0].effort.active_seconds = 300;
    let mut b = doc.sets[0].clone();
    b.id = "coder-b".into();
    b.spans.truncate(15);
    doc.sets.push(b);
    let text = store::format::to_string(&doc, store::Syntax::Json).expect("serialise");
    for i in 0..n {
        std::fs::write(dir.path().join(format!("doc-{i:05}.json")), &text).expect("write");
    }
    bencher.bench(|| {
        let out = Command::new(env!("CARGO_BIN_EXE_marsad"))
            .args(["team", "status", "--json"])
            .arg(dir.path())
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    });
}
