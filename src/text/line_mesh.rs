//! The glyph quads of each drawn line, kept while the line and the glyph atlas stay as they
//! are: a scrolled text moves the same quads by whole pixels instead of looking every glyph
//! of the screen up in the atlas again.
//!
//! A line is known by its layout's id (new for every layout and every width), its number, the
//! pixel scale and the subpixel part of the text's x (which picks each glyph's bitmap; it stays
//! while the text scrolls up and down). Quads are in physical pixels from the text's origin,
//! each with its pen's unrounded y so that it lands on the pixel it would land on drawn anew;
//! texture coordinates are in atlas pixels: growing the atlas keeps every glyph where it is,
//! so only a clear of the atlas (or a new layout or width) makes a line's quads anew.

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
    /// The fractional part of the origin's x in physical pixels, as bits.
    pub fract_x: u32,
}

/// One glyph: where its bitmap goes and where it is in the atlas (px), each as left, top,
/// right, bottom. `rect`'s x is in whole physical pixels from the origin's whole pixel, its y
/// from the pen's row: `pen_y` (physical px below the origin, unrounded) rounded with the
/// origin's y.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quad {
    pub rect: [f32; 4],
    pub pen_y: f32,
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
    /// The atlas generation the kept quads belong to.
    atlas: u64,
    /// The frame of the last sweep.
    swept: u64,
    /// Lines made so far (not found kept).
    made: u64,
}

impl LineMeshes {
    /// Once per frame, forgets lines not drawn for a while; forgets all if the atlas was
    /// cleared since they were made (or is another atlas).
    pub fn start(&mut self, frame: u64, atlas: &GlyphAtlas) {
        if atlas.generation() != self.atlas {
            self.atlas = atlas.generation();
            self.lines.clear();
        }
        if frame != self.swept {
            self.swept = frame;
            self.lines
                .retain(|_, kept| kept.used.saturating_add(KEEP_FRAMES) >= frame);
        }
    }

