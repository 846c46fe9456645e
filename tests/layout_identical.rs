//! The text engine's output kept byte for byte while it is made faster (the speed issue): every
//! sample article at the golden widths (400, 600, 900), and the benchmarks' long article
//! (the seed repeated to 100k characters, shaped on two threads), each laid out, every line,
//! cluster and glyph written down with its exact bits, and the SHA-256 of that record compared
//! with `tests/data/layout-digests.txt`, written before the engine was touched.
//!
//! A deliberate change of the engine's output regenerates the file:
//! `MARSAD_BLESS=1 cargo test --test layout_identical`, and says why in its commit.

use std::fmt::Write as _;
use std::path::Path;

use marsad::model::{CharRange, LabelSchema};
use marsad::text::{Affinity, LayoutStyle, TextEngine, TextLayout};
use sha2::{Digest, Sha256};

/// Everything a caller can read of a layout, floats as their bits.
fn record(layout: &TextLayout) -> String {
    let mut out = String::new();
    let bits = |v: f32| v.to_bits();
    let _ = writeln!(out, "height {:08x}", bits(layout.height()));
    let mut glyphs = 0;
    for (line, placed) in layout.lines_in(f32::MIN, f32::MAX) {
        let _ = writeln!(
            out,
            "line {}..{} top {:08x} bottom {:08x} content {:08x} {:08x} baseline {:08x} rtl {} start {:08x}",
            line.chars.start,
            line.chars.end,
            bits(line.top),
            bits(line.bottom),
            bits(line.content_top),
            bits(line.content_bottom),
            bits(line.baseline),
            line.rtl,
            bits(line.start_x),
        );
        for c in &line.clusters {
            let _ = write!(
                out,
                " {}..{} x {:08x} a {:08x} l {}",
                c.chars.start,
                c.chars.end,
                bits(c.x),
                bits(c.advance),
                c.level
            );
            for g in &placed[c.glyphs.clone()] {
                glyphs += 1;
                let _ = write!(
                    out,
                    " g{}/{} {:08x} {:08x} {:08x}",
                    g.id,
                    g.font,
                    bits(g.size),
                    bits(g.x),
                    bits(g.y)
                );
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "glyphs {glyphs} of {}", layout.glyph_count());
    // Questions asked of the layout: carets, hits and ranges on a grid.
    let len = layout.char_len();
    let step = (len / 97).max(1);
    for offset in (0..=len).step_by(step) {
        for affinity in [Affinity::Upstream, Affinity::Downstream] {
            let r = layout.caret(offset, affinity);
            let _ = writeln!(
                out,
                "caret {offset} {affinity:?} {:08x} {:08x}",
                bits(r.x0),
                bits(r.y0)
            );
        }
        let end = (offset + 13).min(len);
        for r in layout.range_rects(CharRange::new(offset, end)) {
            let _ = writeln!(
                out,
                "range {offset}..{end} {:08x} {:08x} {:08x} {:08x}",
                bits(r.x0),
                bits(r.y0),
                bits(r.x1),
                bits(r.y1)
            );
        }
    }
    let height = layout.height();
    for y in (0..(height as usize).max(1)).step_by(17) {
        for x in (0..1000).step_by(37) {
            let hit = layout.hit_test(x as f32, y as f32);
            let _ = writeln!(out, "hit {x},{y} {} {:?}", hit.offset, hit.affinity);
        }
    }
    out
}

fn digest(layout: &TextLayout) -> String {
    let hash = Sha256::digest(record(layout).as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// The texts: each sample article, and the long article.
fn texts(root: &Path) -> Vec<(String, String)> {
    let mut samples: Vec<_> = std::fs::read_dir(root.join("sample_articles"))
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .collect();
    samples.sort();
    let mut out: Vec<(String, String)> = samples
        .iter()
        .map(|p| {
            let doc = marsad::store::load(p, LabelSchema::builtin()).expect("sample");
            let name = p.file_stem().and_then(|s| s.to_str()).expect("name");
            (name.to_owned(), doc.document.text().to_owned())
        })
        .collect();
    let seed = std::fs::read_to_string(root.join("tests/data/seed-article.txt")).expect("seed");
    let mut long = String::new();
    while long.chars().count() < 100_000 {
        long.push_str(&seed);
        long.push('\n');
    }
    let long: String = long.chars().take(100_000).collect();
    out.push(("seed-100k".to_owned(), long));
    out
}

#[test]
fn the_engine_lays_every_sample_out_as_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("tests/data/layout-digests.txt");
    let mut engine = TextEngine::new();
    let mut lines = Vec::new();
    for (name, text) in texts(root) {
        let style = LayoutStyle {
            size: 24.0,
            line_height: 40.0,
            ..LayoutStyle::default()
        };
        let mut layout = engine.layout(&text, style);
        for width in [400.0, 600.0, 900.0] {
            layout.wrap(width);
            lines.push(format!("{name} {width} {}", digest(&layout)));
        }
        // Laid out once more with room above each line, as the document view does.
        let mut roomy = engine.layout(
            &text,
            LayoutStyle {
                room_above: 18.0,
                ..style
            },
        );
        roomy.wrap(600.0);
        lines.push(format!("{name} 600+room {}", digest(&roomy)));
    }
    let ours = lines.join("\n") + "\n";
    if std::env::var_os("MARSAD_BLESS").is_some() {
        std::fs::write(&file, &ours).expect("write digests");
        return;
    }
    let before = std::fs::read_to_string(&file).expect("tests/data/layout-digests.txt");
    let changed: Vec<String> = ours
        .lines()
        .zip(before.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("  now    {a}\n  before {b}"))
        .collect();
    assert!(
        changed.is_empty() && ours.lines().count() == before.lines().count(),
        "the layout changed:\n{}",
        changed.join("\n")
    );
}

#[test]
fn marsad_layout_prints_what_it_printed_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("tests/data/layout-cli-digests.txt");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut lines = Vec::new();
    for (name, text) in texts(root) {
        let path = dir.path().join(format!("{name}.txt"));
        std::fs::write(&path, &text).expect("write text");
        for json in [true, false] {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_marsad"));
            command
                .arg("layout")
                .arg(&path)
                .args(["--width", "600", "--range", "0:40", "--range", "35:90"])
                .args(["--hit", "100,20", "--hit", "590,100", "--hit", "3,300"]);
            if json {
                command.arg("--json");
            }
            let out = command.output().expect("run marsad layout");
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let hash = Sha256::digest(&out.stdout);
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            lines.push(format!("{name} json={json} {hex}"));
        }
    }
    let ours = lines.join("\n") + "\n";
    if std::env::var_os("MARSAD_BLESS").is_some() {
        std::fs::write(&file, &ours).expect("write digests");
        return;
    }
    let before = std::fs::read_to_string(&file).expect("tests/data/layout-cli-digests.txt");
    assert_eq!(ours, before, "marsad layout prints something else now");
}
