//! langextract's output as its `save_annotated_documents` writes it: JSON, or JSONL with one
//! document per line, each `{extractions, text, document_id}`; the one that is this document
//! is found by its id or its text.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::json_err;
use crate::model::AnnotatedDocument;

#[derive(Deserialize)]
pub(super) struct LxInterval {
    pub start_pos: Option<usize>,
    pub end_pos: Option<usize>,
}

#[derive(Deserialize)]
pub(super) struct LxExtraction {
    pub extraction_class: String,
    pub extraction_text: String,
    #[serde(default)]
    pub char_interval: Option<LxInterval>,
    #[serde(default)]
    pub attributes: Option<BTreeMap<String, Value>>,
}

/// One document as langextract's `save_annotated_documents` writes it (one per line).
#[derive(Deserialize)]
pub(super) struct LxDoc {
    pub extractions: Vec<LxExtraction>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    document_id: Option<String>,
}

/// The document of a langextract file (JSON, or JSONL with one document per line) that is
/// `doc`: by `document_id`, else by its text; a file about another document is an error.
pub(super) fn langextract_document(src: &str, doc: &AnnotatedDocument) -> Result<LxDoc, String> {
    let lines = src.lines().filter(|l| !l.trim().is_empty()).count();
    let docs: Vec<LxDoc> = match serde_json::from_str::<LxDoc>(src) {
        Ok(one) => vec![one],
        Err(whole) if lines <= 1 => return Err(json_err(whole)),
        Err(_) => src
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", n + 1)))
            .collect::<Result<_, _>>()?,
    };
    let id = &doc.document.meta.id;
    let text = doc.document.text();
    let is_this = |d: &LxDoc| {
        d.document_id.as_deref() == Some(id.as_str()) || d.text.as_deref() == Some(text)
    };
    let unnamed = docs.len() == 1 && docs[0].document_id.is_none() && docs[0].text.is_none();
    let ids: Vec<String> = docs
        .iter()
        .map(|d| {
            d.document_id
                .clone()
                .unwrap_or_else(|| "(no id)".to_owned())
        })
        .collect();
    let found = docs
        .into_iter()
        .enumerate()
        .find(|(_, d)| is_this(d) || unnamed)
        .map(|(_, d)| d)
        .ok_or_else(|| {
            format!(
                "none of its documents is this one (it has {}; this document's id is \"{id}\" and its text matches none)",
                ids.join(", ")
            )
        })?;
    if found.text.as_deref().is_some_and(|t| t != text) {
        return Err(format!(
            "its document \"{}\" has another text than this document",
            found.document_id.as_deref().unwrap_or(id)
        ));
    }
    Ok(found)
}
