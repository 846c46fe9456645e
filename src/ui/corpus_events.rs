//! The corpus events under the Events tab: each event of the folder with its reconciled
//! figures — the conservative fatality count, each report's figure with its source (a click
//! opens it at its span), the disagreements, the earliest reported date and the precisions —
//! and the reports found elsewhere, each linked with one click.

use egui::{RichText, Ui};

use super::i18n::tr;
use crate::app::{App, Command};

pub fn show(ui: &mut Ui, app: &App) -> Vec<Command> {
    let mut commands = Vec::new();
    let events = &app.corpus_events.events;
    if app.corpus.is_none() {
        return commands;
    }
    ui.separator();
    ui.strong(format!("Corpus events ({})", events.len()));
    if events.is_empty() {
        ui.label("None yet: Promote to corpus on an event card.");
        return commands;
    }
    let lang = app.settings.language;
    for event in events {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_max_width(ui.available_width());
            let mut heading = format!("{} · {}", event.id, event.event_type);
            if let Some(sub) = &event.sub_event_type {
                heading.push_str(&format!(" / {sub}"));
            }
            ui.label(RichText::new(heading).strong());
            ui.small(format!("{} report(s)", event.documents().len()));
            for d in app
                .corpus_events
                .duplicates
                .iter()
                .filter(|d| d.a == event.id)
            {
                ui.horizontal(|ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("probably the same event as {}", d.b),
                    );
                    if ui
                        .small_button(tr(lang, "Merge"))
                        .on_hover_text(format!(
                            "{}'s links and reports into {} (Edit › Undo merge of events)",
                            d.b, d.a
                        ))
                        .clicked()
                    {
                        commands.push(Command::MergeEvents {
                            keep: d.a.clone(),
                            other: d.b.clone(),
                        });
                    }
                });
            }
            if let Some(r) = app.corpus_events.reconciled.get(&event.id) {
                match r.fatalities {
                    Some(n) => ui.label(format!("fatalities: {n} (the lowest report per group)")),
                    None => ui.label("fatalities: no report gives a figure"),
                };
                for f in &r.figures {
                    let group = if f.group.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", f.group)
                    };
                    if ui
                        .link(format!("{}: {} killed{group}", f.document, f.killed))
                        .on_hover_text("Open the report at this figure")
                        .clicked()
                    {
                        commands.push(Command::ShowLink {
                            document: f.document.clone(),
                            span: f.span.clone(),
                        });
                    }
                }
                for d in &r.disagreements {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("reports differ: {d}"));
                }
                let mut when = match &r.date {
                    Some(d) => format!("date {d}"),
                    None => "no date reported".to_owned(),
                };
                if let Some(p) = r.time_precision {
                    when.push_str(&format!(" · time precision {p}"));
                }
                if let Some(p) = r.geo_precision {
                    when.push_str(&format!(" · geo precision {p}"));
                }
                ui.small(when);
            }
            let candidates = app.candidates(event);
            if !candidates.is_empty() {
                egui::CollapsingHeader::new(format!("Reports elsewhere ({})", candidates.len()))
                    .id_salt(("candidates", &event.id))
                    .default_open(true)
                    .show(ui, |ui| {
                        for c in candidates.iter().take(20) {
                            ui.horizontal(|ui| {
                                let why: Vec<&str> = [
                                    (c.place, "place"),
                                    (c.actor, "actor"),
                                    (c.date, "date"),
                                ]
                                .into_iter()
                                .filter(|(on, _)| *on)
                                .map(|(_, w)| w)
                                .collect();
                                ui.label(format!("{} · {}", c.document, why.join(", ")));
                                if ui
                                    .small_button(tr(lang, "Link"))
                                    .on_hover_text(format!(
                                        "Link the spans of {} that name this event's places and actors, and its deaths",
                                        c.document
                                    ))
                                    .clicked()
                                {
                                    commands.push(Command::LinkReport {
                                        event: event.id.clone(),
                                        document: c.document.clone(),
                                    });
                                }
                            });
                        }
                    });
            }
        });
    }
    commands
}
