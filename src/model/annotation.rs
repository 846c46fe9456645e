//! Annotations: spans with typed attribute values, relations between spans, events that link
//! spans, and the annotation set (one coder's or one model's work on a document).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::offsets::CharRange;

/// A labelled range of the document text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub id: String,
    /// First code point (inclusive).
    pub start: usize,
    /// End code point (exclusive).
    pub end: usize,
    pub label: String,
    /// The covered text, `text[start:end]`, stored to catch any drift of offsets.
    pub text: String,
    #[serde(default, deserialize_with = "unique_keys")]
    pub attrs: BTreeMap<String, AttrValue>,
    #[serde(default)]
    pub note: Option<String>,
    /// A model's confidence in this span, 0 to 1 (None for human spans).
    #[serde(default)]
    pub confidence: Option<f64>,
}

/// A map whose keys must be unique: a file that gives an attribute twice is refused, not
/// read with the last value winning silently.
fn unique_keys<'de, D>(deserializer: D) -> Result<BTreeMap<String, AttrValue>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = BTreeMap<String, AttrValue>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of attribute names to values")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, AttrValue>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "attribute \"{key}\" is given twice"
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Unique)
}

impl Span {
    pub fn range(&self) -> CharRange {
        CharRange::new(self.start, self.end)
    }
}

/// An attribute value: the schema decides which of these an attribute takes. Written as the
/// bare value (`true`, `27`, `"REBEL"`); read by a visitor of its own rather than serde's
/// untagged buffering, which made it the slowest part of loading a document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = AttrValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a boolean, an integer or a string")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AttrValue, E> {
                Ok(AttrValue::Bool(v))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Ok(AttrValue::Int(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AttrValue, E> {
                i64::try_from(v)
                    .map(AttrValue::Int)
                    .map_err(|_| E::custom(format!("{v} is too large for an integer attribute")))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AttrValue, E> {
                Ok(AttrValue::Str(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<AttrValue, E> {
                Ok(AttrValue::Str(v))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl AttrValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            AttrValue::Bool(_) => "boolean",
            AttrValue::Int(_) => "integer",
            AttrValue::Str(_) => "string",
        }
    }
}

impl AttrValue {
    /// The value as a coder reads it: a string without quotes, yes / no, the number.
    pub fn shown(&self) -> String {
        match self {
            AttrValue::Bool(true) => "yes".to_owned(),
            AttrValue::Bool(false) => "no".to_owned(),
            AttrValue::Int(n) => n.to_string(),
            AttrValue::Str(s) => s.clone(),
        }
    }
}

impl Span {
    /// Its attributes on one line as a coder reads them: `kind REBEL · named · actor_id jnim`
    /// (a true flag by its name, a false one left out).
    pub fn attrs_shown(&self) -> String {
        self.attrs
            .iter()
            .filter_map(|(k, v)| match v {
                AttrValue::Bool(true) => Some(k.clone()),
                AttrValue::Bool(false) => None,
                v => Some(format!("{k} {}", v.shown())),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::Bool(b) => write!(f, "{b}"),
            AttrValue::Int(n) => write!(f, "{n}"),
            AttrValue::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

/// A typed link between two spans of the same set, e.g. `claimed_by` from a CLAIM to an ACTOR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub id: String,
    pub kind: String,
    pub from: String,
    pub to: String,
}

/// An event (ACLED-like) that links spans of the same set by their role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub sub_event_type: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub perpetrators: Vec<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub casualties: Vec<String>,
    #[serde(default)]
    pub claims: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Event {
    /// Every (role, span id) the event links.
    pub fn links(&self) -> impl Iterator<Item = (&'static str, &String)> {
        EventRole::ALL
            .into_iter()
            .flat_map(move |role| role.ids(self).iter().map(move |id| (role.name(), id)))
    }

    /// Links the span in the role, or unlinks it when it is linked there already.
    pub fn toggle(&mut self, role: EventRole, span_id: &str) {
        let ids = role.ids_mut(self);
        match ids.iter().position(|id| id == span_id) {
            Some(i) => {
                ids.remove(i);
            }
            None => ids.push(span_id.to_owned()),
        }
    }

    /// Removes a span from every role; true when it was linked.
    pub fn unlink(&mut self, span_id: &str) -> bool {
        let mut removed = false;
        for role in EventRole::ALL {
            let ids = role.ids_mut(self);
            let before = ids.len();
            ids.retain(|id| id != span_id);
            removed |= ids.len() != before;
        }
        removed
    }
}

/// A role in which an event links spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventRole {
    Perpetrators,
    Targets,
    Places,
    Casualties,
    Claims,
}

impl EventRole {
    pub const ALL: [EventRole; 5] = [
        EventRole::Perpetrators,
        EventRole::Targets,
        EventRole::Places,
        EventRole::Casualties,
        EventRole::Claims,
    ];

    /// The role's field name in the file.
    pub fn name(self) -> &'static str {
        match self {
            EventRole::Perpetrators => "perpetrators",
            EventRole::Targets => "targets",
            EventRole::Places => "places",
            EventRole::Casualties => "casualties",
            EventRole::Claims => "claims",
        }
    }

    /// The label a span in this role usually has.
    pub fn usual_label(self) -> &'static str {
        match self {
            EventRole::Perpetrators | EventRole::Targets => "ACTOR",
            EventRole::Places => "PLACE",
            EventRole::Casualties => "CASUALTY",
            EventRole::Claims => "CLAIM",
        }
    }

    pub fn ids(self, event: &Event) -> &Vec<String> {
        match self {
            EventRole::Perpetrators => &event.perpetrators,
            EventRole::Targets => &event.targets,
            EventRole::Places => &event.places,
            EventRole::Casualties => &event.casualties,
            EventRole::Claims => &event.claims,
        }
    }

    pub fn ids_mut(self, event: &mut Event) -> &mut Vec<String> {
        match self {
            EventRole::Perpetrators => &mut event.perpetrators,
            EventRole::Targets => &mut event.targets,
            EventRole::Places => &mut event.places,
            EventRole::Casualties => &mut event.casualties,
            EventRole::Claims => &mut event.claims,
        }
    }
}

/// Who made an annotation set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Source {
    Human {
        annotator: String,
    },
    Model {
        name: String,
        #[serde(default)]
        version: Option<String>,
    },
}

/// How far the work on a set has come (ordered: a later status is further along).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Status {
    #[default]
    NotStarted,
    InProgress,
    Done,
    Reviewed,
}

impl Status {
    /// How it is shown: "not started", "in progress", "done", "reviewed".
    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Reviewed => "reviewed",
        }
    }
}

