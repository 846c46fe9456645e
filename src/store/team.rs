//! The team manifest of a corpus (`marsad-team.json` at its root): who codes which document,
//! whether coding is blind, who adjudicates. Assignments are balanced (no coder has more than
//! one document more than another) and deterministic for a seed; a manifest that exists
//! keeps every assignment it has, and only documents new to it are assigned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The manifest's file name, at the corpus root.
pub const MANIFEST: &str = "marsad-team.json";
/// Its format version.
pub const TEAM_FORMAT: &str = "marsad-team/1";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// While a coder has not marked a document done, the other coders' sets on it are hidden
    /// from them.
    #[serde(default)]
    pub blind: bool,
    /// The lead who sees everything and adjudicates.
    #[serde(default)]
    pub adjudicator: Option<String>,
    pub coders: Vec<String>,
    pub per_document: usize,
    #[serde(default)]
    pub seed: u64,
    /// Each document's coders, by its path from the corpus root (with `/`).
    #[serde(default)]
    pub assignments: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Error)]
pub enum TeamError {
    #[error("{path}: cannot read the team manifest: {why}")]
    Read { path: PathBuf, why: String },
    #[error("{path}: not a team manifest: {why}")]
    Parse { path: PathBuf, why: String },
    #[error("{path}: cannot write the team manifest: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot give each document {per} coders: there are only {coders} ({names})")]
    TooFewCoders {
        per: usize,
        coders: usize,
        names: String,
    },
    #[error("coder \"{0}\" is named twice")]
    DuplicateCoder(String),
    #[error("a coder's name cannot be empty")]
    EmptyCoder,
}

impl Manifest {
    /// The manifest's path in a corpus.
    pub fn path(corpus: &Path) -> PathBuf {
        corpus.join(MANIFEST)
    }

    /// The corpus's manifest, or `None` when it has none.
    pub fn load(corpus: &Path) -> Result<Option<Manifest>, TeamError> {
        let path = Self::path(corpus);
        let src = match std::fs::read_to_string(&path) {
            Ok(src) => src,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(TeamError::Read {
                    path,
                    why: e.to_string(),
                });
            }
        };
        let manifest: Manifest = serde_json::from_str(&src).map_err(|e| TeamError::Parse {
            path: path.clone(),
            why: e.to_string(),
        })?;
        if manifest.format != TEAM_FORMAT {
            return Err(TeamError::Parse {
                path,
                why: format!("format is \"{}\", not {TEAM_FORMAT}", manifest.format),
            });
        }
        Ok(Some(manifest))
    }

    /// Writes the manifest atomically, pretty-printed with a final newline.
    pub fn save(&self, corpus: &Path) -> Result<(), TeamError> {
        let path = Self::path(corpus);
        let mut text = serde_json::to_string_pretty(self).map_err(|e| TeamError::Write {
            path: path.clone(),
            error: std::io::Error::other(e),
        })?;
        text.push('\n');
        super::write_atomic(&path, text.as_bytes())
            .map_err(|error| TeamError::Write { path, error })
    }

    /// The coders of a document (by its path from the corpus root).
    pub fn coders_of(&self, key: &str) -> &[String] {
        self.assignments.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether `coder` may see set `set` of document `key` while their own set there has
    /// `own_done`: always, unless coding is blind, `set` is another coder's and `coder` is
    /// not the adjudicator and has not marked the document done.
    pub fn shows(&self, coder: &str, set: &str, own_done: bool) -> bool {
        !self.blind || own_done || set == coder || self.adjudicator.as_deref() == Some(coder)
    }
}

/// The key of a document in the manifest: its path from the corpus root, with `/`.
pub fn key_of(corpus: &Path, document: &Path) -> String {
    let rel = document.strip_prefix(corpus).unwrap_or(document);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What to assign.
pub struct Plan<'a> {
    pub coders: &'a [String],
    pub per_document: usize,
    pub seed: u64,
}

/// What an assignment did.
#[derive(Debug, PartialEq, Eq)]
pub struct Assigned {
    pub new: usize,
    pub kept: usize,
}

