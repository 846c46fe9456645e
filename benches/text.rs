//! The text engine on a 200 KB Arabic article (the seed article repeated): full layout,
//! re-wrap at a new width, one hit-test, geometry for 2,000 ranges, and the mesh for one
//! screen of lines (lines new to the screen, and the same lines scrolled). Run with
//! `cargo bench --bench text`. Targets (issue 3): layout ≤ 40 ms, re-wrap ≤ 3 ms, hit-test
//! ≤ 5 µs, 2,000 ranges ≤ 10 ms, one screen ≤ 2 ms.

use marsad::model::CharRange;
use marsad::text::atlas::GlyphAtlas;
use marsad::text::{LayoutStyle, LineMeshes, TextEngine, TextLayout, text_mesh};

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../tests/data/seed-article.txt");

fn article() -> String {
    let mut text = String::new();
    while text.len() < 200_000 {
        text.push_str(SEED);
        text.push('\n');
    }
    text
}

/// The article laid out at `width` with every line placed.
fn laid_out(width: f32) -> TextLayout {
    let mut layout = TextEngine::new().layout(&article(), LayoutStyle::default());
    layout.wrap(width);
    layout.lines();
    layout
}

/// What a window shows first: 1,000 px of lines.
const SCREEN: f32 = 1000.0;

#[divan::bench(sample_count = 20)]
fn full_layout(bencher: divan::Bencher) {
    // Shaping, bidi and line breaking of the whole text, and the first screen placed; the
    // engine kept from layout to layout, as the window keeps it (its words shaped once).
    let text = article();
    let mut engine = TextEngine::new();
    bencher.bench_local(|| {
        let mut layout = engine.layout(&text, LayoutStyle::default());
        layout.wrap(600.0);
        layout.lines_in(0.0, SCREEN).len();
        layout
    });
}

#[divan::bench(sample_count = 20)]
fn full_layout_fresh_engine(bencher: divan::Bencher) {
    // The same with an engine made for each layout: no word has been shaped before.
    let text = article();
    bencher.bench_local(|| {
        let mut layout = TextEngine::new().layout(&text, LayoutStyle::default());
        layout.wrap(600.0);
        layout.lines_in(0.0, SCREEN).len();
        layout
    });
}

#[divan::bench(sample_count = 20)]
fn place_every_line(bencher: divan::Bencher) {
    // Ordering and positioning all lines (what `marsad layout` does), after a re-wrap.
    let mut layout = laid_out(600.0);
    let mut wide = false;
    bencher.bench_local(|| {
        wide = !wide;
        layout.wrap(if wide { 900.0 } else { 600.0 });
        layout.lines().len()
    });
}

#[divan::bench(sample_count = 50)]
fn rewrap(bencher: divan::Bencher) {
    // A new width: lines broken again everywhere, the visible screen placed.
    let mut layout = laid_out(600.0);
    let middle = layout.height() / 2.0;
    let mut wide = false;
    bencher.bench_local(|| {
        wide = !wide;
        layout.wrap(if wide { 900.0 } else { 600.0 });
        layout.lines_in(middle, middle + SCREEN).len()
    });
}

#[divan::bench]
fn hit_test(bencher: divan::Bencher) {
    let layout = laid_out(600.0);
    let middle = layout.height() / 2.0;
    bencher.bench_local(|| layout.hit_test(divan::black_box(300.0), divan::black_box(middle)));
}

#[divan::bench(sample_count = 50)]
fn rects_for_2000_ranges(bencher: divan::Bencher) {
    let layout = laid_out(600.0);
    let n = layout.char_len();
    let ranges: Vec<CharRange> = (0..2000)
        .map(|i| {
            let start = i * (n - 40) / 2000;
            CharRange::new(start, start + 5 + i % 30)
        })
        .collect();
    bencher.bench_local(|| {
        ranges
            .iter()
            .map(|&r| layout.range_rects(r).len())
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 50)]
fn mesh_for_one_screen(bencher: divan::Bencher) {
    let layout = laid_out(600.0);
    let ctx = egui::Context::default();
    let mut atlas = GlyphAtlas::new();
    // One screen: 1,000 px of lines from the middle of the article.
    let top = layout.height() / 2.0;
    let origin = egui::pos2(0.0, -top);
    let clip = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(600.0, 1000.0));
    // The first frame rasterises the glyphs; what a new screen of lines costs afterwards is
    // measured (each line's quads made from the atlas, none kept).
    text_mesh(
        &ctx,
        &layout,
        &mut atlas,
        &mut LineMeshes::default(),
        origin,
        clip,
        BLACK,
    );
    bencher.bench_local(|| {
        let mut lines = LineMeshes::default();
        text_mesh(&ctx, &layout, &mut atlas, &mut lines, origin, clip, BLACK)
    });
}

#[divan::bench(sample_count = 50)]
fn mesh_for_one_screen_scrolled(bencher: divan::Bencher) {
    let layout = laid_out(600.0);
    let ctx = egui::Context::default();
    let mut atlas = GlyphAtlas::new();
    let mut lines = LineMeshes::default();
    let top = layout.height() / 2.0;
    let clip = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(600.0, 1000.0));
    text_mesh(
        &ctx,
        &layout,
        &mut atlas,
        &mut lines,
        egui::pos2(0.0, -top),
        clip,
        BLACK,
    );
    // The same screen moved by a fraction of a line each frame, as a wheel turn does: the
    // lines' kept quads moved.
    let mut shift = 0.0;
    bencher.bench_local(|| {
        shift = (shift + 7.5) % 40.0;
        let origin = egui::pos2(0.0, -top - shift);
        text_mesh(&ctx, &layout, &mut atlas, &mut lines, origin, clip, BLACK)
    });
}

const BLACK: egui::Color32 = egui::Color32::BLACK;

#[divan::bench(sample_count = 10)]
fn parley_alone(bencher: divan::Bencher) {
    // For comparison, the floor: parley's own shaping and line breaking of the same text.
    let text = article();
    let mut fonts = marsad::text::fonts::Fonts::new();
    let mut lcx = parley::LayoutContext::<()>::new();
    bencher.bench_local(|| {
        let mut n = 0;
        for piece in text.split('\n') {
            let mut b = lcx.ranged_builder(&mut fonts.context, piece, 1.0, false);
            b.push_default(parley::StyleProperty::FontFamily(
                parley::FontFamily::Source(fonts.families.as_str().into()),
            ));
            b.push_default(parley::StyleProperty::FontSize(24.0));
            b.set_base_direction(parley::BaseDirection::Rtl);
            let mut l = b.build(piece);
            l.break_all_lines(Some(600.0));
            n += l.len();
        }
        n
    });
}