/// One coder's (or one model's) annotation of a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationSet {
    pub id: String,
    pub source: Source,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub spans: Vec<Span>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// Review decisions (in the adjudicated set): which version of each difference between
    /// two sets was taken, by whom and when. Written only when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Decision>,
    /// When the coder started and finished, and for how long they were at it. Written only
    /// once there is something to say.
    #[serde(default, skip_serializing_if = "Effort::is_empty")]
    pub effort: Effort,
    /// What a merge of two versions of this set could not decide: the set holds this side's
    /// version of each item, the conflict the other side's. Written only when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

/// A coder's effort on one set: when they started (first edit) and marked it done (RFC 3339,
/// UTC), and the seconds they were actively coding it (window focused, input within the last
/// minute).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub active_seconds: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Effort {
    pub fn is_empty(&self) -> bool {
        *self == Effort::default()
    }
}

/// One item a merge left undecided: the other side's version of span, relation or event `id`
/// (`None` when the other side deleted it; the set holds this side's version, or nothing when
/// this side deleted it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    pub item: Item,
    pub id: String,
    #[serde(default)]
    pub theirs: Option<Version>,
}

impl Conflict {
    /// The other side's version of a span.
    pub fn span(theirs: Span) -> Self {
        Self {
            item: Item::Span,
            id: theirs.id.clone(),
            theirs: Some(Version::Span(theirs)),
        }
    }
}

