//! The corpus navigator on the left: the folder's documents with title, status and span count
//! for the current coder (and whom it is assigned to, and its merge conflicts), how many are
//! done, Previous / Next / Next not done / Mark done, a filter (assigned to me, done, needing
//! review), and how far the background reading of the folder has got.

use super::i18n::tr;
use egui::{Color32, Ui};

use super::MarsadApp;
use crate::app::Command;
use crate::app::team::NavFilter;
use crate::model::Status;
use crate::text::ArabicText;

impl MarsadApp {
    /// The corpus navigator: each document with its title, status and span count.
    pub(super) fn navigator(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        let Some(corpus) = &self.app.corpus else {
            return;
        };
        let current = self.app.corpus_index();
        ui.strong(
            corpus
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let done = corpus
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Done | Status::Reviewed))
            .count();
        ui.label(format!("{done} of {} done", corpus.entries.len()));
        if let Some((read, total)) = corpus.loading() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.small(format!("reading the folder: {read} of {total} documents"));
            });
        }
        ui.horizontal(|ui| {
            if ui
                .button(tr(self.app.settings.language, "Previous"))
                .on_hover_text("Alt+Up")
                .clicked()
            {
                commands.push(Command::PreviousDocument);
            }
            if ui
                .button(tr(self.app.settings.language, "Next"))
                .on_hover_text("Alt+Down")
                .clicked()
            {
                commands.push(Command::NextDocument);
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button(tr(self.app.settings.language, "Next not done"))
                .clicked()
            {
                commands.push(Command::NextNotDone);
            }
            let done = self
                .app
                .set()
                .is_some_and(|s| matches!(s.status, Status::Done | Status::Reviewed));
            if done {
                if ui
                    .button(tr(self.app.settings.language, "Mark not done"))
                    .on_hover_text("Back to in progress")
                    .clicked()
                {
                    commands.push(Command::SetStatus(Status::InProgress));
                }
            } else if ui
                .button(tr(self.app.settings.language, "Mark done"))
                .on_hover_text("Ctrl+Enter: done, saved, and on to the next document not done")
                .clicked()
            {
                commands.push(Command::MarkDone);
            }
        });
        let mut by_queue = corpus.by_queue();
        if ui
            .checkbox(
                &mut by_queue,
                tr(self.app.settings.language, "Sort by review queue"),
            )
            .on_hover_text("Documents with the most disagreement (lowest F1) first")
            .changed()
        {
            commands.push(Command::SortByQueue(by_queue));
        }
        let lang = self.app.settings.language;
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Show")).id;
            egui::ComboBox::from_id_salt("navigator-filter")
                .selected_text(tr(lang, corpus.filter.name()))
                .show_ui(ui, |ui| {
                    for f in NavFilter::ALL {
                        if ui
                            .selectable_label(f == corpus.filter, tr(lang, f.name()))
                            .clicked()
                        {
                            commands.push(Command::FilterNavigator(f));
                        }
                    }
                })
                .response
                .labelled_by(label);
        });
        ui.separator();
        if corpus.order().is_empty() {
            ui.label(tr(lang, "No document matches"));
        }
        egui::ScrollArea::vertical()
            .id_salt("corpus")
            .show(ui, |ui| {
                for &i in corpus.order() {
                    let entry = &corpus.entries[i];
                    let status = entry.status.name();
                    let fill = if Some(i) == current {
                        ui.visuals().selection.bg_fill
                    } else {
                        Color32::TRANSPARENT
                    };
                    let r = egui::Frame::new()
                        .inner_margin(4.0)
                        .fill(fill)
                        .show(ui, |ui| {
                            ui.add(ArabicText::new(&entry.title).size(16.0, 24.0));
                            match &entry.error {
                                Some(e) => {
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        "cannot be opened",
                                    )
                                    .on_hover_text(e);
                                }
                                None if !entry.loaded => {
                                    ui.small("not read yet");
                                }
                                None => {
                                    ui.small(format!("{status} · {} spans", entry.spans));
                                    let assignees = corpus.assignees(i);
                                    if corpus.is_mine(i) {
                                        ui.small("assigned to you");
                                    } else if !assignees.is_empty() {
                                        ui.small(format!("assigned to {}", assignees.join(", ")));
                                    }
                                    if entry.conflicts > 0 {
                                        ui.colored_label(
                                            ui.visuals().warn_fg_color,
                                            format!("{} merge conflict(s)", entry.conflicts),
                                        );
                                    }
                                    if let Some(q) = &entry.review {
                                        ui.small(format!(
                                            "review: F1 {:.2} · {} of {} undecided",
                                            q.f1,
                                            q.undecided(),
                                            q.differences
                                        ));
                                    }
                                }
                            }
                        });
                    if r.response.interact(egui::Sense::click()).clicked() {
                        commands.push(Command::Open(entry.path.clone()));
                    }
                }
            });
        self.run(commands);
    }
}
