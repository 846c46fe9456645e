//! The merge of the items of one kind — spans, relations, events — by id: each item's fields
//! one by one (a span's attributes by key, an event's links as sets), giving either one merged
//! item or, where both sides changed a field differently, both versions, each with every change
//! of the other side that does not conflict.

use std::collections::{BTreeMap, HashMap};

use super::{field, keys};
use crate::model::annotation::{
    AttrValue, Conflict, Event, EventRole, Item, Relation, Span, Version,
};

/// Both versions of an item when the sides changed it differently: this side's and the
/// other's, each with every change the other side made that does not conflict.
pub(super) enum Outcome<T> {
    Merged(T),
    Conflict { ours: T, theirs: T },
}

/// How the items of one kind are merged.
pub(super) trait Mergeable: Clone + PartialEq + Sized {
    const ITEM: Item;
    fn id(&self) -> &String;
    fn version(self) -> Version;
    /// The field-by-field merge of an item both sides hold (`base` none: both added it).
    fn merge(base: Option<&Self>, ours: &Self, theirs: &Self, text: &[char]) -> Outcome<Self>;
}

/// Two results of merging field by field: taking this side's value where both changed a field
/// differently, and taking the other side's.
struct Fields<'a, T> {
    base: Option<&'a T>,
    ours: &'a T,
    theirs: &'a T,
    mine: T,
    other: T,
    conflict: bool,
}

impl<'a, T: Clone> Fields<'a, T> {
    fn new(base: Option<&'a T>, ours: &'a T, theirs: &'a T) -> Self {
        Self {
            base,
            ours,
            theirs,
            mine: ours.clone(),
            other: theirs.clone(),
            conflict: false,
        }
    }

    /// Merges one field, reached through `get`.
    fn field<F: Clone + PartialEq>(&mut self, get: impl Fn(&mut T) -> &mut F) -> &mut Self {
        let (mut o, mut t) = (self.ours.clone(), self.theirs.clone());
        let (o, t) = (get(&mut o).clone(), get(&mut t).clone());
        let b = self.base.map(|b| get(&mut b.clone()).clone());
        match field(b.as_ref(), &o, &t) {
            Some(v) => {
                *get(&mut self.mine) = v.clone();
                *get(&mut self.other) = v;
            }
            None => self.conflict = true,
        }
        self
    }

    fn outcome(self, valid: impl Fn(&T) -> bool) -> Outcome<T> {
        if self.conflict || !valid(&self.mine) || !valid(&self.other) {
            Outcome::Conflict {
                ours: self.mine,
                theirs: self.other,
            }
        } else {
            Outcome::Merged(self.mine)
        }
    }
}

impl Mergeable for Span {
    const ITEM: Item = Item::Span;

    fn id(&self) -> &String {
        &self.id
    }

    fn version(self) -> Version {
        Version::Span(self)
    }

    fn merge(base: Option<&Self>, ours: &Self, theirs: &Self, text: &[char]) -> Outcome<Self> {
        let mut f = Fields::new(base, ours, theirs);
        f.field(|s| &mut s.start)
            .field(|s| &mut s.end)
            .field(|s| &mut s.label)
            .field(|s| &mut s.note)
            .field(|s| &mut s.confidence);
        let attrs = merge_attrs(base.map(|b| &b.attrs), &ours.attrs, &theirs.attrs);
        f.mine.attrs = attrs.mine;
        f.other.attrs = attrs.other;
        f.conflict |= attrs.conflict;
        for span in [&mut f.mine, &mut f.other] {
            if span.start < span.end && span.end <= text.len() {
                span.text = text[span.start..span.end].iter().collect();
            }
        }
        f.outcome(|s| s.start < s.end && s.end <= text.len())
    }
}

struct Attrs {
    mine: BTreeMap<String, AttrValue>,
    other: BTreeMap<String, AttrValue>,
    conflict: bool,
}

/// Attributes by key: a key added, changed or removed on one side follows that side.
fn merge_attrs(
    base: Option<&BTreeMap<String, AttrValue>>,
    ours: &BTreeMap<String, AttrValue>,
    theirs: &BTreeMap<String, AttrValue>,
) -> Attrs {
    let mut out = Attrs {
        mine: BTreeMap::new(),
        other: BTreeMap::new(),
        conflict: false,
    };
    let names: std::collections::BTreeSet<&String> = ours
        .keys()
        .chain(theirs.keys())
        .chain(base.into_iter().flat_map(|b| b.keys()))
        .collect();
    for name in names {
        let (o, t) = (ours.get(name).cloned(), theirs.get(name).cloned());
        let b = base.map(|b| b.get(name).cloned());
        let (mine, other) = match field(b.as_ref(), &o, &t) {
            Some(v) => (v.clone(), v),
            None => {
                out.conflict = true;
                (o, t)
            }
        };
        if let Some(v) = mine {
            out.mine.insert(name.clone(), v);
        }
        if let Some(v) = other {
            out.other.insert(name.clone(), v);
        }
    }
    out
}

