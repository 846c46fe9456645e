//! Review in the window: which two sets of the open document are compared (A, the reference,
//! and B, e.g. a model), the confidence threshold, the difference in focus, and the commands
//! that walk and decide them; decisions are saved in the document's adjudicated set. What a difference is and what
//! accepting does come from [`crate::review`]; the comparison is recomputed once per edit
//! revision, never per frame. Importing a model's predictions, which a review starts from,
//! is here too.

use std::collections::HashSet;
use std::path::Path;

use super::{App, AppError};
use crate::model::{AnnotatedDocument, AnnotationSet, Change, Edit, Take};
use crate::review::{
    ADJUDICATED, Chosen, Comparison, Decider, DiffKey, DiffKind, Difference, ItemKind, ItemPair,
    adjudicate,
};
use crate::store::{self, predictions};

/// What the review remembers besides the comparison itself (the decisions are in the
/// document, in the adjudicated set).
#[derive(Clone, Debug)]
pub struct Review {
    pub a: String,
    pub b: String,
    /// B's spans below this confidence are shown faded and left out of "accept all above".
    pub threshold: f64,
    /// The difference in focus, by its key.
    pub current: Option<DiffKey>,
    comparison: Comparison,
}

impl Review {
    /// A review of `b` against `a` in `doc` at edit revision `revision`.
    pub fn new(doc: &AnnotatedDocument, a: &str, b: &str, revision: u64) -> Self {
        Self {
            a: a.to_owned(),
            b: b.to_owned(),
            threshold: 0.5,
            current: None,
            comparison: Comparison::new(doc, a, b, revision),
        }
    }

    /// Brings the comparison up to date with the document, when it changed.
    pub fn refresh(&mut self, doc: &AnnotatedDocument, revision: u64) {
        if self.comparison.revision != revision {
            self.comparison = Comparison::new(doc, &self.a, &self.b, revision);
        }
    }

    /// The comparison of A and B (alignment, agreement, αu, counts, decisions).
    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }

    /// Every difference, matches included, in text order, with its decision (empty when a
    /// set is missing).
    pub fn differences<'d>(
        &'d self,
        doc: &'d AnnotatedDocument,
    ) -> Box<dyn Iterator<Item = (Difference<'d>, Option<Take>)> + 'd> {
        match (doc.set(&self.a), doc.set(&self.b)) {
            (Some(a), Some(b)) => Box::new(self.comparison.differences(a, b)),
            _ => Box::new(std::iter::empty()),
        }
    }

    /// The difference in focus, by its key.
    pub fn focused(&self) -> Option<DiffKey> {
        self.current.clone()
    }

    /// Every difference that is not a match — spans, relations and events — in text order,
    /// each with its decision: the list a reviewer walks.
    pub fn rows<'d>(&'d self, doc: &'d AnnotatedDocument) -> Vec<Row<'d>> {
        let (Some(a), Some(b)) = (doc.set(&self.a), doc.set(&self.b)) else {
            return Vec::new();
        };
        let mut spans = self
            .comparison
            .differences(a, b)
            .filter(|(d, _)| d.kind != DiffKind::Match)
            .peekable();
        let mut items = self
            .comparison
            .item_pairs()
            .filter(|(p, _)| p.kind != ItemKind::Match)
            .peekable();
        let mut rows = Vec::new();
        loop {
            let span_first = match (spans.peek(), items.peek()) {
                (Some((d, _)), Some((p, _))) => d.start() <= p.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let row = if span_first {
                spans.next().map(|(d, t)| Row::Span(d, t))
            } else {
                items.next().map(|(p, t)| Row::Item(p, t, a, b))
            };
            rows.extend(row);
        }
        rows
    }

    /// The next (or previous) undecided difference after the current one (matches are not
    /// visited); returns where it starts.
    pub fn step(&mut self, doc: &AnnotatedDocument, forward: bool) -> Option<usize> {
        let current = self.current.clone();
        let rows: Vec<Row<'_>> = self
            .rows(doc)
            .into_iter()
            .filter(|r| r.decided().is_none() || current.as_ref().is_some_and(|k| r.is(k)))
            .collect();
        if rows.is_empty() {
            self.current = None;
            return None;
        }
        let at = current
            .as_ref()
            .and_then(|k| rows.iter().position(|r| r.is(k)));
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => rows.len() - 1,
            (Some(i), true) => (i + 1) % rows.len(),
            (Some(i), false) => (i + rows.len() - 1) % rows.len(),
        };
        let (key, start) = (rows[next].key(), rows[next].start());
        self.current = Some(key);
        Some(start)
    }

    /// Whether no undecided difference comes after the focused one (or none is left at all):
    /// N would go round to the first again.
    pub fn is_past_last(&self, doc: &AnnotatedDocument) -> bool {
        let rows = self.rows(doc);
        let at = self
            .current
            .as_ref()
            .and_then(|k| rows.iter().position(|r| r.is(k)));
        let from = at.map_or(0, |i| i + 1);
        rows[from.min(rows.len())..]
            .iter()
            .all(|r| r.decided().is_some())
    }

    /// The differences named by `keys`.
    fn chosen<'d>(&'d self, doc: &'d AnnotatedDocument, keys: &[DiffKey]) -> Chosen<'d> {
        let keys: HashSet<&DiffKey> = keys.iter().collect();
        let mut chosen = Chosen::default();
        let (Some(a), Some(b)) = (doc.set(&self.a), doc.set(&self.b)) else {
            return chosen;
        };
        chosen.spans = self
            .differences(doc)
            .map(|(d, _)| d)
            .filter(|d| keys.contains(&DiffKey::of(d)))
            .collect();
        chosen.items = self
            .comparison
            .items
            .iter()
            .filter(|p| keys.contains(&DiffKey::of_item(p, a, b)))
            .collect();
        chosen
    }

    /// What both sets agree on: it goes into the adjudicated set with any decision.
    fn matches<'d>(&'d self, doc: &'d AnnotatedDocument) -> Chosen<'d> {
        Chosen {
            spans: self
                .differences(doc)
                .filter(|(d, _)| d.kind == DiffKind::Match)
                .map(|(d, _)| d)
                .collect(),
            items: self
                .comparison
                .items
                .iter()
                .filter(|p| p.kind == ItemKind::Match)
                .collect(),
        }
    }
}

