//! Choosing a file or a folder: the system's dialog (rfd, through the xdg-desktop-portal) when
//! a file-chooser portal answers on the session bus, else our own browser in the window — so
//! File ▸ Open, Open Folder, Save As and every Choose… work on a machine without a portal
//! instead of silently doing nothing (without one, rfd returns at once as if cancelled).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use egui::Ui;

use crate::store::{self, FolderEntry};

/// What is being chosen, and so what the browser offers and what comes back.
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose {
    /// A document or an article (.json, .ron, .txt) to open.
    OpenDocument,
    /// A folder of documents.
    OpenFolder,
    /// Where to save the document (.json or .ron).
    SaveAs,
    /// Where an export goes (a file, or a folder for brat).
    ExportTarget,
    /// A predictions file (.json, .jsonl).
    Predictions,
    /// A corpus file to import (any file).
    CorpusFile,
}

impl Purpose {
    fn title(&self) -> &'static str {
        match self {
            Purpose::OpenDocument => "Open a document",
            Purpose::OpenFolder => "Open a folder",
            Purpose::SaveAs => "Save as",
            Purpose::ExportTarget => "Export to",
            Purpose::Predictions => "Predictions file",
            Purpose::CorpusFile => "Corpus to import",
        }
    }

    /// The extensions listed (every file when empty).
    fn extensions(&self) -> &'static [&'static str] {
        match self {
            Purpose::OpenDocument => &["json", "ron", "txt"],
            Purpose::OpenFolder => &[],
            Purpose::SaveAs => &["json", "ron"],
            Purpose::ExportTarget => &[],
            Purpose::Predictions => &["json", "jsonl"],
            Purpose::CorpusFile => &[],
        }
    }

    /// A name is typed (a file that may not exist yet) rather than picked.
    fn names_a_new_file(&self) -> bool {
        matches!(self, Purpose::SaveAs | Purpose::ExportTarget)
    }
}

/// Whether the session bus has an xdg-desktop-portal (running or activatable), asked once.
/// `MARSAD_FILE_DIALOG=builtin` (or `system`) decides it instead.
pub fn portal_available() -> bool {
    static ANSWER: OnceLock<bool> = OnceLock::new();
    *ANSWER.get_or_init(|| {
        match std::env::var("MARSAD_FILE_DIALOG").as_deref() {
            Ok("builtin") => return false,
            Ok("system") => return true,
            _ => {}
        }
        let ask = || -> zbus::Result<bool> {
            let bus = zbus::blocking::Connection::session()?;
            let dbus = zbus::blocking::fdo::DBusProxy::new(&bus)?;
            let name = "org.freedesktop.portal.Desktop";
            if dbus.name_has_owner(name.try_into()?)? {
                return Ok(true);
            }
            Ok(dbus
                .list_activatable_names()?
                .iter()
                .any(|n| n.as_str() == name))
        };
        ask().unwrap_or(false)
    })
}

/// The system's dialog for `purpose`, starting at `start`; None when cancelled.
pub fn system_dialog(purpose: &Purpose, start: &Path) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new();
    let dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
        dialog = dialog.set_directory(dir);
    }
    if purpose.names_a_new_file()
        && let Some(name) = start.file_name()
    {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    let exts = purpose.extensions();
    if !exts.is_empty() {
        dialog = dialog.add_filter(purpose.title(), exts);
    }
    match purpose {
        Purpose::OpenFolder => dialog.pick_folder(),
        Purpose::SaveAs | Purpose::ExportTarget => dialog.save_file(),
        Purpose::OpenDocument | Purpose::Predictions | Purpose::CorpusFile => dialog.pick_file(),
    }
}

/// Our own file browser: a folder's entries, up and into folders, a name field.
pub struct Browser {
    pub purpose: Purpose,
    pub dir: PathBuf,
    /// The file name picked or typed.
    pub name: String,
    entries: Result<Vec<FolderEntry>, String>,
}

/// What the browser gave back this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Picked(PathBuf),
    Cancelled,
}

impl Browser {
    /// A browser for `purpose` at `start` (a file's folder, or the folder itself).
    pub fn new(purpose: Purpose, start: &Path) -> Self {
        let (dir, name) = if start.is_dir() {
            (start.to_owned(), String::new())
        } else {
            (
                start
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_owned),
                start
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        };
        let mut browser = Self {
            purpose,
            dir: PathBuf::new(),
            name,
            entries: Ok(Vec::new()),
        };
        browser.go(dir);
        browser
    }

    fn go(&mut self, dir: PathBuf) {
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        self.entries = store::list_folder(&dir).map_err(|e| e.to_string());
        self.dir = dir;
    }

    fn listed(purpose: &Purpose, e: &FolderEntry) -> bool {
        let exts = purpose.extensions();
        e.is_dir
            || (*purpose != Purpose::OpenFolder
                && (exts.is_empty()
                    || Path::new(&e.name)
                        .extension()
                        .is_some_and(|x| exts.iter().any(|w| x == *w))))
    }

    /// Draws the browser; returns what was chosen, if anything, this frame.
    pub fn show(&mut self, ui: &mut Ui) -> Option<Outcome> {
        let mut outcome = None;
        ui.heading(self.purpose.title());
        ui.horizontal(|ui| {
            if ui.button("Up").on_hover_text("The folder above").clicked()
                && let Some(parent) = self.dir.parent()
            {
                let parent = parent.to_owned();
                self.go(parent);
            }
            ui.label(self.dir.display().to_string());
        });
        let mut go_to = None;
        let purpose = self.purpose.clone();
        egui::ScrollArea::vertical()
            .id_salt("browser")
            .max_height(320.0)
            .auto_shrink([false, true])
            .show(ui, |ui| match &self.entries {
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                Ok(entries) => {
                    for e in entries.iter().filter(|e| Self::listed(&purpose, e)) {
                        let label = if e.is_dir {
                            format!("{}/", e.name)
                        } else {
                            e.name.clone()
                        };
                        let picked = e.name == self.name;
                        let r = ui.selectable_label(picked, label);
                        if r.double_clicked() && e.is_dir {
                            go_to = Some(self.dir.join(&e.name));
                        } else if r.clicked() {
                            if e.is_dir && purpose != Purpose::OpenFolder {
                                go_to = Some(self.dir.join(&e.name));
                            } else {
                                self.name.clone_from(&e.name);
                            }
                        }
                    }
                }
            });
        if let Some(dir) = go_to {
            self.go(dir);
            if self.purpose == Purpose::OpenFolder {
                self.name.clear();
            }
        }
        let name = ui.label("name").id;
        ui.text_edit_singleline(&mut self.name).labelled_by(name);
        ui.horizontal(|ui| {
            let choose = match self.purpose {
                Purpose::OpenFolder => "Open this folder",
                Purpose::SaveAs | Purpose::ExportTarget => "Choose",
                Purpose::OpenDocument | Purpose::Predictions | Purpose::CorpusFile => "Open",
            };
            let ready = self.purpose == Purpose::OpenFolder || !self.name.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new(choose)).clicked() {
                let path = if self.name.trim().is_empty() {
                    self.dir.clone()
                } else {
                    self.dir.join(self.name.trim())
                };
                outcome = Some(Outcome::Picked(path));
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(Outcome::Cancelled);
            }
        });
        outcome
    }
}
