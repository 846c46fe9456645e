//! The label schema: which labels exist, their names, colours and keys, their typed attributes,
//! the relation kinds and the ACLED event vocabulary.
//!
//! The built-in schema is data (`assets/schema.ron`, embedded in the binary); a project may bring
//! its own, and a document may carry one inline. Nothing else in Marsad hard-codes a label.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::annotation::AttrValue;

/// The source of the built-in schema, embedded at compile time.
pub const BUILTIN_SCHEMA_RON: &str = include_str!("../../assets/schema.ron");

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSchema {
    pub name: String,
    pub version: u32,
    pub labels: Vec<LabelDef>,
    #[serde(default)]
    pub relations: Vec<RelationDef>,
    /// ACLED event types with their sub-event types; empty means events are not checked.
    #[serde(default)]
    pub event_types: Vec<EventTypeDef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// The label as stored in spans, e.g. `ACTOR`.
    pub name: String,
    /// The Arabic name shown beside the English one, e.g. `فاعل`.
    pub name_ar: String,
    /// Highlight colour, `#rrggbb`.
    pub color: String,
    /// The key that applies the label in the window, e.g. `1`.
    pub key: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub attributes: Vec<AttrDef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: AttrType,
    #[serde(default)]
    pub description: String,
}

/// The type of an attribute's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttrType {
    /// One of a fixed list of strings.
    Enum(Vec<String>),
    Bool,
    Integer,
    String,
}

