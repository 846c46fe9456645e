//! Unicode's bidi conformance files run through the engine's reordering: paragraph levels, the
//! per-line rule L1 and the rule L2 order, exactly as `text::layout` uses them for a line.
//! Characters removed by rule X9 are left out of the comparison, as the files say.

use std::io::Read;

use marsad::text::Direction;
use marsad::text::bidi::{ParagraphBidi, visual_order};

fn read_gz(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let file = std::fs::File::open(&path).expect("conformance file");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    text
}

/// The engine's visual order of a one-line paragraph: char indices left to right, without the
/// characters X9 removes (`removed`).
fn engine_order(text: &str, dir: Direction, removed: &dyn Fn(usize) -> bool) -> Vec<usize> {
    let bidi = ParagraphBidi::new(text, dir);
    let byte_levels = bidi.line_levels(0..text.len());
    let levels: Vec<_> = text.char_indices().map(|(b, _)| byte_levels[b]).collect();
    visual_order(&levels)
        .into_iter()
        .filter(|&i| !removed(i))
        .collect()
}

fn is_x9_removed(c: char) -> bool {
    use unicode_bidi::BidiClass::*;
    matches!(
        unicode_bidi::bidi_class(c),
        RLE | LRE | RLO | LRO | PDF | BN
    )
}

#[test]
fn bidi_character_test() {
    let data = read_gz("BidiCharacterTest.txt.gz");
    let (mut pass, mut fail, mut first_failures) = (0, 0, Vec::new());
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split(';').collect();
        let text: String = fields[0]
            .split_whitespace()
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).expect("hex")).expect("char"))
            .collect();
        let dir = match fields[1] {
            "0" => Direction::Ltr,
            "1" => Direction::Rtl,
            _ => Direction::Auto,
        };
        let chars: Vec<char> = text.chars().collect();
        let expected: Vec<usize> = fields[4]
            .split_whitespace()
            .map(|n| n.parse().expect("index"))
            .collect();
        let got = engine_order(&text, dir, &|i| is_x9_removed(chars[i]));
        if got == expected {
            pass += 1;
        } else {
            fail += 1;
            if first_failures.len() < 5 {
                first_failures.push(format!("{line}\n  got {got:?}"));
            }
        }
    }
    println!("BidiCharacterTest.txt: {pass} passed, {fail} failed");
    assert_eq!(pass, 91_707, "every case runs");
    assert_eq!(fail, 0, "{}", first_failures.join("\n"));
}

/// One sample character for each bidi class of BidiTest.txt.
fn sample(class: &str) -> char {
    match class {
        "L" => 'a',
        "R" => '\u{05D0}',
        "AL" => '\u{0627}',
        "EN" => '1',
        "ES" => '+',
        "ET" => '$',
        "AN" => '\u{0661}',
        "CS" => ',',
        "NSM" => '\u{0300}',
        "BN" => '\u{00AD}',
        "B" => '\u{2029}',
        "S" => '\t',
        "WS" => ' ',
        "ON" => '!',
        "LRE" => '\u{202A}',
        "LRO" => '\u{202D}',
        "RLE" => '\u{202B}',
        "RLO" => '\u{202E}',
        "PDF" => '\u{202C}',
        "LRI" => '\u{2066}',
        "RLI" => '\u{2067}',
        "FSI" => '\u{2068}',
        "PDI" => '\u{2069}',
        other => panic!("unknown bidi class {other}"),
    }
}

#[test]
fn bidi_test() {
    let data = read_gz("BidiTest.txt.gz");
    let mut reorder: Vec<usize> = Vec::new();
    let (mut pass, mut fail, mut first_failures) = (0usize, 0usize, Vec::new());
    for line in data.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with("@Levels") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@Reorder:") {
            reorder = rest
                .split_whitespace()
                .map(|n| n.parse().expect("index"))
                .collect();
            continue;
        }
        let (classes, bits) = line.split_once(';').expect("data line");
        let classes: Vec<&str> = classes.split_whitespace().collect();
        let text: String = classes.iter().map(|c| sample(c)).collect();
        let removed = |i: usize| matches!(classes[i], "RLE" | "LRE" | "RLO" | "LRO" | "PDF" | "BN");
        let bits: u32 = bits.trim().parse().expect("bitset");
        for (bit, dir) in [
            (1, Direction::Auto),
            (2, Direction::Ltr),
            (4, Direction::Rtl),
        ] {
            if bits & bit == 0 {
                continue;
            }
            if engine_order(&text, dir, &removed) == reorder {
                pass += 1;
            } else {
                fail += 1;
                if first_failures.len() < 5 {
                    first_failures.push(format!("{line} ({dir:?}) expected {reorder:?}"));
                }
            }
        }
    }
    println!("BidiTest.txt: {pass} passed, {fail} failed");
    assert_eq!(pass + fail, 770_241, "every case runs");
    assert_eq!(fail, 0, "{}", first_failures.join("\n"));
}
