//! The merge-conflict bar above the text: when a git merge left conflicts in the open
//! document, each one with this side's version and the other side's in words, and a button to
//! keep mine or take theirs (or all of them at once); a click on the row shows its span.

use egui::{RichText, Ui};

use super::i18n::{Lang, shown, tr};
use super::{MarsadApp, row};
use crate::app::Command;
use crate::text::{ArabicText, Direction};

impl MarsadApp {
    pub(super) fn conflict_bar(&mut self, ui: &mut Ui) {
        let conflicts = self.app.conflicts();
        let lang = self.app.settings.language;
        let mut commands = Vec::new();
        let heading = match lang {
            Lang::En => format!(
                "{} merge conflict(s): both versions are kept until you choose",
                conflicts.len()
            ),
            Lang::Ar => shown(
                lang,
                format!(
                    "تعارضات دمج: {}، النسختان محفوظتان حتى تختار",
                    conflicts.len()
                ),
            ),
        };
        row(ui, lang, false, |ui| {
            ui.label(
                RichText::new(heading)
                    .color(ui.visuals().warn_fg_color)
                    .strong(),
            );
            if ui
                .button(tr(lang, "Keep all mine"))
                .on_hover_text("This clone's version of every item in conflict")
                .clicked()
            {
                commands.push(Command::ResolveAllConflicts { theirs: false });
            }
            if ui
                .button(tr(lang, "Take all theirs"))
                .on_hover_text("The other clone's version of every item in conflict")
                .clicked()
            {
                commands.push(Command::ResolveAllConflicts { theirs: true });
            }
        });
        egui::ScrollArea::vertical()
            .id_salt("conflicts")
            .max_height(180.0)
            .show(ui, |ui| {
                for c in &conflicts {
                    row(ui, lang, false, |ui| {
                        if ui
                            .link(&c.what)
                            .on_hover_text("Show it in the text")
                            .clicked()
                            && let Some(at) = c.at
                        {
                            self.view.scroll_to = Some(at);
                        }
                        if ui
                            .button(tr(lang, "Keep mine"))
                            .on_hover_text(format!("Keep this clone's {}", c.what))
                            .clicked()
                        {
                            commands.push(Command::ResolveConflict {
                                set: c.set.clone(),
                                index: c.index,
                                theirs: false,
                            });
                        }
                        if ui
                            .button(tr(lang, "Take theirs"))
                            .on_hover_text(format!("Take the other clone's {}", c.what))
                            .clicked()
                        {
                            commands.push(Command::ResolveConflict {
                                set: c.set.clone(),
                                index: c.index,
                                theirs: true,
                            });
                        }
                    });
                    // Span texts and notes are Arabic among Latin names: our engine lays each
                    // line out in its own direction.
                    let (mine, theirs, dir) = match lang {
                        Lang::En => ("mine", "theirs", Direction::Ltr),
                        Lang::Ar => ("نسختي", "نسختهم", Direction::Rtl),
                    };
                    for line in [
                        format!("{mine}: {}", c.mine),
                        format!("{theirs}: {}", c.theirs),
                    ] {
                        ui.add(ArabicText::new(&line).size(14.0, 21.0).direction(dir));
                    }
                    ui.add_space(4.0);
                }
            });
        self.run(commands);
    }
}
