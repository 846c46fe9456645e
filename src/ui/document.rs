//! The document view: the article laid out by the text engine, right to left, wrapped to the
//! panel; spans as label-coloured backgrounds with stacked underlines for nesting, the selection,
//! the selected span outlined, hover tooltips; drag, double-click, Shift+click to select. It
//! only reads the state and returns the commands the coder's gestures mean.

use egui::{Color32, Pos2, Sense, Stroke, Ui, vec2};

use super::theme::Palette;
use crate::app::{App, Command};
use crate::model::{CharRange, Span};
use crate::review::DiffKey;
use crate::text::{
    ArabicText, Direction, HighlightStyle, LayoutStyle, StyleRun, TextLayout, TextSystem,
    highlight_shapes, text_mesh,
};

/// Base font size and line height at zoom 1, in points.
pub const BASE_SIZE: f32 = 22.0;
pub const BASE_LINE_HEIGHT: f32 = 38.0;
/// Room above each line for the label tags, at zoom 1, in points.
pub const TAG_ROOM: f32 = 12.0;
/// Room above each line for relation arcs (when the shown set has relations), at zoom 1.
pub const ARC_ROOM: f32 = 16.0;
const MARGIN: f32 = 12.0;

/// What the view remembers between frames.
#[derive(Default)]
pub struct DocView {
    /// Where the text box was drawn last frame (screen coordinates), for tests and tools.
    pub origin: Option<Pos2>,
    /// Where a drag started (char offset) and the moving end of the selection.
    pub anchor: Option<usize>,
    pub caret: usize,
    /// Scroll to make this offset visible next frame, in the middle of the view.
    pub scroll_to: Option<usize>,
    /// The caret moved by a key: scroll just enough to show it.
    pub follow: Option<usize>,
    /// While a relation is being made: the span Tab picked as its target (Enter takes it).
    pub candidate: Option<String>,
    /// The wrapping width of the last frame.
    pub width: f32,
    /// Spans to stand out this frame (an event card under the mouse, or the event being
    /// linked): drawn with a thick accent outline. Set anew every frame.
    pub emphasis: Vec<String>,
    /// The spans under the mouse, shown in a tooltip once the text is drawn, and the hovered
    /// line's rectangle (the tooltip goes above it, so the next line stays readable).
    tooltip: Option<(egui::Response, Vec<Span>, egui::Rect)>,
    /// The highlights of the last frame, kept while the document and the review stay the same.
    runs: Option<Runs>,
    /// The bidi controls of the open text (by its SHA-256), found once per document.
    controls: Option<(String, Vec<(usize, char)>)>,
    /// How many bidi controls were marked in the last frame (for tests and tools).
    pub marks: usize,
    /// The label tags drawn in the last frame: (span id, where), for tests and tools.
    pub tags: Vec<(String, egui::Rect)>,
    /// The relation arcs drawn in the last frame, for picking one and for tests and tools.
    pub arcs: Vec<overlays::DrawnArc>,
    /// A drag moving an edge of the selected span, and the range it would give.
    resizing: Option<(String, gestures::Edge)>,
    pub preview: Option<CharRange>,
    /// The suggestions drawn in the last frame: (index in `app.suggestions`, where).
    pub suggested: Vec<(usize, egui::Rect)>,
    /// How many find matches were highlighted in the last frame, those in view (for tests and
    /// tools).
    pub found: usize,
    /// Where the caret was drawn last frame (screen coordinates), for tests and tools.
    pub caret_rect: Option<egui::Rect>,
    /// In a review: two panes side by side (A on the right, B on the left) instead of one
    /// text with both sets.
    pub unified: bool,
    /// In the split review: where each pane's text box was drawn last frame (A, B).
    pub panes: Option<(Pos2, Pos2)>,
}

mod gestures;
pub mod overlays;
mod split;

use overlays::{Canvas, label_tags, relation_arcs, suggestion_outlines};

