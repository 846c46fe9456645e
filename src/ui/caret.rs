//! The document's caret and keyboard-only annotation: arrows move the caret in visual order
//! (in Arabic Left goes forward), Ctrl+arrows by word, Home/End to the visual line's ends,
//! Ctrl+Home/End to the document's; with Shift each of them selects. Tab and Shift+Tab select
//! the next and previous span in reading order (while a relation is being made they pick its
//! target, Enter takes it); Shift+Alt+arrows move the selected span's end by a grapheme
//! (with Ctrl its start). The view follows the caret.

use egui::{Key, Modifiers};
use unicode_segmentation::UnicodeSegmentation;

use super::{MarsadApp, document};
use crate::app::Command;
use crate::model::CharRange;

/// Grapheme and word boundaries of one document's text (code-point offsets, ascending).
pub struct Boundaries {
    /// The text's SHA-256: which document they are of.
    of: String,
    graphemes: Vec<usize>,
    /// The starts and ends of words (not of spaces or punctuation runs of whitespace).
    words: Vec<usize>,
}

impl Boundaries {
    fn new(text: &str, of: &str) -> Self {
        let mut at = 0;
        let graphemes = std::iter::once(0)
            .chain(text.graphemes(true).map(|g| {
                at += g.chars().count();
                at
            }))
            .collect();
        let mut at = 0;
        let mut words = vec![0];
        for w in text.split_word_bounds() {
            let n = w.chars().count();
            at += n;
            if !w.trim().is_empty() {
                words.push(at - n);
                words.push(at);
            }
        }
        Self {
            of: of.to_owned(),
            graphemes,
            words,
        }
    }

    /// The next boundary after `from` (or before it, going back), or `from` at the end.
    fn step(&self, by_word: bool, from: usize, forward: bool) -> usize {
        let b = if by_word {
            &self.words
        } else {
            &self.graphemes
        };
        if forward {
            let i = b.partition_point(|&x| x <= from);
            b.get(i).copied().unwrap_or(from)
        } else {
            let i = b.partition_point(|&x| x < from);
            i.checked_sub(1).map_or(from, |i| b[i])
        }
    }
}

/// Where a key sends the caret.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Motion {
    /// One grapheme to the left (true) or right on the screen.
    Grapheme(bool),
    /// One word to the left (true) or right, in the line's direction.
    Word(bool),
    LineStart,
    LineEnd,
    DocStart,
    DocEnd,
}

/// The first press of `key` this frame, taken out of the input, with its modifiers.
fn take_key(ctx: &egui::Context, key: Key) -> Option<Modifiers> {
    ctx.input_mut(|i| {
        let at = i.events.iter().position(
            |e| matches!(e, egui::Event::Key { key: k, pressed: true, .. } if *k == key),
        )?;
        match i.events.remove(at) {
            egui::Event::Key { modifiers, .. } => Some(modifiers),
            _ => None,
        }
    })
}

impl MarsadApp {
    /// The caret's keys, when no text field has the keyboard. They are taken out of the
    /// input, and egui is told not to move its focus with them (Tab would focus a button).
    pub(super) fn caret_keys(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut out = Vec::new();
        let mut taken = false;
        for key in [Key::ArrowLeft, Key::ArrowRight, Key::Home, Key::End] {
            let Some(m) = take_key(ctx, key) else {
                continue;
            };
            taken = true;
            let left = key == Key::ArrowLeft;
            let arrow = matches!(key, Key::ArrowLeft | Key::ArrowRight);
            if arrow && m.alt && m.shift {
                out.extend(self.nudge(left, m.command));
                continue;
            }
            if m.alt {
                continue;
            }
            let motion = match (key, m.command) {
                (Key::Home, false) => Motion::LineStart,
                (Key::End, false) => Motion::LineEnd,
                (Key::Home, true) => Motion::DocStart,
                (Key::End, true) => Motion::DocEnd,
                (_, false) => Motion::Grapheme(left),
                (_, true) => Motion::Word(left),
            };
            out.extend(self.move_caret(ctx, motion, m.shift));
        }
        if let Some(m) = take_key(ctx, Key::Tab) {
            taken = true;
            out.extend(self.next_span(!m.shift));
        }
        if self.app.relating.is_some()
            && let Some(target) = self.view.candidate.clone()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
        {
            self.view.candidate = None;
            out.push(Command::SelectSpan(Some(target)));
        }
        if taken {
            ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        }
        out
    }

    fn boundaries(&mut self) -> Option<&Boundaries> {
        let doc = &self.app.session.as_ref()?.doc.document;
        if self
            .boundaries
            .as_ref()
            .is_none_or(|b| b.of != doc.text_sha256())
        {
            self.boundaries = Some(Boundaries::new(doc.text(), doc.text_sha256()));
        }
        self.boundaries.as_ref()
    }

