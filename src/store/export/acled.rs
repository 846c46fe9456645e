//! ACLED CSV: one row per event in exactly ACLED's 31 API columns, in ACLED's order and
//! spelling (empty where the article does not say: coordinates, ISO code, region, source
//! scale, tags, timestamp), so rows load beside ACLED's own; then the document's id and the
//! ids of the spans behind each field, so every value can be traced to the words it came
//! from.
//!
//! Besides the fields below: **year** and **time_precision** come from the event date (a day
//! 1, a month 2, a year 3); **disorder_type** from the event type (Battles, Explosions/Remote
//! violence and Violence against civilians are Political violence, Protests and Riots
//! Demonstrations, Strategic developments themselves); **civilian_targeting** is "Civilian
//! targeting" when a target is of kind CIVILIANS; **admin2 / admin3** are the places of those
//! levels; **geo_precision** is 1 for a locality or site, 2 for a district or a vague place,
//! 3 when only the province is known.
//!
//! How the fields are filled (names are the article's words, as the coder marked them):
//! - **actor1 / assoc_actor_1**: the perpetrator spans grouped into actors by their
//!   `actor_id` (else by their text); the first actor is actor1, the others assoc_actor_1
//!   (joined with `; `). An actor is named by its first span marked `named`, else its first
//!   span. **actor2 / assoc_actor_2** the same from the targets.
//! - **inter1 / inter2**: ACLED's actor type code from the actor's `kind` (STATE 1, REBEL 2,
//!   POL_MILITIA 3, ID_MILITIA 4, RIOTERS 5, PROTESTERS 6, CIVILIANS 7, EXTERNAL 8; empty
//!   when unknown); **interaction** the two codes, smaller first (`12`), or `inter1` and `0`
//!   for a one-sided event (`20`).
//! - **country / admin1 / location**: the event's places and the places they are `part_of`,
//!   by their `level`: COUNTRY, ADMIN1, and for location the most precise of LOCALITY,
//!   ADMIN3, ADMIN2, SITE, VAGUE. With no country among them, the country every COUNTRY
//!   place of the set names, when they all name the same one.
//! - **fatalities**: ACLED's conservative rule over the event's casualty spans of kind
//!   KILLED. Reports about the same `group` (STATE_FORCES, NON_STATE, CIVILIANS, UNKNOWN) are
//!   taken as conflicting reports of the same deaths, so the lowest figure of the group
//!   counts (a span's `value`; a RANGE's `low`); different groups add up. A group reported
//!   only without a number (عشرات, "several": qualifier VAGUE) counts 10, ACLED's figure for
//!   "several"; any other report without a number counts 0.

use std::collections::{BTreeMap, HashSet};
use std::io;

use serde::Serialize;

use super::Item;
use crate::model::{AnnotationSet, AttrValue, Event, Span};

/// ACLED's 31 API columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Our columns after ACLED's: the document, and the spans behind each field.
pub const OUR_COLUMNS: [&str; 9] = [
    "document_id",
    "actor1_spans",
    "assoc_actor_1_spans",
    "actor2_spans",
    "assoc_actor_2_spans",
    "country_spans",
    "admin1_spans",
    "location_spans",
    "fatalities_spans",
];

/// The header: ACLED's columns, then ours.
pub fn columns() -> impl Iterator<Item = &'static str> {
    ACLED_COLUMNS.into_iter().chain(OUR_COLUMNS)
}

/// One event row. Field order is [`columns`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Row {
    pub event_id_cnty: String,
    pub event_date: String,
    pub year: String,
    pub time_precision: String,
    pub disorder_type: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub actor1: String,
    pub assoc_actor_1: String,
    pub inter1: String,
    pub actor2: String,
    pub assoc_actor_2: String,
    pub inter2: String,
    pub interaction: String,
    pub civilian_targeting: String,
    pub iso: String,
    pub region: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub admin3: String,
    pub location: String,
    pub latitude: String,
    pub longitude: String,
    pub geo_precision: String,
    pub source: String,
    pub source_scale: String,
    pub notes: String,
    pub fatalities: u64,
    pub tags: String,
    pub timestamp: String,
    pub document_id: String,
    pub actor1_spans: String,
    pub assoc_actor_1_spans: String,
    pub actor2_spans: String,
    pub assoc_actor_2_spans: String,
    pub country_spans: String,
    pub admin1_spans: String,
    pub location_spans: String,
    pub fatalities_spans: String,
}

/// A CSV writer that has written the header.
pub fn writer<W: io::Write>(out: W) -> csv::Writer<W> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    // Writing into the writer's buffer cannot fail before it is flushed; a failing flush
    // surfaces with the first row or at the end.
    let _ = writer.write_record(columns());
    writer
}

