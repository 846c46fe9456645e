//! The find bar (Ctrl+F), under the label palette: the query in our Arabic text field, whether
//! clitics may come before the word, the count ("3 of 12"), Previous / Next (Enter and
//! Shift+Enter in the field), Label all… and Close (Esc). The matches are highlighted in the
//! document; the current one is the selection, so a label key labels it once the field lets
//! go of the keyboard.

use egui::Ui;

use super::MarsadApp;
use super::i18n::tr;
use crate::app::Command;
use crate::text::ArabicField;

/// What the bar remembers between frames.
#[derive(Default)]
pub struct FindBar {
    /// The query as typed (sent to the app when it changes).
    pub draft: String,
    /// The field is to take the keyboard (the bar just opened, or Enter stepped).
    pub focus: bool,
}

impl MarsadApp {
    /// Ctrl+F: the bar opens (or takes the keyboard again), with the selection's text as the
    /// query when something is selected.
    pub(super) fn open_find(&mut self) {
        let selected = self.app.selection.and_then(|r| {
            let doc = &self.app.session.as_ref()?.doc.document;
            doc.slice(r).map(str::to_owned)
        });
        let mut commands = vec![Command::FindOpen];
        if let Some(text) = selected {
            self.find_bar.draft = text.clone();
            let clitics = self.app.find.as_ref().is_none_or(|f| f.clitics);
            commands.push(Command::FindQuery {
                query: text,
                clitics,
            });
        }
        self.find_bar.focus = true;
        self.run(commands);
    }

    pub(super) fn find_bar(&mut self, ui: &mut Ui) {
        let Some(find) = &self.app.find else {
            return;
        };
        let lang = self.app.settings.language;
        let mut commands = Vec::new();
        let mut clitics = find.clitics;
        let count = match (find.current, find.matches.len()) {
            (_, 0) if find.query.trim().is_empty() => String::new(),
            (_, 0) => tr(lang, "no match").to_owned(),
            (Some(i), n) => format!("{} / {n}", i + 1),
            (None, n) => format!("{n} {}", tr(lang, "matches")),
        };
        let has_matches = !find.matches.is_empty();
        let from = self.view.caret;
        super::row(ui, lang, false, |ui| {
            let name = ui.label(tr(lang, "Find")).id;
            let field = ui
                .add(
                    ArabicField::singleline(&mut self.find_bar.draft)
                        .id_salt("find-query")
                        .hint("مالي، الجيش، 27…")
                        .width(260.0),
                )
                .labelled_by(name);
            if std::mem::take(&mut self.find_bar.focus) {
                field.request_focus();
            }
            let (enter, shift) = ui.input(|i| (i.key_pressed(egui::Key::Enter), i.modifiers.shift));
            if field.changed() {
                commands.push(Command::FindQuery {
                    query: self.find_bar.draft.clone(),
                    clitics,
                });
            }
            if field.lost_focus() && enter {
                commands.push(Command::FindStep {
                    forward: !shift,
                    from,
                });
                self.find_bar.focus = true;
            }
            if ui
                .checkbox(&mut clitics, tr(lang, "with و ف ب ل ك ال"))
                .on_hover_text("A leading و ف ب ل ك and/or ال may come before the word")
                .changed()
            {
                commands.push(Command::FindQuery {
                    query: self.find_bar.draft.clone(),
                    clitics,
                });
            }
            ui.label(count);
            if ui
                .add_enabled(has_matches, egui::Button::new(tr(lang, "Previous")))
                .on_hover_text("Shift+Enter")
                .clicked()
            {
                commands.push(Command::FindStep {
                    forward: false,
                    from,
                });
            }
            if ui
                .add_enabled(has_matches, egui::Button::new(tr(lang, "Next")))
                .on_hover_text("Enter")
                .clicked()
            {
                commands.push(Command::FindStep {
                    forward: true,
                    from,
                });
            }
            if ui
                .add_enabled(has_matches, egui::Button::new(tr(lang, "Label all…")))
                .on_hover_text("Label every match, here or in the whole folder, after a preview")
                .clicked()
            {
                self.open_label_all(None);
            }
            if ui.button(tr(lang, "Close")).on_hover_text("Esc").clicked() {
                commands.push(Command::FindClose);
            }
        });
        self.run(commands);
    }
}