/// Assigns every document of `keys` not yet in `manifest` to `per_document` coders of the
/// plan: the least loaded first, ties broken by a hash of the seed, the document and the
/// coder, so that the same seed always gives the same assignment.
pub fn assign(
    manifest: &mut Manifest,
    keys: &[String],
    plan: &Plan<'_>,
) -> Result<Assigned, TeamError> {
    let mut seen = std::collections::HashSet::new();
    for c in plan.coders {
        if c.trim().is_empty() {
            return Err(TeamError::EmptyCoder);
        }
        if !seen.insert(c) {
            return Err(TeamError::DuplicateCoder(c.clone()));
        }
    }
    if plan.per_document > plan.coders.len() || plan.per_document == 0 {
        return Err(TeamError::TooFewCoders {
            per: plan.per_document,
            coders: plan.coders.len(),
            names: plan.coders.join(", "),
        });
    }
    let mut load: BTreeMap<&str, usize> = plan.coders.iter().map(|c| (c.as_str(), 0)).collect();
    for coders in manifest.assignments.values() {
        for c in coders {
            if let Some(n) = load.get_mut(c.as_str()) {
                *n += 1;
            }
        }
    }
    let mut out = Assigned { new: 0, kept: 0 };
    for key in keys {
        if manifest.assignments.contains_key(key) {
            out.kept += 1;
            continue;
        }
        let mut order: Vec<(usize, [u8; 32], &str)> = plan
            .coders
            .iter()
            .map(|c| (load[c.as_str()], tie_break(plan.seed, key, c), c.as_str()))
            .collect();
        order.sort();
        let chosen: Vec<String> = order
            .iter()
            .take(plan.per_document)
            .map(|(_, _, c)| (*c).to_owned())
            .collect();
        for c in &chosen {
            if let Some(n) = load.get_mut(c.as_str()) {
                *n += 1;
            }
        }
        manifest.assignments.insert(key.clone(), chosen);
        out.new += 1;
    }
    manifest.format = TEAM_FORMAT.to_owned();
    manifest.coders = plan.coders.to_vec();
    manifest.per_document = plan.per_document;
    manifest.seed = plan.seed;
    Ok(out)
}

fn tie_break(seed: u64, key: &str, coder: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(key.as_bytes());
    h.update([0]);
    h.update(coder.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &str) -> Vec<String> {
        list.split(',').map(str::to_owned).collect()
    }

    fn docs(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("doc-{i:03}.json")).collect()
    }

    fn assigned(seed: u64, n: usize) -> Manifest {
        let mut m = Manifest::default();
        let coders = names("a,b,c");
        assign(
            &mut m,
            &docs(n),
            &Plan {
                coders: &coders,
                per_document: 2,
                seed,
            },
        )
        .expect("assigns");
        m
    }

    #[test]
    fn assignments_are_balanced_and_never_give_a_document_one_coder_twice() {
        let m = assigned(7, 31);
        let mut load: BTreeMap<&str, usize> = BTreeMap::new();
        for coders in m.assignments.values() {
            assert_eq!(coders.len(), 2);
            assert_ne!(coders[0], coders[1]);
            for c in coders {
                *load.entry(c).or_default() += 1;
            }
        }
        let (min, max) = (load.values().min(), load.values().max());
        assert!(max.zip(min).is_some_and(|(a, b)| a - b <= 1), "{load:?}");
        assert_eq!(load.values().sum::<usize>(), 62);
    }

    #[test]
    fn the_same_seed_gives_the_same_assignment_and_another_seed_another() {
        assert_eq!(assigned(7, 31), assigned(7, 31));
        assert_ne!(assigned(7, 31).assignments, assigned(8, 31).assignments);
    }

    #[test]
    fn assigning_again_keeps_what_was_assigned_and_balances_the_new_documents() {
        let mut m = assigned(1, 10);
        let before = m.assignments.clone();
        let coders = names("a,b,c");
        let out = assign(
            &mut m,
            &docs(13),
            &Plan {
                coders: &coders,
                per_document: 2,
                seed: 1,
            },
        )
        .expect("assigns");
        assert_eq!(out, Assigned { new: 3, kept: 10 });
        assert!(before.iter().all(|(k, v)| m.assignments.get(k) == Some(v)));
    }

    #[test]
    fn more_coders_per_document_than_coders_is_refused() {
        let mut m = Manifest::default();
        let coders = names("a");
        let err = assign(
            &mut m,
            &docs(2),
            &Plan {
                coders: &coders,
                per_document: 2,
                seed: 0,
            },
        )
        .expect_err("refused");
        assert_eq!(
            err.to_string(),
            "cannot give each document 2 coders: there are only 1 (a)"
        );
    }

    #[test]
    fn blind_coding_hides_other_coders_until_done_except_from_the_adjudicator() {
        let m = Manifest {
            blind: true,
            adjudicator: Some("lead".into()),
            ..Manifest::default()
        };
        assert!(m.shows("a", "a", false));
        assert!(!m.shows("a", "b", false));
        assert!(m.shows("a", "b", true));
        assert!(m.shows("lead", "b", false));
    }
}
