//! Moving a caret through laid-out text as the eye sees it: one grapheme to the left or the
//! right on the screen (in Arabic, Left goes forward; over a Latin name or a number inside
//! Arabic, Left goes back through it), across line ends in reading order, and the ends of a
//! visual line; and snapping a dragged range to whole words. Offsets are code points; the
//! caret is taken downstream (at a wrap, the start of the next line).

use super::layout::{Affinity, Line, TextLayout};
use crate::offsets::CharRange;

/// Whether a character belongs to a word when a drag snaps: letters and digits, the marks
/// written on them (harakat, the dagger alef, Quranic marks, Latin accents), tatweel and ZWNJ.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{0640}')
}

impl TextLayout {
    /// A dragged range made whole words: from the start of the first word it touches to the
    /// end of the last, leaving out spaces and punctuation at either end (a full stop after
    /// the word, quotes around it). A range with no word character stays as it is.
    pub fn snap_to_words(&self, range: CharRange) -> CharRange {
        let Some(chars) = self.index.slice(&self.text, range) else {
            return range;
        };
        let chars: Vec<char> = chars.chars().collect();
        let (Some(first), Some(last)) = (
            chars.iter().position(|&c| is_word_char(c)),
            chars.iter().rposition(|&c| is_word_char(c)),
        ) else {
            return range;
        };
        let start = self.word_at(range.start + first).start;
        let end = self.word_at(range.start + last).end;
        CharRange::new(
            start.min(range.start + first),
            end.max(range.start + last + 1),
        )
    }

    /// The paragraph and line that show the caret at `offset`.
    fn line_index(&self, offset: usize) -> Option<(usize, usize)> {
        let p = self.paragraph_of(offset.min(self.char_len()))?;
        let lines = self.placed_lines(p);
        let i = lines
            .partition_point(|l| l.chars.end <= offset && !l.chars.is_empty())
            .min(lines.len().checked_sub(1)?);
        Some((p, i))
    }

    fn line_at(&self, (p, i): (usize, usize)) -> Option<&Line> {
        self.placed_lines(p).get(i)
    }

    /// The line after (or before) one, across paragraphs.
    fn neighbour_line(&self, (p, i): (usize, usize), next: bool) -> Option<(usize, usize)> {
        if next {
            if i + 1 < self.placed_lines(p).len() {
                return Some((p, i + 1));
            }
            (p + 1 < self.paragraph_count()).then_some((p + 1, 0))
        } else if i > 0 {
            Some((p, i - 1))
        } else {
            let q = p.checked_sub(1)?;
            Some((q, self.placed_lines(q).len().checked_sub(1)?))
        }
    }

    /// The characters of the visual line that shows the caret at `offset`.
    pub fn line_range(&self, offset: usize) -> CharRange {
        self.line_index(offset)
            .and_then(|at| self.line_at(at))
            .map_or(CharRange::new(offset, offset), |l| l.chars)
    }

    /// Home and End: the start and end of the visual line at `offset`. At a wrap the end is
    /// the last boundary before the next line begins, so the caret stays on this line.
    pub fn line_ends(&self, offset: usize) -> (usize, usize) {
        let Some(at) = self.line_index(offset) else {
            return (offset, offset);
        };
        let Some(line) = self.line_at(at) else {
            return (offset, offset);
        };
        let wraps = self
            .neighbour_line(at, true)
            .and_then(|n| self.line_at(n))
            .is_some_and(|n| n.chars.start == line.chars.end);
        let end = if wraps {
            let bounds = self.grapheme_bounds(line.chars);
            bounds
                .iter()
                .rev()
                .copied()
                .find(|&b| b < line.chars.end)
                .unwrap_or(line.chars.start)
        } else {
            line.chars.end
        };
        (line.chars.start, end)
    }

