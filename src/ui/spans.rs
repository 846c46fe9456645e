//! The span list: the coder's spans in reading order, filtered by label, each row with its
//! label, attributes and words; a click selects the span (and scrolls the text to it). Only
//! the rows in view are laid out and drawn, so 2,000 spans cost what 20 do.

use super::i18n::tr;
use egui::{RichText, Sense, Ui, UiBuilder, vec2};

use super::theme::Palette;
use crate::app::{App, Command};
use crate::text::ArabicText;

/// The height of one row: a line of label and attributes, a line of Arabic.
const ROW: f32 = 52.0;

/// Draws the label filter and the list; `filter` is the label shown (None: all).
pub fn show(
    ui: &mut Ui,
    app: &App,
    palette: &Palette,
    filter: &mut Option<String>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let lang = app.settings.language;
    super::row(ui, lang, false, |ui| {
        ui.strong(tr(lang, "Spans"));
        egui::ComboBox::new("filter", tr(lang, "labels shown"))
            .selected_text(
                filter
                    .clone()
                    .unwrap_or_else(|| tr(lang, "all labels").to_owned()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(filter, None, tr(lang, "all labels"));
                for l in &app.schema().labels {
                    ui.selectable_value(filter, Some(l.name.clone()), &l.name);
                }
            });
    });
    let Some(set) = app.set() else {
        return commands;
    };
    let shown: Vec<usize> = (0..set.spans.len())
        .filter(|&i| filter.as_ref().is_none_or(|f| f == &set.spans[i].label))
        .collect();
    egui::ScrollArea::vertical()
        .id_salt("span-list")
        .auto_shrink([false, true])
        .show_rows(ui, ROW, shown.len(), |ui, rows| {
            for &i in &shown[rows] {
                let span = &set.spans[i];
                let (rect, response) =
                    ui.allocate_exact_size(vec2(ui.available_width(), ROW), Sense::click());
                if app.selected_span.as_ref() == Some(&span.id) {
                    ui.painter()
                        .rect_filled(rect, 2.0, ui.visuals().selection.bg_fill);
                }
                let mut row = ui.new_child(UiBuilder::new().max_rect(rect.shrink(4.0)));
                row.set_clip_rect(rect.intersect(ui.clip_rect()));
                row.horizontal(|ui| {
                    ui.label(
                        RichText::new(&span.label)
                            .color(palette.color(&span.label))
                            .strong(),
                    );
                    ui.small(span.attrs_shown());
                });
                row.add(ArabicText::new(&span.text).size(18.0, 28.0));
                let response = response.on_hover_ui(|ui| {
                    ui.add(ArabicText::new(&span.text).size(18.0, 28.0).width(280.0));
                });
                if response.clicked() {
                    commands.push(Command::SelectSpan(Some(span.id.clone())));
                }
            }
        });
    commands
}
