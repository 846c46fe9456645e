//! Drawing a layout with egui: highlights as rectangles under the text, and the visible lines'
//! glyphs as one textured mesh from our atlas. Highlights never split the shaped text, so an
//! annotation can never break the joining of Arabic letters.
//!
//! The engine knows nothing of labels: callers give style runs keyed by their own key type `K`
//! and say how each key looks.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect as ERect, Shape, Stroke, pos2};

use super::atlas::GlyphAtlas;
use super::layout::TextLayout;
use crate::offsets::CharRange;

/// A range of text with the caller's style key.
#[derive(Clone, Debug, PartialEq)]
pub struct StyleRun<K> {
    pub range: CharRange,
    pub key: K,
}

/// How a style run is drawn under (or around) the text.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HighlightStyle {
    /// Background fill of the run's rectangles.
    pub fill: Option<Color32>,
    /// A bar under the text: colour, thickness and distance below the content area, in points
    /// (stacked bars tell nested or overlapping runs apart).
    pub underline: Option<(Color32, f32, f32)>,
    /// A bar above the text: colour, thickness and distance above the content area.
    pub overline: Option<(Color32, f32, f32)>,
    /// A frame around each rectangle.
    pub outline: Option<Stroke>,
}

/// Shapes for style runs (fills, then underlines, then outlines), only for visible lines.
pub fn highlight_shapes<K>(
    layout: &TextLayout,
    origin: Pos2,
    clip: ERect,
    runs: &[StyleRun<K>],
    style: impl Fn(&K) -> HighlightStyle,
) -> Vec<Shape> {
    let visible = layout.lines_in(clip.min.y - origin.y, clip.max.y - origin.y);
    let (Some((first, _)), Some((last, _))) = (visible.first(), visible.last()) else {
        return Vec::new();
    };
    let window = CharRange::new(first.chars.start, last.chars.end.max(last.chars.start + 1));
    let mut fills = Vec::new();
    let mut bars = Vec::new();
    let mut frames = Vec::new();
    for run in runs.iter().filter(|r| r.range.overlaps(&window)) {
        let s = style(&run.key);
        // Only the visible part: a long span never places paragraphs off screen.
        let visible = CharRange::new(
            run.range.start.max(window.start),
            run.range.end.min(window.end),
        );
        for q in layout.range_rects(visible) {
            let rect = ERect::from_min_max(
                origin + egui::vec2(q.x0, q.y0),
                origin + egui::vec2(q.x1, q.y1),
            );
            if let Some(fill) = s.fill {
                fills.push(Shape::rect_filled(rect, 0.0, fill));
            }
            if let Some((color, thickness, below)) = s.underline {
                let bar = ERect::from_min_max(
                    pos2(rect.min.x, rect.max.y + below),
                    pos2(rect.max.x, rect.max.y + below + thickness),
                );
                bars.push(Shape::rect_filled(bar, 0.0, color));
            }
            if let Some((color, thickness, above)) = s.overline {
                let bar = ERect::from_min_max(
                    pos2(rect.min.x, rect.min.y - above - thickness),
                    pos2(rect.max.x, rect.min.y - above),
                );
                bars.push(Shape::rect_filled(bar, 0.0, color));
            }
            if let Some(stroke) = s.outline {
                frames.push(Shape::rect_stroke(
                    rect,
                    2.0,
                    stroke,
                    egui::StrokeKind::Outside,
                ));
            }
        }
    }
    fills.extend(bars);
    fills.extend(frames);
    fills
}

/// One mesh with the glyphs of the visible lines, coloured per cluster by `color`. Glyphs are
/// placed on the physical pixel grid and rasterised at that scale; new glyphs are uploaded.
pub fn text_mesh(
    ctx: &egui::Context,
    layout: &TextLayout,
    atlas: &mut GlyphAtlas,
    origin: Pos2,
    clip: ERect,
    color: impl Fn(CharRange) -> Color32,
) -> Mesh {
    let ppp = ctx.pixels_per_point();
    let mut quads: Vec<([f32; 4], [usize; 4], Color32)> = Vec::new();
    for (line, glyphs) in layout.lines_in(clip.min.y - origin.y, clip.max.y - origin.y) {
        for cluster in &line.clusters {
            let tint = color(cluster.chars);
            for g in &glyphs[cluster.glyphs.clone()] {
                let x = (origin.x + g.x) * ppp;
                let y = ((origin.y + g.y) * ppp).round();
                let Some(a) = atlas.glyph(g.font, g.id, g.size * ppp, x - x.floor()) else {
                    continue;
                };
                let left = x.floor() + a.offset[0];
                let top = y + a.offset[1];
                quads.push((
                    [
                        left / ppp,
                        top / ppp,
                        (left + a.size[0] as f32) / ppp,
                        (top + a.size[1] as f32) / ppp,
                    ],
                    [a.pos[0], a.pos[1], a.size[0], a.size[1]],
                    tint,
                ));
            }
        }
    }
    // A full atlas is cleared and refilled: quads placed before that point at the wrong
    // glyphs, so this frame is drawn again.
    if atlas.take_cleared() {
        ctx.request_discard("the glyph atlas was full and has been cleared");
    }
    atlas.upload(ctx);
    let [w, h] = atlas.size();
    let (w, h) = (w as f32, h as f32);
    let mut mesh = match atlas.texture_id() {
        Some(id) => Mesh::with_texture(id),
        None => Mesh::default(),
    };
    for ([x0, y0, x1, y1], [u, v, du, dv], tint) in quads {
        let uv = ERect::from_min_max(
            pos2(u as f32 / w, v as f32 / h),
            pos2((u + du) as f32 / w, (v + dv) as f32 / h),
        );
        mesh.add_rect_with_uv(ERect::from_min_max(pos2(x0, y0), pos2(x1, y1)), uv, tint);
    }
    mesh
}
