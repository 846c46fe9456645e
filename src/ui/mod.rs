//! The window: the only place that draws. `MarsadApp` turns menus, keys, clicks, drops and
//! timers into `app::Command`s and shows the state of `app::App`. One file per screen or panel:
//!
//! | file | draws |
//! |---|---|
//! | `menu.rs` | the menu bar and the file dialogs |
//! | `palette.rs` | the label palette |
//! | `document.rs` | the article, its spans and the selection |
//! | `spans.rs` | the span list |
//! | `attributes.rs` | the selected span's attributes and note |
//! | `events.rs` | the event cards |
//! | `corpus_events.rs` | the corpus's events, reconciled, and the reports found elsewhere |
//! | `review.rs` | the Review tab |
//! | `navigator.rs` | the corpus navigator |
//! | `team.rs` | the Team tab: progress per coder (table and bar chart), what is ready |
//! | `conflicts.rs` | the merge-conflict bar above the text |
//! | `prompts.rs` | the questions and dialogs above the window |
//! | `export.rs`, `import.rs` | the export and import dialogs |
//! | `keys.rs` | the shortcuts and document keys |
//! | `theme.rs` | label colours, visuals, fonts |
//!
//! Autosave, export results and the folder's background reading run in `logic()`, which
//! eframe calls even while the window is hidden.

pub mod agreement;
pub mod attributes;
pub mod caret;
pub mod conflicts;
pub mod corpus_events;
pub mod document;
pub mod events;
pub mod export;
pub mod files;
pub mod find;
pub mod i18n;
pub mod import;
pub mod import_corpus;
pub mod keys;
pub mod label_all;
pub mod menu;
pub mod navigator;
pub mod palette;
pub mod prompts;
pub mod review;
pub mod spans;
pub mod startup;
pub mod team;
pub mod theme;

use std::path::PathBuf;

use i18n::tr;
use std::time::Duration;

use egui::{RichText, Ui};

use crate::app::{App, Command, Settings};
use document::DocView;

/// How often unsaved work is written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);
const SETTINGS_KEY: &str = "marsad-settings";

/// The seed article, opened when there is nothing else to open: a copy in the user's data
/// folder (made on first run), so that saving it never writes into the program's files.
pub fn seed_article() -> PathBuf {
    let dir = eframe::storage_dir("Marsad")
        .unwrap_or_else(std::env::temp_dir)
        .join("samples");
    // When it cannot be written, opening it names the folder and why.
    crate::store::recovery::seed_article_in(&dir)
        .unwrap_or_else(|_| dir.join("mali-sinsgaji-jnim.json"))
}

/// A row of the interface: left to right in English, from the right in Arabic (wrapping when
/// `wrap`). It takes the height its contents need, never the rest of the panel.
pub fn row<R>(ui: &mut Ui, lang: i18n::Lang, wrap: bool, add: impl FnOnce(&mut Ui) -> R) -> R {
    match (lang.is_rtl(), wrap) {
        (false, false) => ui.horizontal(add).inner,
        (false, true) => ui.horizontal_wrapped(add).inner,
        (true, _) => {
            let size = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
            let layout = egui::Layout::right_to_left(egui::Align::Center).with_main_wrap(wrap);
            ui.allocate_ui_with_layout(size, layout, add).inner
        }
    }
}

/// What a file chosen in a dialog is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Chosen {
    Open,
    SaveAs,
    ExportTarget,
    Predictions,
    /// An input of File ▸ Import Corpus… (added to its list).
    CorpusInput,
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Spans,
    Events,
    Review,
    Team,
}

