//! What the document view draws over the text once it is laid out: each span's label as a
//! small tag over its start, and each relation as an arc between its two spans. Both only for
//! what is on screen, every frame, from the layout (never re-shaping).

use egui::{Color32, Pos2, Stroke, vec2};

use super::{BASE_LINE_HEIGHT, TAG_ROOM};
use crate::model::{CharRange, Span};
use crate::ui::theme::Palette;

/// The tags' font size at zoom 1.
const TAG_SIZE: f32 = 9.0;

/// Where the text is drawn this frame: what the overlays over it (tags, arcs) draw with.
#[derive(Clone, Copy)]
pub(super) struct Canvas<'a> {
    pub painter: &'a egui::Painter,
    pub layout: &'a crate::text::TextLayout,
    pub origin: Pos2,
    pub clip: egui::Rect,
    pub text_color: Color32,
}

/// Draws each visible span's label as a small tag over the start of its first line fragment
/// (as brat does), in the room the layout leaves above each line; tags that would meet move
/// along. Returns where each went.
pub(super) fn label_tags(
    canvas: &Canvas<'_>,
    spans: &[&Span],
    palette: &Palette,
) -> Vec<(String, egui::Rect)> {
    let Canvas {
        painter,
        layout,
        origin,
        clip,
        ..
    } = *canvas;
    let visible = layout.lines_in(clip.min.y - origin.y, clip.max.y - origin.y);
    let (Some((first, _)), Some((last, _))) = (visible.first(), visible.last()) else {
        return Vec::new();
    };
    let window = (first.chars.start, last.chars.end);
    let zoom = layout.style().line_height / (BASE_LINE_HEIGHT + TAG_ROOM);
    let font = egui::FontId::proportional(TAG_SIZE * zoom);
    let mut placed: Vec<(String, egui::Rect)> = Vec::new();
    for s in spans
        .iter()
        .filter(|s| s.start < window.1 && s.end > window.0)
    {
        let first_char = CharRange::new(s.start, (s.start + 1).min(s.end));
        let Some(r) = layout.range_rects(first_char).into_iter().next() else {
            continue;
        };
        let caret = layout.caret(s.start, crate::text::Affinity::Downstream);
        // Right to left when the span starts at its first character's right edge.
        let rtl = (caret.x0 - r.x1).abs() < (caret.x0 - r.x0).abs();
        let color = palette.color(&s.label);
        let galley = painter.layout_no_wrap(s.label.clone(), font.clone(), color);
        let size = galley.size();
        // At the top of the line's own room, never into the line above.
        let top = origin.y + caret.y0 + 1.0;
        let mut x = if rtl {
            origin.x + r.x1 - size.x
        } else {
            origin.x + r.x0
        };
        let mut rect = egui::Rect::from_min_size(egui::pos2(x, top), size);
        // Move along (in reading direction) past tags already there.
        while let Some(other) = placed.iter().find(|(_, o)| o.intersects(rect)) {
            x = if rtl {
                other.1.min.x - size.x - 2.0
            } else {
                other.1.max.x + 2.0
            };
            rect = egui::Rect::from_min_size(egui::pos2(x, rect.min.y), size);
        }
        painter.galley(rect.min, galley, color);
        placed.push((s.id.clone(), rect));
    }
    placed
}

/// Draws each relation whose ends are on screen as an arc over the text, from the top of its
/// `from` span to the top of its `to` span (brat's convention), with an arrowhead at the end
/// and the kind at the top. Returns where each went.
pub(super) fn relation_arcs(
    canvas: &Canvas<'_>,
    spans: &[&Span],
    relations: &[crate::model::Relation],
    palette: &Palette,
) -> Vec<(String, Pos2, Pos2)> {
    let Canvas {
        painter,
        layout,
        origin,
        clip,
        text_color,
    } = *canvas;
    let top_of = |id: &str| -> Option<Pos2> {
        let s = spans.iter().find(|s| s.id == id)?;
        let r = layout.range_rects(s.range()).into_iter().next()?;
        Some(egui::pos2(origin.x + (r.x0 + r.x1) / 2.0, origin.y + r.y0))
    };
    let mut out = Vec::new();
    let stroke_color = text_color.gamma_multiply(0.7);
    for r in relations {
        let (Some(a), Some(b)) = (top_of(&r.from), top_of(&r.to)) else {
            continue;
        };
        if !clip.expand(200.0).contains(a) && !clip.expand(200.0).contains(b) {
            continue;
        }
        let rise = 10.0 + 0.12 * (a.x - b.x).abs().min(300.0);
        let top = a.y.min(b.y) - rise;
        let c1 = egui::pos2(a.x, top);
        let c2 = egui::pos2(b.x, top);
        let color = spans
            .iter()
            .find(|s| s.id == r.from)
            .map_or(stroke_color, |s| palette.color(&s.label));
        painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
            [a, c1, c2, b],
            false,
            Color32::TRANSPARENT,
            Stroke::new(1.5, color),
        ));
        // The arrowhead at the end, pointing down into the span.
        painter.add(egui::Shape::convex_polygon(
            vec![b, b + vec2(-4.0, -7.0), b + vec2(4.0, -7.0)],
            color,
            Stroke::NONE,
        ));
        let mid = egui::pos2((a.x + b.x) / 2.0, top + 0.25 * (a.y.min(b.y) - top));
        painter.text(
            mid,
            egui::Align2::CENTER_BOTTOM,
            &r.kind,
            egui::FontId::proportional(10.0),
            color,
        );
        out.push((r.id.clone(), a, b));
    }
    out
}
