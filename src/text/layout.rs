//! Laying out a document: paragraphs shaped (`shaper`) and broken into lines (`breaking`) as
//! parley would, then each line ordered by our own bidi (rule L1 + L2 over its graphemes) and
//! positioned; hit-testing, range geometry, carets and word boundaries on the result.
//!
//! Coordinates are px from the top-left corner of the text box; offsets are code points of the
//! whole text. The layout keeps the shaped paragraphs, so a new width re-breaks lines without
//! shaping again.
//!
//! One concept, the laid-out text and the questions asked of it, in one file (over 700 lines):
//! its parts share the per-line visual order and would only pass it around if split.

use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use unicode_segmentation::UnicodeSegmentation;

use super::bidi::{Direction, ParagraphBidi, visual_order};
use super::breaking::{Grapheme, LineBox, LineBreak, break_lines, visual_graphemes};
use super::fonts::FontId;
use super::shaper::{ShapedText, Shaper};
use crate::offsets::{CharIndex, CharRange};

/// Font size, line height and paragraph direction of a layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutStyle {
    /// Font size in px.
    pub size: f32,
    /// Line height in px.
    pub line_height: f32,
    pub dir: Direction,
    /// Extra room above every line, in px (the document view draws label tags and relation
    /// arcs there); the text's own line box stays `line_height` high.
    pub room_above: f32,
}

impl Default for LayoutStyle {
    fn default() -> Self {
        Self {
            size: 24.0,
            line_height: 40.0,
            dir: Direction::Rtl,
            room_above: 0.0,
        }
    }
}

/// A rectangle in px, `x0 <= x1`, `y0 <= y1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

/// Which side of an offset a caret belongs to when the offset is at a line or direction break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affinity {
    /// With the character before the offset.
    Upstream,
    /// With the character after the offset.
    Downstream,
}

/// Where a point lands: a caret offset between graphemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub offset: usize,
    pub affinity: Affinity,
}

/// A glyph placed in the text box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedGlyph {
    pub id: u32,
    pub font: FontId,
    pub size: f32,
    /// Pen position on the baseline, px.
    pub x: f32,
    pub y: f32,
}

/// A grapheme cluster on a line, where it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterBox {
    pub chars: CharRange,
    /// Left edge, px.
    pub x: f32,
    pub advance: f32,
    /// Right-to-left (odd level): the first char is on the right.
    pub rtl: bool,
    /// Bidi embedding level (after rule L1).
    pub level: u8,
    /// The cluster's glyphs in [`TextLayout::glyphs`].
    pub glyphs: Range<usize>,
}

/// A visual line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The line's characters (the paragraph's newline is on no line).
    pub chars: CharRange,
    /// Top and bottom of the line box.
    pub top: f32,
    pub bottom: f32,
    /// Top and bottom of the text's content area (ascent to descent), the height of highlights.
    pub content_top: f32,
    pub content_bottom: f32,
    pub baseline: f32,
    /// The line's paragraph runs right to left.
    pub rtl: bool,
    /// The x of the line's start edge (the right edge for right-to-left text).
    pub start_x: f32,
    /// Clusters from left to right.
    pub clusters: Vec<ClusterBox>,
}

impl Line {
    /// The line's char offsets from left to right.
    pub fn visual_order(&self) -> Vec<usize> {
        self.visual_chars().collect()
    }

    /// The line's char offsets from left to right, read off its clusters as they come.
    pub fn visual_chars(&self) -> impl Iterator<Item = usize> + '_ {
        self.clusters.iter().flat_map(|c| {
            let chars = c.chars.start..c.chars.end;
            let (forward, backward) = if c.rtl {
                (None, Some(chars.rev()))
            } else {
                (Some(chars), None)
            };
            forward
                .into_iter()
                .flatten()
                .chain(backward.into_iter().flatten())
        })
    }

    /// Left and right edges of the line's content.
    pub fn extent(&self) -> (f32, f32) {
        match (self.clusters.first(), self.clusters.last()) {
            (Some(a), Some(b)) => (a.x, b.x + b.advance),
            _ => (0.0, 0.0),
        }
    }
}

struct Paragraph {
    chars: CharRange,
    /// Byte range in the text.
    bytes: Range<usize>,
    shaped: ShapedText,
    /// Its lines at the current width.
    breaks: Vec<LineBreak>,
    bidi: ParagraphBidi,
    /// Top and bottom at the current width.
    top: f32,
    bottom: f32,
    /// The paragraph's lines, placed the first time they are needed after a wrap.
    placed: OnceLock<Placed>,
}

/// The placed lines of one paragraph and their glyphs.
#[derive(Default)]
struct Placed {
    lines: Vec<Line>,
    glyphs: Vec<PlacedGlyph>,
}

/// Shapes text with the bundled fonts. One per application (or thread); cheap to keep.
pub struct TextEngine {
    shaper: Shaper,
    /// A second engine for the other half of long texts, made on first need.
    helper: Option<Box<TextEngine>>,
    /// Texts at least this long (bytes) are shaped on two threads.
    parallel_from: usize,
}

impl Default for TextEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl TextEngine {
    pub fn new() -> Self {
        Self {
            shaper: Shaper::new(),
            helper: None,
            parallel_from: PARALLEL_FROM,
        }
    }