impl Mergeable for Relation {
    const ITEM: Item = Item::Relation;

    fn id(&self) -> &String {
        &self.id
    }

    fn version(self) -> Version {
        Version::Relation(self)
    }

    fn merge(base: Option<&Self>, ours: &Self, theirs: &Self, _: &[char]) -> Outcome<Self> {
        let mut f = Fields::new(base, ours, theirs);
        f.field(|r| &mut r.kind)
            .field(|r| &mut r.from)
            .field(|r| &mut r.to);
        f.outcome(|_| true)
    }
}

impl Mergeable for Event {
    const ITEM: Item = Item::Event;

    fn id(&self) -> &String {
        &self.id
    }

    fn version(self) -> Version {
        Version::Event(self)
    }

    fn merge(base: Option<&Self>, ours: &Self, theirs: &Self, _: &[char]) -> Outcome<Self> {
        let mut f = Fields::new(base, ours, theirs);
        f.field(|e| &mut e.event_type)
            .field(|e| &mut e.sub_event_type)
            .field(|e| &mut e.date)
            .field(|e| &mut e.notes);
        // The links of each role as a set: a link added or removed on one side follows it.
        for role in EventRole::ALL {
            let links = merge_links(base.map(|b| role.ids(b)), role.ids(ours), role.ids(theirs));
            *role.ids_mut(&mut f.mine) = links.clone();
            *role.ids_mut(&mut f.other) = links;
        }
        f.outcome(|_| true)
    }
}

/// A list of ids merged as a set, in this side's order then the other side's additions.
fn merge_links(base: Option<&Vec<String>>, ours: &[String], theirs: &[String]) -> Vec<String> {
    let empty = Vec::new();
    let base = base.unwrap_or(&empty);
    let keep = |id: &String| {
        let (b, o, t) = (base.contains(id), ours.contains(id), theirs.contains(id));
        // Kept unless one side removed it (it was in the base and is missing on a side).
        (o || t) && !(b && (!o || !t))
    };
    keys(base, ours, theirs, |id| id.clone())
        .into_iter()
        .filter(keep)
        .collect()
}

/// Merges the items of one kind; conflicts are appended to `conflicts`.
pub(super) fn merge_items<T: Mergeable>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    text: &[char],
    conflicts: &mut Vec<Conflict>,
) -> Vec<T> {
    let index = |list: &[T]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .map(|(i, x)| (x.id().clone(), i))
            .collect()
    };
    let (bi, oi, ti) = (index(base), index(ours), index(theirs));
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    let conflict = |id: &String, theirs: Option<&T>| Conflict {
        item: T::ITEM,
        id: id.clone(),
        theirs: theirs.cloned().map(T::version),
    };
    for id in keys(base, ours, theirs, |x| x.id().clone()) {
        let b = bi.get(&id).map(|&i| &base[i]);
        let o = oi.get(&id).map(|&i| &ours[i]);
        let t = ti.get(&id).map(|&i| &theirs[i]);
        match (b, o, t) {
            (b, Some(o), Some(t)) if o == t || b == Some(t) => out.push(o.clone()),
            (b, Some(o), Some(t)) if b == Some(o) => out.push(t.clone()),
            (b, Some(o), Some(t)) => match T::merge(b, o, t, text) {
                Outcome::Merged(m) => out.push(m),
                Outcome::Conflict { ours, theirs } => {
                    conflicts.push(conflict(&id, Some(&theirs)));
                    out.push(ours);
                }
            },
            (Some(b), Some(o), None) => {
                if o != b {
                    conflicts.push(conflict(&id, None));
                    out.push(o.clone());
                }
            }
            (Some(b), None, Some(t)) => {
                if t != b {
                    conflicts.push(conflict(&id, Some(t)));
                }
            }
            (None, Some(x), None) | (None, None, Some(x)) => out.push(x.clone()),
            (_, None, None) => {}
        }
    }
    out
}
