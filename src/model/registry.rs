//! The corpus's registry of actors and places: each entry an id (what a span's `actor_id` or
//! `gazetteer_id` names), its names in Arabic and Latin with their variants, and what ACLED
//! needs of it — an actor's kind and inter code, a place's level, country and province.
//! Entries are offered as the coder types (matched the way find matches: letter forms,
//! harakat and clitics folded), and a new one is made from a span in one step.

use serde::{Deserialize, Serialize};

use super::corpus_event::same_name;

/// The registry's format version.
pub const REGISTRY_FORMAT: &str = "marsad-registry/1";

/// One actor or place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    /// The first is ACLED's name for it; the rest are how articles write it.
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub format: String,
    #[serde(default)]
    pub actors: Vec<Entry>,
    #[serde(default)]
    pub places: Vec<Entry>,
}

/// The attribute of `label` that names a registry entry (`actor_id`, `gazetteer_id`).
pub fn registry_attr(label: &str) -> Option<&'static str> {
    match label {
        "ACTOR" => Some("actor_id"),
        "PLACE" => Some("gazetteer_id"),
        _ => None,
    }
}

impl Registry {
    /// The entries a span of `label` names.
    pub fn entries(&self, label: &str) -> &[Entry] {
        match label {
            "ACTOR" => &self.actors,
            "PLACE" => &self.places,
            _ => &[],
        }
    }

    pub fn get(&self, label: &str, id: &str) -> Option<&Entry> {
        self.entries(label).iter().find(|e| e.id == id)
    }

    /// The entries to offer for a span of `label` with text `span_text` while the coder has
    /// typed `typed`: those whose id starts with what was typed or one of whose names contains
    /// it, and, with nothing typed, those with a name like the span's; at most `most`.
    pub fn offer(&self, label: &str, typed: &str, span_text: &str, most: usize) -> Vec<&Entry> {
        let typed = typed.trim();
        let folded = |s: &str| -> String {
            s.chars()
                .filter_map(super::arabic::fold)
                .collect::<String>()
        };
        let t = folded(typed);
        let mut scored: Vec<(u8, &Entry)> = self
            .entries(label)
            .iter()
            .filter_map(|e| {
                let score = if typed.is_empty() {
                    e.names
                        .iter()
                        .any(|n| same_name(n, span_text))
                        .then_some(0)?
                } else if e.id.starts_with(typed) {
                    0
                } else if e.names.iter().any(|n| same_name(n, typed)) {
                    1
                } else if e.names.iter().any(|n| folded(n).contains(&t)) {
                    2
                } else {
                    return None;
                };
                Some((score, e))
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        scored.into_iter().take(most).map(|(_, e)| e).collect()
    }

    /// A new entry for a span of `label`: its text as its name, the span's kind or level,
    /// and `id` when given and free, else the first free `actor-N` / `place-N`.
    pub fn entry_for(&self, label: &str, id: Option<&str>, span: &super::Span) -> Entry {
        let taken = |c: &str| self.entries(label).iter().any(|e| e.id == c);
        let prefix = if label == "ACTOR" { "actor" } else { "place" };
        let id = id
            .map(str::trim)
            .filter(|c| !c.is_empty() && !taken(c))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                (1..)
                    .map(|n| format!("{prefix}-{n}"))
                    .find(|c| !taken(c))
                    .unwrap_or_default()
            });
        let attr = |name: &str| match span.attrs.get(name) {
            Some(super::AttrValue::Str(s)) => Some(s.clone()),
            _ => None,
        };
        Entry {
            id,
            names: vec![span.text.trim().to_owned()],
            inter: attr("kind").as_deref().and_then(inter_code),
            kind: (label == "ACTOR").then(|| attr("kind")).flatten(),
            level: (label == "PLACE").then(|| attr("level")).flatten(),
            country: None,
            admin1: None,
        }
    }

    /// Adds an entry of `label`'s kind.
    pub fn add(&mut self, label: &str, entry: Entry) {
        match label {
            "ACTOR" => self.actors.push(entry),
            _ => self.places.push(entry),
        }
    }
}

/// ACLED's actor type code for an actor `kind`.
pub fn inter_code(kind: &str) -> Option<u8> {
    Some(match kind {
        "STATE" => 1,
        "REBEL" => 2,
        "POL_MILITIA" => 3,
        "ID_MILITIA" => 4,
        "RIOTERS" => 5,
        "PROTESTERS" => 6,
        "CIVILIANS" => 7,
        "EXTERNAL" => 8,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> Registry {
        serde_json::from_str(include_str!("../../assets/registry.json"))
            .expect("the bundled registry")
    }

    #[test]
    fn the_bundled_registry_names_every_actor_id_the_samples_use() {
        let r = starter();
        for id in [
            "jnim",
            "fama",
            "fab",
            "issp",
            "iswap",
            "boko_haram",
            "vdp",
            "msa",
            "ocha",
        ] {
            assert!(r.get("ACTOR", id).is_some(), "{id}");
        }
        assert_eq!(r.get("ACTOR", "jnim").and_then(|e| e.inter), Some(2));
    }

    #[test]
    fn entries_are_offered_by_id_by_a_name_and_by_the_spans_text() {
        let r = starter();
        let ids = |found: Vec<&Entry>| found.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(r.offer("ACTOR", "jn", "", 5)), ["jnim"]);
        assert_eq!(
            ids(r.offer("ACTOR", "نصره الاسلام", "", 5)),
            ["jnim"],
            "ة and إ folded"
        );
        assert_eq!(
            ids(r.offer("PLACE", "", "بسيكاسو", 5)),
            ["ml-sikasso"],
            "the clitic ب"
        );
        assert!(r.offer("PLACE", "", "مكان مجهول", 5).is_empty());
    }
}
