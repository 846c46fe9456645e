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

/// One element's name and attributes, unescaped.
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    fn of(e: &BytesStart<'_>) -> Result<Self, String> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| format!("<{name}>: {err}"))?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            // One pass over the value (the Sofa is the whole text, with a character reference
            // for every newline); UIMA writers escape every whitespace they mean to keep.
            let raw =
                std::str::from_utf8(&a.value).map_err(|_| format!("<{name}> {key}: not UTF-8"))?;
            let value = quick_xml::escape::unescape(raw)
                .map_err(|err| format!("<{name}> {key}: {err}"))?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Self { name, attrs })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Features that are the annotation's frame, not its attributes.
const FRAME: [&str; 6] = ["xmi:id", "sofa", "begin", "end", "label", "note"];

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
    let mut elements = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            ImportError::at(
                path,
                format!("byte {at}"),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => elements
                .push(Element::of(&e).map_err(|w| ImportError::at(path, format!("byte {at}"), w))?),
            Event::Eof => break,
            _ => {}
        }
    }
    let text = elements
        .iter()
        .find(|e| e.name == "cas:Sofa")
        .and_then(|e| e.get("sofaString"))
        .ok_or_else(|| ImportError::at(path, "cas:Sofa", "no sofaString: the XMI holds no text"))?
        .to_owned();
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let doc = document(&id, text);
    let utf16 = Offsets::new(doc.text(), Unit::Utf16);
    let mut set = set_for(set_id, None);
    let mut by_xmi: HashMap<&str, String> = HashMap::new();
    for e in &elements {
        let (Some(begin), Some(end)) = (e.get("begin"), e.get("end")) else {
            continue;
        };
        if e.get("Governor").is_some() || !e.name.starts_with("custom:") {
            continue;
        }
        let xmi_id = e.get("xmi:id").unwrap_or_default();
        let fail =
            |what: String| ImportError::at(path, format!("{} xmi:id {xmi_id}", e.name), what);
        let offset = |s: &str| -> Result<usize, ImportError> {
            let n: usize = s
                .parse()
                .map_err(|_| fail(format!("\"{s}\" is not an offset")))?;
            utf16.to_char(n).ok_or_else(|| {
                fail(format!(
                    "UTF-16 offset {n} splits a character or is outside the text"
                ))
            })
        };
        let (start, stop) = (offset(begin)?, offset(end)?);
        let layer = e.name.trim_start_matches("custom:");
        // Ours have a `label`; INCEpTION's own layers name theirs `value` (or nothing: the
        // layer's name is the label), and `value` is then no attribute.
        let ours = layer == "MarsadSpan";
        let label = e
            .get("label")
            .or_else(|| if ours { None } else { e.get("value") })
            .unwrap_or(layer);
        let span_id = format!("s{}", set.spans.len() + 1);
        let mut span =
            checked_span(&doc, span_id.clone(), (start, stop), label, None).map_err(fail)?;
        span.note = e.get("note").map(str::to_owned);
        for (k, v) in &e.attrs {
            if !FRAME.contains(&k.as_str()) && !k.contains(':') && (ours || k != "value") {
                span.attrs.insert(k.clone(), AttrValue::Str(v.clone()));
            }
        }
        by_xmi.insert(xmi_id, span_id);
        set.spans.push(span);
    }
    for e in elements.iter().filter(|e| e.get("Governor").is_some()) {
        let place = format!("{} xmi:id {}", e.name, e.get("xmi:id").unwrap_or_default());
        let end = |key: &str| {
            e.get(key)
                .and_then(|x| by_xmi.get(x).cloned())
                .ok_or_else(|| ImportError::at(path, place.clone(), format!("{key} names no span")))
        };
        set.relations.push(Relation {
            id: format!("r{}", set.relations.len() + 1),
            kind: e
                .get("label")
                .or_else(|| e.get("value"))
                .unwrap_or("related")
                .to_owned(),
            from: end("Governor")?,
            to: end("Dependent")?,
        });
    }
    set.spans
        .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = AnnotatedDocument::new(doc);
    out.sets.push(set);
    Ok(out)
}