/// One row of the review list: a span difference, or a relation or event pair (with the two
/// sets it is of), each with its decision.
#[derive(Clone, Debug)]
pub enum Row<'d> {
    Span(Difference<'d>, Option<Take>),
    Item(
        &'d ItemPair,
        Option<Take>,
        &'d AnnotationSet,
        &'d AnnotationSet,
    ),
}

impl Row<'_> {
    pub fn start(&self) -> usize {
        match self {
            Row::Span(d, _) => d.start(),
            Row::Item(p, ..) => p.start,
        }
    }

    pub fn decided(&self) -> Option<Take> {
        match self {
            Row::Span(_, t) | Row::Item(_, t, ..) => *t,
        }
    }

    pub fn key(&self) -> DiffKey {
        match self {
            Row::Span(d, _) => DiffKey::of(d),
            Row::Item(p, _, a, b) => DiffKey::of_item(p, a, b),
        }
    }

    /// Whether `key` names this row.
    pub fn is(&self, key: &DiffKey) -> bool {
        match self {
            Row::Span(d, _) => key.names(d),
            Row::Item(p, _, a, b) => key.names_item(p, a, b),
        }
    }
}

impl App {
    /// The edit revision of the open document (0 when none is open).
    pub fn revision(&self) -> u64 {
        self.session.as_ref().map_or(0, |s| s.history.revision())
    }

    /// Keeps the review's comparison in step with the document (after every command).
    pub(super) fn refresh_review(&mut self) {
        let revision = self.revision();
        if let (Some(review), Some(session)) = (&mut self.review, &self.session) {
            review.refresh(&session.doc, revision);
        }
    }

    /// Starts (or keeps) a review of `b` against `a`; None ends it.
    pub(super) fn review(&mut self, sets: Option<(String, String)>) -> Result<(), AppError> {
        let Some((a, b)) = sets else {
            self.review = None;
            return Ok(());
        };
        let revision = self.revision();
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        for id in [&a, &b] {
            if session.doc.set(id).is_none() {
                return Err(AppError::NoSet(id.clone()));
            }
            if !self.shows_set(id) {
                return Err(AppError::HiddenSet(id.clone()));
            }
        }
        let keep = self.review.take().filter(|r| r.a == a && r.b == b);
        self.review = Some(keep.unwrap_or_else(|| Review::new(&session.doc, &a, &b, revision)));
        Ok(())
    }

    pub(super) fn review_threshold(&mut self, t: f64) -> Result<(), AppError> {
        if let Some(r) = &mut self.review {
            r.threshold = t.clamp(0.0, 1.0);
        }
        Ok(())
    }

    /// N or P: the next or previous undecided difference. N past the last one (or with none
    /// left) offers the folder's next document with undecided differences instead of going
    /// round again.
    pub(super) fn review_step(&mut self, forward: bool) -> Result<(), AppError> {
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        let Some(r) = &self.review else {
            return Ok(());
        };
        if forward
            && r.is_past_last(&session.doc)
            && let Some(next) = self.next_to_review()
        {
            self.prompt = Some(super::Prompt::NextToReview {
                path: next.path.clone(),
                title: next.title.clone(),
            });
            return Ok(());
        }
        if let Some(r) = &mut self.review {
            self.scroll_to = r.step(&session.doc, forward);
        }
        Ok(())
    }

    pub(super) fn review_focus(&mut self, key: DiffKey) -> Result<(), AppError> {
        if let Some(r) = &mut self.review {
            r.current = Some(key);
        }
        Ok(())
    }

