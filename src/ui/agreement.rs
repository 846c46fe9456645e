//! The Review tab's agreement panel: the figures of B against A per label (a table and a bar
//! chart with the labels on its axis), the label confusion matrix (a table and a heat map),
//! and, when the document has more than two sets, all of them together (the pairwise table,
//! Fleiss' κ and αu). Everything comes from the review's comparison, made once per edit.

use super::i18n::{Lang, tr};
use egui::{Color32, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot, PlotPoint, PlotPoints, Polygon, Text};

use crate::review::{Comparison, Confusion, Figures, MultiAgreement};

/// The agreement table (per label and overall) and a bar chart of the F1 scores.
/// `all_sets_shown` false (blind coding hides some): no table of every set.
pub fn show(ui: &mut Ui, comparison: &Comparison, lang: Lang, all_sets_shown: bool) {
    let (agr, alpha_u) = (&comparison.agreement, &comparison.alpha);
    egui::CollapsingHeader::new(tr(lang, "Agreement"))
        .default_open(false)
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
            let labels: Vec<(&String, Figures)> =
                agr.labels.iter().map(|(l, c)| (l, c.figures())).collect();
            let bars = |offset: f64, pick: fn(&Figures) -> f64| -> Vec<Bar> {
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
            let names: Vec<String> = labels.iter().map(|(l, _)| (*l).clone()).collect();
            Plot::new("agreement-chart")
                .height(140.0)
                .x_axis_formatter(category_axis(names))
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
        });
    egui::CollapsingHeader::new(tr(lang, "Confusion (A label × B label)")).show(ui, |ui| {
        confusion(ui, &comparison.confusion);
    });
    // Under blind coding the table of every set would show the hidden ones.
    if let Some(multi) = comparison.multi.as_ref().filter(|_| all_sets_shown) {
        egui::CollapsingHeader::new(format!("All {} sets", multi.sets.len()))
            .default_open(false)
            .show(ui, |ui| all_sets(ui, multi));
    }
}

/// An axis that names the bar at each whole number (labels, coders) instead of 0, 1, 2….
pub fn category_axis(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let i = mark.value.round();
        if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// The confusion matrix as a table (rows: A's label, columns: B's) and as a heat map.
fn confusion(ui: &mut Ui, c: &Confusion) {
    egui::Grid::new("confusion").striped(true).show(ui, |ui| {
        ui.strong("A \\ B");
        for label in &c.labels {
            ui.strong(label);
        }
        ui.end_row();
        for (label, row) in c.labels.iter().zip(&c.cells) {
            ui.strong(label);
            for n in row {
                ui.label(n.to_string());
            }
            ui.end_row();
        }
    });
    let max = c.cells.iter().flatten().copied().max().unwrap_or(0).max(1) as f32;
    let n = c.labels.len();
    let names = c.labels.clone();
    let axis = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let i = mark.value.round();
        if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let names_y = c.labels.clone();
    let axis_y = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let i = mark.value.round();
        // Row 0 at the top.
        let row = n as f64 - 1.0 - i;
        if (mark.value - i).abs() < 1e-6 && row >= 0.0 {
            names_y.get(row as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let every_cell = || egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]);
    let edge = n as f64 - 0.5;
    Plot::new("confusion-heat-map")
        .height(50.0 + 30.0 * n as f32)
        .include_x(-0.5)
        .include_x(edge)
        .include_y(-0.5)
        .include_y(edge + 0.6)
        .x_grid_spacer(every_cell())
        .y_grid_spacer(every_cell())
        .show_x(false)
        .show_y(false)
        .x_axis_formatter(axis)
        .y_axis_formatter(axis_y)
        .x_axis_label("B")
        .y_axis_label("A")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            // B's labels over their columns (the axis has no room for long names).
            for (j, label) in c.labels.iter().enumerate() {
                plot.text(Text::new(
                    format!("b{j}"),
                    PlotPoint::new(j as f64, edge + 0.3),
                    egui::RichText::new(label).size(11.0),
                ));
            }
            for (i, row) in c.cells.iter().enumerate() {
                for (j, &count) in row.iter().enumerate() {
                    let (x, y) = (j as f64, (n - 1 - i) as f64);
                    let heat = count as f32 / max;
                    let fill =
                        Color32::from_rgba_unmultiplied(200, 60, 40, (30.0 + 200.0 * heat) as u8);
                    let cell = PlotPoints::new(vec![
                        [x - 0.5, y - 0.5],
                        [x + 0.5, y - 0.5],
                        [x + 0.5, y + 0.5],
                        [x - 0.5, y + 0.5],
                    ]);
                    plot.polygon(
                        Polygon::new(format!("{i},{j}"), cell)
                            .fill_color(fill)
                            .stroke(egui::Stroke::NONE),
                    );
                    plot.text(Text::new(
                        format!("n{i},{j}"),
                        PlotPoint::new(x, y),
                        egui::RichText::new(count.to_string()).size(13.0),
                    ));
                }
            }
        });
}

/// Every set of the document together: each pair's figures, then Fleiss' κ and αu per label.
fn all_sets(ui: &mut Ui, m: &MultiAgreement) {
    egui::Grid::new("pairwise").striped(true).show(ui, |ui| {
        for h in ["A", "B", "F1", "F1 overlap", "κ", "αu"] {
            ui.strong(h);
        }
        ui.end_row();
        for p in &m.pairwise {
            ui.label(&p.a);
            ui.label(&p.b);
            ui.label(format!("{:.2}", p.figures.exact.f1));
            ui.label(format!("{:.2}", p.figures.overlap.f1));
            ui.label(format!("{:.2}", p.figures.kappa));
            ui.label(format!("{:.2}", p.alpha_u));
            ui.end_row();
        }
    });
    egui::Grid::new("all-sets").striped(true).show(ui, |ui| {
        for h in ["label", "Fleiss' κ", "αu"] {
            ui.strong(h);
        }
        ui.end_row();
        for (label, k) in &m.fleiss.labels {
            ui.label(label);
            ui.label(format!("{k:.2}"));
            let au = m.alpha_u.labels.get(label).copied().unwrap_or(1.0);
            ui.label(format!("{au:.2}"));
            ui.end_row();
        }
        ui.strong("overall");
        ui.label(format!("{:.2}", m.fleiss.overall));
        ui.label(format!("{:.2}", m.alpha_u.overall));
        ui.end_row();
    });
}
