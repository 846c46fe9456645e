//! Finding the same event elsewhere: an index of what each document of a corpus names (its
//! places and actors, by [`name_keys`]) and the dates it gives, so that the reports that may
//! tell of an event are found by lookup, not by reading every document; and the corpus events
//! that are probably one (dates within a day, a place and an actor shared).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::AnnotatedDocument;
use super::annotation::{EventRole, Source};
use super::corpus_event::{CorpusEvent, Link, name_keys};

/// What one document names, as the index needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub document: String,
    pub places: Vec<String>,
    pub actors: Vec<String>,
    /// Days since 1970-01-01 of the dates it gives (its events' dates, its publication date).
    pub days: Vec<i64>,
}

impl Facts {
    /// The facts of a document's human sets.
    pub fn of(document: &str, doc: &AnnotatedDocument) -> Self {
        let mut out = Facts {
            document: document.to_owned(),
            ..Facts::default()
        };
        for set in doc
            .sets
            .iter()
            .filter(|s| matches!(s.source, Source::Human { .. }))
        {
            for span in &set.spans {
                let names = match span.label.as_str() {
                    "PLACE" => &mut out.places,
                    "ACTOR" => &mut out.actors,
                    _ => continue,
                };
                names.push(span.text.clone());
                // The registry entry it names, so that other words for it are found too.
                let link = super::corpus_event::Link::of(EventRole::Places, "", "", span);
                names.extend(link.entry);
            }
            out.days.extend(
                set.events
                    .iter()
                    .filter_map(|e| e.date.as_deref().and_then(day)),
            );
        }
        out.days
            .extend(doc.document.meta.published.as_deref().and_then(day));
        out
    }
}

/// `YYYY-MM-DD` as days since 1970-01-01 (a month or a year: its first day).
pub fn day(date: &str) -> Option<i64> {
    let full = match date.len() {
        10 => date.to_owned(),
        7 => format!("{date}-01"),
        4 => format!("{date}-01-01"),
        _ => return None,
    };
    let t = humantime::parse_rfc3339(&format!("{full}T00:00:00Z")).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs / 86_400).ok()
}

/// A document that may report an event, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub document: String,
    pub place: bool,
    pub actor: bool,
    pub date: bool,
    /// Place 3, actor 2, date 1.
    pub score: u8,
}

/// The documents of a corpus by the names they give.
#[derive(Default)]
pub struct Index {
    docs: Vec<Facts>,
    places: HashMap<String, Vec<usize>>,
    actors: HashMap<String, Vec<usize>>,
}

