//! Shared fixtures of the app's tests: a document written from span notation, an app for a
//! coder, and what the coder sees.

use std::path::PathBuf;

use super::*;
use crate::model::{CharRange, notation};
use crate::store;

/// A temp folder with one document written from span notation.
pub fn setup(marked: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = notation::parse(marked)
        .expect("notation")
        .to_document("t", "coder-a");
    let path = dir.path().join("doc.json");
    store::save(&path, &doc).expect("save");
    (dir, path)
}

/// A document open with an unsaved edit (its span deleted), and a copy of it beside it.
pub fn unsaved_with_another_document() -> (tempfile::TempDir, PathBuf, PathBuf, App) {
    let (dir, path) = setup("[ACTOR|الجيش] في مالي");
    let other = dir.path().join("other.json");
    std::fs::copy(&path, &other).expect("copy");
    let mut app = app_for("coder-a");
    app.apply(Command::Open(path.clone()));
    app.apply(Command::SelectSpan(Some("s1".into())));
    app.apply(Command::DeleteSpan);
    (dir, path, other, app)
}

pub fn app_for(coder: &str) -> App {
    App::new(Settings {
        coder: coder.to_owned(),
        ..Settings::default()
    })
}

pub fn find(text: &str, word: &str) -> CharRange {
    let byte = text.find(word).expect("word");
    let start = text[..byte].chars().count();
    CharRange::new(start, start + word.chars().count())
}

pub fn text_of(app: &App) -> String {
    let session = app.session.as_ref().expect("open");
    session.doc.document.text().to_owned()
}

pub fn shown(app: &App) -> String {
    let s = app.session.as_ref().expect("open");
    notation::render_set(&s.doc, &app.settings.coder)
}