    /// The caret one grapheme to the left (or right) of `offset` on the screen. At a line's
    /// edge it goes on to the next line in reading order (or back to the previous one); at
    /// the text's ends it stays.
    pub fn visual_step(&self, offset: usize, left: bool) -> usize {
        let Some(at) = self.line_index(offset) else {
            return offset;
        };
        let Some(line) = self.line_at(at) else {
            return offset;
        };
        // The line's caret stops from left to right. Two stops can share an x (a zero-width
        // alef after its lam, the edge between an Arabic word and a number): they stay apart,
        // in reading order, so that every boundary can be reached.
        let mut stops: Vec<(f32, usize)> = self
            .grapheme_bounds(line.chars)
            .into_iter()
            .map(|b| (self.caret_x(line, b, Affinity::Downstream), b))
            .collect();
        stops.sort_by(|a, b| {
            a.0.total_cmp(&b.0).then(if line.rtl {
                b.1.cmp(&a.1)
            } else {
                a.1.cmp(&b.1)
            })
        });
        let here = stops
            .iter()
            .position(|&(_, b)| b == offset)
            .unwrap_or_else(|| {
                let x0 = self.caret_x(line, offset, Affinity::Downstream);
                stops.partition_point(|&(x, _)| x < x0)
            });
        let beside = if left {
            here.checked_sub(1).and_then(|i| stops.get(i))
        } else {
            stops.get(here + 1)
        };
        if let Some(&(_, b)) = beside {
            return b;
        }
        // Past the line's edge: on a right-to-left line the left edge is where reading goes on.
        let forward = left == line.rtl;
        match self
            .neighbour_line(at, forward)
            .and_then(|n| self.line_at(n))
        {
            Some(n) if forward => {
                if n.chars.start == offset {
                    self.grapheme_bounds(n.chars)
                        .into_iter()
                        .find(|&b| b > offset)
                        .unwrap_or(offset)
                } else {
                    n.chars.start
                }
            }
            Some(n) => {
                if n.chars.end == offset {
                    self.grapheme_bounds(n.chars)
                        .into_iter()
                        .rev()
                        .find(|&b| b < offset)
                        .unwrap_or(offset)
                } else {
                    n.chars.end
                }
            }
            None => offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text::{Direction, LayoutStyle, TextEngine};

    fn laid_out(text: &str, width: f32) -> crate::text::TextLayout {
        let mut engine = TextEngine::new();
        let mut layout = engine.layout(
            text,
            LayoutStyle {
                size: 22.0,
                line_height: 38.0,
                dir: Direction::Rtl,
                room_above: 0.0,
            },
        );
        layout.wrap(width);
        layout
    }

    #[test]
    fn left_goes_forward_in_arabic_and_back_through_a_latin_name() {
        let layout = laid_out("قتل ABC جنديا", 2000.0);
        assert_eq!(layout.visual_step(0, true), 1, "Left: forward in Arabic");
        assert_eq!(layout.visual_step(1, false), 0, "Right: back");
        // In "ABC" (offsets 4..7), drawn left to right inside the right-to-left line, Left
        // goes back through the letters.
        assert_eq!(layout.visual_step(6, true), 5);
        assert_eq!(layout.visual_step(5, false), 6);
        let end = layout.char_len();
        assert_eq!(layout.visual_step(end, true), end, "stays at the end");
        assert_eq!(layout.visual_step(0, false), 0, "stays at the start");
    }

    #[test]
    fn room_above_the_lines_moves_them_down_and_keeps_hits_on_their_offsets() {
        let text = "أعلنت جماعة نصرة الإسلام والمسلمين مسؤوليتها عن هجوم في سيكاسو ومالي";
        let mut engine = TextEngine::new();
        let style = LayoutStyle {
            size: 22.0,
            line_height: 38.0,
            dir: Direction::Rtl,
            room_above: 16.0,
        };
        let mut roomy = engine.layout(text, style);
        roomy.wrap(260.0);
        let plain = laid_out(text, 260.0);
        let (a, b) = (roomy.lines(), plain.lines());
        assert_eq!(a.len(), b.len());
        for (k, (x, y)) in a.iter().zip(&b).enumerate() {
            let shift = 16.0 * (k + 1) as f32;
            assert!(
                (x.content_top - y.content_top - shift).abs() < 0.01,
                "line {k}"
            );
            assert!((x.bottom - x.top - (y.bottom - y.top) - 16.0).abs() < 0.01);
        }
        assert!(
            a.windows(2).all(|w| (w[0].bottom - w[1].top).abs() < 0.01),
            "tiled"
        );
        assert!((roomy.height() - plain.height() - 16.0 * a.len() as f32).abs() < 0.01);
        for offset in [0, 7, 30, 60] {
            let c = roomy.caret(offset, crate::text::Affinity::Downstream);
            let hit = roomy.hit_test(c.x0, (c.y0 + c.y1) / 2.0 + 8.0);
            assert_eq!(hit.offset, offset);
        }
    }

    #[test]
    fn a_drag_snaps_to_whole_words_without_the_full_stop() {
        let text = "قتل 27 جنديا. وقال";
        let layout = laid_out(text, 2000.0);
        let range = |a: usize, b: usize| crate::offsets::CharRange::new(a, b);
        // From inside قتل to inside جنديا and over the full stop.
        assert_eq!(layout.snap_to_words(range(1, 13)), range(0, 12));
        // Half of جنديا, ending inside its لا: the whole word, alef included.
        assert_eq!(layout.snap_to_words(range(7, 10)), range(7, 12));
        assert_eq!(
            layout.snap_to_words(range(12, 13)),
            range(12, 13),
            "a lone mark stays"
        );
    }

    #[test]
    fn every_offset_is_reached_walking_left_and_line_ends_are_the_lines() {
        let text = "أعلنت جماعة نصرة الإسلام والمسلمين مسؤوليتها عن هجوم في سيكاسو ومالي";
        let layout = laid_out(text, 260.0);
        assert!(layout.lines().len() > 1, "wrapped");
        let mut seen = vec![0];
        let mut at = 0;
        for _ in 0..200 {
            let next = layout.visual_step(at, true);
            if next == at {
                break;
            }
            seen.push(next);
            at = next;
        }
        assert_eq!(at, layout.char_len(), "Left walks to the end");
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), layout.char_len() + 1, "each boundary once");
        let first = layout.lines()[0].chars;
        let (home, end) = layout.line_ends(2);
        assert_eq!(home, first.start);
        assert!(
            end < first.end && end + 1 >= first.end,
            "before the wrap: {end}"
        );
    }
}
