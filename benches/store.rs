//! Load+validate and save of a 200 KB Arabic article with 2,000 spans, in JSON and RON.
//! Run with `cargo bench --bench store`. Targets (issue 2): well under 50 ms each.

use marsad::model::LabelSchema;
use marsad::store::{self, Syntax, format};

mod common;
use common::big_document;

fn main() {
    divan::main();
}

#[divan::bench(args = ["json", "ron"])]
fn load_and_validate(bencher: divan::Bencher, syntax: &str) {
    let syntax = if syntax == "json" {
        Syntax::Json
    } else {
        Syntax::Ron
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(if syntax == Syntax::Json {
        "big.json"
    } else {
        "big.ron"
    });
    store::save(&path, &big_document()).expect("save");
    bencher.bench(|| {
        let doc = store::load(&path, LabelSchema::builtin()).expect("valid");
        assert_eq!(doc.sets[0].spans.len(), 2000);
        doc
    });
}

#[divan::bench(args = ["json", "ron"])]
fn save(bencher: divan::Bencher, syntax: &str) {
    let syntax = if syntax == "json" {
        Syntax::Json
    } else {
        Syntax::Ron
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(if syntax == Syntax::Json {
        "big.json"
    } else {
        "big.ron"
    });
    let doc = big_document();
    bencher.bench(|| store::save(&path, &doc).expect("save"));
}

#[divan::bench(args = ["json", "ron"])]
fn serialize_only(bencher: divan::Bencher, syntax: &str) {
    let syntax = if syntax == "json" {
        Syntax::Json
    } else {
        Syntax::Ron
    };
    let doc = big_document();
    bencher.bench(|| format::to_string(&doc, syntax).expect("serialise"));
}
