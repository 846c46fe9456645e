//! Events of the corpus in the window: the open folder's `marsad-events/` read and checked
//! with it, an event of the open document promoted to the corpus, reports found elsewhere
//! (through the folder's index of places and actors) and linked in one step, and each event
//! reconciled by ACLED's rules from the spans it links in every document.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{App, AppError};
use crate::model::corpus_event::{CorpusEvent, Link, Reconciled, Report, reconcile, same_name};
use crate::model::event_index::{Candidate, Duplicate, Index, duplicates};
use crate::model::{AnnotatedDocument, EventRole, Span};
use crate::store::{self, corpus_events, team};

/// The folder's events, their reconciliations and the index that finds their reports.
#[derive(Default)]
pub struct CorpusEvents {
    pub events: Vec<CorpusEvent>,
    pub reconciled: HashMap<String, Reconciled>,
    /// The pairs of events that are probably one.
    pub duplicates: Vec<Duplicate>,
    /// The two events the last merge replaced (Edit ▸ Undo merge of events puts them back).
    pub merged: Option<(CorpusEvent, CorpusEvent)>,
    index: Option<(u64, Index)>,
}

impl App {
    fn corpus_root(&self) -> Result<PathBuf, AppError> {
        Ok(self.corpus.as_ref().ok_or(AppError::NoFolder)?.root.clone())
    }

    /// A document of the folder by its key: the open one from memory, the others from disk.
    fn corpus_doc(&self, key: &str) -> Option<AnnotatedDocument> {
        let root = &self.corpus.as_ref()?.root;
        let path = root.join(key);
        match &self.session {
            Some(s) if s.path == path => Some(s.doc.clone()),
            _ => store::load(&path, &self.schema).ok(),
        }
    }

    /// The key of the open document in the folder.
    fn open_key(&self) -> Result<String, AppError> {
        let root = self.corpus_root()?;
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        Ok(team::key_of(&root, &session.path))
    }

    /// Reads the folder's events, checks every link against its document, and reconciles.
    pub(super) fn load_corpus_events(&mut self) {
        let Ok(root) = self.corpus_root() else {
            self.corpus_events = CorpusEvents::default();
            return;
        };
        let (events, problems) = corpus_events::load_all(&root);
        // An undo of a merge belongs to the events it was made on.
        self.corpus_events.merged = None;
        let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let mut docs: HashMap<String, Option<AnnotatedDocument>> = HashMap::new();
        for e in &events {
            for d in e.documents() {
                docs.entry(d.to_owned())
                    .or_insert_with(|| self.corpus_doc(d));
            }
            lines.extend(corpus_events::check_links(e, |k| {
                docs.get(k).and_then(Option::as_ref)
            }));
        }
        self.corpus_events.events = events;
        self.reconcile_all(&docs);
        if !lines.is_empty() {
            self.error = Some(lines.join("\n"));
        }
    }

    fn reconcile_all(&mut self, docs: &HashMap<String, Option<AnnotatedDocument>>) {
        let find = |l: &Link| -> Option<&Span> {
            docs.get(&l.document)?
                .as_ref()?
                .set(&l.set)?
                .span(&l.span)
                .filter(|s| s.text == l.text)
        };
        self.corpus_events.reconciled = self
            .corpus_events
            .events
            .iter()
            .map(|e| (e.id.clone(), reconcile(e, find)))
            .collect();
        self.corpus_events.duplicates = duplicates(&self.corpus_events.events);
    }

    /// Reconciles again after an event changed.
    fn refresh_corpus_events(&mut self) {
        let mut docs = HashMap::new();
        for e in &self.corpus_events.events {
            for d in e.documents() {
                docs.entry(d.to_owned())
                    .or_insert_with(|| self.corpus_doc(d));
            }
        }
        self.reconcile_all(&docs);
    }

    /// The folder's index of places and actors, brought up to date with what it has read
    /// (by the window while it shows the corpus events, not every frame).
    pub fn refresh_event_index(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        if self.corpus_events.events.is_empty()
            || self
                .corpus_events
                .index
                .as_ref()
                .is_some_and(|(r, _)| *r == corpus.revision())
        {
            return;
        }
        let facts = corpus
            .entries
            .iter()
            .map(|e| {
                let mut f = e.facts.clone();
                f.document = team::key_of(&corpus.root, &e.path);
                f
            })
            .collect();
        self.corpus_events.index = Some((corpus.revision(), Index::new(facts)));
    }

