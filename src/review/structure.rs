//! Relations and events of A and B compared, through the span pairing of [`super::align`]:
//! two relations are the same relation when their ends are paired spans, two events the same
//! event when they share a type or linked spans. What is compared and what a reviewer decides
//! on beyond spans.
//!
//! - A relation of A and one of B whose `from` spans are paired and whose `to` spans are
//!   paired: a **match** when their kinds agree, else a **mismatch** ("kind claimed_by ≠
//!   located_in").
//! - Events pair by type first, then by how many linked spans they share (through the span
//!   pairs), then by date; an event with another type is paired only when it shares a span.
//!   A pair is a **match** when type, sub-type, date and every role's spans agree, else a
//!   **mismatch** listing what differs.
//! - What is left is **missing** (A only) or **spurious** (B only).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::align::Pair;
use crate::model::{AnnotationSet, Event, EventRole, Item, Relation};

/// How a relation or event of A compares with B's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Match,
    Mismatch,
    /// In A only.
    Missing,
    /// In B only.
    Spurious,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Match,
        ItemKind::Mismatch,
        ItemKind::Missing,
        ItemKind::Spurious,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Match => "match",
            ItemKind::Mismatch => "mismatch",
            ItemKind::Missing => "missing (A only)",
            ItemKind::Spurious => "spurious (B only)",
        }
    }
}

/// One paired (or unpaired) relation or event of A and B, by index into the sets' relations
/// or events, with where it is in the text and what differs.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemPair {
    pub item: Item,
    pub kind: ItemKind,
    pub a: Option<usize>,
    pub b: Option<usize>,
    /// The first character of the spans it links (in either set).
    pub start: usize,
    /// What differs, one phrase each ("date 2025-01-03 ≠ 2025-01-04").
    pub changes: Vec<String>,
}

impl ItemPair {
    /// Its ids in A and B (relation or event ids).
    pub fn ids<'s>(&self, a: &'s AnnotationSet, b: &'s AnnotationSet) -> [Option<&'s str>; 2] {
        let id = |set: &'s AnnotationSet, i: Option<usize>| {
            i.and_then(|i| match self.item {
                Item::Relation => set.relations.get(i).map(|r| r.id.as_str()),
                Item::Event => set.events.get(i).map(|e| e.id.as_str()),
                Item::Span => set.spans.get(i).map(|s| s.id.as_str()),
            })
        };
        [id(a, self.a), id(b, self.b)]
    }
}

/// Span ids to indices, and the span pairing both ways.
struct Links<'s> {
    a_index: HashMap<&'s str, usize>,
    b_index: HashMap<&'s str, usize>,
    /// B span index → its partner in A.
    b_to_a: HashMap<usize, usize>,
    a: &'s AnnotationSet,
    b: &'s AnnotationSet,
}

impl<'s> Links<'s> {
    fn new(a: &'s AnnotationSet, b: &'s AnnotationSet, pairs: &[Pair]) -> Self {
        let index = |set: &'s AnnotationSet| {
            set.spans
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect()
        };
        Self {
            a_index: index(a),
            b_index: index(b),
            b_to_a: pairs.iter().filter_map(|p| Some((p.b?, p.a?))).collect(),
            a,
            b,
        }
    }

    /// A's span index for span id `id` of A.
    fn in_a(&self, id: &str) -> Option<usize> {
        self.a_index.get(id).copied()
    }

    /// A's span index paired with span id `id` of B.
    fn b_in_a(&self, id: &str) -> Option<usize> {
        self.b_index
            .get(id)
            .and_then(|j| self.b_to_a.get(j))
            .copied()
    }

    /// The first character of the spans with these ids (of A, then of B).
    fn start<'x>(
        &self,
        a_ids: impl IntoIterator<Item = &'x String>,
        b_ids: impl IntoIterator<Item = &'x String>,
    ) -> usize {
        let a = a_ids.into_iter().filter_map(|id| {
            self.a_index
                .get(id.as_str())
                .map(|&i| self.a.spans[i].start)
        });
        let b = b_ids.into_iter().filter_map(|id| {
            self.b_index
                .get(id.as_str())
                .map(|&j| self.b.spans[j].start)
        });
        a.chain(b).min().unwrap_or(0)
    }
}

