//! Model predictions into a document, as an annotation set whose source is the model: the
//! Hugging Face token-classification pipeline's output, spaCy's JSON (`ents` or `spans`),
//! LangExtract's extractions, or a `marsad/1` document written by a model.
//!
//! Every prediction is checked against the document's text: offsets inside the text (in code
//! points, or UTF-16 units with [`Unit::Utf16`]), its text (when it gives one) equal to
//! `text[start:end]`, and a label the schema knows once mapped. A prediction that fails is
//! reported with its number and left out — never shifted to fit.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::model::arabic::loose;
use crate::model::{
    AnnotatedDocument, AnnotationSet, AttrType, AttrValue, CharRange, LabelSchema, Source, Span,
    Status,
};
use crate::offsets::{Offsets, Unit};

/// The formats predictions come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Hf,
    Spacy,
    Langextract,
    Marsad,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "hf" => Format::Hf,
            "spacy" => Format::Spacy,
            "langextract" => Format::Langextract,
            "marsad" => Format::Marsad,
            _ => {
                return Err(format!(
                    "unknown format \"{s}\" (hf, spacy, langextract, marsad)"
                ));
            }
        })
    }
}

/// The label map used when none is given: the usual NER labels onto Marsad's.
pub const DEFAULT_MAP: [(&str, &str); 7] = [
    ("PER", "ACTOR"),
    ("ORG", "ACTOR"),
    ("NORP", "ACTOR"),
    ("LOC", "PLACE"),
    ("GPE", "PLACE"),
    ("FAC", "PLACE"),
    ("PERSON", "ACTOR"),
];

/// Everything an import needs besides the two files.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub format: Format,
    pub model: String,
    pub version: Option<String>,
    /// Model label → schema label; applied after [`DEFAULT_MAP`], so it can override it.
    pub map: BTreeMap<String, String>,
    pub offsets: Unit,
    /// Leave out a Hugging Face prediction whose `word` differs from the text (by default it
    /// is taken, its offsets being the truth, with a note).
    pub strict: bool,
}

impl Options {
    pub fn new(format: Format, model: &str) -> Self {
        Self {
            format,
            model: model.to_owned(),
            version: None,
            map: BTreeMap::new(),
            offsets: Unit::CodePoints,
            strict: false,
        }
    }
}

/// The model's set and what was left out (one message per prediction).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub set: AnnotationSet,
    /// Predictions left out, and why.
    pub skipped: Vec<String>,
    /// Predictions taken in with something to say: a word that differs from the text even
    /// after folding what tokenizers change, an attribute that was dropped.
    pub notes: Vec<String>,
}

/// One prediction before it is checked.
struct Raw {
    start: usize,
    end: usize,
    label: String,
    text: Option<String>,
    score: Option<f64>,
    attrs: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct HfEntity {
    #[serde(default)]
    entity_group: Option<String>,
    #[serde(default)]
    entity: Option<String>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    word: Option<String>,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct HfLine {
    id: String,
    predictions: Vec<HfEntity>,
}

#[derive(Deserialize)]
struct SpacySpan {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    score: Option<f64>,
}

#[derive(Deserialize)]
struct SpacyDoc {
    text: String,
    #[serde(default)]
    ents: Vec<SpacySpan>,
    #[serde(default)]
    spans: BTreeMap<String, Vec<SpacySpan>>,
}

mod langextract;
use langextract::{LxInterval, langextract_document};

fn json_err(e: serde_json::Error) -> String {
    format!("line {}, column {}: {e}", e.line(), e.column())
}

/// HF entities to raw predictions; token-level `B-`/`I-` entities are joined into spans.
fn from_hf(entities: Vec<HfEntity>, text: &[char]) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    for e in entities {
        let (label, inside) = match (e.entity_group, e.entity) {
            (Some(g), _) => (g, false),
            (None, Some(t)) => match t.split_once('-') {
                Some(("B", l)) => (l.to_owned(), false),
                Some(("I", l)) => (l.to_owned(), true),
                _ => (t, false),
            },
            (None, None) => (String::new(), false),
        };
        if inside
            && let Some(last) = out.last_mut()
            && last.label == label
            && last.end <= e.start
            && text
                .get(last.end..e.start)
                .is_some_and(|gap| gap.iter().all(|c| c.is_whitespace()))
        {
            last.end = e.end;
            last.text = None;
            last.score = match (last.score, e.score) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            continue;
        }
        out.push(Raw {
            start: e.start,
            end: e.end,
            label,
            text: e.word.map(|w| w.replace("##", "").replace('▁', " ")),
            score: e.score,
            attrs: BTreeMap::new(),
        });
    }
    out
}

/// A model's attribute value as the schema's type takes it: numbers from digits, booleans
/// from `true`/`false` in any case, enum values in any case (as the schema spells them).
fn typed(ty: &AttrType, value: &Value) -> Option<AttrValue> {
    match (ty, value) {
        (AttrType::Bool, Value::Bool(b)) => Some(AttrValue::Bool(*b)),
        (AttrType::Bool, Value::String(s)) => match s.trim().to_lowercase().as_str() {
            "true" => Some(AttrValue::Bool(true)),
            "false" => Some(AttrValue::Bool(false)),
            _ => None,
        },
        (AttrType::Integer, Value::Number(n)) => n.as_i64().map(AttrValue::Int),
        (AttrType::Integer, Value::String(s)) => s.trim().parse().ok().map(AttrValue::Int),
        (AttrType::Enum(values), Value::String(s)) => values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(s.trim()))
            .map(|v| AttrValue::Str(v.clone())),
        (AttrType::String, Value::String(s)) => Some(AttrValue::Str(s.clone())),
        _ => None,
    }
}

