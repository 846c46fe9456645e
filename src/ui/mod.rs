//! The window: the only place that draws. `MarsadApp` turns menus, keys, clicks, drops and
//! timers into `app::Command`s and shows the state of `app::App`: the label palette, the
//! document view, the span list with the attribute editor, prompts and errors.

pub mod document;
pub mod events;
pub mod export;
pub mod review;

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Color32, Key, KeyboardShortcut, Modifiers, RichText, Ui};
use unicode_segmentation::UnicodeSegmentation;

use crate::app::{App, Command, Prompt, Settings};
use crate::model::{AttrType, AttrValue, CharRange, LabelSchema, Status};
use crate::text::ArabicText;
use document::DocView;

/// How often unsaved work is written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);
const SETTINGS_KEY: &str = "marsad-settings";

/// The seed article, opened when there is nothing else to open.
pub fn seed_article() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles/mali-sinsgaji-jnim.json")
}

const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
const ZOOM_IN_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
const NEXT_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown);
const PREV_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp);

/// The colour of a label from the schema (`#rrggbb`), grey when it cannot be read.
pub fn label_color(schema: &LabelSchema, label: &str) -> Color32 {
    schema
        .label(label)
        .and_then(|l| Color32::from_hex(&l.color).ok())
        .unwrap_or(Color32::GRAY)
}

/// Adds the bundled Noto fonts after egui's own, so that short strings egui draws itself
/// (attribute values, file names) have glyphs. Running text is always drawn by our engine.
fn install_fallback_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes) in [
        ("noto-sans", crate::text::fonts::NOTO_SANS),
        ("noto-naskh-arabic", crate::text::fonts::NOTO_NASKH_ARABIC),
    ] {
        fonts.font_data.insert(
            name.to_owned(),
            std::sync::Arc::new(egui::FontData::from_static(bytes)),
        );
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    ctx.set_fonts(fonts);
}

/// A text field whose content is kept as a draft while it is edited; returns the new value
/// when the field loses focus with a change.
pub(crate) fn draft_field(
    ui: &mut Ui,
    drafts: &mut std::collections::HashMap<(String, String), String>,
    (span, field): (&str, &str),
    saved: &str,
    label: egui::Id,
) -> Option<String> {
    let key = (span.to_owned(), field.to_owned());
    let mut text = drafts
        .get(&key)
        .cloned()
        .unwrap_or_else(|| saved.to_owned());
    let response = ui.text_edit_singleline(&mut text).labelled_by(label);
    if response.changed() {
        drafts.insert(key.clone(), text.clone());
    }
    if response.lost_focus() {
        drafts.remove(&key);
        return (text != saved).then_some(text);
    }
    None
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Spans,
    Events,
    Review,
}

/// The eframe application.
pub struct MarsadApp {
    pub tab: SideTab,
    pub export_dialog: Option<export::ExportDialog>,
    pub import_dialog: Option<review::ImportDialog>,
    pub app: App,
    pub view: DocView,
    last_autosave: f64,
    coder_draft: String,
    show_settings: bool,
    label_filter: Option<String>,
    title: String,
    /// Text being typed into a span's string attribute or note, by (span, field), until the
    /// field loses focus.
    drafts: std::collections::HashMap<(String, String), String>,
}

impl MarsadApp {
    /// The window's state: settings from the last run, then `path` (or the last document, or
    /// the seed article) opened.
    pub fn new(cc: &eframe::CreationContext<'_>, path: Option<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        Self::with_settings(&cc.egui_ctx, settings, path)
    }

