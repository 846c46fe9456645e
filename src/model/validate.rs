//! Validation of an annotated document against its text and its schema.
//!
//! Validation never stops at the first problem: it returns every one it finds, each with the
//! place it concerns, so that a coder can fix a file in one pass.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::AnnotatedDocument;
use super::annotation::AnnotationSet;
use super::annotation::Span;
use super::schema::{LabelDef, LabelSchema, name_problem};

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (unreadable, empty, too large).
    File,
    /// A line and column (1-based, columns in characters) of the file's syntax.
    Position {
        line: usize,
        column: usize,
    },
    /// A byte offset in the file (invalid UTF-8).
    Byte(usize),
    /// A top-level field such as `format` or `document`.
    Field(&'static str),
    /// A place in a JSON file's structure, such as `annotations[0].spans[3]`.
    Path(String),
    /// The inline schema.
    Schema,
    Set {
        set: String,
    },
    Span {
        set: String,
        span: String,
    },
    Relation {
        set: String,
        relation: String,
    },
    Event {
        set: String,
        event: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => write!(f, "file"),
            Location::Position { line, column } => write!(f, "{line}:{column}"),
            Location::Byte(b) => write!(f, "byte {b}"),
            Location::Field(name) => write!(f, "{name}"),
            Location::Path(path) => write!(f, "{path}"),
            Location::Schema => write!(f, "schema"),
            Location::Set { set } => write!(f, "set {set}"),
            Location::Span { set, span } => write!(f, "span {set}/{span}"),
            Location::Relation { set, relation } => write!(f, "relation {set}/{relation}"),
            Location::Event { set, event } => write!(f, "event {set}/{event}"),
        }
    }
}

/// One thing wrong with a document, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem of `doc` with `schema` in force (the document's inline schema, when it has one,
/// is checked and used instead).
pub fn validate(doc: &AnnotatedDocument, schema: &LabelSchema) -> Vec<Problem> {
    let mut out = Vec::new();
    let schema = match &doc.schema {
        Some(inline) => {
            out.extend(
                inline
                    .problems()
                    .into_iter()
                    .map(|m| Problem::new(Location::Schema, m)),
            );
            inline
        }
        None => schema,
    };
    let meta = &doc.document.meta;
    if meta.id.trim().is_empty() {
        out.push(Problem::new(
            Location::Field("document"),
            "the document id is empty",
        ));
    }
    if let Some(date) = &meta.published
        && !is_iso_date(date)
    {
        out.push(Problem::new(
            Location::Field("document"),
            format!("published date \"{date}\" is not YYYY-MM-DD"),
        ));
    }
    let labels: HashMap<&str, &LabelDef> =
        schema.labels.iter().map(|l| (l.name.as_str(), l)).collect();
    let mut set_ids = HashSet::new();
    for set in &doc.sets {
        let at = || Location::Set {
            set: set.id.clone(),
        };
        if !set_ids.insert(set.id.as_str()) {
            out.push(Problem::new(at(), "duplicate annotation set id"));
        }
        if let Some(why) = name_problem(&set.id, false) {
            out.push(Problem::new(at(), format!("the set id {why}")));
        }
        validate_set(doc, schema, &labels, set, &mut out);
    }
    out
}

