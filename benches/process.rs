//! The whole `marsad layout` process against HarfBuzz's `hb-shape` on the same 100,000
//! characters (the seed article repeated) with the same font: start, read, shape, and for us
//! also bidi, line breaking, every line placed and its geometry printed as JSON. Run with
//! `cargo bench --bench process`; it runs the two in turn, 41 times each, and prints both
//! medians and their ratio (target: ≤ 1.0), then divan's table. Without `hb-shape` (Debian:
//! `libharfbuzz-bin`) only ours is timed.
//! Under `cargo test` the text is the seed article alone and each process runs once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: &str = include_str!("../tests/data/seed-article.txt");
const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fonts/NotoNaskhArabic-Regular.ttf"
);

fn full_size() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// The text in a temp file: 100,000 characters under `cargo bench`, the seed under test.
fn text_file() -> (tempfile::TempDir, PathBuf) {
    let chars = if full_size() {
        100_000
    } else {
        SEED.chars().count()
    };
    let mut text = String::new();
    while text.chars().count() < chars {
        text.push_str(SEED);
        text.push('\n');
    }
    let text: String = text.chars().take(chars).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("article.txt");
    std::fs::write(&path, text).expect("write the text");
    (dir, path)
}

fn marsad_layout(file: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_marsad"));
    c.arg("layout").arg(file).arg("--json");
    c
}

fn hb_shape(file: &Path) -> Command {
    let mut c = Command::new("hb-shape");
    c.arg(FONT).arg(format!("--text-file={}", file.display()));
    c
}

fn has_hb_shape() -> bool {
    Command::new("hb-shape")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the process to its end, its output thrown away, and says how long it took.
fn run(mut command: Command) -> Duration {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("start the process");
    assert!(status.success(), "{command:?} failed");
    start.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Both processes run in turn, ours then theirs, `runs` times each after one warm-up run
/// each, so that a busy moment of the machine falls on both alike; the two medians.
fn medians(file: &Path, runs: usize) -> (Duration, Duration) {
    run(marsad_layout(file));
    run(hb_shape(file));
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(run(marsad_layout(file)));
        theirs.push(run(hb_shape(file)));
    }
    (median(ours), median(theirs))
}

fn main() {
    if full_size() {
        let (_dir, file) = text_file();
        if has_hb_shape() {
            let (ours, theirs) = medians(&file, 41);
            println!(
                "marsad layout, 100,000 chars: {:.1} ms",
                ours.as_secs_f64() * 1e3
            );
            println!(
                "hb-shape, same text and font: {:.1} ms",
                theirs.as_secs_f64() * 1e3
            );
            println!(
                "ratio marsad / hb-shape: {:.2} (target ≤ 1.0)",
                ours.as_secs_f64() / theirs.as_secs_f64()
            );
        } else {
            run(marsad_layout(&file));
            let ours = median((0..31).map(|_| run(marsad_layout(&file))).collect());
            println!(
                "marsad layout, 100,000 chars: {:.1} ms",
                ours.as_secs_f64() * 1e3
            );
            println!("hb-shape is not installed (libharfbuzz-bin): no ratio");
        }
    }
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn marsad_layout_process(bencher: divan::Bencher) {
    let (_dir, file) = text_file();
    bencher.bench_local(|| run(marsad_layout(&file)));
}

#[divan::bench(sample_count = 20)]
fn hb_shape_process(bencher: divan::Bencher) {
    if !has_hb_shape() {
        eprintln!("hb-shape is not installed (libharfbuzz-bin): skipped");
        return;
    }
    let (_dir, file) = text_file();
    bencher.bench_local(|| run(hb_shape(&file)));
}