    /// Shapes `text` (split into paragraphs on `\n`); call [`TextLayout::wrap`] to break lines.
    pub fn layout(&mut self, text: &str, style: LayoutStyle) -> TextLayout {
        let index = CharIndex::new(text);
        let mut pieces = Vec::new();
        let mut byte = 0;
        for piece in text.split('\n') {
            pieces.push(byte..byte + piece.len());
            byte += piece.len() + 1;
        }
        // Paragraphs are shaped independently: a long text is split between two threads, each
        // with its own font and layout context (the same font data, so the same font ids).
        let half = pieces
            .iter()
            .position(|r| r.end > text.len() / 2)
            .unwrap_or(pieces.len());
        let paragraphs = if text.len() >= self.parallel_from && half > 0 && half < pieces.len() {
            let helper = self.helper.take();
            let (first, second) = pieces.split_at(half);
            let index = &index;
            std::thread::scope(|scope| {
                // The helper engine is made on its own thread the first time, while this one
                // shapes already.
                let other = scope.spawn(move || {
                    let mut helper = helper.unwrap_or_else(|| Box::new(TextEngine::new()));
                    let rest = helper.shape(text, index, second, style);
                    (helper, rest)
                });
                let mut paragraphs = self.shape(text, index, first, style);
                match other.join() {
                    Ok((helper, rest)) => {
                        self.helper = Some(helper);
                        paragraphs.extend(rest);
                    }
                    // The helper thread cannot fail but by a bug; shape here instead.
                    Err(_) => paragraphs.extend(self.shape(text, index, second, style)),
                }
                paragraphs
            })
        } else {
            self.shape(text, &index, &pieces, style)
        };
        TextLayout {
            id: next_layout_id(),
            text: text.to_owned(),
            index,
            style,
            paragraphs,
            line_box: self.shaper.line_box(style.size, style.line_height),
            width: None,
            height: 0.0,
        }
    }

    /// From which length (bytes) texts are shaped on two threads (`usize::MAX`: never).
    pub fn set_parallel_from(&mut self, bytes: usize) {
        self.parallel_from = bytes;
    }

    /// Shapes the paragraphs at these byte ranges of `text`.
    fn shape(
        &mut self,
        text: &str,
        index: &CharIndex,
        pieces: &[Range<usize>],
        style: LayoutStyle,
    ) -> Vec<Paragraph> {
        let mut paragraphs = Vec::with_capacity(pieces.len());
        for bytes in pieces {
            let piece = &text[bytes.clone()];
            let chars = CharRange::new(
                index.char_at_byte(bytes.start).unwrap_or(0),
                index.char_at_byte(bytes.end).unwrap_or(0),
            );
            let bidi = ParagraphBidi::new(piece, style.dir);
            let mut shaped = ShapedText::default();
            self.shaper
                .shape(piece, bidi.is_rtl(), style.size, &mut shaped);
            paragraphs.push(Paragraph {
                chars,
                bytes: bytes.clone(),
                shaped,
                breaks: Vec::new(),
                bidi,
                top: 0.0,
                bottom: 0.0,
                placed: OnceLock::new(),
            });
        }
        paragraphs
    }
}

/// Texts at least this long (bytes) are shaped on two threads by default.
const PARALLEL_FROM: usize = 64 * 1024;

/// A grapheme of a line being placed (paragraph-local bytes, glyphs in the scratch list).
struct Rec {
    bytes: Range<usize>,
    advance: f32,
    glyphs: Range<usize>,
}

/// Buffers reused from line to line while wrapping.
#[derive(Default)]
struct Scratch {
    recs: Vec<Rec>,
    glyphs: Vec<PlacedGlyph>,
    chars: Vec<CharRange>,
    levels: Vec<unicode_bidi::Level>,
    graphemes: Vec<Grapheme>,
}

/// Char offsets of byte offsets met in increasing order in a paragraph: counted as they come.
struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    char: usize,
}

impl<'t> CharCounter<'t> {
    /// Counting in `text`, whose first character is char `first` of the whole text.
    fn new(text: &'t str, first: usize) -> Self {
        Self {
            text,
            byte: 0,
            char: first,
        }
    }

    /// The char offset of byte `byte` (at or after the last one asked about).
    fn at(&mut self, byte: usize) -> usize {
        self.char += self
            .text
            .get(self.byte..byte)
            .map_or(0, |s| s.chars().count());
        self.byte = byte;
        self.char
    }
}

/// A number no other set of lines has had in this process.
fn next_layout_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A line by its paragraph and its place among the paragraph's lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LineNumber {
    pub paragraph: u32,
    pub line: u32,
}

/// A laid-out text: lines, clusters and glyphs for one width.
pub struct TextLayout {
    /// Which lines these are: new for every layout and every new width, so what is drawn
    /// from the lines can be kept under it (see [`super::line_mesh`]).
    id: u64,
    pub(super) text: String,
    pub(super) index: CharIndex,
    style: LayoutStyle,
    paragraphs: Vec<Paragraph>,
    /// The vertical metrics of every line.
    line_box: LineBox,
    width: Option<f32>,
    height: f32,
}

impl TextLayout {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn style(&self) -> LayoutStyle {
        self.style
    }

    /// The wrapping width of the current lines (`None`: not wrapped yet).
    pub fn width(&self) -> Option<f32> {
        self.width
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    /// All lines, top to bottom (places every paragraph: prefer the narrower queries).
    pub fn lines(&self) -> Vec<&Line> {
        self.place_all();
        (0..self.paragraphs.len())
            .flat_map(|p| self.placed(p).lines.iter())
            .collect()
    }

    /// Which lines these are: changes whenever the lines do (a new layout, a new width).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The lines between `y0` and `y1`, each with the glyphs its clusters index.
    pub fn lines_in(&self, y0: f32, y1: f32) -> Vec<(&Line, &[PlacedGlyph])> {
        self.numbered_lines_in(y0, y1)
            .into_iter()
            .map(|(_, line, glyphs)| (line, glyphs))
            .collect()
    }

    /// Like [`Self::lines_in`], each line with its number.
    pub fn numbered_lines_in(&self, y0: f32, y1: f32) -> Vec<(LineNumber, &Line, &[PlacedGlyph])> {
        let first = self.paragraphs.partition_point(|p| p.bottom < y0);
        let last = self.paragraphs.partition_point(|p| p.top <= y1);
        let mut out = Vec::new();
        for p in first..last.max(first) {
            let placed = self.placed(p);
            out.extend(
                placed
                    .lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.bottom >= y0 && l.top <= y1)
                    .map(|(k, l)| {
                        let number = LineNumber {
                            paragraph: p as u32,
                            line: k as u32,
                        };
                        (number, l, placed.glyphs.as_slice())
                    }),
            );
        }
        out
    }

