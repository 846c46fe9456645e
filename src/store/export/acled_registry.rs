//! ACLED CSV filled from the corpus's registry: an actor span whose `actor_id` names an entry
//! gives the actor ACLED's name and inter code; a place span whose `gazetteer_id` names one
//! gives the location ACLED's name and its country and province. What the registry does not
//! know stays as the article wrote it.

use super::acled::Row;
use crate::model::registry::{Entry, Registry};
use crate::model::{AnnotationSet, AttrValue, Event, Span};

fn entry<'a>(registry: &'a Registry, label: &str, attr: &str, span: &Span) -> Option<&'a Entry> {
    match span.attrs.get(attr) {
        Some(AttrValue::Str(id)) => registry.get(label, id),
        _ => None,
    }
}

/// The registry's actors among `ids`, each once, in order.
fn actors<'a>(registry: &'a Registry, set: &AnnotationSet, ids: &[String]) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = Vec::new();
    for span in ids.iter().filter_map(|id| set.span(id)) {
        if let Some(e) = entry(registry, "ACTOR", "actor_id", span)
            && !out.iter().any(|x| x.id == e.id)
        {
            out.push(e);
        }
    }
    out
}

fn name(e: &Entry) -> String {
    e.names.first().cloned().unwrap_or_else(|| e.id.clone())
}

/// Fills `row`, made from `event` of `set`, from `registry`.
pub fn fill(row: &mut Row, set: &AnnotationSet, event: &Event, registry: &Registry) {
    let mut inters = [None, None];
    for (k, ids) in [&event.perpetrators, &event.targets]
        .into_iter()
        .enumerate()
    {
        let found = actors(registry, set, ids);
        let Some(main) = found.first() else { continue };
        let assoc = found[1..]
            .iter()
            .map(|e| name(e))
            .collect::<Vec<_>>()
            .join("; ");
        let inter = main.inter.map(|c| c.to_string()).unwrap_or_default();
        if k == 0 {
            (row.actor1, row.inter1) = (name(main), inter);
            if !assoc.is_empty() {
                row.assoc_actor_1 = assoc;
            }
        } else {
            (row.actor2, row.inter2) = (name(main), inter);
            if !assoc.is_empty() {
                row.assoc_actor_2 = assoc;
            }
        }
        inters[k] = main.inter;
    }
    if inters.iter().any(Option::is_some) {
        let code = |i: usize| inters[i].or_else(|| [&row.inter1, &row.inter2][i].parse().ok());
        row.interaction = match (code(0), code(1)) {
            (Some(a), Some(b)) => format!("{}{}", a.min(b), a.max(b)),
            (Some(a), None) => format!("{a}0"),
            _ => row.interaction.clone(),
        };
    }
    let rank = |level: &str| match level {
        "LOCALITY" | "SITE" => 0,
        "ADMIN3" => 1,
        "ADMIN2" => 2,
        "ADMIN1" => 3,
        "COUNTRY" => 4,
        _ => 5,
    };
    let places = event
        .places
        .iter()
        .filter_map(|id| set.span(id))
        .filter_map(|s| entry(registry, "PLACE", "gazetteer_id", s));
    if let Some(best) = places.min_by_key(|e| rank(e.level.as_deref().unwrap_or(""))) {
        let level = best.level.as_deref().unwrap_or("");
        if rank(level) < 3 {
            row.location = name(best);
        }
        if let Some(admin1) = &best.admin1 {
            row.admin1.clone_from(admin1);
        }
        if let Some(country) = &best.country {
            row.country.clone_from(country);
        }
    }
}
