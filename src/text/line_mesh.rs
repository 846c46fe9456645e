//! The glyph quads of each drawn line, kept while the line and the glyph atlas stay as they
//! are: a scrolled text moves the same quads by whole pixels instead of looking every glyph
//! of the screen up in the atlas again.
//!
//! A line is known by its layout's id (new for every layout and every width), its number and
//! the pixel scale. Quads are in physical pixels from the text box's pixel-snapped origin,
//! their texture coordinates in atlas pixels: growing the atlas keeps every glyph where it
//! is, so only a clear of the atlas (or a new layout or width) makes a line's quads anew.

use std::collections::HashMap;

use super::atlas::GlyphAtlas;
use super::layout::{Line, LineNumber, PlacedGlyph};

/// Lines not drawn for this many frames are forgotten.
const KEEP_FRAMES: u64 = 30;

/// Which line, laid out how, drawn at which scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LineKey {
    pub layout: u64,
    pub number: LineNumber,
    /// Physical pixels per point, as bits.
    pub ppp: u32,
}

/// One glyph: where its bitmap goes (physical px from the snapped origin) and where it is in
/// the atlas (px), each as left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quad {
    pub rect: [f32; 4],
    pub uv: [f32; 4],
}

struct Kept {
    quads: Vec<Quad>,
    used: u64,
}

/// The quads of lines drawn lately.
#[derive(Default)]
pub struct LineMeshes {
    lines: HashMap<LineKey, Kept>,
    /// The atlas's clear count the kept quads belong to.
    clears: u64,
    /// The frame of the last sweep.
    swept: u64,
    /// Lines made so far (not found kept).
    made: u64,
}

impl LineMeshes {
    /// Once per frame, forgets lines not drawn for a while; forgets all if the atlas was
    /// cleared since they were made.
    pub fn start(&mut self, frame: u64, atlas: &GlyphAtlas) {
        if atlas.clears() != self.clears {
            self.clears = atlas.clears();
            self.lines.clear();
        }
        if frame != self.swept {
            self.swept = frame;
            self.lines
                .retain(|_, kept| kept.used.saturating_add(KEEP_FRAMES) >= frame);
        }
    }

    /// Makes sure the line's quads are kept, making them from its glyphs if they are not.
    pub fn keep(
        &mut self,
        key: LineKey,
        frame: u64,
        atlas: &mut GlyphAtlas,
        line: &Line,
        glyphs: &[PlacedGlyph],
    ) {
        let kept = self.lines.entry(key).or_insert_with(|| {
            self.made += 1;
            Kept {
                quads: line_quads(atlas, line, glyphs, f32::from_bits(key.ppp)),
                used: frame,
            }
        });
        kept.used = frame;
    }

    /// The quads of a kept line.
    pub fn quads(&self, key: &LineKey) -> &[Quad] {
        self.lines
            .get(key)
            .map_or(&[], |kept| kept.quads.as_slice())
    }

