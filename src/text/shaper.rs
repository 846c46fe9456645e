//! Shaping a paragraph into clusters and glyphs as parley 0.12 shapes it — parley_engine's text
//! analysis, its itemisation (`itemize`), the first bundled font that covers each grapheme best
//! (`font_choice`), HarfBuzz (harfrust) with parley's buffer settings and parley_engine's
//! reading of the glyph buffer — but with HarfBuzz called once per distinct word: every
//! space-separated piece of a run is shaped alone and kept, as browsers keep their word caches,
//! so a word met again costs a copy.
//!
//! A piece is cut only beside a space that is a grapheme of its own, where shaping cannot join
//! across (a space is non-joining in every script we shape), and only in runs written in their
//! script's own direction without emoji, controls or default-ignorable characters, for which
//! HarfBuzz decides passes by the whole text; its cache key holds the font, direction, script
//! and size, and the text. `parley_reference` and `tests/layout_identical.rs` hold the result
//! equal to parley's own shaping.

use std::ops::Range;

use harfrust::{
    BufferClusterLevel, Direction, FontRef, GlyphBuffer, ShapePlan, ShaperData, ShaperInstance,
    UnicodeBuffer,
};
use parley_engine::shape::Whitespace;
use parley_engine::{Analysis, AnalysisOptions, Analyzer, BaseDirection};
use rustc_hash::FxHashMap as HashMap;
use skrifa::MetadataProvider;
use skrifa::raw::TableProvider;

use super::breaking::LineBox;
use super::font_choice::FontChoice;
use super::fonts::{FontId, Fonts};
use super::itemize::{Segment, itemize};

/// A character of a shaped paragraph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Char {
    /// Byte offset in the paragraph.
    pub byte: u32,
    pub whitespace: Whitespace,
    /// A line may break before this character (UAX #14).
    pub soft_wrap: bool,
    /// This character starts a grapheme (UAX #29; also the first of every run).
    pub grapheme_start: bool,
    /// Neither emoji, control, variation selector nor default-ignorable (a run of such
    /// characters only is cut into pieces).
    pub plain: bool,
}

/// A HarfBuzz cluster: characters and the glyphs they shaped into.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Cluster {
    /// Characters of the paragraph, `start..end`.
    pub chars: (u32, u32),
    /// Glyphs of the paragraph, in paint order.
    pub glyphs: (u32, u32),
    pub advance: f32,
}

/// A glyph relative to its pen position, px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Glyph {
    pub id: u32,
    pub x: f32,
    pub y: f32,
    pub advance: f32,
}

/// Characters of one bidi level, one script and one font, shaped together.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Run {
    pub clusters: Range<u32>,
    pub font: FontId,
    pub rtl: bool,
}

/// A shaped paragraph: its characters, clusters (logical order), glyphs and runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct ShapedText {
    /// The paragraph's length in bytes.
    pub len: usize,
    pub chars: Vec<Char>,
    pub clusters: Vec<Cluster>,
    pub glyphs: Vec<Glyph>,
    pub runs: Vec<Run>,
}

impl ShapedText {
    /// The byte offset in the paragraph of character `c` (the paragraph's length for the end).
    pub fn byte_of(&self, c: u32) -> usize {
        self.chars
            .get(c as usize)
            .map_or(self.len, |ch| ch.byte as usize)
    }
}

/// A shaped piece as kept in the cache: clusters with piece-relative chars and glyphs.
struct Piece {
    clusters: Vec<Cluster>,
    glyphs: Vec<Glyph>,
}

/// What a piece's shape depends on besides its text: font, direction, script, size.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct PieceKind {
    font: FontId,
    rtl: bool,
    script: harfrust::Script,
    /// The font size's bits.
    size: u32,
}