/// What the highlights were made from: the edit revision, whose set is shown, and the review
/// (its sets and threshold).
#[derive(Clone, PartialEq)]
struct RunsKey {
    revision: u64,
    coder: String,
    review: Option<(String, String, u64)>,
}

/// Style runs of the text, made once per edit (not every frame): the shown set's spans by
/// label and nesting depth, in a review each difference by kind and B's spans by label and
/// confidence.
struct Runs {
    key: RunsKey,
    spans: Vec<StyleRun<SpanKey>>,
    b_spans: Vec<StyleRun<(Color32, bool)>>,
}

impl Runs {
    fn new(key: RunsKey, app: &App, palette: &Palette) -> Self {
        let (spans, b_spans) = shown_spans(app);
        let depth = depths(&spans);
        let mut runs: Vec<StyleRun<SpanKey>> = spans
            .iter()
            .zip(&depth)
            .map(|(s, &depth)| StyleRun {
                range: s.range(),
                key: SpanKey {
                    color: palette.color(&s.label),
                    depth,
                },
            })
            .collect();
        let mut b_runs = Vec::new();
        if let (Some(r), Some(session)) = (&app.review, &app.session) {
            for (d, _) in r.differences(&session.doc) {
                let (a, b) = (d.a.map(|s| s.range()), d.b.map(|s| s.range()));
                let range = match (a, b) {
                    (Some(x), Some(y)) => CharRange::new(x.start.min(y.start), x.end.max(y.end)),
                    (Some(x), None) | (None, Some(x)) => x,
                    (None, None) => continue,
                };
                runs.push(StyleRun {
                    range,
                    key: SpanKey {
                        color: super::review::kind_color(d.kind),
                        depth: usize::MAX - 1,
                    },
                });
            }
            b_runs = b_spans
                .iter()
                .map(|s| StyleRun {
                    range: s.range(),
                    key: (
                        palette.color(&s.label),
                        s.confidence.unwrap_or(1.0) >= r.threshold,
                    ),
                })
                .collect();
        }
        Self {
            key,
            spans: runs,
            b_spans: b_runs,
        }
    }
}

/// The spans the text shows: the coder's set, or in a review A's (and B's beside).
fn shown_spans(app: &App) -> (Vec<&Span>, Vec<&Span>) {
    let Some(session) = &app.session else {
        return (Vec::new(), Vec::new());
    };
    let all = |id: &str| -> Vec<&Span> {
        session
            .doc
            .set(id)
            .map(|s| s.spans.iter().collect())
            .unwrap_or_default()
    };
    match &app.review {
        Some(r) => (all(&r.a), all(&r.b)),
        None => (all(&app.settings.coder), Vec::new()),
    }
}

/// How a span is drawn: its label's colour and how deep it is nested.
#[derive(Clone, Copy)]
struct SpanKey {
    color: Color32,
    depth: usize,
}

/// Whether label tags are drawn: the setting, at zoom 100 % and more.
pub fn tags_shown(app: &App) -> bool {
    app.settings.show_tags && app.settings.zoom >= 1.0 && app.review.is_none()
}

/// The suggestion Enter accepts and Backspace rejects: the first at or after the caret (the
/// first of all past the last one).
pub fn current_suggestion(app: &App, caret: usize) -> Option<usize> {
    if app.suggestions.is_empty() {
        return None;
    }
    let i = app.suggestions.partition_point(|s| s.range.end <= caret);
    Some(if i < app.suggestions.len() { i } else { 0 })
}

/// Whether relation arcs are drawn: the setting, outside a review, when the set has any.
pub fn arcs_shown(app: &App) -> bool {
    app.settings.show_relations
        && app.review.is_none()
        && app.set().is_some_and(|s| !s.relations.is_empty())
}

