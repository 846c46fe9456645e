//! Properties of the text engine on random mixed text (Arabic, harakat, Latin, both digit
//! sets, punctuation, brackets, spaces, newlines) wrapped at random widths:
//! - each line's visual order is unicode-bidi's own (the independent oracle), and every char
//!   appears exactly once over all lines;
//! - a click in the middle of a character's rectangle lands on that character's edge;
//! - the rectangles of [a,b) and [b,c) together cover exactly those of [a,c).

use marsad::model::CharRange;
use marsad::text::{Direction, LayoutStyle, TextEngine, TextLayout};
use proptest::prelude::*;
use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

const POOL: &[&str] = &[
    "ج", "م", "ا", "ع", "ة", "ل", "ي", "\u{064E}", "\u{0650}", "a", "b", "X", "JNIM", "1", "27",
    "٣", "١٤", " ", " ", " ", "\n", "،", "؟", "«", "»", "(", ")", "\"", ".", "-", "%", "/",
];

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 1..60).prop_map(|v| v.concat())
}

fn laid_out(text: &str, width: f32, dir: Direction) -> TextLayout {
    thread_local! {
        static ENGINE: std::cell::RefCell<TextEngine> = std::cell::RefCell::new(TextEngine::new());
    }
    ENGINE.with(|e| {
        let mut layout = e.borrow_mut().layout(
            text,
            LayoutStyle {
                size: 20.0,
                line_height: 30.0,
                dir,
                room_above: 0.0,
            },
        );
        layout.wrap(width);
        layout
    })
}

/// unicode-bidi's visual order for one line (char offsets of the whole text).
fn oracle(text: &str, line: CharRange, dir: Direction) -> Vec<usize> {
    // The paragraph of the line: text between newlines.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            text.char_indices()
                .filter(|(_, c)| *c == '\n')
                .map(|(b, _)| b + 1),
        )
        .collect();
    let byte_of = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let line_bytes = byte_of(line.start)..byte_of(line.end);
    let para_start = *starts
        .iter()
        .rev()
        .find(|&&s| s <= line_bytes.start)
        .unwrap_or(&0);
    let para_end = text[para_start..]
        .find('\n')
        .map_or(text.len(), |i| para_start + i);
    let para = &text[para_start..para_end];
    let level = match dir {
        Direction::Rtl => Some(Level::rtl()),
        Direction::Ltr => Some(Level::ltr()),
        Direction::Auto => None,
    };
    let info = BidiInfo::new(para, level);
    let Some(p) = info.paragraphs.first() else {
        return Vec::new();
    };
    let local = line_bytes.start - para_start..line_bytes.end - para_start;
    let levels = info.reordered_levels_per_char(p, local.clone());
    let first_char = para[..local.start].chars().count();
    let count = para[local].chars().count();
    let line_levels = &levels[first_char..first_char + count];
    BidiInfo::reorder_visual(line_levels)
        .into_iter()
        .map(|i| line.start + i)
        .collect()
}

