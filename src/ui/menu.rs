//! The menu bar (File, Edit, View, Settings), every item with its shortcut shown, and the
//! file dialogs it opens (the system's, or our own browser when no portal answers, see
//! [`super::files`]). Every dialog's action is also reachable with a path (command line, drag
//! and drop, recent files).

use egui::Ui;

use super::{Chosen, MarsadApp, files, import, keys, theme};
use crate::app::Command;
use crate::model::Status;

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
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(ui.ctx().format_shortcut(&keys::OPEN)))
                    .clicked()
                {
                    self.open_dialog();
                }
                if ui
                    .button("Open Folder…")
                    .on_hover_text("Work through a folder of documents")
                    .clicked()
                {
                    let start = self.start_folder();
                    self.choose(files::Purpose::OpenFolder, start, Chosen::Open);
                }
                ui.menu_button("Open Recent", |ui| {
                    for path in self.app.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::Open(path));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text(ui.ctx().format_shortcut(&keys::SAVE)))
                    .clicked()
                {
                    commands.push(Command::Save);
                }
                if ui.button("Save As…").clicked() {
                    self.save_as_dialog();
                }
                if ui
                    .add(
                        egui::Button::new("Export…")
                            .shortcut_text(ui.ctx().format_shortcut(&keys::EXPORT)),
                    )
                    .on_hover_text("Training data (JSONL, spaCy, CoNLL, brat, doccano, Label Studio) or ACLED-like event rows")
                    .clicked()
                {
                    self.open_export_dialog();
                }
                if ui
                    .button("Import Predictions…")
                    .on_hover_text("A model's output (Hugging Face, spaCy, LangExtract, Marsad) as a set to review")
                    .clicked()
                {
                    self.import_dialog = Some(import::ImportDialog::default());
                }
                ui.separator();
                if ui.button("Mark document done").clicked() {
                    commands.push(Command::SetStatus(Status::Done));
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
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
                        egui::Button::new("Undo").shortcut_text(ui.ctx().format_shortcut(&keys::UNDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
                if ui
                    .add_enabled(
                        can_redo,
                        egui::Button::new("Redo").shortcut_text(ui.ctx().format_shortcut(&keys::REDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Redo);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        self.app.session.is_some(),
                        egui::Button::new("Mark done")
                            .shortcut_text(ui.ctx().format_shortcut(&keys::MARK_DONE)),
                    )
                    .on_hover_text("Done, saved, and on to the next document not done")
                    .clicked()
                {
                    commands.push(Command::MarkDone);
                }
                let mut next = self.app.settings.next_after_done;
                if ui
                    .checkbox(&mut next, "Mark done opens the next document")
                    .changed()
                {
                    self.app.settings.next_after_done = next;
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Delete span").shortcut_text("Del"))
                    .clicked()
                {
                    commands.push(Command::DeleteSpan);
                }
                if ui
                    .add(egui::Button::new("New event").shortcut_text("E"))
                    .on_hover_text("An event in your set; link spans to it in the Events tab")
                    .clicked()
                {
                    commands.push(Command::NewEvent);
                }
                if ui
                    .add_enabled(
                        self.app.linking.is_some(),
                        egui::Button::new("Stop linking").shortcut_text("Esc"),
                    )
                    .clicked()
                {
                    commands.push(Command::LinkRole(None));
                }
                if ui
                    .add(egui::Button::new("Trim proclitic").shortcut_text("T"))
                    .on_hover_text(
                        "Remove a leading و ف ب ل ك from the selection or the selected span",
                    )
                    .clicked()
                {
                    commands.push(Command::TrimProclitic);
                }
            });
            ui.menu_button("View", |ui| {
                for (tab, name, keys) in keys::TABS {
                    if ui
                        .add(
                            egui::Button::selectable(self.tab == tab, name)
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
                        egui::Button::new("Zoom in")
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_IN)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomIn);
                }
                if ui
                    .add(
                        egui::Button::new("Zoom out")
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_OUT)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomOut);
                }
                if ui
                    .add(
                        egui::Button::new("Actual size")
                            .shortcut_text(ui.ctx().format_shortcut(&keys::ZOOM_RESET)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomReset);
                }
                ui.separator();
                if ui
                    .checkbox(&mut self.app.settings.dark, "Dark theme")
                    .changed()
                {
                    ui.ctx().set_visuals(theme::visuals(self.app.settings.dark));
                }
                ui.checkbox(&mut self.app.settings.show_tags, "Show label tags")
                    .on_hover_text("Each span's label over its first word (at zoom 100 % and more)");
                ui.checkbox(&mut self.app.settings.show_controls, "Show bidi controls")
                    .on_hover_text(
                        "Mark the invisible characters that reorder text (RLO, LRI, RLM…): \
                         a text can hide its real order behind them",
                    );
            });
            ui.menu_button("Settings", |ui| {
                if ui.button("Coder name…").clicked() {
                    self.coder_draft = self.app.settings.coder.clone();
                    self.show_settings = true;
                    self.coder_focus = true;
                }
            });
        });
        self.run(commands);
    }
}