/// A bundled font ready for HarfBuzz.
struct Face {
    bytes: &'static [u8],
    data: ShaperData,
    instance: ShaperInstance,
    /// Font size over units per em.
    upem: f32,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Option<Self> {
        let font = FontRef::from_index(bytes, 0).ok()?;
        let upem = f32::from(font.head().ok()?.units_per_em());
        Some(Self {
            bytes,
            data: ShaperData::new(&font),
            instance: ShaperInstance::from_variations(
                &font,
                std::iter::empty::<harfrust::Variation>(),
            ),
            upem,
        })
    }

    /// HarfBuzz's shaper for this font.
    fn shaper(&'static self) -> Option<harfrust::Shaper<'static>> {
        let font = FontRef::from_index(self.bytes, 0).ok()?;
        Some(
            self.data
                .shaper(&font)
                .instance(Some(&self.instance))
                .build(),
        )
    }
}

/// The bundled fonts parsed for HarfBuzz once per process, shared by every shaper.
static FACES: std::sync::LazyLock<Vec<Face>> = std::sync::LazyLock::new(|| {
    (0..2)
        .filter_map(|id| Face::new(Fonts::bytes(id)))
        .collect()
});

/// Default-ignorable characters (ZWJ, ZWNJ, bidi controls, variation selectors, …).
static IGNORABLE: icu_properties::CodePointSetDataBorrowed<'static> =
    icu_properties::CodePointSetData::new::<icu_properties::props::DefaultIgnorableCodePoint>();

/// Whether a character is default-ignorable: a bit per character below [`LOW_CHARS`], ICU's
/// set above.
fn ignorable(c: char) -> bool {
    static LOW: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let mut bits = vec![0u64; LOW_CHARS / 64];
        for range in IGNORABLE.iter_ranges() {
            for c in range.take_while(|&c| (c as usize) < LOW_CHARS) {
                bits[c as usize / 64] |= 1 << (c % 64);
            }
        }
        bits
    });
    let i = c as usize;
    match LOW.get(i / 64) {
        Some(word) => word & (1 << (i % 64)) != 0,
        None => IGNORABLE.contains(c),
    }
}

/// Characters below this (Latin, Arabic, general punctuation) have their default-ignorable
/// bit in a table.
const LOW_CHARS: usize = 0x3000;

/// Above this many kept pieces the cache starts afresh.
const MAX_PIECES: usize = 50_000;

/// Shapes paragraphs; one per thread, reused from paragraph to paragraph.
pub(super) struct Shaper {
    analyzer: Analyzer,
    analysis: Analysis,
    /// HarfBuzz's shaper and units per em of each font.
    faces: Vec<(harfrust::Shaper<'static>, f32)>,
    fonts: FontChoice,
    plans: HashMap<(FontId, bool, harfrust::Script), ShapePlan>,
    pieces: HashMap<PieceKind, HashMap<Box<str>, Piece>>,
    piece_count: usize,
    buffer: Option<UnicodeBuffer>,
    /// The paragraph's segments (scratch).
    segments: Vec<Segment>,
    /// A segment's runs of one font (scratch).
    font_runs: Vec<(FontId, Range<usize>)>,
}

/// A run being shaped: the paragraph, its segment, its font and size.
struct RunOf<'a> {
    text: &'a str,
    segment: &'a Segment,
    font: FontId,
    size: f32,
}

impl Shaper {
    pub fn new() -> Self {
        let faces = FACES
            .iter()
            .filter_map(|f| Some((f.shaper()?, f.upem)))
            .collect();
        Self {
            analyzer: Analyzer::new(),
            analysis: Analysis::new(),
            faces,
            fonts: FontChoice::new(),
            plans: HashMap::default(),
            pieces: HashMap::default(),
            piece_count: 0,
            buffer: Some(UnicodeBuffer::new()),
            segments: Vec::new(),
            font_runs: Vec::new(),
        }
    }

    /// The line box of every line at `size` px and `line_height` px: the first font's ascent
    /// and descent, the leading split evenly (parley's box for an absolute line height).
    pub fn line_box(&self, size: f32, line_height: f32) -> LineBox {
        let (ascent, descent) = skrifa::FontRef::new(Fonts::bytes(0))
            .map(|f| {
                let m = f.metrics(
                    skrifa::instance::Size::new(size),
                    skrifa::instance::LocationRef::default(),
                );
                (m.ascent, -m.descent)
            })
            .unwrap_or((size * 0.8, size * 0.2));
        LineBox::new(ascent, descent, line_height)
    }