impl AttrType {
    /// Why `value` does not fit this type, or `None` when it does.
    pub fn mismatch(&self, value: &AttrValue) -> Option<String> {
        match (self, value) {
            (AttrType::Enum(values), AttrValue::Str(s)) => {
                (!values.iter().any(|v| v == s)).then(|| {
                    format!(
                        "value \"{s}\" is not one of {}",
                        values
                            .iter()
                            .map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            }
            (AttrType::Bool, AttrValue::Bool(_))
            | (AttrType::Integer, AttrValue::Int(_))
            | (AttrType::String, AttrValue::Str(_)) => None,
            (ty, value) => Some(format!(
                "expected {}, found {} {value}",
                ty.describe(),
                value.type_name()
            )),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            AttrType::Enum(_) => "one of a list of names",
            AttrType::Bool => "true or false",
            AttrType::Integer => "an integer",
            AttrType::String => "a string",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDef {
    pub name: String,
    /// Labels allowed at the relation's start; empty allows any.
    #[serde(default)]
    pub from: Vec<String>,
    /// Labels allowed at the relation's end; empty allows any.
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTypeDef {
    pub name: String,
    #[serde(default)]
    pub sub_types: Vec<String>,
}

impl LabelSchema {
    /// The built-in schema (DESIGN.md §4), parsed once from the embedded `assets/schema.ron`.
    pub fn builtin() -> &'static LabelSchema {
        static BUILTIN: OnceLock<LabelSchema> = OnceLock::new();
        BUILTIN.get_or_init(|| match ron::from_str(BUILTIN_SCHEMA_RON) {
            Ok(schema) => schema,
            // The embedded file is checked by a unit test; reaching this is a build defect.
            Err(e) => panic!("assets/schema.ron is invalid: {e}"),
        })
    }

    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn relation(&self, name: &str) -> Option<&RelationDef> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// The relation kinds the schema allows from a span labelled `from` to one labelled `to`.
    pub fn relations_between(&self, from: &str, to: &str) -> Vec<&RelationDef> {
        let allows =
            |labels: &[String], label: &str| labels.is_empty() || labels.iter().any(|l| l == label);
        self.relations
            .iter()
            .filter(|r| allows(&r.from, from) && allows(&r.to, to))
            .collect()
    }

    pub fn event_type(&self, name: &str) -> Option<&EventTypeDef> {
        self.event_types.iter().find(|e| e.name == name)
    }

    /// Problems of the schema itself: duplicate labels, keys, attributes, empty enums,
    /// relations naming unknown labels, malformed colours. Empty when the schema is usable.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.labels.is_empty() {
            out.push("the schema has no labels".to_owned());
        }
        let mut names = std::collections::HashSet::new();
        let mut keys = std::collections::HashSet::new();
        for (i, label) in self.labels.iter().enumerate() {
            if label.name.trim().is_empty() {
                out.push(format!("label #{} has an empty name", i + 1));
            } else if let Some(why) = name_problem(&label.name, false) {
                out.push(format!("label {:?} {why}", label.name));
            }
            if !names.insert(label.name.as_str()) {
                out.push(format!("label {} is defined twice", label.name));
            }
            if !label.key.is_empty() && !keys.insert(label.key.as_str()) {
                out.push(format!(
                    "label {} uses key \"{}\", already used by another label",
                    label.name, label.key
                ));
            }
            if !is_hex_colour(&label.color) {
                out.push(format!(
                    "label {} has colour \"{}\", expected #rrggbb",
                    label.name, label.color
                ));
            }
            let mut attr_names = std::collections::HashSet::new();
            for attr in &label.attributes {
                if let Some(why) = name_problem(&attr.name, false) {
                    out.push(format!(
                        "attribute {:?} of label {} {why}",
                        attr.name, label.name
                    ));
                }
                if !attr_names.insert(attr.name.as_str()) {
                    out.push(format!(
                        "label {} defines attribute {} twice",
                        label.name, attr.name
                    ));
                }
                if let AttrType::Enum(values) = &attr.ty {
                    if values.is_empty() {
                        out.push(format!(
                            "attribute {} of label {} is an enum without values",
                            attr.name, label.name
                        ));
                    }
                    for v in values {
                        if let Some(why) = name_problem(v, true) {
                            out.push(format!(
                                "value {v:?} of attribute {} of label {} {why}",
                                attr.name, label.name
                            ));
                        }
                    }
                    if let Some(v) = first_duplicate(values.iter().map(String::as_str)) {
                        out.push(format!(
                            "attribute {} of label {} lists \"{v}\" twice",
                            attr.name, label.name
                        ));
                    }
                }
            }
        }
        if let Some(name) = first_duplicate(self.relations.iter().map(|r| r.name.as_str())) {
            out.push(format!("relation {name} is defined twice"));
        }
        if let Some(name) = first_duplicate(self.event_types.iter().map(|e| e.name.as_str())) {
            out.push(format!("event type {name} is defined twice"));
        }
        for (what, name, spaces) in self
            .relations
            .iter()
            .map(|r| ("relation", &r.name, false))
            .chain(self.event_types.iter().flat_map(|e| {
                std::iter::once(("event type", &e.name, true))
                    .chain(e.sub_types.iter().map(|s| ("sub-event type", s, true)))
            }))
        {
            if let Some(why) = name_problem(name, spaces) {
                out.push(format!("{what} {name:?} {why}"));
            }
        }
        let label_names = names;
        for rel in &self.relations {
            for l in rel.from.iter().chain(&rel.to) {
                if !label_names.contains(l.as_str()) {
                    out.push(format!("relation {} names unknown label {l}", rel.name));
                }
            }
        }
        out
    }
}

/// Why `name` cannot be a name (of a label, an attribute, a relation kind, a set or an id):
/// empty, or holding a control character, a bidi control, or — unless `spaces` — whitespace.
/// Names go into exports line by line and column by column (brat, CoNLL), so a tab or a line
/// break in one would forge lines there.
pub fn name_problem(name: &str, spaces: bool) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("is empty");
    }
    if name.chars().any(|c| c.is_control()) {
        return Some("holds a control character (a tab, a line break…)");
    }
    if name.chars().any(is_bidi_control) {
        return Some("holds an invisible bidi control");
    }
    if !spaces && name.chars().any(char::is_whitespace) {
        return Some("holds a space");
    }
    if name != name.trim() {
        return Some("starts or ends with a space");
    }
    None
}

use super::controls::is_bidi_control;

fn first_duplicate<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().find(|item| !seen.insert(*item))
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_has_the_four_labels_of_the_design() {
        let schema = LabelSchema::builtin();
        assert_eq!(schema.problems(), Vec::<String>::new());
        let names: Vec<_> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ACTOR", "PLACE", "CASUALTY", "CLAIM"]);
        let arabic: Vec<_> = schema.labels.iter().map(|l| l.name_ar.as_str()).collect();
        assert_eq!(arabic, ["فاعل", "مكان", "ضحايا", "ادعاء"]);
        assert_eq!(schema.label("CASUALTY").map(|l| l.key.as_str()), Some("3"));
        let casualty = schema.label("CASUALTY").expect("CASUALTY");
        let value = casualty.attributes.iter().find(|a| a.name == "value");
        assert_eq!(value.map(|a| &a.ty), Some(&AttrType::Integer));
        assert!(schema.relation("claimed_by").is_some());
        let battles = schema.event_type("Battles").expect("Battles");
        assert!(battles.sub_types.iter().any(|s| s == "Armed clash"));
    }

    #[test]
    fn attribute_types_accept_only_their_values() {
        let kind = AttrType::Enum(vec!["KILLED".into(), "WOUNDED".into()]);
        assert_eq!(kind.mismatch(&AttrValue::Str("KILLED".into())), None);
        assert_eq!(
            kind.mismatch(&AttrValue::Str("DEAD".into())).as_deref(),
            Some("value \"DEAD\" is not one of KILLED, WOUNDED")
        );
        assert_eq!(AttrType::Integer.mismatch(&AttrValue::Int(27)), None);
        assert_eq!(
            AttrType::Integer
                .mismatch(&AttrValue::Str("27".into()))
                .as_deref(),
            Some("expected an integer, found string \"27\"")
        );
        assert!(AttrType::Bool.mismatch(&AttrValue::Int(1)).is_some());
    }

    #[test]
    fn schema_problems_are_all_reported() {
        let mut schema = LabelSchema::builtin().clone();
        schema.labels[1].key = "1".into();
        schema.labels[2].color = "orange".into();
        schema.relations[0].to = vec!["PERSON".into()];
        schema.relations[1].name = "claimed_by".into();
        schema.labels[3].attributes[0].ty = AttrType::Enum(vec!["DENIAL".into(), "DENIAL".into()]);
        assert_eq!(
            schema.problems(),
            [
                "label PLACE uses key \"1\", already used by another label",
                "label CASUALTY has colour \"orange\", expected #rrggbb",
                "attribute type of label CLAIM lists \"DENIAL\" twice",
                "relation claimed_by is defined twice",
                "relation claimed_by names unknown label PERSON",
            ]
        );
    }
}
