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
    use egui::{Color32, Context, Pos2, Rect, pos2};

    const BLACK: Color32 = Color32::BLACK;

    use super::*;
    use crate::text::{LayoutStyle, TextEngine, TextLayout, text_mesh};

    const SEED: &str = include_str!("../../tests/data/seed-article.txt");

    fn seed_at(width: f32) -> TextLayout {
        let mut layout = TextEngine::new().layout(SEED, LayoutStyle::default());
        layout.wrap(width);
        layout
    }

    /// A window 400 px high onto a text, drawing it frame after frame.
    #[derive(Default)]
    struct Screen {
        ctx: Context,
        atlas: GlyphAtlas,
        lines: LineMeshes,
    }

    impl Screen {
        const RECT: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(600.0, 400.0));

        fn draw(&mut self, layout: &TextLayout, origin: Pos2) -> Mesh {
            let mut lines = std::mem::take(&mut self.lines);
            let mesh = self.paint(&mut lines, layout, origin);
            self.lines = lines;
            mesh
        }

        /// What a first drawing at `origin` draws (with the glyphs already in the atlas).
        fn fresh(&mut self, layout: &TextLayout, origin: Pos2) -> Mesh {
            self.paint(&mut LineMeshes::default(), layout, origin)
        }

        fn paint(&mut self, lines: &mut LineMeshes, layout: &TextLayout, origin: Pos2) -> Mesh {
            let (ctx, atlas) = (&self.ctx, &mut self.atlas);
            text_mesh(ctx, layout, atlas, lines, origin, Self::RECT, BLACK)
        }

        fn made(&self) -> u64 {
            self.lines.made()
        }
    }

    fn visible(layout: &TextLayout, origin: Pos2) -> u64 {
        let rect = Screen::RECT;
        layout
            .lines_in(rect.min.y - origin.y, rect.max.y - origin.y)
            .len() as u64
    }

    #[test]
    fn a_scrolled_text_moves_the_quads_it_kept() {
        let mut screen = Screen::default();
        let layout = seed_at(600.0);
        let top = pos2(0.0, 0.0);
        screen.draw(&layout, top);
        assert_eq!(screen.made(), visible(&layout, top));
        // A wheel turn of a fraction of a line: the same lines in view, none made again.
        let scrolled = pos2(0.0, -17.4);
        assert_eq!(visible(&layout, scrolled), visible(&layout, top));
        let moved = screen.draw(&layout, scrolled);
        assert_eq!(screen.made(), visible(&layout, top), "nothing made again");
        let fresh = screen.fresh(&layout, scrolled);
        assert!(!moved.vertices.is_empty());
        assert_eq!(moved.vertices, fresh.vertices);
        assert_eq!(moved.indices, fresh.indices);
        // Further down, only the lines come into view are made.
        screen.draw(&layout, pos2(0.0, -300.0));
        let both = layout.lines_in(0.0, 700.0).len() as u64;
        assert_eq!(screen.made(), both);
    }

    #[test]
    fn a_new_width_or_scale_makes_the_lines_anew() {
        let mut screen = Screen::default();
        let mut layout = seed_at(600.0);
        let origin = pos2(0.0, 0.0);
        screen.draw(&layout, origin);
        let first = screen.made();
        layout.wrap(400.0);
        let narrow = screen.draw(&layout, origin);
        assert_eq!(screen.made(), first + visible(&layout, origin));
        let fresh = screen.fresh(&layout, origin);
        assert_eq!(
            narrow.vertices, fresh.vertices,
            "the new lines, not the old"
        );
        screen.ctx.set_pixels_per_point(2.0);
        let mut pass = screen.ctx.run_ui(egui::RawInput::default(), |_| {});
        pass.textures_delta.clear();
        assert_eq!(screen.ctx.pixels_per_point(), 2.0);
        let made = screen.made();
        screen.draw(&layout, origin);
        let sharper = made + visible(&layout, origin);
        assert_eq!(screen.made(), sharper, "sharper glyphs");
    }

    #[test]
    fn kept_quads_survive_the_atlas_growing_and_not_its_clearing() {
        let mut screen = Screen::default();
        let layout = seed_at(600.0);
        let origin = pos2(0.0, 0.0);
        screen.draw(&layout, origin);
        let made = screen.made();
        // Large glyphs make the atlas grow: its glyphs stay where they are, and the kept
        // quads are drawn with texture coordinates of the new size.
        let side = screen.atlas.size()[0];
        let mut glyph = 5;
        while screen.atlas.size()[0] == side {
            screen.atlas.glyph(0, glyph, 200.0, 0.0);
            glyph += 1;
        }
        screen.atlas.take_cleared();
        let grown = screen.draw(&layout, origin);
        assert_eq!(screen.made(), made, "growing keeps the quads");
        assert_eq!(grown.vertices, screen.fresh(&layout, origin).vertices);
        // Filled up, the atlas is cleared: every line is made again.
        let clears = screen.atlas.clears();
        while screen.atlas.clears() == clears {
            screen.atlas.glyph(0, glyph, 200.0, 0.0);
            glyph += 1;
        }
        screen.draw(&layout, origin);
        assert_eq!(screen.made(), made + visible(&layout, origin));
    }
}
