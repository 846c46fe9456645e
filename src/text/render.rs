//! Drawing a layout with egui: highlights as rectangles under the text, and the visible lines'
//! glyphs as one textured mesh from our atlas, made of each line's kept quads. Highlights
//! never split the shaped text, so an annotation can never break the joining of Arabic
//! letters.
//!
//! The engine knows nothing of labels: callers give style runs keyed by their own key type `K`
//! and say how each key looks.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect as ERect, Shape, Stroke, pos2};

use super::atlas::GlyphAtlas;
use super::layout::TextLayout;
use super::line_mesh::{LineKey, LineMeshes};
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

/// One mesh with the glyphs of the visible lines in `color`, placed on the physical pixel grid
/// and rasterised at that scale; new glyphs are uploaded. Each line's quads are kept in
/// `lines`: while only the origin moves (scrolling), no glyph is looked up again.
pub fn text_mesh(
    ctx: &egui::Context,
    layout: &TextLayout,
    atlas: &mut GlyphAtlas,
    lines: &mut LineMeshes,
    origin: Pos2,
    clip: ERect,
    color: Color32,
) -> Mesh {
    let ppp = ctx.pixels_per_point();
    let frame = ctx.cumulative_frame_nr();
    lines.start(frame, atlas);
    // The origin in physical pixels: its whole pixels move the kept quads, its x fraction
    // picks their bitmaps, its y is rounded with each glyph's pen.
    let (ox, oy) = (origin.x * ppp, origin.y * ppp);
    let whole_x = ox.floor();
    let mut count = 0;
    let visible: Vec<LineKey> = layout
        .numbered_lines_in(clip.min.y - origin.y, clip.max.y - origin.y)
        .into_iter()
        .map(|(number, line, glyphs)| {
            let key = LineKey {
                layout: layout.id(),
                number,
                ppp: ppp.to_bits(),
                fract_x: (ox - whole_x).to_bits(),
            };
            count += lines.keep(key, frame, atlas, line, glyphs);
            key
        })
        .collect();
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
    mesh.reserve_vertices(4 * count);
    mesh.reserve_triangles(2 * count);
    for key in &visible {
        for q in lines.quads(key) {
            let [x0, y0, x1, y1] = q.rect;
            let [u0, v0, u1, v1] = q.uv;
            let y = (oy + q.pen_y).round();
            mesh.add_rect_with_uv(
                ERect::from_min_max(
                    pos2((whole_x + x0) / ppp, (y + y0) / ppp),
                    pos2((whole_x + x1) / ppp, (y + y1) / ppp),
                ),
                ERect::from_min_max(pos2(u0 / w, v0 / h), pos2(u1 / w, v1 / h)),
                color,
            );
        }
    }
    mesh
}