/// Reads predictions for `doc` from `src` and checks each against the text and the schema.
pub fn import(
    src: &str,
    doc: &AnnotatedDocument,
    schema: &LabelSchema,
    options: &Options,
) -> Result<Imported, String> {
    let text = doc.document.text();
    let chars: Vec<char> = text.chars().collect();
    let raws: Vec<Raw> = match options.format {
        Format::Hf => {
            let trimmed = src.trim_start();
            if trimmed.starts_with('[') {
                from_hf(serde_json::from_str(src).map_err(json_err)?, &chars)
            } else {
                let id = &doc.document.meta.id;
                let mut found = None;
                for (n, line) in src
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                {
                    let line: HfLine =
                        serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
                    if &line.id == id {
                        found = Some(line.predictions);
                    }
                }
                let entities = found
                    .ok_or_else(|| format!("no line with \"id\": \"{id}\" (the document's id)"))?;
                from_hf(entities, &chars)
            }
        }
        Format::Spacy => {
            let d: SpacyDoc = serde_json::from_str(src).map_err(json_err)?;
            if d.text != text {
                return Err("its \"text\" is not the document's text".to_owned());
            }
            d.ents
                .into_iter()
                .chain(d.spans.into_values().flatten())
                .map(|s| Raw {
                    start: s.start,
                    end: s.end,
                    label: s.label,
                    text: None,
                    score: s.score,
                    attrs: BTreeMap::new(),
                })
                .collect()
        }
        Format::Langextract => {
            let d = langextract_document(src, doc)?;
            d.extractions
                .into_iter()
                .map(|x| {
                    let (start, end) = match x.char_interval {
                        Some(LxInterval {
                            start_pos: Some(a),
                            end_pos: Some(b),
                        }) => (a, b),
                        _ => (usize::MAX, usize::MAX),
                    };
                    Raw {
                        start,
                        end,
                        label: x.extraction_class,
                        text: Some(x.extraction_text),
                        score: None,
                        attrs: x.attributes.unwrap_or_default(),
                    }
                })
                .collect()
        }
        Format::Marsad => {
            let parsed = super::format::from_str(src, super::Syntax::Json).map_err(|p| {
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
            if parsed.doc.document.text_sha256() != doc.document.text_sha256() {
                return Err("its text is not the document's text (text_sha256 differs)".to_owned());
            }
            let set = match parsed.doc.sets.as_slice() {
                [only] => only,
                sets => sets
                    .iter()
                    .find(|s| matches!(s.source, Source::Model { .. }))
                    .ok_or("it has several sets and none is a model's")?,
            };
            set.spans
                .iter()
                .map(|s| Raw {
                    start: s.start,
                    end: s.end,
                    label: s.label.clone(),
                    text: Some(s.text.clone()),
                    score: s.confidence,
                    attrs: s
                        .attrs
                        .iter()
                        .map(|(k, v)| {
                            let v = match v {
                                AttrValue::Bool(b) => Value::from(*b),
                                AttrValue::Int(n) => Value::from(*n),
                                AttrValue::Str(s) => Value::from(s.as_str()),
                            };
                            (k.clone(), v)
                        })
                        .collect(),
                })
                .collect()
        }
    };

    let utf16 = (options.offsets == Unit::Utf16).then(|| Offsets::new(text, Unit::Utf16));
    let mut map: BTreeMap<String, String> = DEFAULT_MAP
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    map.extend(options.map.clone());

    let mut spans: Vec<Span> = Vec::new();
    let mut skipped = Vec::new();
    let mut notes = Vec::new();
    for (n, raw) in raws.into_iter().enumerate() {
        let at = n + 1;
        let (start, end) = match &utf16 {
            Some(m) => match (m.to_char(raw.start), m.to_char(raw.end)) {
                (Some(a), Some(b)) => (a, b),
                _ => {
                    skipped.push(format!(
                        "prediction {at} ({}): UTF-16 offsets {}:{} split a character or are outside the text",
                        raw.label, raw.start, raw.end
                    ));
                    continue;
                }
            },
            None => (raw.start, raw.end),
        };
        if raw.start == usize::MAX {
            skipped.push(format!(
                "prediction {at} ({}): no char_interval (not aligned to the text)",
                raw.label
            ));
            continue;
        }
        let Some(found) = (start < end)
            .then(|| doc.document.slice(CharRange::new(start, end)))
            .flatten()
        else {
            skipped.push(format!(
                "prediction {at} ({}): offsets {start}:{end} are outside the text ({} characters)",
                raw.label,
                chars.len()
            ));
            continue;
        };
        if let Some(t) = &raw.text
            && loose(t) != loose(found)
        {
            let what = format!(
                "prediction {at} ({}): text[{start}:{end}] is \"{found}\" but the prediction says \"{t}\"",
                raw.label
            );
            // A tokenizer's `word` is a decoded guess; its offsets are the truth.
            if options.format == Format::Hf && !options.strict {
                notes.push(format!("{what}; taken by its offsets"));
            } else {
                skipped.push(what);
                continue;
            }
        }
        let label = map
            .get(&raw.label)
            .cloned()
            .unwrap_or_else(|| raw.label.clone());
        let Some(def) = schema.label(&label) else {
            skipped.push(format!(
                "prediction {at}: label \"{}\" is not in the schema (map it with --map {}=LABEL)",
                raw.label, raw.label
            ));
            continue;
        };
        let mut attrs = BTreeMap::new();
        for (name, value) in raw.attrs {
            let Some(attr) = def.attributes.iter().find(|a| a.name == name) else {
                notes.push(format!(
                    "prediction {at} ({label}): attribute {name} = {value} dropped: {label} has no such attribute"
                ));
                continue;
            };
            match typed(&attr.ty, &value) {
                Some(v) => {
                    attrs.insert(name, v);
                }
                None => notes.push(format!(
                    "prediction {at} ({label}): attribute {name} = {value} dropped: not a value {name} takes"
                )),
            }
        }
        spans.push(Span {
            id: String::new(),
            start,
            end,
            label,
            text: found.to_owned(),
            attrs,
            note: None,
            confidence: raw.score.map(|s| s.clamp(0.0, 1.0)),
        });
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    for (i, s) in spans.iter_mut().enumerate() {
        s.id = format!("p{}", i + 1);
    }
    Ok(Imported {
        set: AnnotationSet {
            id: options.model.clone(),
            source: Source::Model {
                name: options.model.clone(),
                version: options.version.clone(),
            },
            status: Status::NotStarted,
            spans,
            relations: Vec::new(),
            events: Vec::new(),
            decisions: Vec::new(),
            effort: Default::default(),
            conflicts: Vec::new(),
        },
        skipped,
        notes,
    })
}

/// Why an imported set cannot go into a document: its id is taken by a set that is not an
/// earlier import of the same model. A coder's work is never replaced by an import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error(
        "set \"{0}\" is a coder's annotation set; an import never replaces it (name the model \
         with --model, or in the import dialog)"
    )]
    HumanSet(String),
    #[error(
        "set \"{id}\" holds the predictions of model \"{other}\", not \"{model}\"; name this \
         model differently"
    )]
    OtherModel {
        id: String,
        other: String,
        model: String,
    },
}

