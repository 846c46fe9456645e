//! A text field laid out, drawn and hit-tested by the engine — what a coder types notes and
//! names into, with Arabic, Latin and digits in the right order (egui's own `TextEdit` lays
//! Arabic words out left to right). The editing itself is [`super::edit::EditState`]; here are
//! the keys and the mouse, the visual caret movement over the layout, the clipboard, and the
//! drawing (frame, selection, text, caret, placeholder).
//!
//! Keys: ←/→ move in the order the line is drawn, Ctrl+←/→ by word (logical order), Home/End,
//! ↑/↓ between lines of a multi-line field, Shift to select, Backspace/Delete by grapheme
//! (Ctrl: by word), Ctrl+A, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) inside the field, copy, cut and
//! paste as egui delivers them, an IME's committed text, Tab to move on. The paragraph
//! direction is the first strong character's (auto) unless the field says RTL. A one-line
//! field takes no newline; a long text wraps rather than scrolling.

use egui::{Event, Key, Modifiers, Response, Sense, Shape, Stroke, Ui, Widget, pos2, vec2};
use unicode_segmentation::UnicodeSegmentation;

use super::Direction;
use super::edit::EditState;
use super::layout::{Affinity, LayoutStyle, TextLayout};
use super::render::{HighlightStyle, StyleRun, highlight_shapes, text_mesh};
use super::widget::TextSystem;

/// Space between the frame and the text.
const MARGIN: egui::Vec2 = vec2(6.0, 3.0);

/// A one-line or multi-line text field drawn by the engine, editing `text` in place.
pub struct ArabicField<'a> {
    text: &'a mut String,
    multiline: bool,
    hint: &'a str,
    style: LayoutStyle,
    width: Option<f32>,
    id_salt: Option<egui::IdSalt>,
}

impl<'a> ArabicField<'a> {
    /// A one-line field (no newlines; a long text wraps).
    pub fn singleline(text: &'a mut String) -> Self {
        Self {
            text,
            multiline: false,
            hint: "",
            style: LayoutStyle {
                size: 16.0,
                line_height: 24.0,
                dir: Direction::Auto,
                room_above: 0.0,
            },
            width: None,
            id_salt: None,
        }
    }

    /// A field that takes newlines (Enter).
    pub fn multiline(text: &'a mut String) -> Self {
        Self {
            multiline: true,
            ..Self::singleline(text)
        }
    }

    /// Shown in grey while the field is empty.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = hint;
        self
    }

    /// Right to left whatever the first letter is (an Arabic-first field).
    pub fn rtl(mut self) -> Self {
        self.style.dir = Direction::Rtl;
        self
    }

    pub fn width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    /// Tells this field apart from others in the same place (the state is kept by id).
    pub fn id_salt(mut self, salt: impl egui::AsIdSalt) -> Self {
        self.id_salt = Some(egui::IdSalt::new(salt));
        self
    }
}

/// The caret offsets (with affinity) at the grapheme boundaries of `text` that lie on the
/// caret's line, and where each is drawn.
fn line_stops(
    layout: &TextLayout,
    text: &str,
    caret: (usize, Affinity),
) -> (f32, Vec<(f32, usize, Affinity)>) {
    let here = layout.caret(caret.0, caret.1);
    let mut stops = Vec::new();
    let mut at = 0;
    let mut bounds = vec![0];
    for g in text.graphemes(true) {
        at += g.chars().count();
        bounds.push(at);
    }
    for b in bounds {
        for affinity in [Affinity::Downstream, Affinity::Upstream] {
            let r = layout.caret(b, affinity);
            if (r.y0 - here.y0).abs() < 0.5 {
                stops.push((r.x0, b, affinity));
            }
        }
    }
    (here.x0, stops)
}

/// Where ← (or →) takes the caret: the nearest place on its line, in the direction drawn.
fn visual_step(
    layout: &TextLayout,
    text: &str,
    caret: (usize, Affinity),
    rightwards: bool,
) -> Option<(usize, Affinity)> {
    let (x, stops) = line_stops(layout, text, caret);
    let next = stops
        .into_iter()
        .filter(|&(sx, _, _)| {
            if rightwards {
                sx > x + 0.5
            } else {
                sx < x - 0.5
            }
        })
        .min_by(|a, b| {
            let d = |s: &(f32, usize, Affinity)| (s.0 - x).abs();
            d(a).total_cmp(&d(b))
        })?;
    Some((next.1, next.2))
}