fn str_attr<'a>(span: &'a Span, name: &str) -> Option<&'a str> {
    match span.attrs.get(name) {
        Some(AttrValue::Str(s)) => Some(s),
        _ => None,
    }
}

fn int_attr(span: &Span, name: &str) -> Option<i64> {
    match span.attrs.get(name) {
        Some(AttrValue::Int(n)) => Some(*n),
        _ => None,
    }
}

pub use crate::model::registry::inter_code;

/// An actor of an event: the spans that name it.
struct Actor<'a> {
    spans: Vec<&'a Span>,
}

impl Actor<'_> {
    fn name(&self) -> &str {
        self.spans
            .iter()
            .find(|s| s.attrs.get("named") == Some(&AttrValue::Bool(true)))
            .or(self.spans.first())
            .map_or("", |s| s.text.as_str())
    }

    fn inter(&self) -> Option<u8> {
        self.spans
            .iter()
            .find_map(|s| str_attr(s, "kind").and_then(inter_code))
    }
}

fn actors<'a>(spans: Vec<&'a Span>) -> Vec<Actor<'a>> {
    let mut out: Vec<(String, Actor<'a>)> = Vec::new();
    for span in spans {
        let key =
            str_attr(span, "actor_id").map_or_else(|| span.text.trim().to_owned(), str::to_owned);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, actor)) => actor.spans.push(span),
            None => out.push((key, Actor { spans: vec![span] })),
        }
    }
    out.into_iter().map(|(_, a)| a).collect()
}

