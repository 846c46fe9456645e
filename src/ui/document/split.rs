//! The review side by side: the same layout drawn twice at half the width, A's text on the
//! right and B's on the left, in one box of one scroll area, so that every line stays level
//! with its twin whatever is scrolled.

use egui::{Pos2, Sense, Stroke, Ui, vec2};

use super::{DocView, MARGIN, SpanKey};
use crate::app::{App, Command};
use crate::review::DiffKey;
use crate::text::{HighlightStyle, LayoutStyle, StyleRun, TextSystem, highlight_shapes, text_mesh};

/// The height of a pane's title.
const TITLE: f32 = 26.0;

impl DocView {
    /// The review side by side: the same text twice at half the width, A's spans on the
    /// right, B's on the left, every difference filled with its kind's colour in both. Both
    /// panes are one box in one scroll area with the same layout, so each line — and each
    /// paragraph — is level in both at every scroll position. Hovering a span outlines its
    /// partner in the other pane; a click focuses its difference.
    pub(super) fn show_split(
        &mut self,
        ui: &mut Ui,
        app: &App,
        review: &crate::app::review::Review,
        style: LayoutStyle,
        dark: bool,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(session) = &app.session else {
            return commands;
        };
        let doc = &session.doc;
        let text = doc.document.text();
        let runs = self.runs.take();
        let title = |id: &str| -> String {
            match doc.set(id).map(|s| &s.source) {
                Some(crate::model::Source::Model { name, version }) => match version {
                    Some(v) => format!("{name} {v}"),
                    None => name.clone(),
                },
                _ => id.to_owned(),
            }
        };
        let (title_a, title_b) = (
            format!("A · {}", title(&review.a)),
            format!("B · {}", title(&review.b)),
        );
        let path = app.session.as_ref().map(|s| s.path.clone());
        egui::ScrollArea::vertical()
            .id_salt(("split", path))
            .auto_shrink(false)
            .show(ui, |ui| {
                let width = ((ui.available_width() - 3.0 * MARGIN) / 2.0).max(100.0);
                let shared = TextSystem::of(ui.ctx());
                let mut system = TextSystem::lock(&shared);
                let TextSystem {
                    engine,
                    atlas,
                    lines,
                    layouts,
                } = &mut *system;
                let frame = ui.ctx().cumulative_frame_nr();
                self.width = width;
                let layout = layouts.get(engine, text, style, width, frame);
                let (rect, response) = ui.allocate_exact_size(
                    vec2(
                        2.0 * width + 3.0 * MARGIN,
                        TITLE + layout.height() + 2.0 * MARGIN,
                    ),
                    Sense::click(),
                );
                let origin_b = rect.min + vec2(MARGIN, MARGIN + TITLE);
                let origin_a = origin_b + vec2(width + MARGIN, 0.0);
                self.origin = Some(origin_a);
                self.panes = Some((origin_a, origin_b));
                if let Some(offset) = self.scroll_to.take() {
                    let caret = layout.caret(offset, crate::text::Affinity::Downstream);
                    let r = egui::Rect::from_min_max(
                        origin_a + vec2(caret.x0, caret.y0),
                        origin_a + vec2(caret.x1, caret.y1),
                    );
                    ui.scroll_to_rect(r, Some(egui::Align::Center));
                }
                // The difference under the pointer, in whichever pane it is.
                let under = |p: Pos2| {
                    let in_a = p.x >= origin_a.x - MARGIN / 2.0;
                    let o = if in_a { origin_a } else { origin_b };
                    let c = layout.char_at(p.x - o.x, p.y - o.y)?;
                    review.differences(doc).map(|(d, _)| d).find(|d| {
                        let side = if in_a { d.a } else { d.b };
                        side.is_some_and(|s| s.start <= c && c < s.end)
                    })
                };
                let hovered = response.hover_pos().and_then(under);
                if response.clicked()
                    && let Some(d) = response.interact_pointer_pos().and_then(under)
                {
                    commands.push(Command::ReviewFocus(DiffKey::of(&d)));
                }
                let clip = ui.clip_rect();
                let painter = ui.painter_at(rect);
                let strong = ui.visuals().strong_text_color();
                for (origin, name) in [(origin_a, &title_a), (origin_b, &title_b)] {
                    painter.text(
                        origin + vec2(width, -6.0),
                        egui::Align2::RIGHT_BOTTOM,
                        name,
                        egui::FontId::proportional(14.0),
                        strong,
                    );
                }
                let no_runs = Vec::new();
                let all = runs.as_ref().map_or(&no_runs, |r| &r.spans);
                let fills: Vec<StyleRun<SpanKey>> = all
                    .iter()
                    .filter(|r| r.key.depth == usize::MAX - 1)
                    .cloned()
                    .collect();
                let fill = |k: &SpanKey| HighlightStyle {
                    fill: Some(crate::ui::theme::difference_fill(k.color, dark)),
                    ..HighlightStyle::default()
                };
                let underline = |k: &SpanKey| {
                    if k.depth == usize::MAX - 1 {
                        return fill(k);
                    }
                    HighlightStyle {
                        underline: Some((k.color, 2.0, 1.0 + 3.0 * k.depth as f32)),
                        ..HighlightStyle::default()
                    }
                };
                // A: its spans underlined by label, over the kind fills.
                painter.extend(highlight_shapes(layout, origin_a, clip, all, underline));
                // B: the same fills, its spans underlined (faded below the threshold).
                painter.extend(highlight_shapes(layout, origin_b, clip, &fills, fill));
                let no_b = Vec::new();
                let b_runs = runs.as_ref().map_or(&no_b, |r| &r.b_spans);
                painter.extend(highlight_shapes(
                    layout,
                    origin_b,
                    clip,
                    b_runs,
                    |&(c, sure)| HighlightStyle {
                        underline: Some((if sure { c } else { c.gamma_multiply(0.35) }, 2.0, 1.0)),
                        ..HighlightStyle::default()
                    },
                ));
                // The focused difference, and the hovered one with its partner, in both panes.
                let focused = review
                    .differences(doc)
                    .map(|(d, _)| d)
                    .find(|d| review.current.as_ref().is_some_and(|k| k.names(d)));
                for (d, width) in [(focused, 2.5), (hovered, 1.5)] {
                    let Some(d) = d else { continue };
                    for (origin, span) in [(origin_a, d.a), (origin_b, d.b)] {
                        let Some(s) = span else { continue };
                        let one = [StyleRun {
                            range: s.range(),
                            key: (),
                        }];
                        let stroke = Stroke::new(width, strong);
                        painter.extend(highlight_shapes(layout, origin, clip, &one, |_| {
                            HighlightStyle {
                                outline: Some(stroke),
                                ..HighlightStyle::default()
                            }
                        }));
                    }
                }
                let color = ui.visuals().text_color();
                for origin in [origin_a, origin_b] {
                    let mesh = text_mesh(ui.ctx(), layout, atlas, lines, origin, clip, color);
                    painter.add(egui::Shape::mesh(mesh));
                }
            });
        self.runs = runs;
        commands
    }
}
