//! brat standoff: per document `ID.txt` (the text, verbatim) and `ID.ann` with `T` lines for
//! spans, `R` lines for relations, `A` lines for the attributes brat can declare (flags, and
//! one value of a closed list), and `#` AnnotatorNotes lines for notes and for attributes with
//! open values (`@actor_id=jnim`, `@value=27`: brat attributes take a closed value list, so
//! these cannot be attribute lines); plus `annotation.conf` declaring the schema's labels,
//! relations and attributes — an attribute whose values differ between labels is declared per
//! label, as `LABEL-name` — and `visual.conf` with the labels' colours and Arabic names.
//! Offsets are code points, as brat counts. A span that crosses a line break is written as
//! fragments (`start end;start end`), as brat requires. Values keep their spelling.

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

/// How the note naming a document's id begins.
pub const DOCUMENT_ID_NOTE: &str = "marsad document id: ";

/// A note naming the document's id in its `.ann`, when the file name differs from it (on the
/// first span, as brat notes belong to an annotation).
pub fn id_note(ann: &str, name: &str, id: &str) -> Option<String> {
    if name == id || !ann.lines().any(|l| l.starts_with("T1\t")) {
        return None;
    }
    let notes = ann.lines().filter(|l| l.starts_with('#')).count();
    Some(format!(
        "#{}\tAnnotatorNotes T1\t{DOCUMENT_ID_NOTE}{}\n",
        notes + 1,
        one_line(id)
    ))
}

/// brat's text fields are single lines.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// The prefix of an AnnotatorNotes text that carries an open-valued attribute.
pub const OPEN_ATTRIBUTE: char = '@';

/// Whether brat can hold this value of `label`'s attribute `name` on an attribute line: a
/// flag, or one value (a single token) of a closed list the schema declares.
fn declarable(schema: &LabelSchema, label: &str, name: &str, value: &AttrValue) -> bool {
    let ty = schema
        .label(label)
        .and_then(|l| l.attributes.iter().find(|a| a.name == name))
        .map(|a| &a.ty);
    match (ty, value) {
        (Some(AttrType::Bool), AttrValue::Bool(_)) => true,
        (Some(AttrType::Enum(values)), AttrValue::Str(v)) => {
            values.contains(v) && !v.chars().any(char::is_whitespace) && !v.is_empty()
        }
        _ => false,
    }
}

/// The attribute's name on brat lines: `LABEL-name` when the schema gives other labels'
/// attributes of that name other values (ACTOR's `kind` and CASUALTY's `kind`), as
/// [`per_label`] found them once per file.
fn brat_name(per_label: &HashSet<String>, label: &str, name: &str) -> String {
    if per_label.contains(name) {
        format!("{label}-{name}")
    } else {
        name.to_owned()
    }
}

/// Attribute names whose types differ between the labels that have them.
fn per_label(schema: &LabelSchema) -> HashSet<String> {
    let mut first: HashMap<&str, &AttrType> = HashMap::new();
    let mut out = HashSet::new();
    for label in &schema.labels {
        for attr in &label.attributes {
            match first.get(attr.name.as_str()) {
                Some(ty) if **ty != attr.ty => {
                    out.insert(attr.name.clone());
                }
                Some(_) => {}
                None => {
                    first.insert(&attr.name, &attr.ty);
                }
            }
        }
    }
    out
}

/// The `.txt` and `.ann` of one document.
pub fn files(item: &Item<'_>) -> (String, String) {
    let text = item.doc.document.text();
    let mut ann = String::new();
    let mut t_of: HashMap<&str, usize> = HashMap::new();
    let (mut a, mut notes) = (0, 0);
    let per_label = per_label(item.schema);
    for (n, c) in item.spans.iter().enumerate() {
        let span = c.span;
        let t = n + 1;
        t_of.insert(&span.id, t);
        // Fragments between line breaks, as brat requires; a line break at either end of a
        // span is left out (brat cannot hold it). The text field is the fragments' texts
        // joined by a space, as brat writes it.
        let mut fragments: Vec<(usize, usize)> = Vec::new();
        let mut start = span.start;
        for (k, ch) in span.text.chars().enumerate() {
            if ch == '\n' {
                let at = span.start + k;
                if at > start {
                    fragments.push((start, at));
                }
                start = at + 1;
            }
        }
        if span.end > start {
            fragments.push((start, span.end));
        }
        // A span of line breaks alone keeps its range as it is.
        if fragments.is_empty() {
            fragments.push((span.start, span.end));
        }
        let chars: Vec<char> = span.text.chars().collect();
        let piece = |(a, b): (usize, usize)| -> String {
            chars[a - span.start..b - span.start].iter().collect()
        };
        let places: Vec<String> = fragments.iter().map(|(a, b)| format!("{a} {b}")).collect();
        let texts: Vec<String> = fragments.iter().map(|&f| piece(f)).collect();
        let _ = writeln!(
            ann,
            "T{t}\t{} {}\t{}",
            span.label,
            places.join(";"),
            one_line(&texts.join(" "))
        );
        for (name, value) in &span.attrs {
            let declared = declarable(item.schema, &span.label, name, value);
            let brat_name = brat_name(&per_label, &span.label, name);
            match value {
                AttrValue::Bool(false) if declared => {}
                AttrValue::Bool(true) if declared => {
                    a += 1;
                    let _ = writeln!(ann, "A{a}\t{brat_name} T{t}");
                }
                AttrValue::Str(v) if declared => {
                    a += 1;
                    let _ = writeln!(ann, "A{a}\t{brat_name} T{t} {v}");
                }
                other => {
                    notes += 1;
                    let shown = match other {
                        AttrValue::Str(v) => v.clone(),
                        v => v.to_string(),
                    };
                    let _ = writeln!(
                        ann,
                        "#{notes}\tAnnotatorNotes T{t}\t{OPEN_ATTRIBUTE}{name}={}",
                        one_line(&shown)
                    );
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
    let mut attrs: BTreeMap<String, (Vec<&str>, Option<Vec<&str>>)> = BTreeMap::new();
    let mut undeclarable = Vec::new();
    let by_label = per_label(schema);
    for label in &schema.labels {
        for attr in &label.attributes {
            let values: Option<Vec<&str>> = match &attr.ty {
                AttrType::Bool => None,
                AttrType::Enum(values) => Some(
                    values
                        .iter()
                        .map(String::as_str)
                        .filter(|v| !v.is_empty() && !v.chars().any(char::is_whitespace))
                        .collect(),
                ),
                _ => {
                    undeclarable.push(format!("{}.{}", label.name, attr.name));
                    continue;
                }
            };
            let name = brat_name(&by_label, &label.name, &attr.name);
            let entry = attrs.entry(name).or_insert((Vec::new(), None));
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
            "# Open values, in AnnotatorNotes as @name=value (brat declares closed lists only): {}",
            undeclarable.join(", ")
        );
    }
    conf
}

/// brat's `visual.conf`: each label's Arabic name and colour.
pub fn visual_conf(schema: &LabelSchema) -> String {
    let mut conf = String::from("# Written by Marsad from the label schema\n[labels]\n");
    for label in &schema.labels {
        let _ = writeln!(conf, "{} | {} | {}", label.name, label.name_ar, label.name);
    }
    conf.push_str(
        "\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n",
    );
    conf.push_str("ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n");
    for label in &schema.labels {
        let _ = writeln!(conf, "{}\tbgColor:{}", label.name, label.color);
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