pub fn layout_style(app: &App) -> LayoutStyle {
    let zoom = app.settings.zoom;
    let room =
        if tags_shown(app) { TAG_ROOM } else { 0.0 } + if arcs_shown(app) { ARC_ROOM } else { 0.0 };
    let rtl = app
        .session
        .as_ref()
        .is_none_or(|s| s.doc.document.meta.language.starts_with("ar"));
    LayoutStyle {
        size: BASE_SIZE * zoom,
        line_height: BASE_LINE_HEIGHT * zoom,
        dir: if rtl { Direction::Rtl } else { Direction::Auto },
        room_above: room * zoom,
    }
}

/// Nesting depth of each span (0 for outermost), spans in reading order.
fn depths(spans: &[&Span]) -> Vec<usize> {
    let mut open: Vec<usize> = Vec::new();
    spans
        .iter()
        .map(|s| {
            open.retain(|&end| end > s.start);
            let depth = open.len();
            open.push(s.end);
            depth
        })
        .collect()
}

impl DocView {
    /// Runs `f` on the open document's layout at the width last drawn (`None` before the
    /// first frame or without a document).
    pub fn with_layout<R>(
        &self,
        ctx: &egui::Context,
        app: &App,
        f: impl FnOnce(&TextLayout) -> R,
    ) -> Option<R> {
        let session = app.session.as_ref()?;
        self.origin?;
        let shared = TextSystem::of(ctx);
        let mut system = TextSystem::lock(&shared);
        let TextSystem {
            engine, layouts, ..
        } = &mut *system;
        let layout = layouts.get(
            engine,
            session.doc.document.text(),
            layout_style(app),
            self.width,
            ctx.cumulative_frame_nr(),
        );
        Some(f(layout))
    }

    /// Screen rectangles of a char range as last drawn (empty before the first frame).
    pub fn screen_rects(
        &self,
        ui_ctx: &egui::Context,
        app: &App,
        range: CharRange,
    ) -> Vec<egui::Rect> {
        let Some(origin) = self.origin else {
            return Vec::new();
        };
        self.with_layout(ui_ctx, app, |layout| {
            layout
                .range_rects(range)
                .iter()
                .map(|q| {
                    egui::Rect::from_min_max(origin + vec2(q.x0, q.y0), origin + vec2(q.x1, q.y1))
                })
                .collect()
        })
        .unwrap_or_default()
    }