    /// Shapes one paragraph (no `\n` in it) at `size` px.
    pub fn shape(&mut self, text: &str, rtl: bool, size: f32, out: &mut ShapedText) {
        out.len = text.len();
        out.chars.clear();
        out.clusters.clear();
        out.glyphs.clear();
        out.runs.clear();
        if text.is_empty() {
            return;
        }
        let options = AnalysisOptions {
            base_direction: if rtl {
                BaseDirection::Rtl
            } else {
                BaseDirection::Ltr
            },
            ..AnalysisOptions::default()
        };
        self.analyzer.analyze(text, &options, &mut self.analysis);
        let info = self.analysis.char_info();
        out.chars.reserve_exact(info.len());
        // About a cluster and a glyph per character.
        out.clusters.reserve_exact(info.len());
        out.glyphs.reserve_exact(info.len() + info.len() / 8);
        for ((byte, ch), info) in text.char_indices().zip(info) {
            out.chars.push(Char {
                byte: byte as u32,
                whitespace: whitespace_of(ch),
                soft_wrap: info.is_soft_wrap_opportunity(),
                grapheme_start: info.is_grapheme_start(),
                plain: !(info.is_emoji_or_pictograph()
                    || info.is_control()
                    || info.is_variation_selector()
                    || ignorable(ch)),
            });
        }
        itemize(text, &self.analysis, &mut self.segments);
        let segments = std::mem::take(&mut self.segments);
        for segment in &segments {
            self.shape_segment(text, segment, size, out);
        }
        self.segments = segments;
    }

    /// Chooses a font per grapheme and shapes each run of one font, piece by piece.
    fn shape_segment(&mut self, text: &str, segment: &Segment, size: f32, out: &mut ShapedText) {
        let mut run: Option<(FontId, usize)> = None;
        let mut font_runs = std::mem::take(&mut self.font_runs);
        font_runs.clear();
        let mut chars = text[segment.bytes.clone()].chars();
        let mut grapheme = [' '; 8];
        let mut at = segment.chars.start;
        while at < segment.chars.end {
            let info = self.analysis.char_info();
            let mut end = at + 1;
            while end < segment.chars.end && !info[end].is_grapheme_start() {
                end += 1;
            }
            let font = if end - at == 1 {
                let c = chars.next().unwrap_or(' ');
                self.fonts.font_of_char(c, info[at])
            } else if end - at <= grapheme.len() {
                for slot in &mut grapheme[..end - at] {
                    *slot = chars.next().unwrap_or(' ');
                }
                self.fonts
                    .select_font(&grapheme[..end - at], &info[at..end])
            } else {
                let long: Vec<char> = chars.by_ref().take(end - at).collect();
                self.fonts.select_font(&long, &info[at..end])
            };
            match &run {
                Some((f, _)) if *f == font => {}
                _ => {
                    if let Some((f, s)) = run.take() {
                        font_runs.push((f, s..at));
                    }
                    run = Some((font, at));
                }
            }
            at = end;
        }
        if let Some((f, s)) = run {
            font_runs.push((f, s..segment.chars.end));
        }
        for (font, chars) in font_runs.drain(..) {
            let run = RunOf {
                text,
                segment,
                font,
                size,
            };
            self.shape_run(&run, chars, out);
        }
        self.font_runs = font_runs;
    }

