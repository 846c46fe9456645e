//! Label all matches: every place a word occurs (found the find bar's way, folded and
//! clitic-aware) in the open document or the whole folder, previewed with its context and a
//! checkbox, then made spans of one label with the template's attributes — never a second
//! span where an identical one (same range, same label) is already. The open document gets
//! one undoable edit; each other document of the folder is written once (atomically, checked
//! like a save), and "Undo label all" puts back every file not changed since.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{App, AppError, CorpusEntry};
use crate::model::search::{Folded, Query};
use crate::model::{AnnotatedDocument, AnnotationSet, AttrValue, CharRange, Edit, Span};
use crate::store;

/// Where to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Document,
    Folder,
}

/// One match in the preview.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The document it is in (`None`: the open one).
    pub path: Option<PathBuf>,
    pub title: String,
    pub range: CharRange,
    /// Up to a few words before, the match, and after.
    pub context: (String, String, String),
    pub checked: bool,
    /// An identical span is already there: shown, never made twice.
    pub exists: bool,
}

/// The preview of a label-all.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelAll {
    pub query: String,
    pub clitics: bool,
    pub label: String,
    /// The attributes every new span gets (those of the span it started from).
    pub attrs: BTreeMap<String, AttrValue>,
    pub scope: Scope,
    pub candidates: Vec<Candidate>,
}

/// What a folder-wide label-all wrote: each file's bytes before and after.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub files: Vec<(PathBuf, Vec<u8>, Vec<u8>)>,
}

/// Characters of context on each side of a match in the preview.
const CONTEXT: usize = 30;

/// A match's context in a text given as its characters.
fn context(chars: &[char], range: CharRange) -> (String, String, String) {
    let from = range.start.saturating_sub(CONTEXT);
    let to = (range.end + CONTEXT).min(chars.len());
    let s = |a: usize, b: usize| -> String {
        chars[a..b]
            .iter()
            .map(|&c| if c == '\n' { ' ' } else { c })
            .collect()
    };
    (
        s(from, range.start),
        s(range.start, range.end),
        s(range.end, to),
    )
}

/// The matches of one document's text, marked when the set has an identical span already.
fn candidates_in(
    doc: &AnnotatedDocument,
    set: Option<&AnnotationSet>,
    query: &Query,
    label: &str,
    path: Option<PathBuf>,
) -> Vec<Candidate> {
    let text = doc.document.text();
    let matches = Folded::new(text).find(query);
    // The characters once per document, for every match's context.
    let chars: Vec<char> = if matches.is_empty() {
        Vec::new()
    } else {
        text.chars().collect()
    };
    matches
        .into_iter()
        .map(|m| {
            let exists = set.is_some_and(|s| {
                s.spans
                    .iter()
                    .any(|x| x.range() == m.range && x.label == label)
            });
            Candidate {
                path: path.clone(),
                title: doc.document.meta.title.clone().unwrap_or_default(),
                range: m.range,
                context: context(&chars, m.range),
                checked: !exists,
                exists,
            }
        })
        .collect()
}

/// One edit adding a span per range to `coder`'s set (made first if missing), in order.
fn add_spans(
    doc: &AnnotatedDocument,
    coder: &str,
    ranges: &[CharRange],
    label: &str,
    attrs: &BTreeMap<String, AttrValue>,
) -> Result<Edit, AppError> {
    let mut scratch = doc.clone();
    let mut batch = Vec::new();
    if scratch.set(coder).is_none() {
        let add = Edit::Set(crate::model::Change::Insert {
            index: scratch.sets.len(),
            item: AnnotationSet::human(coder),
        });
        add.apply(&mut scratch)?;
        batch.push(add);
    }
    for &range in ranges {
        let id = scratch
            .set(coder)
            .map_or_else(|| "s1".to_owned(), |s| s.fresh_id("s"));
        let span = Span {
            id,
            start: range.start,
            end: range.end,
            label: label.to_owned(),
            text: String::new(),
            attrs: attrs.clone(),
            note: None,
            confidence: None,
        };
        let edit = Edit::add_span(&scratch, coder, span)?;
        edit.apply(&mut scratch)?;
        batch.push(edit);
    }
    Ok(Edit::batch(batch))
}

impl App {
    /// The preview: the matches of `query` in the open document (or the folder).
    pub(super) fn label_all_preview(&mut self, mut preview: LabelAll) -> Result<(), AppError> {
        let query = Query::new(&preview.query, preview.clitics);
        if query.is_empty() {
            return Err(AppError::NothingSelected);
        }
        if self.schema().label(&preview.label).is_none() {
            return Err(AppError::UnknownLabel(preview.label));
        }
        let coder = self.settings.coder.clone();
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        let mut out = candidates_in(
            &session.doc,
            session.doc.set(&coder),
            &query,
            &preview.label,
            None,
        );
        if preview.scope == Scope::Folder {
            let corpus = self.corpus.as_ref().ok_or(AppError::NoFolder)?;
            for entry in corpus.entries.iter().filter(|e| e.path != session.path) {
                // A document that does not load is left alone (the navigator says why).
                let Ok(doc) = store::load(&entry.path, self.schema()) else {
                    continue;
                };
                out.extend(candidates_in(
                    &doc,
                    doc.set(&coder),
                    &query,
                    &preview.label,
                    Some(entry.path.clone()),
                ));
            }
        }
        preview.candidates = out;
        self.label_all = Some(preview);
        Ok(())
    }

