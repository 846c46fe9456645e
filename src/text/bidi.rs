//! Bidi for the text engine, on top of `unicode-bidi`: paragraph levels (UAX #9 rules up to I2),
//! the per-line rule L1 that parley 0.12 lacks, and the visual order of a line (rule L2).
//!
//! parley resolves bidi too, but never resets trailing whitespace and isolates at a line end to
//! the paragraph level (rule L1), which misplaces the trailing space of wrapped lines at a
//! direction change. The engine therefore takes each line's levels from here and orders the
//! line's clusters itself.

use std::ops::Range;

use std::sync::OnceLock;

use unicode_bidi::data_source::BidiDataSource;
use unicode_bidi::{BidiClass, BidiInfo, HardcodedBidiData, Level};

/// The base direction of paragraphs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Right to left: the direction of Arabic documents.
    #[default]
    Rtl,
    Ltr,
    /// Each paragraph takes the direction of its first strong character (UAX #9 P2–P3),
    /// left to right when it has none.
    Auto,
}

impl Direction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
            Direction::Auto => "auto",
        }
    }
}

/// The resolved bidi levels of one paragraph (a text without paragraph separators).
#[derive(Clone, Debug)]
pub struct ParagraphBidi {
    /// The paragraph embedding level.
    pub level: Level,
    /// Bidi class of the character at each byte.
    classes: Vec<BidiClass>,
    /// Resolved level (rules up to I2) of the character at each byte.
    levels: Vec<Level>,
}

impl ParagraphBidi {
    /// Resolves the levels of `text` with the given base direction.
    pub fn new(text: &str, dir: Direction) -> Self {
        let default = match dir {
            Direction::Rtl => Some(Level::rtl()),
            Direction::Ltr => Some(Level::ltr()),
            Direction::Auto => None,
        };
        let info = BidiInfo::new_with_data_source(&Classes, text, default);
        let level = info
            .paragraphs
            .first()
            .map(|p| p.level)
            .unwrap_or_else(|| default.unwrap_or_else(Level::ltr));
        Self {
            level,
            classes: info.original_classes,
            levels: info.levels,
        }
    }

    pub fn is_rtl(&self) -> bool {
        self.level.is_rtl()
    }

    /// Levels of the bytes of one line (`line` is a byte range of the paragraph) after rule L1:
    /// segment separators, and whitespace and isolate controls before them or at the line end,
    /// take the paragraph level; removed controls (X9) take the level of what precedes them.
    ///
    /// This follows `unicode_bidi::BidiInfo::reordered_levels`, but costs O(line) instead of
    /// O(paragraph) per line, which matters when a long paragraph is re-wrapped.
    pub fn line_levels(&self, line: Range<usize>) -> Vec<Level> {
        use BidiClass::*;
        let line = line.start.min(self.classes.len())..line.end.min(self.classes.len());
        let classes = &self.classes[line.clone()];
        let mut levels = self.levels[line].to_vec();
        let para = self.level;
        let mut reset_from: Option<usize> = Some(0);
        let mut prev = para;
        // Byte by byte: every byte of a character carries its class and level, so the runs
        // below cover whole characters.
        for (i, &class) in classes.iter().enumerate() {
            match class {
                B | S => {
                    let from = reset_from.take().unwrap_or(i);
                    levels[from..=i].fill(para);
                }
                WS | FSI | LRI | RLI | PDI => {
                    reset_from.get_or_insert(i);
                }
                RLE | LRE | RLO | LRO | PDF | BN => {
                    reset_from.get_or_insert(i);
                    levels[i] = prev;
                }
                _ => reset_from = None,
            }
            prev = levels[i];
        }
        if let Some(from) = reset_from {
            levels[from..].fill(para);
        }
        levels
    }
}

/// Bidi classes as `unicode-bidi`'s own tables give them, read from an array for the
/// characters of Arabic news text (U+0000–U+08FF: Latin, Arabic and its supplements; and the
/// general punctuation U+2000–U+206F), which the tables answer by a binary search each.
struct Classes;

/// The first block of characters the array holds, and the second.
const LOW: u32 = 0x900;
const PUNCTUATION: std::ops::Range<u32> = 0x2000..0x2070;

impl BidiDataSource for Classes {
    fn bidi_class(&self, c: char) -> BidiClass {
        static TABLE: OnceLock<Vec<BidiClass>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            (0..LOW)
                .chain(PUNCTUATION)
                .map(|u| {
                    char::from_u32(u).map_or(BidiClass::L, |c| HardcodedBidiData.bidi_class(c))
                })
                .collect()
        });
        let u = c as u32;
        let at = if u < LOW {
            Some(u as usize)
        } else if PUNCTUATION.contains(&u) {
            Some((LOW + u - PUNCTUATION.start) as usize)
        } else {
            None
        };
        at.and_then(|i| table.get(i).copied())
            .unwrap_or_else(|| HardcodedBidiData.bidi_class(c))
    }
}

/// The visual order (rule L2) of items with the given levels: indices, left to right.
pub fn visual_order(levels: &[Level]) -> Vec<usize> {
    BidiInfo::reorder_visual(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_class_array_answers_as_unicode_bidi_for_every_character() {
        for u in (0..0x3000).chain([0x1f525, 0x10ffff]) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(
                    Classes.bidi_class(c),
                    HardcodedBidiData.bidi_class(c),
                    "U+{u:04X}"
                );
            }
        }
    }
}
