//! The document model: text and offsets, the label schema, spans, relations, events and
//! annotation sets, their validation, edits with undo/redo, and the Arabic rules (proclitics,
//! casualty figures) that labelling and review apply.
//!
//! Pure data and logic: nothing here touches files or egui. `store` reads and writes it;
//! `app` changes it only through [`Edit`] values.

pub mod annotation;
pub mod arabic;
pub mod controls;
pub mod corpus_event;
pub mod document;
pub mod edit;
pub mod event_index;
pub mod history;
pub mod merge;
pub mod notation;
pub mod recommend;
pub mod registry;
pub mod schema;
pub mod search;
pub mod validate;

pub use crate::offsets::{CharIndex, CharRange};
pub use annotation::{
    AnnotationSet, AttrValue, Conflict, Decision, Effort, Event, EventRole, Item, Relation, Source,
    Span, Status, Take, Version,
};
pub use document::{Document, DocumentMeta, ImportNote, sha256_hex};
pub use edit::{Change, Edit, EditError};
pub use history::History;
pub use schema::{AttrDef, AttrType, EventTypeDef, LabelDef, LabelSchema, RelationDef};
pub use validate::{Location, Problem, validate};

/// A document with its annotation sets: what one `marsad/1` file holds.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotatedDocument {
    pub document: Document,
    /// An inline schema that replaces the project's for this document.
    pub schema: Option<LabelSchema>,
    pub sets: Vec<AnnotationSet>,
}

impl AnnotatedDocument {
    /// A document without annotations.
    pub fn new(document: Document) -> Self {
        Self {
            document,
            schema: None,
            sets: Vec::new(),
        }
    }

    pub fn set(&self, id: &str) -> Option<&AnnotationSet> {
        self.sets.iter().find(|s| s.id == id)
    }

    pub fn set_mut(&mut self, id: &str) -> Option<&mut AnnotationSet> {
        self.sets.iter_mut().find(|s| s.id == id)
    }

    /// The schema in force: the document's own, or else `project`.
    pub fn schema_or<'a>(&'a self, project: &'a LabelSchema) -> &'a LabelSchema {
        self.schema.as_ref().unwrap_or(project)
    }

    /// Every problem of the document with `project` as the schema unless it has its own.
    pub fn validate(&self, project: &LabelSchema) -> Vec<Problem> {
        validate(self, project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(marked: &str, edit: impl FnOnce(&mut AnnotatedDocument)) -> Vec<String> {
        let mut doc = notation::parse(marked)
            .expect("notation")
            .to_document("t", "coder-a");
        edit(&mut doc);
        doc.validate(LabelSchema::builtin())
            .iter()
            .map(Problem::to_string)
            .collect()
    }

    #[test]
    fn a_clean_document_has_no_problems() {
        let found = problems(
            "[ACTOR kind=REBEL named=true|جماعة نصرة الإسلام] تتبنى [CASUALTY kind=KILLED value=27 qualifier=AT_LEAST|27 قتيلا]",
            |_| {},
        );
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let found = problems(
            "[ACTOR kind=BANDIT|الجيش] [PERSON|قائد] [CASUALTY value=many|قتلى] في [PLACE|مالي]",
            |doc| {
                let spans = &mut doc.sets[0].spans;
                spans[3].id = "s1".into();
                spans.push(Span {
                    id: "s9".into(),
                    start: 20,
                    end: 90,
                    label: "PLACE".into(),
                    text: "مالي".into(),
                    attrs: Default::default(),
                    note: None,
                    confidence: None,
                });
                spans.push(Span {
                    id: "s10".into(),
                    start: 3,
                    end: 3,
                    label: "PLACE".into(),
                    text: String::new(),
                    attrs: Default::default(),
                    note: None,
                    confidence: Some(1.5),
                });
            },
        );
        assert_eq!(
            found,
            [
                "span coder-a/s1: attribute kind: value \"BANDIT\" is not one of STATE, REBEL, POL_MILITIA, ID_MILITIA, RIOTERS, PROTESTERS, CIVILIANS, EXTERNAL, UNKNOWN",
                "span coder-a/s2: unknown label \"PERSON\" (the schema has ACTOR, PLACE, CASUALTY, CLAIM)",
                "span coder-a/s3: attribute value: expected an integer, found string \"many\"",
                "span coder-a/s1: duplicate span id",
                "span coder-a/s9: range 20..90 is beyond the text, which has 23 characters",
                "span coder-a/s10: start 3 is not before end 3",
                "span coder-a/s10: confidence 1.5 is not between 0 and 1",
            ]
        );
    }

    #[test]
    fn a_span_whose_text_drifted_is_named() {
        let found = problems("هجوم في [PLACE|سيكاسو]", |doc| {
            doc.sets[0].spans[0].start -= 1;
        });
        assert_eq!(
            found,
            [
                "span coder-a/s1: span text \"سيكاسو\" does not match the document text \" سيكاسو\" at 7..14"
            ]
        );
    }

    #[test]
    fn relations_and_events_must_point_at_spans_of_the_right_label() {
        let found = problems("[CLAIM|تتبنى] [PLACE|مالي]", |doc| {
            let set = &mut doc.sets[0];
            set.relations.push(Relation {
                id: "r1".into(),
                kind: "claimed_by".into(),
                from: "s1".into(),
                to: "s2".into(),
            });
            set.relations.push(Relation {
                id: "r2".into(),
                kind: "blames".into(),
                from: "s1".into(),
                to: "s7".into(),
            });
            set.events.push(Event {
                id: "e1".into(),
                event_type: "Battles".into(),
                sub_event_type: Some("Air/drone strike".into()),
                date: Some("18-01-2023".into()),
                places: vec!["s2".into(), "s8".into()],
                ..Event::default()
            });
        });
        assert_eq!(
            found,
            [
                "relation coder-a/r1: to span s2 is PLACE, but claimed_by takes ACTOR",
                "relation coder-a/r2: unknown relation kind \"blames\"",
                "relation coder-a/r2: to points at missing span \"s7\"",
                "event coder-a/e1: \"Air/drone strike\" is not a sub-event type of Battles",
                "event coder-a/e1: date \"18-01-2023\" is not YYYY-MM-DD",
                "event coder-a/e1: places points at missing span \"s8\"",
            ]
        );
    }

    #[test]
    fn an_inline_schema_replaces_the_project_schema() {
        let found = problems("[WEAPON|بنادق كلاشينكوف]", |doc| {
            let mut schema = LabelSchema::builtin().clone();
            schema.labels[0].name = "WEAPON".into();
            schema.relations.clear();
            doc.schema = Some(schema);
        });
        assert_eq!(found, Vec::<String>::new());
    }
}
