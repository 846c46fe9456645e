//! brat standoff: per document `ID.txt` (the text, verbatim) and `ID.ann` with `T` lines for
//! spans, `R` lines for relations, `A` lines for attributes and `#` AnnotatorNotes lines for
//! notes; plus one `annotation.conf` declaring the schema's labels, relations and attributes.
//! Offsets are code points, as brat counts. A span that crosses a line break is written as
//! fragments (`start end;start end`), as brat requires.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use super::{ExportError, Item};
use crate::model::{AttrType, AttrValue, LabelSchema};

/// The file names given so far: two documents may not share one.
#[derive(Default)]
pub struct Names {
    taken: HashMap<String, std::path::PathBuf>,
}

impl Names {
    /// The file name (without extension) for a document: its id, with characters that cannot
    /// be in a file name replaced by `_`.
    pub fn claim(&mut self, path: &Path, id: &str) -> Result<String, ExportError> {
        let mut name: String = id
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c == '\0' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if name.is_empty() || name.starts_with('.') {
            name.insert(0, '_');
        }
        if let Some(first) = self.taken.get(&name) {
            return Err(ExportError::document(
                path,
                format!(
                    "id \"{id}\" gives the file name {name}.ann, already used by {}",
                    first.display()
                ),
            ));
        }
        self.taken.insert(name.clone(), path.to_owned());
        Ok(name)
    }
}

/// brat's text fields are single lines.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// An attribute value as one brat token.
fn token(value: &AttrValue) -> String {
    value
        .to_string()
        .trim_matches('"')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// The `.txt` and `.ann` of one document.
pub fn files(item: &Item<'_>) -> (String, String) {
    let text = item.doc.document.text();
    let mut ann = String::new();
    let mut t_of: HashMap<&str, usize> = HashMap::new();
    let (mut a, mut notes) = (0, 0);
    for (n, c) in item.spans.iter().enumerate() {
        let span = c.span;
        let t = n + 1;
        t_of.insert(&span.id, t);
        // Fragments between line breaks (a span never starts or ends on one in practice;
        // if it does, the break is left out of both fragments).
        let mut fragments = Vec::new();
        let mut start = span.start;
        for (k, ch) in span.text.chars().enumerate() {
            if ch == '\n' {
                let at = span.start + k;
                if at > start {
                    fragments.push(format!("{start} {at}"));
                }
                start = at + 1;
            }
        }
        if span.end > start || fragments.is_empty() {
            fragments.push(format!("{start} {}", span.end));
        }
        let _ = writeln!(
            ann,
            "T{t}\t{} {}\t{}",
            span.label,
            fragments.join(";"),
            one_line(&text[c.bytes.clone()])
        );
        for (name, value) in &span.attrs {
            match value {
                AttrValue::Bool(false) => {}
                AttrValue::Bool(true) => {
                    a += 1;
                    let _ = writeln!(ann, "A{a}\t{name} T{t}");
                }
                other => {
                    a += 1;
                    let _ = writeln!(ann, "A{a}\t{name} T{t} {}", token(other));
                }
            }
        }
        if let Some(note) = &span.note {
            notes += 1;
            let _ = writeln!(ann, "#{notes}\tAnnotatorNotes T{t}\t{}", one_line(note));
        }
    }
    for (n, r) in item.set.relations.iter().enumerate() {
        if let (Some(from), Some(to)) = (t_of.get(r.from.as_str()), t_of.get(r.to.as_str())) {
            let _ = writeln!(ann, "R{}\t{} Arg1:T{from} Arg2:T{to}", n + 1, r.kind);
        }
    }
    (text.to_owned(), ann)
}

/// brat's `annotation.conf` for a schema. Attributes of the same name on several labels are
/// declared once over all of them; integer and free-text attributes cannot be declared in
/// brat and are listed in a comment.
pub fn annotation_conf(schema: &LabelSchema) -> String {
    let mut conf = String::from("# Written by Marsad from the label schema\n[entities]\n");
    for label in &schema.labels {
        let _ = writeln!(conf, "{}", label.name);
    }
    conf.push_str("\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    let any = |names: &[String]| {
        if names.is_empty() {
            "<ENTITY>".to_owned()
        } else {
            names.join("|")
        }
    };
    for rel in &schema.relations {
        let _ = writeln!(
            conf,
            "{}\tArg1:{}, Arg2:{}",
            rel.name,
            any(&rel.from),
            any(&rel.to)
        );
    }
    conf.push_str("\n[events]\n\n[attributes]\n");
    // name → (labels, values; None for a flag)
    let mut attrs: BTreeMap<&str, (Vec<&str>, Option<Vec<&str>>)> = BTreeMap::new();
    let mut undeclarable = Vec::new();
    for label in &schema.labels {
        for attr in &label.attributes {
            let values: Option<Vec<&str>> = match &attr.ty {
                AttrType::Bool => None,
                AttrType::Enum(values) => Some(values.iter().map(String::as_str).collect()),
                _ => {
                    undeclarable.push(format!("{}.{}", label.name, attr.name));
                    continue;
                }
            };
            let entry = attrs.entry(&attr.name).or_insert((Vec::new(), None));
            entry.0.push(&label.name);
            if let Some(values) = values {
                let known = entry.1.get_or_insert_with(Vec::new);
                for v in values {
                    if !known.contains(&v) {
                        known.push(v);
                    }
                }
            }
        }
    }
    for (name, (labels, values)) in attrs {
        match values {
            None => {
                let _ = writeln!(conf, "{name}\tArg:{}", labels.join("|"));
            }
            Some(values) => {
                let _ = writeln!(
                    conf,
                    "{name}\tArg:{}, Value:{}",
                    labels.join("|"),
                    values.join("|")
                );
            }
        }
    }
    if !undeclarable.is_empty() {
        let _ = writeln!(
            conf,
            "# Also in the .ann files, not declarable in brat: {}",
            undeclarable.join(", ")
        );
    }
    conf
}