    /// Shapes one run of one font, cutting it into pieces before each space that starts a
    /// grapheme and taking each piece from the cache when it has been shaped before.
    fn shape_run(&mut self, run: &RunOf<'_>, chars: Range<usize>, out: &mut ShapedText) {
        if chars.is_empty() {
            return;
        }
        // The first character of every run starts a grapheme (parley forces it too).
        out.chars[chars.start].grapheme_start = true;
        let first_cluster = out.clusters.len() as u32;
        let mut piece_start = chars.start;
        // HarfBuzz decides some passes by what the whole text holds (default-ignorables beside
        // an emoji, say): a run with any such character is shaped whole, as parley shapes it.
        let plain = run.segment.native && out.chars[chars.clone()].iter().all(|c| c.plain);
        for i in chars.start + 1..=chars.end {
            let cut = i == chars.end || {
                let (before, at) = (out.chars[i - 1], out.chars[i]);
                // Pieces begin and end with graphemes of one character: HarfBuzz orders a mark
                // at the start of a text differently.
                let lone_after = out.chars.get(i + 1).is_none_or(|c| c.grapheme_start);
                plain
                    && at.grapheme_start
                    && before.grapheme_start
                    && lone_after
                    && (at.whitespace == Whitespace::Space
                        || before.whitespace == Whitespace::Space)
            };
            if cut {
                self.shape_piece(run, piece_start..i, out);
                piece_start = i;
            }
        }
        out.runs.push(Run {
            clusters: first_cluster..out.clusters.len() as u32,
            font: run.font,
            rtl: run.segment.rtl,
        });
    }

    fn shape_piece(&mut self, run: &RunOf<'_>, chars: Range<usize>, out: &mut ShapedText) {
        let text = run.text;
        let bytes = out.byte_of(chars.start as u32)..out.byte_of(chars.end as u32);
        let piece = &text[bytes.clone()];
        // HarfBuzz reads the text around a piece only to join Arabic letters across its edges:
        // a space there joins nothing, so pieces between spaces are kept whatever surrounds them;
        // a piece that touches another run (a font or direction change inside a word) is not.
        let before = text[..bytes.start].chars().next_back();
        let after = text[bytes.end..].chars().next();
        let spaces = piece.chars().all(|c| c == ' ');
        let apart = |c: Option<char>| c.is_none_or(|c| c == ' ');
        let kept = spaces || (apart(before) && apart(after));
        let kind = PieceKind {
            font: run.font,
            rtl: run.segment.rtl,
            script: run.segment.script,
            size: run.size.to_bits(),
        };
        let char_base = chars.start as u32;
        let glyph_base = out.glyphs.len() as u32;
        let append = |p: &Piece, out: &mut ShapedText| {
            out.clusters.extend(p.clusters.iter().map(|c| Cluster {
                chars: (c.chars.0 + char_base, c.chars.1 + char_base),
                glyphs: (c.glyphs.0 + glyph_base, c.glyphs.1 + glyph_base),
                advance: c.advance,
            }));
            out.glyphs.extend_from_slice(&p.glyphs);
        };
        if kept && let Some(p) = self.pieces.get(&kind).and_then(|m| m.get(piece)) {
            append(p, out);
            return;
        }
        let p = self.shape_with_harfrust(text, &bytes, &kind, run.size, &out.chars[chars.clone()]);
        append(&p, out);
        if !kept {
            return;
        }
        if self.piece_count >= MAX_PIECES {
            self.pieces.clear();
            self.piece_count = 0;
        }
        self.piece_count += 1;
        self.pieces.entry(kind).or_default().insert(piece.into(), p);
    }

    /// HarfBuzz on one piece, its clusters in logical order (parley's reading of the buffer).
    fn shape_with_harfrust(
        &mut self,
        text: &str,
        bytes: &Range<usize>,
        kind: &PieceKind,
        size: f32,
        chars: &[Char],
    ) -> Piece {
        let mut piece = Piece {
            clusters: Vec::new(),
            glyphs: Vec::new(),
        };
        let Some((shaper, upem)) = self.faces.get(usize::from(kind.font)) else {
            return piece;
        };
        let direction = if kind.rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        };
        let plan = self
            .plans
            .entry((kind.font, kind.rtl, kind.script))
            .or_insert_with(|| ShapePlan::new(shaper, direction, Some(kind.script), None, &[]));
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.set_cluster_level(BufferClusterLevel::MonotoneCharacters);
        let piece_text = &text[bytes.clone()];
        buffer.reserve(piece_text.len());
        for (i, ch) in piece_text.chars().enumerate() {
            buffer.add(ch, i as u32);
        }
        buffer.set_pre_context(&text[..bytes.start]);
        buffer.set_post_context(&text[bytes.end..]);
        buffer.set_direction(direction);
        buffer.set_script(kind.script);
        let glyphs = shaper.shape(
            buffer,
            harfrust::ShapeOptions::new()
                .plan(Some(plan))
                .features(&[])
                .point_size(Some(size)),
        );
        read_clusters(&glyphs, kind.rtl, size / upem, chars, &mut piece);
        self.buffer = Some(glyphs.clear());
        piece
    }
}