    /// The documents that may also report `event`, best first.
    pub fn candidates(&self, event: &CorpusEvent) -> Vec<Candidate> {
        self.corpus_events
            .index
            .as_ref()
            .map_or_else(Vec::new, |(_, i)| i.candidates(event))
    }

    /// The open document's event `id` as an event of the corpus: its spans linked in their
    /// roles, its date as this report's date. Written to `marsad-events/` at once.
    pub(super) fn promote_event(&mut self, id: &str) -> Result<(), AppError> {
        let root = self.corpus_root()?;
        let key = self.open_key()?;
        let coder = self.settings.coder.clone();
        let set = self.set().ok_or_else(|| AppError::NoSet(coder.clone()))?;
        let event = set
            .events
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| AppError::NotFound(id.to_owned()))?;
        let used: Vec<&str> = self
            .corpus_events
            .events
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        let new_id = (1..)
            .map(|n| format!("ev{n}"))
            .find(|c| !used.contains(&c.as_str()))
            .unwrap_or_default();
        let mut ce = CorpusEvent::new(&new_id, &event.event_type);
        ce.sub_event_type = event.sub_event_type.clone();
        ce.notes = event.notes.clone();
        for (role, span_id) in event.links() {
            if let Some(span) = set.span(span_id) {
                let role = EventRole::ALL
                    .into_iter()
                    .find(|r| r.name() == role)
                    .unwrap_or(EventRole::Perpetrators);
                ce.links.push(Link::of(role, &key, &coder, span));
            }
        }
        ce.reports.push(Report {
            document: key,
            date: event.date.clone(),
            event: Some(event.id.clone()),
        });
        corpus_events::save(&root, &ce).map_err(AppError::Events)?;
        self.tell(
            format!("{id} is corpus event {new_id}: link the other reports of it"),
            format!("أصبح {id} حدث المدونة {new_id}"),
        );
        self.corpus_events.events.push(ce);
        self.corpus_events.index = None;
        self.refresh_corpus_events();
        self.refresh_event_index();
        Ok(())
    }

    /// Links a report found elsewhere: the spans of `document` that name the event's places
    /// and actors, and its KILLED casualties, each in its role; its own event's date (or its
    /// publication date) as its report's date.
    pub(super) fn link_report(&mut self, event_id: &str, document: &str) -> Result<(), AppError> {
        let root = self.corpus_root()?;
        let doc = self
            .corpus_doc(document)
            .ok_or_else(|| AppError::NotFound(document.to_owned()))?;
        let event = self
            .corpus_events
            .events
            .iter_mut()
            .find(|e| e.id == event_id)
            .ok_or_else(|| AppError::NotFound(event_id.to_owned()))?;
        let named = |roles: &[EventRole]| -> Vec<String> {
            event
                .links
                .iter()
                .filter(|l| roles.iter().any(|r| r.name() == l.role))
                .flat_map(|l| l.names().map(str::to_owned).collect::<Vec<_>>())
                .collect()
        };
        let places = named(&[EventRole::Places]);
        let perpetrators = named(&[EventRole::Perpetrators]);
        let targets = named(&[EventRole::Targets]);
        let mut added = 0;
        let mut dates = Vec::new();
        // Human sets the coder may see (blind coding hides the others' until they are done).
        let manifest = self.team.as_ref().map(|t| &t.manifest);
        let coder = self.settings.coder.clone();
        for set in doc.sets.iter().filter(|s| {
            matches!(s.source, crate::model::Source::Human { .. })
                && super::team::shows(manifest, &doc, &coder, s)
        }) {
            dates.extend(set.events.iter().filter_map(|e| e.date.clone()));
            for span in &set.spans {
                let entry = Link::of(EventRole::Places, "", "", span).entry;
                let like = |names: &[String]| {
                    names
                        .iter()
                        .any(|n| same_name(n, &span.text) || entry.as_deref() == Some(n.as_str()))
                };
                let role = match span.label.as_str() {
                    "PLACE" if like(&places) => Some(EventRole::Places),
                    "ACTOR" if like(&perpetrators) => Some(EventRole::Perpetrators),
                    "ACTOR" if like(&targets) => Some(EventRole::Targets),
                    "CASUALTY" if crate::model::corpus_event::killed(span).is_some() => {
                        Some(EventRole::Casualties)
                    }
                    _ => None,
                };
                if let Some(role) = role {
                    event.links.push(Link::of(role, document, &set.id, span));
                    added += 1;
                }
            }
        }
        if added == 0 {
            return Err(AppError::Refused(format!(
                "{document} has no span naming the event's places or actors, and no deaths"
            )));
        }
        dates.sort();
        event.reports.push(Report {
            document: document.to_owned(),
            date: dates
                .into_iter()
                .next()
                .or_else(|| doc.document.meta.published.clone()),
            event: None,
        });
        let saved = event.clone();
        corpus_events::save(&root, &saved).map_err(AppError::Events)?;
        self.tell(
            format!("{added} span(s) of {document} linked to {event_id}"),
            format!("رُبط {added} من مقاطع {document} بالحدث {event_id}"),
        );
        self.refresh_corpus_events();
        Ok(())
    }

    /// Opens the document a link points at and selects its span.
    pub(super) fn show_link(&mut self, document: &str, span: &str) -> Result<(), AppError> {
        let path = self.corpus_root()?.join(document);
        if self.session.as_ref().is_none_or(|s| s.path != path) {
            self.try_apply(super::Command::Open(path))?;
        }
        let start = self
            .session
            .as_ref()
            .and_then(|s| s.doc.sets.iter().find_map(|set| set.span(span)))
            .map(|s| s.start);
        if let Some(start) = start {
            self.scroll_to = Some(start);
            self.selected_span = Some(span.to_owned());
        }
        Ok(())
    }

    /// Merges corpus event `other` into `keep`: every link and report of both, `other`'s
    /// file removed; Edit ▸ Undo merge of events puts both back.
    pub(super) fn merge_events(&mut self, keep: &str, other: &str) -> Result<(), AppError> {
        let root = self.corpus_root()?;
        let find = |id: &str| {
            self.corpus_events
                .events
                .iter()
                .find(|e| e.id == id)
                .cloned()
                .ok_or_else(|| AppError::NotFound(id.to_owned()))
        };
        let (a, b) = (find(keep)?, find(other)?);
        if a.id == b.id {
            return Err(AppError::Refused(
                "an event cannot be merged with itself".to_owned(),
            ));
        }
        let mut merged = a.clone();
        for l in &b.links {
            if !merged.links.contains(l) {
                merged.links.push(l.clone());
            }
        }
        for r in &b.reports {
            if !merged.reports.iter().any(|x| x.document == r.document) {
                merged.reports.push(r.clone());
            }
        }
        if merged.notes.is_none() {
            merged.notes = b.notes.clone();
        }
        corpus_events::save(&root, &merged).map_err(AppError::Events)?;
        corpus_events::remove(&root, &b.id).map_err(AppError::Events)?;
        let events = &mut self.corpus_events.events;
        events.retain(|e| e.id != b.id);
        if let Some(slot) = events.iter_mut().find(|e| e.id == a.id) {
            *slot = merged;
        }
        self.tell(
            format!(
                "{} merged into {}: Edit › Undo merge of events puts them back",
                b.id, a.id
            ),
            format!("دُمج {} في {}", b.id, a.id),
        );
        self.corpus_events.merged = Some((a, b));
        self.refresh_corpus_events();
        Ok(())
    }

    /// Puts back the two events the last merge replaced.
    pub(super) fn undo_merge_events(&mut self) -> Result<(), AppError> {
        let root = self.corpus_root()?;
        let (a, b) = self
            .corpus_events
            .merged
            .take()
            .ok_or_else(|| AppError::Refused("no merge of events to undo".to_owned()))?;
        corpus_events::save(&root, &a).map_err(AppError::Events)?;
        corpus_events::save(&root, &b).map_err(AppError::Events)?;
        let events = &mut self.corpus_events.events;
        if let Some(slot) = events.iter_mut().find(|e| e.id == a.id) {
            *slot = a;
        }
        events.push(b);
        events.sort_by(|x, y| x.id.cmp(&y.id));
        self.refresh_corpus_events();
        Ok(())
    }
}