/// Where an imported set goes: `None` for a new set, or the index of the earlier import of the
/// same model (a Model set with that id and name) that it replaces.
pub fn target(doc: &AnnotatedDocument, set: &AnnotationSet) -> Result<Option<usize>, Conflict> {
    let Some(index) = doc.sets.iter().position(|s| s.id == set.id) else {
        return Ok(None);
    };
    let model = match &set.source {
        Source::Model { name, .. } => name.as_str(),
        Source::Human { .. } => "",
    };
    match &doc.sets[index].source {
        Source::Model { name, .. } if name == model => Ok(Some(index)),
        Source::Model { name, .. } => Err(Conflict::OtherModel {
            id: set.id.clone(),
            other: name.clone(),
            model: model.to_owned(),
        }),
        Source::Human { .. } => Err(Conflict::HumanSet(set.id.clone())),
    }
}

/// Puts the model's set into the document, replacing an earlier import of the same model;
/// true when it replaced one.
pub fn add_to(doc: &mut AnnotatedDocument, set: AnnotationSet) -> Result<bool, Conflict> {
    match target(doc, &set)? {
        Some(index) => {
            doc.sets[index] = set;
            Ok(true)
        }
        None => {
            doc.sets.push(set);
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn doc(text: &str) -> AnnotatedDocument {
        notation::parse(text)
            .expect("notation")
            .to_document("doc-1", "coder-a")
    }

    fn spans(imported: &Imported) -> Vec<(String, String, Option<f64>)> {
        imported
            .set
            .spans
            .iter()
            .map(|s| (s.label.clone(), s.text.clone(), s.confidence))
            .collect()
    }

    #[test]
    fn hugging_face_groups_are_mapped_and_checked() {
        let d = doc("أعلنت جماعة نصرة الإسلام مسؤوليتها عن هجوم في سيكاسو");
        let src = r#"[
            {"entity_group": "ORG", "score": 0.98, "word": "جماعة نصرة الإسلام", "start": 6, "end": 24},
            {"entity_group": "LOC", "score": 0.91, "word": "سيكاسو", "start": 46, "end": 52},
            {"entity_group": "LOC", "score": 0.5, "word": "مالي", "start": 46, "end": 52},
            {"entity_group": "MISC", "score": 0.7, "word": "هجوم", "start": 38, "end": 42}
        ]"#;
        let strict = Options {
            strict: true,
            ..Options::new(Format::Hf, "camelbert")
        };
        // By default a word that differs is taken by its offsets, with a note.
        let taken = import(
            src,
            &d,
            LabelSchema::builtin(),
            &Options::new(Format::Hf, "camelbert"),
        )
        .expect("import");
        assert_eq!(taken.set.spans.len(), 3);
        assert!(taken.notes[0].contains("but the prediction says \"مالي\"; taken by its offsets"));
        let out = import(src, &d, LabelSchema::builtin(), &strict).expect("import");
        assert_eq!(
            spans(&out),
            [
                ("ACTOR".into(), "جماعة نصرة الإسلام".into(), Some(0.98)),
                ("PLACE".into(), "سيكاسو".into(), Some(0.91)),
            ]
        );
        assert_eq!(out.skipped.len(), 2);
        assert!(out.skipped[0].starts_with("prediction 3 (LOC): text[46:52] is \"سيكاسو\""));
        assert!(out.skipped[1].contains("label \"MISC\" is not in the schema"));
        assert_eq!(
            out.set.source,
            Source::Model {
                name: "camelbert".into(),
                version: None
            }
        );
    }

    #[test]
    fn hugging_face_tokens_are_joined_and_jsonl_is_picked_by_id() {
        let d = doc("هاجمت جماعة نصرة الإسلام");
        let src = "{\"id\": \"other\", \"predictions\": []}\n\
            {\"id\": \"doc-1\", \"predictions\": [\
            {\"entity\": \"B-ORG\", \"score\": 0.9, \"word\": \"جماعة\", \"start\": 6, \"end\": 11},\
            {\"entity\": \"I-ORG\", \"score\": 0.8, \"word\": \"نصرة\", \"start\": 12, \"end\": 16},\
            {\"entity\": \"I-ORG\", \"score\": 0.7, \"word\": \"الإسلام\", \"start\": 17, \"end\": 24}]}";
        let out = import(
            src,
            &d,
            LabelSchema::builtin(),
            &Options::new(Format::Hf, "m"),
        )
        .expect("import");
        assert_eq!(
            spans(&out),
            [("ACTOR".into(), "جماعة نصرة الإسلام".into(), Some(0.7))]
        );
    }

    #[test]
    fn utf16_offsets_after_an_emoji() {
        let d = doc("🔥 قصف في سيكاسو أمس");
        // In UTF-16 the emoji counts 2: سيكاسو is 10..16 (code points 9..15).
        let src = r#"{"text": "🔥 قصف في سيكاسو أمس", "ents": [{"start": 10, "end": 16, "label": "GPE"}]}"#;
        let mut options = Options::new(Format::Spacy, "spacy-ar");
        options.offsets = Unit::Utf16;
        let out = import(src, &d, LabelSchema::builtin(), &options).expect("import");
        assert_eq!(spans(&out), [("PLACE".into(), "سيكاسو".into(), None)]);
        assert_eq!((out.set.spans[0].start, out.set.spans[0].end), (9, 15));
        // Read as code points, UTF-16 offsets miss by one; with the word given (HF), that is
        // caught and reported, not imported.
        let hf =
            r#"[{"entity_group": "LOC", "score": 0.9, "word": "سيكاسو", "start": 10, "end": 16}]"#;
        let strict = Options {
            strict: true,
            ..Options::new(Format::Hf, "m")
        };
        let out = import(hf, &d, LabelSchema::builtin(), &strict).expect("import");
        assert!(out.set.spans.is_empty());
        assert!(
            out.skipped[0].contains("but the prediction says \"سيكاسو\""),
            "{:?}",
            out.skipped
        );
        let mut utf16 = Options::new(Format::Hf, "m");
        utf16.offsets = Unit::Utf16;
        let out = import(hf, &d, LabelSchema::builtin(), &utf16).expect("import");
        assert_eq!(spans(&out), [("PLACE".into(), "سيكاسو".into(), Some(0.9))]);
        let out = import(
            r#"{"text": "🔥 قصف في سيكاسو أمس", "ents": [{"start": 1, "end": 17, "label": "GPE"}]}"#,
            &d,
            LabelSchema::builtin(),
            &Options {
                offsets: Unit::Utf16,
                ..Options::new(Format::Spacy, "m")
            },
        )
        .expect("import");
        assert!(
            out.skipped[0].contains("split a character"),
            "{:?}",
            out.skipped
        );
    }

    #[test]
    fn spacy_span_groups_and_a_text_that_is_not_the_documents() {
        let d = doc("قصف في سيكاسو");
        let src = r#"{"text": "قصف في سيكاسو", "spans": {"sc": [{"start": 7, "end": 13, "label": "PLACE", "score": 0.6}]}}"#;
        let out = import(
            src,
            &d,
            LabelSchema::builtin(),
            &Options::new(Format::Spacy, "m"),
        )
        .expect("import");
        assert_eq!(spans(&out), [("PLACE".into(), "سيكاسو".into(), Some(0.6))]);
        let err = import(
            r#"{"text": "نص آخر", "ents": []}"#,
            &d,
            LabelSchema::builtin(),
            &Options::new(Format::Spacy, "m"),
        )
        .expect_err("other text");
        assert!(err.contains("not the document's text"));
    }

    #[test]
    fn langextract_with_attributes_and_an_unaligned_extraction() {
        let d = doc("قتل 27 جنديا في هجوم");
        let src = r#"{"extractions": [
            {"extraction_class": "CASUALTY", "extraction_text": "27 جنديا", "char_interval": {"start_pos": 4, "end_pos": 12},
             "alignment_status": "match_exact", "attributes": {"kind": "KILLED", "value": "27", "colour": "red"}},
            {"extraction_class": "ACTOR", "extraction_text": "الجيش", "char_interval": null, "alignment_status": null}
        ]}"#;
        let mut options = Options::new(Format::Langextract, "gemini");
        options.version = Some("2.5".into());
        let out = import(src, &d, LabelSchema::builtin(), &options).expect("import");
        assert_eq!(spans(&out), [("CASUALTY".into(), "27 جنديا".into(), None)]);
        let attrs = &out.set.spans[0].attrs;
        assert_eq!(attrs.get("kind"), Some(&AttrValue::Str("KILLED".into())));
        assert_eq!(attrs.get("value"), Some(&AttrValue::Int(27)));
        assert_eq!(attrs.len(), 2, "an attribute the schema lacks is dropped");
        assert!(out.skipped[0].contains("no char_interval"));
    }

    #[test]
    fn a_marsad_document_from_a_model() {
        let d = doc("قصف في سيكاسو");
        let mut m = notation::parse("قصف في [PLACE|سيكاسو]")
            .expect("notation")
            .to_document("doc-1", "x");
        m.sets[0].source = Source::Model {
            name: "x".into(),
            version: None,
        };
        m.sets[0].spans[0].confidence = Some(0.4);
        let src = super::super::format::to_string(&m, super::super::Syntax::Json).expect("json");
        let out = import(
            &src,
            &d,
            LabelSchema::builtin(),
            &Options::new(Format::Marsad, "x"),
        )
        .expect("import");
        assert_eq!(spans(&out), [("PLACE".into(), "سيكاسو".into(), Some(0.4))]);
    }
}
