//! The open document: opening (a document, an imported article, or a folder through
//! [`super::corpus`]), saving (validated, atomic, checked against the file on disk), the
//! recovery file for unsaved work, undo and redo, and the questions asked before work could
//! be lost (unsaved changes, a file changed on disk, work recovered after a crash).

use std::path::{Path, PathBuf};

use super::{App, AppError, Command};
use crate::model::{AnnotatedDocument, Change, Edit, History, LabelSchema};
use crate::store::{self, recovery};

/// An open document.
pub struct Session {
    /// Where Save writes (a `.txt` opens as the `.json` beside it).
    pub path: PathBuf,
    pub doc: AnnotatedDocument,
    pub history: History,
    /// SHA-256 of the file as it was loaded or last saved (`None`: not on disk yet).
    disk: Option<String>,
}

impl Session {
    /// Whether the file is no longer as it was loaded or last saved.
    pub fn changed_on_disk(&self) -> bool {
        store::fingerprint(&self.path) != self.disk
    }
}

/// A question the window must ask before going on.
pub enum Prompt {
    /// The document has unsaved changes: save, discard or cancel, then `then`.
    Unsaved { then: Box<Command> },
    /// The file changed on disk since it was loaded: overwrite it (then go on with `then`) or
    /// cancel.
    Conflict { then: Option<Box<Command>> },
    /// A recovery file from a session that did not end well: restore or discard it.
    Recovery { recovered: Box<AnnotatedDocument> },
    /// Every difference of this document's review is decided: open `path` (`title`), the
    /// next document with undecided differences, or stay.
    NextToReview { path: PathBuf, title: String },
    /// Deleting a span that relations or events use: what goes with it, in words.
    DeleteSpan { span: String, goes: Vec<String> },
}