    /// Moves the caret; with `extend` the selection runs from its anchor to the new caret,
    /// without it the selection goes.
    fn move_caret(&mut self, ctx: &egui::Context, motion: Motion, extend: bool) -> Vec<Command> {
        let Some(session) = self.app.session.as_ref() else {
            return Vec::new();
        };
        let len = session.doc.document.char_len();
        let rtl = document::layout_style(&self.app).dir != crate::text::Direction::Ltr;
        // The moving end: the caret, or the selection's end away from its anchor.
        let (anchor, focus) = match self.app.selection {
            Some(sel) if extend => {
                let anchor = self
                    .view
                    .anchor
                    .filter(|&a| a == sel.start || a == sel.end)
                    .unwrap_or(sel.start);
                (
                    anchor,
                    if anchor == sel.start {
                        sel.end
                    } else {
                        sel.start
                    },
                )
            }
            _ => (self.view.caret, self.view.caret),
        };
        let focus = focus.min(len);
        let next = match motion {
            Motion::DocStart => 0,
            Motion::DocEnd => len,
            Motion::Word(left) => {
                let forward = left == rtl;
                self.boundaries()
                    .map_or(focus, |b| b.step(true, focus, forward))
            }
            Motion::Grapheme(left) => {
                let app = &self.app;
                let visual = self
                    .view
                    .with_layout(ctx, app, |l| l.visual_step(focus, left));
                match visual {
                    Some(at) => at,
                    // Not drawn yet: logical order in the document's direction.
                    None => self
                        .boundaries()
                        .map_or(focus, |b| b.step(false, focus, left == rtl)),
                }
            }
            Motion::LineStart | Motion::LineEnd => self
                .view
                .with_layout(ctx, &self.app, |l| {
                    let (start, end) = l.line_ends(focus);
                    if motion == Motion::LineStart {
                        start
                    } else {
                        end
                    }
                })
                .unwrap_or(focus),
        };
        self.view.caret = next;
        self.view.follow = Some(next);
        if extend {
            self.view.anchor = Some(anchor);
            vec![Command::Select(Some(CharRange::new(
                anchor.min(next),
                anchor.max(next),
            )))]
        } else {
            self.view.anchor = Some(next);
            vec![Command::Select(None)]
        }
    }

    /// Tab: the next span (or previous, with Shift) of the shown set in reading order, from
    /// the selected one or the caret. While a relation is made, the candidate target.
    fn next_span(&mut self, forward: bool) -> Option<Command> {
        let set = self.app.set()?;
        let from = match (&self.app.relating, &self.view.candidate) {
            (Some(_), Some(c)) => Some(c.clone()),
            (Some(r), None) => Some(r.clone()),
            (None, _) => self.app.selected_span.clone(),
        };
        let here = from
            .as_deref()
            .and_then(|id| set.span(id))
            .map(|s| (s.start, s.end, false))
            .unwrap_or((self.view.caret, self.view.caret, true));
        let key = |s: &crate::model::Span| (s.start, s.end);
        let found = if forward {
            set.spans.iter().find(|s| {
                if here.2 {
                    s.start >= here.0
                } else {
                    key(s) > (here.0, here.1)
                }
            })
        } else {
            set.spans
                .iter()
                .rev()
                .find(|s| key(s) < (here.0, here.1) && (!here.2 || s.start < here.0))
        }?;
        let id = found.id.clone();
        self.view.caret = found.start;
        self.view.anchor = Some(found.start);
        self.view.follow = Some(found.start);
        if self.app.relating.is_some() {
            self.view.candidate = Some(id);
            return None;
        }
        Some(Command::SelectSpan(Some(id)))
    }

    /// Shift+Alt+Left/Right: the selected span's end moves one grapheme in visual direction;
    /// with Ctrl, its start. A span never becomes empty.
    fn nudge(&mut self, left: bool, start_edge: bool) -> Option<Command> {
        let id = self.app.selected_span.clone()?;
        let span = self.app.set()?.span(&id)?.range();
        let rtl = document::layout_style(&self.app).dir != crate::text::Direction::Ltr;
        let forward = left == rtl;
        let b = self.boundaries()?;
        let range = if start_edge {
            CharRange::new(b.step(false, span.start, forward), span.end)
        } else {
            CharRange::new(span.start, b.step(false, span.end, forward))
        };
        if range.is_empty() || range.start > range.end || range == span {
            return None;
        }
        self.view.follow = Some(if start_edge { range.start } else { range.end });
        Some(Command::Resize { span: id, range })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_by_grapheme_and_by_word_both_ways() {
        // قُتل: the damma is one grapheme with its letter.
        let b = Boundaries::new("قُتل 27 جنديا", "x");
        assert_eq!(b.step(false, 0, true), 2);
        assert_eq!(b.step(false, 2, false), 0);
        assert_eq!(b.step(true, 0, true), 4, "end of the first word");
        assert_eq!(b.step(true, 4, true), 5, "start of the next");
        assert_eq!(b.step(true, 5, false), 4);
        assert_eq!(b.step(true, 13, true), 13, "stays at the end");
        assert_eq!(b.step(false, 0, false), 0, "stays at the start");
    }
}
