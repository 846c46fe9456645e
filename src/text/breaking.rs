//! Lines of a shaped paragraph as parley 0.12 breaks them for the one style a document has
//! (one font size, an absolute line height, wrapping at UAX #14 opportunities, trailing spaces
//! hanging past the edge), their vertical metrics, and the walk over a line's graphemes in
//! visual order that parley's clusters make (a ligature's advance shared among its graphemes,
//! its glyphs on the first).
//!
//! Atoms — the smallest spans whose both edges are grapheme and cluster edges — are never
//! broken; a line ends at the last opportunity before the atom that overflows, or after an
//! overflowing atom when the line has none.

use std::ops::Range;

use parley_engine::shape::Whitespace;

use super::shaper::ShapedText;

/// A line of a paragraph: its clusters and its bytes (paragraph-local).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LineBreak {
    pub clusters: Range<u32>,
    pub bytes: Range<usize>,
}

/// The vertical metrics shared by every line of a style, px from the line's top.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LineBox {
    /// Font ascent and descent (both positive).
    pub ascent: f32,
    pub descent: f32,
    /// Line box above and below the baseline.
    pub over: f32,
    pub under: f32,
}

/// One line's vertical metrics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LineMetrics {
    pub baseline: f32,
    pub block_min: f32,
    pub block_max: f32,
    pub content_min: f32,
    pub content_max: f32,
}

impl LineBox {
    /// The box of a line height `line_height` with a font of this ascent and descent, the
    /// leading split evenly above and below.
    pub fn new(ascent: f32, descent: f32, line_height: f32) -> Self {
        let half_leading = (line_height - (ascent + descent)) / 2.;
        let over = ascent + half_leading;
        Self {
            ascent,
            descent,
            over,
            under: line_height - over,
        }
    }

    /// The metrics of `count` lines stacked from y = 0.
    pub fn stack(&self, count: usize) -> impl Iterator<Item = LineMetrics> + '_ {
        let height = f64::from(self.over + self.under);
        (0..count).scan(0f64, move |y, _| {
            let top = *y as f32;
            *y += height;
            let baseline = top + self.over;
            Some(LineMetrics {
                baseline,
                block_min: top,
                block_max: baseline + self.under,
                content_min: baseline - self.ascent,
                content_max: baseline + self.descent,
            })
        })
    }
}

/// The clusters of the atom that starts at cluster `start`.
fn atom_end(text: &ShapedText, start: u32, bound: u32) -> u32 {
    let mut end = start + 1;
    while end < bound && !starts_grapheme(text, end) {
        end += 1;
    }
    end
}

fn starts_grapheme(text: &ShapedText, cluster: u32) -> bool {
    let first = text.clusters[cluster as usize].chars.0;
    text.chars[first as usize].grapheme_start
}

/// Whitespace that hangs past the end of a line.
fn hangs(whitespace: Whitespace) -> bool {
    matches!(
        whitespace,
        Whitespace::Newline | Whitespace::Space | Whitespace::IdeographicSpace | Whitespace::Tab
    )
}

/// The advance of the atom's logically trailing clusters that hang, and whether all of it does.
fn hanging_advance(text: &ShapedText, atom: Range<u32>) -> (f32, bool) {
    let mut hanging = 0.;
    for c in atom.rev() {
        let cluster = &text.clusters[c as usize];
        let all = text.chars[cluster.chars.0 as usize..cluster.chars.1 as usize]
            .iter()
            .all(|ch| hangs(ch.whitespace));
        if !all {
            return (hanging, false);
        }
        // (parley adds the atom's letter-spacing gaps here, zero in our style)
        hanging += cluster.advance;
    }
    (hanging, true)
}