/// Pairs the relations and the events of A and B and types each pair; `pairs` is the span
/// alignment of the two sets. Pairs come sorted by where they start.
pub fn align_items(a: &AnnotationSet, b: &AnnotationSet, pairs: &[Pair]) -> Vec<ItemPair> {
    let links = Links::new(a, b, pairs);
    let mut out = relations(&links);
    out.extend(events(&links));
    out.sort_by_key(|p| p.start);
    out
}

fn relations(links: &Links<'_>) -> Vec<ItemPair> {
    let (a, b) = (links.a, links.b);
    // A's relations by their ends (A span indices).
    let mut by_ends: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, r) in a.relations.iter().enumerate() {
        if let (Some(f), Some(t)) = (links.in_a(&r.from), links.in_a(&r.to)) {
            by_ends.entry((f, t)).or_default().push(i);
        }
    }
    let mut a_used = vec![false; a.relations.len()];
    let mut out = Vec::new();
    fn ends(r: Option<&Relation>) -> impl Iterator<Item = &String> {
        r.into_iter().flat_map(|r| [&r.from, &r.to])
    }
    let start = |ra: Option<&Relation>, rb: Option<&Relation>| links.start(ends(ra), ends(rb));
    let mut b_left = Vec::new();
    // Same kind first, then any kind, each relation used once.
    for same_kind in [true, false] {
        let todo: Vec<usize> = if same_kind {
            (0..b.relations.len()).collect()
        } else {
            std::mem::take(&mut b_left)
        };
        for j in todo {
            let rb = &b.relations[j];
            let ends = links.b_in_a(&rb.from).zip(links.b_in_a(&rb.to));
            let found = ends.and_then(|e| by_ends.get(&e)).and_then(|cands| {
                cands
                    .iter()
                    .copied()
                    .find(|&i| !a_used[i] && (!same_kind || a.relations[i].kind == rb.kind))
            });
            match found {
                Some(i) => {
                    a_used[i] = true;
                    let ra = &a.relations[i];
                    let (kind, changes) = if ra.kind == rb.kind {
                        (ItemKind::Match, Vec::new())
                    } else {
                        (
                            ItemKind::Mismatch,
                            vec![format!("kind {} ≠ {}", ra.kind, rb.kind)],
                        )
                    };
                    out.push(ItemPair {
                        item: Item::Relation,
                        kind,
                        a: Some(i),
                        b: Some(j),
                        start: start(Some(ra), Some(rb)),
                        changes,
                    });
                }
                None if same_kind => b_left.push(j),
                None => out.push(ItemPair {
                    item: Item::Relation,
                    kind: ItemKind::Spurious,
                    a: None,
                    b: Some(j),
                    start: start(None, Some(rb)),
                    changes: Vec::new(),
                }),
            }
        }
    }
    for (i, ra) in a.relations.iter().enumerate().filter(|(i, _)| !a_used[*i]) {
        out.push(ItemPair {
            item: Item::Relation,
            kind: ItemKind::Missing,
            a: Some(i),
            b: None,
            start: start(Some(ra), None),
            changes: Vec::new(),
        });
    }
    out
}

/// Per role, the A span indices an event links (B's mapped through the span pairs; a B span
/// with no partner in A maps to nothing and so makes the roles differ).
type Roles = [Vec<Option<usize>>; 5];

fn roles_of(event: &Event, map: impl Fn(&str) -> Option<usize>) -> Roles {
    EventRole::ALL.map(|role| {
        let mut ids: Vec<Option<usize>> = role.ids(event).iter().map(|id| map(id)).collect();
        ids.sort_unstable();
        ids
    })
}

