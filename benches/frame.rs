//! One frame of the real window, headless: `MarsadApp` (the same `logic` + `ui` that eframe
//! calls) run by `egui::Context::run_ui` on a 200 KB article with 2,000 spans, without
//! rendering. Three frames: idle, scrolling (a wheel event over the text every frame), and the
//! Review tab open on 2,000 differences; and idle with 500 relations drawn as arcs (the coder
//! speed issue: arcs ≤ 1 ms a frame, the difference from `idle`). Run with
//! `cargo bench --bench frame`; target (the house issue): each at most 2 ms of CPU in release.

use eframe::App as _;
use egui::{Event, MouseWheelUnit, RawInput, Rect, pos2, vec2};
use marsad::app::{Command, Settings};
use marsad::model::{AnnotatedDocument, Source};
use marsad::ui::{MarsadApp, SideTab};

mod common;

fn main() {
    divan::main();
}

/// The 200 KB article with 2,000 spans under `cargo bench`; the seed article with 20 spans
/// when `cargo test` runs each benchmark once as a smoke test (divan's rule: no `--bench`, or
/// `--test`).
fn article() -> AnnotatedDocument {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test") {
        common::big_document()
    } else {
        common::document(1, 20)
    }
}

/// A window of 1280 × 800 points on `doc` (written to a temp file), after a few frames so
/// that layouts and glyphs are cached as they are after the first second of real use.
struct Window {
    _dir: tempfile::TempDir,
    ctx: egui::Context,
    app: MarsadApp,
    frame: eframe::Frame,
    time: f64,
}

impl Window {
    fn new(doc: &AnnotatedDocument) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.json");
        marsad::store::save(&path, doc).expect("save");
        let ctx = egui::Context::default();
        let settings = Settings {
            coder: "coder-a".into(),
            ..Settings::default()
        };
        let app = MarsadApp::with_settings(&ctx, settings, Some(path));
        let mut window = Self {
            _dir: dir,
            ctx,
            app,
            frame: eframe::Frame::_new_kittest(),
            time: 0.0,
        };
        for _ in 0..4 {
            window.frame(Vec::new());
        }
        assert!(window.app.view.origin.is_some(), "the document is drawn");
        window
    }

    fn frame(&mut self, events: Vec<Event>) {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1280.0, 800.0))),
            time: Some(self.time),
            events,
            ..RawInput::default()
        };
        let Self {
            ctx, app, frame, ..
        } = self;
        let mut output = ctx.run_ui(input, |ui| {
            app.logic(ui.ctx(), frame);
            app.ui(ui, frame);
        });
        // No renderer takes the new glyph textures.
        output.textures_delta.clear();
        divan::black_box(output);
    }
}

/// The wheel turned over the middle of the document view.
fn scroll(down: bool) -> Vec<Event> {
    vec![
        Event::PointerMoved(pos2(640.0, 400.0)),
        Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, if down { -40.0 } else { 40.0 }),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        },
    ]
}

#[divan::bench(sample_count = 50)]
fn idle(bencher: divan::Bencher) {
    let mut window = Window::new(&article());
    bencher.bench_local(|| window.frame(Vec::new()));
}

#[divan::bench(sample_count = 50)]
fn scrolling(bencher: divan::Bencher) {
    let mut window = Window::new(&article());
    let mut n = 0u32;
    bencher.bench_local(|| {
        n += 1;
        // Down for a while, then back up: always a new part of the text.
        window.frame(scroll(n % 400 < 200));
    });
}

/// The big document with a model's set beside the coder's: every span of A given another
/// label in B, so that all 2,000 are differences (label mismatches).
fn reviewed_document() -> AnnotatedDocument {
    let mut doc = article();
    let mut b = doc.sets[0].clone();
    b.id = "model".into();
    b.source = Source::Model {
        name: "model".into(),
        version: None,
    };
    let labels = ["ACTOR", "PLACE", "CASUALTY", "CLAIM"];
    for (i, s) in b.spans.iter_mut().enumerate() {
        s.label = labels[(i + 1) % 4].into();
        s.attrs.clear();
        s.confidence = Some((i % 10) as f64 / 10.0);
    }
    doc.sets.push(b);
    doc
}

#[divan::bench(sample_count = 50)]
fn review_tab(bencher: divan::Bencher) {
    let mut window = Window::new(&reviewed_document());
    window.app.tab = SideTab::Review;
    window
        .app
        .app
        .apply(Command::Review(Some(("coder-a".into(), "model".into()))));
    for _ in 0..4 {
        window.frame(Vec::new());
    }
    let spans = window.app.app.set().map_or(0, |s| s.spans.len());
    let differences = window.app.app.review.as_ref().map_or(0, |r| {
        r.comparison()
            .count(marsad::review::DiffKind::LabelMismatch)
    });
    assert_eq!(differences, spans, "every span is a difference");
    bencher.bench_local(|| window.frame(Vec::new()));
}

/// The big document with 500 `claimed_by` relations: each CLAIM span to the ACTOR after it
/// (the spans cycle ACTOR, PLACE, CASUALTY, CLAIM).
fn related_document() -> AnnotatedDocument {
    let mut doc = article();
    let set = &mut doc.sets[0];
    let n = set.spans.len();
    let relations: Vec<marsad::model::Relation> = (0..n / 4)
        .filter(|k| 4 * k + 4 < n)
        .map(|k| marsad::model::Relation {
            id: format!("r{k}"),
            kind: "claimed_by".into(),
            from: set.spans[4 * k + 3].id.clone(),
            to: set.spans[4 * k + 4].id.clone(),
        })
        .collect();
    set.relations = relations;
    doc
}

#[divan::bench(sample_count = 50)]
fn arcs(bencher: divan::Bencher) {
    let mut window = Window::new(&related_document());
    let relations = window.app.app.set().map_or(0, |s| s.relations.len());
    assert!(relations > 0, "relations loaded");
    assert!(!window.app.view.arcs.is_empty(), "arcs drawn");
    bencher.bench_local(|| window.frame(Vec::new()));
}
