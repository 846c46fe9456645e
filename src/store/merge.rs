//! Three `marsad/1` files merged into the first, as a git merge driver does it
//! (`%O %A %B %P`): each read and checked, [`crate::model::merge`] applied, and the result
//! written over this side's file atomically with the same bytes a save gives, so that a merge
//! of two saves never makes a diff of its own. A file that is not a `marsad/1` document is
//! left to the caller (it merges it as text); nothing is written when the merge refuses.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{LoadError, Syntax, format, read_text};
use crate::model::merge::{self, HardConflict};
use crate::model::{AnnotatedDocument, LabelSchema};

#[derive(Debug, Error)]
pub enum MergeError {
    /// One of the files is not a valid `marsad/1` document (a schema, a manifest, a broken
    /// file): it is not merged here.
    #[error("{0}")]
    NotADocument(LoadError),
    #[error("{path}: not merged: {conflict}")]
    Hard {
        path: PathBuf,
        conflict: HardConflict,
    },
    #[error("{path}: file: cannot write the merge: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The three files of a merge, and the path the document has in the work tree (for its
/// syntax, its project schema and messages).
pub struct Sides<'a> {
    pub base: &'a Path,
    pub ours: &'a Path,
    pub theirs: &'a Path,
    pub path: Option<&'a Path>,
}

/// Merges `theirs` into `ours` from `base`; returns how many conflicts the merged file records
/// (0: a clean merge).
pub fn merge_files(sides: &Sides<'_>) -> Result<usize, MergeError> {
    let named = sides.path.unwrap_or(sides.ours);
    let project = sides
        .path
        .and_then(|p| {
            super::project_schema(super::atomic::parent_dir(p))
                .ok()
                .flatten()
        })
        .unwrap_or_else(|| LabelSchema::builtin().clone());
    let read = |file: &Path| -> Result<(String, Syntax), MergeError> {
        let src = read_text(file).map_err(MergeError::NotADocument)?;
        let syntax = sides
            .path
            .and_then(Syntax::from_path)
            .unwrap_or_else(|| sniff(&src));
        Ok((src, syntax))
    };
    let parse = |file: &Path| -> Result<(AnnotatedDocument, Syntax), MergeError> {
        let (src, syntax) = read(file)?;
        super::parse(&src, syntax, &project)
            .map(|doc| (doc, syntax))
            .map_err(|problems| {
                MergeError::NotADocument(LoadError {
                    path: named.to_owned(),
                    problems,
                })
            })
    };
    let (ours, syntax) = parse(sides.ours)?;
    let (theirs, _) = parse(sides.theirs)?;
    // An empty base: the file was added on both sides. The base is read without the schema
    // check (it may predate the schema in force), but it must be a document.
    let (base_src, base_syntax) = read(sides.base)?;
    let base = if base_src.trim().is_empty() {
        None
    } else {
        let parsed = format::from_str(&base_src, base_syntax).map_err(|problems| {
            MergeError::NotADocument(LoadError {
                path: named.to_owned(),
                problems,
            })
        })?;
        Some(parsed.doc)
    };
    let merged = merge::merge(base.as_ref(), &ours, &theirs, &project).map_err(|conflict| {
        MergeError::Hard {
            path: named.to_owned(),
            conflict,
        }
    })?;
    let bytes = format::to_string(&merged.doc, syntax).map_err(|message| MergeError::Write {
        path: named.to_owned(),
        error: std::io::Error::other(message),
    })?;
    super::write_atomic(sides.ours, bytes.as_bytes()).map_err(|error| MergeError::Write {
        path: named.to_owned(),
        error,
    })?;
    Ok(merged.conflicts)
}

/// JSON when the text opens with `{`, RON otherwise.
fn sniff(src: &str) -> Syntax {
    if src.trim_start().starts_with('{') {
        Syntax::Json
    } else {
        Syntax::Ron
    }
}
