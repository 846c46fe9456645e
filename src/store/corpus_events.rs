//! The corpus's own events: one file per event in `marsad-events/` at the corpus root
//! (`ev1.json`, …). One file each merges best in git: two coders making or editing different
//! events never touch the same file, and one event edited on two clones is a conflict in one
//! small file, not in a list every event shares. Each is read and checked like a document:
//! its format, its id matching its file name, its roles, and every link resolving to a span
//! whose text is still the text it was linked with.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::corpus_event::{CorpusEvent, EVENT_FORMAT};
use crate::model::{AnnotatedDocument, EventRole};

/// The folder of a corpus that holds its events.
pub const EVENTS_DIR: &str = "marsad-events";

#[derive(Debug, Error)]
pub enum EventError {
    #[error("{path}: cannot read: {why}")]
    Read { path: PathBuf, why: String },
    #[error("{path}: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path}: cannot write: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Where event `id` of the corpus at `root` is stored.
pub fn path_of(root: &Path, id: &str) -> PathBuf {
    root.join(EVENTS_DIR).join(format!("{id}.json"))
}

/// Every event of the corpus, by id; the files that cannot be read beside them.
pub fn load_all(root: &Path) -> (Vec<CorpusEvent>, Vec<EventError>) {
    let dir = root.join(EVENTS_DIR);
    let (mut events, mut problems) = (Vec::new(), Vec::new());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (events, problems);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        match load(&path) {
            Ok(e) => events.push(e),
            Err(e) => problems.push(e),
        }
    }
    events.sort_by(|a, b| a.id.cmp(&b.id));
    (events, problems)
}

/// One event file, checked for itself (its links are checked against the documents by
/// [`check_links`]).
pub fn load(path: &Path) -> Result<CorpusEvent, EventError> {
    let src = super::read_text(path).map_err(|e| EventError::Read {
        path: path.to_owned(),
        why: e
            .problems
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
    })?;
    let invalid = |why: String| EventError::Invalid {
        path: path.to_owned(),
        why,
    };
    let event: CorpusEvent = super::format::deserialize(&src, super::Syntax::Json)
        .map_err(|p| invalid(p.to_string()))?;
    if event.format != EVENT_FORMAT {
        return Err(invalid(format!(
            "format is \"{}\", not {EVENT_FORMAT}",
            event.format
        )));
    }
    if path.file_stem().and_then(|s| s.to_str()) != Some(event.id.as_str()) {
        return Err(invalid(format!(
            "event id \"{}\" does not match the file's name",
            event.id
        )));
    }
    for link in &event.links {
        if !EventRole::ALL.iter().any(|r| r.name() == link.role) {
            return Err(invalid(format!(
                "link to {} span {}: unknown role \"{}\"",
                link.document, link.span, link.role
            )));
        }
    }
    Ok(event)
}

/// Writes an event atomically as pretty JSON with a final newline.
pub fn save(root: &Path, event: &CorpusEvent) -> Result<(), EventError> {
    let path = path_of(root, &event.id);
    let write = |error| EventError::Write {
        path: path.clone(),
        error,
    };
    std::fs::create_dir_all(root.join(EVENTS_DIR)).map_err(write)?;
    let mut text =
        serde_json::to_string_pretty(event).map_err(|e| write(std::io::Error::other(e)))?;
    text.push('\n');
    super::write_atomic(&path, text.as_bytes()).map_err(write)
}

/// Removes an event's file.
pub fn remove(root: &Path, id: &str) -> Result<(), EventError> {
    let path = path_of(root, id);
    std::fs::remove_file(&path).map_err(|error| EventError::Write { path, error })
}

/// Every link of `event` that does not resolve: its document unknown, its set or span gone,
/// or the span's text no longer the text it was linked with. `doc` finds a document by its
/// path from the corpus root.
pub fn check_links<'a>(
    event: &CorpusEvent,
    doc: impl Fn(&str) -> Option<&'a AnnotatedDocument>,
) -> Vec<String> {
    let mut out = Vec::new();
    for l in &event.links {
        let at = format!(
            "event {}: {} link to {} {}/{}",
            event.id, l.role, l.document, l.set, l.span
        );
        match doc(&l.document).map(|d| d.set(&l.set).and_then(|s| s.span(&l.span))) {
            None => out.push(format!("{at}: no such document in the corpus")),
            Some(None) => out.push(format!("{at}: no such span")),
            Some(Some(s)) if s.text != l.text => out.push(format!(
                "{at}: the span's text is now \"{}\", not \"{}\"",
                s.text, l.text
            )),
            Some(Some(_)) => {}
        }
    }
    out
}
