//! The attribute editor for the selected span: its label, text and offsets, one row per
//! attribute of its label (a list, a check box, a number, or a text field kept as a draft
//! until it loses focus), and its note. Text is typed into the engine's own field, so Arabic
//! with digits and Latin reads as it will be saved.

use super::i18n::tr;
use std::collections::HashMap;

use egui::Ui;

use crate::app::{App, Command};
use crate::model::registry::registry_attr;
use crate::model::{AttrType, AttrValue};
use crate::text::{ArabicField, ArabicText};

/// Text being typed into a field, by (span or event, field), until the field loses focus.
pub type Drafts = HashMap<(String, String), String>;

/// A text field whose content is kept as a draft while it is edited; returns the new value
/// when the field loses focus with a change.
pub(crate) fn draft_field(
    ui: &mut Ui,
    drafts: &mut Drafts,
    (span, field): (&str, &str),
    saved: &str,
    label: egui::Id,
) -> Option<String> {
    let key = (span.to_owned(), field.to_owned());
    let mut text = drafts
        .get(&key)
        .cloned()
        .unwrap_or_else(|| saved.to_owned());
    let width = ui.available_width().clamp(120.0, 260.0);
    let response = ui
        .add(
            ArabicField::singleline(&mut text)
                .id_salt(("draft", span, field))
                .width(width),
        )
        .labelled_by(label);
    if response.changed() {
        drafts.insert(key.clone(), text.clone());
    }
    if response.lost_focus() {
        drafts.remove(&key);
        return (text != saved).then_some(text);
    }
    None
}

/// Draws the editor of the selected span (nothing when no span is selected).
pub fn show(ui: &mut Ui, app: &App, drafts: &mut Drafts) -> Vec<Command> {
    let mut commands = Vec::new();
    let schema = app.schema();
    if let Some(id) = &app.selected_span
        && let Some(span) = app.set().and_then(|s| s.span(id))
    {
        ui.heading(format!("{} {}", span.label, span.id));
        ui.add(ArabicText::new(&span.text).size(20.0, 32.0));
        ui.label(format!("{}..{}", span.start, span.end));
        if let Some(def) = schema.label(&span.label) {
            egui::Grid::new("attrs").num_columns(2).show(ui, |ui| {
                for attr in &def.attributes {
                    let name = ui.label(&attr.name).on_hover_text(&attr.description).id;
                    let current = span.attrs.get(&attr.name);
                    let set = |value: Option<AttrValue>| Command::SetAttr {
                        span: id.clone(),
                        name: attr.name.clone(),
                        value,
                    };
                    match &attr.ty {
                        AttrType::Enum(values) => {
                            let shown = match current {
                                Some(AttrValue::Str(s)) => s.clone(),
                                _ => "—".to_owned(),
                            };
                            let combo = egui::ComboBox::new(("attr", &attr.name), "")
                                .selected_text(shown)
                                .show_ui(ui, |ui| {
                                    if ui.selectable_label(current.is_none(), "—").clicked() {
                                        commands.push(set(None));
                                    }
                                    for v in values {
                                        let on = current == Some(&AttrValue::Str(v.clone()));
                                        if ui.selectable_label(on, v).clicked() {
                                            commands.push(set(Some(AttrValue::Str(v.clone()))));
                                        }
                                    }
                                });
                            combo.response.labelled_by(name);
                        }
                        AttrType::Bool => {
                            let mut on = current == Some(&AttrValue::Bool(true));
                            if ui.checkbox(&mut on, "").labelled_by(name).changed() {
                                commands.push(set(Some(AttrValue::Bool(on))));
                            }
                        }
                        AttrType::Integer => {
                            // Blank while unset (never a 0 nobody typed); digits in any of
                            // the three digit sets, or a number word, are taken.
                            let saved = match current {
                                Some(AttrValue::Int(n)) => n.to_string(),
                                _ => String::new(),
                            };
                            if let Some(typed) =
                                draft_field(ui, drafts, (id, &attr.name), &saved, name)
                            {
                                let typed = typed.trim();
                                match crate::model::arabic::parse_value(typed) {
                                    _ if typed.is_empty() => commands.push(set(None)),
                                    Some(n) => commands.push(set(Some(AttrValue::Int(n)))),
                                    None => commands.push(Command::Refuse(format!(
                                        "{}: \"{typed}\" is not a number",
                                        attr.name
                                    ))),
                                }
                            }
                        }
                        AttrType::String => {
                            let saved = match current {
                                Some(AttrValue::Str(s)) => s.clone(),
                                _ => String::new(),
                            };
                            // What is being typed, read before the field commits it.
                            let typed = drafts
                                .get(&(id.clone(), attr.name.clone()))
                                .cloned()
                                .unwrap_or_default();
                            if let Some(s) = draft_field(ui, drafts, (id, &attr.name), &saved, name)
                            {
                                commands.push(set((!s.is_empty()).then_some(AttrValue::Str(s))));
                            }
                            if registry_attr(&span.label) == Some(attr.name.as_str()) {
                                ui.end_row();
                                ui.label("");
                                ui.vertical(|ui| {
                                    commands.extend(registry_offers(
                                        ui,
                                        (app, &mut *drafts),
                                        span,
                                        (&attr.name, &saved, &typed),
                                    ));
                                });
                            }
                        }
                    }
                    ui.end_row();
                }
                let name = ui.label(tr(app.settings.language, "note")).id;
                let saved = span.note.clone().unwrap_or_default();
                if let Some(note) = draft_field(
                    ui,
                    drafts,
                    (id, tr(app.settings.language, "note")),
                    &saved,
                    name,
                ) {
                    commands.push(Command::SetNote {
                        span: id.clone(),
                        note: Some(note),
                    });
                }
                ui.end_row();
            });
        }
        relations_of(ui, app, span, &mut commands);
        ui.separator();
    }
    commands
}

