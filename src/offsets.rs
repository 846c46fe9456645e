//! Code-point offsets and the one conversion layer between them and UTF-8 byte offsets, and
//! between them and UTF-16 offsets. A leaf: it depends on nothing of ours, so that both the
//! model and the text engine build on it.
//!
//! Every offset Marsad stores or shows counts Unicode scalar values, as Python's `str` does:
//! `text[start:end]` in Python is the span. Rust strings are indexed by bytes, so nothing outside
//! this file turns an offset into a byte position: [`CharIndex`] does it, once per document, in
//! O(1) per lookup.

use std::fmt;

/// A half-open range of code-point offsets, `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CharRange {
    pub start: usize,
    pub end: usize,
}

impl CharRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Number of code points covered (0 when `end <= start`).
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two ranges share at least one code point.
    pub fn overlaps(&self, other: &CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains_range(&self, other: &CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Maps code-point offsets of one text to byte offsets and back.
///
/// Built once per document (4 bytes per character); lookups are O(1) from chars to bytes and
/// O(log n) from bytes to chars.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CharIndex {
    /// `byte_of[i]` is the byte offset of char `i`; the last entry is the text's byte length.
    byte_of: Vec<u32>,
}

impl CharIndex {
    /// Indexes `text`. Texts are limited to 4 GiB, far above any article (the store refuses
    /// files above 256 MiB before this is reached).
    pub fn new(text: &str) -> Self {
        let mut byte_of = Vec::with_capacity(text.len() / 2 + 1);
        byte_of.extend(text.char_indices().map(|(b, _)| b as u32));
        byte_of.push(text.len() as u32);
        Self { byte_of }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of.len() - 1
    }

    /// Byte offset of code-point offset `char_offset` (the text length for the end), or `None`
    /// when it lies beyond the end.
    pub fn byte(&self, char_offset: usize) -> Option<usize> {
        self.byte_of.get(char_offset).map(|&b| b as usize)
    }

    /// Code-point offset of a byte offset that lies on a char boundary, or `None` otherwise.
    pub fn char_at_byte(&self, byte: usize) -> Option<usize> {
        self.byte_of.binary_search(&(byte as u32)).ok()
    }

    /// Byte range of a char range, or `None` when it lies outside the text or is reversed.
    pub fn byte_range(&self, range: CharRange) -> Option<std::ops::Range<usize>> {
        if range.start > range.end {
            return None;
        }
        Some(self.byte(range.start)?..self.byte(range.end)?)
    }

    /// The slice of `text` (the text this index was built from) covered by `range`.
    pub fn slice<'t>(&self, text: &'t str, range: CharRange) -> Option<&'t str> {
        text.get(self.byte_range(range)?)
    }
}

/// A unit offsets are counted in, in files Marsad reads or writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Unit {
    /// Unicode code points, as Python's `str` counts (Marsad's own unit).
    #[default]
    #[value(name = "codepoint")]
    CodePoints,
    /// UTF-16 code units, as JavaScript strings count (a character outside the BMP, such as
    /// an emoji, counts 2).
    #[value(name = "utf16")]
    Utf16,
}

impl Unit {
    /// The name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Unit::CodePoints => "codepoint",
            Unit::Utf16 => "utf16",
        }
    }
}

/// Offsets of one text counted in a [`Unit`], to and from code points: the one UTF-16 ↔ code
/// point conversion (exports write UTF-16 offsets for JavaScript tools; predictions and JSONL
/// from them are read back).
#[derive(Clone, Debug)]
pub struct Offsets {
    unit: Unit,
    /// Code points in the text.
    len: usize,
    /// For UTF-16: the UTF-16 offset of each code point, then of the end (strictly
    /// increasing); empty when the units agree (code points, or a text without a character
    /// outside the BMP).
    utf16: Vec<usize>,
}