    pub fn show(&mut self, ui: &mut Ui, app: &App, palette: &Palette) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(session) = &app.session else {
            ui.centered_and_justified(|ui| {
                ui.label("Open an article (File › Open, or drop a .json, .ron or .txt file here)");
            });
            return commands;
        };
        let text = session.doc.document.text();
        let style = layout_style(app);
        // In a review, the text shows A's spans underlined, B's overlined, and each difference
        // filled with its kind's colour; clicks pick differences.
        let review = app.review.as_ref();
        let key = RunsKey {
            revision: app.revision(),
            coder: app.settings.coder.clone(),
            review: review.map(|r| (r.a.clone(), r.b.clone(), r.threshold.to_bits())),
        };
        if self.runs.as_ref().is_none_or(|r| r.key != key) {
            self.runs = Some(Runs::new(key, app, palette));
        }
        let (spans, b_spans) = shown_spans(app);
        let dark = ui.visuals().dark_mode;
        if let Some(r) = review
            && !self.unified
        {
            return self.show_split(ui, app, r, style, dark);
        }
        self.panes = None;
        let runs = self.runs.take();
        // Each document keeps its own scroll position: the next one opens where it was left
        // (at its top the first time), not at the previous one's.
        egui::ScrollArea::vertical()
            .id_salt(("document", &session.path))
            .auto_shrink(false)
            .show(ui, |ui| {
                let width = (ui.available_width() - 2.0 * MARGIN).max(100.0);
                let shared = TextSystem::of(ui.ctx());
                let mut system = TextSystem::lock(&shared);
                let TextSystem {
                    engine,
                    atlas,
                    lines,
                    layouts,
                } = &mut *system;
                let frame = ui.ctx().cumulative_frame_nr();
                self.width = width;
                let layout = layouts.get(engine, text, style, width, frame);
                let (rect, response) = ui.allocate_exact_size(
                    vec2(width + 2.0 * MARGIN, layout.height() + 2.0 * MARGIN),
                    Sense::click_and_drag(),
                );
                let origin = rect.min + vec2(MARGIN, MARGIN);
                self.origin = Some(origin);
                if let Some(offset) = self.scroll_to.take() {
                    let caret = layout.caret(offset, crate::text::Affinity::Downstream);
                    let r = egui::Rect::from_min_max(
                        origin + vec2(caret.x0, caret.y0),
                        origin + vec2(caret.x1, caret.y1),
                    );
                    ui.scroll_to_rect(r, Some(egui::Align::Center));
                }
                if let Some(offset) = self.follow.take() {
                    let caret = layout.caret(offset, crate::text::Affinity::Downstream);
                    let r = egui::Rect::from_min_max(
                        origin + vec2(caret.x0, caret.y0),
                        origin + vec2(caret.x1, caret.y1),
                    );
                    ui.scroll_to_rect(r, None);
                }
                // In a review, hovering shows both sets' spans (B's with their confidence).
                let touchable: Vec<&Span> = spans.iter().chain(&b_spans).copied().collect();
                self.interact(
                    ui,
                    &response,
                    layout,
                    origin,
                    app,
                    &touchable,
                    &mut commands,
                );

                let clip = ui.clip_rect();
                let painter = ui.painter_at(rect);
                let no_runs = Vec::new();
                let span_runs = runs.as_ref().map_or(&no_runs, |r| &r.spans);
                let selection = app.selection.map(|sel| StyleRun {
                    range: sel,
                    key: SpanKey {
                        color: Color32::TRANSPARENT,
                        depth: usize::MAX,
                    },
                });
                let style_of = |k: &SpanKey| {
                    if k.depth == usize::MAX {
                        return HighlightStyle {
                            fill: Some(Color32::from_rgba_unmultiplied(60, 120, 230, 90)),
                            ..HighlightStyle::default()
                        };
                    }
                    if k.depth == usize::MAX - 1 {
                        return HighlightStyle {
                            fill: Some(super::theme::difference_fill(k.color, dark)),
                            ..HighlightStyle::default()
                        };
                    }
                    if review.is_some() {
                        return HighlightStyle {
                            underline: Some((k.color, 2.0, 1.0 + 3.0 * k.depth as f32)),
                            ..HighlightStyle::default()
                        };
                    }
                    HighlightStyle {
                        fill: Some(super::theme::span_fill(k.color, dark)),
                        underline: Some((k.color, 2.0, 1.0 + 3.0 * k.depth as f32)),
                        ..HighlightStyle::default()
                    }
                };
                painter.extend(highlight_shapes(layout, origin, clip, span_runs, style_of));
                if let Some(find) = &app.find {
                    // Only the matches on the lines in view (they are in text order).
                    let lines = layout.lines_in(clip.min.y - origin.y, clip.max.y - origin.y);
                    let window = lines
                        .first()
                        .zip(lines.last())
                        .map_or((0, 0), |(a, b)| (a.0.chars.start, b.0.chars.end));
                    let first = find.matches.partition_point(|m| m.range.end <= window.0);
                    let found: Vec<StyleRun<bool>> = find
                        .matches
                        .iter()
                        .enumerate()
                        .skip(first)
                        .take_while(|(_, m)| m.range.start < window.1)
                        .map(|(i, m)| StyleRun {
                            range: m.range,
                            key: find.current == Some(i),
                        })
                        .collect();
                    let amber = Color32::from_rgb(240, 170, 20);
                    painter.extend(highlight_shapes(layout, origin, clip, &found, |&current| {
                        HighlightStyle {
                            fill: Some(amber.gamma_multiply(if current { 0.55 } else { 0.3 })),
                            outline: current.then_some(Stroke::new(2.0, amber)),
                            ..HighlightStyle::default()
                        }
                    }));
                    self.found = found.len();
                }
                if let Some(sel) = &selection {
                    painter.extend(highlight_shapes(
                        layout,
                        origin,
                        clip,
                        std::slice::from_ref(sel),
                        style_of,
                    ));
                }
                if let Some(id) = &app.selected_span
                    && let Some(span) = spans.iter().find(|s| &s.id == id)
                {
                    let outline = [StyleRun {
                        range: self
                            .preview
                            .filter(|_| self.resizing.is_some())
                            .unwrap_or(span.range()),
                        key: (),
                    }];
                    let stroke = Stroke::new(2.0, ui.visuals().strong_text_color());
                    painter.extend(highlight_shapes(layout, origin, clip, &outline, |_| {
                        HighlightStyle {
                            outline: Some(stroke),
                            ..HighlightStyle::default()
                        }
                    }));
                }
                if let Some(r) = review {
                    let no_b = Vec::new();
                    let b_runs = runs.as_ref().map_or(&no_b, |r| &r.b_spans);
                    painter.extend(highlight_shapes(
                        layout,
                        origin,
                        clip,
                        b_runs,
                        |&(c, sure)| HighlightStyle {
                            overline: Some((
                                if sure { c } else { c.gamma_multiply(0.35) },
                                2.0,
                                1.0,
                            )),
                            ..HighlightStyle::default()
                        },
                    ));
                    if let Some((d, _)) = r
                        .differences(&session.doc)
                        .find(|(d, _)| r.current.as_ref().is_some_and(|k| k.names(d)))
                    {
                        let current: Vec<StyleRun<()>> =
                            d.a.iter()
                                .chain(d.b.iter())
                                .map(|s| StyleRun {
                                    range: s.range(),
                                    key: (),
                                })
                                .collect();
                        let stroke = Stroke::new(2.5, ui.visuals().strong_text_color());
                        painter.extend(highlight_shapes(layout, origin, clip, &current, |_| {
                            HighlightStyle {
                                outline: Some(stroke),
                                ..HighlightStyle::default()
                            }
                        }));
                    }
                }
                let emphasised: Vec<StyleRun<()>> = spans
                    .iter()
                    .filter(|s| self.emphasis.contains(&s.id))
                    .map(|s| StyleRun {
                        range: s.range(),
                        key: (),
                    })
                    .collect();
                if !emphasised.is_empty() {
                    let stroke = Stroke::new(3.0, ui.visuals().selection.stroke.color);
                    painter.extend(highlight_shapes(layout, origin, clip, &emphasised, |_| {
                        HighlightStyle {
                            outline: Some(stroke),
                            ..HighlightStyle::default()
                        }
                    }));
                }
                let color = ui.visuals().text_color();
                let mesh = text_mesh(ui.ctx(), layout, atlas, lines, origin, clip, color);
                painter.add(egui::Shape::mesh(mesh));
                if review.is_none() {
                    let caret = layout.caret(
                        self.caret.min(layout.char_len()),
                        crate::text::Affinity::Downstream,
                    );
                    // In the text's own line box, not the room above it.
                    let y0 = caret.y0.max(caret.y1 - style.line_height);
                    let r = egui::Rect::from_min_max(
                        origin + vec2(caret.x0 - 0.5, y0 + 3.0),
                        origin + vec2(caret.x1 + 0.5, caret.y1 - 3.0),
                    );
                    painter.rect_filled(r, 0.0, ui.visuals().text_cursor.stroke.color);
                    self.caret_rect = Some(r);
                }
                if let Some(id) = &self.candidate
                    && let Some(span) = spans.iter().find(|s| &s.id == id)
                {
                    let target = [StyleRun {
                        range: span.range(),
                        key: (),
                    }];
                    let stroke = Stroke::new(2.5, ui.visuals().selection.stroke.color);
                    painter.extend(highlight_shapes(layout, origin, clip, &target, |_| {
                        HighlightStyle {
                            outline: Some(stroke),
                            ..HighlightStyle::default()
                        }
                    }));
                }
                let canvas = Canvas {
                    painter: &painter,
                    layout,
                    origin,
                    clip,
                    fill: ui.visuals().panel_fill,
                };
                self.arcs = if arcs_shown(app) {
                    let set = app.set();
                    let relations = set.map_or(&[][..], |s| s.relations.as_slice());
                    let selected = app.selected_relation.as_deref();
                    relation_arcs(
                        &canvas,
                        &spans,
                        relations,
                        palette,
                        selected,
                        tags_shown(app),
                    )
                } else {
                    Vec::new()
                };
                self.suggested = if review.is_none() {
                    let current = current_suggestion(app, self.caret);
                    suggestion_outlines(&canvas, &app.suggestions, current, palette)
                } else {
                    Vec::new()
                };
                self.tags = if tags_shown(app) {
                    label_tags(&canvas, &spans, palette)
                } else {
                    Vec::new()
                };
                self.marks = 0;
                if app.settings.show_controls {
                    let doc = &session.doc.document;
                    if self
                        .controls
                        .as_ref()
                        .is_none_or(|(sha, _)| sha != doc.text_sha256())
                    {
                        self.controls = Some((
                            doc.text_sha256().to_owned(),
                            crate::model::controls::bidi_controls(doc.text()),
                        ));
                    }
                    let warn = ui.visuals().warn_fg_color;
                    for &(at, c) in self.controls.iter().flat_map(|(_, found)| found) {
                        let caret = layout.caret(at, crate::text::Affinity::Downstream);
                        let r = egui::Rect::from_min_max(
                            origin + vec2(caret.x0 - 1.0, caret.y0),
                            origin + vec2(caret.x0 + 1.0, caret.y1),
                        );
                        if !clip.intersects(r) {
                            continue;
                        }
                        painter.rect_filled(r, 0.0, warn);
                        painter.text(
                            r.center_top(),
                            egui::Align2::CENTER_BOTTOM,
                            crate::model::controls::name(c),
                            egui::FontId::proportional(9.0),
                            warn,
                        );
                        self.marks += 1;
                    }
                }
            });
        self.runs = runs;
        if let Some(r) = review
            && commands.iter().any(|c| matches!(c, Command::SelectSpan(_)))
        {
            let at = self.caret;
            commands.retain(|c| !matches!(c, Command::SelectSpan(_) | Command::Select(_)));
            if let Some((d, _)) = r.differences(&session.doc).find(|(d, _)| {
                d.a.iter()
                    .chain(d.b.iter())
                    .any(|s| s.start <= at && at < s.end)
            }) {
                commands.push(Command::ReviewFocus(DiffKey::of(&d)));
            }
        }
        if let Some((response, over, line)) = self.tooltip.take()
            && egui::Tooltip::should_show_tooltip(&response, false)
        {
            egui::Popup::new(
                response.id.with("span-tooltip"),
                ui.ctx().clone(),
                egui::PopupAnchor::ParentRect(line),
                response.layer_id,
            )
            .kind(egui::PopupKind::Tooltip)
            .align(egui::RectAlign::TOP_START)
            .align_alternatives(&[egui::RectAlign::BOTTOM_START])
            .gap(2.0)
            .show(|ui| {
                for s in over {
                    ui.horizontal(|ui| {
                        ui.colored_label(palette.color(&s.label), &s.label);
                        ui.label(format!("{}..{}", s.start, s.end));
                        if let Some(c) = s.confidence {
                            ui.label(format!("confidence {c:.2}"));
                        }
                    });
                    ui.add(ArabicText::new(&s.text).size(18.0, 28.0).width(280.0));
                    for (k, v) in &s.attrs {
                        ui.label(format!("{k}: {}", v.shown()));
                    }
                }
            });
        }
        commands
    }
}