    pub fn with_settings(ctx: &egui::Context, settings: Settings, path: Option<PathBuf>) -> Self {
        install_fallback_fonts(ctx);
        ctx.set_visuals(if settings.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        let start = path.or_else(|| settings.recent.first().filter(|p| p.exists()).cloned());
        let coder_draft = settings.coder.clone();
        let mut app = App::new(settings);
        app.apply(Command::Open(start.unwrap_or_else(seed_article)));
        Self {
            tab: SideTab::Spans,
            export_dialog: None,
            import_dialog: None,
            app,
            view: DocView::default(),
            last_autosave: 0.0,
            coder_draft,
            show_settings: false,
            label_filter: None,
            title: String::new(),
            drafts: std::collections::HashMap::new(),
        }
    }

    fn run(&mut self, commands: Vec<Command>) {
        for command in commands {
            if matches!(
                command,
                Command::NewEvent | Command::SelectEvent(Some(_)) | Command::LinkRole(Some(_))
            ) {
                self.tab = SideTab::Events;
            }
            if matches!(command, Command::ImportPredictions { .. }) {
                self.tab = SideTab::Review;
            }
            if let Command::SelectSpan(Some(id)) = &command
                && let Some(span) = self.app.set().and_then(|s| s.span(id))
            {
                self.view.scroll_to = Some(span.start);
            }
            self.app.apply(command);
        }
    }

    fn open_dialog(&mut self) {
        if let Some(path) = rfd::FileDialog::new()
            .add_filter("Marsad documents and articles", &["json", "ron", "txt"])
            .pick_file()
        {
            self.run(vec![Command::Open(path)]);
        }
    }

    fn save_as_dialog(&mut self) {
        let name = self
            .app
            .session
            .as_ref()
            .and_then(|s| s.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "document.json".to_owned());
        if let Some(path) = rfd::FileDialog::new()
            .add_filter("JSON", &["json"])
            .add_filter("RON", &["ron"])
            .set_file_name(name)
            .save_file()
        {
            self.run(vec![Command::SaveAs(path)]);
        }
    }

    /// Keys that act on the document when no text field has the focus.
    fn keys(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut out = Vec::new();
        let shortcut = |s: &KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(s));
        if self.tab == SideTab::Review && !ctx.egui_wants_keyboard_input() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::N)) {
                out.push(Command::ReviewStep(true));
            }
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::P)) {
                out.push(Command::ReviewStep(false));
            }
        }
        if shortcut(&SAVE) {
            out.push(Command::Save);
        }
        // While a text field has the keyboard, its keys are its own (Ctrl+Z undoes typing).
        if ctx.egui_wants_keyboard_input() {
            return out;
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
        let labels: Vec<(String, String)> = self
            .app
            .schema()
            .labels
            .iter()
            .map(|l| (l.key.clone(), l.name.clone()))
            .collect();
        for (key, name) in labels {
            if let Some(k) = Key::from_name(&key)
                && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, k))
            {
                out.push(Command::Label(name));
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
        let text = session.doc.document.text();
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
        let bounds: Vec<usize> = if by_word {
            let mut at = 0;
            let mut b = vec![0];
            for w in text.split_word_bounds() {
                at += w.chars().count();
                if !w.trim().is_empty() {
                    b.push(at - w.chars().count());
                    b.push(at);
                }
            }
            b
        } else {
            let mut at = 0;
            std::iter::once(0)
                .chain(text.graphemes(true).map(|g| {
                    at += g.chars().count();
                    at
                }))
                .collect()
        };
        let next = if forward {
            bounds.iter().copied().find(|&b| b > focus)
        } else {
            bounds.iter().rev().copied().find(|&b| b < focus)
        }
        .unwrap_or(focus);
        self.view.anchor = Some(anchor);
        self.view.caret = next;
        Some(Command::Select(Some(CharRange::new(
            anchor.min(next),
            anchor.max(next),
        ))))
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(ui.ctx().format_shortcut(&OPEN)))
                    .clicked()
                {
                    self.open_dialog();
                }
                if ui
                    .button("Open Folder…")
                    .on_hover_text("Work through a folder of documents")
                    .clicked()
                    && let Some(dir) = rfd::FileDialog::new().pick_folder()
                {
                    commands.push(Command::Open(dir));
                }
                ui.menu_button("Open Recent", |ui| {
                    for path in self.app.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::Open(path));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text(ui.ctx().format_shortcut(&SAVE)))
                    .clicked()
                {
                    commands.push(Command::Save);
                }
                if ui.button("Save As…").clicked() {
                    self.save_as_dialog();
                }
                if ui
                    .add(
                        egui::Button::new("Export…")
                            .shortcut_text(ui.ctx().format_shortcut(&EXPORT)),
                    )
                    .on_hover_text("Training data (JSONL, spaCy, CoNLL, brat, doccano, Label Studio) or ACLED-like event rows")
                    .clicked()
                {
                    self.export_dialog = Some(export::ExportDialog::new(&self.app));
                }
                if ui
                    .button("Import Predictions…")
                    .on_hover_text("A model's output (Hugging Face, spaCy, LangExtract, Marsad) as a set to review")
                    .clicked()
                {
                    self.import_dialog = Some(review::ImportDialog::default());
                }
                ui.separator();
                if ui.button("Mark document done").clicked() {
                    commands.push(Command::SetStatus(Status::Done));
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let can_undo = self
                    .app
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history.can_undo());
                let can_redo = self
                    .app
                    .session
                    .as_ref()
                    .is_some_and(|s| s.history.can_redo());
                if ui
                    .add_enabled(
                        can_undo,
                        egui::Button::new("Undo").shortcut_text(ui.ctx().format_shortcut(&UNDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
                if ui
                    .add_enabled(
                        can_redo,
                        egui::Button::new("Redo").shortcut_text(ui.ctx().format_shortcut(&REDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Redo);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Delete span").shortcut_text("Del"))
                    .clicked()
                {
                    commands.push(Command::DeleteSpan);
                }
                if ui
                    .add(egui::Button::new("New event").shortcut_text("E"))
                    .on_hover_text("An event in your set; link spans to it in the Events tab")
                    .clicked()
                {
                    commands.push(Command::NewEvent);
                }
                if ui
                    .add_enabled(
                        self.app.linking.is_some(),
                        egui::Button::new("Stop linking").shortcut_text("Esc"),
                    )
                    .clicked()
                {
                    commands.push(Command::LinkRole(None));
                }
                if ui
                    .add(egui::Button::new("Trim proclitic").shortcut_text("T"))
                    .on_hover_text(
                        "Remove a leading و ف ب ل ك from the selection or the selected span",
                    )
                    .clicked()
                {
                    commands.push(Command::TrimProclitic);
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add(
                        egui::Button::new("Zoom in")
                            .shortcut_text(ui.ctx().format_shortcut(&ZOOM_IN)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomIn);
                }
                if ui
                    .add(
                        egui::Button::new("Zoom out")
                            .shortcut_text(ui.ctx().format_shortcut(&ZOOM_OUT)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomOut);
                }
                if ui
                    .add(
                        egui::Button::new("Actual size")
                            .shortcut_text(ui.ctx().format_shortcut(&ZOOM_RESET)),
                    )
                    .clicked()
                {
                    commands.push(Command::ZoomReset);
                }
                ui.separator();
                if ui
                    .checkbox(&mut self.app.settings.dark, "Dark theme")
                    .changed()
                {
                    ui.ctx().set_visuals(if self.app.settings.dark {
                        egui::Visuals::dark()
                    } else {
                        egui::Visuals::light()
                    });
                }
            });
            ui.menu_button("Settings", |ui| {
                if ui.button("Coder name…").clicked() {
                    self.coder_draft = self.app.settings.coder.clone();
                    self.show_settings = true;
                }
            });
        });
        self.run(commands);
    }

    fn palette(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        ui.horizontal_wrapped(|ui| {
            let labels = self.app.schema().labels.clone();
            for label in labels {
                let color = label_color(self.app.schema(), &label.name);
                let button = egui::Button::new(
                    RichText::new(format!("{}  {}", label.key, label.name))
                        .strong()
                        .color(Color32::WHITE),
                )
                .fill(color);
                let hint = format!(
                    "{} — key {}: make the selection a {} span, or relabel the selected span\n{}",
                    label.name, label.key, label.name, label.description
                );
                if ui.add(button).on_hover_text(hint).clicked() {
                    commands.push(Command::Label(label.name.clone()));
                }
                ui.add(ArabicText::new(&label.name_ar).size(16.0, 24.0).width(48.0));
                ui.add_space(8.0);
            }
            ui.separator();
            if ui
                .button("Trim proclitic")
                .on_hover_text("T: remove a leading و ف ب ل ك (only when you ask)")
                .clicked()
            {
                commands.push(Command::TrimProclitic);
            }
            ui.label(format!("coder: {}", self.app.settings.coder));
        });
        self.run(commands);
    }

    fn side_panel(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, SideTab::Spans, "Spans");
            let events = self.app.set().map_or(0, |s| s.events.len());
            ui.selectable_value(&mut self.tab, SideTab::Events, format!("Events ({events})"))
                .on_hover_text("E: new event");
            ui.selectable_value(&mut self.tab, SideTab::Review, "Review")
                .on_hover_text("Compare two sets; accept or reject differences (N / P)");
        });
        ui.separator();
        if self.tab != SideTab::Review && self.app.review.is_some() {
            self.run(vec![Command::Review(None)]);
        }
        if self.tab == SideTab::Review {
            let commands = review::show(ui, &self.app);
            self.run(commands);
            return;
        }
        if self.tab == SideTab::Events {
            let commands = events::show(ui, &self.app, &mut self.drafts, &mut self.view.emphasis);
            self.run(commands);
            return;
        }
        let mut commands = Vec::new();
        let schema = self.app.schema().clone();
        if let Some(id) = self.app.selected_span.clone()
            && let Some(span) = self.app.set().and_then(|s| s.span(&id)).cloned()
        {
            ui.heading(format!("{} {}", span.label, span.id));
            ui.add(ArabicText::new(&span.text).size(20.0, 32.0));
            ui.label(format!("{}..{}", span.start, span.end));
            if let Some(def) = schema.label(&span.label) {
                egui::Grid::new("attrs").num_columns(2).show(ui, |ui| {
                    for attr in &def.attributes {
                        let name = ui.label(&attr.name).on_hover_text(&attr.description).id;
                        let current = span.attrs.get(&attr.name);
                        let set = |value: Option<AttrValue>| Command::SetAttr {
                            span: id.clone(),
                            name: attr.name.clone(),
                            value,
                        };
                        match &attr.ty {
                            AttrType::Enum(values) => {
                                let shown = match current {
                                    Some(AttrValue::Str(s)) => s.clone(),
                                    _ => "—".to_owned(),
                                };
                                let combo = egui::ComboBox::new(("attr", &attr.name), "")
                                    .selected_text(shown)
                                    .show_ui(ui, |ui| {
                                        if ui.selectable_label(current.is_none(), "—").clicked() {
                                            commands.push(set(None));
                                        }
                                        for v in values {
                                            let on = current == Some(&AttrValue::Str(v.clone()));
                                            if ui.selectable_label(on, v).clicked() {
                                                commands.push(set(Some(AttrValue::Str(v.clone()))));
                                            }
                                        }
                                    });
                                combo.response.labelled_by(name);
                            }
                            AttrType::Bool => {
                                let mut on = current == Some(&AttrValue::Bool(true));
                                if ui.checkbox(&mut on, "").labelled_by(name).changed() {
                                    commands.push(set(Some(AttrValue::Bool(on))));
                                }
                            }
                            AttrType::Integer => {
                                let mut n = match current {
                                    Some(AttrValue::Int(n)) => *n,
                                    _ => 0,
                                };
                                ui.horizontal(|ui| {
                                    if ui
                                        .add(egui::DragValue::new(&mut n))
                                        .labelled_by(name)
                                        .changed()
                                    {
                                        commands.push(set(Some(AttrValue::Int(n))));
                                    }
                                    if current.is_some()
                                        && ui.small_button("×").on_hover_text("clear").clicked()
                                    {
                                        commands.push(set(None));
                                    }
                                });
                            }
                            AttrType::String => {
                                let saved = match current {
                                    Some(AttrValue::Str(s)) => s.clone(),
                                    _ => String::new(),
                                };
                                if let Some(s) = draft_field(
                                    ui,
                                    &mut self.drafts,
                                    (&id, &attr.name),
                                    &saved,
                                    name,
                                ) {
                                    commands
                                        .push(set((!s.is_empty()).then_some(AttrValue::Str(s))));
                                }
                            }
                        }
                        ui.end_row();
                    }
                    let name = ui.label("note").id;
                    let saved = span.note.clone().unwrap_or_default();
                    if let Some(note) =
                        draft_field(ui, &mut self.drafts, (&id, "note"), &saved, name)
                    {
                        commands.push(Command::SetNote {
                            span: id.clone(),
                            note: Some(note),
                        });
                    }
                    ui.end_row();
                });
            }
            ui.separator();
        }
        ui.horizontal(|ui| {
            ui.strong("Spans");
            egui::ComboBox::new("filter", "labels shown")
                .selected_text(
                    self.label_filter
                        .clone()
                        .unwrap_or_else(|| "all labels".to_owned()),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.label_filter, None, "all labels");
                    for l in &schema.labels {
                        ui.selectable_value(&mut self.label_filter, Some(l.name.clone()), &l.name);
                    }
                });
        });
        let spans = self.app.set().map(|s| s.spans.clone()).unwrap_or_default();
        egui::ScrollArea::vertical()
            .id_salt("span-list")
            .show(ui, |ui| {
                for span in spans
                    .iter()
                    .filter(|s| self.label_filter.as_ref().is_none_or(|f| f == &s.label))
                {
                    let selected = self.app.selected_span.as_ref() == Some(&span.id);
                    let frame = egui::Frame::new().inner_margin(4.0).fill(if selected {
                        ui.visuals().selection.bg_fill
                    } else {
                        Color32::TRANSPARENT
                    });
                    let r = frame.show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(&span.label)
                                    .color(label_color(&schema, &span.label))
                                    .strong(),
                            );
                            let attrs: Vec<String> =
                                span.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                            ui.small(attrs.join(" "));
                        });
                        ui.add(ArabicText::new(&span.text).size(18.0, 28.0));
                    });
                    if r.response.interact(egui::Sense::click()).clicked() {
                        commands.push(Command::SelectSpan(Some(span.id.clone())));
                    }
                }
            });
        self.run(commands);
    }

    /// The corpus navigator: each document with its title, status and span count.
    fn navigator(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        let Some(corpus) = &self.app.corpus else {
            return;
        };
        let current = self.app.corpus_index();
        ui.strong(
            corpus
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let done = corpus
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Done | Status::Reviewed))
            .count();
        ui.label(format!("{done} of {} done", corpus.entries.len()));
        ui.horizontal(|ui| {
            if ui.button("Previous").on_hover_text("Alt+Up").clicked() {
                commands.push(Command::PreviousDocument);
            }
            if ui.button("Next").on_hover_text("Alt+Down").clicked() {
                commands.push(Command::NextDocument);
            }
        });
        ui.horizontal(|ui| {
            if ui.button("Next not done").clicked() {
                commands.push(Command::NextNotDone);
            }
            if ui.button("Mark done").clicked() {
                commands.push(Command::SetStatus(Status::Done));
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("corpus")
            .show(ui, |ui| {
                for (i, entry) in corpus.entries.iter().enumerate() {
                    let status = match entry.status {
                        Status::NotStarted => "not started",
                        Status::InProgress => "in progress",
                        Status::Done => "done",
                        Status::Reviewed => "reviewed",
                    };
                    let fill = if Some(i) == current {
                        ui.visuals().selection.bg_fill
                    } else {
                        Color32::TRANSPARENT
                    };
                    let r = egui::Frame::new()
                        .inner_margin(4.0)
                        .fill(fill)
                        .show(ui, |ui| {
                            ui.add(ArabicText::new(&entry.title).size(16.0, 24.0));
                            match &entry.error {
                                Some(e) => {
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        "cannot be opened",
                                    )
                                    .on_hover_text(e);
                                }
                                None => {
                                    ui.small(format!("{status} · {} spans", entry.spans));
                                }
                            }
                        });
                    if r.response.interact(egui::Sense::click()).clicked() {
                        commands.push(Command::Open(entry.path.clone()));
                    }
                }
            });
        self.run(commands);
    }

    fn prompts(&mut self, ctx: &egui::Context) {
        let mut commands = Vec::new();
        match &self.app.prompt {
            Some(Prompt::Unsaved { .. }) => {
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.heading("Unsaved changes");
                    ui.label("This document has changes that are not saved.");
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            commands.push(Command::SaveThenContinue);
                        }
                        if ui.button("Discard changes").clicked() {
                            commands.push(Command::DiscardChanges);
                        }
                        if ui.button("Cancel").clicked() {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            Some(Prompt::Conflict { .. }) => {
                egui::Modal::new(egui::Id::unique("conflict")).show(ctx, |ui| {
                    ui.heading("The file changed on disk");
                    ui.label("Someone or something changed this file since you opened it. Overwrite it with your version?");
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite").clicked() {
                            commands.push(Command::Overwrite);
                        }
                        if ui.button("Cancel").clicked() {
                            commands.push(Command::CancelPrompt);
                        }
                    });
                });
            }
            Some(Prompt::Recovery { .. }) => {
                egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                    ui.heading("Unsaved work found");
                    ui.label("Marsad did not close properly last time. Restore the unsaved annotations of this document?");
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            commands.push(Command::RestoreRecovery);
                        }
                        if ui.button("Discard").clicked() {
                            commands.push(Command::DiscardRecovery);
                        }
                    });
                });
            }
            None => {}
        }
        if let Some(dialog) = &mut self.export_dialog {
            let mut result = (None, false);
            egui::Modal::new(egui::Id::unique("export-dialog")).show(ctx, |ui| {
                result = dialog.show(ui, &self.app);
            });
            let (command, close) = result;
            commands.extend(command);
            if close {
                self.export_dialog = None;
            }
        }
        if let Some(dialog) = &mut self.import_dialog {
            let mut result = (None, false);
            egui::Modal::new(egui::Id::unique("import-dialog")).show(ctx, |ui| {
                result = dialog.show(ui);
            });
            let (command, close) = result;
            commands.extend(command);
            if close {
                self.import_dialog = None;
            }
        }
        if self.show_settings {
            egui::Modal::new(egui::Id::unique("settings")).show(ctx, |ui| {
                let name = ui.heading("Coder name").id;
                ui.text_edit_singleline(&mut self.coder_draft)
                    .labelled_by(name);
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() {
                        commands.push(Command::SetCoder(self.coder_draft.clone()));
                        self.show_settings = false;
                    }
                    if ui.button("Cancel").clicked() {
                        self.show_settings = false;
                    }
                });
            });
        }
        self.run(commands);
    }
}

