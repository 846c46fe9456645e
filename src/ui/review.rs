//! The Review tab: pick set A (reference) and set B (a model or a second coder), walk the
//! typed differences (N / P), decide each (accept into the adjudicated set, or reject), in
//! bulk per label or above a confidence threshold, and read the agreement figures as a table
//! and a bar chart. It only reads the state and returns commands.

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::label_color;
use crate::app::review::{self, DiffKey, Review};
use crate::app::{App, Command};
use crate::model::agreement::{self, DiffKind};
use crate::text::ArabicText;

/// The colour a difference kind is filled with in the text and shown with in the legend.
pub fn kind_color(kind: DiffKind) -> Color32 {
    match kind {
        DiffKind::Match => Color32::from_rgb(120, 170, 120),
        DiffKind::LabelMismatch => Color32::from_rgb(170, 90, 200),
        DiffKind::Boundary => Color32::from_rgb(240, 150, 40),
        DiffKind::CliticBoundary => Color32::from_rgb(220, 200, 40),
        DiffKind::Missing => Color32::from_rgb(220, 60, 60),
        DiffKind::Spurious => Color32::from_rgb(60, 130, 230),
    }
}

/// A small square of a colour (the legend's key).
fn swatch(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

pub fn show(ui: &mut Ui, app: &App) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(session) = &app.session else {
        return commands;
    };
    let doc = &session.doc;
    let ids: Vec<String> = doc
        .sets
        .iter()
        .map(|s| s.id.clone())
        .filter(|id| id != review::ADJUDICATED)
        .collect();
    if ids.len() < 2 {
        ui.label(
            "A review compares two sets of this document. Import a model's predictions \
             (File ▸ Import Predictions…) or open a document two coders annotated.",
        );
        return commands;
    }
    let (cur_a, cur_b) = match &app.review {
        Some(r) => (r.a.clone(), r.b.clone()),
        None => {
            // The coder's set (or the first) against the first other set.
            let a = ids
                .iter()
                .find(|i| **i == app.settings.coder)
                .unwrap_or(&ids[0])
                .clone();
            let b = ids.iter().find(|i| **i != a).cloned().unwrap_or_default();
            commands.push(Command::Review(Some((a.clone(), b.clone()))));
            (a, b)
        }
    };
    ui.horizontal(|ui| {
        for (name, current, is_a) in [("A", &cur_a, true), ("B", &cur_b, false)] {
            let label = ui.label(name).id;
            egui::ComboBox::from_id_salt(("review-set", name))
                .selected_text(current.as_str())
                .show_ui(ui, |ui| {
                    for id in &ids {
                        if ui.selectable_label(id == current, id).clicked() {
                            let pair = if is_a {
                                (id.clone(), cur_b.clone())
                            } else {
                                (cur_a.clone(), id.clone())
                            };
                            commands.push(Command::Review(Some(pair)));
                        }
                    }
                })
                .response
                .labelled_by(label);
        }
    });
    let Some(r) = &app.review else {
        return commands;
    };
    let diffs = r.differences(doc);
    // The legend, with counts.
    ui.horizontal_wrapped(|ui| {
        for kind in DiffKind::ALL {
            let n = diffs.iter().filter(|d| d.kind == kind).count();
            swatch(ui, kind_color(kind));
            ui.small(format!("{} {n}", kind.name()));
        }
    });
    ui.small("In the text: A underlined, B overlined (faded below the threshold).");
    let mut threshold = r.threshold;
    let name = ui.label("confidence threshold").id;
    if ui
        .add(egui::Slider::new(&mut threshold, 0.0..=1.0).step_by(0.05))
        .labelled_by(name)
        .changed()
    {
        commands.push(Command::ReviewThreshold(threshold));
    }
    ui.horizontal(|ui| {
        if ui.button("Previous").on_hover_text("P").clicked() {
            commands.push(Command::ReviewStep(false));
        }
        if ui.button("Next").on_hover_text("N").clicked() {
            commands.push(Command::ReviewStep(true));
        }
        let above: Vec<DiffKey> = diffs
            .iter()
            .filter(|d| d.b.is_some() && review::confidence(d) >= r.threshold)
            .filter(|d| !r.is_decided(doc, d))
            .map(DiffKey::of)
            .collect();
        if ui
            .add_enabled(
                !above.is_empty(),
                egui::Button::new(format!("Accept all ≥ {:.2}", r.threshold)),
            )
            .on_hover_text(
                "Copy every undecided span of B at or above the threshold into the adjudicated set",
            )
            .clicked()
        {
            commands.push(Command::Accept(above));
        }
    });
    // Per label.
    let mut labels: Vec<&str> = diffs.iter().map(|d| d.label()).collect();
    labels.sort_unstable();
    labels.dedup();
    egui::CollapsingHeader::new("By label").show(ui, |ui| {
        for label in labels {
            let keys: Vec<DiffKey> = diffs
                .iter()
                .filter(|d| d.label() == label && !r.is_decided(doc, d))
                .map(DiffKey::of)
                .collect();
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(label)
                        .color(label_color(app.schema(), label))
                        .strong(),
                );
                ui.small(format!("{} undecided", keys.len()));
                if ui.small_button(format!("Accept all {label}")).clicked() {
                    commands.push(Command::Accept(keys.clone()));
                }
                if ui.small_button(format!("Reject all {label}")).clicked() {
                    commands.push(Command::Reject(keys));
                }
            });
        }
    });
    agreement_panel(ui, app, r);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("differences")
        .show(ui, |ui| {
            for d in diffs.iter().filter(|d| d.kind != DiffKind::Match) {
                let key = DiffKey::of(d);
                let current = r.current.as_ref() == Some(&key);
                let decided = if review::accepted(doc, d) {
                    "accepted"
                } else if r.rejected.contains(&key) {
                    "rejected"
                } else {
                    ""
                };
                let frame = egui::Frame::new().inner_margin(4.0).fill(if current {
                    ui.visuals().selection.bg_fill
                } else {
                    Color32::TRANSPARENT
                });
                let row = frame.show(ui, |ui| {
                    ui.horizontal(|ui| {
                        swatch(ui, kind_color(d.kind));
                        ui.label(d.kind.name());
                        if let Some(c) = d.b.and_then(|s| s.confidence) {
                            ui.small(format!("{c:.2}"));
                        }
                        if !decided.is_empty() {
                            ui.small(RichText::new(decided).italics());
                        }
                    });
                    for (side, span) in [("A", d.a), ("B", d.b)] {
                        if let Some(s) = span {
                            ui.horizontal(|ui| {
                                ui.small(format!("{side} {}", s.label));
                                ui.add(ArabicText::new(&s.text).size(15.0, 22.0).fit());
                            });
                        }
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("Accept")
                            .on_hover_text("Copy this span into the adjudicated set")
                            .clicked()
                        {
                            commands.push(Command::Accept(vec![key.clone()]));
                        }
                        if ui.small_button("Reject").clicked() {
                            commands.push(Command::Reject(vec![key.clone()]));
                        }
                    });
                });
                if row.response.interact(egui::Sense::click()).clicked() {
                    commands.push(Command::ReviewFocus(key));
                }
            }
        });
    commands
}

