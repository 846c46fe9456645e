//! The pure half of adjudication: what deciding differences does to a document. Taking A's or
//! B's version of a span, relation or event puts it into the adjudicated set (a human set
//! whose annotator is `adjudicated`) and takes the other version out; "neither" takes both
//! out; what both sets agree on goes in without a decision. Every decision gives one
//! invertible [`Edit`], so undo covers it.

use std::collections::HashSet;

use super::align::Difference;
use super::structure::ItemPair;
use crate::model::{
    AnnotatedDocument, AnnotationSet, Change, CharRange, Decision, Edit, Event, EventRole, Item,
    Relation, Span, Take,
};

/// The id (and annotator) of the adjudicated set.
pub const ADJUDICATED: &str = "adjudicated";

/// A difference named by what it is about and its items' ids (stable while the sets do not
/// change): span ids, or relation or event ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DiffKey {
    pub item: Item,
    pub a: Option<String>,
    pub b: Option<String>,
}

impl DiffKey {
    pub fn of(d: &Difference<'_>) -> Self {
        Self {
            item: Item::Span,
            a: d.a.map(|s| s.id.clone()),
            b: d.b.map(|s| s.id.clone()),
        }
    }

    /// The key of a relation or event pair of sets `a` and `b`.
    pub fn of_item(p: &ItemPair, a: &AnnotationSet, b: &AnnotationSet) -> Self {
        let [ia, ib] = p.ids(a, b);
        Self {
            item: p.item,
            a: ia.map(str::to_owned),
            b: ib.map(str::to_owned),
        }
    }

    /// Whether this key names span difference `d` (without allocating a key for it).
    pub fn names(&self, d: &Difference<'_>) -> bool {
        self.item == Item::Span
            && self.a.as_deref() == d.a.map(|s| s.id.as_str())
            && self.b.as_deref() == d.b.map(|s| s.id.as_str())
    }

    /// Whether this key names relation or event pair `p` of sets `a` and `b`.
    pub fn names_item(&self, p: &ItemPair, a: &AnnotationSet, b: &AnnotationSet) -> bool {
        let [ia, ib] = p.ids(a, b);
        self.item == p.item && self.a.as_deref() == ia && self.b.as_deref() == ib
    }
}

/// The span a difference offers to the adjudicated set: B's when B has one, else A's.
pub fn candidate<'a>(d: &Difference<'a>) -> Option<&'a Span> {
    d.b.or(d.a)
}

/// B's confidence in a difference (1 when B gives none or has no span).
pub fn confidence(d: &Difference<'_>) -> f64 {
    d.b.and_then(|s| s.confidence).unwrap_or(1.0)
}

