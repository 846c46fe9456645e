//! UIMA CAS XMI in (INCEpTION's and DKPro's exchange format): the Sofa's text, every
//! annotation with `begin` and `end` of a custom layer (ours, `webanno.custom.MarsadSpan`, or
//! INCEpTION's own `webanno.custom.*` span layers, whose label is their `label` or `value`
//! feature, else the layer's name) as a span with its other features as attributes, and
//! every annotation with `Governor` and `Dependent` as a relation. Offsets are UTF-16 code
//! units, as UIMA counts them; each must fall between characters.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{ImportError, checked_span, document, read_text, set_for};
use crate::model::{AnnotatedDocument, AttrValue, Relation};
use crate::offsets::{Offsets, Unit};

/// An annotation as read: its xmi:id, offsets, label, note and other features; relations
/// name their ends by xmi:id.
#[derive(Default)]
struct Raw {
    /// The custom layer's name (`MarsadSpan` for ours).
    layer: String,
    xmi: Option<u64>,
    begin: Option<usize>,
    end: Option<usize>,
    label: Option<String>,
    value: Option<String>,
    note: Option<String>,
    governor: Option<u64>,
    dependent: Option<u64>,
    features: Vec<(String, String)>,
}

fn number<T: std::str::FromStr>(bytes: &[u8], key: &str) -> Result<T, String> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            format!(
                "{key} \"{}\" is not a number",
                String::from_utf8_lossy(bytes)
            )
        })
}

fn unescaped(bytes: &[u8], key: &str) -> Result<String, String> {
    let raw = std::str::from_utf8(bytes).map_err(|_| format!("{key}: not UTF-8"))?;
    // One pass; UIMA writers escape every whitespace they mean to keep.
    Ok(quick_xml::escape::unescape(raw)
        .map_err(|e| format!("{key}: {e}"))?
        .into_owned())
}

/// A custom layer's annotation, read from its attributes without copying what is not kept.
fn raw_of(e: &BytesStart<'_>, layer: &str) -> Result<Raw, String> {
    let mut raw = Raw {
        layer: layer.to_owned(),
        ..Raw::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| format!("<{layer}>: {err}"))?;
        let (key, v) = (a.key.as_ref(), a.value.as_ref());
        match key {
            b"begin" => raw.begin = Some(number(v, "begin")?),
            b"end" => raw.end = Some(number(v, "end")?),
            b"xmi:id" => raw.xmi = Some(number(v, "xmi:id")?),
            b"Governor" => raw.governor = Some(number(v, "Governor")?),
            b"Dependent" => raw.dependent = Some(number(v, "Dependent")?),
            b"label" => raw.label = Some(unescaped(v, "label")?),
            b"value" => raw.value = Some(unescaped(v, "value")?),
            b"note" => raw.note = Some(unescaped(v, "note")?),
            b"sofa" => {}
            k if k.contains(&b':') => {}
            k => {
                let name = String::from_utf8_lossy(k).into_owned();
                let value = unescaped(v, &name)?;
                raw.features.push((name, value));
            }
        }
    }
    Ok(raw)
}

/// Every `.xmi` file of a folder (or the one file given).
pub fn read(input: &Path, set_id: &str) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let mut files = if input.is_dir() {
        std::fs::read_dir(input)
            .map_err(|error| ImportError::Io {
                path: input.to_owned(),
                error,
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "xmi"))
            .collect::<Vec<_>>()
    } else {
        vec![input.to_owned()]
    };
    files.sort();
    files.iter().map(|f| one(f, set_id)).collect()
}

fn one(path: &Path, set_id: &str) -> Result<AnnotatedDocument, ImportError> {
    let src = read_text(path)?;
    let mut reader = quick_xml::Reader::from_str(&src);
    let mut text = None;
    let mut raws: Vec<Raw> = Vec::new();
    loop {
        let at = reader.buffer_position();
        let located = |w: String| ImportError::at(path, format!("byte {at}"), w);
        let event = reader
            .read_event()
            .map_err(|e| located(format!("not well-formed XML: {e}")))?;
        let e = match event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => continue,
        };
        let name = e.name();
        if name.as_ref() == b"cas:Sofa" {
            for a in e.attributes() {
                let a = a.map_err(|err| located(format!("<cas:Sofa>: {err}")))?;
                if a.key.as_ref() == b"sofaString" {
                    text = Some(unescaped(&a.value, "sofaString").map_err(located)?);
                }
            }
        } else if let Some(layer) = name.as_ref().strip_prefix(b"custom:") {
            let layer = String::from_utf8_lossy(layer).into_owned();
            raws.push(raw_of(&e, &layer).map_err(located)?);
        }
    }
    let text = text
        .ok_or_else(|| ImportError::at(path, "cas:Sofa", "no sofaString: the XMI holds no text"))?;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc = document(&id, text);
    let utf16 = Offsets::new(doc.text(), Unit::Utf16);
    let mut set = set_for(set_id, None);
    let mut by_xmi: HashMap<u64, String> = HashMap::new();
    let (spans, relations): (Vec<Raw>, Vec<Raw>) =
        raws.into_iter().partition(|r| r.governor.is_none());
    for r in spans {
        let (Some(begin), Some(end)) = (r.begin, r.end) else {
            continue;
        };
        let place = || format!("custom:{} xmi:id {}", r.layer, r.xmi.unwrap_or_default());
        let fail = |what: String| ImportError::at(path, place(), what);
        let offset = |n: usize| {
            utf16.to_char(n).ok_or_else(|| {
                fail(format!(
                    "UTF-16 offset {n} splits a character or is outside the text"
                ))
            })
        };
        let (start, stop) = (offset(begin)?, offset(end)?);
        // Ours have a `label`; INCEpTION's own layers name theirs `value` (or nothing: the
        // layer's name is the label), and `value` is then no attribute.
        let ours = r.layer == "MarsadSpan";
        let label = match (&r.label, &r.value) {
            (Some(l), _) => l.as_str(),
            (None, Some(v)) if !ours => v.as_str(),
            _ => r.layer.as_str(),
        };
        let span_id = format!("s{}", set.spans.len() + 1);
        let mut span =
            checked_span(&doc, span_id.clone(), (start, stop), label, None).map_err(fail)?;
        span.note = r.note.clone();
        if ours && let Some(v) = &r.value {
            span.attrs
                .insert("value".to_owned(), AttrValue::Str(v.clone()));
        }
        for (k, v) in r.features {
            span.attrs.insert(k, AttrValue::Str(v));
        }
        if let Some(x) = r.xmi {
            by_xmi.insert(x, span_id);
        }
        set.spans.push(span);
    }
    for r in relations {
        let place = format!("custom:{} xmi:id {}", r.layer, r.xmi.unwrap_or_default());
        let end = |x: Option<u64>, key: &str| {
            x.and_then(|x| by_xmi.get(&x).cloned())
                .ok_or_else(|| ImportError::at(path, place.clone(), format!("{key} names no span")))
        };
        set.relations.push(Relation {
            id: format!("r{}", set.relations.len() + 1),
            kind: r
                .label
                .clone()
                .or(r.value.clone())
                .unwrap_or_else(|| "related".to_owned()),
            from: end(r.governor, "Governor")?,
            to: end(r.dependent, "Dependent")?,
        });
    }
    set.spans
        .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = AnnotatedDocument::new(doc);
    out.sets.push(set);
    Ok(out)
}