#[cfg(test)]
impl Shaper {
    /// How many pieces the cache holds.
    pub fn kept_pieces(&self) -> usize {
        self.piece_count
    }
}

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

/// HarfBuzz's glyphs into clusters in logical order, each cluster's glyphs in paint order;
/// a newline's glyphs dropped (parley_engine's `process_shaped_clusters`).
fn read_clusters(buffer: &GlyphBuffer, rtl: bool, scale: f32, chars: &[Char], piece: &mut Piece) {
    let infos = buffer.glyph_infos();
    let positions = buffer.glyph_positions();
    let order: Box<dyn Iterator<Item = usize>> = if rtl {
        Box::new((0..infos.len()).rev())
    } else {
        Box::new(0..infos.len())
    };
    let mut id = 0u32;
    let mut start_char = 0u32;
    let mut first_glyph = 0u32;
    let mut advance = 0f32;
    let flush = |piece: &mut Piece, start: u32, end: u32, first: u32, advance: f32| {
        let newline = chars
            .get(start as usize)
            .is_some_and(|c| c.whitespace == Whitespace::Newline);
        if newline {
            piece.glyphs.truncate(first as usize);
        }
        let last = piece.glyphs.len() as u32;
        // A lone glyph without offsets is kept by parley as its id alone and read back at
        // (+0, +0) with the cluster's advance.
        if last - first == 1 {
            let g = &mut piece.glyphs[first as usize];
            if g.x == 0.0 && g.y == 0.0 {
                (g.x, g.y, g.advance) = (0.0, 0.0, advance);
            }
        }
        if rtl && last - first > 1 {
            piece.glyphs[first as usize..last as usize].reverse();
        }
        piece.clusters.push(Cluster {
            chars: (start, end),
            glyphs: (first, last),
            advance: if newline { 0.0 } else { advance },
        });
    };
    for i in order {
        let (info, pos) = (&infos[i], &positions[i]);
        if info.cluster != id {
            flush(piece, start_char, info.cluster, first_glyph, advance);
            id = info.cluster;
            start_char = info.cluster;
            first_glyph = piece.glyphs.len() as u32;
            advance = 0.0;
        }
        let glyph = Glyph {
            id: info.glyph_id,
            x: (pos.x_offset as f32) * scale,
            y: -(pos.y_offset as f32) * scale,
            advance: (pos.x_advance as f32) * scale,
        };
        advance += glyph.advance;
        piece.glyphs.push(glyph);
    }
    flush(piece, start_char, chars.len() as u32, first_glyph, advance);
}

/// parley_engine's whitespace classes.
fn whitespace_of(c: char) -> Whitespace {
    match c {
        ' ' => Whitespace::Space,
        '\u{00A0}' => Whitespace::NoBreakSpace,
        '\u{3000}' => Whitespace::IdeographicSpace,
        '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => {
            Whitespace::OtherSpaceSeparator
        }
        '\t' => Whitespace::Tab,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Whitespace::Newline,
        '\u{000b}' | '\u{000c}' | '\u{0085}' => Whitespace::ControlWhitespace,
        _ => Whitespace::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_default_ignorables_is_icus() {
        for c in (0..0x4000u32).filter_map(char::from_u32) {
            assert_eq!(ignorable(c), IGNORABLE.contains(c), "U+{:04X}", c as u32);
        }
    }
}
