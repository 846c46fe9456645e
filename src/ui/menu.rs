//! The menu bar (File, Edit, View, Settings), every item with its shortcut shown, and the
//! file dialogs it opens (the system's, or our own browser when no portal answers, see
//! [`super::files`]). Every dialog's action is also reachable with a path (command line, drag
//! and drop, recent files).

use egui::Ui;

use super::i18n::{Lang, lang_name, tr};
use super::{Chosen, MarsadApp, files, import, keys, theme};
use crate::app::Command;

impl MarsadApp {
    pub(super) fn open_dialog(&mut self) {
        let start = self.start_folder();
        self.choose(files::Purpose::OpenDocument, start, Chosen::Open);
    }

    fn save_as_dialog(&mut self) {
        let start = match &self.app.session {
            Some(s) => s.path.clone(),
            None => self.start_folder().join("document.json"),
        };
        self.choose(files::Purpose::SaveAs, start, Chosen::SaveAs);
    }

    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        let lang = self.app.settings.language;
        egui::MenuBar::new().ui(ui, |ui| {
            // An Arabic interface runs from the right.
            super::row(ui, lang, false, |ui| {
            ui.menu_button(tr(lang, "File"), |ui| {
                if ui
                    .add(egui::Button::new(tr(lang, "Open…")).shortcut_text(ui.ctx().format_shortcut(&keys::OPEN)))
                    .clicked()
                {
                    self.open_dialog();
                }
                if ui
                    .button(tr(lang, "Open Folder…"))
                    .on_hover_text("Work through a folder of documents")
                    .clicked()
                {
                    let start = self.start_folder();
                    self.choose(files::Purpose::OpenFolder, start, Chosen::Open);
                }
                ui.menu_button(tr(lang, "Open Recent"), |ui| {
                    for path in self.app.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::Open(path));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new(tr(lang, "Save")).shortcut_text(ui.ctx().format_shortcut(&keys::SAVE)))
                    .clicked()
                {
                    commands.push(Command::Save);
                }
                if ui.button(tr(lang, "Save As…")).clicked() {
                    self.save_as_dialog();
                }
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Export…"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::EXPORT)),
                    )
                    .on_hover_text("Training data (JSONL, spaCy, CoNLL, brat, doccano, Label Studio) or ACLED-like event rows")
                    .clicked()
                {
                    self.open_export_dialog();
                }
                if ui
                    .button(tr(lang, "Import Predictions…"))
                    .on_hover_text("A model's output (Hugging Face, spaCy, LangExtract, Marsad) as a set to review")
                    .clicked()
                {
                    self.import_dialog = Some(import::ImportDialog::default());
                }
                if ui
                    .button(tr(lang, "Import Corpus…"))
                    .on_hover_text("A team's annotations from brat, doccano, Label Studio, CoNLL or Wojood, as a new folder")
                    .clicked()
                {
                    self.corpus_dialog = Some(super::import_corpus::CorpusDialog::default());
                }
                ui.separator();
                if ui
                    .add_enabled(self.app.sync.is_none(), egui::Button::new(tr(lang, "Sync")))
                    .on_hover_text(
                        "git: commit your saved work, pull the team's (merged by Marsad), push",
                    )
                    .clicked()
                {
                    commands.push(Command::Sync);
                }
                ui.separator();
                if ui.button(tr(lang, "Quit")).clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button(tr(lang, "Edit"), |ui| {
                let can_undo = self
                    .app
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history.can_undo());
                let can_redo = self
                    .app
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history.can_redo());
                if ui
                    .add_enabled(
                        can_undo,
                        egui::Button::new(tr(lang, "Undo")).shortcut_text(ui.ctx().format_shortcut(&keys::UNDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
                if ui
                    .add_enabled(
                        can_redo,
                        egui::Button::new(tr(lang, "Redo")).shortcut_text(ui.ctx().format_shortcut(&keys::REDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Redo);
                }
                ui.separator();
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Find…"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::FIND)),
                    )
                    .clicked()
                {
                    self.open_find();
                }
                if ui
                    .add_enabled(
                        self.app.selected_span.is_some(),
                        egui::Button::new(tr(lang, "Label all like this…"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::LABEL_ALL)),
                    )
                    .on_hover_text("Every place the selected span's words occur, after a preview")
                    .clicked()
                {
                    self.open_label_all(self.app.selected_span.clone());
                }
                if let Some(w) = &self.app.label_all_written {
                    let n = w.files.len();
                    if ui
                        .button(format!("{} ({n})", tr(lang, "Undo label all")))
                        .on_hover_text("Put back the other documents the last label-all wrote")
                        .clicked()
                    {
                        commands.push(Command::UndoLabelAll);
                    }
                }
                if self.app.corpus_events.merged.is_some()
                    && ui
                        .button(tr(lang, "Undo merge of events"))
                        .on_hover_text("Put back the two corpus events the last merge made one")
                        .clicked()
                {
                    commands.push(Command::UndoMergeEvents);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        self.app.session.is_some(),
                        egui::Button::new(tr(lang, "Mark done"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::MARK_DONE)),
                    )
                    .on_hover_text("Done, saved, and on to the next document not done")
                    .clicked()
                {
                    commands.push(Command::MarkDone);
                }
                let mut next = self.app.settings.next_after_done;
                if ui
                    .checkbox(&mut next, tr(lang, "Mark done opens the next document"))
                    .changed()
                {
                    self.app.settings.next_after_done = next;
                }
                ui.separator();
                if ui
                    .add(egui::Button::new(tr(lang, "Delete span")).shortcut_text("Del"))
                    .clicked()
                {
                    commands.push(Command::DeleteSpan);
                }
                if ui
                    .add(egui::Button::new(tr(lang, "New event")).shortcut_text("E"))
                    .on_hover_text("An event in your set; link spans to it in the Events tab")
                    .clicked()
                {
                    commands.push(Command::NewEvent);
                }
                if ui
                    .add_enabled(
                        self.app.linking.is_some(),
                        egui::Button::new(tr(lang, "Stop linking")).shortcut_text("Esc"),
                    )
                    .clicked()
                {
                    commands.push(Command::LinkRole(None));
                }
                if ui
                    .add(egui::Button::new(tr(lang, "Trim proclitic")).shortcut_text("T"))
                    .on_hover_text(
                        "Remove a leading و ف ب ل ك from the selection or the selected span",
                    )
                    .clicked()
                {
                    commands.push(Command::TrimProclitic);
                }
            });
            ui.menu_button(tr(lang, "View"), |ui| {
                for (tab, name, keys) in keys::TABS {
                    if ui
                        .add(
                            egui::Button::selectable(self.tab == tab, tr(lang, name))
                                .shortcut_text(ui.ctx().format_shortcut(&keys)),
                        )
                        .clicked()
                    {
                        self.tab = tab;
                        ui.close();
                    }
                }
                ui.separator();
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Zoom in"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_IN)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomIn);
                }
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Zoom out"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_OUT)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomOut);
                }
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Actual size"))
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_RESET)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomReset);
                }
                ui.separator();
                if ui
                    .checkbox(&mut self.app.settings.dark, tr(lang, "Dark theme"))
                    .changed()
                {
                    ui.ctx().set_visuals(theme::visuals(self.app.settings.dark));
                }
                ui.checkbox(&mut self.app.settings.show_relations, tr(lang, "Show relations"))
                    .on_hover_text("Each relation as an arc over the text, named by its kind");
                let mut suggest = self.app.settings.suggest;
                if ui
                    .checkbox(&mut suggest, tr(lang, "Suggestions"))
                    .on_hover_text(
                        "Propose what you already labelled where it occurs again (dashed): \
                         Enter or a click accepts, Backspace rejects",
                    )
                    .changed()
                {
                    commands.push(Command::ShowSuggestions(suggest));
                }
                ui.checkbox(&mut self.app.settings.show_tags, tr(lang, "Show label tags"))
                    .on_hover_text("Each span's label over its first word (at zoom 100 % and more)");
                ui.checkbox(&mut self.app.settings.show_controls, tr(lang, "Show bidi controls"))
                    .on_hover_text(
                        "Mark the invisible characters that reorder text (RLO, LRI, RLM…): \
                         a text can hide its real order behind them",
                    );
            });
            ui.menu_button(tr(lang, "Settings"), |ui| {
                if ui.button(tr(lang, "Coder name…")).clicked() {
                    self.coder_draft = self.app.settings.coder.clone();
                    self.show_settings = true;
                    self.coder_focus = true;
                }
                ui.menu_button(tr(lang, "Language"), |ui| {
                    for choice in [Lang::En, Lang::Ar] {
                        if ui
                            .selectable_label(self.app.settings.language == choice, lang_name(choice))
                            .clicked()
                        {
                            self.app.settings.language = choice;
                            ui.close();
                        }
                    }
                });
            });
            });
        });
        self.run(commands);
    }
}
