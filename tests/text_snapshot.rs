//! The seed article drawn by the engine's widget at 600 px, rendered headless by egui_kittest
//! (wgpu on Mesa's software renderer) and compared with the committed image. The image was
//! checked by eye against `reference-render`'s browser rendering before it was committed;
//! refresh it with `UPDATE_SNAPSHOTS=1 cargo test --test text_snapshot`.

use egui_kittest::{Harness, SnapshotOptions};
use marsad::model::CharRange;
use marsad::text::ArabicText;

const SEED: &str = include_str!("data/seed-article.txt");

#[test]
fn the_seed_article_drawn_by_the_widget_at_600_px() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(640.0, 1920.0))
        .with_pixels_per_point(1.0)
        .build_ui(|ui| {
            ui.ctx().set_visuals(egui::Visuals::light());
            egui::Frame::new()
                .fill(egui::Color32::WHITE)
                .inner_margin(20.0)
                .show(ui, |ui| {
                    ui.add(
                        ArabicText::new(SEED)
                            .width(600.0)
                            .color(egui::Color32::BLACK)
                            // جماعة, and "في منطقتي موبتي M": Arabic running into Latin.
                            .highlight(
                                CharRange::new(0, 5),
                                egui::Color32::from_rgba_unmultiplied(255, 170, 0, 90),
                            )
                            .highlight(
                                CharRange::new(1228, 1245),
                                egui::Color32::from_rgba_unmultiplied(255, 170, 0, 90),
                            ),
                    );
                });
        });
    harness.run();
    harness.snapshot_options("seed_article_600", &SnapshotOptions::new().threshold(0.6));
}