    pub(super) fn label_all_check(&mut self, index: usize, on: bool) -> Result<(), AppError> {
        if let Some(c) = self
            .label_all
            .as_mut()
            .and_then(|p| p.candidates.get_mut(index))
            .filter(|c| !c.exists)
        {
            c.checked = on;
        }
        Ok(())
    }

    /// Makes the checked matches spans: one edit of the open document, one write of each
    /// other document.
    pub(super) fn label_all_apply(&mut self) -> Result<(), AppError> {
        let preview = self.label_all.take().ok_or(AppError::NothingSelected)?;
        let coder = self.settings.coder.clone();
        let mut by_doc: BTreeMap<Option<PathBuf>, Vec<CharRange>> = BTreeMap::new();
        for c in preview.candidates.iter().filter(|c| c.checked && !c.exists) {
            by_doc.entry(c.path.clone()).or_default().push(c.range);
        }
        let mut made = 0;
        let mut written = Written::default();
        let mut failures = Vec::new();
        for (path, ranges) in &by_doc {
            match path {
                None => {
                    self.edit_in_own_set(|doc| {
                        add_spans(doc, &coder, ranges, &preview.label, &preview.attrs)
                    })?;
                    made += ranges.len();
                }
                Some(path) => match self.label_file(path, &coder, ranges, &preview) {
                    Ok(w) => {
                        made += ranges.len();
                        written.files.push(w);
                    }
                    Err(e) => failures.push(e.to_string()),
                },
            }
        }
        let others = written.files.len();
        if others > 0 {
            self.label_all_written = Some(written);
        }
        self.tell(
            format!(
                "labelled {made} {} as {}{}",
                if made == 1 { "match" } else { "matches" },
                preview.label,
                if others > 0 {
                    format!(", {others} other documents saved (Edit › Undo label all)")
                } else {
                    String::new()
                }
            ),
            format!("وُسم {made} موضعًا بـ {}", preview.label),
        );
        if !failures.is_empty() {
            return Err(AppError::Refused(failures.join("\n")));
        }
        Ok(())
    }

    /// Adds the spans to a document that is not open and writes it (atomically, validated).
    fn label_file(
        &mut self,
        path: &std::path::Path,
        coder: &str,
        ranges: &[CharRange],
        preview: &LabelAll,
    ) -> Result<(PathBuf, Vec<u8>, Vec<u8>), AppError> {
        let before = std::fs::read(path).map_err(|e| {
            AppError::Refused(format!("{}: cannot read it again: {e}", path.display()))
        })?;
        let mut doc = store::load(path, self.schema())?;
        add_spans(&doc, coder, ranges, &preview.label, &preview.attrs)?.apply(&mut doc)?;
        let problems = doc.validate(self.schema());
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        store::save(path, &doc)?;
        let after = std::fs::read(path).unwrap_or_default();
        if let Some(corpus) = &mut self.corpus
            && let Some(entry) = corpus.entries.iter_mut().find(|e| e.path == path)
        {
            *entry = CorpusEntry::of(path, &doc, coder, self.team.as_ref().map(|t| &t.manifest));
        }
        Ok((path.to_owned(), before, after))
    }

    /// Puts back the other documents a folder-wide label-all wrote, each only if it is still
    /// as written; a file changed since is named and left alone.
    pub(super) fn undo_label_all(&mut self) -> Result<(), AppError> {
        let written = self
            .label_all_written
            .take()
            .ok_or(AppError::NothingSelected)?;
        let mut kept = Vec::new();
        let mut restored = 0;
        for (path, before, after) in written.files {
            let now = std::fs::read(&path).unwrap_or_default();
            if now != after {
                kept.push(format!("{}: changed since, left as it is", path.display()));
                continue;
            }
            store::atomic::write_atomic(&path, &before)
                .map_err(|e| AppError::Refused(format!("{}: {e}", path.display())))?;
            if let Ok(doc) = store::load(&path, self.schema())
                && let Some(corpus) = &mut self.corpus
                && let Some(entry) = corpus.entries.iter_mut().find(|e| e.path == path)
            {
                let team = self.team.as_ref().map(|t| &t.manifest);
                *entry = CorpusEntry::of(&path, &doc, &self.settings.coder, team);
            }
            restored += 1;
        }
        self.tell(
            format!("label all undone in {restored} documents"),
            format!("أُلغي الوسم في {restored} مستندات"),
        );
        if !kept.is_empty() {
            return Err(AppError::Refused(kept.join("\n")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;

    #[test]
    fn every_match_becomes_a_span_once_and_one_undo_takes_them_all() {
        let (_dir, path) = setup("[PLACE|مالي] وفي بمالي قالت مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::LabelAllPreview(LabelAll {
            query: "مالي".into(),
            clitics: true,
            label: "PLACE".into(),
            attrs: BTreeMap::new(),
            scope: Scope::Document,
            candidates: Vec::new(),
        }));
        let preview = app.label_all.clone().expect("preview");
        assert_eq!(preview.candidates.len(), 3);
        assert!(preview.candidates[0].exists && !preview.candidates[0].checked);
        assert_eq!(preview.candidates[1].context.1, "مالي");
        app.apply(Command::LabelAllCheck {
            index: 2,
            on: false,
        });
        app.apply(Command::LabelAllApply);
        let spans: Vec<String> = app
            .set()
            .expect("set")
            .spans
            .iter()
            .map(|s| s.text.clone())
            .collect();
        assert_eq!(spans, ["مالي", "مالي"], "the existing one and بمالي's");
        app.apply(Command::Undo);
        assert_eq!(app.set().expect("set").spans.len(), 1);
    }
}
