//! Span notation: annotated text written as `"[ACTOR|جماعة نصرة الإسلام] تتبنى"`.
//!
//! Tests (and examples) state documents and expectations in this notation instead of raw
//! offsets. A span is `[LABEL|covered text]` or `[LABEL key=value ...|covered text]`; spans may
//! nest. Values `true`/`false` are booleans, integers are integers, anything else is a string
//! (no spaces). The characters `[`, `]` and `|` cannot appear in the text.

use std::collections::BTreeMap;

use thiserror::Error;

use super::AnnotatedDocument;
use super::annotation::{AnnotationSet, AttrValue, Span};
use super::document::{Document, DocumentMeta};
use crate::offsets::CharRange;

/// Text and spans read from span notation.
#[derive(Clone, Debug, PartialEq)]
pub struct Marked {
    pub text: String,
    pub spans: Vec<MarkedSpan>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MarkedSpan {
    pub range: CharRange,
    pub label: String,
    pub attrs: BTreeMap<String, AttrValue>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum NotationError {
    #[error("span opened at character {0} has no '|' after its label")]
    NoBar(usize),
    #[error("']' at character {0} closes no span")]
    Unmatched(usize),
    #[error("{0} span(s) left open at the end")]
    Unclosed(usize),
    #[error("attribute \"{0}\" is not key=value")]
    BadAttr(String),
}

/// Reads span notation.
pub fn parse(marked: &str) -> Result<Marked, NotationError> {
    let mut text = String::new();
    let mut spans: Vec<MarkedSpan> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut pos = 0;
    let mut chars = marked.chars();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                let mut header = String::new();
                loop {
                    match chars.next() {
                        Some('|') => break,
                        Some(h) => header.push(h),
                        None => return Err(NotationError::NoBar(pos)),
                    }
                }
                let mut words = header.split_whitespace();
                let label = words.next().unwrap_or_default().to_owned();
                let mut attrs = BTreeMap::new();
                for word in words {
                    let (k, v) = word
                        .split_once('=')
                        .ok_or_else(|| NotationError::BadAttr(word.to_owned()))?;
                    attrs.insert(k.to_owned(), attr_value(v));
                }
                open.push(spans.len());
                spans.push(MarkedSpan {
                    range: CharRange::new(pos, pos),
                    label,
                    attrs,
                });
            }
            ']' => {
                let i = open.pop().ok_or(NotationError::Unmatched(pos))?;
                spans[i].range.end = pos;
            }
            _ => {
                text.push(c);
                pos += 1;
            }
        }
    }
    if !open.is_empty() {
        return Err(NotationError::Unclosed(open.len()));
    }
    Ok(Marked { text, spans })
}

/// `true`/`false` → bool, an integer → integer, anything else → string.
pub fn attr_value(v: &str) -> AttrValue {
    match v {
        "true" => AttrValue::Bool(true),
        "false" => AttrValue::Bool(false),
        _ => v
            .parse()
            .map(AttrValue::Int)
            .unwrap_or_else(|_| AttrValue::Str(v.to_owned())),
    }
}

impl Marked {
    /// A document with this text and one human set `set` holding the spans as `s1`, `s2`, ...
    /// in the order they were opened.
    pub fn to_document(&self, id: &str, set: &str) -> AnnotatedDocument {
        let meta = DocumentMeta {
            id: id.to_owned(),
            language: "ar".to_owned(),
            ..DocumentMeta::default()
        };
        let document = Document::new(meta, self.text.clone());
        let mut annotations = AnnotationSet::human(set);
        annotations.spans = self
            .spans
            .iter()
            .enumerate()
            .map(|(i, m)| Span {
                id: format!("s{}", i + 1),
                start: m.range.start,
                end: m.range.end,
                label: m.label.clone(),
                text: document.slice(m.range).unwrap_or_default().to_owned(),
                attrs: m.attrs.clone(),
                note: None,
                confidence: None,
            })
            .collect();
        AnnotatedDocument {
            document,
            schema: None,
            sets: vec![annotations],
        }
    }
}

/// Writes `text` with labelled ranges in span notation (labels only). Ranges must nest or be
/// disjoint, as in any notation with brackets.
pub fn render<'a>(text: &str, spans: impl IntoIterator<Item = (CharRange, &'a str)>) -> String {
    let mut spans: Vec<(CharRange, &str)> = spans.into_iter().collect();
    spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::new();
    let mut open: Vec<usize> = Vec::new();
    let mut next = 0;
    let chars: Vec<char> = text.chars().collect();
    for pos in 0..=chars.len() {
        while open.last().is_some_and(|&end| end == pos) {
            open.pop();
            out.push(']');
        }
        while next < spans.len() && spans[next].0.start == pos {
            out.push('[');
            out.push_str(spans[next].1);
            out.push('|');
            open.push(spans[next].0.end);
            next += 1;
        }
        if let Some(c) = chars.get(pos) {
            out.push(*c);
        }
    }
    out
}

/// The spans of one set of `doc` in span notation (empty string for a missing set).
pub fn render_set(doc: &AnnotatedDocument, set: &str) -> String {
    doc.set(set)
        .map(|s| {
            render(
                doc.document.text(),
                s.spans.iter().map(|sp| (sp.range(), sp.label.as_str())),
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_gives_code_point_ranges() {
        let m = parse("[ACTOR|جماعة نصرة الإسلام] تتبنى").expect("parse");
        assert_eq!(m.text, "جماعة نصرة الإسلام تتبنى");
        assert_eq!(m.spans.len(), 1);
        assert_eq!(m.spans[0].range, CharRange::new(0, 18));
        assert_eq!(m.spans[0].label, "ACTOR");
    }

    #[test]
    fn nested_spans_and_attributes() {
        let m = parse("[CASUALTY kind=KILLED value=27 qualifier=AT_LEAST|ما لا يقل عن 27 قتيلا] في [PLACE|منطقة [PLACE level=ADMIN1|سيكاسو]]")
            .expect("parse");
        assert_eq!(m.spans.len(), 3);
        assert_eq!(m.spans[0].attrs["value"], AttrValue::Int(27));
        assert_eq!(m.spans[0].attrs["kind"], AttrValue::Str("KILLED".into()));
        let doc = m.to_document("t", "coder-a");
        let spans = &doc.sets[0].spans;
        assert_eq!(spans[1].text, "منطقة سيكاسو");
        assert_eq!(spans[2].text, "سيكاسو");
        assert!(spans[1].range().contains_range(&spans[2].range()));
    }

    #[test]
    fn render_is_the_inverse_of_parse() {
        let src = "[ACTOR|جماعة [ACTOR|نصرة الإسلام]] تتبنى هجوما ب[PLACE|سيكاسو]";
        let m = parse(src).expect("parse");
        let back = render(&m.text, m.spans.iter().map(|s| (s.range, s.label.as_str())));
        assert_eq!(back, src);
    }

    #[test]
    fn malformed_notation_is_reported() {
        assert_eq!(parse("[ACTOR الجيش"), Err(NotationError::NoBar(0)));
        assert_eq!(parse("الجيش]"), Err(NotationError::Unmatched(5)));
        assert_eq!(parse("[ACTOR|الجيش"), Err(NotationError::Unclosed(1)));
        assert!(matches!(
            parse("[ACTOR kind|الجيش]"),
            Err(NotationError::BadAttr(_))
        ));
        assert_eq!(attr_value("true"), AttrValue::Bool(true));
        assert_eq!(attr_value("-3"), AttrValue::Int(-3));
        assert_eq!(attr_value("REBEL"), AttrValue::Str("REBEL".into()));
    }
}