impl Index {
    pub fn new(docs: Vec<Facts>) -> Self {
        let mut index = Index::default();
        for (i, d) in docs.iter().enumerate() {
            for (names, map) in [
                (&d.places, &mut index.places),
                (&d.actors, &mut index.actors),
            ] {
                for name in names {
                    for key in name_keys(name) {
                        let list = map.entry(key).or_default();
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
        }
        index.docs = docs;
        index
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents that share a place or an actor with `event` (a date within two days of
    /// its date counts too), best first; documents it already links are left out.
    pub fn candidates(&self, event: &CorpusEvent) -> Vec<Candidate> {
        let texts = |roles: &[EventRole]| -> Vec<&str> {
            event
                .links
                .iter()
                .filter(|l| roles.iter().any(|r| r.name() == l.role))
                .flat_map(Link::names)
                .collect()
        };
        let hits = |map: &HashMap<String, Vec<usize>>, names: Vec<&str>| -> HashSet<usize> {
            names
                .into_iter()
                .flat_map(name_keys)
                .filter_map(|k| map.get(&k))
                .flatten()
                .copied()
                .collect()
        };
        let place = hits(&self.places, texts(&[EventRole::Places]));
        let actor = hits(
            &self.actors,
            texts(&[EventRole::Perpetrators, EventRole::Targets]),
        );
        let dates: Vec<i64> = event
            .reports
            .iter()
            .filter_map(|r| r.date.as_deref().and_then(day))
            .collect();
        let linked: HashSet<&str> = event.documents().into_iter().collect();
        let mut out: Vec<Candidate> = place
            .union(&actor)
            .map(|&i| {
                let d = &self.docs[i];
                let date = d
                    .days
                    .iter()
                    .any(|x| dates.iter().any(|y| (x - y).abs() <= 2));
                let (p, a) = (place.contains(&i), actor.contains(&i));
                Candidate {
                    document: d.document.clone(),
                    place: p,
                    actor: a,
                    date,
                    score: 3 * u8::from(p) + 2 * u8::from(a) + u8::from(date),
                }
            })
            .filter(|c| !linked.contains(c.document.as_str()))
            .collect();
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.document.cmp(&b.document)));
        out
    }
}

/// Two corpus events that are probably one: dates within a day, a place and an actor shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub a: String,
    pub b: String,
}

/// The probable duplicates among `events` (each pair once, in id order), found through a
/// bucket per day, so the cost grows with the events, not with their pairs.
pub fn duplicates(events: &[CorpusEvent]) -> Vec<Duplicate> {
    struct Keys {
        day: i64,
        places: HashSet<String>,
        actors: HashSet<String>,
    }
    let keys = |e: &CorpusEvent, roles: &[EventRole]| -> HashSet<String> {
        e.links
            .iter()
            .filter(|l| roles.iter().any(|r| r.name() == l.role))
            .flat_map(Link::names)
            .flat_map(name_keys)
            .collect()
    };
    let facts: Vec<Option<Keys>> = events
        .iter()
        .map(|e| {
            let day = e
                .reports
                .iter()
                .filter_map(|r| r.date.as_deref().and_then(day))
                .min()?;
            Some(Keys {
                day,
                places: keys(e, &[EventRole::Places]),
                actors: keys(e, &[EventRole::Perpetrators, EventRole::Targets]),
            })
        })
        .collect();
    let mut by_day: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        if let Some(f) = f {
            by_day.entry(f.day).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        let Some(f) = f else { continue };
        for d in f.day..=f.day + 1 {
            for &j in by_day.get(&d).map_or(&[][..], Vec::as_slice) {
                if j == i || (d == f.day && j < i) {
                    continue;
                }
                let Some(g) = &facts[j] else { continue };
                if !f.places.is_disjoint(&g.places) && !f.actors.is_disjoint(&g.actors) {
                    let (a, b) = (&events[i].id, &events[j].id);
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    out.push(Duplicate {
                        a: a.clone(),
                        b: b.clone(),
                    });
                }
            }
        }
    }
    out.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::corpus_event::{Link, Report};
    use crate::model::notation;

    fn facts(name: &str, marked: &str, published: &str) -> Facts {
        let mut doc = notation::parse(marked)
            .expect("notation")
            .to_document(name, "coder-a");
        doc.document.meta.published = Some(published.into());
        Facts::of(name, &doc)
    }

    fn event(id: &str, date: &str, place: &str, actor: &str) -> CorpusEvent {
        let link = |role: &str, text: &str| Link {
            role: role.into(),
            document: format!("{id}.json"),
            set: "coder-a".into(),
            span: "s1".into(),
            text: text.into(),
            entry: None,
        };
        let mut e = CorpusEvent::new(id, "Battles");
        e.links = vec![link("places", place), link("perpetrators", actor)];
        e.reports = vec![Report {
            document: format!("{id}.json"),
            date: Some(date.into()),
            event: None,
        }];
        e
    }

    #[test]
    fn candidate_reports_share_the_place_or_an_actor_and_rank_by_what_they_share() {
        let index = Index::new(vec![
            facts(
                "near",
                "هاجم [ACTOR|مسلحون] ثكنة في [PLACE|بسيكاسو]",
                "2023-01-19",
            ),
            facts("place-only", "أمطار غزيرة في [PLACE|سيكاسو]", "2023-03-01"),
            facts(
                "actor-only",
                "[ACTOR|المسلحون] في [PLACE|غاو]",
                "2023-01-18",
            ),
            facts("elsewhere", "[ACTOR|الجيش] في [PLACE|تمبكتو]", "2023-01-18"),
        ]);
        let found: Vec<(String, u8)> = index
            .candidates(&event("ev1", "2023-01-18", "سيكاسو", "مسلحون"))
            .into_iter()
            .map(|c| (c.document, c.score))
            .collect();
        let expected = [("near", 6), ("actor-only", 3), ("place-only", 3)];
        assert_eq!(
            found,
            expected.map(|(d, s)| (d.to_owned(), s)).to_vec(),
            "place 3 + actor 2 + a date within two days 1"
        );
    }

    #[test]
    fn a_report_naming_the_same_registry_entry_in_other_words_is_a_candidate() {
        let index = Index::new(vec![facts(
            "other-words",
            "هاجم [ACTOR actor_id=jnim|مقاتلو الجماعة] موقعا",
            "2023-05-01",
        )]);
        let source = notation::parse("تبنت [ACTOR actor_id=jnim|جماعة نصرة الإسلام والمسلمين] هجوما")
            .expect("notation")
            .to_document("a", "coder-a");
        let mut e = CorpusEvent::new("ev1", "Battles");
        e.links = vec![Link::of(
            EventRole::Perpetrators,
            "a.json",
            "coder-a",
            &source.sets[0].spans[0],
        )];
        let found = index.candidates(&e);
        assert_eq!(found.len(), 1);
        assert!(found[0].actor && !found[0].place);
    }

    #[test]
    fn duplicate_events_share_a_day_give_or_take_one_a_place_and_an_actor() {
        let events = [
            event("ev1", "2023-01-18", "سيكاسو", "جماعة نصرة الإسلام"),
            event("ev2", "2023-01-19", "بسيكاسو", "الجماعة نصرة الإسلام"),
            event("ev3", "2023-01-21", "سيكاسو", "جماعة نصرة الإسلام"),
            event("ev4", "2023-01-18", "غاو", "جماعة نصرة الإسلام"),
        ];
        assert_eq!(
            duplicates(&events),
            [Duplicate {
                a: "ev1".into(),
                b: "ev2".into()
            }]
        );
    }
}
