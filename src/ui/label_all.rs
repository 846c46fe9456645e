//! The label-all preview: the label and where to look (this document or the whole folder),
//! every match with its context and a checkbox (an identical span already there is shown
//! greyed, never made twice), then "Label N". Opened from the find bar or with Ctrl+L on a
//! span ("label all like this": its text, label and attributes).

use egui::RichText;

use super::MarsadApp;
use super::i18n::tr;
use crate::app::Command;
use crate::app::label_all::{LabelAll, Scope};
use crate::text::ArabicText;

impl MarsadApp {
    /// Opens the preview: for the span `like` (its text, label and attributes), or for the
    /// find bar's query with the first label.
    pub(super) fn open_label_all(&mut self, like: Option<String>) {
        let span = like.and_then(|id| self.app.set().and_then(|s| s.span(&id)).cloned());
        let (query, clitics, label, attrs) = match (&span, &self.app.find) {
            (Some(s), find) => (
                s.text.clone(),
                find.as_ref().is_none_or(|f| f.clitics),
                s.label.clone(),
                s.attrs.clone(),
            ),
            (None, Some(f)) => (
                f.query.clone(),
                f.clitics,
                self.app
                    .schema()
                    .labels
                    .first()
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
                Default::default(),
            ),
            (None, None) => return,
        };
        self.run(vec![Command::LabelAllPreview(LabelAll {
            query,
            clitics,
            label,
            attrs,
            scope: Scope::Document,
            candidates: Vec::new(),
        })]);
    }

    pub(super) fn label_all_dialog(&mut self, ctx: &egui::Context) {
        let Some(preview) = self.app.label_all.clone() else {
            return;
        };
        let lang = self.app.settings.language;
        let labels: Vec<String> = self
            .app
            .schema()
            .labels
            .iter()
            .map(|l| l.name.clone())
            .collect();
        let has_folder = self.app.corpus.is_some();
        let mut commands = Vec::new();
        egui::Modal::new(egui::Id::unique("label-all")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(tr(lang, "Label all matches"));
            ui.add(ArabicText::new(&preview.query).size(18.0, 26.0));
            let again = |p: LabelAll| Command::LabelAllPreview(p);
            ui.horizontal(|ui| {
                let name = ui.label(tr(lang, "Label")).id;
                let mut label = preview.label.clone();
                egui::ComboBox::from_id_salt("label-all-label")
                    .selected_text(&label)
                    .show_ui(ui, |ui| {
                        for l in &labels {
                            ui.selectable_value(&mut label, l.clone(), l);
                        }
                    })
                    .response
                    .labelled_by(name);
                if label != preview.label {
                    commands.push(again(LabelAll {
                        label,
                        ..preview.clone()
                    }));
                }
                let mut scope = preview.scope;
                ui.radio_value(&mut scope, Scope::Document, tr(lang, "This document"));
                ui.add_enabled_ui(has_folder, |ui| {
                    ui.radio_value(&mut scope, Scope::Folder, tr(lang, "Whole folder"))
                        .on_disabled_hover_text("Open a folder to label across it");
                });
                if scope != preview.scope {
                    commands.push(again(LabelAll {
                        scope,
                        ..preview.clone()
                    }));
                }
            });
            let chosen = preview
                .candidates
                .iter()
                .filter(|c| c.checked && !c.exists)
                .count();
            ui.label(format!(
                "{} {}, {chosen} {}",
                preview.candidates.len(),
                tr(lang, "matches"),
                tr(lang, "to label")
            ));
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (i, c) in preview.candidates.iter().enumerate() {
                        ui.horizontal(|ui| {
                            let mut on = c.checked;
                            let name = format!("match {}", i + 1);
                            let check = ui.add_enabled(
                                !c.exists,
                                egui::Checkbox::new(&mut on, format!("#{}", i + 1)),
                            );
                            let check = check.on_hover_text(if c.exists {
                                "already labelled so".to_owned()
                            } else {
                                name
                            });
                            if check.changed() {
                                commands.push(Command::LabelAllCheck { index: i, on });
                            }
                            if c.path.is_some() {
                                ui.label(RichText::new(&c.title).small());
                            }
                            let (before, word, after) = &c.context;
                            let line = format!("…{before}«{word}»{after}…");
                            ui.add(ArabicText::new(&line).size(15.0, 22.0).width(440.0));
                        });
                    }
                });
            ui.horizontal(|ui| {
                let go = format!("{} {chosen}", tr(lang, "Label"));
                if ui.add_enabled(chosen > 0, egui::Button::new(go)).clicked() {
                    commands.push(Command::LabelAllApply);
                }
                if ui.button(tr(lang, "Cancel")).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    commands.push(Command::LabelAllCancel);
                }
            });
        });
        self.run(commands);
    }
}