/// The (range, label) of every span of the adjudicated set: what "accepted" is looked up in.
pub fn adjudicated_spans(doc: &AnnotatedDocument) -> HashSet<(CharRange, &str)> {
    doc.set(ADJUDICATED)
        .map(|s| {
            s.spans
                .iter()
                .map(|x| (x.range(), x.label.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whose version of a difference the adjudicated set took (the model's `Take` without
/// "neither").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

/// The span of `side` a difference offers: A's, or for B its [`candidate`] (B's, else A's —
/// accepting a span only A has keeps it).
pub fn version<'a>(d: &Difference<'a>, side: Side) -> Option<&'a Span> {
    match side {
        Side::A => d.a,
        Side::B => candidate(d),
    }
}

/// Which version of the difference `held` (from [`adjudicated_spans`]) holds: B's when it
/// holds B's, else A's when it holds A's.
pub fn taken(held: &HashSet<(CharRange, &str)>, d: &Difference<'_>) -> Option<Side> {
    let holds = |s: Option<&Span>| s.is_some_and(|c| held.contains(&(c.range(), c.label.as_str())));
    if holds(version(d, Side::B)) {
        Some(Side::B)
    } else if holds(d.a) {
        Some(Side::A)
    } else {
        None
    }
}

/// A span as the adjudicated set knows it, whatever its id: range and label.
type SpanSig = (CharRange, String);

/// A relation or an event as the adjudicated set knows it: its content with every span
/// named by [`SpanSig`], so that versions from different sets compare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ItemSig {
    Relation {
        kind: String,
        from: SpanSig,
        to: SpanSig,
    },
    Event {
        event_type: String,
        sub_event_type: Option<String>,
        date: Option<String>,
        roles: [Vec<SpanSig>; 5],
    },
}

fn span_sig(set: &AnnotationSet, id: &str) -> Option<SpanSig> {
    set.spans
        .iter()
        .find(|s| s.id == id)
        .map(|s| (s.range(), s.label.clone()))
}

/// The signature of a relation of `set` (None when an end does not resolve).
pub fn relation_sig(set: &AnnotationSet, r: &Relation) -> Option<ItemSig> {
    Some(ItemSig::Relation {
        kind: r.kind.clone(),
        from: span_sig(set, &r.from)?,
        to: span_sig(set, &r.to)?,
    })
}

/// The signature of an event of `set` (links that do not resolve are left out).
pub fn event_sig(set: &AnnotationSet, e: &Event) -> ItemSig {
    ItemSig::Event {
        event_type: e.event_type.clone(),
        sub_event_type: e.sub_event_type.clone(),
        date: e.date.clone(),
        roles: EventRole::ALL.map(|role| {
            let mut sigs: Vec<SpanSig> = role
                .ids(e)
                .iter()
                .filter_map(|id| span_sig(set, id))
                .collect();
            sigs.sort();
            sigs
        }),
    }
}

/// The signatures of every relation and event of `set`.
pub fn item_sigs(set: &AnnotationSet) -> HashSet<ItemSig> {
    let relations = set.relations.iter().filter_map(|r| relation_sig(set, r));
    let events = set.events.iter().map(|e| event_sig(set, e));
    relations.chain(events).collect()
}

/// The signature of the version of item pair `p` that set `side` has.
fn version_sig(p: &ItemPair, set: &AnnotationSet, index: Option<usize>) -> Option<ItemSig> {
    let i = index?;
    match p.item {
        Item::Relation => set.relations.get(i).and_then(|r| relation_sig(set, r)),
        Item::Event => set.events.get(i).map(|e| event_sig(set, e)),
        Item::Span => None,
    }
}

/// Which version of item pair `p` (of sets `a` and `b`) `held` (from [`item_sigs`] of the
/// adjudicated set) holds.
pub fn item_taken(
    held: &HashSet<ItemSig>,
    p: &ItemPair,
    a: &AnnotationSet,
    b: &AnnotationSet,
) -> Option<Side> {
    let holds = |sig: Option<ItemSig>| sig.is_some_and(|s| held.contains(&s));
    if holds(version_sig(p, b, p.b)) {
        Some(Side::B)
    } else if holds(version_sig(p, a, p.a)) {
        Some(Side::A)
    } else {
        None
    }
}

/// Who decides, on which pair of sets, when (RFC 3339).
#[derive(Clone, Copy, Debug)]
pub struct Decider<'a> {
    pub a_set: &'a str,
    pub b_set: &'a str,
    pub by: &'a str,
    pub at: &'a str,
}

/// Whether `decision` is about `d` between the decider's two sets.
pub fn is_about(decision: &Decision, d: &Difference<'_>, who: &Decider<'_>) -> bool {
    decision.a_set == who.a_set
        && decision.b_set == who.b_set
        && decision.item == Item::Span
        && decision.a.as_deref() == d.a.map(|s| s.id.as_str())
        && decision.b.as_deref() == d.b.map(|s| s.id.as_str())
}

/// What a decision is taken on: span differences and relation or event pairs of the
/// decider's two sets.
#[derive(Clone, Debug, Default)]
pub struct Chosen<'d> {
    pub spans: Vec<Difference<'d>>,
    pub items: Vec<&'d ItemPair>,
}

/// The index of the adjudicated span equal to `span` (range and label), put in (a copy with
/// a fresh id, its confidence kept only when `keep_score`) when there is none.
fn ensure_span(set: &mut AnnotationSet, span: &Span, keep_score: bool) -> usize {
    if let Some(i) = find_span(set, span) {
        return i;
    }
    let span = Span {
        id: set.fresh_id("s"),
        confidence: if keep_score { span.confidence } else { None },
        ..span.clone()
    };
    let at = set.span_insert_index(span.range());
    set.spans.insert(at, span);
    at
}

fn find_span(set: &AnnotationSet, span: &Span) -> Option<usize> {
    set.spans
        .iter()
        .position(|x| x.range() == span.range() && x.label == span.label)
}

/// The id in `set` (the adjudicated set) of span `id` of `from`, copied in when missing.
fn carried(set: &mut AnnotationSet, from: &AnnotationSet, id: &str) -> Option<String> {
    let span = from.spans.iter().find(|s| s.id == id)?;
    let i = ensure_span(set, span, false);
    Some(set.spans[i].id.clone())
}

/// Puts version `index` of `from` of item pair `p` into `set` (with its spans) unless it holds
/// it already.
fn put_item(set: &mut AnnotationSet, p: &ItemPair, from: &AnnotationSet, index: usize) {
    let held = item_sigs(set);
    if version_sig(p, from, Some(index)).is_some_and(|s| held.contains(&s)) {
        return;
    }
    match p.item {
        Item::Relation => {
            let Some(r) = from.relations.get(index) else {
                return;
            };
            let (Some(f), Some(t)) = (carried(set, from, &r.from), carried(set, from, &r.to))
            else {
                return;
            };
            let id = set.fresh_id("r");
            set.relations.push(Relation {
                id,
                kind: r.kind.clone(),
                from: f,
                to: t,
            });
        }
        Item::Event => {
            let Some(e) = from.events.get(index) else {
                return;
            };
            let mut event = Event {
                id: set.fresh_id("e"),
                ..e.clone()
            };
            for role in EventRole::ALL {
                let ids: Vec<String> = role
                    .ids(e)
                    .iter()
                    .filter_map(|id| carried(set, from, id))
                    .collect();
                *role.ids_mut(&mut event) = ids;
            }
            set.events.push(event);
        }
        Item::Span => {}
    }
}

/// Takes out of `set` every relation or event equal to one of `sigs`.
fn remove_items(set: &mut AnnotationSet, sigs: &[ItemSig]) {
    let relations = std::mem::take(&mut set.relations);
    let kept = relations
        .into_iter()
        .filter(|r| relation_sig(set, r).is_none_or(|s| !sigs.contains(&s)))
        .collect();
    set.relations = kept;
    let events = std::mem::take(&mut set.events);
    let kept = events
        .into_iter()
        .filter(|e| !sigs.contains(&event_sig(set, e)))
        .collect();
    set.events = kept;
}

/// Drops the relations whose ends left the set and the event links to spans that left it.
fn prune(set: &mut AnnotationSet) {
    let ids: HashSet<String> = set.spans.iter().map(|s| s.id.clone()).collect();
    set.relations
        .retain(|r| ids.contains(&r.from) && ids.contains(&r.to));
    for e in &mut set.events {
        for role in EventRole::ALL {
            role.ids_mut(e).retain(|id| ids.contains(id));
        }
    }
}

/// The one edit that decides each of `chosen`: the adjudicated set (made when needed) holds
/// the version taken (`Take::A`, `Take::B`) or neither, the other version is taken out, and a
/// decision records which, by whom, when, and B's confidence; a span taken from B keeps B's
/// score. Every exact match of `matches` (spans, relations, events both sets agree on) goes in
/// too, without a decision. A relation or event taken brings its spans. None when nothing
/// changes.
pub fn decide_edit(
    doc: &AnnotatedDocument,
    chosen: &Chosen<'_>,
    matches: &Chosen<'_>,
    take: Take,
    who: &Decider<'_>,
) -> Option<Edit> {
    let (sa, sb) = (doc.set(who.a_set)?, doc.set(who.b_set)?);
    let index = doc.sets.iter().position(|s| s.id == ADJUDICATED);
    let old = index.map(|i| doc.sets[i].clone());
    let mut set = old
        .clone()
        .unwrap_or_else(|| AnnotationSet::human(ADJUDICATED));
    for d in &chosen.spans {
        let want = match take {
            Take::A => version(d, Side::A),
            Take::B => version(d, Side::B),
            Take::Neither => None,
        };
        for span in [d.a, d.b].into_iter().flatten() {
            let same_as_wanted =
                want.is_some_and(|w| (w.range(), &w.label) == (span.range(), &span.label));
            if !same_as_wanted && let Some(i) = find_span(&set, span) {
                set.spans.remove(i);
            }
        }
        if let Some(c) = want {
            // The version taken, attributes included: A's and B's may share range and label
            // and differ in an attribute (27 ≠ 7). A span already there keeps its id, so the
            // relations and events on it stay.
            let from_b = d.b.is_some_and(|b| std::ptr::eq(b, c));
            let i = ensure_span(&mut set, c, from_b);
            let held = &mut set.spans[i];
            held.attrs.clone_from(&c.attrs);
            held.confidence = if from_b { c.confidence } else { None };
        }
        set.decisions.retain(|x| !is_about(x, d, who));
        set.decisions.push(Decision {
            a_set: who.a_set.to_owned(),
            b_set: who.b_set.to_owned(),
            item: Item::Span,
            a: d.a.map(|s| s.id.clone()),
            b: d.b.map(|s| s.id.clone()),
            take,
            by: who.by.to_owned(),
            at: who.at.to_owned(),
            confidence: d.b.and_then(|s| s.confidence),
        });
    }
    prune(&mut set);
    // A match goes in as A's span (a plain NER model gives no attributes) with B's score.
    for d in &matches.spans {
        if let Some(c) = d.a.or(d.b) {
            let i = ensure_span(&mut set, c, false);
            if let Some(score) = d.b.and_then(|b| b.confidence) {
                set.spans[i].confidence.get_or_insert(score);
            }
        }
    }
    for p in &chosen.items {
        let versions = [(sa, p.a), (sb, p.b)];
        let want = match take {
            Take::A => p.a.map(|i| (sa, i)),
            Take::B => p.b.map(|i| (sb, i)).or(p.a.map(|i| (sa, i))),
            Take::Neither => None,
        };
        let want_sig = want.and_then(|(from, i)| version_sig(p, from, Some(i)));
        let others: Vec<ItemSig> = versions
            .iter()
            .filter_map(|&(from, i)| version_sig(p, from, i))
            .filter(|s| Some(s) != want_sig.as_ref())
            .collect();
        remove_items(&mut set, &others);
        if let Some((from, i)) = want {
            put_item(&mut set, p, from, i);
        }
        let [ia, ib] = p.ids(sa, sb);
        set.decisions.retain(|x| {
            !(x.a_set == who.a_set
                && x.b_set == who.b_set
                && x.item == p.item
                && x.a.as_deref() == ia
                && x.b.as_deref() == ib)
        });
        set.decisions.push(Decision {
            a_set: who.a_set.to_owned(),
            b_set: who.b_set.to_owned(),
            item: p.item,
            a: ia.map(str::to_owned),
            b: ib.map(str::to_owned),
            take,
            by: who.by.to_owned(),
            at: who.at.to_owned(),
            confidence: None,
        });
    }
    for p in &matches.items {
        if let Some(i) = p.a {
            put_item(&mut set, p, sa, i);
        }
    }
    match (index, old) {
        (Some(index), Some(old)) if old != set => Some(Edit::Set(Change::Replace {
            index,
            old,
            new: set,
        })),
        (None, _) => Some(Edit::Set(Change::Insert {
            index: doc.sets.len(),
            item: set,
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use crate::review::differences;
    use crate::review::testing::coder_and_model as doc;

    const WHO: Decider<'static> = Decider {
        a_set: "coder-a",
        b_set: "model",
        by: "lead",
        at: "2026-12-01T10:00:00Z",
    };

    fn only<'d>(spans: &[Difference<'d>]) -> Chosen<'d> {
        Chosen {
            spans: spans.to_vec(),
            items: Vec::new(),
        }
    }

    fn held(d: &AnnotatedDocument) -> Vec<String> {
        d.set(ADJUDICATED)
            .map(|s| s.spans.iter().map(|x| x.text.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn taking_b_copies_its_span_once_records_the_decision_and_undoes() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        let edit = decide_edit(&d, &only(&diffs[1..2]), &Chosen::default(), Take::B, &WHO)
            .expect("an edit");
        let before = d.clone();
        edit.apply(&mut d).expect("apply");
        let adj = d.set(ADJUDICATED).expect("adjudicated set");
        assert_eq!(
            adj.source,
            Source::Human {
                annotator: ADJUDICATED.into()
            }
        );
        assert_eq!(
            (adj.spans[0].text.as_str(), adj.spans[0].confidence),
            ("سيكاسو", Some(0.9)),
            "B's span keeps B's score"
        );
        assert_eq!(adj.decisions.len(), 1);
        let decision = &adj.decisions[0];
        assert_eq!((decision.take, decision.by.as_str()), (Take::B, "lead"));
        assert_eq!(decision.confidence, Some(0.9));
        assert!(is_about(decision, &diffs[1], &WHO));
        assert!(
            decide_edit(&d, &only(&diffs[1..2]), &Chosen::default(), Take::B, &WHO).is_none(),
            "already decided so"
        );
        edit.inverse().apply(&mut d).expect("undo");
        assert_eq!(d, before);
    }

    #[test]
    fn taking_the_other_side_replaces_the_version_taken() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        // The clitic-only boundary: A's بسيكاسو, B's سيكاسو.
        let one = &diffs[1..2];
        decide_edit(&d, &only(one), &Chosen::default(), Take::B, &WHO)
            .expect("B")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["سيكاسو"]);
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::B));
        decide_edit(&d, &only(one), &Chosen::default(), Take::A, &WHO)
            .expect("A")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["بسيكاسو"], "B's version went out as A's came in");
        assert_eq!(taken(&adjudicated_spans(&d), &diffs[1]), Some(Side::A));
        decide_edit(&d, &only(one), &Chosen::default(), Take::Neither, &WHO)
            .expect("neither")
            .apply(&mut d)
            .expect("apply");
        assert!(held(&d).is_empty());
        let decisions = &d.set(ADJUDICATED).expect("set").decisions;
        assert_eq!(decisions.len(), 1, "one decision per difference, the last");
        assert_eq!(decisions[0].take, Take::Neither);
    }

    #[test]
    fn exact_matches_go_in_with_the_first_decision_without_one_of_their_own() {
        let mut d = doc();
        let (a, b) = (d.sets[0].clone(), d.sets[1].clone());
        let diffs = differences(&d.document, &a, &b);
        let matches = Chosen {
            spans: diffs
                .iter()
                .filter(|x| x.kind == crate::review::DiffKind::Match)
                .cloned()
                .collect(),
            items: Vec::new(),
        };
        // Neither on the spurious CLAIM: the set is made, and holds the matched الجيش.
        decide_edit(&d, &only(&diffs[2..3]), &matches, Take::Neither, &WHO)
            .expect("an edit")
            .apply(&mut d)
            .expect("apply");
        assert_eq!(held(&d), ["الجيش"]);
        let adj = d.set(ADJUDICATED).expect("set");
        assert_eq!(adj.decisions.len(), 1, "the match needs no decision");
    }

    #[test]
    fn taking_a_relation_brings_its_spans_and_neither_takes_it_out() {
        use crate::model::notation;
        use crate::review::{align, align_items};
        let mut d = notation::parse("[ACTOR|الجماعة] [CLAIM|تتبنى] الهجوم")
            .expect("A")
            .to_document("t", "coder-a");
        let mut b = d.sets[0].clone();
        b.id = "model".into();
        d.sets[0].relations.push(Relation {
            id: "r1".into(),
            kind: "claimed_by".into(),
            from: "s2".into(),
            to: "s1".into(),
        });
        d.sets.push(b);
        let (sa, sb) = (d.sets[0].clone(), d.sets[1].clone());
        let pairs = align(&d.document, &sa, &sb);
        let items = align_items(&sa, &sb, &pairs);
        assert_eq!(items.len(), 1);
        let chosen = Chosen {
            spans: Vec::new(),
            items: items.iter().collect(),
        };
        decide_edit(&d, &chosen, &Chosen::default(), Take::A, &WHO)
            .expect("take A")
            .apply(&mut d)
            .expect("apply");
        let adj = d.set(ADJUDICATED).expect("set").clone();
        assert_eq!(held(&d), ["الجماعة", "تتبنى"], "its ends came with it");
        assert_eq!(adj.relations.len(), 1);
        assert_eq!(
            item_taken(&item_sigs(&adj), &items[0], &sa, &sb),
            Some(Side::A)
        );
        assert_eq!(adj.decisions[0].item, Item::Relation);
        assert_eq!(adj.decisions[0].a.as_deref(), Some("r1"));
        let problems = crate::model::validate(&d, crate::model::LabelSchema::builtin());
        assert!(problems.is_empty(), "{problems:?}");
        decide_edit(&d, &chosen, &Chosen::default(), Take::Neither, &WHO)
            .expect("neither")
            .apply(&mut d)
            .expect("apply");
        let adj = d.set(ADJUDICATED).expect("set");
        assert!(adj.relations.is_empty());
        assert_eq!(adj.decisions.len(), 1, "the decision was replaced");
        // Taking a span out takes the relations on it out too: the set stays valid.
        let mut d2 = d.clone();
        decide_edit(&d2, &chosen, &Chosen::default(), Take::A, &WHO)
            .expect("take A")
            .apply(&mut d2)
            .expect("apply");
        let diffs = differences(&d2.document, &sa, &sb);
        decide_edit(
            &d2,
            &only(&diffs[..1]),
            &Chosen::default(),
            Take::Neither,
            &WHO,
        )
        .expect("neither on the actor")
        .apply(&mut d2)
        .expect("apply");
        assert!(d2.set(ADJUDICATED).expect("set").relations.is_empty());
    }
}
