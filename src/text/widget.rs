//! The text system shared by a window (engine, glyph atlas and a layout cache, kept in egui's
//! memory) and a reusable widget for a read-only Arabic paragraph or snippet — the span list
//! and the review view draw their Arabic with it, never with egui's own text.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use egui::{Color32, Context, Id, Response, Sense, Shape, Ui, Widget, vec2};

use super::atlas::GlyphAtlas;
use super::layout::{LayoutStyle, TextEngine, TextLayout};
use super::line_mesh::LineMeshes;
use super::render::{HighlightStyle, StyleRun, highlight_shapes, text_mesh};
use crate::offsets::CharRange;

/// Layouts not used for this many frames are dropped from the cache.
const KEEP_FRAMES: u64 = 120;

/// Which text a layout is of: short texts by a hash of their content, long ones by where
/// they are in memory (hashing a 200 KB article every frame would cost more than drawing
/// it). Either way a hit is checked against the text itself before it is used.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum TextId {
    Content(u64),
    Address(usize, usize),
}

/// Texts up to this many bytes are known by their content.
const SHORT_TEXT: usize = 1024;

impl TextId {
    fn of(text: &str) -> Self {
        if text.len() <= SHORT_TEXT {
            let mut hasher = DefaultHasher::new();
            text.hash(&mut hasher);
            TextId::Content(hasher.finish())
        } else {
            TextId::Address(text.as_ptr() as usize, text.len())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct LayoutKey {
    text: TextId,
    size: u32,
    line_height: u32,
    room: u32,
    dir: super::Direction,
    /// The wrapping width asked for.
    width: u32,
    /// Narrowed to its longest line ([`ArabicText::fit`]).
    fit: bool,
}

/// Engine, atlas, drawn lines and layouts of one egui context.
#[derive(Default)]
pub struct TextSystem {
    pub engine: TextEngine,
    pub atlas: GlyphAtlas,
    pub lines: LineMeshes,
    pub layouts: LayoutCache,
}

type Shared = Arc<Mutex<TextSystem>>;

impl TextSystem {
    /// The text system of `ctx`, created on first use.
    pub fn of(ctx: &Context) -> Shared {
        ctx.data_mut(|d| {
            d.get_temp_mut_or_insert_with::<Shared>(
                Id::unique("marsad-text-system"),
                Shared::default,
            )
            .clone()
        })
    }

    /// Locks a shared text system (a panic elsewhere never makes it unusable).
    pub fn lock(shared: &Shared) -> MutexGuard<'_, TextSystem> {
        shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Layouts by (text, style, width): shaped once, wrapped once per width, dropped when unused
/// for a while. A text drawn at two widths in one frame (a span in the list and in the
/// review) has a layout for each, so neither re-breaks lines every frame; a layout whose
/// width changed (the panel resized) is re-wrapped, never shaped again.
#[derive(Default)]
pub struct LayoutCache {
    layouts: HashMap<LayoutKey, (TextLayout, u64)>,
    /// The frame of the last eviction (done once per frame).
    swept: u64,
}

impl LayoutCache {
    /// The layout of `text` with `style` wrapped at `width`; `frame` marks it as used.
    pub fn get(
        &mut self,
        engine: &mut TextEngine,
        text: &str,
        style: LayoutStyle,
        width: f32,
        frame: u64,
    ) -> &mut TextLayout {
        self.get_fitted(engine, text, style, width, false, frame)
    }

    /// Like [`Self::get`]; with `fit`, wrapped at `width` and then narrowed to the width of
    /// its longest line.
    pub fn get_fitted(
        &mut self,
        engine: &mut TextEngine,
        text: &str,
        style: LayoutStyle,
        width: f32,
        fit: bool,
        frame: u64,
    ) -> &mut TextLayout {
        let key = LayoutKey {
            text: TextId::of(text),
            size: style.size.to_bits(),
            line_height: style.line_height.to_bits(),
            room: style.room_above.to_bits(),
            dir: style.dir,
            width: width.to_bits(),
            fit,
        };
        if frame != self.swept {
            self.swept = frame;
            self.layouts
                .retain(|k, (_, used)| *k == key || used.saturating_add(KEEP_FRAMES) >= frame);
        }
        if self
            .layouts
            .get(&key)
            .is_some_and(|(l, _)| l.text() != text)
        {
            self.layouts.remove(&key);
        }
        let mut made = None;
        if !self.layouts.contains_key(&key) {
            // The same text at another width, not drawn this frame: re-wrap it.
            let other = self
                .layouts
                .iter()
                .find(|(k, (l, used))| {
                    k.text == key.text
                        && (k.size, k.line_height, k.room, k.dir)
                            == (key.size, key.line_height, key.room, key.dir)
                        && *used != frame
                        && l.text() == text
                })
                .map(|(k, _)| *k);
            let mut layout = match other.and_then(|k| self.layouts.remove(&k)) {
                Some((layout, _)) => layout,
                None => engine.layout(text, style),
            };
            layout.wrap(width);
            if fit {
                let widest = layout
                    .lines()
                    .iter()
                    .map(|l| {
                        let (a, b) = l.extent();
                        b - a
                    })
                    .fold(0.0_f32, f32::max);
                let fitted = (widest.ceil() + 1.0).min(width);
                if fitted < width {
                    layout.wrap(fitted);
                }
            }
            made = Some(layout);
        }
        let entry = self
            .layouts
            .entry(key)
            .or_insert_with(|| (made.unwrap_or_else(|| engine.layout(text, style)), frame));
        entry.1 = frame;
        &mut entry.0
    }

    pub fn len(&self) -> usize {
        self.layouts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layouts.is_empty()
    }
}

/// A read-only paragraph or snippet of Arabic (or any) text, laid out by the engine, wrapped
/// to the available width, with optional background highlights.
pub struct ArabicText<'a> {
    text: &'a str,
    style: LayoutStyle,
    width: Option<f32>,
    fit: bool,
    color: Option<Color32>,
    highlights: Vec<(CharRange, Color32)>,
}

impl<'a> ArabicText<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            style: LayoutStyle::default(),
            width: None,
            fit: false,
            color: None,
            highlights: Vec::new(),
        }
    }

