//! brat standoff in: a folder of `NAME.txt` + `NAME.ann` pairs is one annotator's work (the
//! set is named after the folder, or `--set`); several folders of the same documents are
//! several annotators, merged into one document each. `T` lines are spans (fragments split
//! only by line breaks are joined again, as our export writes them; other discontinuous spans
//! are refused), `R` lines relations, `A`/`M` lines attributes, `#` AnnotatorNotes notes —
//! or, as `@name=value`, attributes with open values. Values are read as text and typed by
//! the schema afterwards ([`super::fit_schema`]).
//! Offsets are code points, as brat counts; each span's text must be the text's.

use std::collections::HashMap;
use std::path::Path;

use super::{ImportError, checked_span, document, read_text, set_for};
use crate::model::{AnnotatedDocument, AttrValue, Relation};
use crate::store::export::brat::{DOCUMENT_ID_NOTE, OPEN_ATTRIBUTE};

/// Every document of one folder (one annotator), merged with those of earlier folders.
pub fn folder(dir: &Path, set: Option<&str>) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let io = |error| ImportError::Io {
        path: dir.to_owned(),
        error,
    };
    let set_id = set.map(str::to_owned).unwrap_or_else(|| {
        dir.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "brat".to_owned())
    });
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    names.sort();
    let mut docs = Vec::new();
    for ann_path in names {
        let txt_path = ann_path.with_extension("txt");
        let text = read_text(&txt_path)?;
        let ann = read_text(&ann_path)?;
        let id = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let doc = document(&id, text);
        let (set, original) = standoff(&doc, &ann, &set_id)
            .map_err(|(line, what)| ImportError::at(&ann_path, format!("line {line}"), what))?;
        let mut out = AnnotatedDocument::new(doc);
        if let Some(original) = original {
            out.document.meta.id = original;
        }
        out.sets.push(set);
        docs.push(out);
    }
    Ok(docs)
}

/// One `.ann` file read against its text. Errors carry the line number.
/// One `.ann` read against its text: the set, and the document's own id when our export
/// noted one (its file name differs from it).
fn standoff(
    doc: &crate::model::Document,
    ann: &str,
    set_id: &str,
) -> Result<(crate::model::AnnotationSet, Option<String>), (usize, String)> {
    let mut set = set_for(set_id, None);
    let text: Vec<char> = doc.text().chars().collect();
    // Spans first: relations, attributes and notes name them.
    let mut lines: Vec<(usize, &str)> = ann
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    lines.sort_by_key(|(_, l)| !l.starts_with('T'));
    // Each T id read, and where its span is (a set's own lookup is a scan).
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut notes: Vec<Vec<String>> = Vec::new();
    let mut document_id = None;
    for (n, line) in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let id = fields[0];
        let body = fields.get(1).copied().unwrap_or_default();
        let fail = |what: String| (n, format!("{id}: {what}"));
        match id.chars().next() {
            Some('T') => {
                let (label, places) = body
                    .split_once(' ')
                    .ok_or_else(|| fail("not \"LABEL START END\"".to_owned()))?;
                let mut fragments = Vec::new();
                for f in places.split(';') {
                    let (a, b) = f
                        .trim()
                        .split_once(' ')
                        .ok_or_else(|| fail(format!("\"{f}\" is not \"START END\"")))?;
                    let parse = |s: &str| {
                        s.parse::<usize>()
                            .map_err(|_| fail(format!("\"{s}\" is not an offset")))
                    };
                    fragments.push((parse(a)?, parse(b)?));
                }
                let (start, end) = (fragments[0].0, fragments[fragments.len() - 1].1);
                // Fragments split only by line breaks (and spaces) are one span.
                for w in fragments.windows(2) {
                    let gap = text.get(w[0].1..w[1].0).unwrap_or_default();
                    if w[1].0 < w[0].1 || !gap.iter().all(|c| c.is_whitespace()) {
                        return Err(fail(
                            "a discontinuous span (Marsad spans are one range)".into(),
                        ));
                    }
                }
                let said = fields.get(2).copied();
                let mut span = checked_span(doc, id.to_owned(), (start, end), label, None)
                    .map_err(|w| (n, w))?;
                // The text field is the fragments' texts joined by a space, on one line.
                let pieces: Vec<String> = fragments
                    .iter()
                    .map(|&(a, b)| text.get(a..b).unwrap_or_default().iter().collect())
                    .collect();
                let written = pieces.join(" ").replace(['\n', '\r', '\t'], " ");
                if let Some(said) = said
                    && said != written
                {
                    return Err(fail(format!(
                        "text[{start}:{end}] is \"{written}\" but the file says \"{said}\""
                    )));
                }
                span.id = id.to_owned();
                at.insert(id, set.spans.len());
                set.spans.push(span);
                notes.push(Vec::new());
            }
            Some('R') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                let arg = |p: Option<&&str>, name: &str| -> Result<String, (usize, String)> {
                    let target = p
                        .and_then(|a| a.split_once(':'))
                        .map(|(_, t)| t.to_owned())
                        .ok_or_else(|| fail(format!("no {name}")))?;
                    if !at.contains_key(target.as_str()) {
                        return Err(fail(format!("{name} names {target}, which is no span")));
                    }
                    Ok(target)
                };
                let kind = parts
                    .first()
                    .ok_or_else(|| fail("no relation type".into()))?;
                set.relations.push(Relation {
                    id: id.to_owned(),
                    kind: (*kind).to_owned(),
                    from: arg(parts.get(1), "Arg1")?,
                    to: arg(parts.get(2), "Arg2")?,
                });
            }
            Some('A' | 'M') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                let (Some(name), Some(target)) = (parts.first(), parts.get(1)) else {
                    return Err(fail("not \"NAME TARGET [VALUE]\"".into()));
                };
                let Some(&k) = at.get(*target) else {
                    return Err(fail(format!("{target} is no span")));
                };
                let value = match parts.get(2..).filter(|v| !v.is_empty()) {
                    None => AttrValue::Bool(true),
                    Some(v) => AttrValue::Str(v.join(" ")),
                };
                // `ACTOR-kind` on an ACTOR span is its `kind` (declared per label).
                let span = &mut set.spans[k];
                let name = name
                    .strip_prefix(span.label.as_str())
                    .and_then(|n| n.strip_prefix('-'))
                    .unwrap_or(name);
                span.attrs.insert(name.to_owned(), value);
            }
            Some('#') => {
                let target = body.split_whitespace().nth(1).unwrap_or_default();
                let Some(&k) = at.get(target) else {
                    return Err(fail(format!("{target} is no span")));
                };
                let note = fields.get(2).copied().unwrap_or_default().to_owned();
                // Our export names a document whose file name differs from its id.
                if let Some(original) = note.strip_prefix(DOCUMENT_ID_NOTE) {
                    document_id = Some(original.to_owned());
                    continue;
                }
                // `@name=value`: an attribute with an open value.
                if let Some((name, value)) = note
                    .strip_prefix(OPEN_ATTRIBUTE)
                    .and_then(|n| n.split_once('='))
                {
                    set.spans[k]
                        .attrs
                        .insert(name.to_owned(), AttrValue::Str(value.to_owned()));
                    continue;
                }
                notes[k].push(note);
            }
            // Events, equivalences and normalizations have no place in a Marsad set yet.
            Some('E' | '*' | 'N') => {}
            _ => return Err(fail("not a brat annotation line".into())),
        }
    }
    for (span, n) in set.spans.iter_mut().zip(notes) {
        if !n.is_empty() {
            span.note = Some(n.join("\n"));
        }
    }
    set.spans
        .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    Ok((set, document_id))
}