fn ids(spans: &[&Span]) -> String {
    spans
        .iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Distinct texts joined with `; `, and the ids of the spans.
fn names(spans: &[&Span]) -> (String, String) {
    let mut seen: Vec<&str> = Vec::new();
    for s in spans {
        if !seen.contains(&s.text.as_str()) {
            seen.push(&s.text);
        }
    }
    (seen.join("; "), ids(spans))
}

/// A KILLED casualty span's figure: Some(number) when it gives one, Some(None) when it does
/// not, None when the span does not count deaths.
fn killed(span: &Span) -> Option<Option<u64>> {
    if str_attr(span, "kind") != Some("KILLED") {
        return None;
    }
    let value = match str_attr(span, "qualifier") {
        Some("RANGE") => int_attr(span, "low").or_else(|| int_attr(span, "value")),
        _ => int_attr(span, "value"),
    };
    Some(value.map(|n| u64::try_from(n).unwrap_or(0)))
}

/// What a report without a number counts when its group has no numbered report.
fn unnumbered(span: &Span) -> u64 {
    if str_attr(span, "qualifier") == Some("VAGUE") {
        10
    } else {
        0
    }
}

/// The row of `event` of `set`, in the document `meta` describes.
pub(super) fn row(meta: &crate::model::DocumentMeta, set: &AnnotationSet, event: &Event) -> Row {
    let spans_of =
        |ids: &[String]| -> Vec<&Span> { ids.iter().filter_map(|id| set.span(id)).collect() };
    let date = event.date.clone().unwrap_or_default();
    let mut r = Row {
        event_id_cnty: format!("{}-{}", meta.id, event.id),
        document_id: meta.id.clone(),
        year: date.get(..4).unwrap_or_default().to_owned(),
        time_precision: match date.len() {
            10 => "1",
            7 => "2",
            4 => "3",
            _ => "",
        }
        .to_owned(),
        disorder_type: match event.event_type.as_str() {
            "Battles" | "Explosions/Remote violence" | "Violence against civilians" => {
                "Political violence"
            }
            "Protests" | "Riots" => "Demonstrations",
            "Strategic developments" => "Strategic developments",
            _ => "",
        }
        .to_owned(),
        event_date: date,
        event_type: event.event_type.clone(),
        sub_event_type: event.sub_event_type.clone().unwrap_or_default(),
        source: meta.source.clone().unwrap_or_default(),
        notes: event.notes.clone().unwrap_or_default(),
        ..Row::default()
    };

    let side = |ids: &[String]| {
        let actors = actors(spans_of(ids));
        let main = actors
            .first()
            .map(|a| (a.name().to_owned(), a.inter(), ids_of(a)));
        let assoc: Vec<&Actor<'_>> = actors.iter().skip(1).collect();
        let assoc_names = assoc
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join("; ");
        let assoc_ids = assoc
            .iter()
            .map(|a| ids_of(a))
            .collect::<Vec<_>>()
            .join(" ");
        (main, assoc_names, assoc_ids)
    };
    fn ids_of(actor: &Actor<'_>) -> String {
        ids(&actor.spans)
    }
    if spans_of(&event.targets)
        .iter()
        .any(|s| str_attr(s, "kind") == Some("CIVILIANS"))
    {
        r.civilian_targeting = "Civilian targeting".to_owned();
    }
    let (main1, assoc1, assoc1_ids) = side(&event.perpetrators);
    let (main2, assoc2, assoc2_ids) = side(&event.targets);
    let (mut inter1, mut inter2) = (None, None);
    if let Some((name, inter, ids)) = main1 {
        (r.actor1, inter1, r.actor1_spans) = (name, inter, ids);
    }
    if let Some((name, inter, ids)) = main2 {
        (r.actor2, inter2, r.actor2_spans) = (name, inter, ids);
    }
    (r.assoc_actor_1, r.assoc_actor_1_spans) = (assoc1, assoc1_ids);
    (r.assoc_actor_2, r.assoc_actor_2_spans) = (assoc2, assoc2_ids);
    r.inter1 = inter1.map(|c| c.to_string()).unwrap_or_default();
    r.inter2 = inter2.map(|c| c.to_string()).unwrap_or_default();
    r.interaction = match (inter1, inter2) {
        (Some(a), Some(b)) => format!("{}{}", a.min(b), a.max(b)),
        (Some(a), None) => format!("{a}0"),
        _ => String::new(),
    };

    // The event's places and, through part_of, the places that contain them.
    let mut places: Vec<&Span> = spans_of(&event.places);
    let mut seen: HashSet<&str> = places.iter().map(|s| s.id.as_str()).collect();
    let mut k = 0;
    while k < places.len() {
        let id = places[k].id.as_str();
        for rel in set
            .relations
            .iter()
            .filter(|r| r.kind == "part_of" && r.from == id)
        {
            if let Some(up) = set.span(&rel.to)
                && seen.insert(up.id.as_str())
            {
                places.push(up);
            }
        }
        k += 1;
    }
    let at_level = |level: &str| -> Vec<&Span> {
        places
            .iter()
            .copied()
            .filter(|s| str_attr(s, "level") == Some(level))
            .collect()
    };
    let mut country = at_level("COUNTRY");
    if country.is_empty() {
        let all: Vec<&Span> = set
            .spans
            .iter()
            .filter(|s| s.label == "PLACE" && str_attr(s, "level") == Some("COUNTRY"))
            .collect();
        if let Some(first) = all.first()
            && all.iter().all(|s| s.text == first.text)
        {
            country = vec![first];
        }
    }
    (r.country, r.country_spans) = names(&country);
    (r.admin1, r.admin1_spans) = names(&at_level("ADMIN1"));
    r.admin2 = names(&at_level("ADMIN2")).0;
    r.admin3 = names(&at_level("ADMIN3")).0;
    if let Some((level, location)) = ["LOCALITY", "ADMIN3", "ADMIN2", "SITE", "VAGUE"]
        .into_iter()
        .map(|l| (l, at_level(l)))
        .find(|(_, v)| !v.is_empty())
    {
        (r.location, r.location_spans) = names(&location);
        r.geo_precision = if matches!(level, "LOCALITY" | "SITE") {
            "1"
        } else {
            "2"
        }
        .to_owned();
    } else if !r.admin1.is_empty() {
        r.geo_precision = "3".to_owned();
    }

    // Fatalities: the lowest numbered report per group, groups added.
    let mut numbered: BTreeMap<&str, u64> = BTreeMap::new();
    let mut vague: BTreeMap<&str, u64> = BTreeMap::new();
    let mut behind = Vec::new();
    for span in spans_of(&event.casualties) {
        let Some(figure) = killed(span) else { continue };
        behind.push(span);
        let group = str_attr(span, "group").unwrap_or("UNKNOWN");
        match figure {
            Some(n) => {
                numbered
                    .entry(group)
                    .and_modify(|m| *m = (*m).min(n))
                    .or_insert(n);
            }
            None => {
                let n = unnumbered(span);
                vague
                    .entry(group)
                    .and_modify(|m| *m = (*m).min(n))
                    .or_insert(n);
            }
        }
    }
    for (group, n) in vague {
        numbered.entry(group).or_insert(n);
    }
    let by_group = numbered;
    r.fatalities = by_group.values().sum();
    r.fatalities_spans = ids(&behind);
    r
}

/// The rows of one document's events, in the set's order.
pub fn rows(item: &Item<'_>) -> Vec<Row> {
    let meta = &item.doc.document.meta;
    item.set
        .events
        .iter()
        .map(|e| row(meta, item.set, e))
        .collect()
}