    /// Placement of a paragraph; nothing before the first [`Self::wrap`].
    pub(super) fn placed_lines(&self, p: usize) -> &[Line] {
        &self.placed(p).lines
    }

    pub(super) fn paragraph_count(&self) -> usize {
        self.paragraphs.len()
    }

    fn placed(&self, p: usize) -> &Placed {
        self.paragraphs[p]
            .placed
            .get_or_init(|| self.place_paragraph(p))
    }

    /// Places every paragraph not placed yet: a long text's on every core, as they do not
    /// depend on each other.
    pub fn place_all(&self) {
        use rayon::prelude::*;
        if self.text.len() >= PARALLEL_FROM {
            (0..self.paragraphs.len()).into_par_iter().for_each(|p| {
                self.placed(p);
            });
        }
    }

    /// Number of glyphs placed (places every line).
    pub fn glyph_count(&self) -> usize {
        self.place_all();
        (0..self.paragraphs.len())
            .map(|p| self.placed(p).glyphs.len())
            .sum()
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    /// Breaks lines for `width` px (no shaping). Does nothing if the width is unchanged. Lines
    /// are placed (bidi order, positions, glyphs) when first asked for, paragraph by paragraph.
    pub fn wrap(&mut self, width: f32) {
        if self.width == Some(width) {
            return;
        }
        self.width = Some(width);
        self.id = next_layout_id();
        let line_height = self.style.line_height;
        let room = self.style.room_above;
        // Lines are broken paragraph by paragraph, a long text's on every core.
        let break_paragraph = |para: &mut Paragraph| {
            if para.bytes.is_empty() {
                para.breaks.clear();
            } else {
                break_lines(&para.shaped, width, &mut para.breaks);
            }
        };
        if self.text.len() >= PARALLEL_FROM {
            use rayon::prelude::*;
            self.paragraphs.par_iter_mut().for_each(break_paragraph);
        } else {
            self.paragraphs.iter_mut().for_each(break_paragraph);
        }
        let line_box = self.line_box;
        let mut y = 0.0;
        for para in &mut self.paragraphs {
            para.top = y;
            let height = if para.bytes.is_empty() {
                line_height + room
            } else {
                // The bottom of the last line box (a paragraph ending in a line separator has a
                // last, empty line).
                line_box
                    .stack(para.breaks.len())
                    .last()
                    .map_or(line_height, |m| m.block_max)
                    .max(line_height)
                    + room * para.breaks.len().max(1) as f32
            };
            y += height;
            para.bottom = y;
            para.placed = OnceLock::new();
        }
        self.height = y;
    }

    /// Orders and places one paragraph's lines (already broken by [`Self::wrap`]).
    fn place_paragraph(&self, p: usize) -> Placed {
        let mut scratch = Scratch::default();
        let mut placed = Placed::default();
        let Some(width) = self.width else {
            return placed;
        };
        let para = &self.paragraphs[p];
        // About one glyph per char (ligatures make fewer, marks are chars of their own).
        placed.glyphs.reserve(para.chars.len() + 8);
        placed.lines.reserve(para.breaks.len().max(1));
        let top = para.top;
        let text = &self.text[para.bytes.clone()];
        let rtl = para.bidi.is_rtl();
        let mut bottom = top;
        // Lines come in logical order: char offsets are counted as we go, never searched.
        let mut counter = CharCounter::new(text, para.chars.start);
        let mut advance_to = |byte: usize| counter.at(byte);
        let shaped = &para.shaped;
        let byte_of = |c: u32| shaped.byte_of(c);
        let room = self.style.room_above;
        let size = self.style.size;
        let metrics = self.line_box.stack(para.breaks.len());
        for (k, (line, m)) in para.breaks.iter().zip(metrics).enumerate() {
            // Every line has the room above it: the k-th moves down by k + 1 rooms.
            let (above, shift) = (room * k as f32, room * (k + 1) as f32);
            let local = line.bytes.clone();
            // The line's graphemes, run by run, with their glyphs placed relative to the
            // grapheme's left edge as they were shaped; then sorted into logical order.
            scratch.recs.clear();
            scratch.glyphs.clear();
            let first_run = shaped
                .runs
                .partition_point(|r| r.clusters.end <= line.clusters.start);
            for run in shaped.runs[first_run..]
                .iter()
                .take_while(|r| r.clusters.start < line.clusters.end)
            {
                let clusters = run.clusters.start.max(line.clusters.start)
                    ..run.clusters.end.min(line.clusters.end);
                visual_graphemes(shaped, clusters, run.rtl, &mut scratch.graphemes);
                let (mut pen, mut glyph_pen) = (0.0f32, 0.0f32);
                for g in &scratch.graphemes {
                    let first = scratch.glyphs.len();
                    if let Some(atom) = &g.atom {
                        let mut place = |c: u32| {
                            let (a, b) = shaped.clusters[c as usize].glyphs;
                            for gl in &shaped.glyphs[a as usize..b as usize] {
                                scratch.glyphs.push(PlacedGlyph {
                                    id: gl.id,
                                    font: run.font,
                                    size,
                                    x: glyph_pen + gl.x - pen,
                                    y: gl.y,
                                });
                                glyph_pen += gl.advance;
                            }
                        };
                        if run.rtl {
                            atom.clone().rev().for_each(&mut place);
                        } else {
                            atom.clone().for_each(&mut place);
                        }
                    }
                    scratch.recs.push(Rec {
                        bytes: byte_of(g.chars.start)..byte_of(g.chars.end),
                        advance: g.advance,
                        glyphs: first..scratch.glyphs.len(),
                    });
                    pen += g.advance;
                }
            }
            scratch.recs.sort_unstable_by_key(|r| r.bytes.start);
            let line_start = advance_to(local.start);
            scratch.chars.clear();
            for r in &scratch.recs {
                let start = advance_to(r.bytes.start);
                scratch
                    .chars
                    .push(CharRange::new(start, advance_to(r.bytes.end)));
            }
            let line_end = advance_to(local.end);
            let levels = para.bidi.line_levels(local.clone());
            scratch.levels.clear();
            scratch.levels.extend(
                scratch
                    .recs
                    .iter()
                    .map(|r| levels[r.bytes.start - local.start]),
            );
            let order = visual_order(&scratch.levels);
            let total: f32 = scratch.recs.iter().map(|r| r.advance).sum();
            // Right-to-left paragraphs are aligned right; what overflows goes out to the left.
            let mut x = if rtl { width - total } else { 0.0 };
            let baseline = top + shift + m.baseline;
            let mut clusters = Vec::with_capacity(scratch.recs.len());
            for &i in &order {
                let r = &scratch.recs[i];
                let start = placed.glyphs.len();
                placed
                    .glyphs
                    .extend(
                        scratch.glyphs[r.glyphs.clone()]
                            .iter()
                            .map(|g| PlacedGlyph {
                                x: x + g.x,
                                y: baseline + g.y,
                                ..*g
                            }),
                    );
                let level = scratch.levels[i];
                clusters.push(ClusterBox {
                    chars: scratch.chars[i],
                    x,
                    advance: r.advance,
                    rtl: level.is_rtl(),
                    level: level.number(),
                    glyphs: start..placed.glyphs.len(),
                });
                x += r.advance;
            }
            placed.lines.push(Line {
                chars: CharRange::new(line_start, line_end),
                top: top + above + m.block_min,
                bottom: top + shift + m.block_max,
                content_top: top + shift + m.content_min,
                content_bottom: top + shift + m.content_max,
                baseline,
                rtl,
                start_x: if rtl { width } else { 0.0 },
                clusters,
            });
            bottom = top + shift + m.block_max;
        }
        if placed.lines.is_empty() {
            // An empty paragraph still takes a line.
            let h = self.style.line_height;
            placed.lines.push(Line {
                chars: CharRange::new(para.chars.start, para.chars.start),
                top,
                bottom: top + room + h,
                content_top: top + room,
                content_bottom: top + room + h,
                baseline: top + room + h * 0.75,
                rtl,
                start_x: if rtl { width } else { 0.0 },
                clusters: Vec::new(),
            });
            bottom = top + room + h;
        }
        let _ = bottom;
        placed
    }

    /// The smallest offset on each visual line that holds a character (empty lines have none).
    pub fn line_starts(&self) -> Vec<usize> {
        self.line_orders()
            .into_iter()
            .filter(|(chars, _)| !chars.is_empty())
            .map(|(chars, _)| chars.start)
            .collect()
    }

    /// Each line's characters and their offsets from left to right — what [`Line::visual_order`]
    /// gives of the placed lines, without placing a glyph: the graphemes of each line ordered by
    /// its levels after rule L1. A long text's paragraphs are ordered on every core.
    pub fn line_orders(&self) -> Vec<(CharRange, Vec<usize>)> {
        use rayon::prelude::*;
        let order = |p: usize| -> Vec<(CharRange, Vec<usize>)> {
            match self.paragraphs[p].placed.get() {
                Some(placed) => placed
                    .lines
                    .iter()
                    .map(|l| (l.chars, l.visual_order()))
                    .collect(),
                None => self.order_paragraph(p),
            }
        };
        let per_paragraph: Vec<_> = if self.text.len() >= PARALLEL_FROM {
            (0..self.paragraphs.len())
                .into_par_iter()
                .map(order)
                .collect()
        } else {
            (0..self.paragraphs.len()).map(order).collect()
        };
        per_paragraph.into_iter().flatten().collect()
    }

    /// [`Self::line_orders`] of one paragraph not placed yet.
    fn order_paragraph(&self, p: usize) -> Vec<(CharRange, Vec<usize>)> {
        let para = &self.paragraphs[p];
        if para.breaks.is_empty() {
            return vec![(
                CharRange::new(para.chars.start, para.chars.start),
                Vec::new(),
            )];
        }
        let text = &self.text[para.bytes.clone()];
        let shaped = &para.shaped;
        let byte_of = |c: u32| shaped.byte_of(c);
        let mut counter = CharCounter::new(text, para.chars.start);
        let mut advance_to = |byte: usize| counter.at(byte);
        let mut out = Vec::with_capacity(para.breaks.len());
        let (mut graphemes, mut levels) = (Vec::new(), Vec::new());
        for line in &para.breaks {
            let local = line.bytes.clone();
            let line_start = advance_to(local.start);
            let chars = if line.clusters.is_empty() {
                0..0
            } else {
                shaped.clusters[line.clusters.start as usize].chars.0
                    ..shaped.clusters[line.clusters.end as usize - 1].chars.1
            };
            // The line's graphemes in logical order, as char ranges of the whole text.
            graphemes.clear();
            let mut g = chars.start;
            while g < chars.end {
                let mut end = g + 1;
                while end < chars.end && !shaped.chars[end as usize].grapheme_start {
                    end += 1;
                }
                let (b0, b1) = (byte_of(g), byte_of(end));
                graphemes.push((b0, CharRange::new(advance_to(b0), advance_to(b1))));
                g = end;
            }
            let line_end = advance_to(local.end);
            let line_levels = para.bidi.line_levels(local.clone());
            levels.clear();
            levels.extend(graphemes.iter().map(|(b, _)| line_levels[b - local.start]));
            let mut order = Vec::with_capacity(line_end - line_start);
            for i in visual_order(&levels) {
                let chars = graphemes[i].1;
                if levels[i].is_rtl() {
                    order.extend((chars.start..chars.end).rev());
                } else {
                    order.extend(chars.start..chars.end);
                }
            }
            out.push((CharRange::new(line_start, line_end), order));
        }
        out
    }

    /// The line under `y` (clamped to the first and last line).
    fn line_at_y(&self, y: f32) -> Option<&Line> {
        let p = self
            .paragraphs
            .partition_point(|p| p.bottom <= y)
            .min(self.paragraphs.len().checked_sub(1)?);
        let lines = &self.placed(p).lines;
        let i = lines.partition_point(|l| l.bottom <= y);
        lines.get(i.min(lines.len().saturating_sub(1)))
    }

    /// The paragraph that holds `offset` (a paragraph's end, before its newline, included).
    pub(super) fn paragraph_of(&self, offset: usize) -> Option<usize> {
        let p = self.paragraphs.partition_point(|p| p.chars.end < offset);
        (p < self.paragraphs.len()).then_some(p)
    }

    /// The caret offset a click at `(x, y)` lands on: the grapheme boundary nearest to the
    /// point on its line, as a browser's `caretRangeFromPoint` gives it.
    pub fn hit_test(&self, x: f32, y: f32) -> Hit {
        let Some(line) = self.line_at_y(y) else {
            return Hit {
                offset: 0,
                affinity: Affinity::Downstream,
            };
        };
        let (Some(first), Some(last)) = (line.clusters.first(), line.clusters.last()) else {
            return Hit {
                offset: line.chars.start,
                affinity: Affinity::Downstream,
            };
        };
        let edge = |c: &ClusterBox, right: bool| -> Hit {
            // The visual right edge of an LTR cluster is its end; of an RTL cluster, its start.
            let at_end = right != c.rtl;
            Hit {
                offset: if at_end { c.chars.end } else { c.chars.start },
                affinity: if at_end {
                    Affinity::Upstream
                } else {
                    Affinity::Downstream
                },
            }
        };
        // The line's own edges, as the outer run at the paragraph level: the right edge of a
        // right-to-left line is its start, the left edge its end (and the reverse for LTR).
        let para_level = u8::from(line.rtl);
        let line_edge = |right: bool| Hit {
            offset: if right == line.rtl {
                line.chars.start
            } else {
                line.chars.end
            },
            affinity: if right == line.rtl {
                Affinity::Downstream
            } else {
                Affinity::Upstream
            },
        };
        if x < first.x {
            return line_edge(false);
        }
        if x >= last.x + last.advance {
            return line_edge(true);
        }
        let i = line
            .clusters
            .partition_point(|c| c.x + c.advance <= x)
            .min(line.clusters.len() - 1);
        let c = &line.clusters[i];
        if c.chars.len() > 1 && self.graphemes_in(c.chars) > 1 {
            // A ligature of several graphemes: split its advance evenly.
            return self.hit_in_ligature(c, x);
        }
        let right = x >= c.x + c.advance / 2.0;
        // Where an embedded run (a number or a Latin name in Arabic) meets the text around it,
        // one x has two offsets; like a browser, take the one of the outer (lower-level) run.
        let neighbour = if right {
            line.clusters.get(i + 1)
        } else {
            i.checked_sub(1).and_then(|j| line.clusters.get(j))
        };
        match neighbour {
            Some(n) if n.level < c.level => edge(n, !right),
            None if para_level < c.level => line_edge(right),
            _ => edge(c, right),
        }
    }

    /// The character under `(x, y)`: the start of the grapheme drawn there, or `None` when
    /// the point is beside the text (for hovering).
    pub fn char_at(&self, x: f32, y: f32) -> Option<usize> {
        let line = self.line_at_y(y).filter(|l| l.top <= y && y < l.bottom)?;
        let c = line
            .clusters
            .iter()
            .find(|c| c.x <= x && x < c.x + c.advance)?;
        let bounds = self.grapheme_bounds(c.chars);
        let parts = bounds.len() - 1;
        if parts <= 1 {
            return Some(c.chars.start);
        }
        let k = (((x - c.x) / (c.advance / parts as f32)) as usize).min(parts - 1);
        Some(bounds[if c.rtl { parts - 1 - k } else { k }])
    }

    fn graphemes_in(&self, chars: CharRange) -> usize {
        self.index
            .slice(&self.text, chars)
            .map_or(1, |s| s.graphemes(true).count())
    }

    fn hit_in_ligature(&self, c: &ClusterBox, x: f32) -> Hit {
        let bounds = self.grapheme_bounds(c.chars);
        let parts = bounds.len() - 1;
        let step = c.advance / parts as f32;
        let k = (((x - c.x) / step).round() as usize).min(parts);
        let k = if c.rtl { parts - k } else { k };
        Hit {
            offset: bounds[k],
            affinity: Affinity::Downstream,
        }
    }

    /// Grapheme boundaries (char offsets) within a range, both ends included.
    pub(super) fn grapheme_bounds(&self, chars: CharRange) -> Vec<usize> {
        let mut out = vec![chars.start];
        if let Some(s) = self.index.slice(&self.text, chars) {
            let mut at = chars.start;
            for g in s.graphemes(true) {
                at += g.chars().count();
                out.push(at);
            }
        }
        if out.len() == 1 {
            out.push(chars.end);
        }
        out
    }

    /// The x-interval of the part of cluster `c` covered by `range`, if any. A range that
    /// covers part of a grapheme covers all of it (as in a browser); a ligature of several
    /// graphemes shares its advance out evenly between them.
    fn covered(&self, c: &ClusterBox, range: CharRange) -> Option<(f32, f32)> {
        let a = range.start.max(c.chars.start);
        let b = range.end.min(c.chars.end);
        if a >= b {
            return None;
        }
        if a == c.chars.start && b == c.chars.end {
            return Some((c.x, c.x + c.advance));
        }
        let bounds = self.grapheme_bounds(c.chars);
        let parts = bounds.len() - 1;
        let from = bounds.partition_point(|&g| g <= a).saturating_sub(1);
        let to = bounds.partition_point(|&g| g < b).min(parts);
        if from == 0 && to == parts {
            return Some((c.x, c.x + c.advance));
        }
        let per = c.advance / parts as f32;
        let (from, to) = (from as f32, to as f32);
        Some(if c.rtl {
            (c.x + c.advance - to * per, c.x + c.advance - from * per)
        } else {
            (c.x + from * per, c.x + to * per)
        })
    }

    /// The lines that hold any of `range`.
    fn lines_of(&self, range: CharRange) -> Vec<&Line> {
        let mut out = Vec::new();
        let Some(first) = self.paragraph_of(range.start) else {
            return out;
        };
        for p in first..self.paragraphs.len() {
            if self.paragraphs[p].chars.start >= range.end {
                break;
            }
            let lines = &self.placed(p).lines;
            let a = lines.partition_point(|l| l.chars.end <= range.start);
            let b = lines.partition_point(|l| l.chars.start < range.end);
            out.extend(&lines[a.min(b)..b]);
        }
        out
    }

    /// Highlight rectangles of a char range: per line, one per run of adjacent clusters, as
    /// high as the text's content area.
    pub fn range_rects(&self, range: CharRange) -> Vec<Rect> {
        let mut out = Vec::new();
        if range.is_empty() {
            return out;
        }
        for line in self.lines_of(range) {
            let mut current: Option<(f32, f32)> = None;
            for c in &line.clusters {
                match (self.covered(c, range), current) {
                    (Some((a, b)), Some((x0, x1))) if (a - x1).abs() < 0.01 => {
                        current = Some((x0, b))
                    }
                    (Some(iv), Some((x0, x1))) => {
                        out.push(Rect {
                            x0,
                            y0: line.content_top,
                            x1,
                            y1: line.content_bottom,
                        });
                        current = Some(iv);
                    }
                    (Some(iv), None) => current = Some(iv),
                    (None, Some((x0, x1))) => {
                        out.push(Rect {
                            x0,
                            y0: line.content_top,
                            x1,
                            y1: line.content_bottom,
                        });
                        current = None;
                    }
                    (None, None) => {}
                }
            }
            if let Some((x0, x1)) = current {
                out.push(Rect {
                    x0,
                    y0: line.content_top,
                    x1,
                    y1: line.content_bottom,
                });
            }
        }
        out
    }

    /// The caret for an offset: a 1 px wide rectangle at the edge of the character after it
    /// (downstream) or before it (upstream), as high as the line.
    pub fn caret(&self, offset: usize, affinity: Affinity) -> Rect {
        let empty = Vec::new();
        let lines = match self.paragraph_of(offset) {
            Some(p) => &self.placed(p).lines,
            None => &empty,
        };
        // At a wrap offset the end of one line is the start of the next: downstream is the
        // next line, upstream the previous one.
        let i = match affinity {
            Affinity::Downstream => {
                lines.partition_point(|l| l.chars.end <= offset && !l.chars.is_empty())
            }
            Affinity::Upstream => lines.partition_point(|l| l.chars.end < offset),
        }
        .min(lines.len().saturating_sub(1));
        let Some(line) = lines.get(i) else {
            return Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 1.0,
                y1: self.style.line_height,
            };
        };
        let x = self.caret_x(line, offset, affinity);
        Rect {
            x0: x - 0.5,
            y0: line.top,
            x1: x + 0.5,
            y1: line.bottom,
        }
    }