/// The agreement table (per label and overall) and a bar chart of the F1 scores.
fn agreement_panel(ui: &mut Ui, app: &App, r: &Review) {
    let Some(session) = &app.session else { return };
    let (Some(a), Some(b)) = (session.doc.set(&r.a), session.doc.set(&r.b)) else {
        return;
    };
    let agr = agreement::agreement(session.doc.document.text(), a, b);
    let alpha_u = agreement::alpha_u(session.doc.document.char_len(), a, b);
    egui::CollapsingHeader::new("Agreement")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("agreement").striped(true).show(ui, |ui| {
                for h in ["label", "A", "B", "P", "R", "F1", "F1 overlap", "κ", "αu"] {
                    ui.strong(h);
                }
                ui.end_row();
                let rows = agr
                    .labels
                    .iter()
                    .map(|(l, c)| (l.as_str(), c))
                    .chain(std::iter::once(("overall", &agr.overall)));
                for (label, c) in rows {
                    let f = c.figures();
                    ui.label(label);
                    ui.label(c.a.to_string());
                    ui.label(c.b.to_string());
                    ui.label(format!("{:.2}", f.exact.precision));
                    ui.label(format!("{:.2}", f.exact.recall));
                    ui.label(format!("{:.2}", f.exact.f1));
                    ui.label(format!("{:.2}", f.overlap.f1));
                    ui.label(format!("{:.2}", f.kappa));
                    let au = if label == "overall" {
                        alpha_u.overall
                    } else {
                        alpha_u.labels.get(label).copied().unwrap_or(1.0)
                    };
                    ui.label(format!("{au:.2}"));
                    ui.end_row();
                }
            });
            let labels: Vec<(&String, agreement::Figures)> =
                agr.labels.iter().map(|(l, c)| (l, c.figures())).collect();
            let bars = |offset: f64, pick: fn(&agreement::Figures) -> f64| -> Vec<Bar> {
                labels
                    .iter()
                    .enumerate()
                    .map(|(i, (l, f))| {
                        Bar::new(i as f64 + offset, pick(f))
                            .width(0.25)
                            .name(l.as_str())
                    })
                    .collect()
            };
            Plot::new("agreement-chart")
                .height(140.0)
                .legend(Legend::default())
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .include_y(0.0)
                .include_y(1.0)
                .show(ui, |plot| {
                    plot.bar_chart(BarChart::new("exact F1", bars(-0.15, |f| f.exact.f1)));
                    plot.bar_chart(BarChart::new("overlap F1", bars(0.15, |f| f.overlap.f1)));
                    plot.bar_chart(BarChart::new("κ", bars(0.45, |f| f.kappa)));
                });
            ui.small(
                "Bars per label, left to right: ".to_owned()
                    + &labels
                        .iter()
                        .map(|(l, _)| l.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
            );
        });
}