impl eframe::App for MarsadApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        // Files dropped on the window.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.run(vec![Command::Open(path)]);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN)) {
            self.open_dialog();
        }
        if ctx.input_mut(|i| i.consume_shortcut(&EXPORT)) && self.export_dialog.is_none() {
            self.export_dialog = Some(export::ExportDialog::new(&self.app));
        }
        self.view.emphasis.clear();
        self.app.poll_export();
        if self.app.export.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(at) = self.app.scroll_to.take() {
            self.view.scroll_to = Some(at);
        }
        if self.app.prompt.is_none() && self.export_dialog.is_none() && self.import_dialog.is_none()
        {
            let commands = self.keys(&ctx);
            self.run(commands);
        }
        // Closing with unsaved changes asks first; once answered, the window closes.
        if ctx.input(|i| i.viewport().close_requested()) && !self.app.quit {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.run(vec![Command::Quit]);
        }
        if self.app.quit {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let now = ctx.input(|i| i.time);
        if now - self.last_autosave >= AUTOSAVE_EVERY.as_secs_f64() {
            self.last_autosave = now;
            self.run(vec![Command::Autosave]);
        }
        ctx.request_repaint_after(AUTOSAVE_EVERY);
        let title = self.app.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("palette").show(ui, |ui| self.palette(ui));
        let message = self
            .app
            .error
            .clone()
            .map(|e| (e, true))
            .or_else(|| self.app.status.clone().map(|s| (s, false)));
        if let Some(job) = &self.app.export {
            let (done, total) = (job.done(), job.total.max(1));
            let mut cancel = false;
            egui::Panel::bottom("export-progress").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!("Exporting to {}", job.out.display()));
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total as f32)
                            .text(format!("{done} of {} documents", job.total))
                            .desired_width(240.0),
                    );
                    cancel = ui.button("Cancel").clicked();
                });
            });
            if cancel {
                self.run(vec![Command::CancelExport]);
            }
        }
        if let Some((message, is_error)) = message {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    let text = RichText::new(&message);
                    ui.label(if is_error {
                        text.color(ui.visuals().error_fg_color)
                    } else {
                        text
                    });
                    if ui.small_button("×").on_hover_text("dismiss").clicked() {
                        self.app.error = None;
                        self.app.status = None;
                    }
                });
            });
        }
        if self.app.corpus.is_some() {
            egui::Panel::left("corpus")
                .resizable(true)
                .default_size(240.0)
                .show(ui, |ui| self.navigator(ui));
        }
        egui::Panel::right("spans")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| self.side_panel(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| {
            let commands = self.view.show(ui, &self.app);
            self.run(commands);
        });
        self.prompts(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.app.settings);
    }
}

/// Opens the window on `path` (or the last document, or the seed article).
pub fn run(path: Option<PathBuf>) -> std::process::ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Marsad")
            .with_inner_size([1280.0, 820.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    match eframe::run_native(
        "Marsad",
        options,
        Box::new(move |cc| Ok(Box::new(MarsadApp::new(cc, path)))),
    ) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
