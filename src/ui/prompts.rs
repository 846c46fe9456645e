//! The questions and dialogs that sit above the window: unsaved changes, a file changed on
//! disk, work recovered after a crash, the export and import dialogs, and the coder's name.

use super::i18n::tr;
use super::{Chosen, MarsadApp, files};
use crate::app::{Command, Prompt};

impl MarsadApp {
    pub(super) fn prompts(&mut self, ctx: &egui::Context) {
        let mut commands = Vec::new();
        match &self.app.prompt {
            Some(Prompt::Unsaved { .. }) => {
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.heading(tr(self.app.settings.language, "Unsaved changes"));
                    ui.label("This document has changes that are not saved.");
                    ui.horizontal(|ui| {
                        if ui.button(tr(self.app.settings.language, "Save")).clicked() {
                            commands.push(Command::SaveThenContinue);
                        }
                        if ui
                            .button(tr(self.app.settings.language, "Discard changes"))
                            .clicked()
                        {
                            commands.push(Command::DiscardChanges);
                        }
                        if ui
                            .button(tr(self.app.settings.language, "Cancel"))
                            .clicked()
                        {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            Some(Prompt::Conflict { .. }) => {
                egui::Modal::new(egui::Id::unique("conflict")).show(ctx, |ui| {
                    ui.heading(tr(self.app.settings.language, "The file changed on disk"));
                    ui.label("Someone or something changed this file since you opened it. Overwrite it with your version?");
                    ui.horizontal(|ui| {
                        if ui.button(tr(self.app.settings.language, "Overwrite")).clicked() {
                            commands.push(Command::Overwrite);
                        }
                        if ui.button(tr(self.app.settings.language, "Cancel")).clicked() {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            Some(Prompt::Recovery { .. }) => {
                egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                    ui.heading(tr(self.app.settings.language, "Unsaved work found"));
                    ui.label("Marsad did not close properly last time. Restore the unsaved annotations of this document?");
                    ui.horizontal(|ui| {
                        if ui.button(tr(self.app.settings.language, "Restore")).clicked() {
                            commands.push(Command::RestoreRecovery);
                        }
                        if ui.button(tr(self.app.settings.language, "Discard")).clicked() {
                            commands.push(Command::DiscardRecovery);
                        }
                    });
                });
            }
            Some(Prompt::DeleteSpan { span, goes }) => {
                let lang = self.app.settings.language;
                egui::Modal::new(egui::Id::unique("delete-span")).show(ctx, |ui| {
                    ui.heading(tr(lang, "Delete this span?"));
                    ui.label(tr(lang, "These go with it:"));
                    for what in goes {
                        // In the line's own direction: an English description with an Arabic span text
                        // in it reads from the left.
                        ui.add(
                            crate::text::ArabicText::new(&format!("• {what}"))
                                .size(15.0, 22.0)
                                .direction(crate::text::Direction::Auto)
                                .fit(),
                        );
                    }
                    ui.horizontal(|ui| {
                        let delete = ui.button(tr(lang, "Delete them all"));
                        if delete.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                            commands.push(Command::DeleteSpanAnyway(span.clone()));
                        }
                        if ui.button(tr(lang, "Keep")).clicked()
                            || ui.input(|i| i.key_pressed(egui::Key::Escape))
                        {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            Some(Prompt::NextToReview { path, title }) => {
                egui::Modal::new(egui::Id::unique("next-to-review")).show(ctx, |ui| {
                    ui.heading(tr(
                        self.app.settings.language,
                        "Every difference here is decided",
                    ));
                    ui.label("The next document with undecided differences is:");
                    ui.add(crate::text::ArabicText::new(title).size(16.0, 24.0));
                    ui.horizontal(|ui| {
                        if ui
                            .button(tr(self.app.settings.language, "Open it"))
                            .clicked()
                        {
                            commands.push(Command::CancelPrompt);
                            commands.push(Command::Open(path.clone()));
                        }
                        if ui
                            .button(tr(self.app.settings.language, "Stay here"))
                            .clicked()
                        {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            None => {}
        }
        if let Some(choice) = &self.app.relation_choice {
            egui::Modal::new(egui::Id::unique("relation-kind")).show(ctx, |ui| {
                ui.heading("Which relation?");
                // A numbered list: a click or the number's key.
                for (i, kind) in choice.kinds.iter().enumerate() {
                    let key = egui::Key::from_name(&(i + 1).to_string());
                    let pressed = key.is_some_and(|k| {
                        ui.input_mut(|inp| inp.consume_key(egui::Modifiers::NONE, k))
                    });
                    if ui.button(format!("{}  {kind}", i + 1)).clicked() || pressed {
                        commands.push(Command::AddRelation {
                            from: choice.from.clone(),
                            to: choice.to.clone(),
                            kind: kind.clone(),
                        });
                    }
                }
                if ui.button("Cancel").on_hover_text("Esc").clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    commands.push(Command::CancelRelation);
                }
            });
        }
        if let Some(dialog) = &mut self.export_dialog {
            let mut result = (None, false);
            egui::Modal::new(egui::Id::unique("export-dialog")).show(ctx, |ui| {
                result = dialog.show(ui, &self.app);
            });
            let (command, close) = result;
            // The export starts at once: when it cannot (a target that cannot be made, an
            // export already running), the dialog stays open with its choices and the reason
            // below it. Closed, its choices are kept for the next time.
            let started = match command {
                Some(command) => {
                    self.app.apply(command);
                    self.app.error.is_none()
                }
                None => true,
            };
            if close && started {
                self.last_export = self.export_dialog.take();
            }
        }
        if let Some(d) = &mut self.export_dialog
            && std::mem::take(&mut d.choose)
        {
            let start = std::path::PathBuf::from(d.out.trim());
            self.choose(files::Purpose::ExportTarget, start, Chosen::ExportTarget);
        }
        if let Some(d) = &mut self.import_dialog
            && std::mem::take(&mut d.choose)
        {
            let start = match d.path.trim() {
                "" => self.start_folder(),
                p => std::path::PathBuf::from(p),
            };
            self.choose(files::Purpose::Predictions, start, Chosen::Predictions);
        }
        if let Some(d) = &mut self.corpus_dialog
            && std::mem::take(&mut d.choose)
        {
            let purpose = if d.format == crate::store::import::Format::Brat {
                files::Purpose::OpenFolder
            } else {
                files::Purpose::CorpusFile
            };
            let start = self.start_folder();
            self.choose(purpose, start, Chosen::CorpusInput);
        }
        // The file browser last, so that it is above the dialog that opened it.
        if let Some((browser, then)) = &mut self.browser {
            let then = *then;
            let mut outcome = None;
            egui::Modal::new(egui::Id::unique("file-browser")).show(ctx, |ui| {
                outcome = browser.show(ui);
            });
            match outcome {
                Some(files::Outcome::Picked(path)) => {
                    self.browser = None;
                    self.chosen(then, path);
                }
                Some(files::Outcome::Cancelled) => self.browser = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.corpus_dialog {
            let mut result = (None, false);
            egui::Modal::new(egui::Id::unique("corpus-dialog")).show(ctx, |ui| {
                result = dialog.show(ui, self.app.settings.language);
            });
            let (command, close) = result;
            commands.extend(command);
            if close {
                self.corpus_dialog = None;
            }
        }
        if let Some(dialog) = &mut self.import_dialog {
            let mut result = (None, false);
            egui::Modal::new(egui::Id::unique("import-dialog")).show(ctx, |ui| {
                result = dialog.show(ui, self.app.settings.language);
            });
            let (command, close) = result;
            commands.extend(command);
            if close {
                self.import_dialog = None;
            }
        }
        if self.show_settings {
            let known = self.app.known_coders();
            egui::Modal::new(egui::Id::unique("settings")).show(ctx, |ui| {
                let name = ui.heading(tr(self.app.settings.language, "Coder name")).id;
                let field = ui
                    .add(
                        crate::text::ArabicField::singleline(&mut self.coder_draft)
                            .id_salt("coder-name")
                            .width(280.0),
                    )
                    .labelled_by(name);
                // The field takes the keys as soon as the dialog opens.
                if self.coder_focus {
                    field.request_focus();
                    self.coder_focus = false;
                }
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if !known.is_empty() {
                    ui.label("Sets this folder already holds (click to take one):");
                    ui.horizontal_wrapped(|ui| {
                        for (coder, documents) in &known {
                            if ui
                                .selectable_label(
                                    *coder == self.coder_draft,
                                    format!("{coder} ({documents} documents)"),
                                )
                                .clicked()
                            {
                                self.coder_draft.clone_from(coder);
                            }
                        }
                    });
                }
                ui.horizontal(|ui| {
                    if ui
                        .button(tr(self.app.settings.language, "OK"))
                        .on_hover_text("Enter")
                        .clicked()
                        || enter
                    {
                        commands.push(Command::SetCoder(self.coder_draft.clone()));
                        self.show_settings = false;
                    }
                    if ui
                        .button(tr(self.app.settings.language, "Cancel"))
                        .on_hover_text("Esc")
                        .clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        self.show_settings = false;
                    }
                });
            });
        }
        self.run(commands);
    }
}