impl Widget for ArabicField<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let id = match self.id_salt {
            Some(salt) => ui.make_persistent_id(salt),
            None => ui.next_auto_id(),
        };
        let mut state = ui
            .data_mut(|d| d.get_temp::<EditState>(id))
            .filter(|s| s.text() == self.text.as_str())
            .unwrap_or_else(|| EditState::new(self.text));
        let width = self.width.unwrap_or_else(|| ui.available_width());
        let width = if width.is_finite() { width } else { 300.0 }.max(40.0);
        let inner = width - 2.0 * MARGIN.x;
        let shared = TextSystem::of(ui.ctx());
        let mut system = TextSystem::lock(&shared);
        let TextSystem {
            engine,
            atlas,
            lines,
            layouts,
        } = &mut *system;
        let frame = ui.ctx().cumulative_frame_nr();
        let height = layouts
            .get(engine, state.text(), self.style, inner, frame)
            .height()
            .max(self.style.line_height);
        // The field answers to its own id, so its state, focus and key filter agree.
        let (rect, _) =
            ui.allocate_exact_size(vec2(width, height + 2.0 * MARGIN.y), Sense::hover());
        let mut response = ui.interact(rect, id, Sense::click_and_drag());
        let origin = rect.min + MARGIN;
        let prev = self.text.clone();
        if response.clicked() || response.drag_started() || response.double_clicked() {
            response.request_focus();
        }
        let focused = response.has_focus();
        if focused {
            ui.memory_mut(|m| {
                m.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        tab: false,
                        horizontal_arrows: true,
                        vertical_arrows: self.multiline,
                        ..Default::default()
                    },
                )
            });
        }
        // The mouse: press puts the caret, drag selects, double-click takes a word.
        if let Some(pos) = response.interact_pointer_pos() {
            let layout = layouts.get(engine, state.text(), self.style, inner, frame);
            let hit = layout.hit_test(pos.x - origin.x, pos.y - origin.y);
            let shift = ui.input(|i| i.modifiers.shift);
            if response.double_clicked() {
                state.select_word_at(hit.offset);
            } else if ui.input(|i| i.pointer.primary_pressed()) {
                state.move_to(hit.offset, hit.affinity, shift);
            } else if response.dragged() {
                state.move_to(hit.offset, hit.affinity, true);
            }
        }
        if focused {
            let events = ui.input(|i| i.events.clone());
            for event in events {
                match event {
                    Event::Text(s) => {
                        let s = if self.multiline {
                            s
                        } else {
                            s.replace(['\n', '\r'], " ")
                        };
                        state.insert(&s);
                    }
                    Event::Paste(s) => {
                        let s = if self.multiline {
                            s.replace("\r\n", "\n")
                        } else {
                            s.replace("\r\n", " ").replace(['\n', '\r'], " ")
                        };
                        state.insert(&s);
                    }
                    Event::Ime(egui::ImeEvent::Commit(s)) => state.insert(&s),
                    Event::Copy if !state.selection().is_empty() => {
                        ui.ctx().copy_text(state.selected_text().to_owned());
                    }
                    Event::Cut if !state.selection().is_empty() => {
                        let taken = state.cut();
                        ui.ctx().copy_text(taken);
                    }
                    Event::Key {
                        key,
                        pressed: true,
                        modifiers,
                        ..
                    } => {
                        let layout = layouts.get(engine, state.text(), self.style, inner, frame);
                        if key_press(&mut state, layout, key, modifiers, self.multiline) {
                            response.surrender_focus();
                        }
                    }
                    _ => {}
                }
            }
        }
        if state.text() != self.text.as_str() {
            self.text.clear();
            self.text.push_str(state.text());
            response.mark_changed();
        }
        let layout = layouts.get(engine, state.text(), self.style, inner, frame);
        if ui.is_rect_visible(rect) {
            let visuals = ui.visuals();
            let stroke = if focused {
                visuals.selection.stroke
            } else {
                visuals.widgets.inactive.bg_stroke
            };
            let painter = ui.painter_at(rect.expand(1.0));
            painter.rect(
                rect,
                visuals.widgets.inactive.corner_radius,
                visuals.extreme_bg_color,
                stroke,
                egui::StrokeKind::Inside,
            );
            let selection = state.selection();
            if !selection.is_empty() {
                let runs = [StyleRun {
                    range: selection,
                    key: (),
                }];
                let fill = visuals.selection.bg_fill;
                painter.extend(highlight_shapes(layout, origin, rect, &runs, |_| {
                    HighlightStyle {
                        fill: Some(fill),
                        ..HighlightStyle::default()
                    }
                }));
            }
            if state.text().is_empty() && !self.hint.is_empty() {
                let hint_layout = layouts.get(engine, self.hint, self.style, inner, frame);
                let weak = ui.visuals().weak_text_color();
                let mesh = text_mesh(ui.ctx(), hint_layout, atlas, lines, origin, rect, weak);
                painter.add(Shape::mesh(mesh));
            }
            let layout = layouts.get(engine, state.text(), self.style, inner, frame);
            let color = ui.visuals().text_color();
            let mesh = text_mesh(ui.ctx(), layout, atlas, lines, origin, rect, color);
            painter.add(Shape::mesh(mesh));
            if focused {
                let c = layout.caret(state.caret(), state.affinity);
                let caret = egui::Rect::from_min_max(
                    pos2(origin.x + c.x0, origin.y + c.y0),
                    pos2(origin.x + c.x1, origin.y + c.y1),
                );
                painter.line_segment(
                    [caret.center_top(), caret.center_bottom()],
                    Stroke::new(1.5, ui.visuals().text_cursor.stroke.color),
                );
                ui.ctx().output_mut(|o| {
                    o.ime = Some(egui::output::IMEOutput {
                        purpose: egui::IMEPurpose::Normal,
                        rect,
                        cursor_rect: caret,
                        should_interrupt_composition: false,
                    });
                });
            }
        }
        drop(system);
        let (text, hint) = (self.text.clone(), self.hint.to_owned());
        response.widget_info(|| egui::WidgetInfo::text_edit(true, &prev, &text, &hint));
        ui.data_mut(|d| d.insert_temp(id, state));
        response
    }
}

