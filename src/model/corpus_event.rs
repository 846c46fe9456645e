//! Events of the corpus rather than of one article: ACLED's unit, one event built from every
//! report of it. A corpus event links spans of any document (each link names the document, the
//! set and the span, and keeps the span's text to catch drift), records the date each report
//! gives for the attack, and is reconciled by ACLED's rules: the most conservative fatality
//! figure (per group the lowest KILLED count any report gives, the groups added), every
//! disagreement listed, the earliest reported date, and the precision of date and place.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::annotation::{AttrValue, EventRole, Span};

/// Its format version in the corpus's `marsad-events/` folder.
pub const EVENT_FORMAT: &str = "marsad-event/1";

/// A span of some document of the corpus, in a role.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// `perpetrators`, `targets`, `places`, `casualties` or `claims`.
    pub role: String,
    /// The document's path from the corpus root, with `/`.
    pub document: String,
    pub set: String,
    pub span: String,
    /// The span's text when it was linked: a link whose span now says otherwise is refused.
    pub text: String,
    /// The registry entry the span names (its `actor_id` or `gazetteer_id`), when it names
    /// one: reports that name the same entry in other words are found by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
}

impl Link {
    /// A link to `span` of set `set` of `document`, in `role`.
    pub fn of(role: EventRole, document: &str, set: &str, span: &Span) -> Self {
        let entry = super::registry::registry_attr(&span.label).and_then(|attr| {
            match span.attrs.get(attr) {
                Some(AttrValue::Str(id)) if !id.is_empty() => Some(id.clone()),
                _ => None,
            }
        });
        Self {
            role: role.name().to_owned(),
            document: document.to_owned(),
            set: set.to_owned(),
            span: span.id.clone(),
            text: span.text.clone(),
            entry,
        }
    }

    /// What the link is matched by: its text, and the registry entry it names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.entry.as_deref())
    }
}

/// The date a report gives for the attack (not its publication date).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub document: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default)]
    pub date: Option<String>,
    /// The document's own event this report was promoted from (its ACLED row is then this
    /// event's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// One event of the corpus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusEvent {
    pub format: String,
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub sub_event_type: Option<String>,
    /// The coder's own notes (the reconciliation's are added when it is exported).
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub reports: Vec<Report>,
}

impl CorpusEvent {
    pub fn new(id: &str, event_type: &str) -> Self {
        Self {
            format: EVENT_FORMAT.to_owned(),
            id: id.to_owned(),
            event_type: event_type.to_owned(),
            sub_event_type: None,
            notes: None,
            links: Vec::new(),
            reports: Vec::new(),
        }
    }

    /// The documents it links, each once, in the order first linked.
    pub fn documents(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for d in self
            .links
            .iter()
            .map(|l| l.document.as_str())
            .chain(self.reports.iter().map(|r| r.document.as_str()))
        {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }

    /// Links the span in the role, or unlinks it when it is linked there already.
    pub fn toggle(&mut self, link: Link) {
        match self.links.iter().position(|l| {
            l.role == link.role
                && l.document == link.document
                && l.set == link.set
                && l.span == link.span
        }) {
            Some(i) => {
                self.links.remove(i);
            }
            None => self.links.push(link),
        }
    }
}

/// A figure one report gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub document: String,
    pub span: String,
    pub group: String,
    pub killed: u64,
}

/// What the reports of an event add up to, by ACLED's rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Per group the lowest figure, the groups added (None: no report gives a figure).
    pub fatalities: Option<u64>,
    /// Every figure, with its source.
    pub figures: Vec<Figure>,
    /// "doc-a: 1 killed; doc-b: 3 killed" for each group the reports disagree on.
    pub disagreements: Vec<String>,
    pub date: Option<String>,
    /// 1 day, 2 month, 3 year.
    pub time_precision: Option<u8>,
    /// 1 locality or site, 2 district (admin 2 or 3) or a vague place, 3 province or country.
    pub geo_precision: Option<u8>,
}

impl Reconciled {
    /// The notes the reconciliation adds to an export.
    pub fn notes(&self) -> String {
        self.disagreements.join(" | ")
    }
}

fn str_attr<'a>(span: &'a Span, name: &str) -> Option<&'a str> {
    match span.attrs.get(name) {
        Some(AttrValue::Str(s)) => Some(s),
        _ => None,
    }
}

