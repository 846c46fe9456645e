//! Every loader fed mutated inputs, bounded in time (a few hundred cases each under
//! `cargo test`): documents (JSON and RON), schemas, and predictions in each format. Nothing
//! may panic, and nothing accepted may be something that a save and a reload would refuse.
//! The mutations start from real files (the samples) so that they reach deep into the
//! formats: bytes flipped, cut, repeated, and structural tokens and hostile characters put in.

use marsad::model::{AnnotatedDocument, LabelSchema};
use marsad::store::{self, Syntax, format, predictions};
use proptest::prelude::*;

const SAMPLE_JSON: &str = include_str!("../sample_articles/mali-sinsgaji-jnim.json");
const SAMPLE_RON: &str = include_str!("../sample_articles/niger-tillaberi-ambush.ron");
const SCHEMA_RON: &str = include_str!("../assets/schema.ron");

/// Pieces that break formats in interesting ways.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "0",
    "-1",
    "1e400",
    "18446744073709551616",
    "\"s1\"",
    "\u{202e}",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "r#\"",
    "\"#",
    "Some(",
    "None",
    "\"attrs\": {\"kind\": 1, \"kind\": 2}",
    "[1, 2, 3]",
    "🔥",
    "ـ",
];

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, usize),
    Repeat(usize, usize),
    Remove(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Mutation::Repeat(a, n)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Mutation::Remove(a, n)),
    ]
}

/// `src` with the mutations applied, as text (invalid UTF-8 made lossy: the loaders read
/// text; bytes are refused before they get here).
fn mutate(src: &str, mutations: &[Mutation]) -> String {
    let mut bytes = src.as_bytes().to_vec();
    for m in mutations {
        let at = |i: usize| if bytes.is_empty() { 0 } else { i % bytes.len() };
        match *m {
            Mutation::Flip(i, b) => {
                let i = at(i);
                if let Some(x) = bytes.get_mut(i) {
                    *x ^= b;
                }
            }
            Mutation::Cut(i) => {
                let i = at(i);
                bytes.truncate(i);
            }
            Mutation::Insert(i, t) => {
                let i = at(i);
                bytes.splice(i..i, TOKENS[t].bytes());
            }
            Mutation::Repeat(i, n) => {
                let i = at(i);
                let end = (i + n).min(bytes.len());
                let piece = bytes[i..end].to_vec();
                bytes.splice(end..end, piece);
            }
            Mutation::Remove(i, n) => {
                let i = at(i);
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What was accepted must survive a save and a reload, in both syntaxes.
fn round_trips(doc: &AnnotatedDocument) -> Result<(), TestCaseError> {
    for syntax in [Syntax::Json, Syntax::Ron] {
        let text = format::to_string(doc, syntax).map_err(TestCaseError::fail)?;
        let back = store::parse(&text, syntax, LabelSchema::builtin()).map_err(|p| {
            TestCaseError::fail(format!("accepted, then refused after a save: {p:?}"))
        })?;
        prop_assert_eq!(&back, doc);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn documents_in_json(mutations in prop::collection::vec(mutation(), 1..6)) {
        let src = mutate(SAMPLE_JSON, &mutations);
        if let Ok(doc) = store::parse(&src, Syntax::Json, LabelSchema::builtin()) {
            round_trips(&doc)?;
        }
    }

    #[test]
    fn documents_in_ron(mutations in prop::collection::vec(mutation(), 1..6)) {
        let src = mutate(SAMPLE_RON, &mutations);
        if let Ok(doc) = store::parse(&src, Syntax::Ron, LabelSchema::builtin()) {
            round_trips(&doc)?;
        }
    }

    #[test]
    fn schemas(mutations in prop::collection::vec(mutation(), 1..6)) {
        let src = mutate(SCHEMA_RON, &mutations);
        if let Ok(schema) = store::parse_schema(&src, Syntax::Ron) {
            let text = format::serialize(&schema, Syntax::Json).map_err(TestCaseError::fail)?;
            let back = store::parse_schema(&text, Syntax::Json)
                .map_err(|p| TestCaseError::fail(format!("accepted, then refused: {p:?}")))?;
            prop_assert_eq!(back, schema);
        }
    }

    #[test]
    fn predictions_in_every_format(
        format in prop::sample::select(vec![
            predictions::Format::Hf,
            predictions::Format::Spacy,
            predictions::Format::Langextract,
            predictions::Format::Marsad,
        ]),
        mutations in prop::collection::vec(mutation(), 0..5),
    ) {
        let doc = store::parse(SAMPLE_JSON, Syntax::Json, LabelSchema::builtin()).expect("sample");
        let seed = match format {
            predictions::Format::Hf => r#"[{"entity_group": "ORG", "score": 0.9, "word": "جماعة", "start": 0, "end": 5}, {"entity": "B-LOC", "score": 0.5, "word": "مالي", "start": 60, "end": 64}]"#.to_owned(),
            predictions::Format::Spacy => format!(r#"{{"text": {}, "ents": [{{"start": 0, "end": 5, "label": "ORG"}}]}}"#, serde_json::to_string(doc.document.text()).expect("json")),
            predictions::Format::Langextract => r#"{"extractions": [{"extraction_class": "CASUALTY", "extraction_text": "جماعة", "char_interval": {"start_pos": 0, "end_pos": 5}, "attributes": {"value": "27"}}]}"#.to_owned(),
            predictions::Format::Marsad => SAMPLE_JSON.to_owned(),
        };
        let src = mutate(&seed, &mutations);
        let options = predictions::Options::new(format, "model");
        if let Ok(imported) = predictions::import(&src, &doc, LabelSchema::builtin(), &options) {
            let mut with = doc.clone();
            if predictions::add_to(&mut with, imported.set).is_ok() {
                let problems = with.validate(LabelSchema::builtin());
                prop_assert!(problems.is_empty(), "an import let in: {problems:?}");
            }
        }
    }
}