    /// How many lines have been made rather than found kept.
    pub fn made(&self) -> u64 {
        self.made
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A line's glyphs looked up (or rasterised) in the atlas at `ppp` pixels per point, on the
/// physical pixel grid: x at its subpixel bin, y on whole pixels.
fn line_quads(atlas: &mut GlyphAtlas, line: &Line, glyphs: &[PlacedGlyph], ppp: f32) -> Vec<Quad> {
    let mut quads = Vec::new();
    for cluster in &line.clusters {
        for g in glyphs.get(cluster.glyphs.clone()).unwrap_or_default() {
            let x = g.x * ppp;
            let y = (g.y * ppp).round();
            let Some(a) = atlas.glyph(g.font, g.id, g.size * ppp, x - x.floor()) else {
                continue;
            };
            let left = x.floor() + a.offset[0];
            let top = y + a.offset[1];
            let (w, h) = (a.size[0] as f32, a.size[1] as f32);
            let (u, v) = (a.pos[0] as f32, a.pos[1] as f32);
            quads.push(Quad {
                rect: [left, top, left + w, top + h],
                uv: [u, v, u + w, v + h],
            });
        }
    }
    quads
}

#[cfg(test)]
mod tests {
    use egui::epaint::Mesh;
    use egui::{Color32, Context, Pos2, Rect, pos2, vec2};

    use super::*;
    use crate::text::{LayoutStyle, TextEngine, TextLayout, text_mesh};

    const SEED: &str = include_str!("../../tests/data/seed-article.txt");

    fn seed_at(width: f32) -> TextLayout {
        let mut layout = TextEngine::new().layout(SEED, LayoutStyle::default());
        layout.wrap(width);
        layout
    }

    /// A window 400 px high onto the text.
    fn screen() -> Rect {
        Rect::from_min_size(pos2(0.0, 0.0), vec2(600.0, 400.0))
    }

    fn draw(
        ctx: &Context,
        layout: &TextLayout,
        atlas: &mut GlyphAtlas,
        lines: &mut LineMeshes,
        origin: Pos2,
    ) -> Mesh {
        text_mesh(ctx, layout, atlas, lines, origin, screen(), Color32::BLACK)
    }

    fn visible(layout: &TextLayout, origin: Pos2) -> u64 {
        layout
            .lines_in(screen().min.y - origin.y, screen().max.y - origin.y)
            .len() as u64
    }

    #[test]
    fn a_scrolled_text_moves_the_quads_it_kept() {
        let ctx = Context::default();
        let layout = seed_at(600.0);
        let (mut atlas, mut lines) = (GlyphAtlas::new(), LineMeshes::default());
        let top = pos2(0.0, 0.0);
        draw(&ctx, &layout, &mut atlas, &mut lines, top);
        assert_eq!(lines.made(), visible(&layout, top));
        // A wheel turn of a fraction of a line: the same lines in view, none made again.
        let scrolled = pos2(0.0, -17.4);
        assert_eq!(visible(&layout, scrolled), visible(&layout, top));
        let moved = draw(&ctx, &layout, &mut atlas, &mut lines, scrolled);
        assert_eq!(lines.made(), visible(&layout, top), "nothing made again");
        // What is drawn is what a first drawing at that place draws.
        let fresh = draw(
            &ctx,
            &layout,
            &mut atlas,
            &mut LineMeshes::default(),
            scrolled,
        );
        assert!(!moved.vertices.is_empty());
        assert_eq!(moved.vertices, fresh.vertices);
        assert_eq!(moved.indices, fresh.indices);
        // Further down, only the lines come into view are made.
        let down = pos2(0.0, -300.0);
        draw(&ctx, &layout, &mut atlas, &mut lines, down);
        let both = layout.lines_in(0.0, 700.0).len() as u64;
        assert_eq!(lines.made(), both);
    }

    #[test]
    fn a_new_width_or_scale_makes_the_lines_anew() {
        let ctx = Context::default();
        let mut layout = seed_at(600.0);
        let (mut atlas, mut lines) = (GlyphAtlas::new(), LineMeshes::default());
        let origin = pos2(0.0, 0.0);
        draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        let first = lines.made();
        layout.wrap(400.0);
        let narrow = draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        assert_eq!(lines.made(), first + visible(&layout, origin));
        let fresh = draw(
            &ctx,
            &layout,
            &mut atlas,
            &mut LineMeshes::default(),
            origin,
        );
        assert_eq!(
            narrow.vertices, fresh.vertices,
            "the new lines, not the old"
        );
        ctx.set_pixels_per_point(2.0);
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .textures_delta
            .clear();
        assert_eq!(ctx.pixels_per_point(), 2.0);
        let made = lines.made();
        draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        assert_eq!(
            lines.made(),
            made + visible(&layout, origin),
            "sharper glyphs"
        );
    }

    #[test]
    fn kept_quads_survive_the_atlas_growing_and_not_its_clearing() {
        let ctx = Context::default();
        let layout = seed_at(600.0);
        let (mut atlas, mut lines) = (GlyphAtlas::new(), LineMeshes::default());
        let origin = pos2(0.0, 0.0);
        draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        let made = lines.made();
        // Large glyphs make the atlas grow: its glyphs stay where they are, and the kept
        // quads are drawn with texture coordinates of the new size.
        let side = atlas.size()[0];
        let mut glyph = 5;
        while atlas.size()[0] == side {
            atlas.glyph(0, glyph, 200.0, 0.0);
            glyph += 1;
        }
        atlas.take_cleared();
        let grown = draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        assert_eq!(lines.made(), made, "growing keeps the quads");
        let fresh = draw(
            &ctx,
            &layout,
            &mut atlas,
            &mut LineMeshes::default(),
            origin,
        );
        assert_eq!(grown.vertices, fresh.vertices);
        // Filled up, the atlas is cleared: every line is made again.
        let clears = atlas.clears();
        while atlas.clears() == clears {
            atlas.glyph(0, glyph, 200.0, 0.0);
            glyph += 1;
        }
        draw(&ctx, &layout, &mut atlas, &mut lines, origin);
        assert_eq!(lines.made(), made + visible(&layout, origin));
    }
}
