//! File ▸ Import Predictions…: which file, its format, the model's name and version, the label
//! map and the offset unit; Import hands it to the app as one command.

use super::i18n::{Lang, tr};
use egui::Ui;

use crate::app::Command;
use crate::offsets::Unit;
use crate::store::predictions::{Format, Options};

/// File ▸ Import Predictions…: which file, its format, the model's name and version, the label
/// map and the offset unit.
pub struct ImportDialog {
    pub path: String,
    pub format: Format,
    pub model: String,
    pub version: String,
    pub map: String,
    pub utf16: bool,
    /// Leave out a Hugging Face prediction whose word differs from the text.
    pub strict: bool,
    /// Choose… was pressed: the window opens a file dialog for the path.
    pub choose: bool,
}

impl Default for ImportDialog {
    fn default() -> Self {
        Self {
            path: String::new(),
            format: Format::Hf,
            model: "model".to_owned(),
            version: String::new(),
            map: String::new(),
            utf16: false,
            strict: false,
            choose: false,
        }
    }
}

impl ImportDialog {
    /// The file chosen for the path; the model is named after it.
    pub fn chosen(&mut self, path: &std::path::Path) {
        self.path = path.display().to_string();
        if let Some(stem) = path.file_stem() {
            self.model = stem.to_string_lossy().into_owned();
        }
    }

    /// Draws the dialog; returns the command to run, and whether to close.
    pub fn show(&mut self, ui: &mut Ui, lang: Lang) -> (Option<Command>, bool) {
        let (mut command, mut close) = (None, false);
        ui.heading(tr(lang, "Import predictions"));
        egui::Grid::new("import-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let name = ui.label(tr(lang, "predictions file")).id;
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(320.0))
                        .labelled_by(name);
                    if ui.button(tr(lang, "Choose…")).clicked() {
                        self.choose = true;
                    }
                });
                ui.end_row();
                let name = ui.label(tr(lang, "prediction format")).id;
                let names = [
                    (Format::Hf, "hf (Hugging Face pipeline)"),
                    (Format::Spacy, "spacy"),
                    (Format::Langextract, "langextract"),
                    (Format::Marsad, "marsad"),
                ];
                let shown = names
                    .iter()
                    .find(|(f, _)| *f == self.format)
                    .map_or("", |(_, n)| *n);
                egui::ComboBox::from_id_salt("import-format")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (f, n) in names {
                            ui.selectable_value(&mut self.format, f, n);
                        }
                    })
                    .response
                    .labelled_by(name);
                ui.end_row();
                let name = ui.label(tr(lang, "model name")).id;
                ui.text_edit_singleline(&mut self.model).labelled_by(name);
                ui.end_row();
                let name = ui.label(tr(lang, "model version")).id;
                ui.text_edit_singleline(&mut self.version).labelled_by(name);
                ui.end_row();
                let name = ui
                    .label(tr(lang, "label map"))
                    .on_hover_text(
                        "FROM=TO,… after the default PER/ORG/NORP → ACTOR, LOC/GPE/FAC → PLACE",
                    )
                    .id;
                ui.text_edit_singleline(&mut self.map).labelled_by(name);
                ui.end_row();
                ui.label(tr(lang, "offsets"));
                ui.checkbox(&mut self.utf16, "UTF-16 units (JavaScript tools)");
                ui.end_row();
                ui.label(tr(lang, "words"));
                ui.checkbox(
                    &mut self.strict,
                    "leave out a prediction whose word is not the text's",
                )
                .on_hover_text(
                    "By default a tokenizer's word that differs from the text (after \
                         spaces, sub-word marks, harakat and letter forms) is taken by its \
                         offsets, with a note",
                );
                ui.end_row();
            });
        ui.horizontal(|ui| {
            let ready = !self.path.trim().is_empty() && !self.model.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr(lang, "Import")))
                .clicked()
            {
                let mut options = Options::new(self.format, self.model.trim());
                options.version = Some(self.version.trim().to_owned()).filter(|v| !v.is_empty());
                options.strict = self.strict;
                if self.utf16 {
                    options.offsets = Unit::Utf16;
                }
                for pair in self.map.split(',') {
                    if let Some((from, to)) = pair.split_once('=') {
                        options
                            .map
                            .insert(from.trim().to_owned(), to.trim().to_owned());
                    }
                }
                command = Some(Command::ImportPredictions {
                    path: std::path::PathBuf::from(self.path.trim()),
                    options,
                });
                close = true;
            }
            if ui.button(tr(lang, "Cancel")).clicked() {
                close = true;
            }
        });
        (command, close)
    }
}