/// The eframe application.
pub struct MarsadApp {
    pub tab: SideTab,
    pub export_dialog: Option<export::ExportDialog>,
    /// The export dialog's choices when it was last closed.
    last_export: Option<export::ExportDialog>,
    /// The language the text styles were last sized for.
    styled_for: Option<i18n::Lang>,
    /// Our own file browser, when no portal answers, and what its choice is for.
    pub browser: Option<(files::Browser, Chosen)>,
    pub import_dialog: Option<import::ImportDialog>,
    pub corpus_dialog: Option<import_corpus::CorpusDialog>,
    pub app: App,
    pub view: DocView,
    last_autosave: f64,
    coder_draft: String,
    show_settings: bool,
    /// The coder-name field is to take the focus (the dialog just opened).
    coder_focus: bool,
    label_filter: Option<String>,
    title: String,
    /// Text being typed into a span's string attribute or note, by (span, field), until the
    /// field loses focus.
    drafts: attributes::Drafts,
    /// The label colours of the open document's schema.
    palette: theme::Palette,
    /// Grapheme and word boundaries of the open text, for the caret's keys.
    boundaries: Option<caret::Boundaries>,
    /// The find bar's query field.
    find_bar: find::FindBar,
    /// The review difference whose row was last scrolled into view.
    review_focus: Option<crate::review::DiffKey>,
    /// The team's progress, worked out once per change of the folder.
    team_cache: team::Cache,
    /// When the user last touched the window (egui's clock), and the frame before this one.
    last_input: f64,
    last_frame: Option<f64>,
    /// Tells the start-up benchmark when the text is first on screen.
    startup: startup::Probe,
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
        theme::install_fallback_fonts(ctx);
        ctx.set_visuals(theme::visuals(settings.dark));
        let start = path.or_else(|| {
            settings
                .recent
                .first()
                .filter(|p| crate::store::recovery::exists(p))
                .cloned()
        });
        let coder_draft = settings.coder.clone();
        let mut app = App::new(settings);
        app.apply(Command::Open(start.unwrap_or_else(seed_article)));
        let palette = theme::Palette::of(app.schema());
        Self {
            tab: SideTab::Spans,
            export_dialog: None,
            last_export: None,
            browser: None,
            styled_for: None,
            import_dialog: None,
            corpus_dialog: None,
            app,
            view: DocView::default(),
            last_autosave: 0.0,
            coder_draft,
            show_settings: false,
            coder_focus: false,
            label_filter: None,
            title: String::new(),
            drafts: attributes::Drafts::new(),
            palette,
            boundaries: None,
            find_bar: find::FindBar::default(),
            review_focus: None,
            team_cache: None,
            last_input: 0.0,
            last_frame: None,
            startup: startup::Probe::from_env(),
        }
    }

    /// Asks for a file or folder for `purpose`, starting at `start`: the system's dialog when
    /// a portal answers, else our own browser (its answer comes in a later frame).
    pub(super) fn choose(&mut self, purpose: files::Purpose, start: PathBuf, then: Chosen) {
        if files::portal_available() {
            if let Some(path) = files::system_dialog(&purpose, &start) {
                self.chosen(then, path);
            }
        } else {
            self.browser = Some((files::Browser::new(purpose, &start), then));
        }
    }

    /// What a chosen path does.
    fn chosen(&mut self, then: Chosen, path: PathBuf) {
        match then {
            Chosen::Open => self.run(vec![Command::Open(path)]),
            Chosen::SaveAs => self.run(vec![Command::SaveAs(path)]),
            Chosen::ExportTarget => {
                if let Some(d) = &mut self.export_dialog {
                    d.out = path.display().to_string();
                }
            }
            Chosen::Predictions => {
                if let Some(d) = &mut self.import_dialog {
                    d.chosen(&path);
                }
            }
            Chosen::CorpusInput => {
                if let Some(d) = &mut self.corpus_dialog {
                    d.chosen(&path);
                }
            }
        }
    }

    /// Where a new file dialog starts: beside the open document, else the working folder.
    fn start_folder(&self) -> PathBuf {
        self.app
            .session
            .as_ref()
            .and_then(|s| s.path.parent().map(std::path::Path::to_owned))
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Arabic chrome at a size its script reads at (Naskh at egui's 12.5 px is too small),
    /// set when the language changes.
    fn fit_text_to_language(&mut self, ctx: &egui::Context) {
        let lang = self.app.settings.language;
        if self.styled_for == Some(lang) {
            return;
        }
        self.styled_for = Some(lang);
        let scale = if lang.is_rtl() { 1.25 } else { 1.0 };
        let defaults = egui::Style::default().text_styles;
        ctx.all_styles_mut(|style| {
            for (text_style, font) in style.text_styles.iter_mut() {
                if let Some(base) = defaults.get(text_style) {
                    font.size = base.size * scale;
                }
            }
        });
    }

    /// The export dialog, with the choices it had when last closed.
    pub(super) fn open_export_dialog(&mut self) {
        let dialog = match self.last_export.clone() {
            Some(last) => last.reopened(&self.app),
            None => export::ExportDialog::new(&self.app),
        };
        self.export_dialog = Some(dialog);
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
            self.app.apply(command);
        }
    }

    /// The right-hand panel: the tabs, then the span list with the attribute editor, the
    /// event cards, or the review.
    fn side_panel(&mut self, ui: &mut Ui) {
        row(ui, self.app.settings.language, false, |ui| {
            let lang = self.app.settings.language;
            ui.selectable_value(&mut self.tab, SideTab::Spans, tr(lang, "Spans"));
            let events = self.app.set().map_or(0, |s| s.events.len());
            let named = i18n::shown(
                lang,
                format!("{} ({events})", i18n::tr_logical(lang, "Events")),
            );
            ui.selectable_value(&mut self.tab, SideTab::Events, named)
                .on_hover_text("E: new event");
            ui.selectable_value(&mut self.tab, SideTab::Review, tr(lang, "Review"))
                .on_hover_text("Compare two sets; accept or reject differences (N / P)");
            if self.app.corpus.is_some() {
                ui.selectable_value(&mut self.tab, SideTab::Team, tr(lang, "Team"))
                    .on_hover_text("Where the team stands: assigned, in progress, done, time");
            }
        });
        ui.separator();
        if self.tab != SideTab::Review && self.app.review.is_some() {
            self.run(vec![Command::Review(None)]);
        }
        let commands = match self.tab {
            SideTab::Team => self.team_tab(ui),
            SideTab::Review => review::show(
                ui,
                &self.app,
                &self.palette,
                &mut self.review_focus,
                &mut self.view.unified,
            ),
            SideTab::Events => {
                self.app.refresh_event_index();
                let mut commands = events::show(
                    ui,
                    &self.app,
                    &self.palette,
                    &mut self.drafts,
                    &mut self.view.emphasis,
                );
                commands.extend(corpus_events::show(ui, &self.app));
                commands
            }
            SideTab::Spans => {
                let mut commands = attributes::show(ui, &self.app, &mut self.drafts);
                if self.app.selected_span.is_some() {
                    ui.separator();
                }
                let picked = spans::show(ui, &self.app, &self.palette, &mut self.label_filter);
                // A span picked in the list is brought into view; one clicked in the text is
                // where the mouse is already, so the text stays put.
                for c in &picked {
                    if let Command::SelectSpan(Some(id)) = c
                        && let Some(span) = self.app.set().and_then(|s| s.span(id))
                    {
                        self.view.scroll_to = Some(span.start);
                    }
                }
                commands.extend(picked);
                commands
            }
        };
        self.run(commands);
    }
}