/// Everything text can hold, however unusual: bidi controls and isolates, line and paragraph
/// separators, CR, emoji, marks without a base, zero-width joiners.
const WILD: &[&str] = &[
    "ج", "a", "1", "٣", " ", "\n", "\r", "\u{2028}", "\u{2029}", "\u{200F}", "\u{200E}",
    "\u{202B}", "\u{202C}", "\u{2067}", "\u{2069}", "\u{200D}", "🔥", "👍🏽", "\u{0650}", "\t", "(",
    "«",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `marsad layout` reads each line's order without placing glyphs: it is the placed lines'.
    #[test]
    fn line_orders_unplaced_are_the_placed_lines_orders(
        parts in prop::collection::vec(prop::sample::select(WILD), 0..40),
        mixed in mixed_text(),
        width in 1.0f32..500.0,
        dir in prop::sample::select(vec![Direction::Rtl, Direction::Ltr, Direction::Auto]),
    ) {
        let text = parts.concat() + &mixed;
        let unplaced = laid_out(&text, width, dir).line_orders();
        let layout = laid_out(&text, width, dir);
        let placed: Vec<_> = layout
            .lines()
            .into_iter()
            .map(|l| (l.chars, l.visual_order()))
            .collect();
        prop_assert_eq!(unplaced, placed);
    }

    #[test]
    fn any_text_lays_out_without_panic_and_keeps_its_characters(
        parts in prop::collection::vec(prop::sample::select(WILD), 0..40),
        width in 1.0f32..500.0,
        dir in prop::sample::select(vec![Direction::Rtl, Direction::Ltr, Direction::Auto]),
    ) {
        let text = parts.concat();
        let layout = laid_out(&text, width, dir);
        let n = text.chars().count();
        let mut seen = vec![0u32; n];
        for line in layout.lines() {
            for i in line.visual_order() {
                seen[i] += 1;
            }
            prop_assert!(line.top <= line.bottom);
        }
        prop_assert!(seen.iter().all(|&k| k <= 1), "no char twice");
        for (x, y) in [(0.0, 0.0), (width / 2.0, layout.height() / 2.0), (-5.0, 1e6)] {
            prop_assert!(layout.hit_test(x, y).offset <= n);
        }
        for at in 0..=n {
            let _ = layout.caret(at, marsad::text::Affinity::Downstream);
            prop_assert!(layout.word_at(at).end <= n);
        }
        let _ = layout.range_rects(CharRange::new(0, n));
    }

    #[test]
    fn a_click_on_either_half_of_a_character_lands_on_that_halfs_edge(text in mixed_text(), width in 60.0f32..400.0,
        dir in prop::sample::select(vec![Direction::Rtl, Direction::Ltr])) {
        let layout = laid_out(&text, width, dir);
        for line in layout.lines() {
            let y = (line.top + line.bottom) / 2.0;
            for (i, c) in line.clusters.iter().enumerate() {
                if c.advance < 2.0 || c.chars.len() > 1 {
                    continue;
                }
                for right in [false, true] {
                    let x = if right { c.x + 0.75 * c.advance } else { c.x + 0.25 * c.advance };
                    let got = layout.hit_test(x, y).offset;
                    // The edge of this character on that side, or, where the neighbour on that
                    // side belongs to an outer run, the neighbour's edge at the same x.
                    let own = if right != c.rtl { c.chars.end } else { c.chars.start };
                    let neighbour = if right { line.clusters.get(i + 1) } else { i.checked_sub(1).and_then(|j| line.clusters.get(j)) };
                    let outer = match neighbour {
                        Some(n) => if right == n.rtl { n.chars.end } else { n.chars.start },
                        None => if right == line.rtl { line.chars.start } else { line.chars.end },
                    };
                    prop_assert!(got == own || got == outer, "cluster {} {}: got {}, own edge {}, outer {}", c.chars, if right { "right" } else { "left" }, got, own, outer);
                }
            }
        }
    }

    #[test]
    fn visual_order_is_unicode_bidis_and_covers_every_char_once(
        text in mixed_text(),
        width in 40.0f32..400.0,
        dir in prop::sample::select(vec![Direction::Rtl, Direction::Ltr, Direction::Auto]),
    ) {
        let layout = laid_out(&text, width, dir);
        let mut seen = vec![0u32; text.chars().count()];
        for line in layout.lines() {
            let order = line.visual_order();
            for &i in &order {
                seen[i] += 1;
            }
            prop_assert_eq!(&order, &oracle(&text, line.chars, dir), "line {}", line.chars);
        }
        for (i, c) in text.chars().enumerate() {
            prop_assert_eq!(seen[i], u32::from(c != '\n'), "char {} {:?}", i, c);
        }
    }

    #[test]
    fn the_middle_of_each_characters_rectangle_finds_that_character(text in mixed_text(), width in 60.0f32..400.0) {
        let layout = laid_out(&text, width, Direction::Rtl);
        for line in layout.lines() {
            for c in &line.clusters {
                for q in layout.range_rects(c.chars) {
                    let (x, y) = ((q.x0 + q.x1) / 2.0, (q.y0 + q.y1) / 2.0);
                    if q.width() < 0.5 {
                        continue; // zero-width marks and controls have no middle to click
                    }
                    prop_assert_eq!(layout.char_at(x, y), Some(c.chars.start), "cluster {} at {},{}", c.chars, x, y);
                }
            }
        }
    }

    #[test]
    fn range_rectangles_add_up(text in mixed_text(), width in 60.0f32..400.0, cuts in prop::collection::vec(any::<prop::sample::Index>(), 3)) {
        let layout = laid_out(&text, width, Direction::Rtl);
        // Cut at grapheme boundaries (a range that covers part of a grapheme covers all of it).
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(text.graphemes(true).scan(0, |n, g| { *n += g.chars().count(); Some(*n) }))
            .collect();
        let mut at: Vec<usize> = cuts.iter().map(|i| bounds[i.index(bounds.len())]).collect();
        at.sort();
        let (a, b, c) = (at[0], at[1], at[2]);
        let area = |r: CharRange| -> f32 { layout.range_rects(r).iter().map(|q| q.width()).sum() };
        let whole = area(CharRange::new(a, c));
        let parts = area(CharRange::new(a, b)) + area(CharRange::new(b, c));
        prop_assert!((whole - parts).abs() < 0.01 * (1.0 + whole), "{whole} vs {parts}");
        // And per line, the union of the parts' intervals is the whole's.
        let mut parts_rects = layout.range_rects(CharRange::new(a, b));
        parts_rects.extend(layout.range_rects(CharRange::new(b, c)));
        for q in layout.range_rects(CharRange::new(a, c)) {
            let covered: f32 = parts_rects.iter().filter(|p| (p.y0 - q.y0).abs() < 0.01).map(|p| (p.x1.min(q.x1) - p.x0.max(q.x0)).max(0.0)).sum();
            prop_assert!((covered - q.width()).abs() < 0.01 * (1.0 + q.width()), "rect {:?} covered {}", q, covered);
        }
    }
}
