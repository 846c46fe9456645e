//! The glyph atlas: every (font, glyph, pixel size, subpixel offset) is rasterised once — its
//! outline read with skrifa, filled with vello_cpu — into one egui texture that we own. New
//! glyphs are copied into the CPU image and uploaded with `TextureHandle::set_partial`.
//!
//! Glyphs are packed in shelves in a texture of fixed size (so texture coordinates never
//! change); when it is full it is cleared, and the frame is drawn again with a fresh atlas.

use std::collections::HashMap;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::{Color32, ColorImage, Context, ImageData, TextureHandle, TextureOptions};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlineGlyphCollection, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use vello_cpu::kurbo::{self, Shape as _};

use super::fonts::{FontId, Fonts};

/// Horizontal subpixel positions a glyph is rasterised at (quarters of a pixel).
pub const SUBPIXEL_BINS: f32 = 4.0;
/// Largest side of the square atlas texture, px (16 MiB; thousands of glyphs at reading
/// sizes).
pub const SIDE: usize = 2048;
/// The side it starts at (1 MiB): an article's glyphs at one size fit in 512–1024 px, and
/// each texture is held three times over (our image, the upload, the GPU's copy — in system
/// memory with a software renderer).
pub const FIRST_SIDE: usize = 512;
const PADDING: usize = 1;

/// A generation no atlas has had yet in this process.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: FontId,
    glyph: u32,
    /// Pixel size in 1/64 px.
    size: u32,
    /// Subpixel bin of the pen's x, 0..SUBPIXEL_BINS.
    bin: u8,
}

/// Where a rasterised glyph is in the atlas, and where it goes relative to the pen (px).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AtlasGlyph {
    /// Top-left corner in the atlas, px.
    pub pos: [usize; 2],
    /// Size of the bitmap, px.
    pub size: [usize; 2],
    /// From the (pixel-snapped) pen position to the bitmap's top-left corner, px.
    pub offset: [f32; 2],
}

/// The glyph cache and its texture.
pub struct GlyphAtlas {
    /// Shared with the upload of the whole texture (no copy); written again only once egui's
    /// renderer has taken it, or copied then.
    image: Arc<ColorImage>,
    texture: Option<TextureHandle>,
    /// Regions of `image` changed since the last upload.
    dirty: Vec<([usize; 2], [usize; 2])>,
    /// The whole image must be uploaded (first use, after a clear or a growth).
    resized: bool,
    /// Cleared, or grown, since the last [`Self::take_cleared`]: texture coordinates taken
    /// before are off.
    cleared: bool,
    /// A number no other atlas, nor this one before its last clear, has had: glyph
    /// positions are valid while it stays (growing keeps them).
    generation: u64,
    glyphs: HashMap<GlyphKey, Option<AtlasGlyph>>,
    /// Shelf packing: next free x on the current shelf, its top and height.
    cursor: [usize; 2],
    shelf_height: usize,
    outlines: Vec<OutlineGlyphCollection<'static>>,
}

impl Default for GlyphAtlas {
    fn default() -> Self {
        Self::new()
    }
}

impl GlyphAtlas {
    pub fn new() -> Self {
        let outlines = (0..2)
            .filter_map(|id| FontRef::new(Fonts::bytes(id)).ok())
            .map(|font| font.outline_glyphs())
            .collect();
        Self {
            image: Arc::new(ColorImage::filled(
                [FIRST_SIDE, FIRST_SIDE],
                Color32::TRANSPARENT,
            )),
            texture: None,
            dirty: Vec::new(),
            resized: true,
            cleared: false,
            generation: next_generation(),
            glyphs: HashMap::new(),
            cursor: [0, 0],
            shelf_height: 0,
            outlines,
        }
    }

    /// Size of the atlas image, px.
    pub fn size(&self) -> [usize; 2] {
        self.image.size
    }

    /// Number of glyphs rasterised so far.
    pub fn len(&self) -> usize {
        self.glyphs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }

    /// The texture, once [`Self::upload`] has run.
    pub fn texture_id(&self) -> Option<egui::TextureId> {
        self.texture.as_ref().map(TextureHandle::id)
    }

    /// The glyph at `size_px` with the pen at subpixel offset `fract_x` (0..1), rasterised on
    /// first use; `None` for glyphs without ink (spaces).
    pub fn glyph(
        &mut self,
        font: FontId,
        glyph: u32,
        size_px: f32,
        fract_x: f32,
    ) -> Option<AtlasGlyph> {
        let bin = ((fract_x * SUBPIXEL_BINS).floor() as u8).min(SUBPIXEL_BINS as u8 - 1);
        let key = GlyphKey {
            font,
            glyph,
            size: (size_px * 64.0).round() as u32,
            bin,
        };
        if let Some(found) = self.glyphs.get(&key) {
            return *found;
        }
        let placed = self.rasterize(key);
        self.glyphs.insert(key, placed);
        placed
    }

    fn rasterize(&mut self, key: GlyphKey) -> Option<AtlasGlyph> {
        let outlines = self.outlines.get(usize::from(key.font))?;
        let outline = outlines.get(GlyphId::new(key.glyph))?;
        let mut path = kurbo::BezPath::new();
        let shift = f64::from(key.bin) / f64::from(SUBPIXEL_BINS);
        let size = Size::new(key.size as f32 / 64.0);
        outline
            .draw(
                DrawSettings::unhinted(size, LocationRef::default()),
                &mut PathPen {
                    path: &mut path,
                    dx: shift,
                },
            )
            .ok()?;
        let bounds = path.bounding_box();
        if bounds.is_zero_area() || !bounds.is_finite() {
            return None;
        }
        let (x0, y0) = (bounds.x0.floor(), bounds.y0.floor());
        let w = (bounds.x1.ceil() - x0) as usize;
        let h = (bounds.y1.ceil() - y0) as usize;
        if w == 0 || h == 0 || w > SIDE / 4 || h > SIDE / 4 {
            // Bigger than any reading size (512 px): not drawn rather than filling the atlas.
            return None;
        }
        let mut ctx = vello_cpu::RenderContext::new(w as u16, h as u16);
        ctx.set_transform(kurbo::Affine::translate((-x0, -y0)));
        ctx.set_paint(vello_cpu::color::OpaqueColor::<vello_cpu::color::Srgb>::WHITE);
        ctx.fill_path(&path);
        let mut pixmap = vello_cpu::Pixmap::new(w as u16, h as u16);
        ctx.render(&mut pixmap, &mut vello_cpu::Resources::new());
        let pos = self.allocate(w, h)?;
        let coverage = pixmap.data_as_u8_slice();
        let image = Arc::make_mut(&mut self.image);
        let atlas_w = image.size[0];
        for row in 0..h {
            for col in 0..w {
                let a = coverage[4 * (row * w + col) + 3];
                image.pixels[(pos[1] + row) * atlas_w + pos[0] + col] =
                    Color32::from_rgba_premultiplied(a, a, a, a);
            }
        }
        self.dirty.push((pos, [w, h]));
        // The bitmap already holds the subpixel shift: it goes on whole pixels.
        Some(AtlasGlyph {
            pos,
            size: [w, h],
            offset: [x0 as f32, y0 as f32],
        })
    }

    /// A free `w`×`h` place; when there is none, the atlas is cleared first.
    fn allocate(&mut self, w: usize, h: usize) -> Option<[usize; 2]> {
        let (w_pad, h_pad) = (w + PADDING, h + PADDING);
        let side = self.image.size[0];
        if self.cursor[0] + w_pad > side {
            self.cursor = [0, self.cursor[1] + self.shelf_height];
            self.shelf_height = 0;
        }
        if self.cursor[1] + h_pad > side && side < SIDE {
            self.grow();
            return self.allocate(w, h);
        }
        if self.cursor[1] + h_pad > side {
            self.glyphs.clear();
            Arc::make_mut(&mut self.image)
                .pixels
                .fill(Color32::TRANSPARENT);
            self.cursor = [0, 0];
            self.shelf_height = 0;
            self.resized = true;
            self.cleared = true;
            self.generation = next_generation();
            self.dirty.clear();
        }
        let pos = self.cursor;
        self.cursor[0] += w_pad;
        self.shelf_height = self.shelf_height.max(h_pad);
        Some(pos)
    }

