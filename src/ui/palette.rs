//! The label palette above the text: one button per label (its key, name and colour, with the
//! Arabic name beside it), Trim proclitic, and who is coding.

use egui::{Color32, RichText, Ui};

use super::MarsadApp;
use super::i18n::{shown, tr, tr_logical};
use crate::app::Command;
use crate::text::ArabicText;

impl MarsadApp {
    pub(super) fn palette(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        let lang = self.app.settings.language;
        super::row(ui, lang, true, |ui| {
            for label in &self.app.schema().labels {
                let color = self.palette.color(&label.name);
                let button = egui::Button::new(
                    RichText::new(format!("{}  {}", label.key, label.name))
                        .strong()
                        .color(Color32::WHITE),
                )
                .fill(color);
                let hint = format!(
                    "{} — key {}: make the selection a {} span, or relabel the selected span\n{}",
                    label.name, label.key, label.name, label.description
                );
                if ui.add(button).on_hover_text(hint).clicked() {
                    commands.push(Command::Label(label.name.clone()));
                }
                ui.add(ArabicText::new(&label.name_ar).size(16.0, 24.0).width(48.0));
                ui.add_space(8.0);
            }
            ui.separator();
            if ui
                .button(tr(lang, "Trim proclitic"))
                .on_hover_text("T: remove a leading و ف ب ل ك (only when you ask)")
                .clicked()
            {
                commands.push(Command::TrimProclitic);
            }
            ui.label(shown(
                lang,
                format!("{}: {}", tr_logical(lang, "coder"), self.app.settings.coder),
            ));
        });
        self.run(commands);
    }
}
