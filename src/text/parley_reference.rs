//! The reference our shaper and line breaker are held to: parley 0.12's own layout of the same
//! paragraph with the same fonts and style. Random mixed text — Arabic with harakat and
//! lam-alef, Latin with ligatures, both digit sets, punctuation, brackets, spaces of every kind,
//! line separators, emoji, scripts neither font has, controls — at random sizes, line heights,
//! widths and directions, through one shaper whose word cache carries over from case to case,
//! compared line by line, run by run and grapheme by grapheme, every float by its bits.

use parley::{FontFamily, LayoutContext, LineHeight, StyleProperty};
use proptest::prelude::*;

use super::breaking::{LineBreak, break_lines, visual_graphemes};
use super::fonts::Fonts;
use super::shaper::{ShapedText, Shaper};

/// The style of one case.
#[derive(Clone, Copy, Debug)]
struct Case {
    rtl: bool,
    size: f32,
    line_height: f32,
    width: f32,
}

/// What parley makes of the paragraph: per line its bytes and metrics, then its runs sorted by
/// where they start, each with its graphemes left to right.
fn parley_record(
    fonts: &mut Fonts,
    lcx: &mut LayoutContext<()>,
    text: &str,
    case: Case,
) -> Vec<String> {
    let mut builder = lcx.ranged_builder(&mut fonts.context, text, 1.0, false);
    builder.push_default(StyleProperty::FontFamily(FontFamily::Source(
        fonts.families.as_str().into(),
    )));
    builder.push_default(StyleProperty::FontSize(case.size));
    builder.push_default(StyleProperty::LineHeight(LineHeight::Absolute(
        case.line_height,
    )));
    builder.set_base_direction(if case.rtl {
        parley::BaseDirection::Rtl
    } else {
        parley::BaseDirection::Ltr
    });
    let mut layout = builder.build(text);
    layout.break_all_lines(Some(case.width));
    let map = fonts.map();
    let mut out = Vec::new();
    for line in layout.lines() {
        let m = line.metrics();
        out.push(line_record(
            line.text_range(),
            [
                m.baseline,
                m.block_min_coord,
                m.block_max_coord,
                m.content_block_min_coord,
                m.content_block_max_coord,
            ],
        ));
        let mut runs: Vec<(usize, String)> = Vec::new();
        // The empty run parley puts on the empty line after a line separator carries nothing.
        for run in line.runs().filter(|r| r.visual_clusters().next().is_some()) {
            let mut s = format!("run font {} rtl {}", map.id_of(run.font()), run.is_rtl());
            for cluster in run.visual_clusters() {
                s.push_str(&format!(
                    " | {:?} a {:08x}",
                    cluster.text_range(),
                    cluster.advance().to_bits()
                ));
                for g in cluster.glyphs() {
                    s.push_str(&glyph(g.id, g.x, g.y, g.advance));
                }
            }
            let start = run.text_range().start;
            runs.push((start, s));
        }
        runs.sort();
        out.extend(runs.into_iter().map(|(_, s)| s));
    }
    out
}

/// A line's bytes and its baseline, box and content box, as bits.
fn line_record(bytes: std::ops::Range<usize>, metrics: [f32; 5]) -> String {
    let mut s = format!("line {bytes:?}");
    for m in metrics {
        s.push_str(&format!(" {:08x}", m.to_bits()));
    }
    s
}

fn glyph(id: u32, x: f32, y: f32, advance: f32) -> String {
    format!(
        " g{id} {:08x} {:08x} {:08x}",
        x.to_bits(),
        y.to_bits(),
        advance.to_bits()
    )
}

/// The same record of our shaping and breaking.
fn our_record(shaper: &mut Shaper, text: &str, case: Case) -> Vec<String> {
    let mut shaped = ShapedText::default();
    shaper.shape(text, case.rtl, case.size, &mut shaped);
    let mut breaks: Vec<LineBreak> = Vec::new();
    break_lines(&shaped, case.width, &mut breaks);
    let line_box = shaper.line_box(case.size, case.line_height);
    let byte = |c: u32| shaped.byte_of(c);
    let mut out = Vec::new();
    let mut graphemes = Vec::new();
    for (line, m) in breaks.iter().zip(line_box.stack(breaks.len())) {
        out.push(line_record(
            line.bytes.clone(),
            [
                m.baseline,
                m.block_min,
                m.block_max,
                m.content_min,
                m.content_max,
            ],
        ));
        let mut runs: Vec<(usize, String)> = Vec::new();
        for run in &shaped.runs {
            let clusters = run.clusters.start.max(line.clusters.start)
                ..run.clusters.end.min(line.clusters.end);
            if clusters.start >= run.clusters.end || clusters.end <= run.clusters.start {
                continue;
            }
            let mut s = format!("run font {} rtl {}", run.font, run.rtl);
            visual_graphemes(&shaped, clusters.clone(), run.rtl, &mut graphemes);
            for g in &graphemes {
                s.push_str(&format!(
                    " | {:?} a {:08x}",
                    byte(g.chars.start)..byte(g.chars.end),
                    g.advance.to_bits()
                ));
                if let Some(atom) = &g.atom {
                    let order: Vec<u32> = if run.rtl {
                        atom.clone().rev().collect()
                    } else {
                        atom.clone().collect()
                    };
                    for c in order {
                        let (a, b) = shaped.clusters[c as usize].glyphs;
                        for gl in &shaped.glyphs[a as usize..b as usize] {
                            s.push_str(&glyph(gl.id, gl.x, gl.y, gl.advance));
                        }
                    }
                }
            }
            let start = byte(shaped.clusters[clusters.start as usize].chars.0);
            runs.push((start, s));
        }
        runs.sort();
        out.extend(runs.into_iter().map(|(_, s)| s));
    }
    out
}