    /// Font size and line height in points.
    pub fn size(mut self, size: f32, line_height: f32) -> Self {
        self.style.size = size;
        self.style.line_height = line_height;
        self
    }

    pub fn direction(mut self, dir: super::Direction) -> Self {
        self.style.dir = dir;
        self
    }

    /// Wrapping width in points (default: the available width).
    pub fn width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    /// Takes only the width of the longest line (a short label in a row), wrapping at the
    /// available width or [`ArabicText::width`].
    pub fn fit(mut self) -> Self {
        self.fit = true;
        self
    }

    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// A background for a char range, painted under the text.
    pub fn highlight(mut self, range: CharRange, color: Color32) -> Self {
        self.highlights.push((range, color));
        self
    }
}

impl Widget for ArabicText<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let width = self.width.unwrap_or_else(|| ui.available_width());
        // An unbounded width (inside a horizontal layout) would put right-to-left text at ∞.
        let width = if width.is_finite() {
            width.max(1.0)
        } else {
            400.0
        };
        let shared = TextSystem::of(ui.ctx());
        let mut system = TextSystem::lock(&shared);
        let TextSystem {
            engine,
            atlas,
            lines,
            layouts,
        } = &mut *system;
        let frame = ui.ctx().cumulative_frame_nr();
        let layout = layouts.get_fitted(engine, self.text, self.style, width, self.fit, frame);
        let width = layout.width().unwrap_or(width);
        let (rect, response) = ui.allocate_exact_size(vec2(width, layout.height()), Sense::hover());
        // Screen readers (and tests) read the text, as they would an egui label.
        let text = self.text;
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
        if ui.is_rect_visible(rect) {
            let clip = ui.clip_rect();
            let color = self.color.unwrap_or_else(|| ui.visuals().text_color());
            let runs: Vec<StyleRun<Color32>> = self
                .highlights
                .iter()
                .map(|&(range, key)| StyleRun { range, key })
                .collect();
            let painter = ui.painter();
            painter.extend(highlight_shapes(layout, rect.min, clip, &runs, |&fill| {
                HighlightStyle {
                    fill: Some(fill),
                    ..HighlightStyle::default()
                }
            }));
            let mesh = text_mesh(ui.ctx(), layout, atlas, lines, rect.min, clip, color);
            painter.add(Shape::mesh(mesh));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_layout_per_width_in_a_frame_and_rewrapped_after() {
        let mut engine = TextEngine::new();
        let mut cache = LayoutCache::default();
        let text = "قتل 27 جنديا في هجوم على قاعدة عسكرية";
        let style = LayoutStyle::default();
        let wide = cache.get(&mut engine, text, style, 600.0, 1).lines().len();
        let narrow = cache.get(&mut engine, text, style, 80.0, 1).lines().len();
        assert!(narrow > wide, "{narrow} lines at 80 px, {wide} at 600");
        assert_eq!(cache.len(), 2, "two widths in one frame: two layouts");
        // Both again in the next frame: found, nothing re-broken.
        assert_eq!(
            cache.get(&mut engine, text, style, 600.0, 2).width(),
            Some(600.0)
        );
        assert_eq!(
            cache.get(&mut engine, text, style, 80.0, 2).width(),
            Some(80.0)
        );
        assert_eq!(cache.len(), 2);
        // A third width in a later frame takes over a layout not drawn in that frame.
        let fitted = cache.get_fitted(&mut engine, text, style, 300.0, true, 3);
        assert!(fitted.width().is_some_and(|w| w <= 300.0));
        assert_eq!(cache.len(), 2, "re-wrapped, not shaped anew");
    }
}
