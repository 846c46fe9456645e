//! The coder's mouse on the document: a drag selects whole words (with Alt, graphemes), a
//! drag from an edge of the selected span resizes it (the same snapping), a double-click
//! takes a word, a click picks the span under it, Shift+click extends the selection; and the
//! hover tooltip's spans. It reads the layout and pushes the commands the gestures mean.

use egui::{Pos2, Ui};

use super::DocView;
use crate::app::{App, Command};
use crate::model::{CharRange, Span};
use crate::text::{Affinity, TextLayout};

/// Which end of a span a drag moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    Start,
    End,
}

/// How near (points) to a span's edge a drag must start to resize it.
const EDGE_GRIP: f32 = 5.0;

impl DocView {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn interact(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        layout: &TextLayout,
        origin: Pos2,
        app: &App,
        spans: &[&Span],
        commands: &mut Vec<Command>,
    ) {
        let local = |p: Pos2| (p.x - origin.x, p.y - origin.y);
        let shift = ui.input(|i| i.modifiers.shift);
        let pointer = response.interact_pointer_pos();
        // A drag starts where the button went down, not where the pointer is when it counts
        // as a drag.
        let press = ui.input(|i| i.pointer.press_origin()).or(pointer);
        let alt = ui.input(|i| i.modifiers.alt);
        if response.drag_started()
            && let Some(p) = press
        {
            let (x, y) = local(p);
            let at = layout.hit_test(x, y).offset;
            self.anchor = Some(at);
            self.caret = at;
            self.resizing = Self::edge_at(layout, app, spans, (x, y));
            self.preview = None;
        }
        // A drag may start and end within one frame: its end point counts too.
        let drag_end = response
            .drag_stopped()
            .then(|| ui.input(|i| i.pointer.latest_pos()))
            .flatten();
        if (response.dragged() || response.drag_stopped())
            && let (Some(p), Some(anchor)) = (pointer.or(drag_end), self.anchor)
        {
            let (x, y) = local(p);
            let at = layout.hit_test(x, y).offset;
            if let Some((id, edge)) = self.resizing.clone() {
                let span = spans.iter().find(|s| s.id == id).map(|s| s.range());
                self.preview = span
                    .and_then(|r| resized(layout, r, edge, at, alt))
                    .or(self.preview);
                if response.drag_stopped() {
                    self.resizing = None;
                    if let Some(range) = self.preview.take()
                        && Some(range) != span
                    {
                        self.caret = if edge == Edge::Start {
                            range.start
                        } else {
                            range.end
                        };
                        commands.push(Command::Resize { span: id, range });
                    }
                }
            } else if at != anchor {
                let raw = CharRange::new(anchor.min(at), anchor.max(at));
                let range = if alt { raw } else { layout.snap_to_words(raw) };
                self.caret = if at > anchor { range.end } else { range.start };
                commands.push(Command::Select(Some(range)));
            }
        }
        if response.double_clicked()
            && let Some(p) = pointer
        {
            let (x, y) = local(p);
            let at = layout
                .char_at(x, y)
                .unwrap_or_else(|| layout.hit_test(x, y).offset);
            let word = layout.word_at(at);
            self.anchor = Some(word.start);
            self.caret = word.end;
            commands.push(Command::Select(Some(word)));
        } else if response.clicked()
            && let Some(p) = pointer
        {
            let (x, y) = local(p);
            let at = layout.hit_test(x, y).offset;
            if shift && let Some(sel) = app.selection {
                let anchor = self.anchor.unwrap_or(sel.start);
                self.caret = at;
                commands.push(Command::Select(Some(CharRange::new(
                    anchor.min(at),
                    anchor.max(at),
                ))));
            } else if let Some(arc) = self.arcs.iter().find(|a| a.near(p, 4.0)) {
                commands.push(Command::SelectRelation(Some(arc.id.clone())));
            } else if let Some(s) = self
                .suggested
                .iter()
                .find(|(_, r)| r.contains(p))
                .and_then(|&(i, _)| app.suggestions.get(i))
            {
                self.caret = s.range.end;
                commands.push(Command::AcceptSuggestion(s.clone()));
            } else {
                self.anchor = Some(at);
                self.caret = at;
                let under = layout.char_at(x, y).and_then(|c| {
                    spans
                        .iter()
                        .filter(|s| s.start <= c && c < s.end)
                        .min_by_key(|s| s.end - s.start)
                });
                commands.push(Command::Select(None));
                commands.push(Command::SelectSpan(under.map(|s| s.id.clone())));
            }
        }
        if let Some(p) = response.hover_pos() {
            let (x, y) = local(p);
            if let Some(c) = layout.char_at(x, y) {
                let over: Vec<&&Span> =
                    spans.iter().filter(|s| s.start <= c && c < s.end).collect();
                if !over.is_empty() {
                    // Drawn after the text system is unlocked: the tooltip's Arabic is drawn
                    // by the same engine.
                    let caret = layout.caret(c, crate::text::Affinity::Downstream);
                    let line = egui::Rect::from_min_max(
                        egui::pos2(p.x, origin.y + caret.y0),
                        egui::pos2(p.x + 1.0, origin.y + caret.y1),
                    );
                    self.tooltip = Some((
                        response.clone(),
                        over.into_iter().map(|s| (*s).clone()).collect(),
                        line,
                    ));
                }
            }
        }
    }

    /// The edge of the selected span under a point, if the press is on one.
    fn edge_at(
        layout: &TextLayout,
        app: &App,
        spans: &[&Span],
        (x, y): (f32, f32),
    ) -> Option<(String, Edge)> {
        let id = app.selected_span.as_ref()?;
        let span = spans.iter().find(|s| &s.id == id)?;
        [
            (span.start, Edge::Start, Affinity::Downstream),
            (span.end, Edge::End, Affinity::Upstream),
        ]
        .into_iter()
        .find(|&(at, _, affinity)| {
            let c = layout.caret(at, affinity);
            (c.x0 - x).abs() <= EDGE_GRIP && c.y0 <= y && y < c.y1
        })
        .map(|(_, edge, _)| (id.clone(), edge))
    }
}

/// The range a span gets when its edge is dragged to `at`: snapped to words unless `by_grapheme`,
/// never empty (`None` when the edge would pass the other one).
pub fn resized(
    layout: &TextLayout,
    span: CharRange,
    edge: Edge,
    at: usize,
    by_grapheme: bool,
) -> Option<CharRange> {
    let range = match edge {
        Edge::Start if at < span.end => CharRange::new(at, span.end),
        Edge::End if at > span.start => CharRange::new(span.start, at),
        _ => return None,
    };
    if by_grapheme {
        return Some(range);
    }
    let snapped = layout.snap_to_words(range);
    let range = match edge {
        Edge::Start => CharRange::new(snapped.start, span.end),
        Edge::End => CharRange::new(span.start, snapped.end),
    };
    (!range.is_empty()).then_some(range)
}
