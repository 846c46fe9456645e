//! The benchmarks' shared input: a 200 KB Arabic article (the seed article repeated) with
//! 2,000 spans on word boundaries.

use std::collections::BTreeMap;

use marsad::model::{AnnotatedDocument, AnnotationSet, AttrValue, Document, DocumentMeta, Span};

const SEED: &str = include_str!("../../tests/data/seed-article.txt");

/// The seed article repeated to 200 KB of UTF-8, with 2,000 spans on word boundaries.
#[allow(dead_code)] // not every benchmark uses every input
pub fn big_document() -> AnnotatedDocument {
    document(200_000, 2000)
}

/// The seed article repeated to at least `bytes` of UTF-8, with `spans` spans on word
/// boundaries (fewer when it has fewer words).
pub fn document(bytes: usize, spans: usize) -> AnnotatedDocument {
    let mut text = String::new();
    while text.len() < bytes {
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
    let spans = spans.min(words.len());
    let step = (words.len() / spans.max(1)).max(1);
    let labels = [
        ("ACTOR", "kind", "REBEL"),
        ("PLACE", "level", "LOCALITY"),
        ("CASUALTY", "kind", "KILLED"),
        ("CLAIM", "type", "OTHER"),
    ];
    let spans = (0..spans)
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