    pub(super) fn caret_x(&self, line: &Line, offset: usize, affinity: Affinity) -> f32 {
        let after = line.clusters.iter().find(|c| c.chars.start == offset);
        let before = line.clusters.iter().find(|c| c.chars.end == offset);
        let leading = |c: &ClusterBox| if c.rtl { c.x + c.advance } else { c.x };
        let trailing = |c: &ClusterBox| if c.rtl { c.x } else { c.x + c.advance };
        match (affinity, after, before) {
            (Affinity::Downstream, Some(c), _) | (Affinity::Upstream, Some(c), None) => leading(c),
            (_, _, Some(c)) => trailing(c),
            _ => match line
                .clusters
                .iter()
                .find(|c| c.chars.start < offset && offset < c.chars.end)
            {
                // Between the graphemes of a ligature: where its advance is shared out.
                Some(c) => self
                    .covered(c, CharRange::new(c.chars.start, offset))
                    .map_or(leading(c), |(a, b)| if c.rtl { a } else { b }),
                // An empty line: its start edge.
                None => line.start_x,
            },
        }
    }

    /// The word (UAX #29) around `offset`, for a double-click; punctuation such as ، ؛ ؟ « »
    /// and quotes are words of their own, never part of a word.
    pub fn word_at(&self, offset: usize) -> CharRange {
        word_at(&self.text, &self.index, offset)
    }
}

