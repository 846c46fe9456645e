//! The benchmarks' shared input: a 200 KB Arabic article (the seed article repeated) with
//! 2,000 spans on word boundaries.

use std::collections::BTreeMap;

use marsad::model::{AnnotatedDocument, AnnotationSet, AttrValue, Document, DocumentMeta, Span};

const SEED: &str = include_str!("../../tests/data/seed-article.txt");

/// The seed article repeated to 200 KB of UTF-8, with 2,000 spans on word boundaries.
pub fn big_document() -> AnnotatedDocument {
    let mut text = String::new();
    while text.len() < 200_000 {
        text.push_str(SEED);
        text.push('\n');
    }
    let words: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.chars().enumerate() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        out
    };
    let document = Document::new(
        DocumentMeta {
            id: "big".into(),
            language: "ar".into(),
            ..DocumentMeta::default()
        },
        text,
    );
    let step = words.len() / 2000;
    let labels = [
        ("ACTOR", "kind", "REBEL"),
        ("PLACE", "level", "LOCALITY"),
        ("CASUALTY", "kind", "KILLED"),
        ("CLAIM", "type", "OTHER"),
    ];
    let spans = (0..2000)
        .map(|i| {
            let (start, end) = words[i * step];
            let (label, attr, value) = labels[i % 4];
            let range = marsad::model::CharRange::new(start, end);
            Span {
                id: format!("s{}", i + 1),
                start,
                end,
                label: label.into(),
                text: document.slice(range).unwrap_or_default().to_owned(),
                attrs: BTreeMap::from([(attr.to_owned(), AttrValue::Str(value.into()))]),
                note: None,
                confidence: None,
            }
        })
        .collect();
    let mut set = AnnotationSet::human("coder-a");
    set.spans = spans;
    AnnotatedDocument {
        document,
        schema: None,
        sets: vec![set],
    }
}