/// Refuses to write a document that would not load again, naming every problem.
fn validate_before_saving(doc: &AnnotatedDocument, project: &LabelSchema) -> Result<(), AppError> {
    let problems = doc.validate(project);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

impl App {
    /// Opens a file or a folder, first asking about unsaved changes.
    pub(super) fn ask_then_open(&mut self, path: PathBuf) -> Result<(), AppError> {
        if self.prompt.is_some() {
            return Err(AppError::PromptOpen);
        }
        if self.is_modified() {
            self.prompt = Some(Prompt::Unsaved {
                then: Box::new(Command::Open(path)),
            });
            return Ok(());
        }
        self.open_any(&path)
    }

    /// Closes the window, first asking about unsaved changes.
    pub(super) fn quit(&mut self) -> Result<(), AppError> {
        if self.is_modified() {
            self.prompt = Some(Prompt::Unsaved {
                then: Box::new(Command::Quit),
            });
        } else {
            self.close();
        }
        Ok(())
    }

    /// Lets the window close: a running export is cancelled and waited for first, so that it
    /// leaves its output as it was and no temp file behind.
    fn close(&mut self) {
        if let Some(mut job) = self.export.take() {
            job.cancel();
            let _ = job.wait();
            self.status = Some("the export was cancelled; its output is unchanged".to_owned());
        }
        self.quit = true;
    }

    /// Runs what a prompt was holding back, now that the question is answered: opening or
    /// quitting goes ahead even though the document has unsaved changes.
    fn continue_with(&mut self, then: Command) -> Result<(), AppError> {
        match then {
            Command::Open(path) => self.open_any(&path),
            Command::Quit => {
                self.close();
                Ok(())
            }
            other => self.try_apply(other),
        }
    }

    /// Opens a folder (as a corpus) or a file; the corpus is kept for files inside it.
    fn open_any(&mut self, path: &Path) -> Result<(), AppError> {
        if recovery::is_folder(path) {
            return self.open_folder(path);
        }
        self.open(path)?;
        if self
            .corpus
            .as_ref()
            .is_some_and(|c| !path.starts_with(&c.root))
        {
            self.corpus = None;
            self.corpus_events = Default::default();
        }
        Ok(())
    }

    pub(super) fn open(&mut self, path: &Path) -> Result<(), AppError> {
        // An article already imported: its annotations are in the .json beside it.
        let beside = recovery::annotations_beside(path);
        if let Some(json) = &beside {
            self.status = Some(format!("opened the annotated {}", json.display()));
        }
        let path = beside.as_deref().unwrap_or(path);
        let project = store::project_schema(path.parent().unwrap_or(Path::new(".")))?
            .unwrap_or_else(|| LabelSchema::builtin().clone());
        let doc = store::open(path, &project)?;
        let save_path = if store::is_text_file(path) {
            path.with_extension("json")
        } else {
            path.to_owned()
        };
        let disk = store::fingerprint(&save_path);
        self.schema = project;
        self.selection = None;
        self.selected_span = None;
        self.selected_event = None;
        self.linking = None;
        self.review = None;
        self.error = None;
        let has_recovery = recovery::has_recovery(&save_path);
        self.active_seconds = 0.0;
        // A document of a team's corpus opened on its own still follows the team's rules.
        let team_error = match &self.team {
            Some(t) if save_path.starts_with(&t.root) => None,
            _ => self.find_team(store::atomic::parent_dir(&save_path)).err(),
        };
        if let Some(e) = team_error {
            self.error = Some(e.to_string());
        }
        self.find_registry(store::atomic::parent_dir(&save_path));
        self.session = Some(Session {
            path: save_path,
            doc,
            history: History::new(),
            disk,
        });
        self.settings.remember(path);
        if has_recovery {
            self.offer_recovery();
        }
        Ok(())
    }

    /// Asks whether to restore the recovery file's work of this coder, when it differs from
    /// what was saved; removes a recovery file that holds nothing new.
    fn offer_recovery(&mut self) {
        let Some(session) = &self.session else { return };
        match recovery::read_recovery(&session.path, session.doc.schema_or(&self.schema)) {
            Ok(recovered)
                if recovered.document.text_sha256() == session.doc.document.text_sha256()
                    && recovered.set(&self.settings.coder).is_some()
                    && recovered.set(&self.settings.coder)
                        != session.doc.set(&self.settings.coder) =>
            {
                self.prompt = Some(Prompt::Recovery {
                    recovered: Box::new(recovered),
                });
            }
            Ok(_) => recovery::remove_recovery(&session.path),
            Err(e) => self.error = Some(AppError::RecoveryUnreadable(e).to_string()),
        }
    }

    /// Puts the coder's set from the recovery file back, as one undoable edit.
    pub(super) fn restore_recovery(&mut self) -> Result<(), AppError> {
        let Some(Prompt::Recovery { recovered }) = self.prompt.take() else {
            return Ok(());
        };
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        if recovered.document.text_sha256() != session.doc.document.text_sha256() {
            return Err(AppError::RecoveryOfAnotherText);
        }
        // Only the coder's own set comes back: other coders' saved work stays.
        let Some(mine) = recovered.set(&coder).cloned() else {
            return Err(AppError::RecoveryWithoutWork(coder));
        };
        let edit = match session.doc.sets.iter().position(|s| s.id == coder) {
            Some(index) => Edit::Set(Change::Replace {
                index,
                old: session.doc.sets[index].clone(),
                new: mine,
            }),
            None => Edit::Set(Change::Insert {
                index: session.doc.sets.len(),
                item: mine,
            }),
        };
        session.history.apply(&mut session.doc, edit)?;
        self.status = Some("unsaved work restored".to_owned());
        Ok(())
    }

    pub(super) fn discard_recovery(&mut self) -> Result<(), AppError> {
        self.prompt = None;
        if let Some(s) = &self.session {
            recovery::remove_recovery(&s.path);
        }
        Ok(())
    }

    /// "Discard changes": what the prompt held back goes ahead.
    pub(super) fn discard_changes(&mut self) -> Result<(), AppError> {
        if let Some(Prompt::Unsaved { then }) = self.prompt.take() {
            let path = self.session.as_ref().map(|s| s.path.clone());
            // The edits stay (and stay unsaved) unless what follows replaces them.
            self.continue_with(*then)?;
            if let Some(path) = path {
                recovery::remove_recovery(&path);
            }
        }
        Ok(())
    }

    /// "Save": saves, then goes on with what the prompt held back (after the on-disk
    /// question, if the file changed).
    pub(super) fn save_then_continue(&mut self) -> Result<(), AppError> {
        if let Some(Prompt::Unsaved { then }) = self.prompt.take() {
            self.save(false)?;
            match &mut self.prompt {
                // The file changed on disk: go on once that is answered.
                Some(Prompt::Conflict { then: pending }) => *pending = Some(then),
                _ => self.continue_with(*then)?,
            }
        }
        Ok(())
    }

    /// Saves over a file that changed on disk, then goes on with what was held back.
    pub(super) fn overwrite(&mut self) -> Result<(), AppError> {
        let then = match self.prompt.take() {
            Some(Prompt::Conflict { then }) => then,
            _ => None,
        };
        self.save(true)?;
        match then {
            Some(then) => self.continue_with(*then),
            None => Ok(()),
        }
    }

    pub(super) fn save(&mut self, force: bool) -> Result<(), AppError> {
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        validate_before_saving(&session.doc, &self.schema)?;
        if !force && store::fingerprint(&session.path) != session.disk {
            self.prompt = Some(Prompt::Conflict { then: None });
            return Ok(());
        }
        self.stamp_effort();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        store::save(&session.path, &session.doc)?;
        session.disk = store::fingerprint(&session.path);
        session.history.mark_saved();
        recovery::remove_recovery(&session.path);
        let path = session.path.display().to_string();
        self.tell(format!("saved {path}"), format!("حُفظ {path}"));
        self.refresh_entry();
        Ok(())
    }

    /// Saves to a new path; the document moves there only once the file is written.
    pub(super) fn save_as(&mut self, path: PathBuf) -> Result<(), AppError> {
        validate_before_saving(
            &self.session.as_ref().ok_or(AppError::NoDocument)?.doc,
            &self.schema,
        )?;
        self.stamp_effort();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        store::save(&path, &session.doc)?;
        let old = std::mem::replace(&mut session.path, path);
        recovery::remove_recovery(&old);
        session.disk = store::fingerprint(&session.path);
        session.history.mark_saved();
        let opened = session.path.clone();
        let shown = opened.display().to_string();
        self.tell(format!("saved {shown}"), format!("حُفظ {shown}"));
        self.settings.remember(&opened);
        Ok(())
    }

    /// Writes unsaved work to the recovery file (and removes it once nothing is unsaved).
    pub(super) fn autosave(&mut self) -> Result<(), AppError> {
        let Some(session) = &self.session else {
            return Ok(());
        };
        if !session.history.is_modified() {
            // Back at the saved state: nothing to recover.
            recovery::remove_recovery(&session.path);
            return Ok(());
        }
        recovery::write_recovery(&session.path, &session.doc).map_err(AppError::RecoveryNotWritten)
    }

    pub(super) fn step_history(&mut self, undo: bool) -> Result<(), AppError> {
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        if undo {
            session.history.undo(&mut session.doc)?;
        } else {
            session.history.redo(&mut session.doc)?;
        }
        // A selected span or event may be gone.
        if let Some(id) = &self.selected_span
            && session
                .doc
                .set(&self.settings.coder)
                .and_then(|s| s.span(id))
                .is_none()
        {
            self.selected_span = None;
        }
        if let Some(id) = &self.selected_event
            && session
                .doc
                .set(&self.settings.coder)
                .is_none_or(|s| s.events.iter().all(|e| &e.id != id))
        {
            self.selected_event = None;
            self.linking = None;
        }
        self.refresh_entry();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::model::*;
    use crate::store::{self, recovery_path};

    #[test]
    fn opening_another_document_asks_about_unsaved_changes() {
        let (_dir, path, other, mut app) = unsaved_with_another_document();
        app.apply(Command::Open(other.clone()));
        assert!(matches!(app.prompt, Some(Prompt::Unsaved { .. })));
        assert_eq!(
            app.session.as_ref().expect("open").path,
            path,
            "still the first document"
        );
        app.apply(Command::CancelPrompt);
        assert!(app.is_modified());
        app.apply(Command::Open(other.clone()));
        app.apply(Command::DiscardChanges);
        assert_eq!(app.session.as_ref().expect("open").path, other);
        assert!(!app.is_modified());
        let first = store::load(&path, LabelSchema::builtin()).expect("untouched");
        assert_eq!(first.sets[0].spans.len(), 1, "discarded work was not saved");
    }

    #[test]
    fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        let theirs = std::fs::read_to_string(&path)
            .expect("read")
            .replace("\"coder-a\"", "\"coder-a\" ");
        std::fs::write(&path, &theirs).expect("someone else saves");
        app.apply(Command::Save);
        assert!(matches!(app.prompt, Some(Prompt::Conflict { .. })));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
        app.apply(Command::Overwrite);
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved");
        assert!(saved.sets[0].spans.is_empty());
    }

    #[test]
    fn unsaved_work_is_recovered_after_a_crash() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::Select(Some(CharRange::new(9, 13))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Autosave);
        assert!(recovery_path(&path).exists());
        drop(app); // the crash: nothing saved
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        assert!(matches!(app.prompt, Some(Prompt::Recovery { .. })));
        app.apply(Command::RestoreRecovery);
        assert_eq!(shown(&app), "[ACTOR|الجيش] في [PLACE|مالي]");
        assert!(app.is_modified());
        app.apply(Command::Save);
        assert!(
            !recovery_path(&path).exists(),
            "saving removes the recovery file"
        );
    }

    #[test]
    fn an_invalid_file_shows_an_error_and_keeps_the_open_document() {
        let (dir, path) = setup("[ACTOR|الجيش] في مالي");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"format\": \"marsad/1\"").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::Open(bad));
        assert!(
            app.error.as_deref().is_some_and(|e| e.contains("bad.json")),
            "{:?}",
            app.error
        );
        assert_eq!(app.session.as_ref().expect("open").path, path);
    }

    #[test]
    fn reopening_an_imported_article_opens_its_annotations() {
        let dir = tempfile::tempdir().expect("tempdir");
        let txt = dir.path().join("article.txt");
        std::fs::write(&txt, "هجوم في مالي").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(txt.clone()));
        app.apply(Command::Select(Some(CharRange::new(8, 12))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Save);
        let mut again = app_for("coder-a");
        again.apply(Command::Open(txt));
        assert_eq!(
            shown(&again),
            "هجوم في [PLACE|مالي]",
            "the .json beside it, not a fresh import"
        );
        assert!(again.settings.recent[0].ends_with("article.json"));
    }

    #[test]
    fn recovery_is_only_offered_for_unsaved_work_of_the_same_coder() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::DeleteSpan);
        app.apply(Command::Autosave);
        assert!(recovery_path(&path).exists());
        app.apply(Command::Undo);
        app.apply(Command::Autosave);
        assert!(
            !recovery_path(&path).exists(),
            "back at the saved state: nothing to recover"
        );
        app.apply(Command::Redo);
        app.apply(Command::Autosave);
        let mut other = app_for("coder-b");
        other.apply(Command::Open(path.clone()));
        assert!(other.prompt.is_none(), "coder-b has nothing to recover");
    }

    #[test]
    fn a_failed_save_as_keeps_the_document_where_it_was() {
        let (dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SaveAs(dir.path().join("no-extension")));
        assert!(app.error.is_some());
        assert_eq!(app.session.as_ref().expect("open").path, path);
        app.error = None;
        let ron = dir.path().join("copy.ron");
        app.apply(Command::SaveAs(ron.clone()));
        assert_eq!(app.error, None);
        assert_eq!(app.session.as_ref().expect("open").path, ron);
        assert!(store::load(&ron, LabelSchema::builtin()).is_ok());
    }

    #[test]
    fn after_a_conflict_the_held_back_open_goes_on() {
        let (_dir, path, other, mut app) = unsaved_with_another_document();
        std::fs::write(&path, std::fs::read_to_string(&path).expect("read") + "\n").expect("write");
        app.apply(Command::Open(other.clone()));
        app.apply(Command::SaveThenContinue);
        assert!(matches!(app.prompt, Some(Prompt::Conflict { .. })));
        app.apply(Command::Overwrite);
        assert_eq!(
            app.session.as_ref().expect("open").path,
            other,
            "the open went on"
        );
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved");
        assert!(saved.sets[0].spans.is_empty());
    }

    #[test]
    fn a_text_file_is_saved_as_json_beside_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let txt = dir.path().join("article.txt");
        std::fs::write(&txt, "هجوم في مالي\r\n").expect("write");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(txt));
        app.apply(Command::Select(Some(CharRange::new(8, 12))));
        app.apply(Command::Label("PLACE".into()));
        app.apply(Command::Save);
        let saved = store::load(&dir.path().join("article.json"), LabelSchema::builtin())
            .expect("json beside");
        assert_eq!(saved.sets[0].spans[0].text, "مالي");
        assert_eq!(saved.document.text(), "هجوم في مالي\n");
    }
}