/// File ▸ Import Predictions…: which file, its format, the model's name and version, the label
/// map and the offset unit.
pub struct ImportDialog {
    pub path: String,
    pub format: crate::store::predictions::Format,
    pub model: String,
    pub version: String,
    pub map: String,
    pub utf16: bool,
}

impl Default for ImportDialog {
    fn default() -> Self {
        Self {
            path: String::new(),
            format: crate::store::predictions::Format::Hf,
            model: "model".to_owned(),
            version: String::new(),
            map: String::new(),
            utf16: false,
        }
    }
}

impl ImportDialog {
    /// Draws the dialog; returns the command to run, and whether to close.
    pub fn show(&mut self, ui: &mut Ui) -> (Option<Command>, bool) {
        use crate::store::predictions::{Format, Offsets, Options};
        let (mut command, mut close) = (None, false);
        ui.heading("Import predictions");
        egui::Grid::new("import-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let name = ui.label("predictions file").id;
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(320.0))
                        .labelled_by(name);
                    if ui.button("Choose…").clicked()
                        && let Some(p) = rfd::FileDialog::new()
                            .add_filter("predictions", &["json", "jsonl"])
                            .pick_file()
                    {
                        self.path = p.display().to_string();
                        if let Some(stem) = p.file_stem() {
                            self.model = stem.to_string_lossy().into_owned();
                        }
                    }
                });
                ui.end_row();
                let name = ui.label("prediction format").id;
                let names = [
                    (Format::Hf, "hf (Hugging Face pipeline)"),
                    (Format::Spacy, "spacy"),
                    (Format::Langextract, "langextract"),
                    (Format::Marsad, "marsad"),
                ];
                let shown = names
                    .iter()
                    .find(|(f, _)| *f == self.format)
                    .map_or("", |(_, n)| *n);
                egui::ComboBox::from_id_salt("import-format")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (f, n) in names {
                            ui.selectable_value(&mut self.format, f, n);
                        }
                    })
                    .response
                    .labelled_by(name);
                ui.end_row();
                let name = ui.label("model name").id;
                ui.text_edit_singleline(&mut self.model).labelled_by(name);
                ui.end_row();
                let name = ui.label("model version").id;
                ui.text_edit_singleline(&mut self.version).labelled_by(name);
                ui.end_row();
                let name = ui
                    .label("label map")
                    .on_hover_text(
                        "FROM=TO,… after the default PER/ORG/NORP → ACTOR, LOC/GPE/FAC → PLACE",
                    )
                    .id;
                ui.text_edit_singleline(&mut self.map).labelled_by(name);
                ui.end_row();
                ui.label("offsets");
                ui.checkbox(&mut self.utf16, "UTF-16 units (JavaScript tools)");
                ui.end_row();
            });
        ui.horizontal(|ui| {
            let ready = !self.path.trim().is_empty() && !self.model.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
                let mut options = Options::new(self.format, self.model.trim());
                options.version = Some(self.version.trim().to_owned()).filter(|v| !v.is_empty());
                if self.utf16 {
                    options.offsets = Offsets::Utf16;
                }
                for pair in self.map.split(',') {
                    if let Some((from, to)) = pair.split_once('=') {
                        options
                            .map
                            .insert(from.trim().to_owned(), to.trim().to_owned());
                    }
                }
                command = Some(Command::ImportPredictions {
                    path: std::path::PathBuf::from(self.path.trim()),
                    options,
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        (command, close)
    }
}
