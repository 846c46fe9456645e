//! The keyboard: the shortcuts (also shown in the menus) and the keys that act on the document
//! when no text field has the focus — label keys, Delete, T, E, R, Esc, N/P in a review; the
//! caret's keys are in [`super::caret`].

use super::{MarsadApp, SideTab};
use crate::app::Command;
use egui::{Key, KeyboardShortcut, Modifiers};

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
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const LABEL_ALL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);
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
        if shortcut(&LABEL_ALL) {
            self.open_label_all(self.app.selected_span.clone());
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
        let current = super::document::current_suggestion(&self.app, self.view.caret)
            .and_then(|i| self.app.suggestions.get(i).cloned());
        let selected = self.app.selected_span.is_some() || self.app.selected_relation.is_some();
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete)) {
            out.push(Command::DeleteSpan);
        }
        // Backspace deletes what is selected, else rejects the current suggestion; Enter
        // accepts it (while no relation is being made).
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Backspace)) {
            match (&current, selected) {
                (Some(s), false) => {
                    self.view.caret = s.range.end;
                    out.push(Command::RejectSuggestion(s.clone()));
                }
                _ => out.push(Command::DeleteSpan),
            }
        }
        if self.app.relating.is_none()
            && let Some(s) = current
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
        {
            self.view.caret = s.range.end;
            out.push(Command::AcceptSuggestion(s));
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
        // Esc in the find bar's field (egui lets go of the field first): the bar closes, the
        // match stays selected.
        if self.app.find.is_some() && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            out.push(Command::FindClose);
            return out;
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            out.push(Command::Select(None));
            out.push(Command::SelectSpan(None));
        }
        out.extend(self.caret_keys(ctx));
        out
    }
}
