//! JSONL: one document per line — `{"id", "text", "spans": [{"id", "start", "end", "label",
//! "text", "attrs"}], "relations", "events"}` plus the set, its source and the document's
//! metadata — with offsets in code points (or UTF-16 units, said in `"offsets"`). [`read`]
//! turns such lines back into documents, so an export can be checked by importing it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Item;
use crate::model::{
    AnnotatedDocument, AnnotationSet, AttrValue, CharRange, Document, DocumentMeta, Event,
    Relation, Source, Span, Status,
};
use crate::offsets::{Offsets, Unit};

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
    relations: &'a [Relation],
    events: &'a [Event],
    set: &'a str,
    source: &'a Source,
    status: Status,
    offsets: &'static str,
    meta: MetaOut<'a>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    attrs: &'a BTreeMap<String, AttrValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
}

#[derive(Serialize, Deserialize, Default)]
struct MetaOut<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    language: &'a str,
}

/// Writes one document's line (without the newline).
pub fn write(item: &Item<'_>, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let meta = &item.doc.document.meta;
    let line = LineOut {
        id: &meta.id,
        text: item.doc.document.text(),
        spans: item
            .spans
            .iter()
            .map(|c| SpanOut {
                id: &c.span.id,
                start: item.offsets.from_char(c.span.start),
                end: item.offsets.from_char(c.span.end),
                label: &c.span.label,
                text: &c.span.text,
                attrs: &c.span.attrs,
                note: c.span.note.as_deref(),
                confidence: c.span.confidence,
            })
            .collect(),
        relations: &item.set.relations,
        events: &item.set.events,
        set: &item.set.id,
        source: &item.set.source,
        status: item.set.status,
        offsets: item.offsets.unit().name(),
        meta: MetaOut {
            title: meta.title.as_deref(),
            source: meta.source.as_deref(),
            url: meta.url.as_deref(),
            published: meta.published.as_deref(),
            language: &meta.language,
        },
    };
    serde_json::to_writer(out, &line)
}

#[derive(Deserialize)]
struct LineIn {
    id: String,
    text: String,
    #[serde(default)]
    spans: Vec<SpanIn>,
    #[serde(default)]
    relations: Vec<Relation>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    set: Option<String>,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    status: Status,
    #[serde(default)]
    offsets: Option<String>,
    #[serde(default)]
    meta: Option<MetaIn>,
}

#[derive(Deserialize)]
struct SpanIn {
    #[serde(default)]
    id: Option<String>,
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    attrs: BTreeMap<String, AttrValue>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    confidence: Option<f64>,
}

#[derive(Deserialize, Default)]
struct MetaIn {
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    published: Option<String>,
    #[serde(default)]
    language: String,
}

/// Reads JSONL lines back into documents, one set each (named by the line's `set`, else
/// `default_set`). Every span's offsets must hold its text; a problem is reported as
/// `line N: what`.
pub fn read(src: &str, default_set: &str) -> Result<Vec<AnnotatedDocument>, String> {
    let mut docs = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let at = n + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: LineIn = serde_json::from_str(raw)
            .map_err(|e| format!("line {at}, column {}: {e}", e.column()))?;
        let utf16 = match line.offsets.as_deref() {
            None | Some("codepoint") => false,
            Some("utf16") => true,
            Some(other) => {
                return Err(format!(
                    "line {at}: offsets \"{other}\" (expected codepoint or utf16)"
                ));
            }
        };
        let meta = line.meta.unwrap_or_default();
        let document = Document::new(
            DocumentMeta {
                id: line.id,
                title: meta.title,
                source: meta.source,
                url: meta.url,
                published: meta.published,
                language: meta.language,
                import: None,
            },
            line.text,
        );
        let to_chars = utf16.then(|| Offsets::new(document.text(), Unit::Utf16));
        let mut spans = Vec::with_capacity(line.spans.len());
        for (k, s) in line.spans.into_iter().enumerate() {
            let name = s.id.clone().unwrap_or_else(|| format!("s{}", k + 1));
            let (start, end) = if let Some(to_chars) = &to_chars {
                match (to_chars.to_char(s.start), to_chars.to_char(s.end)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        return Err(format!(
                            "line {at}: span {name}: UTF-16 offsets {}:{} split a character or \
                             are outside the text",
                            s.start, s.end
                        ));
                    }
                }
            } else {
                (s.start, s.end)
            };
            let found = (start <= end)
                .then(|| document.slice(CharRange::new(start, end)))
                .flatten()
                .ok_or_else(|| {
                    format!(
                        "line {at}: span {name}: offsets {start}:{end} are outside the text \
                         ({} characters)",
                        document.char_len()
                    )
                })?;
            if let Some(text) = &s.text
                && text != found
            {
                return Err(format!(
                    "line {at}: span {name}: text[{start}:{end}] is \"{found}\" but the span \
                     says \"{text}\""
                ));
            }
            spans.push(Span {
                id: name,
                start,
                end,
                label: s.label,
                text: found.to_owned(),
                attrs: s.attrs,
                note: s.note,
                confidence: s.confidence,
            });
        }
        let set_id = line.set.unwrap_or_else(|| default_set.to_owned());
        let source = line.source.unwrap_or_else(|| Source::Human {
            annotator: set_id.clone(),
        });
        let mut doc = AnnotatedDocument::new(document);
        doc.sets.push(AnnotationSet {
            id: set_id,
            source,
            status: line.status,
            spans,
            relations: line.relations,
            events: line.events,
            decisions: Vec::new(),
            effort: Default::default(),
            conflicts: Vec::new(),
        });
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_whose_span_text_does_not_match_is_refused_with_its_line() {
        let src = "{\"id\":\"a\",\"text\":\"في مالي\",\"spans\":[]}\n\
                   {\"id\":\"b\",\"text\":\"في مالي\",\"spans\":[{\"start\":3,\"end\":7,\"label\":\"PLACE\",\"text\":\"مال\"}]}";
        let err = read(src, "x").expect_err("mismatch");
        assert!(
            err.starts_with("line 2: span s1: text[3:7] is \"مالي\""),
            "{err}"
        );
    }
}