/// The KILLED count a casualty span gives: its value (the low end of a range); a vague figure
/// counts what ACLED counts for its words (عشرات, dozens: 10 or 12; مئات, hundreds: 100).
pub fn killed(span: &Span) -> Option<u64> {
    if str_attr(span, "kind") != Some("KILLED") {
        return None;
    }
    let int = |name: &str| match span.attrs.get(name) {
        Some(AttrValue::Int(n)) => u64::try_from(*n).ok(),
        _ => None,
    };
    let value = match str_attr(span, "qualifier") {
        Some("RANGE") => int("low").or_else(|| int("value")),
        _ => int("value"),
    };
    value.or_else(|| vague_count(&span.text))
}

/// What ACLED counts for a vague number word.
pub fn vague_count(text: &str) -> Option<u64> {
    let t: String = text.chars().filter_map(super::arabic::fold).collect();
    let t = t.to_lowercase();
    if t.contains("مئات") || t.contains("hundreds") {
        Some(100)
    } else if t.contains("dozens") {
        Some(12)
    } else if t.contains("عشرات") {
        Some(10)
    } else {
        None
    }
}

/// `YYYY-MM-DD` 1, `YYYY-MM` 2, `YYYY` 3.
pub fn time_precision(date: &str) -> Option<u8> {
    match date.len() {
        10 => Some(1),
        7 => Some(2),
        4 => Some(3),
        _ => None,
    }
}

/// ACLED's geo precision from a place's `level`, as the ACLED export gives it: a locality or
/// site 1, a district or a vague place 2, a province or country 3.
pub fn geo_precision(level: &str) -> Option<u8> {
    match level {
        "LOCALITY" | "SITE" => Some(1),
        "ADMIN2" | "ADMIN3" | "VAGUE" => Some(2),
        "ADMIN1" | "COUNTRY" => Some(3),
        _ => None,
    }
}

/// Reconciles `event`; `span` finds a link's span (None: its document is not read).
pub fn reconcile<'a>(event: &CorpusEvent, span: impl Fn(&Link) -> Option<&'a Span>) -> Reconciled {
    let mut out = Reconciled::default();
    for link in event
        .links
        .iter()
        .filter(|l| l.role == EventRole::Casualties.name())
    {
        if let Some(s) = span(link)
            && let Some(killed) = killed(s)
        {
            out.figures.push(Figure {
                document: link.document.clone(),
                span: link.span.clone(),
                group: str_attr(s, "group").unwrap_or("").to_owned(),
                killed,
            });
        }
    }
    // Each report's figure per group first (its lowest, as a document's own ACLED row counts
    // its figures), then the lowest report per group, groups added.
    let mut by_report: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for f in &out.figures {
        by_report
            .entry((f.group.as_str(), f.document.as_str()))
            .and_modify(|n| *n = (*n).min(f.killed))
            .or_insert(f.killed);
    }
    let mut groups: BTreeMap<&str, Vec<(&str, u64)>> = BTreeMap::new();
    for ((group, document), n) in by_report {
        groups.entry(group).or_default().push((document, n));
    }
    if !groups.is_empty() {
        out.fatalities = Some(
            groups
                .values()
                .map(|rs| rs.iter().map(|(_, n)| *n).min().unwrap_or(0))
                .sum(),
        );
    }
    for (group, reports) in &groups {
        let (lo, hi) = (
            reports.iter().map(|(_, n)| *n).min(),
            reports.iter().map(|(_, n)| *n).max(),
        );
        if lo != hi {
            // In the order the reports were linked.
            let mut each: Vec<(usize, String)> = reports
                .iter()
                .map(|(d, n)| {
                    let at = out
                        .figures
                        .iter()
                        .position(|f| f.document == *d)
                        .unwrap_or(0);
                    (at, format!("{d}: {n} killed"))
                })
                .collect();
            each.sort();
            let each: Vec<String> = each.into_iter().map(|(_, s)| s).collect();
            let of = if group.is_empty() {
                String::new()
            } else {
                format!("{group}: ")
            };
            out.disagreements.push(format!("{of}{}", each.join("; ")));
        }
    }
    out.date = event
        .reports
        .iter()
        .filter_map(|r| r.date.clone())
        .min_by(|a, b| a.cmp(b));
    out.time_precision = out.date.as_deref().and_then(time_precision);
    out.geo_precision = event
        .links
        .iter()
        .filter(|l| l.role == EventRole::Places.name())
        .filter_map(|l| {
            span(l)
                .and_then(|s| str_attr(s, "level"))
                .and_then(geo_precision)
        })
        .min();
    out
}

