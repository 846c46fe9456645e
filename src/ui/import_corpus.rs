//! File ▸ Import Corpus…: the format, what to import (files, or for brat one folder per
//! annotator, one per line), the new folder to write and the set's name where the input
//! names no annotator; Import hands it to the app, which writes the folder in the background
//! and opens it.

use egui::Ui;

use super::i18n::{Lang, tr};
use crate::app::Command;
use crate::app::import_corpus::Request;
use crate::store::import::Format;

/// The dialog's fields.
pub struct CorpusDialog {
    pub format: Format,
    /// One input per line.
    pub inputs: String,
    pub out: String,
    pub set: String,
    /// Choose… was pressed: the window opens a file (or folder) dialog for an input.
    pub choose: bool,
}

impl Default for CorpusDialog {
    fn default() -> Self {
        Self {
            format: Format::Brat,
            inputs: String::new(),
            out: String::new(),
            set: String::new(),
            choose: false,
        }
    }
}

const FORMATS: [(Format, &str); 8] = [
    (Format::Brat, "brat (folders of .txt + .ann)"),
    (Format::Doccano, "doccano JSONL"),
    (Format::LabelStudio, "Label Studio JSON"),
    (Format::Conll, "CoNLL (BIO)"),
    (Format::Wojood, "Wojood (nested CoNLL)"),
    (Format::Xmi, "INCEpTION / UIMA CAS XMI"),
    (Format::Spacy, "spaCy DocBin (.spacy)"),
    (Format::Jsonl, "Marsad JSONL"),
];

impl CorpusDialog {
    /// A chosen input joins the list; the first one names the new folder.
    pub fn chosen(&mut self, path: &std::path::Path) {
        if !self.inputs.trim().is_empty() {
            self.inputs.push('\n');
        }
        self.inputs.push_str(&path.display().to_string());
        if self.out.trim().is_empty() {
            let parent = path.parent().unwrap_or(path);
            self.out = parent.join("imported").display().to_string();
        }
    }

    /// Draws the dialog; returns the command to run, and whether to close.
    pub fn show(&mut self, ui: &mut Ui, lang: Lang) -> (Option<Command>, bool) {
        let (mut command, mut close) = (None, false);
        ui.heading(tr(lang, "Import a corpus"));
        egui::Grid::new("corpus-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let name = ui.label(tr(lang, "format")).id;
                let shown = FORMATS
                    .iter()
                    .find(|(f, _)| *f == self.format)
                    .map_or("", |(_, n)| *n);
                egui::ComboBox::from_id_salt("corpus-format")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (f, n) in FORMATS {
                            ui.selectable_value(&mut self.format, f, n);
                        }
                    })
                    .response
                    .labelled_by(name);
                ui.end_row();
            });
        // What to import: a field of its own, a line per input, under its label.
        let name = ui
            .horizontal(|ui| {
                let name = ui
                    .label(tr(lang, "input"))
                    .on_hover_text("One per line; for brat, one folder per annotator")
                    .id;
                if ui.button(tr(lang, "Choose…")).clicked() {
                    self.choose = true;
                }
                name
            })
            .inner;
        ui.add(
            egui::TextEdit::multiline(&mut self.inputs)
                .desired_rows(2)
                .desired_width(420.0),
        )
        .labelled_by(name);
        egui::Grid::new("corpus-out").num_columns(2).show(ui, |ui| {
            let name = ui
                .label(tr(lang, "new folder"))
                .on_hover_text(
                    "Written once, complete or not at all; an existing folder must be empty",
                )
                .id;
            ui.add(egui::TextEdit::singleline(&mut self.out).desired_width(320.0))
                .labelled_by(name);
            ui.end_row();
            let name = ui
                .label(tr(lang, "set name"))
                .on_hover_text(
                    "For inputs that name no annotator (brat folders are named after themselves)",
                )
                .id;
            ui.text_edit_singleline(&mut self.set).labelled_by(name);
            ui.end_row();
        });
        let inputs: Vec<std::path::PathBuf> = self
            .inputs
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(std::path::PathBuf::from)
            .collect();
        ui.horizontal(|ui| {
            let ready = !inputs.is_empty() && !self.out.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr(lang, "Import")))
                .clicked()
            {
                command = Some(Command::ImportCorpus(Request {
                    format: self.format,
                    inputs: inputs.clone(),
                    out: std::path::PathBuf::from(self.out.trim()),
                    set: Some(self.set.trim().to_owned()).filter(|s| !s.is_empty()),
                }));
                close = true;
            }
            if ui.button(tr(lang, "Cancel")).clicked() {
                close = true;
            }
        });
        (command, close)
    }
}