/// Marks that UAX #29 may keep inside a word (، between digits is "MidNum") but that a
/// coder never wants in a double-clicked word.
const NOT_IN_WORDS: &[char] = &['،', '؛', '؟', '«', '»', '"', '“', '”', '\'', '‘', '’'];

/// The part of `range` around `offset` between such marks (or the mark itself).
fn split_at_punctuation(
    text: &str,
    index: &CharIndex,
    range: CharRange,
    offset: usize,
) -> CharRange {
    let Some(slice) = index.slice(text, range) else {
        return range;
    };
    let chars: Vec<char> = slice.chars().collect();
    let at = offset.clamp(range.start, range.end.saturating_sub(1)) - range.start;
    if chars.get(at).is_some_and(|c| NOT_IN_WORDS.contains(c)) {
        return CharRange::new(range.start + at, range.start + at + 1);
    }
    let from = chars[..at]
        .iter()
        .rposition(|c| NOT_IN_WORDS.contains(c))
        .map_or(0, |i| i + 1);
    let to = chars[at..]
        .iter()
        .position(|c| NOT_IN_WORDS.contains(c))
        .map_or(chars.len(), |i| at + i);
    CharRange::new(range.start + from, range.start + to)
}

/// The UAX #29 word segment that holds the character at `offset` (or ends at it, at the end).
pub fn word_at(text: &str, index: &CharIndex, offset: usize) -> CharRange {
    let byte = index
        .byte(offset.min(index.char_len()))
        .unwrap_or(text.len());
    let mut last = CharRange::new(offset, offset);
    for (start, word) in text.split_word_bound_indices() {
        let end = start + word.len();
        let range = CharRange::new(
            index.char_at_byte(start).unwrap_or(0),
            index.char_at_byte(end).unwrap_or(0),
        );
        if start <= byte && byte < end {
            return split_at_punctuation(text, index, range, offset);
        }
        last = range;
        if start > byte {
            break;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(text: &str, width: f32, dir: Direction) -> TextLayout {
        let mut layout = TextEngine::new().layout(
            text,
            LayoutStyle {
                dir,
                ..LayoutStyle::default()
            },
        );
        layout.wrap(width);
        layout
    }

    fn line_texts(layout: &TextLayout) -> Vec<String> {
        layout
            .lines()
            .iter()
            .map(|l| {
                layout
                    .text()
                    .chars()
                    .skip(l.chars.start)
                    .take(l.chars.len())
                    .collect()
            })
            .collect()
    }

    /// «ابج hello world دهو» wrapped after "hello ": by rule L1 the trailing space takes the
    /// paragraph level and goes to the line's visual end (the left), not inside "hello ".
    #[test]
    fn the_trailing_space_of_a_wrapped_line_goes_to_the_paragraphs_end() {
        let text = "ابج hello world دهو";
        let width = (60..400)
            .map(|w| w as f32)
            .find(|&w| line_texts(&laid_out(text, w, Direction::Rtl))[0] == "ابج hello ")
            .expect("a width that breaks after \"hello \"");
        let layout = laid_out(text, width, Direction::Rtl);
        let first = &layout.lines()[0];
        // Left to right: the trailing space (9), "hello" (4..9), the space (3), ج ب ا (2 1 0).
        assert_eq!(first.visual_order(), [9, 4, 5, 6, 7, 8, 3, 2, 1, 0]);
        // "world" starts the next line, left to right after the text before it.
        assert_eq!(layout.lines()[1].chars.start, 10);
        // The right edge of the line is its start; the left edge its end.
        let (left, right) = first.extent();
        assert_eq!(layout.hit_test(right + 5.0, 20.0).offset, 0);
        assert_eq!(layout.hit_test(left - 5.0, 20.0).offset, 10);
    }

    #[test]
    fn digits_keep_their_order_inside_arabic() {
        let layout = laid_out("قتل 27 جنديا", 600.0, Direction::Rtl);
        let order = layout.lines()[0].visual_order();
        // "27" reads 2 then 7 from left to right, inside right-to-left text.
        let two = order.iter().position(|&i| i == 4).expect("2");
        assert_eq!(order[two + 1], 5);
        // The whole line is right-aligned at 600 px.
        assert!((layout.lines()[0].extent().1 - 600.0).abs() < 0.01);
    }

    #[test]
    fn auto_direction_is_decided_per_paragraph() {
        let layout = laid_out("Segou is in Mali\nسيغو في مالي", 600.0, Direction::Auto);
        let lines = layout.lines();
        assert!(!lines[0].rtl && lines[1].rtl);
        assert!(lines[0].extent().0.abs() < 0.01, "LTR starts at the left");
        assert!(
            (lines[1].extent().1 - 600.0).abs() < 0.01,
            "RTL ends at the right"
        );
    }

    #[test]
    fn empty_paragraphs_take_a_line_but_hold_no_character() {
        let layout = laid_out("أول\n\nثالث", 600.0, Direction::Rtl);
        assert_eq!(layout.lines().len(), 3);
        assert_eq!(layout.line_starts(), [0, 5]);
        assert!((layout.height() - 120.0).abs() < 0.01);
        assert_eq!(layout.hit_test(300.0, 60.0).offset, 4);
    }

    #[test]
    fn shaping_on_two_threads_gives_the_same_layout() {
        let text = "جماعة “نصرة الإسلام” (JNIM) تتبنى 27 هجوما في مالي.\n".repeat(40);
        let laid = |parallel_from: usize| {
            let mut engine = TextEngine::new();
            engine.set_parallel_from(parallel_from);
            let mut layout = engine.layout(&text, LayoutStyle::default());
            layout.wrap(300.0);
            layout
        };
        let (one, two) = (laid(usize::MAX), laid(1));
        assert_eq!(one.lines().len(), two.lines().len());
        for (a, b) in one.lines().iter().zip(two.lines()) {
            assert_eq!(a.chars, b.chars);
            assert_eq!(a.visual_order(), b.visual_order());
            assert_eq!(a.clusters, b.clusters);
        }
        assert_eq!(one.glyph_count(), two.glyph_count());
    }

    #[test]
    fn a_new_width_rewraps_without_reshaping() {
        let mut layout = TextEngine::new().layout(
            "جماعة نصرة الإسلام والمسلمين تتبنى عملية ضد الجيش في مالي",
            LayoutStyle::default(),
        );
        layout.wrap(900.0);
        assert_eq!(layout.lines().len(), 1);
        layout.wrap(200.0);
        assert!(layout.lines().len() > 2);
        assert!(layout.lines().iter().all(|l| l.extent().0 >= -0.01));
        layout.wrap(900.0);
        assert_eq!(layout.lines().len(), 1);
    }

    #[test]
    fn double_click_words_leave_punctuation_out() {
        let text = "مؤسسة «الزلاقة»، الذراع؛ هل؟ “نصرة”";
        let layout = laid_out(text, 600.0, Direction::Rtl);
        let word = |at: usize| {
            let r = layout.word_at(at);
            text.chars().skip(r.start).take(r.len()).collect::<String>()
        };
        assert_eq!(word(8), "الزلاقة");
        assert_eq!(word(6), "«");
        assert_eq!(word(18), "الذراع");
        assert_eq!(word(26), "هل");
        assert_eq!(word(31), "نصرة");
        // An Arabic comma between numbers is still not part of a word.
        let years = laid_out("بين 2023،2024", 600.0, Direction::Rtl);
        let r = years.word_at(5);
        assert_eq!(
            years
                .text()
                .chars()
                .skip(r.start)
                .take(r.len())
                .collect::<String>(),
            "2023"
        );
    }

    #[test]
    fn at_a_wrap_the_caret_goes_by_affinity() {
        let layout = laid_out(
            "جماعة نصرة الإسلام والمسلمين تتبنى عملية ضد الجيش في مالي",
            200.0,
            Direction::Rtl,
        );
        let second = layout.lines()[1];
        let at = second.chars.start;
        let down = layout.caret(at, Affinity::Downstream);
        let up = layout.caret(at, Affinity::Upstream);
        assert!(
            (down.y0 - second.top).abs() < 0.01,
            "downstream: the start of the next line"
        );
        assert!(
            (up.y1 - second.top).abs() < 0.01,
            "upstream: the end of the line before"
        );
        // Right to left: the next line starts at its right edge.
        assert!((down.x0 + 0.5 - second.extent().1).abs() < 0.01);
    }

    #[test]
    fn line_separators_inside_a_paragraph_do_not_break_the_layout() {
        for text in [
            "سطر\rثان",
            "سطر\u{2029}ثان",
            "سطر\u{2028}",
            "\r",
            "\u{0650}",
            "\u{200F}",
        ] {
            let layout = laid_out(text, 300.0, Direction::Rtl);
            let lines = layout.lines();
            assert!(!lines.is_empty(), "{text:?}");
            assert!(
                lines.windows(2).all(|w| w[0].bottom <= w[1].top + 0.01),
                "{text:?}: lines overlap"
            );
            assert!(
                lines
                    .last()
                    .is_some_and(|l| l.bottom <= layout.height() + 0.01),
                "{text:?}: below the height"
            );
            let _ = layout.hit_test(10.0, 10.0);
            let _ = layout.caret(text.chars().count(), Affinity::Upstream);
        }
        assert!(
            TextEngine::new()
                .layout("قبل الالتفاف", LayoutStyle::default())
                .lines()
                .is_empty(),
            "nothing before wrap"
        );
    }

    #[test]
    fn carets_sit_on_cluster_edges() {
        let layout = laid_out("مالي", 600.0, Direction::Rtl);
        let line = &layout.lines()[0];
        let (left, right) = line.extent();
        let start = layout.caret(0, Affinity::Downstream);
        assert!(
            (start.x0 + 0.5 - right).abs() < 0.01,
            "offset 0 is at the right edge"
        );
        let end = layout.caret(4, Affinity::Upstream);
        assert!(
            (end.x0 + 0.5 - left).abs() < 0.01,
            "the end is at the left edge"
        );
        assert!((start.y1 - start.y0 - 40.0).abs() < 0.01);
    }

    #[test]
    fn a_range_inside_a_grapheme_covers_the_whole_grapheme() {
        // قُتِلَ: a range starting at the damma covers the whole قُ.
        let layout = laid_out("قُتِلَ", 600.0, Direction::Rtl);
        let from_mark = layout.range_rects(CharRange::new(1, 2));
        let whole = layout.range_rects(CharRange::new(0, 2));
        assert_eq!(from_mark, whole);
        assert_eq!(layout.char_at(from_mark[0].x0 + 1.0, 20.0), Some(0));
    }
}
