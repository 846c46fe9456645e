//! The window's start-up and memory: the release binary, as `cargo build --release` makes it,
//! started under Xvfb on the seed article, timed from exec to the first painted text (the window says so on stdout when
//! `MARSAD_STARTUP_PROBE` is set, see `ui::startup`), and its resident memory read from
//! `/proc` then and after a second of idling. Run with `cargo bench --bench startup`; targets
//! (the speed issue): first text ≤ 150 ms, RSS ≤ 120 MB. Without Xvfb it says so and skips;
//! under `cargo test` it does nothing (it needs the release binary and a display).
//!
//! The binary `cargo bench` builds for benchmarks is not the one users run: it has the
//! dev-dependencies' features too (egui_kittest's wgpu), which cost 17 MB of RSS. So this
//! benchmark builds the shipped one itself, in `target/shipped` (once, then incrementally).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt");

fn full_size() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// An Xvfb server on a display of its own, stopped when dropped.
struct Display {
    server: Child,
    name: String,
}

impl Display {
    fn start() -> Option<Self> {
        // A display number no other server of this machine is likely to hold.
        let number = 90 + std::process::id() % 100;
        let name = format!(":{number}");
        let server = Command::new("Xvfb")
            .args([
                name.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let socket = format!("/tmp/.X11-unix/X{number}");
        let start = Instant::now();
        while !Path::new(&socket).exists() {
            if start.elapsed() > Duration::from_secs(10) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Self { server, name })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// One start of the window: time to the first painted text, RSS then and a second later.
struct Start {
    first_text: Duration,
    rss: u64,
    rss_idle: u64,
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The HOME and runtime folder every start shares, as a user's do: settings, and Mesa's
/// shader cache (a fresh HOME would compile the renderer's shaders at every start).
struct Home {
    home: tempfile::TempDir,
    runtime: tempfile::TempDir,
}

/// `cargo build --release` into a target folder of its own, and the binary it made.
fn shipped_binary() -> Option<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target/shipped");
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--locked",
            "--bin",
            "marsad",
            "--target-dir",
        ])
        .arg(&target)
        .current_dir(root)
        .status()
        .ok()?;
    status.success().then(|| target.join("release/marsad"))
}

fn start_window(binary: &Path, display: &Display, home: &Home) -> Start {
    let begin = Instant::now();
    let mut app = Command::new(binary)
        .arg(SEED)
        .env("DISPLAY", &display.name)
        .env("HOME", home.home.path())
        .env("XDG_RUNTIME_DIR", home.runtime.path())
        .env("MARSAD_STARTUP_PROBE", "1")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the window");
    let mut line = String::new();
    if let Some(out) = app.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    let first_text = begin.elapsed();
    assert_eq!(
        line.trim(),
        "marsad: text painted",
        "the window painted its text"
    );
    let rss = rss_kb(app.id());
    std::thread::sleep(Duration::from_secs(1));
    let rss_idle = rss_kb(app.id());
    let _ = app.kill();
    let _ = app.wait();
    Start {
        first_text,
        rss,
        rss_idle,
    }
}

fn main() {
    if !full_size() {
        return;
    }
    let Some(display) = Display::start() else {
        println!("startup: Xvfb is not installed or did not start (apt-get install xvfb): skipped");
        return;
    };
    let Some(binary) = shipped_binary() else {
        println!("startup: cargo build --release failed: skipped");
        return;
    };
    let home = Home {
        home: tempfile::tempdir().expect("HOME"),
        runtime: tempfile::tempdir().expect("XDG_RUNTIME_DIR"),
    };
    // The first start reads the binary from disk and fills the shader cache; the next ones
    // are what a user sees every day.
    start_window(&binary, &display, &home);
    let mut starts: Vec<Start> = (0..7)
        .map(|_| start_window(&binary, &display, &home))
        .collect();
    starts.sort_by_key(|s| s.first_text);
    let median = &starts[starts.len() / 2];
    let max_rss = starts
        .iter()
        .map(|s| s.rss.max(s.rss_idle))
        .max()
        .unwrap_or(0);
    println!(
        "first painted text after exec: median {:.0} ms (fastest {:.0}, slowest {:.0}; target ≤ 150)",
        median.first_text.as_secs_f64() * 1e3,
        starts[0].first_text.as_secs_f64() * 1e3,
        starts[starts.len() - 1].first_text.as_secs_f64() * 1e3,
    );
    println!(
        "resident memory: {} MB at the first text, {} MB after a second idle; most of all \
         starts {} MB (target ≤ 120)",
        median.rss / 1024,
        median.rss_idle / 1024,
        max_rss / 1024
    );
}