fn events(links: &Links<'_>) -> Vec<ItemPair> {
    let (a, b) = (links.a, links.b);
    let a_roles: Vec<Roles> = a
        .events
        .iter()
        .map(|e| roles_of(e, |id| links.in_a(id)))
        .collect();
    let b_roles: Vec<Roles> = b
        .events
        .iter()
        .map(|e| roles_of(e, |id| links.b_in_a(id)))
        .collect();
    let linked = |r: &Roles| -> HashSet<usize> { r.iter().flatten().flatten().copied().collect() };
    let a_linked: Vec<HashSet<usize>> = a_roles.iter().map(linked).collect();
    // Candidate pairs ranked: same type, shared spans, same date.
    let mut candidates = Vec::new();
    for (j, eb) in b.events.iter().enumerate() {
        let b_linked = linked(&b_roles[j]);
        for (i, ea) in a.events.iter().enumerate() {
            let shared = a_linked[i].intersection(&b_linked).count();
            let same_type = ea.event_type == eb.event_type;
            if same_type || shared > 0 {
                candidates.push(((same_type, shared, ea.date == eb.date), i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut a_used = vec![false; a.events.len()];
    let mut b_used = vec![false; b.events.len()];
    fn ids(e: Option<&Event>) -> impl Iterator<Item = &String> {
        e.into_iter().flat_map(|e| e.links().map(|(_, id)| id))
    }
    let start = |ea: Option<&Event>, eb: Option<&Event>| links.start(ids(ea), ids(eb));
    let mut out = Vec::new();
    for (_, i, j) in candidates {
        if a_used[i] || b_used[j] {
            continue;
        }
        a_used[i] = true;
        b_used[j] = true;
        let (ea, eb) = (&a.events[i], &b.events[j]);
        let changes = event_changes(ea, eb, &a_roles[i], &b_roles[j]);
        out.push(ItemPair {
            item: Item::Event,
            kind: if changes.is_empty() {
                ItemKind::Match
            } else {
                ItemKind::Mismatch
            },
            a: Some(i),
            b: Some(j),
            start: start(Some(ea), Some(eb)),
            changes,
        });
    }
    for (i, e) in a.events.iter().enumerate().filter(|(i, _)| !a_used[*i]) {
        out.push(ItemPair {
            item: Item::Event,
            kind: ItemKind::Missing,
            a: Some(i),
            b: None,
            start: start(Some(e), None),
            changes: Vec::new(),
        });
    }
    for (j, e) in b.events.iter().enumerate().filter(|(j, _)| !b_used[*j]) {
        out.push(ItemPair {
            item: Item::Event,
            kind: ItemKind::Spurious,
            a: None,
            b: Some(j),
            start: start(None, Some(e)),
            changes: Vec::new(),
        });
    }
    out
}

/// What differs between two paired events, one phrase each.
fn event_changes(ea: &Event, eb: &Event, ra: &Roles, rb: &Roles) -> Vec<String> {
    let mut changes = Vec::new();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    if ea.event_type != eb.event_type {
        changes.push(format!("type {} ≠ {}", ea.event_type, eb.event_type));
    }
    if ea.sub_event_type != eb.sub_event_type {
        changes.push(format!(
            "sub-type {} ≠ {}",
            show(&ea.sub_event_type),
            show(&eb.sub_event_type)
        ));
    }
    if ea.date != eb.date {
        changes.push(format!("date {} ≠ {}", show(&ea.date), show(&eb.date)));
    }
    for (role, (x, y)) in EventRole::ALL.iter().zip(ra.iter().zip(rb)) {
        if x != y {
            let shared = x.iter().filter(|i| i.is_some() && y.contains(i)).count();
            changes.push(format!(
                "{}: {} ≠ {} span(s), {shared} shared",
                role.name(),
                x.len(),
                y.len()
            ));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;
    use crate::review::align;
    use crate::review::testing::sets;

    fn relation(id: &str, kind: &str, from: &str, to: &str) -> Relation {
        Relation {
            id: id.into(),
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn kinds(a: &AnnotationSet, b: &AnnotationSet, item: Item) -> Vec<(ItemKind, Vec<String>)> {
        let (doc, _, _) = two();
        let pairs = align(&doc, a, b);
        align_items(a, b, &pairs)
            .into_iter()
            .filter(|p| p.item == item)
            .map(|p| (p.kind, p.changes))
            .collect()
    }

    /// A coder's set and a model's: the same actor and claim spans, B's PLACE one letter
    /// longer (a boundary difference), ids that differ between the sets.
    fn two() -> (Document, AnnotationSet, AnnotationSet) {
        let (doc, mut a, mut b) = sets(
            "[ACTOR|جماعة نصرة الإسلام] [CLAIM|تتبنى] هجوما في [PLACE|سينغاجي]",
            "[ACTOR|جماعة نصرة الإسلام] [CLAIM|تتبنى] هجوما [PLACE|في سينغاجي]",
        );
        for (i, s) in b.spans.iter_mut().enumerate() {
            s.id = format!("b{i}");
        }
        a.relations = vec![relation("r1", "claimed_by", "s2", "s1")];
        b.relations = vec![relation("x", "claimed_by", "b1", "b0")];
        (doc, a, b)
    }

    #[test]
    fn relations_pair_through_their_spans_whatever_their_ids() {
        let (_, a, mut b) = two();
        assert_eq!(kinds(&a, &b, Item::Relation), [(ItemKind::Match, vec![])]);
        b.relations[0].kind = "located_in".into();
        assert_eq!(
            kinds(&a, &b, Item::Relation),
            [(
                ItemKind::Mismatch,
                vec!["kind claimed_by ≠ located_in".to_owned()]
            )]
        );
        // A relation to the PLACE span (a boundary pair) still pairs through it.
        b.relations = vec![relation("x", "located_in", "b1", "b2")];
        let mut a2 = a.clone();
        a2.relations = vec![relation("r1", "located_in", "s2", "s3")];
        assert_eq!(kinds(&a2, &b, Item::Relation), [(ItemKind::Match, vec![])]);
        // Reversed ends are another relation: one missing, one spurious.
        b.relations = vec![relation("x", "claimed_by", "b0", "b1")];
        let got: Vec<ItemKind> = kinds(&a, &b, Item::Relation)
            .into_iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(got, [ItemKind::Spurious, ItemKind::Missing]);
    }

    fn event(id: &str, kind: &str, date: &str, perpetrators: &[&str], places: &[&str]) -> Event {
        Event {
            id: id.into(),
            event_type: kind.into(),
            date: Some(date.into()),
            perpetrators: perpetrators.iter().map(|s| (*s).to_owned()).collect(),
            places: places.iter().map(|s| (*s).to_owned()).collect(),
            ..Event::default()
        }
    }

    #[test]
    fn events_pair_by_type_and_linked_spans_and_say_what_differs() {
        let (_, mut a, mut b) = two();
        a.events = vec![event("e1", "Battles", "2025-01-03", &["s1"], &["s3"])];
        b.events = vec![event("e9", "Battles", "2025-01-03", &["b0"], &["b2"])];
        assert_eq!(kinds(&a, &b, Item::Event), [(ItemKind::Match, vec![])]);
        b.events[0].date = Some("2025-01-04".into());
        b.events[0].places.clear();
        assert_eq!(
            kinds(&a, &b, Item::Event),
            [(
                ItemKind::Mismatch,
                vec![
                    "date 2025-01-03 ≠ 2025-01-04".to_owned(),
                    "places: 1 ≠ 0 span(s), 0 shared".to_owned()
                ]
            )]
        );
        // Another type sharing a span is the same event coded differently…
        b.events[0].event_type = "Violence against civilians".into();
        assert_eq!(kinds(&a, &b, Item::Event)[0].0, ItemKind::Mismatch);
        // …but sharing nothing, it is another event.
        b.events[0].perpetrators.clear();
        let got: Vec<ItemKind> = kinds(&a, &b, Item::Event)
            .into_iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(got, [ItemKind::Missing, ItemKind::Spurious]);
    }
}
