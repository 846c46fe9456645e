//! `marsad layout FILE`: a text laid out by the Arabic text engine, and its geometry printed —
//! line starts, the rectangles of char ranges, where clicks land, each line's visual order —
//! in the shape `../shared/tools/reference-render` prints from headless Chromium.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{SchemaArg, Schemas, open_any, print_problems};
use crate::model::CharRange;
use crate::text::{Direction, LayoutStyle, TextEngine};

#[derive(Args, Debug)]
pub struct LayoutArgs {
    /// A .txt article or a .json/.ron document.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Wrapping width in px.
    #[arg(long, default_value_t = 600.0, value_parser = parse_px)]
    pub width: f32,
    /// Font size in px.
    #[arg(long, default_value_t = 24.0, value_parser = parse_px)]
    pub size: f32,
    /// Line height in px.
    #[arg(long, default_value_t = 40.0, value_parser = parse_px)]
    pub line_height: f32,
    /// Paragraph direction.
    #[arg(long, value_enum, default_value_t = Dir::Rtl)]
    pub dir: Dir,
    /// A char range START:END (code points) whose rectangles to print; repeatable.
    #[arg(long = "range", value_name = "START:END", value_parser = parse_range)]
    pub ranges: Vec<CharRange>,
    /// A point X,Y (px from the text box's top-left) to hit-test; repeatable.
    #[arg(long = "hit", value_name = "X,Y", value_parser = parse_point)]
    pub hits: Vec<(f32, f32)>,
    /// Print JSON (the format of ../shared/tools/reference-render, plus "lines").
    #[arg(long)]
    pub json: bool,
}

/// The paragraph direction on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Dir {
    Rtl,
    Ltr,
    /// From the first strong character (UAX #9 P2–P3).
    Auto,
}

/// A positive, finite number of px.
fn parse_px(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 100_000.0 => Ok(v),
        _ => Err(format!("\"{s}\" is not a size in px (a number above 0)")),
    }
}

fn parse_range(s: &str) -> Result<CharRange, String> {
    let (a, b) = s
        .split_once(':')
        .ok_or_else(|| format!("\"{s}\" is not START:END"))?;
    let start = a
        .trim()
        .parse()
        .map_err(|_| format!("\"{a}\" is not an offset"))?;
    let end = b
        .trim()
        .parse()
        .map_err(|_| format!("\"{b}\" is not an offset"))?;
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    Ok(CharRange::new(start, end))
}

fn parse_point(s: &str) -> Result<(f32, f32), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("\"{s}\" is not X,Y"))?;
    let number = |v: &str| {
        v.trim()
            .parse::<f32>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("\"{v}\" is not a number"))
    };
    Ok((number(a)?, number(b)?))
}

#[derive(Serialize)]
struct LayoutOut<'a> {
    width: f32,
    size: f32,
    line_height: f32,
    dir: &'static str,
    chars: usize,
    line_starts: Vec<usize>,
    ranges: Vec<RangeOut>,
    hits: Vec<HitOut>,
    lines: Vec<LineOut<'a>>,
}

#[derive(Serialize)]
struct RangeOut {
    start: usize,
    end: usize,
    text: String,
    rects: Vec<[f32; 4]>,
}

#[derive(Serialize)]
struct HitOut {
    x: f32,
    y: f32,
    offset: usize,
}

#[derive(Serialize)]
struct LineOut<'a> {
    start: usize,
    end: usize,
    visual_order: &'a [usize],
}

/// Rounded to 0.1 px, as the browser reference prints them.
fn tenth(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

pub fn run(args: &LayoutArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&SchemaArg { schema: None }) else {
        return Ok(ExitCode::FAILURE);
    };
    let doc = match open_any(&mut schemas, &args.file) {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let dir = match args.dir {
        Dir::Rtl => Direction::Rtl,
        Dir::Ltr => Direction::Ltr,
        Dir::Auto => Direction::Auto,
    };
    let text = doc.document.text();
    let len = doc.document.char_len();
    if let Some(r) = args.ranges.iter().find(|r| r.end > len) {
        bail!(
            "{}: file: range {r} is beyond the text, which has {len} characters",
            args.file.display()
        );
    }
    let mut engine = TextEngine::new();
    let mut layout = engine.layout(
        text,
        LayoutStyle {
            size: args.size,
            line_height: args.line_height,
            dir,
            room_above: 0.0,
        },
    );
    layout.wrap(args.width);
    // Each line's order, read off the broken lines without placing their glyphs: only the
    // paragraphs a range or a point asks about are placed.
    let orders = layout.line_orders();
    let out = LayoutOut {
        width: args.width,
        size: args.size,
        line_height: args.line_height,
        dir: dir.as_str(),
        chars: len,
        line_starts: orders
            .iter()
            .filter(|(chars, _)| !chars.is_empty())
            .map(|(chars, _)| chars.start)
            .collect(),
        ranges: args
            .ranges
            .iter()
            .map(|&r| RangeOut {
                start: r.start,
                end: r.end,
                text: doc.document.slice(r).unwrap_or_default().to_owned(),
                rects: layout
                    .range_rects(r)
                    .iter()
                    .map(|q| [tenth(q.x0), tenth(q.y0), tenth(q.x1), tenth(q.y1)])
                    .collect(),
            })
            .collect(),
        hits: args
            .hits
            .iter()
            .map(|&(x, y)| HitOut {
                x,
                y,
                offset: layout.hit_test(x, y).offset,
            })
            .collect(),
        lines: orders
            .iter()
            .filter(|(chars, _)| !chars.is_empty())
            .map(|(chars, order)| LineOut {
                start: chars.start,
                end: chars.end,
                visual_order: order,
            })
            .collect(),
    };
    if args.json {
        super::output::json(&out);
    } else {
        for line in &out.lines {
            let range = CharRange::new(line.start, line.end);
            out!(
                "{:>6}..{:<6} {}",
                line.start,
                line.end,
                doc.document.slice(range).unwrap_or_default()
            );
        }
        for r in &out.ranges {
            out!("range {}..{} {:?}: {:?}", r.start, r.end, r.text, r.rects);
        }
        for h in &out.hits {
            out!("hit {},{} → {}", h.x, h.y, h.offset);
        }
    }
    // The process ends here: its memory goes back to the system whole, without taking the
    // layout's many small allocations apart one by one first.
    std::mem::forget(out);
    std::mem::forget(orders);
    std::mem::forget(layout);
    std::mem::forget(doc);
    Ok(ExitCode::SUCCESS)
}
