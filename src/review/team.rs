//! Where a team stands: per coder how many documents are assigned, in progress and done and
//! the time spent; per document who is done and what comes next (still being coded, ready for
//! agreement, needing adjudication, adjudicated). Worked out from a light summary of each
//! document's sets, which the folder reading in the window and `marsad team status` both make.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::ADJUDICATED;
use crate::model::{AnnotationSet, Source, Status};

/// One set of a document, as progress needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetSummary {
    pub id: String,
    pub status: Status,
    pub seconds: u64,
    /// A hash of what the set says (spans with labels and attributes, relations, events,
    /// without ids): two done sets with the same one agree.
    pub content: u64,
}

impl SetSummary {
    /// The summary of a human set (None for a model's set).
    pub fn of(set: &AnnotationSet) -> Option<Self> {
        if !matches!(set.source, Source::Human { .. }) {
            return None;
        }
        Some(Self {
            id: set.id.clone(),
            status: set.status,
            seconds: set.effort.active_seconds,
            content: content_hash(set),
        })
    }
}

/// What a set says, without its ids (spans by range, label and attributes; relations and events
/// through their spans' ranges), in a canonical order.
fn content_hash(set: &AnnotationSet) -> u64 {
    let range = |id: &str| set.span(id).map(|s| (s.start, s.end));
    let mut spans: Vec<_> = set
        .spans
        .iter()
        .map(|s| (s.start, s.end, &s.label, &s.attrs))
        .collect();
    spans.sort();
    let mut relations: Vec<_> = set
        .relations
        .iter()
        .map(|r| (&r.kind, range(&r.from), range(&r.to)))
        .collect();
    relations.sort();
    let mut events: Vec<_> = set
        .events
        .iter()
        .map(|e| {
            let links: Vec<_> = e.links().map(|(role, id)| (role, range(id))).collect();
            (&e.event_type, &e.sub_event_type, &e.date, links)
        })
        .collect();
    events.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (spans, relations, events).hash(&mut h);
    h.finish()
}

/// What comes next for a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Not every assigned coder is done (or fewer than two coders are).
    Coding,
    /// Every assigned coder is done (two or more) and their sets say the same.
    Agreed,
    /// Every assigned coder is done and they differ: for the adjudicator.
    NeedsAdjudication,
    /// Adjudicated: the adjudicated set is done or reviewed.
    Adjudicated,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Coding => "coding",
            Stage::Agreed => "agreed",
            Stage::NeedsAdjudication => "needs adjudication",
            Stage::Adjudicated => "adjudicated",
        }
    }

    /// Ready for agreement: every assigned coder done.
    pub fn ready_for_agreement(self) -> bool {
        self != Stage::Coding
    }
}

/// What comes next for a document with these assigned coders (none: whoever has a set) and
/// these human sets.
pub fn stage(assigned: &[String], sets: &[SetSummary]) -> Stage {
    if sets
        .iter()
        .any(|s| s.id == ADJUDICATED && s.status >= Status::Done)
    {
        return Stage::Adjudicated;
    }
    let done: Vec<&SetSummary> = sets
        .iter()
        .filter(|s| s.id != ADJUDICATED && s.status >= Status::Done)
        .collect();
    let all_done = if assigned.is_empty() {
        sets.iter()
            .filter(|s| s.id != ADJUDICATED)
            .all(|s| s.status >= Status::Done)
    } else {
        assigned.iter().all(|c| done.iter().any(|s| &s.id == c))
    };
    if !all_done || done.len() < 2 {
        Stage::Coding
    } else if done.iter().all(|s| s.content == done[0].content) {
        Stage::Agreed
    } else {
        Stage::NeedsAdjudication
    }
}

/// One document's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocProgress {
    pub path: String,
    pub assigned: Vec<String>,
    pub in_progress: Vec<String>,
    pub done: Vec<String>,
    pub stage: Stage,
}

/// One coder's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CoderProgress {
    pub assigned: usize,
    pub in_progress: usize,
    pub done: usize,
    pub seconds: u64,
}

/// The team's progress over a corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub coders: BTreeMap<String, CoderProgress>,
    pub documents: Vec<DocProgress>,
}

impl Progress {
    /// Progress from each document's path, its assigned coders and its human sets.
    pub fn of<'a>(
        docs: impl IntoIterator<Item = (String, &'a [String], &'a [SetSummary])>,
    ) -> Self {
        let mut out = Progress::default();
        for (path, assigned, sets) in docs {
            for coder in assigned {
                out.coders.entry(coder.clone()).or_default().assigned += 1;
            }
            let coders: Vec<&SetSummary> = sets.iter().filter(|s| s.id != ADJUDICATED).collect();
            let mut doc = DocProgress {
                path,
                assigned: assigned.to_vec(),
                in_progress: Vec::new(),
                done: Vec::new(),
                stage: Stage::Coding,
            };
            for s in &coders {
                let entry = out.coders.entry(s.id.clone()).or_default();
                entry.seconds += s.seconds;
                if s.status >= Status::Done {
                    entry.done += 1;
                    doc.done.push(s.id.clone());
                } else if s.status == Status::InProgress {
                    entry.in_progress += 1;
                    doc.in_progress.push(s.id.clone());
                }
            }
            doc.stage = stage(assigned, sets);
            out.documents.push(doc);
        }
        out
    }

    /// The documents at a stage.
    pub fn at(&self, stage: Stage) -> impl Iterator<Item = &DocProgress> {
        self.documents.iter().filter(move |d| d.stage == stage)
    }
}

/// `1h 02m`, `4m 10s`, `0s`.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn set(marked: &str, coder: &str, status: Status) -> SetSummary {
        let mut doc = notation::parse(marked)
            .expect("notation")
            .to_document("t", coder);
        doc.sets[0].status = status;
        doc.sets[0].effort.active_seconds = 60;
        SetSummary::of(&doc.sets[0]).expect("human")
    }

    #[test]
    fn a_document_is_ready_for_agreement_when_every_assigned_coder_is_done() {
        let ab = vec!["a".to_owned(), "b".to_owned()];
        let agree = [
            set("[ACTOR|الجيش] في [PLACE|مالي]", "a", Status::Done),
            set("[ACTOR|الجيش] في [PLACE|مالي]", "b", Status::Done),
        ];
        let differ = [
            set("[ACTOR|الجيش] في [PLACE|مالي]", "a", Status::Done),
            set("[ACTOR|الجيش] في مالي", "b", Status::Done),
        ];
        let half = [
            set("[ACTOR|الجيش] في مالي", "a", Status::Done),
            set("[ACTOR|الجيش] في مالي", "b", Status::InProgress),
        ];
        let p = Progress::of([
            ("one.json".to_owned(), ab.as_slice(), agree.as_slice()),
            ("two.json".to_owned(), ab.as_slice(), differ.as_slice()),
            ("three.json".to_owned(), ab.as_slice(), half.as_slice()),
        ]);
        let stages: Vec<Stage> = p.documents.iter().map(|d| d.stage).collect();
        assert_eq!(
            stages,
            [Stage::Agreed, Stage::NeedsAdjudication, Stage::Coding]
        );
        assert_eq!(
            p.coders["b"],
            CoderProgress {
                assigned: 3,
                in_progress: 1,
                done: 2,
                seconds: 180
            }
        );
    }
}
