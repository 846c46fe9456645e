//! Find in the open document (Ctrl+F): the query and its options, every match (found in the
//! folded, clitic-aware view of [`crate::model::search`], kept until the text or the query
//! changes), and the current one, which becomes the selection so that a label key labels it.

use super::{App, AppError};
use crate::model::search::{Folded, Match, Query};

/// The find bar's state.
#[derive(Clone, Debug, Default)]
pub struct Find {
    pub query: String,
    /// و ف ب ل ك and ال may come before the word.
    pub clitics: bool,
    pub matches: Vec<Match>,
    /// Which match is the selection, if any.
    pub current: Option<usize>,
    /// The text the matches are of (its SHA-256) and its folded view.
    folded: Option<(String, Folded)>,
}

impl Find {
    fn new() -> Self {
        Self {
            clitics: true,
            ..Self::default()
        }
    }

    /// Finds the matches again when the text or the query changed.
    fn refresh(&mut self, text: &str, sha: &str, changed: bool) {
        if self.folded.as_ref().is_none_or(|(s, _)| s != sha) {
            self.folded = Some((sha.to_owned(), Folded::new(text)));
        } else if !changed {
            return;
        }
        let query = Query::new(&self.query, self.clitics);
        self.matches = match &self.folded {
            Some((_, folded)) if !query.is_empty() => folded.find(&query),
            _ => Vec::new(),
        };
        self.current = None;
    }
}

impl App {
    /// Ctrl+F: the find bar opens (with the last query).
    pub(super) fn find_open(&mut self) -> Result<(), AppError> {
        if self.find.is_none() {
            self.find = Some(Find::new());
        }
        self.refresh_find(true);
        Ok(())
    }

    pub(super) fn find_query(&mut self, query: String, clitics: bool) -> Result<(), AppError> {
        let find = self.find.get_or_insert_with(Find::new);
        find.query = query;
        find.clitics = clitics;
        self.refresh_find(true);
        Ok(())
    }

    /// Enter (or Shift+Enter): the next (previous) match after the current one, or after the
    /// caret the first time; it becomes the selection and is scrolled to.
    pub(super) fn find_step(&mut self, forward: bool, from: usize) -> Result<(), AppError> {
        self.refresh_find(false);
        let Some(find) = &mut self.find else {
            return Ok(());
        };
        let n = find.matches.len();
        if n == 0 {
            let query = find.query.clone();
            return Err(AppError::NotFound(query));
        }
        let next = match (find.current, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => find
                .matches
                .iter()
                .position(|m| m.range.start >= from)
                .unwrap_or(0),
            (None, false) => find
                .matches
                .iter()
                .rposition(|m| m.range.start < from)
                .unwrap_or(n - 1),
        };
        find.current = Some(next);
        let range = find.matches[next].range;
        self.selection = Some(range);
        self.selected_span = None;
        self.scroll_to = Some(range.start);
        Ok(())
    }

    pub(super) fn find_close(&mut self) -> Result<(), AppError> {
        self.find = None;
        Ok(())
    }

    /// Keeps the matches those of the open text (another document may have opened).
    pub(super) fn refresh_find(&mut self, changed: bool) {
        if let (Some(find), Some(session)) = (&mut self.find, &self.session) {
            let doc = &session.doc.document;
            find.refresh(doc.text(), doc.text_sha256(), changed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    #[test]
    fn matches_are_found_stepped_through_and_follow_the_open_text() {
        let (_dir, path) = setup("قال إبراهيم إن ابراهيم وبإبراهيم");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::FindOpen);
        app.apply(Command::FindQuery {
            query: "ابراهيم".into(),
            clitics: true,
        });
        let find = app.find.as_ref().expect("open");
        assert_eq!(find.matches.len(), 3);
        app.apply(Command::FindStep {
            forward: true,
            from: 0,
        });
        assert_eq!(app.selection, Some(CharRange::new(4, 11)));
        app.apply(Command::FindStep {
            forward: false,
            from: 0,
        });
        assert_eq!(
            app.selection.map(|r| r.start),
            Some(25),
            "back round to the last"
        );
        app.apply(Command::FindQuery {
            query: "غائب".into(),
            clitics: true,
        });
        app.apply(Command::FindStep {
            forward: true,
            from: 0,
        });
        assert!(app.error.as_deref().is_some_and(|e| e.contains("غائب")));
    }
}