/// Under `actor_id` / `gazetteer_id`: the registry entries like what is typed (or, with
/// nothing typed, like the span's text), each a click away; a warning when the value names no
/// entry; and a new entry made from the span.
fn registry_offers(
    ui: &mut Ui,
    (app, drafts): (&App, &mut Drafts),
    span: &crate::model::Span,
    (attr, saved, typed): (&str, &str, &str),
) -> Vec<Command> {
    let mut commands = Vec::new();
    let registry = app.registry();
    // What was typed, or once it is committed the value itself: the offers stay where they
    // were when the field loses its focus to a click on one of them.
    let query = if typed.is_empty() { saved } else { typed };
    for entry in registry.offer(&span.label, query, &span.text, 5) {
        if entry.id == saved {
            continue;
        }
        let name = entry.names.first().map_or("", String::as_str);
        let local = entry
            .names
            .iter()
            .find(|n| n.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
        let shown = match local {
            // egui draws words left to right: the Arabic name in the order it is drawn.
            Some(ar) if ar != name => {
                format!("{} · {name} · {}", entry.id, super::i18n::visual_words(ar))
            }
            _ => format!("{} · {name}", entry.id),
        };
        // Ids of their own: the list changes as the coder types, and a click must land on
        // the entry it was aimed at.
        let offer = ui
            .push_id(("offer", &entry.id), |ui| ui.small_button(shown))
            .inner;
        let offer = offer.on_hover_text(format!("Set {attr} to {}", entry.id));
        if taken(ui, &offer) {
            // What was typed is replaced: the field, when it loses its focus, commits this.
            drafts.insert((span.id.clone(), attr.to_owned()), entry.id.clone());
            commands.push(Command::SetAttr {
                span: span.id.clone(),
                name: attr.to_owned(),
                value: Some(AttrValue::Str(entry.id.clone())),
            });
        }
    }
    if !saved.is_empty() && registry.get(&span.label, saved).is_none() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("\"{saved}\" is not in the registry"),
        );
    }
    if saved.is_empty() || registry.get(&span.label, saved).is_none() {
        let id = (!typed.trim().is_empty()).then(|| typed.trim().to_owned());
        let new = ui.push_id("new-entry", |ui| {
            ui.small_button(tr(app.settings.language, "New registry entry"))
        });
        if new
            .inner
            .on_hover_text("An entry named by this span's text (and what you typed as its id)")
            .clicked()
        {
            commands.push(Command::NewRegistryEntry {
                span: span.id.clone(),
                id: id.or_else(|| (!saved.is_empty()).then(|| saved.to_owned())),
            });
        }
    }
    commands
}

/// An offer is taken as the mouse goes down on it (the frame the field it completes loses its
/// focus and commits what was typed, before the list can move under the mouse), or by the
/// keyboard.
fn taken(ui: &Ui, offer: &egui::Response) -> bool {
    let (pressed, released) = ui.input(|i| (i.pointer.primary_pressed(), i.pointer.any_released()));
    (offer.is_pointer_button_down_on() && pressed) || (offer.clicked() && !released)
}

/// The relations the selected span takes part in, each with its other end and a button that
/// deletes it; R starts a new one.
fn relations_of(ui: &mut Ui, app: &App, span: &crate::model::Span, commands: &mut Vec<Command>) {
    let Some(set) = app.set() else {
        return;
    };
    let mine: Vec<&crate::model::Relation> = set
        .relations
        .iter()
        .filter(|r| r.from == span.id || r.to == span.id)
        .collect();
    ui.horizontal(|ui| {
        ui.strong(format!("relations ({})", mine.len()));
        if ui
            .small_button("New relation")
            .on_hover_text("R: then click the span it goes to")
            .clicked()
        {
            commands.push(Command::StartRelation);
        }
    });
    for r in mine {
        let (arrow, other) = if r.from == span.id {
            ("to", &r.to)
        } else {
            ("from", &r.from)
        };
        let other_text = set.span(other).map(|s| s.text.clone()).unwrap_or_default();
        ui.horizontal(|ui| {
            if ui
                .small_button("Delete")
                .on_hover_text(format!("Delete relation {} (its spans stay)", r.id))
                .clicked()
            {
                commands.push(Command::DeleteRelation(r.id.clone()));
            }
            ui.small(format!("{} {arrow}", r.kind));
            ui.add(ArabicText::new(&other_text).size(15.0, 22.0).fit());
        });
    }
}
