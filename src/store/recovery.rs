//! What protects unsaved work and other people's saves: the hidden recovery file beside a
//! document (`.NAME.recovery.json`, written every 30 s while there are unsaved changes) and the
//! fingerprint of a file as it was read, which tells whether it changed on disk since.

use std::path::{Path, PathBuf};

use super::{LoadError, SaveError, load, save};
use crate::model::{AnnotatedDocument, LabelSchema, sha256_hex};

/// The recovery file of a document: hidden, beside it.
pub fn recovery_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.recovery.json"))
}

/// Whether the document at `path` has a recovery file.
pub fn has_recovery(path: &Path) -> bool {
    recovery_path(path).exists()
}

/// Writes `doc` (with its unsaved work) to the recovery file of `path`.
pub fn write_recovery(path: &Path, doc: &AnnotatedDocument) -> Result<(), SaveError> {
    save(&recovery_path(path), doc)
}

/// Reads the recovery file of `path`.
pub fn read_recovery(path: &Path, project: &LabelSchema) -> Result<AnnotatedDocument, LoadError> {
    load(&recovery_path(path), project)
}

/// Removes the recovery file of `path`, if there is one: the work in it was saved or
/// discarded. A file that cannot be removed is left; it is offered again and can be
/// discarded then.
pub fn remove_recovery(path: &Path) {
    let _ = std::fs::remove_file(recovery_path(path));
}

/// The SHA-256 of the file's bytes, whatever they are (only equality matters); None when
/// it cannot be read (for example, not written yet).
pub fn fingerprint(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| sha256_hex(&String::from_utf8_lossy(&bytes)))
}

/// The seed article as it ships inside the program.
const SEED_ARTICLE: &str = include_str!("../../sample_articles/mali-sinsgaji-jnim.json");

/// The seed article in `dir` (the user's data folder): written there on first use, never
/// overwritten after, so that what a coder saves into it stays theirs — and never inside
/// the program's own files.
pub fn seed_article_in(dir: &Path) -> Result<PathBuf, SaveError> {
    let path = dir.join("mali-sinsgaji-jnim.json");
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|error| SaveError::Io {
            path: dir.to_owned(),
            error,
        })?;
        match super::write_atomic_new(&path, SEED_ARTICLE.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(SaveError::Io {
                    path: path.clone(),
                    error: e,
                });
            }
            _ => {}
        }
    }
    Ok(path)
}

/// Whether `path` is a folder (a corpus to open) rather than a file.
pub fn is_folder(path: &Path) -> bool {
    path.is_dir()
}

/// Whether something is at `path`.
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// Where the annotations of what the user opened are kept: for a plain-text article that was
/// imported before, the `.json` beside it; otherwise None.
pub fn annotations_beside(path: &Path) -> Option<PathBuf> {
    let json = path.with_extension("json");
    (super::is_text_file(path) && json.is_file()).then_some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_article_is_copied_once_and_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("marsad").join("samples");
        let path = seed_article_in(&data).expect("copied");
        assert!(path.starts_with(&data));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), SEED_ARTICLE);
        std::fs::write(&path, "the coder's saved work").expect("write");
        assert_eq!(seed_article_in(&data).expect("again"), path);
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "the coder's saved work"
        );
    }
}