    /// Makes sure the line's quads are kept, making them from its glyphs if they are not;
    /// says how many there are.
    pub fn keep(
        &mut self,
        key: LineKey,
        frame: u64,
        atlas: &mut GlyphAtlas,
        line: &Line,
        glyphs: &[PlacedGlyph],
    ) -> usize {
        let kept = self.lines.entry(key).or_insert_with(|| {
            self.made += 1;
            Kept {
                quads: line_quads(atlas, line, glyphs, key),
                used: frame,
            }
        });
        kept.used = frame;
        kept.quads.len()
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

/// A line's glyphs looked up (or rasterised) in the atlas at the key's scale, on the physical
/// pixel grid: x at its subpixel bin (the origin's own fraction counted), y left to the frame.
fn line_quads(
    atlas: &mut GlyphAtlas,
    line: &Line,
    glyphs: &[PlacedGlyph],
    key: LineKey,
) -> Vec<Quad> {
    let (ppp, fract_x) = (f32::from_bits(key.ppp), f32::from_bits(key.fract_x));
    let mut quads = Vec::new();
    for cluster in &line.clusters {
        for g in glyphs.get(cluster.glyphs.clone()).unwrap_or_default() {
            let x = fract_x + g.x * ppp;
            let Some(a) = atlas.glyph(g.font, g.id, g.size * ppp, x - x.floor()) else {
                continue;
            };
            let left = x.floor() + a.offset[0];
            let (w, h) = (a.size[0] as f32, a.size[1] as f32);
            let (u, v) = (a.pos[0] as f32, a.pos[1] as f32);
            quads.push(Quad {
                rect: [left, a.offset[1], left + w, a.offset[1] + h],
                pen_y: g.y * ppp,
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

    use super::*;
    use crate::text::{LayoutStyle, TextEngine, TextLayout, text_mesh};

    const SEED: &str = include_str!("../../tests/data/seed-article.txt");
    const BLACK: Color32 = Color32::BLACK;

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

        /// Empty frames go by (at `ppp` pixels per point).
        fn frames(&mut self, n: usize, ppp: f32) {
            self.ctx.set_pixels_per_point(ppp);
            for _ in 0..n {
                let mut pass = self.ctx.run_ui(egui::RawInput::default(), |_| {});
                pass.textures_delta.clear();
            }
        }

        /// Large glyphs into the atlas until `full` says stop (at most 2,000 of them).
        fn fill_atlas_until(&mut self, full: impl Fn(&GlyphAtlas) -> bool) {
            for glyph in 5..2000 {
                if full(&self.atlas) {
                    return;
                }
                self.atlas.glyph(0, glyph, 200.0, 0.0);
            }
            panic!("the atlas did not fill up");
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
    fn each_glyph_lands_on_the_pixel_it_lands_on_drawn_anew_at_any_scale() {
        // At 150 %, the text at a fractional place, scrolled by fractions of a point: each
        // glyph where the pen's exact position puts it (x to its subpixel bin, y rounded).
        let mut screen = Screen::default();
        screen.frames(1, 1.5);
        let layout = seed_at(600.0);
        for y in [-0.3, -10.7, -11.2, -25.55] {
            let origin = pos2(3.3, y);
            let mesh = screen.draw(&layout, origin);
            let mut expected = Vec::new();
            for (line, glyphs) in layout.lines_in(-y, 400.0 - y) {
                for g in line.clusters.iter().flat_map(|c| &glyphs[c.glyphs.clone()]) {
                    let x = (origin.x + g.x) * 1.5;
                    let pen_y = ((origin.y + g.y) * 1.5).round();
                    if let Some(a) = screen
                        .atlas
                        .glyph(g.font, g.id, g.size * 1.5, x - x.floor())
                    {
                        let left = x.floor() + a.offset[0];
                        expected.push(pos2(left / 1.5, (pen_y + a.offset[1]) / 1.5));
                    }
                }
            }
            let drawn: Vec<Pos2> = mesh.vertices.chunks(4).map(|q| q[0].pos).collect();
            assert_eq!(drawn.len(), expected.len());
            for (d, e) in drawn.iter().zip(&expected) {
                assert!((*d - *e).length() < 1e-3, "at y {y}: {d:?} ≠ {e:?}");
            }
        }
        assert_eq!(screen.made(), visible(&layout, pos2(0.0, -25.55)));
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
        screen.frames(1, 2.0);
        let made = screen.made();
        let sharp = screen.draw(&layout, origin);
        let sharper = made + visible(&layout, origin);
        assert_eq!(screen.made(), sharper, "sharper glyphs");
        assert_eq!(sharp.vertices, screen.fresh(&layout, origin).vertices);
    }

    #[test]
    fn lines_not_drawn_for_a_while_are_forgotten() {
        let mut screen = Screen::default();
        let layout = seed_at(600.0);
        screen.draw(&layout, pos2(0.0, 0.0));
        let low = pos2(0.0, -800.0);
        screen.frames(KEEP_FRAMES as usize, 1.0);
        screen.draw(&layout, low);
        assert!(
            screen.lines.len() as u64 > visible(&layout, low),
            "still kept"
        );
        screen.frames(2, 1.0);
        screen.draw(&layout, low);
        assert_eq!(screen.lines.len() as u64, visible(&layout, low));
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
        screen.fill_atlas_until(|atlas| atlas.size()[0] > side);
        screen.atlas.take_cleared();
        let grown = screen.draw(&layout, origin);
        assert_eq!(screen.made(), made, "growing keeps the quads");
        assert_eq!(grown.vertices, screen.fresh(&layout, origin).vertices);
        // Filled up, the atlas is cleared: every line is made again.
        let generation = screen.atlas.generation();
        screen.fill_atlas_until(|atlas| atlas.generation() != generation);
        screen.draw(&layout, origin);
        assert_eq!(screen.made(), made + visible(&layout, origin));
        // Another atlas: the kept quads point into this one and are not used.
        screen.atlas = GlyphAtlas::new();
        let made = screen.made();
        screen.draw(&layout, origin);
        assert_eq!(screen.made(), made + visible(&layout, origin));
    }
}
