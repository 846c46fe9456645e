//! The team around the open corpus: its manifest (found in the document's folder or one
//! above it), which sets the coder may see under blind coding, the navigator's filter by
//! assignment, and the coder's active time, added to their set when it is saved.

use std::path::{Path, PathBuf};

use super::{App, AppError};
use crate::model::{AnnotatedDocument, AnnotationSet, Source, Status};
use crate::store::team::{self, Manifest};

/// Input within this long counts as coding.
pub const ACTIVE_WINDOW_SECONDS: f64 = 60.0;

/// The manifest of the corpus a document is in, and that corpus's root.
#[derive(Clone, Debug)]
pub struct Team {
    pub root: PathBuf,
    pub manifest: Manifest,
}

/// What the navigator lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NavFilter {
    #[default]
    All,
    /// The documents assigned to the coder.
    Mine,
    Done,
    /// Review differences undecided, or coders who disagree (for the adjudicator).
    NeedsReview,
}

impl NavFilter {
    pub const ALL: [NavFilter; 4] = [
        NavFilter::All,
        NavFilter::Mine,
        NavFilter::Done,
        NavFilter::NeedsReview,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NavFilter::All => "All",
            NavFilter::Mine => "Assigned to me",
            NavFilter::Done => "Done",
            NavFilter::NeedsReview => "Needs review",
        }
    }
}

impl Team {
    /// The team of the corpus `dir` is in: the nearest manifest in it or a folder above.
    pub fn around(dir: &Path) -> Result<Option<Team>, team::TeamError> {
        for root in dir.ancestors() {
            if Manifest::path(root).is_file() {
                return Ok(Manifest::load(root)?.map(|manifest| Team {
                    root: root.to_owned(),
                    manifest,
                }));
            }
        }
        Ok(None)
    }

    /// The document's key in the manifest.
    pub fn key(&self, path: &Path) -> String {
        team::key_of(&self.root, path)
    }

    /// The coders a document is assigned to.
    pub fn coders_of(&self, path: &Path) -> &[String] {
        self.manifest.coders_of(&self.key(path))
    }
}

/// Whether `coder` may see `set` of `doc` under `team`'s rules: a model's set always; another
/// coder's only when coding is not blind, `coder` is done with the document or adjudicates.
pub fn shows(
    team: Option<&Manifest>,
    doc: &AnnotatedDocument,
    coder: &str,
    set: &AnnotationSet,
) -> bool {
    let Some(manifest) = team else {
        return true;
    };
    if matches!(set.source, Source::Model { .. }) {
        return true;
    }
    let own_done = doc.set(coder).is_some_and(|s| s.status >= Status::Done);
    manifest.shows(coder, &set.id, own_done)
}

impl App {
    /// The manifest of the open corpus or document, if it has a team.
    pub fn team(&self) -> Option<&Team> {
        self.team.as_ref()
    }

    /// Reads the team of the corpus `dir` is in (none: no manifest). A manifest that cannot
    /// be read is said, and other coders' sets stay hidden as blind coding would hide them.
    pub(super) fn find_team(&mut self, dir: &Path) -> Result<(), AppError> {
        match Team::around(dir) {
            Ok(team) => {
                self.team = team;
                Ok(())
            }
            Err(e) => {
                self.team = Some(Team {
                    root: dir.to_owned(),
                    manifest: Manifest {
                        blind: true,
                        ..Manifest::default()
                    },
                });
                Err(AppError::Team(e))
            }
        }
    }

    /// Whether the coder may see the open document's set `id`.
    pub fn shows_set(&self, id: &str) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        session.doc.set(id).is_some_and(|set| {
            shows(
                self.team.as_ref().map(|t| &t.manifest),
                &session.doc,
                &self.settings.coder,
                set,
            )
        })
    }

    /// How many sets of the open document blind coding hides from the coder.
    pub fn hidden_sets(&self) -> usize {
        self.session.as_ref().map_or(0, |s| {
            s.doc.sets.iter().filter(|x| !self.shows_set(&x.id)).count()
        })
    }

    /// Time the coder spent with the window focused and their hands on it, for the open
    /// document: added to their set on the next save.
    pub fn add_active_time(&mut self, seconds: f64) {
        if self.session.is_some() && seconds > 0.0 {
            self.active_seconds += seconds;
        }
    }

    /// Before a save: the active time so far added to the coder's set, its start stamped on
    /// first work, and its done time with its status.
    pub(super) fn stamp_effort(&mut self) {
        let coder = self.settings.coder.clone();
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let whole = self.active_seconds.floor();
        let Some(set) = self.session.as_mut().and_then(|s| s.doc.set_mut(&coder)) else {
            return;
        };
        set.effort.active_seconds += whole as u64;
        self.active_seconds -= whole;
        let started = !set.spans.is_empty()
            || !set.relations.is_empty()
            || !set.events.is_empty()
            || set.status != Status::NotStarted;
        if started && set.effort.started.is_none() {
            set.effort.started = Some(now.clone());
        }
        if set.status >= Status::Done {
            set.effort.done.get_or_insert(now);
        } else {
            set.effort.done = None;
        }
    }

    /// Lists only what `filter` keeps in the navigator.
    pub(super) fn filter_navigator(
        &mut self,
        filter: super::team::NavFilter,
    ) -> Result<(), AppError> {
        if self.corpus.is_none() {
            return Err(AppError::NoFolder);
        }
        let coder = self.settings.coder.clone();
        let team = self.team.clone();
        if let Some(corpus) = &mut self.corpus {
            corpus.filter = filter;
            corpus.arrange(team.as_ref(), &coder);
        }
        Ok(())
    }
}

impl App {
    /// Where the team stands over the open folder, from what the navigator has read.
    pub fn team_progress(&self) -> Option<crate::review::team::Progress> {
        let corpus = self.corpus.as_ref()?;
        let root = self.team.as_ref().map_or(&corpus.root, |t| &t.root);
        Some(crate::review::team::Progress::of(
            corpus.entries.iter().enumerate().map(|(i, e)| {
                (
                    team::key_of(root, &e.path),
                    corpus.assignees(i),
                    e.sets.as_slice(),
                )
            }),
        ))
    }
}