impl Offsets {
    pub fn new(text: &str, unit: Unit) -> Self {
        let len = text.chars().count();
        let utf16 = if unit == Unit::Utf16 && text.chars().any(|c| c.len_utf16() == 2) {
            let mut at = 0;
            let mut table: Vec<usize> = text
                .chars()
                .map(|c| {
                    let here = at;
                    at += c.len_utf16();
                    here
                })
                .collect();
            table.push(at);
            table
        } else {
            Vec::new()
        };
        Self { unit, len, utf16 }
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The offset of code point `i` in this unit.
    pub fn from_char(&self, i: usize) -> usize {
        self.utf16.get(i).copied().unwrap_or(i)
    }

    /// The code point at offset `u` of this unit; None inside a surrogate pair or past the end.
    pub fn to_char(&self, u: usize) -> Option<usize> {
        if self.utf16.is_empty() {
            (u <= self.len).then_some(u)
        } else {
            self.utf16.binary_search(&u).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, start: usize, end: usize) -> Option<String> {
        CharIndex::new(text)
            .slice(text, CharRange::new(start, end))
            .map(str::to_owned)
    }

    #[test]
    fn arabic_offsets_count_code_points_not_bytes() {
        let text = "قتل 27 جنديا";
        assert_eq!(CharIndex::new(text).char_len(), 12);
        assert_eq!(text.len(), 20);
        assert_eq!(slice(text, 4, 6).as_deref(), Some("27"));
        assert_eq!(slice(text, 7, 12).as_deref(), Some("جنديا"));
    }

    #[test]
    fn an_emoji_is_one_code_point_as_in_python() {
        // Python: len("🔥 هجوم") == 6; JavaScript would say 7 (UTF-16 surrogate pair).
        let text = "🔥 هجوم";
        let index = CharIndex::new(text);
        assert_eq!(index.char_len(), 6);
        assert_eq!(slice(text, 2, 6).as_deref(), Some("هجوم"));
        assert_eq!(index.byte(1), Some(4));
        assert_eq!(index.char_at_byte(4), Some(1));
        assert_eq!(index.char_at_byte(2), None, "inside the emoji");
    }

    #[test]
    fn harakat_are_code_points_of_their_own() {
        // قُتِلَ = ق ُ ت ِ ل َ : six code points for three letters.
        let text = "قُتِلَ جندي";
        assert_eq!(CharIndex::new(text).char_len(), 11);
        assert_eq!(slice(text, 0, 6).as_deref(), Some("قُتِلَ"));
        assert_eq!(slice(text, 0, 2).as_deref(), Some("قُ"));
        assert_eq!(slice(text, 7, 11).as_deref(), Some("جندي"));
    }

    #[test]
    fn crlf_counts_two_code_points_until_import_turns_it_into_lf() {
        let text = "سطر\r\nثان";
        assert_eq!(CharIndex::new(text).char_len(), 8);
        assert_eq!(slice(text, 5, 8).as_deref(), Some("ثان"));
    }

    #[test]
    fn out_of_range_and_reversed_ranges_give_none() {
        let text = "مالي";
        assert_eq!(slice(text, 0, 4).as_deref(), Some("مالي"));
        assert_eq!(slice(text, 0, 5), None);
        assert_eq!(slice(text, 3, 2), None);
        assert_eq!(slice(text, 4, 4).as_deref(), Some(""));
    }

    #[test]
    fn empty_text_has_one_boundary() {
        let index = CharIndex::new("");
        assert_eq!(index.char_len(), 0);
        assert_eq!(index.byte(0), Some(0));
        assert_eq!(index.byte(1), None);
    }

    #[test]
    fn range_relations() {
        let outer = CharRange::new(2, 10);
        assert!(outer.contains_range(&CharRange::new(3, 10)));
        assert!(!outer.contains_range(&CharRange::new(1, 3)));
        assert!(outer.overlaps(&CharRange::new(9, 12)));
        assert!(!outer.overlaps(&CharRange::new(10, 12)));
        assert_eq!(outer.len(), 8);
        assert_eq!(outer.to_string(), "2..10");
    }

    #[test]
    fn utf16_offsets_map_back_to_code_points_and_reject_half_characters() {
        let to_chars = Offsets::new("🔥 مالي", Unit::Utf16);
        assert_eq!(to_chars.to_char(0), Some(0));
        assert_eq!(
            to_chars.to_char(1),
            None,
            "inside the emoji's surrogate pair"
        );
        assert_eq!(to_chars.to_char(2), Some(1));
        assert_eq!(to_chars.to_char(7), Some(6));
        assert_eq!(to_chars.to_char(8), None);
        let plain = Offsets::new("مالي", Unit::Utf16);
        assert_eq!((plain.to_char(4), plain.to_char(5)), (Some(4), None));
    }
}