fn validate_set(
    doc: &AnnotatedDocument,
    schema: &LabelSchema,
    labels: &HashMap<&str, &LabelDef>,
    set: &AnnotationSet,
    out: &mut Vec<Problem>,
) {
    let text_len = doc.document.char_len();
    let mut ids = HashSet::new();
    // Spans by id, the first of each (a duplicate is a problem of its own).
    let mut by_id: HashMap<&str, &Span> = HashMap::with_capacity(set.spans.len());
    for span in &set.spans {
        by_id.entry(span.id.as_str()).or_insert(span);
    }
    for span in &set.spans {
        let mut problem = |message: String| {
            out.push(Problem::new(
                Location::Span {
                    set: set.id.clone(),
                    span: span.id.clone(),
                },
                message,
            ))
        };
        if !ids.insert(span.id.as_str()) {
            problem("duplicate span id".to_owned());
        }
        if let Some(why) = name_problem(&span.id, false) {
            problem(format!("the span id {why}"));
        }
        if span.start >= span.end {
            problem(format!(
                "start {} is not before end {}",
                span.start, span.end
            ));
        } else if span.end > text_len {
            problem(format!(
                "range {}..{} is beyond the text, which has {text_len} characters",
                span.start, span.end
            ));
        } else if let Some(actual) = doc.document.slice(span.range())
            && actual != span.text
        {
            problem(format!(
                "span text \"{}\" does not match the document text \"{actual}\" at {}..{}",
                span.text, span.start, span.end
            ));
        }
        match labels.get(span.label.as_str()) {
            None => problem(format!(
                "unknown label \"{}\" (the schema has {})",
                span.label,
                schema
                    .labels
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some(label) => {
                for (name, value) in &span.attrs {
                    match label.attributes.iter().find(|a| &a.name == name) {
                        None => {
                            problem(format!("label {} has no attribute \"{name}\"", label.name))
                        }
                        Some(def) => {
                            if let Some(why) = def.ty.mismatch(value) {
                                problem(format!("attribute {name}: {why}"));
                            }
                        }
                    }
                }
            }
        }
        if let Some(c) = span.confidence
            && !(0.0..=1.0).contains(&c)
        {
            problem(format!("confidence {c} is not between 0 and 1"));
        }
    }
    for rel in &set.relations {
        let mut problem = |message: String| {
            out.push(Problem::new(
                Location::Relation {
                    set: set.id.clone(),
                    relation: rel.id.clone(),
                },
                message,
            ))
        };
        if !ids.insert(rel.id.as_str()) {
            problem("duplicate id".to_owned());
        }
        if let Some(why) = name_problem(&rel.id, false) {
            problem(format!("the relation id {why}"));
        }
        let def = schema.relation(&rel.kind);
        if def.is_none() {
            problem(format!("unknown relation kind \"{}\"", rel.kind));
        }
        for (end, span_id, allowed) in [
            ("from", &rel.from, def.map(|d| &d.from)),
            ("to", &rel.to, def.map(|d| &d.to)),
        ] {
            match by_id.get(span_id.as_str()) {
                None => problem(format!("{end} points at missing span \"{span_id}\"")),
                Some(span) => {
                    if let Some(allowed) = allowed
                        && !allowed.is_empty()
                        && !allowed.contains(&span.label)
                    {
                        problem(format!(
                            "{end} span {span_id} is {}, but {} takes {}",
                            span.label,
                            rel.kind,
                            allowed.join(" or ")
                        ));
                    }
                }
            }
        }
    }
    for event in &set.events {
        let mut problem = |message: String| {
            out.push(Problem::new(
                Location::Event {
                    set: set.id.clone(),
                    event: event.id.clone(),
                },
                message,
            ))
        };
        if !ids.insert(event.id.as_str()) {
            problem("duplicate id".to_owned());
        }
        if let Some(why) = name_problem(&event.id, false) {
            problem(format!("the event id {why}"));
        }
        if let Some(why) = name_problem(&event.event_type, true) {
            problem(format!("the event type {why}"));
        }
        if !schema.event_types.is_empty() {
            match schema.event_type(&event.event_type) {
                None => problem(format!("unknown event type \"{}\"", event.event_type)),
                Some(def) => {
                    if let Some(sub) = &event.sub_event_type
                        && !def.sub_types.contains(sub)
                    {
                        problem(format!("\"{sub}\" is not a sub-event type of {}", def.name));
                    }
                }
            }
        }
        if let Some(date) = &event.date
            && !is_iso_date(date)
        {
            problem(format!("date \"{date}\" is not YYYY-MM-DD"));
        }
        let mut linked = HashSet::new();
        for (role, span_id) in event.links() {
            if !by_id.contains_key(span_id.as_str()) {
                problem(format!("{role} points at missing span \"{span_id}\""));
            }
            if !linked.insert((role, span_id.as_str())) {
                problem(format!("{role} lists span {span_id} twice"));
            }
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let in_range =
        |p: &str, lo: u32, hi: u32| p.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 1, 12),
        [y, m, d] => {
            if !(digits(y, 4) && digits(m, 2) && digits(d, 2) && in_range(m, 1, 12)) {
                return false;
            }
            let (year, month): (u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            in_range(d, 1, days)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2023-01-18"));
        assert!(is_iso_date("2023-01"));
        assert!(is_iso_date("2023"));
        assert!(!is_iso_date("18/01/2023"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-04-31"));
        assert!(!is_iso_date("٢٠٢٣-٠١-١٨"));
    }

    #[test]
    fn locations_read_as_in_error_lines() {
        let at = Location::Span {
            set: "coder-a".into(),
            span: "s3".into(),
        };
        assert_eq!(at.to_string(), "span coder-a/s3");
        assert_eq!(
            Location::Position {
                line: 3,
                column: 17
            }
            .to_string(),
            "3:17"
        );
    }
}