    /// Doubles the side: every glyph keeps its pixel position, the shelves go on to the right
    /// of the old ones' width and below them.
    fn grow(&mut self) {
        let old = self.image.size[0];
        let side = old * 2;
        let mut image = ColorImage::filled([side, side], Color32::TRANSPARENT);
        for row in 0..old {
            image.pixels[row * side..row * side + old]
                .copy_from_slice(&self.image.pixels[row * old..(row + 1) * old]);
        }
        self.image = Arc::new(image);
        // New shelves start below the old square, across the whole new width.
        self.cursor = [0, old];
        self.shelf_height = 0;
        self.resized = true;
        // Meshes made earlier this frame normalised their texture coordinates by the old side.
        self.cleared = true;
        self.dirty.clear();
    }

    /// Which atlas this is, and since which clear: glyph positions taken from it are valid
    /// while this stays the same (growing keeps them).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn take_cleared(&mut self) -> bool {
        std::mem::take(&mut self.cleared)
    }

    /// Sends what changed to the GPU: the whole image the first time and after it grew, only
    /// the new glyphs' rectangles otherwise.
    pub fn upload(&mut self, ctx: &Context) {
        let options = TextureOptions::LINEAR;
        match &mut self.texture {
            None => {
                let image = ImageData::Color(Arc::clone(&self.image));
                self.texture = Some(ctx.load_texture("marsad-glyphs", image, options));
            }
            Some(texture) if self.resized => {
                texture.set(ImageData::Color(Arc::clone(&self.image)), options)
            }
            Some(texture) => {
                let width = self.image.size[0];
                for (pos, size) in self.dirty.drain(..) {
                    let mut pixels = Vec::with_capacity(size[0] * size[1]);
                    for row in pos[1]..pos[1] + size[1] {
                        pixels.extend_from_slice(
                            &self.image.pixels
                                [row * width + pos[0]..row * width + pos[0] + size[0]],
                        );
                    }
                    texture.set_partial(pos, ColorImage::new(size, pixels), options);
                }
            }
        }
        self.resized = false;
        self.dirty.clear();
    }
}

/// Collects a skrifa outline into a kurbo path with y pointing down.
struct PathPen<'a> {
    path: &'a mut kurbo::BezPath,
    dx: f64,
}