    /// Decides the differences named by `keys`: A's version, B's, or neither goes into the
    /// adjudicated set, with a decision recording it (one undoable edit).
    pub(super) fn decide(&mut self, keys: &[DiffKey], take: Take) -> Result<(), AppError> {
        let at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let by = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let r = self.review.as_ref().ok_or(AppError::NoReview)?;
        let who = Decider {
            a_set: &r.a,
            b_set: &r.b,
            by: &by,
            at: &at,
        };
        let (chosen, matches) = (r.chosen(&session.doc, keys), r.matches(&session.doc));
        let edit = adjudicate::decide_edit(&session.doc, &chosen, &matches, take, &who);
        if let Some(edit) = edit {
            session.history.apply(&mut session.doc, edit)?;
        }
        Ok(())
    }

    /// Puts a model's predictions (a file) into the open document as the model's set, as one
    /// undoable edit; predictions that do not fit the text are reported and left out.
    pub(super) fn import_predictions(
        &mut self,
        path: &Path,
        options: &predictions::Options,
    ) -> Result<(), AppError> {
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let src = store::read_text(path)?;
        let imported =
            predictions::import(&src, &session.doc, &self.schema, options).map_err(|message| {
                AppError::Predictions {
                    path: path.to_owned(),
                    message,
                }
            })?;
        let count = imported.set.spans.len();
        let skipped = imported.skipped.len();
        let target = predictions::target(&session.doc, &imported.set).map_err(|e| {
            AppError::Predictions {
                path: path.to_owned(),
                message: e.to_string(),
            }
        })?;
        let replaced = target.is_some();
        let edit = match target {
            Some(index) => Edit::Set(Change::Replace {
                index,
                old: session.doc.sets[index].clone(),
                new: imported.set,
            }),
            None => Edit::Set(Change::Insert {
                index: session.doc.sets.len(),
                item: imported.set,
            }),
        };
        session.history.apply(&mut session.doc, edit)?;
        let mut message = format!(
            "{count} prediction(s) imported as set \"{}\"{}, {skipped} left out",
            options.model,
            if replaced {
                " (replacing the earlier import of this model)"
            } else {
                ""
            }
        );
        for line in imported.skipped.iter().chain(&imported.notes).take(20) {
            message.push('\n');
            message.push_str(line);
        }
        if skipped > 0 || !imported.notes.is_empty() {
            self.error = Some(message);
        } else {
            self.status = Some(message);
        }
        Ok(())
    }
}

impl App {
    /// The sets a review of the open document can compare: every set but the adjudicated
    /// one, and under blind coding only those the coder may see.
    pub fn reviewable_sets(&self) -> Vec<String> {
        self.session.as_ref().map_or_else(Vec::new, |s| {
            s.doc
                .sets
                .iter()
                .map(|s| s.id.clone())
                .filter(|id| id != ADJUDICATED && self.shows_set(id))
                .collect()
        })
    }

    /// The pair a review starts with, among the sets the coder may see.
    pub fn default_review_pair(&self) -> Option<(String, String)> {
        let doc = &self.session.as_ref()?.doc;
        crate::review::default_pair_where(doc, &self.settings.coder, |id| self.shows_set(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::coder_and_model;

    #[test]
    fn stepping_visits_every_difference_but_matches() {
        let d = coder_and_model();
        let mut r = Review::new(&d, "coder-a", "model", 0);
        let first = r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s2")
        );
        assert_eq!(first, Some(10));
        r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s3")
        );
        r.step(&d, true);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s2"),
            "wraps"
        );
        r.step(&d, false);
        assert_eq!(
            r.current.as_ref().and_then(|k| k.b.clone()).as_deref(),
            Some("s3")
        );
    }

    #[test]
    fn the_comparison_is_made_once_per_edit_revision() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.json");
        crate::store::save(&path, &coder_and_model()).expect("save");
        let mut app = App::new(super::super::Settings {
            coder: "coder-a".into(),
            ..Default::default()
        });
        app.apply(super::super::Command::Open(path));
        app.apply(super::super::Command::Review(Some((
            "coder-a".into(),
            "model".into(),
        ))));
        let made_at = |app: &App| app.review.as_ref().map(|r| r.comparison().revision);
        assert_eq!(made_at(&app), Some(app.revision()));
        let before = app.revision();
        // Stepping and focusing change nothing in the document: the comparison stays.
        app.apply(super::super::Command::ReviewStep(true));
        assert_eq!(made_at(&app), Some(before));
        // Accepting is an edit: a new revision, a new comparison that counts it accepted.
        let key = app
            .review
            .as_ref()
            .and_then(|r| r.current.clone())
            .expect("focus");
        app.apply(super::super::Command::Accept(vec![key.clone()]));
        assert_ne!(app.revision(), before);
        assert_eq!(made_at(&app), Some(app.revision()));
        let r = app.review.as_ref().expect("review");
        let doc = &app.session.as_ref().expect("open").doc;
        assert!(
            r.differences(doc)
                .any(|(d, decided)| key.names(&d) && decided == Some(Take::B))
        );
        // Rejecting it takes it back out and marks it rejected.
        app.apply(super::super::Command::Reject(vec![key.clone()]));
        let r = app.review.as_ref().expect("review");
        let doc = &app.session.as_ref().expect("open").doc;
        assert!(
            r.differences(doc)
                .any(|(d, decided)| key.names(&d) && decided == Some(Take::Neither))
        );
        assert_eq!(r.comparison().agreement.overall.a, 2);
    }
}
