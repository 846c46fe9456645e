//! ACLED CSV rows of the corpus's own events: one row per event however many reports it has.
//! The spans it links in every document are gathered into one set (each id written as
//! `document#span`, so every value still names the words it came from, and the places they
//! are `part_of` in their own document come along), the row is filled as for a document's
//! event, and then the reconciliation decides what ACLED decides across reports: the
//! conservative fatality count, the earliest reported date and its precision, every report in
//! `source`, and the disagreements in `notes`.

use std::collections::HashSet;

use super::acled::{Row, row};
use crate::model::corpus_event::{CorpusEvent, Link, reconcile, time_precision};
use crate::model::{AnnotatedDocument, AnnotationSet, DocumentMeta, Event, EventRole, Relation};

/// The row of `event`; `doc` finds a document of the corpus by its key; the names come from
/// `registry` where it knows them.
pub fn corpus_row<'a>(
    event: &CorpusEvent,
    doc: impl Fn(&str) -> Option<&'a AnnotatedDocument>,
    registry: Option<&crate::model::registry::Registry>,
) -> Row {
    let mut set = AnnotationSet::human("corpus");
    let mut ev = Event {
        id: event.id.clone(),
        event_type: event.event_type.clone(),
        sub_event_type: event.sub_event_type.clone(),
        ..Event::default()
    };
    let mut seen = HashSet::new();
    let joined = |d: &str, s: &str| format!("{d}#{s}");
    let span_of = |l: &Link| {
        doc(&l.document)
            .and_then(|d| d.set(&l.set))
            .and_then(|s| s.span(&l.span))
            .filter(|s| s.text == l.text)
    };
    for link in &event.links {
        let Some(role) = EventRole::ALL.into_iter().find(|r| r.name() == link.role) else {
            continue;
        };
        let Some(found) = span_of(link) else { continue };
        let id = joined(&link.document, &link.span);
        role.ids_mut(&mut ev).push(id.clone());
        if seen.insert(id.clone()) {
            let mut span = found.clone();
            span.id = id;
            set.spans.push(span);
        }
        // The places a linked place is part of, in its own document.
        if role == EventRole::Places
            && let Some(own) = doc(&link.document).and_then(|d| d.set(&link.set))
        {
            let mut todo = vec![link.span.clone()];
            while let Some(from) = todo.pop() {
                for r in own
                    .relations
                    .iter()
                    .filter(|r| r.kind == "part_of" && r.from == from)
                {
                    let (a, b) = (
                        joined(&link.document, &r.from),
                        joined(&link.document, &r.to),
                    );
                    if let Some(up) = own.span(&r.to)
                        && seen.insert(b.clone())
                    {
                        let mut span = up.clone();
                        span.id = b.clone();
                        set.spans.push(span);
                        todo.push(r.to.clone());
                    }
                    set.relations.push(Relation {
                        id: format!("{a}>{b}"),
                        kind: "part_of".into(),
                        from: a,
                        to: b,
                    });
                }
            }
        }
    }
    let reconciled = reconcile(event, span_of);
    ev.date = reconciled.date.clone();
    let documents = event.documents();
    let meta = DocumentMeta {
        id: documents.join(" "),
        ..DocumentMeta::default()
    };
    set.events.push(ev.clone());
    let mut r = row(&meta, &set, &ev);
    if let Some(registry) = registry {
        super::acled_registry::fill(&mut r, &set, &ev, registry);
    }
    r.event_id_cnty = event.id.clone();
    r.source = documents
        .iter()
        .map(|d| {
            doc(d)
                .and_then(|x| x.document.meta.source.clone())
                .map_or_else(|| (*d).to_owned(), |s| format!("{s} ({d})"))
        })
        .collect::<Vec<_>>()
        .join("; ");
    r.notes = [event.notes.clone().unwrap_or_default(), reconciled.notes()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    r.fatalities = reconciled.fatalities.unwrap_or(0);
    r.time_precision = reconciled
        .date
        .as_deref()
        .and_then(time_precision)
        .map(|p| p.to_string())
        .unwrap_or_default();
    r
}
