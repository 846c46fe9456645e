//! The editing state of a text field, without drawing: the text, the caret (a code-point offset
//! with its affinity) and the selection's anchor, and an undo history of the field's own. Every
//! step is by grapheme (unicode-segmentation), words by UAX #29; what is visual (arrows in
//! the order the line is drawn) is decided by [`super::field`] over the layout, which gives
//! the offset to go to.

use unicode_segmentation::UnicodeSegmentation;

use super::layout::Affinity;
use crate::offsets::CharRange;

/// The text, caret and selection before an edit, to go back to.
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    text: String,
    caret: usize,
    anchor: usize,
}

/// How many edits the field's own undo keeps.
const UNDO_DEPTH: usize = 100;

/// A field's text being edited.
#[derive(Clone, Debug, PartialEq)]
pub struct EditState {
    text: String,
    caret: usize,
    pub affinity: Affinity,
    anchor: usize,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// Whether the last edit was typing (consecutive typing is one undo step).
    typing: bool,
}

impl EditState {
    /// `text` with the caret at its end.
    pub fn new(text: &str) -> Self {
        let end = text.chars().count();
        Self {
            text: text.to_owned(),
            caret: end,
            affinity: Affinity::Upstream,
            anchor: end,
            undo: Vec::new(),
            redo: Vec::new(),
            typing: false,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The caret's code-point offset.
    pub fn caret(&self) -> usize {
        self.caret
    }

    /// The selection (empty at the caret when nothing is selected).
    pub fn selection(&self) -> CharRange {
        CharRange::new(self.caret.min(self.anchor), self.caret.max(self.anchor))
    }

    pub fn selected_text(&self) -> &str {
        let r = self.selection();
        &self.text[self.byte(r.start)..self.byte(r.end)]
    }

    fn byte(&self, offset: usize) -> usize {
        self.text
            .char_indices()
            .nth(offset)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn char_len(&self) -> usize {
        self.text.chars().count()
    }

    /// Grapheme boundaries (code-point offsets), from 0 to the end.
    fn boundaries(&self) -> Vec<usize> {
        let mut out = vec![0];
        let mut at = 0;
        for g in self.text.graphemes(true) {
            at += g.chars().count();
            out.push(at);
        }
        out
    }

    /// Word starts and ends (UAX #29 words that hold a letter or digit), as code points.
    fn word_edges(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (byte, word) in self.text.split_word_bound_indices() {
            if word.chars().any(char::is_alphanumeric) {
                let start = self.text[..byte].chars().count();
                out.push((start, start + word.chars().count()));
            }
        }
        out
    }

    /// The grapheme boundary before (or after) `offset`.
    fn grapheme_step(&self, offset: usize, forward: bool) -> usize {
        let b = self.boundaries();
        if forward {
            b.into_iter().find(|&x| x > offset).unwrap_or(offset)
        } else {
            b.into_iter().rev().find(|&x| x < offset).unwrap_or(0)
        }
    }

    /// The start of the word before `offset`, or the end of the word after it.
    fn word_step(&self, offset: usize, forward: bool) -> usize {
        let words = self.word_edges();
        if forward {
            words
                .iter()
                .map(|w| w.1)
                .find(|&e| e > offset)
                .unwrap_or_else(|| self.char_len())
        } else {
            words
                .iter()
                .rev()
                .map(|w| w.0)
                .find(|&s| s < offset)
                .unwrap_or(0)
        }
    }

    /// Puts the caret at `offset` (extending the selection when `extend`).
    pub fn move_to(&mut self, offset: usize, affinity: Affinity, extend: bool) {
        self.caret = offset.min(self.char_len());
        self.affinity = affinity;
        if !extend {
            self.anchor = self.caret;
        }
        self.typing = false;
    }

    /// Ctrl+arrow: to the start of the word before, or the end of the word after (logical
    /// order, whatever the direction of the text).
    pub fn move_word(&mut self, forward: bool, extend: bool) {
        let to = self.word_step(self.caret, forward);
        self.move_to(to, affinity_of(forward), extend);
    }

    pub fn select_all(&mut self) {
        self.anchor = 0;
        self.caret = self.char_len();
        self.typing = false;
    }

    /// Selects the word (or the run of spaces or the punctuation) at `offset`.
    pub fn select_word_at(&mut self, offset: usize) {
        let mut start = 0;
        for (byte, word) in self.text.split_word_bound_indices() {
            let s = self.text[..byte].chars().count();
            let e = s + word.chars().count();
            if s <= offset && offset < e {
                self.anchor = s;
                self.caret = e;
                self.typing = false;
                return;
            }
            start = e;
        }
        self.move_to(start, Affinity::Upstream, false);
    }

    fn remember(&mut self, typing: bool) {
        if !(typing && self.typing) {
            self.undo.push(Snapshot {
                text: self.text.clone(),
                caret: self.caret,
                anchor: self.anchor,
            });
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.typing = typing;
    }

    /// Replaces the selection with `s` (typing, pasting, an IME's committed text).
    pub fn insert(&mut self, s: &str) {
        if s.is_empty() && self.selection().is_empty() {
            return;
        }
        // A word typed is one undo step; a space ends it.
        self.remember(!s.contains(char::is_whitespace) && self.selection().is_empty());
        let r = self.selection();
        let (b0, b1) = (self.byte(r.start), self.byte(r.end));
        self.text.replace_range(b0..b1, s);
        self.caret = r.start + s.chars().count();
        self.anchor = self.caret;
        self.affinity = Affinity::Upstream;
    }

    fn delete_range(&mut self, r: CharRange) {
        if r.is_empty() {
            return;
        }
        self.remember(false);
        let (b0, b1) = (self.byte(r.start), self.byte(r.end));
        self.text.replace_range(b0..b1, "");
        self.caret = r.start;
        self.anchor = r.start;
        self.affinity = Affinity::Downstream;
    }

    /// Backspace (`word`: Ctrl+Backspace) or Delete (`forward`): the selection, else the
    /// grapheme (or word) before or after the caret.
    pub fn delete(&mut self, forward: bool, word: bool) {
        let sel = self.selection();
        if !sel.is_empty() {
            self.delete_range(sel);
            return;
        }
        let to = if word {
            self.word_step(self.caret, forward)
        } else {
            self.grapheme_step(self.caret, forward)
        };
        self.delete_range(CharRange::new(self.caret.min(to), self.caret.max(to)));
    }

    /// Takes the selection out and gives it (for Cut).
    pub fn cut(&mut self) -> String {
        let taken = self.selected_text().to_owned();
        self.delete_range(self.selection());
        taken
    }

    /// Undoes the field's last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        self.travel(true)
    }

    pub fn redo(&mut self) -> bool {
        self.travel(false)
    }

    /// Back to the last snapshot of the undo (or redo) history; what it replaces goes to the
    /// other one.
    fn travel(&mut self, back: bool) -> bool {
        let snapshot = if back {
            self.undo.pop()
        } else {
            self.redo.pop()
        };
        let Some(s) = snapshot else {
            return false;
        };
        let here = Snapshot {
            text: std::mem::replace(&mut self.text, s.text),
            caret: self.caret,
            anchor: self.anchor,
        };
        if back {
            self.redo.push(here);
        } else {
            self.undo.push(here);
        }
        (self.caret, self.anchor) = (s.caret, s.anchor);
        self.typing = false;
        true
    }
}

/// The affinity of a caret that moved forward (it follows what it passed) or back.
fn affinity_of(forward: bool) -> Affinity {
    if forward {
        Affinity::Upstream
    } else {
        Affinity::Downstream
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_deleting_by_grapheme_and_word_and_undo() {
        let mut e = EditState::new("");
        for s in ["حصيلة", " ", "أولية", " ", "27"] {
            e.insert(s);
        }
        assert_eq!(e.text(), "حصيلة أولية 27");
        // A letter with its haraka is one grapheme: one Backspace takes both.
        e.insert(" قَ");
        e.delete(false, false);
        assert_eq!(e.text(), "حصيلة أولية 27 ");
        e.delete(false, false);
        // Ctrl+Backspace takes the word before the caret.
        e.move_to(11, Affinity::Upstream, false);
        e.delete(false, true);
        assert_eq!(e.text(), "حصيلة  27");
        assert!(e.undo());
        assert_eq!(e.text(), "حصيلة أولية 27");
        assert!(e.redo());
        assert_eq!(e.text(), "حصيلة  27");
    }

    #[test]
    fn words_selection_cut_and_select_all() {
        let mut e = EditState::new("قتل 27 جنديا");
        e.move_to(0, Affinity::Downstream, false);
        e.move_word(true, true);
        assert_eq!(e.selected_text(), "قتل");
        e.move_word(true, true);
        assert_eq!(e.selected_text(), "قتل 27");
        assert_eq!(e.cut(), "قتل 27");
        assert_eq!(e.text(), " جنديا");
        e.select_word_at(3);
        assert_eq!(e.selected_text(), "جنديا");
        e.select_all();
        e.insert("x");
        assert_eq!(e.text(), "x");
        e.move_word(false, false);
        assert_eq!(e.caret(), 0);
    }
}