/// Breaks a paragraph into lines at most `width` px wide.
pub(super) fn break_lines(text: &ShapedText, width: f32, out: &mut Vec<LineBreak>) {
    out.clear();
    let n = text.clusters.len() as u32;
    let commit = |start: u32, end: u32, out: &mut Vec<LineBreak>| {
        let bytes = if end > start {
            text.byte_of(text.clusters[start as usize].chars.0)
                ..text.byte_of(text.clusters[end as usize - 1].chars.1)
        } else {
            text.len..text.len
        };
        out.push(LineBreak {
            clusters: start..end,
            bytes,
        });
    };
    // The line being filled: its first cluster, the end of its last atom, its advance.
    let (mut start, mut end, mut x) = (0u32, 0u32, 0f32);
    // The last soft wrap opportunity on the line: where the next line would start, and the
    // line's end and advance there.
    let mut boundary: Option<(u32, u32, f32)> = None;
    let mut at = 0u32;
    while at < n {
        let atom = at..atom_end(text, at, n);
        let first = text.chars[text.clusters[at as usize].chars.0 as usize];
        if first.whitespace == Whitespace::Newline {
            commit(start, atom.end, out);
            (start, end, x, boundary) = (atom.end, atom.end, 0., None);
            at = atom.end;
            continue;
        }
        if first.soft_wrap && x != 0.0 {
            boundary = Some((at, end, x));
        }
        let advance = atom
            .clone()
            .fold(0f32, |a, c| a + text.clusters[c as usize].advance);
        let next_x = x + advance;
        let fits = next_x <= width || {
            let (hanging, all) = hanging_advance(text, atom.clone());
            all || next_x - hanging <= width
        };
        if !fits && let Some((resume, line_end, _)) = boundary.take() {
            commit(start, line_end, out);
            (start, end, x) = (resume, resume, 0.);
            at = resume;
            continue;
        }
        end = atom.end;
        x = next_x;
        at = atom.end;
    }
    commit(start, end, out);
}

/// A grapheme of a line's run in visual order, as parley's `Cluster`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Grapheme {
    /// Characters of the paragraph.
    pub chars: Range<u32>,
    pub advance: f32,
    /// The clusters of its atom when it starts one (the atom's glyphs go with it).
    pub atom: Option<Range<u32>>,
}

/// A cluster's advance shared evenly among the graphemes it overlaps.
fn share(text: &ShapedText, cluster: u32) -> f32 {
    let c = &text.clusters[cluster as usize];
    let (s, e) = (c.chars.0 as usize, c.chars.1 as usize);
    let overlapped = 1 + text.chars[(s + 1).min(e)..e]
        .iter()
        .filter(|ch| ch.grapheme_start)
        .count();
    c.advance / overlapped as f32
}

/// The graphemes of clusters `c0..c1` (one run's part of a line), left to right: logical
/// order for left-to-right runs, reversed for right-to-left ones.
pub(super) fn visual_graphemes(
    text: &ShapedText,
    clusters: Range<u32>,
    rtl: bool,
    out: &mut Vec<Grapheme>,
) {
    out.clear();
    let (c0, c1) = (clusters.start, clusters.end);
    if c0 >= c1 {
        return;
    }
    let cl = |i: u32| text.clusters[i as usize].chars;
    let starts = |i: u32| text.chars[i as usize].grapheme_start;
    let (char_start, char_end) = (cl(c0).0, cl(c1 - 1).1);
    if !rtl {
        let (mut ci, mut atom_at) = (c0, c0);
        let mut partial = share(text, c0);
        let mut idx_char = char_start;
        while idx_char < char_end {
            let g = idx_char;
            let atom_start = g == cl(ci).0;
            let mut advance = partial;
            let mut idx = g + 1;
            while idx < char_end && !starts(idx) {
                if idx == cl(ci).1 {
                    ci += 1;
                    partial = share(text, ci);
                    advance += partial;
                }
                idx += 1;
            }
            if idx < char_end && idx == cl(ci).1 {
                ci += 1;
                partial = share(text, ci);
            }
            idx_char = idx;
            let atom = atom_start.then(|| {
                let a = atom_at..atom_end(text, atom_at, c1);
                atom_at = a.end;
                a
            });
            out.push(Grapheme {
                chars: g..idx,
                advance,
                atom,
            });
        }
    } else {
        let (mut ci, mut atom_at) = (c1 - 1, c1);
        let mut partial = share(text, ci);
        let mut idx_char = char_end;
        let mut atom: Option<Range<u32>> = None;
        while idx_char > char_start {
            let g_end = idx_char;
            let mut idx = g_end - 1;
            if idx < cl(ci).0 {
                ci -= 1;
                partial = share(text, ci);
            }
            let atom_end_here = g_end == cl(ci).1;
            let mut advance = partial;
            while idx > char_start && !starts(idx) {
                idx -= 1;
                if idx < cl(ci).0 {
                    ci -= 1;
                    partial = share(text, ci);
                    advance += partial;
                }
            }
            let atom_start = idx == char_start || idx == cl(ci).0;
            idx_char = idx;
            if atom_end_here {
                let mut s = atom_at - 1;
                while s > c0 && !starts_grapheme(text, s) {
                    s -= 1;
                }
                atom = Some(s..atom_at);
                atom_at = s;
            }
            out.push(Grapheme {
                chars: idx..g_end,
                advance,
                atom: if atom_start { atom.clone() } else { None },
            });
        }
    }
}
