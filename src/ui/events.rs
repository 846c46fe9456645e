//! The event panel: one compact card per event of the coder's set. The open card edits the
//! ACLED type and sub-type, the date and the notes, and links spans by role: arm a role, then
//! click spans in the text (a second click unlinks). Hovering a card outlines its spans in
//! the text. It only reads the state and returns commands.

use super::i18n::tr;
use std::collections::HashMap;

use egui::{Color32, RichText, Ui};

use super::attributes::{Drafts, draft_field};
use super::theme::Palette;
use crate::app::{App, Command, EventField};
use crate::model::{Event, EventRole, Span};
use crate::text::ArabicText;

/// Draws the panel; `emphasis` receives the span ids to outline in the text this frame.
pub fn show(
    ui: &mut Ui,
    app: &App,
    palette: &Palette,
    drafts: &mut Drafts,
    emphasis: &mut Vec<String>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if ui
            .button(tr(app.settings.language, "New event"))
            .on_hover_text("E: a new event in your set; then link spans to it by role")
            .clicked()
        {
            commands.push(Command::NewEvent);
        }
        if app.linking.is_some()
            && ui
                .button(tr(app.settings.language, "Stop linking"))
                .on_hover_text("Esc")
                .clicked()
        {
            commands.push(Command::LinkRole(None));
        }
    });
    if let (Some(role), Some(event)) = (app.linking, &app.selected_event) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Click spans in the text to link them to {event} as {} (click again to unlink; Esc stops)",
                role.name()
            ),
        );
    }
    let Some(set) = app.set() else {
        ui.label(tr(app.settings.language, "No events yet."));
        return commands;
    };
    if set.events.is_empty() {
        ui.label("No events yet: New event, then link the spans that say who did what where.");
    }
    let spans: HashMap<&str, &Span> = set.spans.iter().map(|s| (s.id.as_str(), s)).collect();
    egui::ScrollArea::vertical()
        .id_salt("events")
        .show(ui, |ui| {
            for event in &set.events {
                let open = app.selected_event.as_ref() == Some(&event.id);
                let frame = egui::Frame::group(ui.style()).fill(if open {
                    ui.visuals().faint_bg_color
                } else {
                    Color32::TRANSPARENT
                });
                let card = frame.show(ui, |ui| {
                    ui.set_max_width(ui.available_width());
                    card(
                        ui,
                        (app, palette),
                        event,
                        &spans,
                        open,
                        drafts,
                        &mut commands,
                    );
                });
                let hovered = card.response.contains_pointer();
                if hovered || (open && app.linking.is_some()) {
                    emphasis.extend(event.links().map(|(_, id)| id.clone()));
                }
                if !open
                    && card
                        .response
                        .interact(egui::Sense::click())
                        .on_hover_text("Open this event")
                        .clicked()
                {
                    commands.push(Command::SelectEvent(Some(event.id.clone())));
                }
            }
        });
    commands
}

