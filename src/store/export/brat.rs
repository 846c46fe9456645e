//! brat standoff: per document `ID.txt` (the text, verbatim) and `ID.ann` with `T` lines for
//! spans, `R` lines for relations, `A` lines for attributes and `#` AnnotatorNotes lines for
//! notes; plus one `annotation.conf` declaring the schema's labels, relations and attributes.
//! Offsets are code points, as brat counts. A span that crosses a line break is written as
//! fragments (`start end;start end`), as brat requires.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::Item;
use crate::model::{AttrType, AttrValue, LabelSchema};

/// The file names given so far: two documents may not share one.
#[derive(Default)]
pub struct Names {
    /// The names given so far, lowercased: two names that differ only by case are one file on
    /// a case-insensitive file system (macOS, Windows).
    taken: HashSet<String>,
}

/// Names Windows keeps for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name for `id` that every file system takes: characters Windows refuses, controls
/// and bidi controls become `_`; a device name, a leading dot or a trailing dot or space gets
/// a `_`.
pub fn portable_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || c.is_control()
                || crate::model::controls::is_bidi_control(c)
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        name.insert(0, '_');
    }
    if name.ends_with(['.', ' ']) {
        name.push('_');
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&name)) {
        name.insert(0, '_');
    }
    name
}

impl Names {
    /// The file name (without extension) for a document: its id made portable, with `~2`,
    /// `~3`… when that name (ignoring case) is taken already.
    pub fn claim(&mut self, id: &str) -> String {
        let base = portable_name(id);
        let mut name = base.clone();
        let mut n = 1;
        while !self.taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}~{n}");
        }
        name
    }
}

/// A note naming the document's id in its `.ann`, when the file name differs from it (on the
/// first span, as brat notes belong to an annotation).
pub fn id_note(ann: &str, name: &str, id: &str) -> Option<String> {
    if name == id || !ann.lines().any(|l| l.starts_with("T1\t")) {
        return None;
    }
    let notes = ann.lines().filter(|l| l.starts_with('#')).count();
    Some(format!(
        "#{}\tAnnotatorNotes T1\tmarsad document id: {}\n",
        notes + 1,
        one_line(id)
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_portable_and_never_collide_ignoring_case() {
        let mut names = Names::default();
        let got: Vec<String> = ["Mali", "mali", "CON", "a:b?", "x\u{202e}y", "end.", "nul"]
            .iter()
            .map(|id| names.claim(id))
            .collect();
        assert_eq!(
            got,
            ["Mali", "mali~2", "_CON", "a_b_", "x_y", "end._", "_nul"]
        );
        let ann = "T1\tPLACE 0 4\tمالي\n";
        assert_eq!(
            id_note(ann, "x_y", "x\u{202e}y").as_deref(),
            Some("#1\tAnnotatorNotes T1\tmarsad document id: x\u{202e}y\n")
        );
        assert_eq!(id_note(ann, "Mali", "Mali"), None);
    }
}