/// One key pressed in a focused field; true when the field is done (Enter in a one-line
/// field, Escape) and gives up the focus.
fn key_press(
    state: &mut EditState,
    layout: &TextLayout,
    key: Key,
    m: Modifiers,
    multiline: bool,
) -> bool {
    let extend = m.shift;
    match key {
        Key::ArrowLeft | Key::ArrowRight => {
            let right = key == Key::ArrowRight;
            if m.command {
                // By word, in logical order: → is forward in a left-to-right line.
                let rtl_line = layout
                    .lines()
                    .iter()
                    .find(|l| l.chars.start <= state.caret() && state.caret() <= l.chars.end)
                    .is_some_and(|l| l.rtl);
                state.move_word(right != rtl_line, extend);
            } else if !extend && !state.selection().is_empty() {
                // An arrow on a selection goes to its edge on that side.
                let s = state.selection();
                let first = layout.caret(s.start, Affinity::Downstream).x0;
                let last = layout.caret(s.end, Affinity::Upstream).x0;
                let to = if (first > last) == right {
                    s.start
                } else {
                    s.end
                };
                state.move_to(to, Affinity::Downstream, false);
            } else if let Some((offset, affinity)) =
                visual_step(layout, state.text(), (state.caret(), state.affinity), right)
            {
                state.move_to(offset, affinity, extend);
            }
        }
        Key::ArrowUp | Key::ArrowDown if multiline => {
            let c = layout.caret(state.caret(), state.affinity);
            let dy = if key == Key::ArrowUp {
                -(c.y1 - c.y0)
            } else {
                c.y1 - c.y0
            };
            let hit = layout.hit_test(c.x0, (c.y0 + c.y1) / 2.0 + dy);
            state.move_to(hit.offset, hit.affinity, extend);
        }
        Key::Home | Key::End => {
            let here = state.caret();
            let line = layout
                .lines()
                .into_iter()
                .find(|l| l.chars.start <= here && here <= l.chars.end)
                .map(|l| l.chars);
            let (start, end) = line.map_or((0, here), |r| (r.start, r.end));
            let (to, affinity) = if key == Key::Home {
                (start, Affinity::Downstream)
            } else {
                (end, Affinity::Upstream)
            };
            state.move_to(to, affinity, extend);
        }
        Key::Backspace => state.delete(false, m.command),
        Key::Delete => state.delete(true, m.command),
        Key::A if m.command => state.select_all(),
        Key::Z if m.command && m.shift => {
            state.redo();
        }
        Key::Z if m.command => {
            state.undo();
        }
        Key::Y if m.command => {
            state.redo();
        }
        Key::Enter if multiline && !m.command => state.insert("\n"),
        Key::Enter | Key::Escape => return true,
        _ => {}
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextEngine;

    fn layout(text: &str) -> TextLayout {
        let mut engine = TextEngine::new();
        let mut l = engine.layout(
            text,
            LayoutStyle {
                size: 16.0,
                line_height: 24.0,
                dir: Direction::Auto,
                room_above: 0.0,
            },
        );
        l.wrap(400.0);
        l
    }

    /// Presses ← `n` times from the start of the text, giving the offsets visited.
    fn walk(text: &str, right: bool, from: usize, n: usize) -> Vec<usize> {
        let l = layout(text);
        let mut state = EditState::new(text);
        state.move_to(from, Affinity::Downstream, false);
        (0..n)
            .map(|_| {
                key_press(
                    &mut state,
                    &l,
                    if right {
                        Key::ArrowRight
                    } else {
                        Key::ArrowLeft
                    },
                    Modifiers::NONE,
                    false,
                );
                state.caret()
            })
            .collect()
    }

    #[test]
    fn left_arrow_walks_an_arabic_line_forwards_and_crosses_a_number_visually() {
        // "قتل 27 جنديا" is drawn right to left; ← from its start goes through قتل and the
        // space, then through the number, which is drawn left to right (so the caret passes
        // between 2 and 7), and on into جنديا.
        let visited = walk("قتل 27 جنديا", false, 0, 8);
        assert_eq!(&visited[..3], [1, 2, 3]);
        assert!(visited.contains(&5), "between the digits: {visited:?}");
        assert!(visited.last().is_some_and(|&o| o >= 7), "{visited:?}");
        // → from the end of an Arabic word comes back letter by letter.
        assert_eq!(walk("قتل", true, 3, 3), [2, 1, 0]);
    }

    #[test]
    fn every_arrow_press_moves_the_caret_across_the_screen_in_its_direction() {
        for text in [
            "قتل 27 جنديا في مالي",
            "JNIM تبنت الهجوم (2025)",
            "abc مالي def",
        ] {
            let l = layout(text);
            let mut state = EditState::new(text);
            state.move_to(0, Affinity::Downstream, false);
            // Everything reachable from the start by pressing one arrow, then the other.
            for right in [false, true, false] {
                let mut last = l.caret(state.caret(), state.affinity).x0;
                for _ in 0..text.chars().count() + 2 {
                    let before = (state.caret(), state.affinity);
                    let key = if right {
                        Key::ArrowRight
                    } else {
                        Key::ArrowLeft
                    };
                    key_press(&mut state, &l, key, Modifiers::NONE, false);
                    if (state.caret(), state.affinity) == before {
                        break;
                    }
                    let x = l.caret(state.caret(), state.affinity).x0;
                    assert!(
                        if right { x > last } else { x < last },
                        "{text}: {right} from {before:?} to {}",
                        state.caret()
                    );
                    last = x;
                }
            }
        }
    }
}

#[cfg(test)]
mod drawn {
    use super::*;
    use crate::text::TextEngine;
    use crate::text::atlas::GlyphAtlas;

    /// The textured quads (glyphs) a frame's shapes hold, as rectangles, in drawing order.
    fn glyph_quads(shapes: &[egui::epaint::ClippedShape]) -> Vec<egui::Rect> {
        let mut out = Vec::new();
        for s in shapes {
            if let Shape::Mesh(mesh) = &s.shape
                && mesh.texture_id != egui::TextureId::default()
            {
                for quad in mesh.vertices.chunks(4) {
                    let r =
                        egui::Rect::from_points(&quad.iter().map(|v| v.pos).collect::<Vec<_>>());
                    out.push(r);
                }
            }
        }
        out
    }

    #[test]
    fn the_field_draws_its_text_exactly_as_the_engine_lays_it_out() {
        let ctx = egui::Context::default();
        let typed = "حصيلة أولية 27 (JNIM)";
        let mut text = typed.to_owned();
        let mut field_rect = egui::Rect::NOTHING;
        let mut expected = Vec::new();
        for _ in 0..2 {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                let r = ui.add(ArabicField::singleline(&mut text).width(300.0));
                field_rect = r.rect;
                // The same string laid out by a fresh engine, drawn by the same code path.
                let mut engine = TextEngine::new();
                let mut layout = engine.layout(
                    typed,
                    LayoutStyle {
                        size: 16.0,
                        line_height: 24.0,
                        dir: Direction::Auto,
                        room_above: 0.0,
                    },
                );
                layout.wrap(300.0 - 2.0 * MARGIN.x);
                let mesh = text_mesh(
                    ui.ctx(),
                    &layout,
                    &mut GlyphAtlas::new(),
                    &mut crate::text::LineMeshes::default(),
                    field_rect.min + MARGIN,
                    field_rect,
                    egui::Color32::BLACK,
                );
                expected = mesh
                    .vertices
                    .chunks(4)
                    .map(|q| egui::Rect::from_points(&q.iter().map(|v| v.pos).collect::<Vec<_>>()))
                    .collect();
            });
            out.textures_delta.clear();
            if !expected.is_empty() {
                let drawn = glyph_quads(&out.shapes);
                // The field's glyphs, first of the frame's textured meshes (the engine's own
                // mesh of the check is not painted).
                assert_eq!(drawn.len(), expected.len(), "{drawn:?}");
                for (d, e) in drawn.iter().zip(&expected) {
                    assert!((d.min - e.min).length() < 0.01, "{d:?} ≠ {e:?}");
                }
                // A right-to-left paragraph: the text ends at the field's right edge.
                let right = drawn.iter().map(|r| r.max.x).fold(f32::MIN, f32::max);
                assert!(right > field_rect.right() - 2.0 * MARGIN.x - 4.0, "{right}");
            }
        }
        assert!(!expected.is_empty());
    }
}