/// The keys a name is matched by: folded (alef forms, ى, ة, harakat, digits, case), each word
/// with none, one or two of the proclitics written before it (و ف ب ل ك) taken off, with and
/// without the article ال. Two names match when they share a key: وفي سيكاسو, بسيكاسو and
/// سيكاسو do, and بوركينا still matches itself whatever its first letter looks like.
pub fn name_keys(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter_map(super::arabic::fold)
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for clitics in 0..=2 {
        for article in [false, true] {
            let key = words
                .iter()
                .map(|w| strip(w, clitics, article))
                .collect::<Vec<_>>()
                .join(" ");
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// Whether two names share a key.
pub fn same_name(a: &str, b: &str) -> bool {
    let b = name_keys(b);
    name_keys(a).iter().any(|k| b.contains(k))
}

/// A folded word with up to `clitics` proclitics and (with `article`) the article taken off
/// its start, as long as three letters stay.
fn strip(word: &str, clitics: usize, article: bool) -> &str {
    let mut rest = word;
    for _ in 0..clitics {
        match rest.chars().next() {
            Some(c) if super::arabic::PROCLITICS.contains(&c) && rest.chars().count() > 3 => {
                rest = &rest[c.len_utf8()..];
            }
            _ => break,
        }
    }
    if article
        && let Some(r) = rest.strip_prefix("ال")
        && r.chars().count() >= 3
    {
        rest = r;
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn spans(marked: &str) -> Vec<Span> {
        notation::parse(marked)
            .expect("notation")
            .to_document("t", "coder-a")
            .sets
            .remove(0)
            .spans
    }

    fn link(role: &str, document: &str, span: &Span) -> Link {
        let role = EventRole::ALL
            .into_iter()
            .find(|r| r.name() == role)
            .expect("role");
        Link::of(role, document, "coder-a", span)
    }

    #[test]
    fn fatalities_follow_the_most_conservative_report_per_group() {
        let a = spans(
            "قتل [CASUALTY kind=KILLED value=1 group=STATE|جندي واحد] و[CASUALTY kind=KILLED value=4 group=NON_STATE|أربعة مسلحين]",
        );
        let b = spans("قتل [CASUALTY kind=KILLED value=3 group=STATE|ثلاثة جنود]");
        let c = spans("[CASUALTY kind=KILLED qualifier=VAGUE group=NON_STATE|عشرات المسلحين]");
        let mut event = CorpusEvent::new("ev1", "Battles");
        event.links = vec![
            link("casualties", "a.json", &a[0]),
            link("casualties", "a.json", &a[1]),
            link("casualties", "b.json", &b[0]),
            link("casualties", "c.json", &c[0]),
        ];
        event.reports = vec![
            Report {
                document: "b.json".into(),
                date: Some("2023-01-17".into()),
                event: None,
            },
            Report {
                document: "a.json".into(),
                date: Some("2023-01-18".into()),
                event: None,
            },
        ];
        let by = |l: &Link| -> Option<&Span> {
            [&a, &b, &c]
                .into_iter()
                .flatten()
                .find(|s| s.id == l.span && s.text == l.text)
        };
        let r = reconcile(&event, by);
        assert_eq!(
            r.fatalities,
            Some(1 + 4),
            "STATE: min(1, 3); NON_STATE: min(4, 10)"
        );
        assert_eq!(
            r.disagreements,
            [
                "NON_STATE: a.json: 4 killed; c.json: 10 killed",
                "STATE: a.json: 1 killed; b.json: 3 killed"
            ]
        );
        assert_eq!(
            r.date.as_deref(),
            Some("2023-01-17"),
            "the earliest reported date"
        );
        assert_eq!(r.time_precision, Some(1));
    }

    #[test]
    fn names_match_without_clitics_and_letter_forms() {
        assert!(same_name("وبسيكاسو", "سيكاسو"));
        assert!(same_name("الجيش المالي", "جيش مالي"));
        assert!(same_name("إقليم", "اقليم"));
        assert!(same_name("وبوركينا", "بوركينا"));
        assert!(!same_name("مالي", "ليبيا"));
    }
}
