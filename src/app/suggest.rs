//! Suggestions as the coder labels: the strings this coder has labelled in the folder (and
//! in the open document) proposed where they occur in the open document, by the
//! string-matching recommender of [`crate::model::recommend`]. They are found again after
//! every edit and when another document opens, never where the coder has a span. Accepting
//! one makes the coder's span; accepting or rejecting it records it in the model set named
//! after the recommender, so a rejected suggestion does not come back for the document and
//! review and agreement measure the recommender like any model. Both are undoable edits.

use super::{App, AppError};
use crate::model::recommend::{Lexicon, RECOMMENDER, Suggestion};
use crate::model::search::Folded;
use crate::model::{
    AnnotatedDocument, AnnotationSet, Change, CharRange, Edit, Source, Span, Status,
};

/// What the suggestions were found for: the text, the edit revision, the coder, and how
/// many labelled strings the folder had.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SuggestionsKey {
    sha: String,
    revision: u64,
    coder: String,
    corpus: usize,
}

/// The recommender's model set.
fn recommender_set() -> AnnotationSet {
    AnnotationSet {
        source: Source::Model {
            name: RECOMMENDER.to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
        status: Status::NotStarted,
        ..AnnotationSet::human(RECOMMENDER)
    }
}

fn span_of(doc: &AnnotatedDocument, set: &str, s: &Suggestion) -> Span {
    Span {
        id: doc
            .set(set)
            .map_or_else(|| "s1".to_owned(), |x| x.fresh_id("s")),
        start: s.range.start,
        end: s.range.end,
        label: s.label.clone(),
        text: String::new(),
        attrs: Default::default(),
        note: None,
        confidence: None,
    }
}

/// The edits recording `s` in the recommender's set (made first when missing), applied to
/// `scratch` as they are made.
fn record(scratch: &mut AnnotatedDocument, s: &Suggestion) -> Result<Vec<Edit>, AppError> {
    let mut edits = Vec::new();
    if scratch.set(RECOMMENDER).is_none() {
        let add = Edit::Set(Change::Insert {
            index: scratch.sets.len(),
            item: recommender_set(),
        });
        add.apply(scratch)?;
        edits.push(add);
    }
    let exists = scratch
        .set(RECOMMENDER)
        .is_some_and(|set| set.spans.iter().any(|x| x.range() == s.range));
    if !exists {
        let add = Edit::add_span(scratch, RECOMMENDER, span_of(scratch, RECOMMENDER, s))?;
        add.apply(scratch)?;
        edits.push(add);
    }
    Ok(edits)
}

impl App {
    /// Finds the suggestions again when the text, the coder's work or the folder changed.
    pub(super) fn refresh_suggestions(&mut self) {
        let (Some(session), true) = (&self.session, self.settings.suggest) else {
            self.suggestions.clear();
            self.suggestions_key = None;
            return;
        };
        let coder = self.settings.coder.clone();
        let corpus_strings = self
            .corpus
            .as_ref()
            .map_or(0, |c| c.entries.iter().map(|e| e.labelled.len()).sum());
        let key = SuggestionsKey {
            sha: session.doc.document.text_sha256().to_owned(),
            revision: session.history.revision(),
            coder: coder.clone(),
            corpus: corpus_strings,
        };
        if self.suggestions_key.as_ref() == Some(&key) {
            return;
        }
        let own = session.doc.set(&coder);
        let mut strings: Vec<(&str, &str)> = own
            .map(|s| {
                s.spans
                    .iter()
                    .map(|x| (x.text.as_str(), x.label.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(corpus) = &self.corpus {
            for e in corpus.entries.iter().filter(|e| e.path != session.path) {
                strings.extend(e.labelled.iter().map(|(t, l)| (t.as_str(), l.as_str())));
            }
        }
        let lexicon = Lexicon::new(strings);
        let taken: Vec<CharRange> = own
            .map(|s| s.spans.iter().map(Span::range).collect())
            .unwrap_or_default();
        let decided: Vec<CharRange> = session
            .doc
            .set(RECOMMENDER)
            .map(|s| s.spans.iter().map(Span::range).collect())
            .unwrap_or_default();
        let free = |r: CharRange| {
            !taken.iter().any(|t| t.start < r.end && r.start < t.end) && !decided.contains(&r)
        };
        let folded = Folded::new(session.doc.document.text());
        self.suggestions = lexicon.suggest(&folded, free);
        self.suggestions_key = Some(key);
    }

    /// Enter or a click on a suggestion: the coder's span, and the suggestion recorded in the
    /// recommender's set — one undoable edit.
    pub(super) fn accept_suggestion(&mut self, s: Suggestion) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        let attrs = self.prefill(&s.label, s.range);
        let mut new_id = String::new();
        self.edit_in_own_set(|doc| {
            let mut scratch = doc.clone();
            let mut edits = record(&mut scratch, &s)?;
            let mut span = span_of(&scratch, &coder, &s);
            span.attrs = attrs;
            new_id = span.id.clone();
            edits.push(Edit::add_span(&scratch, &coder, span)?);
            Ok(Edit::batch(edits))
        })?;
        self.selected_span = Some(new_id);
        self.selection = None;
        self.scroll_to = None;
        Ok(())
    }

    /// Backspace on a suggestion: recorded in the recommender's set only, so it does not come
    /// back for this document.
    pub(super) fn reject_suggestion(&mut self, s: Suggestion) -> Result<(), AppError> {
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let mut scratch = session.doc.clone();
        let edits = record(&mut scratch, &s)?;
        session
            .history
            .apply(&mut session.doc, Edit::batch(edits))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;

    #[test]
    fn what_the_coder_labelled_is_proposed_accepted_or_rejected_for_good() {
        let (_dir, path) = setup("[PLACE|مالي] قال إن بمالي وفي مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        assert_eq!(app.suggestions.len(), 2, "بمالي and مالي");
        let first = app.suggestions[0].clone();
        app.apply(Command::AcceptSuggestion(first.clone()));
        assert!(
            app.set()
                .expect("set")
                .spans
                .iter()
                .any(|s| s.range() == first.range)
        );
        assert_eq!(app.suggestions.len(), 1);
        let second = app.suggestions[0].clone();
        app.apply(Command::RejectSuggestion(second.clone()));
        assert!(
            app.suggestions.is_empty(),
            "rejected: it does not come back"
        );
        let recorded = app
            .session
            .as_ref()
            .expect("open")
            .doc
            .set(RECOMMENDER)
            .expect("set");
        assert_eq!(
            recorded.spans.len(),
            2,
            "both decisions recorded for review"
        );
        assert!(matches!(recorded.source, Source::Model { .. }));
        app.apply(Command::Undo);
        assert_eq!(app.suggestions, [second], "undo brings it back");
        app.apply(Command::Save);
        assert!(app.error.is_none(), "{:?}", app.error);
    }
}
