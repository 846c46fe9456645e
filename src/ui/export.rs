//! The export dialog (File ▸ Export…): format, which documents, which set, the format's
//! options and where to write; it returns a `Command::Export`. Progress and the result are
//! shown by the window's message bar while the export runs.

use super::i18n::tr;
use std::path::{Path, PathBuf};

use egui::Ui;

use crate::app::export::{Request, Scope};
use crate::app::{App, Command};
use crate::store::export::{Clitics, Format, Options, Unit};

/// What the dialog holds while it is open (and, closed, for the next time).
#[derive(Clone)]
pub struct ExportDialog {
    pub format: Format,
    pub scope: Scope,
    pub set: String,
    pub utf16: bool,
    pub split: bool,
    /// Where to write, editable; Choose… fills it from a file dialog.
    pub out: String,
    /// The document open when the dialog was made: kept choices are for it.
    for_document: Option<PathBuf>,
    /// Choose… was pressed: the window opens a file dialog for the target.
    pub choose: bool,
}

impl ExportDialog {
    pub fn new(app: &App) -> Self {
        let mut dialog = Self {
            format: Format::Jsonl,
            scope: if app.corpus.is_some() {
                Scope::Folder
            } else {
                Scope::Document
            },
            set: app.settings.coder.clone(),
            utf16: false,
            split: false,
            out: String::new(),
            for_document: app.session.as_ref().map(|s| s.path.clone()),
            choose: false,
        };
        dialog.out = dialog.default_out(app).display().to_string();
        dialog
    }

    /// The dialog again with these choices; the target follows the open document when
    /// another one is open now.
    pub fn reopened(mut self, app: &App) -> Self {
        let now = app.session.as_ref().map(|s| s.path.clone());
        if now != self.for_document {
            self.for_document = now;
            self.out = self.default_out(app).display().to_string();
        }
        self
    }

    /// Beside the document (or in the folder), named after it and the format.
    fn default_out(&self, app: &App) -> PathBuf {
        let (dir, stem) = match (&self.scope, &app.corpus, &app.session) {
            (Scope::Folder, Some(corpus), _) => (corpus.root.clone(), "export".to_owned()),
            (_, _, Some(session)) => (
                session
                    .path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_owned),
                session
                    .path
                    .file_stem()
                    .map_or_else(|| "export".to_owned(), |s| s.to_string_lossy().into_owned()),
            ),
            _ => (PathBuf::from("."), "export".to_owned()),
        };
        let name = self.format.name();
        match self.format.extension() {
            Some(ext) if ext == name => dir.join(format!("{stem}.{ext}")),
            Some(ext) => dir.join(format!("{stem}.{name}.{ext}")),
            None => dir.join(format!("{stem}-{name}")),
        }
    }

    fn options(&self) -> Options {
        let mut options = Options::new(self.format);
        options.set = Some(self.set.clone());
        if self.utf16 {
            options.offsets = Unit::Utf16;
        }
        if self.split {
            options.clitics = Clitics::Split;
        }
        options
    }

    /// Draws the dialog's contents; returns the command to run, and whether to close.
    pub fn show(&mut self, ui: &mut Ui, app: &App) -> (Option<Command>, bool) {
        let mut command = None;
        let mut close = false;
        let before = (self.format, self.scope.clone());
        ui.heading(tr(app.settings.language, "Export annotations"));
        egui::Grid::new("export-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let name = ui.label(tr(app.settings.language, "format")).id;
                egui::ComboBox::from_id_salt("export-format")
                    .selected_text(self.format.name())
                    .show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut self.format, f, f.name())
                                .on_hover_text(f.describe());
                        }
                    })
                    .response
                    .labelled_by(name)
                    .on_hover_text(self.format.describe());
                ui.end_row();
                ui.label(tr(app.settings.language, "documents"));
                ui.horizontal(|ui| {
                    ui.radio_value(
                        &mut self.scope,
                        Scope::Document,
                        tr(app.settings.language, "this document"),
                    );
                    if let Some(corpus) = &app.corpus {
                        ui.radio_value(
                            &mut self.scope,
                            Scope::Folder,
                            format!("the folder ({} documents)", corpus.entries.len()),
                        );
                    }
                });
                ui.end_row();
                let name = ui.label(tr(app.settings.language, "annotation set")).id;
                let mut sets: Vec<String> = app
                    .session
                    .as_ref()
                    .map(|s| {
                        s.doc
                            .sets
                            .iter()
                            .filter(|s| app.shows_set(&s.id))
                            .map(|s| s.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if !sets.contains(&app.settings.coder) {
                    sets.push(app.settings.coder.clone());
                }
                egui::ComboBox::from_id_salt("export-set")
                    .selected_text(&self.set)
                    .show_ui(ui, |ui| {
                        for s in sets {
                            ui.selectable_value(&mut self.set, s.clone(), s);
                        }
                    })
                    .response
                    .labelled_by(name);
                ui.end_row();
                if matches!(
                    self.format,
                    Format::Jsonl | Format::Doccano | Format::LabelStudio
                ) {
                    ui.label(tr(app.settings.language, "offsets"));
                    ui.checkbox(&mut self.utf16, "UTF-16 units (for JavaScript tools)")
                        .on_hover_text("Default: code points, as Python counts");
                    ui.end_row();
                }
                if self.format == Format::Conll {
                    ui.label(tr(app.settings.language, "clitics"));
                    ui.checkbox(&mut self.split, "split off a clitic a span leaves out")
                        .on_hover_text(
                            "Off: tokens are whole words (ANERcorp, Wojood); on: ب + سيكاسو",
                        );
                    ui.end_row();
                }
                let name = ui.label(tr(app.settings.language, "to")).id;
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.out).desired_width(360.0))
                        .labelled_by(name);
                    if ui.button(tr(app.settings.language, "Choose…")).clicked() {
                        self.choose = true;
                    }
                });
                ui.end_row();
            });
        if (self.format, self.scope.clone()) != before {
            self.out = self.default_out(app).display().to_string();
        }
        if let Some(error) = &app.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.horizontal(|ui| {
            let ready = !self.out.trim().is_empty() && app.export.is_none();
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(tr(app.settings.language, "Export")),
                )
                .clicked()
            {
                command = Some(Command::Export(Request {
                    options: self.options(),
                    scope: self.scope.clone(),
                    out: PathBuf::from(self.out.trim()),
                }));
                close = true;
            }
            if ui.button(tr(app.settings.language, "Cancel")).clicked() {
                close = true;
            }
        });
        (command, close)
    }
}