/// One version of an item in conflict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Version {
    Span(Span),
    Relation(Relation),
    Event(Event),
}

/// Whose version of a difference a reviewer took.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Take {
    A,
    B,
    Neither,
}

/// What a review decision is about: a span (the default, written without the field), a
/// relation or an event.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    #[default]
    Span,
    Relation,
    Event,
}

impl Item {
    pub fn is_span(&self) -> bool {
        *self == Item::Span
    }
}

/// One review decision: the difference between item `a` of set `a_set` and item `b` of set
/// `b_set` (either may be absent: an item only one set has), the version taken, by whom, when
/// (RFC 3339, UTC), and B's confidence at the time. `a` and `b` are span ids, or relation or
/// event ids when `item` says so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub a_set: String,
    pub b_set: String,
    #[serde(default, skip_serializing_if = "Item::is_span")]
    pub item: Item,
    #[serde(default)]
    pub a: Option<String>,
    #[serde(default)]
    pub b: Option<String>,
    pub take: Take,
    pub by: String,
    pub at: String,
    #[serde(default)]
    pub confidence: Option<f64>,
}

impl AnnotationSet {
    /// An empty set for a human coder; the set's id is the coder's name.
    pub fn human(annotator: &str) -> Self {
        Self {
            id: annotator.to_owned(),
            source: Source::Human {
                annotator: annotator.to_owned(),
            },
            status: Status::NotStarted,
            spans: Vec::new(),
            relations: Vec::new(),
            events: Vec::new(),
            decisions: Vec::new(),
            effort: Effort::default(),
            conflicts: Vec::new(),
        }
    }

    pub fn span(&self, id: &str) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// The first id of the form `{prefix}{n}` not used by a span, relation or event of the set.
    pub fn fresh_id(&self, prefix: &str) -> String {
        let used = |id: &str| {
            self.spans.iter().any(|s| s.id == id)
                || self.relations.iter().any(|r| r.id == id)
                || self.events.iter().any(|e| e.id == id)
        };
        (1..)
            .map(|n| format!("{prefix}{n}"))
            .find(|id| !used(id))
            .unwrap_or_default()
    }

    /// Where a span with this range goes to keep the spans in reading order (start, then
    /// longer first).
    pub fn span_insert_index(&self, range: CharRange) -> usize {
        self.spans.partition_point(|s| {
            (s.start, std::cmp::Reverse(s.end)) <= (range.start, std::cmp::Reverse(range.end))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str, start: usize, end: usize) -> Span {
        Span {
            id: id.into(),
            start,
            end,
            label: "PLACE".into(),
            text: String::new(),
            attrs: BTreeMap::new(),
            note: None,
            confidence: None,
        }
    }

    #[test]
    fn fresh_ids_skip_every_used_id() {
        let mut set = AnnotationSet::human("coder-a");
        set.spans = vec![span("s1", 0, 2), span("s3", 4, 6)];
        assert_eq!(set.fresh_id("s"), "s2");
        set.spans.push(span("s2", 7, 8));
        assert_eq!(set.fresh_id("s"), "s4");
        assert_eq!(set.fresh_id("r"), "r1");
    }

    #[test]
    fn spans_are_kept_in_reading_order_outer_first() {
        let mut set = AnnotationSet::human("coder-a");
        set.spans = vec![span("a", 0, 5), span("b", 3, 9), span("c", 10, 12)];
        assert_eq!(set.span_insert_index(CharRange::new(3, 12)), 1);
        assert_eq!(set.span_insert_index(CharRange::new(3, 4)), 2);
        assert_eq!(set.span_insert_index(CharRange::new(20, 21)), 3);
    }

    #[test]
    fn unlinking_a_span_removes_it_from_every_role() {
        let mut event = Event {
            id: "e1".into(),
            event_type: "Battles".into(),
            perpetrators: vec!["s1".into()],
            places: vec!["s2".into(), "s1".into()],
            ..Event::default()
        };
        assert!(event.unlink("s1"));
        assert!(!event.unlink("s1"));
        assert_eq!(event.links().count(), 1);
    }
}