impl OutlinePen for PathPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to((f64::from(x) + self.dx, -f64::from(y)));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to((f64::from(x) + self.dx, -f64::from(y)));
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.path.quad_to(
            (f64::from(cx0) + self.dx, -f64::from(cy0)),
            (f64::from(x) + self.dx, -f64::from(y)),
        );
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.path.curve_to(
            (f64::from(cx0) + self.dx, -f64::from(cy0)),
            (f64::from(cx1) + self.dx, -f64::from(cy1)),
            (f64::from(x) + self.dx, -f64::from(y)),
        );
    }

    fn close(&mut self) {
        self.path.close_path();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_glyph_is_rasterised_once_per_size_and_bin() {
        let mut atlas = GlyphAtlas::new();
        // Glyph 5 of Noto Naskh Arabic, at 24 px.
        let a = atlas.glyph(0, 5, 24.0, 0.1).expect("ink");
        assert_eq!(atlas.len(), 1);
        assert_eq!(atlas.glyph(0, 5, 24.0, 0.2), Some(a), "same bin");
        atlas.glyph(0, 5, 24.0, 0.6);
        atlas.glyph(0, 5, 30.0, 0.1);
        assert_eq!(atlas.len(), 3);
        let ink: u32 = (0..a.size[1])
            .flat_map(|r| (0..a.size[0]).map(move |c| (r, c)))
            .map(|(r, c)| {
                u32::from(atlas.image.pixels[(a.pos[1] + r) * atlas.size()[0] + a.pos[0] + c].a())
            })
            .sum();
        assert!(ink > 0, "the glyph has coverage");
    }

    #[test]
    fn glyphs_seen_before_upload_nothing() {
        let ctx = Context::default();
        let mut atlas = GlyphAtlas::new();
        atlas.glyph(0, 5, 24.0, 0.1).expect("ink");
        atlas.upload(&ctx);
        assert!(
            atlas.texture_id().is_some(),
            "the texture is made at the first upload"
        );
        atlas.glyph(0, 6, 24.0, 0.1).expect("ink");
        assert_eq!(atlas.dirty.len(), 1, "a new glyph is one partial upload");
        atlas.upload(&ctx);
        // Scrolling back over the same text: the same glyphs, nothing to send.
        atlas.glyph(0, 5, 24.0, 0.1);
        atlas.glyph(0, 6, 24.0, 0.1);
        assert!(atlas.dirty.is_empty() && !atlas.resized);
    }

    #[test]
    fn a_space_has_no_bitmap() {
        let mut atlas = GlyphAtlas::new();
        let font = FontRef::new(Fonts::bytes(1)).expect("font");
        let space = font.charmap().map(' ').expect("space").to_u32();
        assert_eq!(atlas.glyph(1, space, 24.0, 0.0), None);
    }

    #[test]
    fn the_atlas_grows_keeping_its_glyphs_and_is_cleared_when_full() {
        let mut atlas = GlyphAtlas::new();
        assert_eq!(atlas.size(), [FIRST_SIDE, FIRST_SIDE], "it starts small");
        let first = atlas.glyph(0, 5, 200.0, 0.0).expect("ink");
        let ink = |atlas: &GlyphAtlas, g: AtlasGlyph| -> u32 {
            let side = atlas.size()[0];
            (0..g.size[1])
                .flat_map(|r| (0..g.size[0]).map(move |c| (r, c)))
                .map(|(r, c)| {
                    u32::from(atlas.image.pixels[(g.pos[1] + r) * side + g.pos[0] + c].a())
                })
                .sum()
        };
        let before = ink(&atlas, first);
        let mut sides = vec![FIRST_SIDE];
        // Glyphs of 200 px: a few fill 512², about a hundred fill 2048².
        for glyph in 6..1000 {
            let side = atlas.size()[0];
            atlas.glyph(0, glyph, 200.0, 0.0);
            if !atlas.take_cleared() {
                continue;
            }
            if atlas.size()[0] > side {
                sides.push(atlas.size()[0]);
                assert_eq!(
                    atlas.glyph(0, 5, 200.0, 0.0),
                    Some(first),
                    "kept where it was"
                );
                assert_eq!(ink(&atlas, first), before, "its pixels moved with it");
            } else {
                assert_eq!(sides, [512, 1024, 2048], "it grew to its largest first");
                assert!(atlas.len() <= 1, "only the glyph that did not fit is left");
                return;
            }
        }
        panic!("the atlas never filled up: {sides:?}");
    }

    #[test]
    fn the_subpixel_shift_is_in_the_bitmap_and_the_bitmap_on_whole_pixels() {
        let mut atlas = GlyphAtlas::new();
        let a = atlas.glyph(0, 5, 24.0, 0.0).expect("ink");
        let b = atlas.glyph(0, 5, 24.0, 0.5).expect("ink");
        assert_ne!(a.pos, b.pos, "two bins, two bitmaps");
        assert_eq!(a.offset[0].fract(), 0.0);
        assert_eq!(b.offset[0].fract(), 0.0);
    }
}