impl MarsadApp {
    /// Active coding time: the time between two frames counts while the window has the focus,
    /// up to a minute after the user last touched it.
    fn count_active_time(&mut self, ctx: &egui::Context) {
        let (now, touched, focused) = ctx.input(|i| {
            let touched = !i.events.is_empty() || i.pointer.is_moving();
            (i.time, touched, i.viewport().focused.unwrap_or(true))
        });
        if let Some(before) = self.last_frame
            && focused
        {
            let until = now.min(self.last_input + crate::app::team::ACTIVE_WINDOW_SECONDS);
            self.app.add_active_time(until - before);
        }
        if touched {
            self.last_input = now;
        }
        self.last_frame = Some(now);
    }
}

impl eframe::App for MarsadApp {
    /// Runs every frame, and also while the window is hidden: finished exports, the folder's
    /// background reading, and the recovery file every 30 s.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.app.poll();
        if self.app.export.is_some() || self.app.sync.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self
            .app
            .corpus
            .as_ref()
            .is_some_and(|c| c.loading().is_some())
        {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        let now = ctx.input(|i| i.time);
        if now - self.last_autosave >= AUTOSAVE_EVERY.as_secs_f64() {
            self.last_autosave = now;
            self.run(vec![Command::Autosave]);
        }
        ctx.request_repaint_after(AUTOSAVE_EVERY);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.count_active_time(&ctx);
        self.palette.refresh(self.app.schema());
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
        if ctx.input_mut(|i| i.consume_shortcut(&keys::OPEN)) {
            self.open_dialog();
        }
        if ctx.input_mut(|i| i.consume_shortcut(&keys::FIND)) {
            self.open_find();
        }
        if ctx.input_mut(|i| i.consume_shortcut(&keys::EXPORT)) && self.export_dialog.is_none() {
            self.open_export_dialog();
        }
        self.view.emphasis.clear();
        if let Some(at) = self.app.scroll_to.take() {
            self.view.scroll_to = Some(at);
        }
        if self.app.prompt.is_none()
            && self.export_dialog.is_none()
            && self.import_dialog.is_none()
            && self.corpus_dialog.is_none()
            && self.app.relation_choice.is_none()
            && self.app.label_all.is_none()
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
        let title = self.app.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        self.fit_text_to_language(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::top("palette").show(ui, |ui| self.palette(ui));
        if self.app.find.is_some() {
            egui::Panel::top("find").show(ui, |ui| self.find_bar(ui));
        }
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
                let lang = self.app.settings.language;
                row(ui, lang, false, |ui| {
                    // In Arabic, each line in the order egui draws it.
                    let message: Vec<String> = message
                        .lines()
                        .map(|l| i18n::shown(lang, l.to_owned()))
                        .collect();
                    let text = RichText::new(message.join("\n"));
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
        // The side panels swap in an Arabic interface: the folder on the right, the spans
        // and the review on the left.
        let rtl = self.app.settings.language.is_rtl();
        let side = |id: &'static str, start: bool| {
            if start != rtl {
                egui::Panel::left(id)
            } else {
                egui::Panel::right(id)
            }
        };
        if self.app.corpus.is_some() {
            side("corpus", true)
                .resizable(true)
                .default_size(240.0)
                .show(ui, |ui| self.navigator(ui));
        }
        side("spans", false)
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| self.side_panel(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| {
            if self
                .app
                .session
                .as_ref()
                .is_some_and(|s| s.doc.sets.iter().any(|x| !x.conflicts.is_empty()))
                && !self.app.conflicts().is_empty()
            {
                self.conflict_bar(ui);
                ui.separator();
            }
            let commands = self.view.show(ui, &self.app, &self.palette);
            self.run(commands);
        });
        self.prompts(&ctx);
        self.label_all_dialog(&ctx);
        self.startup.frame(&ctx, self.view.origin.is_some());
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