fn card(
    ui: &mut Ui,
    (app, palette): (&App, &Palette),
    event: &Event,
    spans: &HashMap<&str, &Span>,
    open: bool,
    drafts: &mut Drafts,
    commands: &mut Vec<Command>,
) {
    let id = &event.id;
    let update = |field| Command::UpdateEvent {
        event: id.clone(),
        field,
    };
    ui.horizontal(|ui| {
        ui.strong(id);
        ui.label(match &event.sub_event_type {
            Some(sub) => format!("{} · {sub}", event.event_type),
            None => event.event_type.clone(),
        });
        if let Some(date) = &event.date {
            ui.small(date);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if open {
                if ui
                    .small_button(tr(app.settings.language, "Close"))
                    .clicked()
                {
                    commands.push(Command::SelectEvent(None));
                }
                if ui
                    .small_button(tr(app.settings.language, "Delete"))
                    .on_hover_text("Delete this event (its spans stay; undo with Ctrl+Z)")
                    .clicked()
                {
                    commands.push(Command::DeleteEvent(id.clone()));
                }
            }
        });
    });
    if open && app.corpus.is_some() {
        ui.horizontal(|ui| {
            if ui
                .small_button(tr(app.settings.language, "Promote to corpus"))
                .on_hover_text("An event of the corpus: link the other articles that report it")
                .clicked()
            {
                commands.push(Command::PromoteEvent(id.clone()));
            }
        });
    }
    if !open {
        // Compact: who, where, how many, in one line per linked role.
        for role in EventRole::ALL {
            let ids = role.ids(event);
            if ids.is_empty() {
                continue;
            }
            let texts: Vec<&str> = ids
                .iter()
                .filter_map(|s| spans.get(s.as_str()).map(|s| s.text.as_str()))
                .collect();
            ui.horizontal(|ui| {
                ui.small(role.name());
                ui.add(ArabicText::new(&texts.join("، ")).size(15.0, 22.0));
            });
        }
        return;
    }
    let schema = app.schema();
    egui::Grid::new(("event-fields", id))
        .num_columns(2)
        .show(ui, |ui| {
            let name = ui.label(tr(app.settings.language, "type")).id;
            egui::ComboBox::from_id_salt(("event-type", id))
                .selected_text(&event.event_type)
                .show_ui(ui, |ui| {
                    for t in &schema.event_types {
                        if ui
                            .selectable_label(t.name == event.event_type, &t.name)
                            .clicked()
                        {
                            commands.push(update(EventField::Type(t.name.clone())));
                        }
                    }
                })
                .response
                .labelled_by(name);
            ui.end_row();
            let name = ui.label(tr(app.settings.language, "sub-type")).id;
            let subs = schema
                .event_type(&event.event_type)
                .map(|d| d.sub_types.clone())
                .unwrap_or_default();
            egui::ComboBox::from_id_salt(("event-sub-type", id))
                .selected_text(event.sub_event_type.as_deref().unwrap_or("—"))
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(event.sub_event_type.is_none(), "—")
                        .clicked()
                    {
                        commands.push(update(EventField::SubType(None)));
                    }
                    for sub in subs {
                        let chosen = event.sub_event_type.as_ref() == Some(&sub);
                        if ui.selectable_label(chosen, &sub).clicked() {
                            commands.push(update(EventField::SubType(Some(sub.clone()))));
                        }
                    }
                })
                .response
                .labelled_by(name);
            ui.end_row();
            let name = ui
                .label(tr(app.settings.language, "date"))
                .on_hover_text("YYYY-MM-DD (or YYYY-MM, YYYY)")
                .id;
            let saved = event.date.clone().unwrap_or_default();
            if let Some(date) = draft_field(ui, drafts, (id, "event-date"), &saved, name) {
                let date = date.trim().to_owned();
                commands.push(update(EventField::Date((!date.is_empty()).then_some(date))));
            }
            ui.end_row();
            let name = ui.label(tr(app.settings.language, "notes")).id;
            let saved = event.notes.clone().unwrap_or_default();
            if let Some(notes) = draft_field(ui, drafts, (id, "event-notes"), &saved, name) {
                commands.push(update(EventField::Notes(Some(notes))));
            }
            ui.end_row();
        });
    ui.separator();
    for role in EventRole::ALL {
        let armed = app.linking == Some(role);
        let hint = format!(
            "Link spans as {}: click this, then click spans in the text (usually {})",
            role.name(),
            role.usual_label()
        );
        if ui
            .selectable_label(armed, RichText::new(role.name()).strong())
            .on_hover_text(hint)
            .clicked()
        {
            commands.push(Command::LinkRole((!armed).then_some(role)));
        }
        // One chip per line: × then the span's words.
        for span_id in role.ids(event) {
            let Some(span) = spans.get(span_id.as_str()) else {
                continue;
            };
            let color = palette.color(&span.label);
            ui.horizontal(|ui| {
                ui.add_space(12.0);
                egui::Frame::new()
                    .stroke(egui::Stroke::new(1.0, color))
                    .inner_margin(2.0)
                    .corner_radius(4.0)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            if ui
                                .small_button("×")
                                .on_hover_text(format!("Unlink {span_id}"))
                                .clicked()
                            {
                                commands.push(Command::ToggleLink {
                                    event: id.clone(),
                                    role,
                                    span: span_id.clone(),
                                });
                            }
                            ui.add(ArabicText::new(&span.text).size(15.0, 22.0).fit());
                        });
                    });
            });
        }
    }
}
