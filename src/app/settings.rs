//! Settings remembered between runs (the window stores them with eframe's persistence), and
//! the commands that change them: zoom and the coder's name.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{App, AppError};
use crate::model::History;

/// The interface's language (its strings are in `ui::i18n`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Ar,
}

impl Lang {
    /// Arabic when the locale says so (`LC_ALL`, else `LANG`, starting with `ar`).
    pub fn from_locale() -> Self {
        Self::from_locale_vars(
            std::env::var("LC_ALL").ok().as_deref(),
            std::env::var("LANG").ok().as_deref(),
        )
    }

    /// [`Self::from_locale`] from the values of `LC_ALL` and `LANG`.
    pub fn from_locale_vars(lc_all: Option<&str>, lang: Option<&str>) -> Self {
        let locale = lc_all
            .filter(|v| !v.is_empty())
            .or(lang)
            .unwrap_or_default();
        if locale.starts_with("ar") {
            Lang::Ar
        } else {
            Lang::En
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }
}

/// Settings remembered between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The coder's name: the id of their annotation set.
    pub coder: String,
    /// Zoom factor of the document view.
    pub zoom: f32,
    pub dark: bool,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// Show the text's invisible bidi controls as marks (Trojan Source).
    pub show_controls: bool,
    /// List the folder's documents as a review queue (most disagreement first).
    pub navigator_by_queue: bool,
    /// Mark done (Ctrl+Enter) moves on to the next document not done.
    pub next_after_done: bool,
    /// Each span's label name as a small tag over its start (at zoom 100 % and more).
    pub show_tags: bool,
    /// The relations of the shown set drawn as arcs over the text.
    pub show_relations: bool,
    /// The interface's language (from the locale the first time).
    pub language: Lang,
    /// Propose what the coder already labelled where it occurs again (dashed).
    pub suggest: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            coder: std::env::var("USER")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "coder".to_owned()),
            zoom: 1.0,
            dark: false,
            recent: Vec::new(),
            show_controls: true,
            navigator_by_queue: false,
            next_after_done: true,
            show_tags: true,
            show_relations: true,
            suggest: true,
            language: Lang::from_locale(),
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent files (ten at most).
    pub fn remember(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(10);
    }
}

impl App {
    pub(super) fn zoom(&mut self, zoom: f32) -> Result<(), AppError> {
        self.settings.zoom = zoom.clamp(0.5, 3.0);
        Ok(())
    }

    /// Another coder: their set is shown from now on, the corpus is re-read for them.
    pub(super) fn set_coder(&mut self, name: &str) -> Result<(), AppError> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err(AppError::EmptyCoder);
        }
        if self.is_modified() {
            return Err(AppError::UnsavedBeforeCoderChange);
        }
        self.settings.coder = name;
        self.selected_span = None;
        if let Some(session) = &mut self.session {
            // Undo stays within one coder's work.
            session.history = History::new();
        }
        self.reload_entries();
        Ok(())
    }
}