const POOL: &[&str] = &[
    "ج",
    "م",
    "ا",
    "ع",
    "ة",
    "ل",
    "ي",
    "ه",
    "لا",
    "لأ",
    "ﻻ",
    "\u{064E}",
    "\u{0650}",
    "\u{0651}",
    "\u{0640}",
    "a",
    "b",
    "X",
    "fi",
    "ffi",
    "JNIM",
    "é",
    "e\u{0301}",
    "1",
    "27",
    "٣",
    "١٤",
    "۴",
    " ",
    " ",
    " ",
    "  ",
    "\u{00A0}",
    "\t",
    "\u{2028}",
    "\r",
    "\u{200D}",
    "\u{200C}",
    "،",
    "؟",
    "«",
    "»",
    "(",
    ")",
    "[",
    "\"",
    ".",
    "-",
    "%",
    "/",
    "😀",
    "✌\u{FE0F}",
    "א",
    "中",
    "\u{0001}",
    "\u{202B}",
    "\u{2067}",
    "\u{2069}",
    "AV",
    "T",
    "Yo",
    "W.",
    "L'",
    "f",
    "ك",
    "گ",
    "ﷲ",
];

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 1..50).prop_map(|v| v.concat())
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop::sample::select(vec![14.0f32, 20.0, 24.0, 31.5]),
        prop::sample::select(vec![24.0f32, 30.0, 40.0, 37.7]),
        5.0f32..500.0,
    )
        .prop_map(|(rtl, size, line_height, width)| Case {
            rtl,
            size,
            line_height,
            width,
        })
}

struct Engines {
    fonts: Fonts,
    lcx: LayoutContext<()>,
    shaper: Shaper,
}

thread_local! {
    static ENGINES: std::cell::RefCell<Engines> = std::cell::RefCell::new(Engines {
        fonts: Fonts::new(),
        lcx: LayoutContext::new(),
        shaper: Shaper::new(),
    });
}

fn compare(text: &str, case: Case) -> (Vec<String>, Vec<String>) {
    ENGINES.with(|e| {
        let e = &mut *e.borrow_mut();
        (
            parley_record(&mut e.fonts, &mut e.lcx, text, case),
            our_record(&mut e.shaper, text, case),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn lines_runs_graphemes_and_glyphs_are_parleys(text in mixed_text(), case in case()) {
        let (theirs, ours) = compare(&text, case);
        prop_assert_eq!(theirs, ours, "{:?} {:?}", text, case);
    }
}

#[test]
fn the_sample_articles_and_the_golden_texts_shape_and_break_as_parley_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut samples: Vec<_> = std::fs::read_dir(root.join("sample_articles"))
        .expect("sample_articles")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    samples.sort();
    for p in samples {
        let doc = crate::store::load(&p, crate::model::LabelSchema::builtin()).expect("sample");
        texts.push((p.display().to_string(), doc.document.text().to_owned()));
    }
    let seed = root.join("tests/data/seed-article.txt");
    texts.push((
        seed.display().to_string(),
        std::fs::read_to_string(&seed).expect("seed"),
    ));
    assert!(texts.len() > 2);
    for (name, text) in texts {
        for paragraph in text.split('\n').filter(|p| !p.is_empty()) {
            for (rtl, width) in [(true, 250.0), (true, 600.0), (false, 400.0)] {
                let case = Case {
                    rtl,
                    size: 24.0,
                    line_height: 40.0,
                    width,
                };
                let (theirs, ours) = compare(paragraph, case);
                assert_eq!(theirs, ours, "{name}: {paragraph:?}");
            }
        }
    }
}

#[test]
fn a_word_met_again_is_taken_from_the_cache() {
    let mut shaper = Shaper::new();
    let mut shaped = ShapedText::default();
    shaper.shape("جماعة نصرة جماعة نصرة الإسلام", true, 24.0, &mut shaped);
    // جماعة, نصرة, الإسلام and the space between them: four pieces shaped, five taken again.
    assert_eq!(shaper.kept_pieces(), 4);
    let first = shaped.clone();
    shaper.shape("جماعة نصرة جماعة نصرة الإسلام", true, 24.0, &mut shaped);
    assert_eq!(shaper.kept_pieces(), 4);
    assert_eq!(first, shaped);
    // Another size is another shape.
    shaper.shape("جماعة", true, 30.0, &mut shaped);
    assert_eq!(shaper.kept_pieces(), 5);
}
