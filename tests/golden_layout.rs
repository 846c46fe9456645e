//! The text engine against the browser: every sample article at widths 400, 600 and 900, laid
//! out by headless Chromium with the same fonts (tests/data/golden/, made by
//! tools/golden/make-references.sh) and by `marsad::text`. Line starts must be identical;
//! every annotated span and every Arabic→Latin/digit range must cover the same x-intervals on
//! each line within 1 px; clicks on a grid of points must land on the same offsets.

use std::collections::BTreeMap;
use std::path::Path;

use marsad::model::{CharRange, LabelSchema};
use marsad::text::{LayoutStyle, TextEngine};
use serde_json::Value;

const LINE_HEIGHT: f32 = 40.0;

/// Union of x-intervals per line index, from rectangles `[x0, y0, x1, y1]`.
fn intervals_per_line(rects: impl Iterator<Item = [f32; 4]>) -> BTreeMap<i64, Vec<(f32, f32)>> {
    let mut lines: BTreeMap<i64, Vec<(f32, f32)>> = BTreeMap::new();
    for [x0, y0, x1, y1] in rects {
        let line = (((y0 + y1) / 2.0) / LINE_HEIGHT).floor() as i64;
        lines.entry(line).or_default().push((x0, x1));
    }
    for v in lines.values_mut() {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f32, f32)> = Vec::new();
        for (a, b) in v.drain(..) {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 0.5 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *v = merged;
    }
    lines
}

fn same_intervals(a: &BTreeMap<i64, Vec<(f32, f32)>>, b: &BTreeMap<i64, Vec<(f32, f32)>>) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((la, va), (lb, vb))| {
            la == lb
                && va.len() == vb.len()
                && va
                    .iter()
                    .zip(vb)
                    .all(|(x, y)| (x.0 - y.0).abs() <= 1.0 && (x.1 - y.1).abs() <= 1.0)
        })
}

/// True when (x, y) lies within 0.1 px of the middle of the cluster under it.
fn on_a_middle(layout: &marsad::text::TextLayout, x: f32, y: f32) -> bool {
    layout
        .lines()
        .iter()
        .filter(|l| l.top <= y && y < l.bottom)
        .flat_map(|l| &l.clusters)
        .any(|c| c.x <= x && x < c.x + c.advance && (x - (c.x + c.advance / 2.0)).abs() <= 0.1)
}

#[test]
fn layout_matches_the_browser_on_every_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut goldens: Vec<_> = std::fs::read_dir(root.join("tests/data/golden"))
        .expect("golden data")
        .map(|e| e.expect("entry").path())
        .collect();
    goldens.sort();
    assert_eq!(goldens.len(), 18, "6 samples × 3 widths");
    let mut engine = TextEngine::new();
    let (mut ranges, mut hits, mut ties, mut hit_diffs) = (0, 0, 0, Vec::new());
    let mut failures = Vec::new();
    for golden in &goldens {
        let reference: Value =
            serde_json::from_str(&std::fs::read_to_string(golden).expect("read")).expect("json");
        let stem = golden.file_stem().and_then(|s| s.to_str()).expect("name");
        let (name, width) = stem.rsplit_once('-').expect("NAME-WIDTH");
        let width: f32 = width.parse().expect("width");
        let doc_path = ["json", "ron"]
            .iter()
            .map(|ext| root.join(format!("sample_articles/{name}.{ext}")))
            .find(|p| p.exists())
            .expect("the sample");
        let doc = marsad::store::load(&doc_path, LabelSchema::builtin()).expect("sample");
        let mut layout = engine.layout(
            doc.document.text(),
            LayoutStyle {
                size: 24.0,
                line_height: LINE_HEIGHT,
                ..LayoutStyle::default()
            },
        );
        layout.wrap(width);

        let expected_starts: Vec<usize> =
            serde_json::from_value(reference["line_starts"].clone()).expect("starts");
        if layout.line_starts() != expected_starts {
            failures.push(format!(
                "{stem}: line starts differ:\n  ours    {:?}\n  browser {expected_starts:?}",
                layout.line_starts()
            ));
        }

        for r in reference["ranges"].as_array().expect("ranges") {
            let range = CharRange::new(
                r["start"].as_u64().expect("start") as usize,
                r["end"].as_u64().expect("end") as usize,
            );
            let browser =
                intervals_per_line(r["rects"].as_array().expect("rects").iter().map(|q| {
                    let v: Vec<f32> = q
                        .as_array()
                        .expect("rect")
                        .iter()
                        .map(|n| n.as_f64().expect("number") as f32)
                        .collect();
                    [v[0], v[1], v[2], v[3]]
                }));
            let ours = intervals_per_line(
                layout
                    .range_rects(range)
                    .iter()
                    .map(|q| [q.x0, q.y0, q.x1, q.y1]),
            );
            ranges += 1;
            if !same_intervals(&ours, &browser) {
                failures.push(format!(
                    "{stem}: range {range} {:?}:\n  ours    {ours:?}\n  browser {browser:?}",
                    r["text"]
                ));
            }
        }

        for h in reference["hits"].as_array().expect("hits") {
            let (x, y) = (
                h["x"].as_f64().expect("x") as f32,
                h["y"].as_f64().expect("y") as f32,
            );
            // Below the text the browser answers for the page, not the text box.
            let Some(expected) = h["offset"].as_u64().filter(|_| y < layout.height()) else {
                continue;
            };
            hits += 1;
            let got = layout.hit_test(x, y).offset;
            if got != expected as usize {
                // Our cluster positions agree with Chromium's to 0.1 px, so a click within
                // 0.1 px of a cluster's middle may fall on either side: a tie, not a difference.
                if on_a_middle(&layout, x, y) {
                    ties += 1;
                } else {
                    hit_diffs.push(format!(
                        "{stem}: hit {x},{y}: ours {got}, browser {expected}"
                    ));
                }
            }
        }
    }
    println!(
        "{} layouts, {ranges} ranges, {hits} hits; {ties} ties within 0.1 px of a cluster's middle, {} other hit differences",
        goldens.len(),
        hit_diffs.len()
    );
    assert!(ties * 200 < hits, "ties must stay rare ({ties} of {hits})");
    for d in hit_diffs.iter().take(400) {
        println!("  {d}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(hit_diffs.is_empty(), "{} hits differ", hit_diffs.len());
}
