//! The keyboard: the shortcuts (also shown in the menus) and the keys that act on the document
//! when no text field has the focus — label keys, Delete, T, E, R, Esc, N/P in a review, and
//! Shift(+Ctrl)+Left/Right to move the selection's end by a grapheme or a word in visual
//! order. The boundaries are found once per document, not on every key press.

use egui::{Key, KeyboardShortcut, Modifiers};
use unicode_segmentation::UnicodeSegmentation;

use super::{MarsadApp, SideTab, document};
use crate::app::Command;
use crate::model::CharRange;

pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
pub const ZOOM_IN_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
pub const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const NEXT_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown);
pub const PREV_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp);
pub const MARK_DONE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
pub const TAB_SPANS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1);
pub const TAB_EVENTS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num2);
pub const TAB_REVIEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num3);

/// The side tabs and their shortcuts, in the order of the View menu.
pub const TABS: [(SideTab, &str, KeyboardShortcut); 3] = [
    (SideTab::Spans, "Spans", TAB_SPANS),
    (SideTab::Events, "Events", TAB_EVENTS),
    (SideTab::Review, "Review", TAB_REVIEW),
];

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

impl MarsadApp {
    /// Keys that act on the document when no text field has the focus.
    pub(super) fn keys(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut out = Vec::new();
        let shortcut = |s: &KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(s));
        if self.tab == SideTab::Review && !ctx.egui_wants_keyboard_input() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::N)) {
                out.push(Command::ReviewStep(true));
            }
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::P)) {
                out.push(Command::ReviewStep(false));
            }
            // A, B, X decide the difference in focus.
            if let Some(key) = self.app.review.as_ref().and_then(|r| r.focused()) {
                type Decide = fn(Vec<crate::review::DiffKey>) -> Command;
                let keys: [(Key, Decide); 3] = [
                    (Key::A, Command::TakeA),
                    (Key::B, Command::Accept),
                    (Key::X, Command::Reject),
                ];
                for (k, decide) in keys {
                    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, k)) {
                        out.push(decide(vec![key.clone()]));
                    }
                }
            }
        }
        if shortcut(&SAVE) {
            out.push(Command::Save);
        }
        for (tab, _, keys) in TABS {
            if shortcut(&keys) {
                self.tab = tab;
            }
        }
        // While a text field has the keyboard, its keys are its own (Ctrl+Z undoes typing).
        if ctx.egui_wants_keyboard_input() {
            return out;
        }
        if shortcut(&MARK_DONE) {
            out.push(Command::MarkDone);
        }
        if shortcut(&REDO) || shortcut(&REDO_Y) {
            out.push(Command::Redo);
        }
        if shortcut(&UNDO) {
            out.push(Command::Undo);
        }
        if shortcut(&ZOOM_IN) || shortcut(&ZOOM_IN_PLUS) {
            out.push(Command::ZoomIn);
        }
        if shortcut(&ZOOM_OUT) {
            out.push(Command::ZoomOut);
        }
        if shortcut(&ZOOM_RESET) {
            out.push(Command::ZoomReset);
        }
        if shortcut(&NEXT_DOC) {
            out.push(Command::NextDocument);
        }
        if shortcut(&PREV_DOC) {
            out.push(Command::PreviousDocument);
        }
        // In a review the text shows sets A and B, not the coder's: no editing keys there.
        if self.tab == SideTab::Review {
            return out;
        }
        for label in &self.app.schema().labels {
            if let Some(k) = Key::from_name(&label.key)
                && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, k))
            {
                out.push(Command::Label(label.name.clone()));
            }
        }
        if ctx.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Delete)
                || i.consume_key(Modifiers::NONE, Key::Backspace)
        }) {
            out.push(Command::DeleteSpan);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::T)) {
            out.push(Command::TrimProclitic);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::E)) {
            out.push(Command::NewEvent);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::R)) {
            out.push(Command::StartRelation);
        }
        if self.app.relating.is_some()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            out.push(Command::CancelRelation);
            return out;
        }
        if self.app.linking.is_some()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            out.push(Command::LinkRole(None));
            return out;
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            out.push(Command::Select(None));
            out.push(Command::SelectSpan(None));
        }
        for (key, left) in [(Key::ArrowLeft, true), (Key::ArrowRight, false)] {
            let by_word =
                ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND.plus(Modifiers::SHIFT), key));
            let by_grapheme = !by_word && ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, key));
            if by_word || by_grapheme {
                out.extend(self.extend_selection(left, by_word));
            }
        }
        out
    }

    /// Moves the selection's moving end one grapheme (or word) in visual direction: in
    /// right-to-left text, Left goes forward.
    fn extend_selection(&mut self, left: bool, by_word: bool) -> Option<Command> {
        let session = self.app.session.as_ref()?;
        let doc = &session.doc.document;
        let rtl = document::layout_style(&self.app).dir != crate::text::Direction::Ltr;
        let forward = left == rtl;
        let (anchor, focus) = match self.app.selection {
            Some(sel) => {
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
            None => (self.view.caret, self.view.caret),
        };
        if self
            .boundaries
            .as_ref()
            .is_none_or(|b| b.of != doc.text_sha256())
        {
            self.boundaries = Some(Boundaries::new(doc.text(), doc.text_sha256()));
        }
        let next = self
            .boundaries
            .as_ref()
            .map_or(focus, |b| b.step(by_word, focus, forward));
        self.view.anchor = Some(anchor);
        self.view.caret = next;
        Some(Command::Select(Some(CharRange::new(
            anchor.min(next),
            anchor.max(next),
        ))))
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
