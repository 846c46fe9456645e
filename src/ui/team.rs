//! The Team tab: where the team stands over the open folder — per coder assigned, in progress,
//! done and time (a table and a stacked bar chart), the documents ready for agreement, those
//! needing adjudication and those with merge conflicts, each a click away. Worked out once per
//! change of the folder's entries, never per frame.

use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::MarsadApp;
use super::i18n::{Lang, shown, tr, tr_logical};
use crate::app::Command;
use crate::review::team::{Progress, Stage, duration};

/// The progress last worked out, and the folder revision it is of.
pub type Cache = Option<(u64, Progress)>;

impl MarsadApp {
    pub(super) fn team_tab(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let lang = self.app.settings.language;
        let Some(corpus) = &self.app.corpus else {
            ui.label("Open a folder to see where the team stands.");
            return commands;
        };
        let revision = corpus.revision();
        if self.team_cache.as_ref().is_none_or(|(r, _)| *r != revision) {
            self.team_cache = self.app.team_progress().map(|p| (revision, p));
        }
        let Some((_, progress)) = &self.team_cache else {
            return commands;
        };
        match self.app.team() {
            Some(team) => {
                let m = &team.manifest;
                let ar = lang == Lang::Ar;
                let mut about = if ar {
                    format!("{} مرمّزين، {} لكل مستند", m.coders.len(), m.per_document)
                } else {
                    format!(
                        "{} coder(s), {} per document",
                        m.coders.len(),
                        m.per_document
                    )
                };
                if m.blind {
                    about.push_str(if ar {
                        " · ترميز أعمى"
                    } else {
                        " · blind coding"
                    });
                }
                if let Some(lead) = &m.adjudicator {
                    let name = if ar { "المحكّم" } else { "adjudicator" };
                    about.push_str(&format!(" · {name}: {lead}"));
                }
                ui.label(shown(lang, about));
            }
            None => {
                ui.label("No team manifest: documents are open to anyone.")
                    .on_hover_text("marsad team assign FOLDER --coders a,b,c --per-document 2");
            }
        }
        if let Some((read, total)) = corpus.loading() {
            ui.small(format!("{read} of {total} documents read so far"));
        }
        egui::Grid::new("team-progress")
            .striped(true)
            .show(ui, |ui| {
                for h in ["coder", "assigned", "in progress", "done", "time"] {
                    ui.strong(tr(lang, h));
                }
                ui.end_row();
                for (coder, p) in &progress.coders {
                    ui.label(coder);
                    ui.label(p.assigned.to_string());
                    ui.label(p.in_progress.to_string());
                    ui.label(p.done.to_string());
                    ui.label(duration(p.seconds));
                    ui.end_row();
                }
            });
        chart(ui, progress, lang);
        let ready = progress
            .documents
            .iter()
            .filter(|d| d.stage.ready_for_agreement())
            .count();
        let total = progress.documents.len();
        ui.label(match lang {
            Lang::En => format!("{ready} of {total} document(s) ready for agreement"),
            Lang::Ar => shown(
                lang,
                format!("{ready} من {total} مستندات جاهزة لقياس الاتفاق"),
            ),
        });
        // A list of documents under its heading and count, each a click away.
        let mut open = |ui: &mut Ui, heading: &'static str, paths: Vec<&str>| {
            if paths.is_empty() {
                return;
            }
            let heading = format!("{} ({})", tr_logical(lang, heading), paths.len());
            egui::CollapsingHeader::new(shown(lang, heading))
                .default_open(true)
                .show(ui, |ui| {
                    for path in paths {
                        if ui.link(path).on_hover_text("Open it").clicked() {
                            commands.push(Command::Open(corpus.root.join(path)));
                        }
                    }
                });
        };
        let adjudicate: Vec<&str> = progress
            .at(Stage::NeedsAdjudication)
            .map(|d| d.path.as_str())
            .collect();
        open(ui, "Needs adjudication", adjudicate);
        let conflicted: Vec<&str> = corpus
            .entries
            .iter()
            .filter(|e| e.conflicts > 0)
            .filter_map(|e| e.path.strip_prefix(&corpus.root).ok())
            .filter_map(|p| p.to_str())
            .collect();
        open(ui, "Merge conflicts to settle", conflicted);
        commands
    }
}

/// Per coder one bar: done, in progress and the rest of what is assigned, stacked.
fn chart(ui: &mut Ui, progress: &Progress, lang: Lang) {
    let coders: Vec<(&String, &crate::review::team::CoderProgress)> =
        progress.coders.iter().collect();
    if coders.is_empty() {
        return;
    }
    let bars = |value: fn(&crate::review::team::CoderProgress) -> usize| -> Vec<Bar> {
        coders
            .iter()
            .enumerate()
            .map(|(i, (name, p))| {
                Bar::new(i as f64, value(p) as f64)
                    .width(0.6)
                    .name(name.as_str())
            })
            .collect()
    };
    let done =
        BarChart::new(tr(lang, "done"), bars(|p| p.done)).color(Color32::from_rgb(60, 150, 90));
    let doing = BarChart::new(tr(lang, "in progress"), bars(|p| p.in_progress))
        .color(Color32::from_rgb(220, 160, 40))
        .stack_on(&[&done]);
    let rest = BarChart::new(
        tr(lang, "not started"),
        bars(|p| p.assigned.saturating_sub(p.done + p.in_progress)),
    )
    .color(Color32::from_gray(150))
    .stack_on(&[&done, &doing]);
    let names: Vec<String> = coders.iter().map(|(n, _)| (*n).clone()).collect();
    Plot::new("team-chart")
        .height(150.0)
        .x_axis_formatter(super::agreement::category_axis(names))
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .show(ui, |plot| {
            plot.bar_chart(done);
            plot.bar_chart(doing);
            plot.bar_chart(rest);
        });
}
