//! The annotation window driven like a coder drives it, with egui_kittest: the real app as
//! `main` builds it, on temp copies of the samples; drags, key presses and clicks; then the
//! saved file is read back from disk.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marsad::app::{Command, Prompt, Settings};
use marsad::model::{AttrValue, CharRange, LabelSchema};
use marsad::ui::MarsadApp;

/// A temp copy of the sample articles.
fn samples() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles");
    for entry in std::fs::read_dir(src).expect("samples") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let seed = dir.path().join("mali-sinsgaji-jnim.json");
    (dir, seed)
}

fn window(path: &Path, coder: &str) -> Harness<'static, MarsadApp> {
    let path = path.to_owned();
    let coder = coder.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_eframe(move |cc| {
            MarsadApp::with_settings(
                &cc.egui_ctx,
                Settings {
                    coder,
                    ..Settings::default()
                },
                Some(path),
            )
        });
    harness.run();
    harness
}

/// A document of coder-a's written from span notation as `dir/name.json`.
fn notation_doc(dir: &Path, name: &str, marked: &str) -> PathBuf {
    let doc = marsad::model::notation::parse(marked)
        .expect("notation")
        .to_document(name, "coder-a");
    let path = dir.join(format!("{name}.json"));
    marsad::store::save(&path, &doc).expect("save");
    path
}

/// The open document's text and metadata.
fn open_doc<'h>(harness: &'h Harness<'_, MarsadApp>) -> &'h marsad::model::Document {
    &harness
        .state()
        .app
        .session
        .as_ref()
        .expect("open")
        .doc
        .document
}

/// How many characters the open document's text has.
fn text_len(harness: &Harness<'_, MarsadApp>) -> usize {
    open_doc(harness).char_len()
}

/// The middle of the first screen rectangle of a range of the open document.
fn middle_of(harness: &Harness<'_, MarsadApp>, range: CharRange) -> (Pos2, Pos2) {
    let state = harness.state();
    let rects = state.view.screen_rects(&harness.ctx, &state.app, range);
    let r = rects.first().copied().expect("the range is on screen");
    // From a little inside the right edge to a little inside the left edge: right to left.
    (
        egui::pos2(r.max.x - 2.0, r.center().y),
        egui::pos2(r.min.x + 2.0, r.center().y),
    )
}

/// The current coder's span `id`, as the window's state holds it.
fn span(harness: &Harness<'_, MarsadApp>, id: &str) -> Option<marsad::model::Span> {
    harness.state().app.set().and_then(|s| s.span(id)).cloned()
}

fn find(harness: &Harness<'_, MarsadApp>, word: &str) -> CharRange {
    let text = open_doc(harness).text().to_owned();
    let byte = text.find(word).expect("word");
    let start = text[..byte].chars().count();
    CharRange::new(start, start + word.chars().count())
}

/// With the keyboard only: select the first word (Ctrl+Shift+Left, right to left) and press 1.
/// Makes the first word an ACTOR span and clicks into its note; gives the span's id.
fn new_actor_in_its_note(harness: &mut Harness<'_, MarsadApp>) -> String {
    first_word_as_actor(harness);
    let id = harness
        .state()
        .app
        .selected_span
        .clone()
        .expect("the new span is selected");
    harness.get_by_label("note").click();
    harness.run();
    id
}

/// Lets a running export finish (five seconds at the most).
fn wait_for_export(harness: &mut Harness<'_, MarsadApp>) {
    for _ in 0..500 {
        if harness.state().app.export.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.run();
    }
}

fn first_word_as_actor(harness: &mut Harness<'_, MarsadApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press(Key::Num1);
    harness.run();
}

fn drag(harness: &mut Harness<'_, MarsadApp>, from: Pos2, to: Pos2) {
    harness.drag_at(from);
    harness.run();
    let steps = 5;
    for i in 1..=steps {
        let t = i as f32 / steps as f32;
        harness.hover_at(from + (to - from) * t);
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
}

#[test]
fn select_label_relabel_edit_undo_redo_save() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    let word = find(&harness, "سينغاجي");
    let (from, to) = middle_of(&harness, word);
    drag(&mut harness, from, to);
    assert_eq!(
        harness.state().app.selection,
        Some(word),
        "the drag selects the word"
    );

    harness.key_press(Key::Num1);
    harness.run();
    let new = harness
        .state()
        .app
        .set()
        .and_then(|s| s.spans.first())
        .expect("a new span")
        .clone();
    assert_eq!((new.range(), new.label.as_str()), (word, "ACTOR"));
    assert!(harness.state().app.title().ends_with(" •"));

    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(
        span(&harness, &new.id).map(|s| s.label),
        Some("PLACE".into())
    );

    // The attribute editor: open the "level" list and pick LOCALITY.
    harness.get_by_label("level").click();
    harness.run();
    harness.get_by_label("LOCALITY").click();
    harness.run();
    assert_eq!(
        span(&harness, &new.id).and_then(|s| s.attrs.get("level").cloned()),
        Some(AttrValue::Str("LOCALITY".into()))
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        span(&harness, &new.id).expect("span").attrs.is_empty(),
        "undo"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(!harness.state().app.title().ends_with(" •"), "saved");

    let saved = marsad::store::load(&seed, LabelSchema::builtin()).expect("the saved file");
    let on_disk = saved
        .set("coder-b")
        .and_then(|s| s.span(&new.id))
        .expect("span on disk");
    assert_eq!((on_disk.start, on_disk.end), (word.start, word.end));
    assert_eq!(on_disk.label, "PLACE");
    assert_eq!(on_disk.text, "سينغاجي");
    assert_eq!(on_disk.attrs["level"], AttrValue::Str("LOCALITY".into()));
    assert_eq!(
        saved.set("coder-a").map(|s| s.spans.len()),
        Some(88),
        "the other coder's work is kept"
    );
}

#[test]
fn a_span_made_with_the_keyboard_only() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    // From the start of the text, Ctrl+Shift+Left takes the first word (right to left: the
    // word on the right), then 1 makes it an ACTOR.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().app.selection, Some(CharRange::new(0, 5)));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    assert_eq!(
        harness.state().app.selection,
        Some(CharRange::new(0, 4)),
        "one grapheme back"
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press(Key::Num1);
    harness.run();
    let span = harness
        .state()
        .app
        .set()
        .and_then(|s| s.spans.first())
        .expect("span")
        .clone();
    assert_eq!(
        (span.text.as_str(), span.label.as_str()),
        ("جماعة", "ACTOR")
    );
}

#[test]
fn unsaved_changes_are_asked_about_before_opening_another_document() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    first_word_as_actor(&mut harness);
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().join("chad-lake-boko-haram.json")));
    harness.run();
    assert!(matches!(
        harness.state().app.prompt,
        Some(Prompt::Unsaved { .. })
    ));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().app.prompt.is_none());
    assert_eq!(
        harness.state().app.session.as_ref().expect("open").path,
        seed
    );
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().join("chad-lake-boko-haram.json")));
    harness.run();
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert!(
        harness
            .state()
            .app
            .session
            .as_ref()
            .expect("open")
            .path
            .ends_with("chad-lake-boko-haram.json")
    );
}

#[test]
fn an_invalid_file_shows_an_error_and_keeps_the_document() {
    let (dir, seed) = samples();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"format\": \"marsad/1\",").expect("write");
    let mut harness = window(&seed, "coder-b");
    harness.state_mut().app.apply(Command::Open(bad));
    harness.run();
    let error = harness.state().app.error.clone().expect("an error");
    assert!(error.contains("broken.json"), "{error}");
    harness.get_by_label_contains("broken.json");
    assert_eq!(
        harness.state().app.session.as_ref().expect("open").path,
        seed
    );
}

#[test]
fn recovery_after_a_crash_and_the_on_disk_conflict_prompt() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    first_word_as_actor(&mut harness);
    harness.state_mut().app.apply(Command::Autosave);
    drop(harness); // a crash: nothing saved

    let mut harness = window(&seed, "coder-b");
    assert!(matches!(
        harness.state().app.prompt,
        Some(Prompt::Recovery { .. })
    ));
    harness.get_by_label("Restore").click();
    harness.run();
    assert_eq!(
        harness.state().app.set().map(|s| s.spans.len()),
        Some(1),
        "the lost span is back"
    );

    // Someone else saves the file meanwhile: saving asks instead of overwriting.
    let theirs = std::fs::read_to_string(&seed).expect("read") + "\n";
    std::fs::write(&seed, &theirs).expect("write");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(matches!(
        harness.state().app.prompt,
        Some(Prompt::Conflict { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&seed).expect("read"),
        theirs,
        "not overwritten"
    );
    harness.get_by_label("Overwrite").click();
    harness.run();
    let saved = marsad::store::load(&seed, LabelSchema::builtin()).expect("saved");
    assert_eq!(saved.set("coder-b").map(|s| s.spans.len()), Some(1));
}

#[test]
fn a_folder_opens_the_navigator_and_alt_down_moves_on() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().to_owned()));
    harness.run();
    let first = harness
        .state()
        .app
        .session
        .as_ref()
        .expect("open")
        .path
        .clone();
    assert!(
        first.ends_with("burkina-djibo-convoy.json"),
        "the first document not done: {first:?}"
    );
    assert_eq!(
        harness.state().app.corpus.as_ref().map(|c| c.entries.len()),
        Some(6)
    );
    // Mark done saves and moves on to the next document not done.
    harness.get_by_label("Mark done").click();
    harness.run();
    assert!(!harness.state().app.is_modified(), "saved");
    let second = harness
        .state()
        .app
        .session
        .as_ref()
        .expect("open")
        .path
        .clone();
    assert!(second.ends_with("chad-lake-boko-haram.json"), "{second:?}");
    let entries = &harness.state().app.corpus.as_ref().expect("corpus").entries;
    assert_eq!(entries[0].status, marsad::model::Status::Done);
    harness.get_by_label_contains("1 of 6 done");
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    harness.run();
    assert_eq!(
        harness.state().app.session.as_ref().expect("open").path,
        first
    );
    // On the done document: Mark not done; pressing Mark done twice changes nothing twice.
    let on_disk = std::fs::read(&first).expect("read");
    press(&mut harness, "Mark not done");
    assert_eq!(
        harness.state().app.set().map(|s| s.status),
        Some(marsad::model::Status::InProgress)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(!harness.state().app.is_modified(), "back as saved");
    assert_eq!(std::fs::read(&first).expect("read"), on_disk);
    // Ctrl+Enter on a document already done: nothing to save, no change, and (the setting
    // off) it stays.
    harness.state_mut().app.settings.next_after_done = false;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    assert!(
        !harness.state().app.is_modified(),
        "no edit for the same status"
    );
    assert_eq!(
        harness.state().app.session.as_ref().expect("open").path,
        first
    );
}

#[test]
fn typing_a_note_keeps_every_key_and_ctrl_z_stays_in_the_field() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    let id = new_actor_in_its_note(&mut harness);
    harness.get_by_label("note").type_text("مصدر محلي");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let note = span(&harness, &id).and_then(|s| s.note);
    assert_eq!(
        note.as_deref(),
        Some("مصدر محلي"),
        "every key typed is kept"
    );
    // Ctrl+Z while typing belongs to the field: the document's edits are not undone.
    harness.get_by_label("note").click();
    harness.run();
    harness.get_by_label("note").type_text(" جدا");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let still = span(&harness, &id);
    assert_eq!(
        still.and_then(|s| s.note).as_deref(),
        Some("مصدر محلي"),
        "the note edit was not undone"
    );
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_on_the_window_opens() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    let chad = dir.path().join("chad-lake-boko-haram.json");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(chad.clone())));
    harness.run();
    assert_eq!(
        harness.state().app.session.as_ref().expect("open").path,
        chad
    );
}

fn click(harness: &mut Harness<'_, MarsadApp>, at: Pos2, times: usize, modifiers: Modifiers) {
    harness.hover_at(at);
    harness.run();
    for _ in 0..times {
        for pressed in [true, false] {
            harness.event_modifiers(
                egui::Event::PointerButton {
                    pos: at,
                    button: egui::PointerButton::Primary,
                    pressed,
                    modifiers,
                },
                modifiers,
            );
            harness.step();
        }
    }
    harness.run();
}

#[test]
fn shift_click_extends_the_selection() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    assert_eq!(
        harness.state().app.selection,
        Some(CharRange::new(0, 5)),
        "جماعة"
    );
    // Shift+click just inside the right edge of تتبنى: the selection now ends where it starts.
    let target = find(&harness, "تتبنى");
    let (right_edge, _) = middle_of(&harness, CharRange::new(target.start, target.start + 1));
    click(
        &mut harness,
        right_edge - egui::vec2(0.5, 0.0),
        1,
        Modifiers::SHIFT,
    );
    assert_eq!(
        harness.state().app.selection,
        Some(CharRange::new(0, target.start))
    );
}

/// A document of `name` with coder-a's spans from `a` and a model's (named `model`) from `b`,
/// both in span notation over the same text.
fn coder_and_model(dir: &Path, name: &str, a: &str, b: &str) -> PathBuf {
    let mut doc = marsad::model::notation::parse(a)
        .expect("notation A")
        .to_document(name, "coder-a");
    let mut model = marsad::model::notation::parse(b)
        .expect("notation B")
        .to_document(name, "model")
        .sets
        .remove(0);
    model.source = marsad::model::Source::Model {
        name: "model".into(),
        version: Some("2".into()),
    };
    doc.sets.push(model);
    let path = dir.join(format!("{name}.json"));
    marsad::store::save(&path, &doc).expect("save");
    path
}

/// The window on `path` for coder-a, with the Review tab opened by its shortcut (Ctrl+3).
fn review_window(path: &Path) -> Harness<'static, MarsadApp> {
    let mut harness = window(path, "coder-a");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    harness
}

/// Clicks the widget labelled `label` and lets the window settle.
fn press(harness: &mut Harness<'_, MarsadApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

/// A small document of coder-a's, written from span notation.
fn small_document(dir: &Path) -> PathBuf {
    notation_doc(
        dir,
        "small",
        "[ACTOR kind=REBEL|جماعة نصرة الإسلام] هاجمت [ACTOR kind=STATE|الجيش] في [PLACE level=ADMIN1|سيكاسو]",
    )
}

fn click_span(harness: &mut Harness<'_, MarsadApp>, id: &str) {
    let range = span(harness, id).expect("span").range();
    let (from, to) = middle_of(harness, range);
    let at = from + (to - from) * 0.5;
    harness.hover_at(at);
    harness.run();
    harness.drag_at(at);
    harness.run();
    harness.drop_at(at);
    harness.run();
}

#[test]
fn an_event_is_made_with_keys_and_clicks_and_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    harness.key_press(Key::E);
    harness.run();
    assert_eq!(harness.state().app.selected_event.as_deref(), Some("e1"));
    assert_eq!(harness.state().tab, marsad::ui::SideTab::Events);
    // Arm a role, then click spans in the text.
    harness.get_by_label("perpetrators").click();
    harness.run();
    click_span(&mut harness, "s1");
    harness.get_by_label("targets").click();
    harness.run();
    click_span(&mut harness, "s2");
    harness.get_by_label("places").click();
    harness.run();
    click_span(&mut harness, "s3");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().app.linking, None, "Esc stops linking");
    // Type and sub-type from the ACLED vocabulary, then a date typed in.
    harness.get_by_label("type").click();
    harness.run();
    harness.get_by_label("Violence against civilians").click();
    harness.run();
    harness.get_by_label("sub-type").click();
    harness.run();
    harness.get_by_label("Attack").click();
    harness.run();
    harness.get_by_label("date").click();
    harness.run();
    harness.get_by_label("date").type_text("2023-01-18");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let event = harness.state().app.set().expect("set").events[0].clone();
    assert_eq!(event.perpetrators, ["s1"]);
    assert_eq!(event.targets, ["s2"]);
    assert_eq!(event.places, ["s3"]);
    assert_eq!(event.event_type, "Violence against civilians");
    assert_eq!(event.sub_event_type.as_deref(), Some("Attack"));
    assert_eq!(event.date.as_deref(), Some("2023-01-18"));
    // Every step is one undo: the date goes, and comes back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().app.set().expect("set").events[0].date, None);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    assert_eq!(saved.set("coder-a").expect("set").events, [event]);
    // Hovering a closed card outlines its spans in the text.
    harness.get_by_label("Close").click();
    harness.run();
    harness
        .get_by_label_contains("Violence against civilians")
        .hover();
    harness.run();
    assert_eq!(harness.state().view.emphasis, ["s1", "s2", "s3"]);
}

#[test]
fn the_folder_is_exported_from_the_dialog_with_progress() {
    let (dir, seed) = samples();
    let mut harness = window(dir.path(), "coder-a");
    assert!(harness.state().app.corpus.is_some());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness.get_by_label("format").click();
    harness.run();
    harness.get_by_label("conll").click();
    harness.run();
    harness
        .get_by_label("split off a clitic a span leaves out")
        .click();
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    wait_for_export(&mut harness);
    let app = &harness.state().app;
    assert_eq!(app.error, None);
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.contains("exported 6 document(s), 299 span(s)"),
        "{status}"
    );
    let out = dir.path().join("export.conll");
    let conll = std::fs::read_to_string(&out).expect("written");
    assert_eq!(conll.matches("-DOCSTART-").count(), 6);
    // Split: the و of ومتطوعو (and volunteers) is a token of its own, outside the actor.
    assert!(conll.contains("و\tO\nمتطوعو\tB-ACTOR"), "clitics split");
    assert!(seed.exists());
}

#[test]
fn predictions_are_imported_reviewed_and_adjudicated() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    // A model's output for the seed article, as the Hugging Face pipeline writes it.
    let range = |word: &str| find(&harness, word);
    let entity = |group: &str, word: &str, r: CharRange, score: f64| serde_json::json!({"entity_group": group, "score": score, "word": word, "start": r.start, "end": r.end});
    let jnim = "جماعة “نصرة الإسلام و المسلمين”";
    let predictions = serde_json::json!([
        entity("ORG", jnim, range(jnim), 0.97),
        entity("PER", "تتبنى", range("تتبنى"), 0.3),
        entity("ORG", "الجيش", range("الجيش"), 0.6),
        entity("LOC", "مالي", range("مالي"), 0.95),
        entity("LOC", "سينغاجي", range("سينغاجي"), 0.92),
        entity("LOC", "باماكو", range("مالي"), 0.99),
    ]);
    let pred = dir.path().join("camelbert.json");
    std::fs::write(&pred, predictions.to_string()).expect("write predictions");

    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Import Predictions…").click();
    harness.run();
    harness.get_by_label("predictions file").click();
    harness
        .get_by_label("predictions file")
        .type_text(&pred.display().to_string());
    harness.run();
    // The mismatching prediction is to be left out, not taken by its offsets.
    press(
        &mut harness,
        "leave out a prediction whose word is not the text's",
    );
    harness.get_by_label("Import").click();
    harness.run();
    harness.run();
    let app = &harness.state().app;
    let model = app
        .session
        .as_ref()
        .and_then(|s| s.doc.set("model").cloned())
        .expect("the model's set");
    assert_eq!(
        model.spans.len(),
        5,
        "the mismatching prediction is left out"
    );
    assert!(
        app.error.as_deref().is_some_and(|e| e.contains("باماكو")),
        "and reported"
    );
    assert_eq!(harness.state().tab, marsad::ui::SideTab::Review);
    let review = harness
        .state()
        .app
        .review
        .clone()
        .expect("a review of coder-a against model");
    assert_eq!((review.a.as_str(), review.b.as_str()), ("coder-a", "model"));

    // The coder's relations and events are differences too: the model gives none.
    harness.get_by_label_contains("relations: 0 match");
    // N walks the undecided differences in text order, relations and events among them.
    // Reject تتبنى (a CLAIM for A, an ACTOR for the model) with X; take the model's version
    // of the boundary difference on سينغاجي with B.
    for (word, key) in [("تتبنى", Key::X), ("سينغاجي", Key::B)] {
        let mut found = false;
        for _ in 0..60 {
            harness.key_press(Key::N);
            harness.run();
            let app = &harness.state().app;
            let doc = &app.session.as_ref().expect("open").doc;
            let model = doc.set("model").expect("model");
            let b_text = app
                .review
                .as_ref()
                .and_then(|r| r.current.clone())
                .filter(|k| k.item == marsad::model::Item::Span)
                .and_then(|k| k.b)
                .and_then(|id| model.spans.iter().find(|s| s.id == id))
                .map(|s| s.text.clone());
            if b_text.as_deref() == Some(word) {
                found = true;
                break;
            }
        }
        assert!(found, "N reaches the difference on {word}");
        harness.key_press(key);
        harness.run();
    }
    // Threshold 0.9 with the keyboard, then accept everything above it.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "confidence threshold")
        .focus();
    harness.run();
    for _ in 0..8 {
        harness.key_press(Key::ArrowRight);
        harness.run();
    }
    let threshold = harness.state().app.review.as_ref().map(|r| r.threshold);
    assert!(
        threshold.is_some_and(|t| (t - 0.9).abs() < 1e-9),
        "{threshold:?}"
    );
    // The button previews how many it takes.
    harness.get_by_label_contains("Accept all ≥ 0.90").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();

    let saved = marsad::store::load(&seed, LabelSchema::builtin()).expect("reload");
    let adjudicated = saved
        .set("adjudicated")
        .expect("the adjudicated set on disk");
    assert_eq!(
        adjudicated.source,
        marsad::model::Source::Human {
            annotator: "adjudicated".into()
        }
    );
    let got: Vec<(&str, &str)> = adjudicated
        .spans
        .iter()
        .map(|s| (s.label.as_str(), s.text.as_str()))
        .collect();
    // Exact matches go in without a decision, whatever the model's score: الجيش at 0.6 is
    // there because the coder marked it too. Not the rejected تتبنى.
    assert_eq!(
        got,
        [
            ("ACTOR", jnim),
            ("ACTOR", "الجيش"),
            ("PLACE", "مالي"),
            ("PLACE", "سينغاجي")
        ],
        "the matches, the boundary taken from B, not the rejected one"
    );
    let army = adjudicated.spans.iter().find(|s| s.text == "الجيش");
    assert_eq!(army.and_then(|s| s.confidence), Some(0.6), "B's score kept");
    assert!(
        !adjudicated
            .decisions
            .iter()
            .any(|d| d.b.as_deref() == Some("p3")),
        "no decision on the match"
    );
    assert!(saved.set("model").is_some(), "the model's set is saved too");
}

#[test]
fn bidi_controls_show_as_marks_and_the_view_menu_hides_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(
        dir.path(),
        "controls",
        "قتل \u{202e}27\u{202c} [ACTOR|جنديا]",
    );
    let mut harness = window(&path, "coder-a");
    assert_eq!(harness.state().view.marks, 2, "RLO and PDF are marked");
    press(&mut harness, "View");
    press(&mut harness, "Show bidi controls");
    assert!(!harness.state().app.settings.show_controls);
    assert_eq!(harness.state().view.marks, 0);
}

#[test]
fn an_import_named_like_a_coder_is_refused_and_the_coders_set_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let pred = dir.path().join("p.json");
    std::fs::write(
        &pred,
        r#"[{"entity_group": "ORG", "score": 0.9, "word": "الجيش", "start": 26, "end": 31}]"#,
    )
    .expect("write");
    let mut harness = window(&path, "coder-a");
    press(&mut harness, "File");
    press(&mut harness, "Import Predictions…");
    harness.get_by_label("predictions file").click();
    harness
        .get_by_label("predictions file")
        .type_text(&pred.display().to_string());
    harness.get_by_label("model name").click();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("model name").type_text("coder-a");
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
    let app = &harness.state().app;
    assert!(
        app.error
            .as_deref()
            .is_some_and(|e| e.contains("set \"coder-a\" is a coder's annotation set")),
        "{:?}",
        app.error
    );
    let set = app.set().expect("the coder's set");
    assert_eq!(set.spans.len(), 3, "untouched");
    assert!(matches!(set.source, marsad::model::Source::Human { .. }));
    assert!(!app.is_modified());
}

#[test]
fn quitting_from_the_menu_during_an_export_leaves_no_temp_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles/mali-sinsgaji-jnim.json");
    for i in 0..40 {
        std::fs::copy(&seed, dir.path().join(format!("doc-{i:02}.json"))).expect("copy");
    }
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    for label in ["format", "conll", "Export", "File"] {
        press(&mut harness, label);
    }
    harness.get_by_label("Quit").click();
    // The window now asks to close every frame: step instead of running until it settles.
    harness.step();
    harness.step();
    let app = &harness.state().app;
    assert!(app.quit, "the window may close");
    assert!(
        app.export.is_none(),
        "the export was finished or cancelled first"
    );
    let temps: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".marsad"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn tabs_have_shortcuts_and_the_review_starts_with_a_human_set_against_a_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = marsad::model::notation::parse("[ACTOR|الجيش] قصف [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("sets", "coder-b");
    let mut model = doc.sets[0].clone();
    model.id = "camelbert".into();
    model.source = marsad::model::Source::Model {
        name: "camelbert".into(),
        version: None,
    };
    let mut other = doc.sets[0].clone();
    other.id = "coder-c".into();
    other.source = marsad::model::Source::Human {
        annotator: "coder-c".into(),
    };
    doc.sets.insert(0, model);
    doc.sets.push(other);
    let path = dir.path().join("sets.json");
    marsad::store::save(&path, &doc).expect("save");
    // A coder with no set of their own in this document.
    let mut harness = window(&path, "someone-else");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    assert_eq!(harness.state().tab, marsad::ui::SideTab::Review);
    let review = harness.state().app.review.clone().expect("a review");
    assert_eq!(
        (review.a.as_str(), review.b.as_str()),
        ("coder-b", "camelbert"),
        "A: the first human set; B: the model"
    );
    press(&mut harness, "View");
    // The menu item shows its shortcut.
    harness.get_by_label_contains("Ctrl+2").click();
    harness.run();
    assert_eq!(harness.state().tab, marsad::ui::SideTab::Events);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    assert_eq!(harness.state().tab, marsad::ui::SideTab::Spans);
}

#[test]
fn an_attribute_two_sets_disagree_on_is_shown_as_a_difference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = coder_and_model(
        dir.path(),
        "figures",
        "قتل [CASUALTY value=27|27 جنديا] في مالي",
        "قتل [CASUALTY value=7|27 جنديا] في مالي",
    );
    let mut harness = review_window(&path);
    harness.get_by_label("attribute mismatch");
    harness.get_by_label("value: 27 ≠ 7");
    // Take A puts the coder's figure into the adjudicated set; Take B then replaces it with
    // the model's.
    for (button, value) in [("Take A", 27), ("Take B", 7)] {
        harness.get_by_label(button).click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
        harness.run();
        let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
        let adjudicated = saved.set("adjudicated").expect("adjudicated");
        assert_eq!(adjudicated.spans.len(), 1, "{button}");
        assert_eq!(
            adjudicated.spans[0].attrs.get("value"),
            Some(&AttrValue::Int(value)),
            "{button}"
        );
    }
}

#[test]
fn relations_and_events_are_differences_decided_with_their_buttons_and_keys() {
    use marsad::model::{Event, Item, Relation, Take};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = coder_and_model(
        dir.path(),
        "structure",
        "[ACTOR|الجماعة] [CLAIM|تتبنى] هجوما في [PLACE|مالي]",
        "[ACTOR|الجماعة] [CLAIM|تتبنى] هجوما في [PLACE|مالي]",
    );
    // The coder links the claim to the group; the model does not. Both code the attack, on
    // two dates.
    let mut doc = marsad::store::load(&path, LabelSchema::builtin()).expect("load");
    let event = |id: &str, date: &str| Event {
        id: id.into(),
        event_type: "Battles".into(),
        date: Some(date.into()),
        perpetrators: vec!["s1".into()],
        places: vec!["s3".into()],
        ..Event::default()
    };
    doc.sets[0].relations.push(Relation {
        id: "r1".into(),
        kind: "claimed_by".into(),
        from: "s2".into(),
        to: "s1".into(),
    });
    doc.sets[0].events.push(event("e1", "2025-01-03"));
    doc.sets[1].events.push(event("e1", "2025-01-04"));
    marsad::store::save(&path, &doc).expect("save");
    let mut harness = review_window(&path);
    harness.get_by_label("relation missing (A only)");
    harness.get_by_label("event mismatch");
    harness.get_by_label("date 2025-01-03 ≠ 2025-01-04");
    // The relation's row (the first) has no Take B: the model has no version of it.
    harness
        .get_all_by_label("Take A")
        .next()
        .expect("the relation's Take A")
        .click();
    harness.run();
    // N goes to the event (the only undecided difference left); B takes the model's date.
    harness.key_press(Key::N);
    harness.run();
    let current = harness
        .state()
        .app
        .review
        .as_ref()
        .and_then(|r| r.current.clone());
    assert_eq!(current.map(|k| k.item), Some(Item::Event));
    harness.key_press(Key::B);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload, valid");
    let adjudicated = saved.set("adjudicated").expect("adjudicated");
    let text = |id: &str| {
        adjudicated
            .spans
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.text.clone())
    };
    assert_eq!(adjudicated.relations.len(), 1);
    let r = &adjudicated.relations[0];
    assert_eq!(
        (r.kind.as_str(), text(&r.from), text(&r.to)),
        ("claimed_by", Some("تتبنى".into()), Some("الجماعة".into()))
    );
    assert_eq!(adjudicated.events.len(), 1);
    let e = &adjudicated.events[0];
    assert_eq!(e.date.as_deref(), Some("2025-01-04"), "the model's date");
    assert_eq!(text(&e.places[0]).as_deref(), Some("مالي"));
    let takes: Vec<(Item, Take)> = adjudicated
        .decisions
        .iter()
        .map(|d| (d.item, d.take))
        .collect();
    assert_eq!(takes, [(Item::Relation, Take::A), (Item::Event, Take::B)]);
    // Reopened, both show as decided.
    drop(harness);
    let harness = review_window(&path);
    harness.get_by_label("took A");
    harness.get_by_label("took B");
}

#[test]
fn a_reviewer_decides_with_a_b_x_and_n_walks_the_undecided() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = coder_and_model(
        dir.path(),
        "decide",
        "[CLAIM|تبنت] [ACTOR|الجماعة] هجوما في مالي",
        "[ACTOR|تبنت] ال[ACTOR|جماعة] هجوما في [PLACE|مالي]",
    );
    let mut harness = review_window(&path);
    // تبنت: CLAIM for A, ACTOR for B — take A's.
    for key in [Key::N, Key::A, Key::N, Key::B, Key::N, Key::X] {
        harness.key_press(key);
        harness.run();
    }
    // Everything is decided: N stays where it is.
    let before = harness
        .state()
        .app
        .review
        .as_ref()
        .and_then(|r| r.current.clone());
    harness.key_press(Key::N);
    harness.run();
    let after = harness
        .state()
        .app
        .review
        .as_ref()
        .and_then(|r| r.current.clone());
    assert_eq!(before, after);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    let got: Vec<(&str, &str)> = saved
        .set("adjudicated")
        .expect("adjudicated")
        .spans
        .iter()
        .map(|s| (s.label.as_str(), s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [("CLAIM", "تبنت"), ("ACTOR", "جماعة")],
        "A's claim, B's boundary, not B's spurious place"
    );
    // The decisions are in the file: who took which version.
    let decisions = &saved.set("adjudicated").expect("adjudicated").decisions;
    let takes: Vec<(marsad::model::Take, &str)> =
        decisions.iter().map(|d| (d.take, d.by.as_str())).collect();
    use marsad::model::Take;
    assert_eq!(
        takes,
        [
            (Take::A, "coder-a"),
            (Take::B, "coder-a"),
            (Take::Neither, "coder-a")
        ]
    );
    // Reopened, every difference shows as decided: N finds none left to decide.
    drop(harness);
    let mut harness = review_window(&path);
    harness.key_press(Key::N);
    harness.run();
    assert_eq!(
        harness
            .state()
            .app
            .review
            .as_ref()
            .and_then(|r| r.current.clone()),
        None
    );
    harness.get_by_label("took A");
    harness.get_by_label("neither");
}

#[test]
fn the_focused_difference_is_scrolled_into_view_in_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Forty words, each a CLAIM for A and an ACTOR for B: forty label mismatches.
    let words: Vec<String> = (1..=40).map(|i| format!("كلمة{i}")).collect();
    let marked = |label: &str| {
        words
            .iter()
            .map(|w| format!("[{label}|{w}]"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let path = coder_and_model(dir.path(), "many", &marked("CLAIM"), &marked("ACTOR"));
    let mut harness = review_window(&path);
    assert!(
        harness.query_by_label("كلمة35").is_none(),
        "far down the list at first"
    );
    for _ in 0..35 {
        harness.key_press(Key::N);
        harness.run();
    }
    harness.run();
    assert!(
        harness.get_all_by_label("كلمة35").count() >= 1,
        "the 35th difference's row is in view"
    );
    // P goes back one.
    harness.key_press(Key::P);
    harness.run();
    let current = harness
        .state()
        .app
        .review
        .as_ref()
        .and_then(|r| r.current.clone());
    assert_eq!(current.and_then(|k| k.b).as_deref(), Some("s34"));
}

#[test]
fn the_split_review_scrolls_both_panes_together_and_a_click_in_b_focuses_its_difference() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A long text, so that it scrolls; B has one span A lacks, near the end.
    let filler = "قال مصدر أمني إن الهجوم وقع فجرا. ".repeat(60);
    let path = coder_and_model(
        dir.path(),
        "split",
        &format!("[ACTOR|الجيش] {filler} في مالي"),
        &format!("[ACTOR|الجيش] {filler} في [PLACE|مالي]"),
    );
    let mut harness = review_window(&path);
    let (a, b) = harness.state().view.panes.expect("two panes");
    assert!(a.x > b.x, "A on the right");
    assert_eq!(a.y, b.y, "level");
    // Scroll from the left pane: both move, and stay level.
    harness.hover_at(b + egui::vec2(100.0, 100.0));
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -300.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
    let (a2, b2) = harness.state().view.panes.expect("two panes");
    assert!(a2.y < a.y, "scrolled");
    assert_eq!(a2.y, b2.y, "both panes scrolled together");
    // B's مالي, clicked in the left pane, focuses the spurious difference.
    let mali = find(&harness, "مالي");
    let rects = harness
        .state()
        .view
        .screen_rects(&harness.ctx, &harness.state().app, mali);
    let shift = b2.x - a2.x;
    let target = rects.first().expect("on screen").center() + egui::vec2(shift, 0.0);
    harness.state_mut().view.scroll_to = Some(mali.start);
    harness.run();
    let (a3, b3) = harness.state().view.panes.expect("two panes");
    let rects = harness
        .state()
        .view
        .screen_rects(&harness.ctx, &harness.state().app, mali);
    let target = rects
        .first()
        .map_or(target, |r| r.center() + egui::vec2(b3.x - a3.x, 0.0));
    click(&mut harness, target, 1, Modifiers::NONE);
    let current = harness
        .state()
        .app
        .review
        .as_ref()
        .and_then(|r| r.current.clone());
    assert_eq!(current.and_then(|k| k.b).as_deref(), Some("s2"), "B's مالي");
    // Unified: one text again.
    press(&mut harness, "Unified");
    assert!(harness.state().view.panes.is_none());
}

#[test]
fn a_document_with_three_sets_shows_them_all_together_and_the_confusion_matrix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = coder_and_model(
        dir.path(),
        "three",
        "[ACTOR|الجيش] قصف [PLACE|مالي] أمس",
        "[ACTOR|الجيش] قصف [ACTOR|مالي] أمس",
    );
    let mut doc = marsad::store::load(&path, LabelSchema::builtin()).expect("load");
    let mut coder_b = doc.sets[0].clone();
    coder_b.id = "coder-b".into();
    coder_b.source = marsad::model::Source::Human {
        annotator: "coder-b".into(),
    };
    doc.sets.push(coder_b);
    marsad::store::save(&path, &doc).expect("save");
    let mut harness = review_window(&path);
    // Closed at first (the list of differences comes first); opened from its header.
    assert!(harness.query_by_label("Fleiss' κ").is_none());
    press(&mut harness, "All 3 sets");
    harness.get_by_label("Fleiss' κ");
    // The confusion matrix opens from its header: مالي is PLACE for A and ACTOR for B.
    press(&mut harness, "Confusion (A label × B label)");
    harness.get_by_label("A \\ B");
    let confusion = &harness
        .state()
        .app
        .review
        .as_ref()
        .expect("review")
        .comparison()
        .confusion;
    assert_eq!(confusion.get("PLACE", "ACTOR"), 1);
    assert_eq!(confusion.get("ACTOR", "ACTOR"), 1);
}

#[test]
fn the_navigator_sorts_by_the_review_queue_and_n_at_the_end_offers_the_next_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Full agreement, half, none.
    coder_and_model(
        dir.path(),
        "a-agree",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        "[ACTOR|الجيش] في [PLACE|مالي]",
    );
    coder_and_model(
        dir.path(),
        "b-half",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        "[ACTOR|الجيش] في [ACTOR|مالي]",
    );
    coder_and_model(
        dir.path(),
        "c-none",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        "الجيش [CLAIM|في] مالي",
    );
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    let opened = |h: &Harness<'_, MarsadApp>| {
        h.state()
            .app
            .session
            .as_ref()
            .and_then(|s| s.path.file_stem().map(|n| n.to_string_lossy().into_owned()))
    };
    assert_eq!(opened(&harness).as_deref(), Some("a-agree"));
    press(&mut harness, "Sort by review queue");
    let listed: Vec<String> = {
        let corpus = harness.state().app.corpus.as_ref().expect("corpus");
        corpus
            .order()
            .iter()
            .map(|&i| corpus.entries[i].title.clone())
            .collect()
    };
    assert_eq!(listed, ["c-none", "b-half", "a-agree"], "lowest F1 first");
    assert!(
        harness.state().app.settings.navigator_by_queue,
        "remembered"
    );
    harness.get_by_label_contains("review: F1 0.50 · 1 of 1 undecided");
    // Nothing to decide here: N offers the first document of the queue with work left.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    harness.key_press(Key::N);
    harness.run();
    harness.get_by_label("Every difference here is decided");
    press(&mut harness, "Open it");
    assert_eq!(opened(&harness).as_deref(), Some("c-none"));
    // Decide all three differences there; N after the last offers b-half.
    for key in [Key::N, Key::X, Key::N, Key::X, Key::N, Key::X] {
        harness.key_press(key);
        harness.run();
    }
    harness.key_press(Key::N);
    harness.run();
    harness.get_by_label("Every difference here is decided");
    // Opening it asks about the unsaved decisions first: save them.
    press(&mut harness, "Open it");
    press(&mut harness, "Save");
    assert_eq!(opened(&harness).as_deref(), Some("b-half"));
    let saved = marsad::store::load(&dir.path().join("c-none.json"), LabelSchema::builtin())
        .expect("reload");
    assert_eq!(saved.set("adjudicated").map(|s| s.decisions.len()), Some(3));
}

#[test]
fn an_arabic_note_is_typed_edited_with_visual_arrows_and_saved_in_its_order() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    let id = new_actor_in_its_note(&mut harness);
    harness.get_by_label("note").type_text("حصيلة أولية 27");
    harness.run();
    // The line is right to left: Home puts the caret at its right end, and ← moves on
    // through the text (five letters: after حصيلة), where a comma goes in.
    harness.key_press(Key::Home);
    for _ in 0..5 {
        harness.key_press(Key::ArrowLeft);
    }
    harness.run();
    harness.get_by_label("note").type_text("،");
    harness.run();
    // End, then Ctrl+Backspace takes the word before the caret: the number.
    harness.key_press(Key::End);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Backspace);
    harness.run();
    harness.get_by_label("note").type_text("٢٧");
    harness.run();
    // A click at the field's right edge lands at the start of the text (it is drawn right to
    // left, by the engine), where the article goes in.
    let field = harness.get_by_label("note").rect();
    click(
        &mut harness,
        egui::pos2(field.right() - 8.0, field.center().y),
        1,
        Modifiers::NONE,
    );
    harness.get_by_label("note").type_text("ال");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&seed, LabelSchema::builtin()).expect("reload");
    let note = saved
        .set("coder-b")
        .and_then(|s| s.span(&id))
        .and_then(|s| s.note.clone());
    assert_eq!(note.as_deref(), Some("الحصيلة، أولية ٢٧"));
}

#[test]
fn the_coder_dialog_takes_the_keys_confirms_with_enter_and_lists_the_sets_there() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().to_owned()));
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    press(&mut harness, "Settings");
    press(&mut harness, "Coder name…");
    // The sets the folder holds, with how many documents each: the samples are coder-a's.
    harness.get_by_label("coder-a (6 documents)");
    // The field has the focus at once: select all and type over, Enter confirms.
    assert!(harness.get_by_label("Coder name").is_focused());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Coder name").type_text("lead");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().app.settings.coder, "lead");
    assert!(harness.query_by_label("Coder name").is_none(), "closed");
    // Picking a listed set takes its name.
    press(&mut harness, "Settings");
    press(&mut harness, "Coder name…");
    press(&mut harness, "coder-a (6 documents)");
    press(&mut harness, "OK");
    assert_eq!(harness.state().app.settings.coder, "coder-a");
}

/// Scrolls the document view down by `points` with the mouse wheel over it.
fn wheel(harness: &mut Harness<'_, MarsadApp>, points: f32) {
    harness.hover_at(egui::pos2(500.0, 400.0));
    harness.run();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -points),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
}

/// The glyph quads of the document's text in the last frame (the largest mesh on our atlas:
/// the span list and the panels draw their own, smaller ones).
fn glyph_quads(harness: &Harness<'_, MarsadApp>) -> Vec<[i32; 4]> {
    let system = marsad::text::TextSystem::of(&harness.ctx);
    let texture = marsad::text::TextSystem::lock(&system).atlas.texture_id();
    let text = harness
        .output()
        .shapes
        .iter()
        .filter_map(|clipped| match &clipped.shape {
            egui::Shape::Mesh(mesh) if Some(mesh.texture_id) == texture => Some(mesh),
            _ => None,
        })
        .max_by_key(|mesh| mesh.vertices.len());
    // In hundredths of a point: exact enough to tell a moved glyph from another.
    let h = |v: f32| (v * 100.0).round() as i32;
    text.map_or_else(Vec::new, |mesh| {
        mesh.vertices
            .chunks(4)
            .map(|q| {
                let r = egui::Rect::from_points(&q.iter().map(|v| v.pos).collect::<Vec<_>>());
                [h(r.min.x), h(r.min.y), h(r.max.x), h(r.max.y)]
            })
            .collect()
    })
}

fn lines_made(harness: &Harness<'_, MarsadApp>) -> u64 {
    let system = marsad::text::TextSystem::of(&harness.ctx);
    marsad::text::TextSystem::lock(&system).lines.made()
}

#[test]
fn a_wheel_turn_moves_the_drawn_lines_and_makes_only_the_ones_come_into_view() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    wheel(&mut harness, 200.0);
    let (origin, quads, made) = (
        harness.state().view.origin.expect("drawn"),
        glyph_quads(&harness),
        lines_made(&harness),
    );
    assert!(quads.len() > 500, "a screen of glyphs: {}", quads.len());
    wheel(&mut harness, 45.0);
    let moved = harness.state().view.origin.expect("drawn");
    let dy = ((moved.y - origin.y) * 100.0).round() as i32;
    assert!(dy < 0, "scrolled down by {dy}");
    // Each glyph still on screen is drawn exactly that much higher, on whole pixels.
    let after: std::collections::HashSet<[i32; 4]> = glyph_quads(&harness)
        .into_iter()
        .map(|[x0, y0, x1, y1]| [x0, y0 - dy, x1, y1 - dy])
        .collect();
    let kept = quads.iter().filter(|q| after.contains(*q)).count();
    assert!(
        kept * 10 >= quads.len() * 8,
        "{kept} of {} moved with the text",
        quads.len()
    );
    // Only the line or two that came into view were made from the atlas.
    let new = lines_made(&harness) - made;
    assert!((1..=3).contains(&new), "{new} lines made for a wheel turn");
}

#[test]
fn clicking_a_span_keeps_the_text_where_it_is_and_the_list_brings_one_into_view() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    wheel(&mut harness, 200.0);
    let before = harness.state().view.origin.expect("drawn");
    // A span low on the screen: clicking it selects it and scrolls nothing.
    let doc = &harness.state().app.session.as_ref().expect("open").doc;
    let set = doc.set("coder-a").expect("set").clone();
    let low = set
        .spans
        .iter()
        .find_map(|s| {
            let (mid, _) = middle_of(&harness, s.range());
            (mid.y > 600.0 && mid.y < 760.0 && mid.x > 100.0 && mid.x < 900.0)
                .then_some((s.id.clone(), mid))
        })
        .expect("a span low on the screen");
    click(&mut harness, low.1, 1, Modifiers::NONE);
    assert_eq!(
        harness.state().app.selected_span.as_deref(),
        Some(low.0.as_str())
    );
    assert_eq!(
        harness.state().view.origin,
        Some(before),
        "the text did not move"
    );
}

#[test]
fn the_next_document_opens_at_its_own_scroll_position_not_the_previous_ones() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().to_owned()));
    harness.run();
    harness.run();
    let top = harness.state().view.origin.expect("drawn");
    wheel(&mut harness, 400.0);
    let scrolled = harness.state().view.origin.expect("drawn");
    assert!(scrolled.y < top.y, "scrolled down");
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run();
    harness.run();
    assert_eq!(
        harness.state().view.origin,
        Some(top),
        "the next one at its top"
    );
    // Back to the first: where it was left.
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    harness.run();
    harness.run();
    assert_eq!(harness.state().view.origin, Some(scrolled));
}

#[test]
fn a_message_in_the_bottom_bar_goes_with_the_next_thing_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    harness
        .state_mut()
        .app
        .apply(Command::Open(dir.path().join("missing.json")));
    harness.run();
    assert!(harness.state().app.error.is_some());
    harness.get_by_label("×");
    // Esc (deselect) is something done: the old error goes.
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().app.error, None);
    assert!(harness.query_by_label("×").is_none());
}

#[test]
fn the_export_dialogs_drop_downs_open_above_it_every_time() {
    let (dir, _seed) = samples();
    let mut harness = window(dir.path(), "coder-a");
    for format in ["conll", "brat", "doccano"] {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
        harness.run();
        harness.get_by_label("format").click();
        harness.run();
        // A click on the list's item reaches it (a list behind the dialog would not take it).
        harness.get_by_label(format).click();
        harness.run();
        let chosen = harness
            .state()
            .export_dialog
            .as_ref()
            .map(|d| d.format.name());
        assert_eq!(chosen, Some(format), "opened again: {format}");
        press(&mut harness, "Cancel");
    }
}

#[test]
fn an_export_that_cannot_start_keeps_the_dialog_and_a_new_folder_is_made() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    harness.get_by_label("format").click();
    harness.run();
    harness.get_by_label("conll").click();
    harness.run();
    // A folder under a file cannot be made: the dialog stays, with its choices and why.
    let blocked = seed.join("out.conll");
    harness.get_by_label("to").click();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("to")
        .type_text(&blocked.display().to_string());
    harness.run();
    press(&mut harness, "Export");
    let dialog = harness
        .state()
        .export_dialog
        .as_ref()
        .map(|d| d.format.name());
    assert_eq!(dialog, Some("conll"), "still open, still CoNLL");
    assert!(harness.state().app.error.is_some());
    // Into a folder that does not exist yet: it is made, and the export runs.
    let fresh = dir.path().join("exports/new/seed.conll");
    harness.get_by_label("to").click();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("to")
        .type_text(&fresh.display().to_string());
    harness.run();
    press(&mut harness, "Export");
    assert!(
        harness.state().export_dialog.is_none(),
        "closed once started"
    );
    wait_for_export(&mut harness);
    assert!(
        fresh.is_file(),
        "{}",
        harness.state().app.error.clone().unwrap_or_default()
    );
    // Opened again, the dialog has the choices it was closed with.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    let again = harness
        .state()
        .export_dialog
        .as_ref()
        .map(|d| (d.format.name(), d.out.clone()));
    assert_eq!(again, Some(("conll", fresh.display().to_string())));
}

#[test]
fn without_a_portal_file_open_and_open_folder_use_the_windows_own_browser() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    press(&mut harness, "File");
    harness.get_by_label_contains("Open…").click();
    harness.run();
    harness.get_by_label("Open a document");
    // The folder of the open document, its documents listed; one is picked and opened.
    press(&mut harness, "chad-lake-boko-haram.json");
    press(&mut harness, "Open");
    let open = harness.state().app.session.as_ref().map(|s| s.path.clone());
    assert_eq!(open, Some(dir.path().join("chad-lake-boko-haram.json")));
    assert!(harness.state().browser.is_none(), "closed");
    // Open Folder… opens the folder it is in.
    press(&mut harness, "File");
    press(&mut harness, "Open Folder…");
    press(&mut harness, "Open this folder");
    assert_eq!(
        harness.state().app.corpus.as_ref().map(|c| c.root.clone()),
        Some(dir.path().to_owned())
    );
    // Cancel leaves everything as it was.
    press(&mut harness, "File");
    harness.get_by_label_contains("Open…").click();
    harness.run();
    press(&mut harness, "Cancel");
    assert!(harness.state().browser.is_none());
}

#[test]
fn the_export_dialogs_choose_button_opens_the_browser_above_it() {
    let (dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    harness.run();
    press(&mut harness, "Choose…");
    harness.get_by_label("Export to");
    harness.get_by_label("name").click();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("name").type_text("chosen.jsonl");
    harness.run();
    press(&mut harness, "Choose");
    let out = harness
        .state()
        .export_dialog
        .as_ref()
        .map(|d| d.out.clone());
    assert_eq!(
        out,
        Some(dir.path().join("chosen.jsonl").display().to_string())
    );
}

#[test]
fn spans_carry_their_label_as_a_tag_and_attributes_read_as_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(
        dir.path(),
        "tags",
        "[ACTOR kind=REBEL named=true|جماعة نصرة الإسلام] قتلت [CASUALTY|27 جنديا] في [PLACE|سيكاسو]",
    );
    let mut harness = window(&path, "coder-a");
    let tags: Vec<String> = harness
        .state()
        .view
        .tags
        .iter()
        .map(|t| t.0.clone())
        .collect();
    assert_eq!(tags, ["s1", "s2", "s3"], "a tag per span");
    // Each tag sits over its span's start: the right end of a right-to-left span, above it.
    let actor = middle_of(&harness, span(&harness, "s1").expect("s1").range());
    let tag = harness.state().view.tags[0].1;
    assert!(tag.max.x <= actor.1.x.max(actor.0.x) + 30.0 && tag.max.y <= actor.0.y);
    // The list says what the attributes are in words, not codes.
    harness.get_by_label("kind REBEL · named");
    // Off in the View menu; and under 100 % zoom.
    press(&mut harness, "View");
    press(&mut harness, "Show label tags");
    assert!(!harness.state().app.settings.show_tags);
    harness.run();
    assert!(harness.state().view.tags.is_empty());
    // A number attribute that is not set is blank; digits of any kind are taken, words
    // that are not a number are refused with a message.
    click_span(&mut harness, "s2");
    assert_eq!(harness.state().app.selected_span.as_deref(), Some("s2"));
    assert_eq!(harness.get_by_label("value").value().as_deref(), Some(""));
    harness.get_by_label("value").click();
    harness.run();
    harness.get_by_label("value").type_text("٢٧");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let value = span(&harness, "s2").and_then(|s| s.attrs.get("value").cloned());
    assert_eq!(value, Some(AttrValue::Int(27)));
    harness.get_by_label("value").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("value").type_text("كثير");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let error = harness.state().app.error.clone().unwrap_or_default();
    assert!(error.contains("is not a number"), "{error}");
    let value = span(&harness, "s2").and_then(|s| s.attrs.get("value").cloned());
    assert_eq!(value, Some(AttrValue::Int(27)), "unchanged");
}

#[test]
fn the_arabic_interface_mirrors_the_window_and_speaks_arabic() {
    use marsad::ui::i18n::{Lang, tr};
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    let spans_panel_x = |h: &Harness<'_, MarsadApp>| {
        let tab = tr(h.state().app.settings.language, "Spans");
        h.get_all_by_label(tab)
            .next()
            .expect("the Spans tab")
            .rect()
            .center()
            .x
    };
    let english = spans_panel_x(&harness);
    assert!(english > 640.0, "the side panel on the right in English");
    press(&mut harness, "Settings");
    press(&mut harness, "Language");
    harness
        .get_by_label(marsad::ui::i18n::lang_name(Lang::Ar))
        .click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().app.settings.language, Lang::Ar);
    // The menus speak Arabic; the side panel moved to the left.
    press(&mut harness, tr(Lang::Ar, "File"));
    harness.get_by_label_contains(tr(Lang::Ar, "Open…"));
    press(&mut harness, tr(Lang::Ar, "File"));
    let arabic = spans_panel_x(&harness);
    assert!(
        arabic < 640.0,
        "the side panel on the left in Arabic: {arabic}"
    );
    // The menu bar runs from the right: File is right of Edit.
    let file = harness.get_by_label(tr(Lang::Ar, "File")).rect().center().x;
    let edit = harness.get_by_label(tr(Lang::Ar, "Edit")).rect().center().x;
    assert!(file > edit);
    // Messages too: a label key with nothing selected is refused in Arabic.
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::Num1);
    harness.run();
    let error = harness.state().app.error.clone().unwrap_or_default();
    assert_eq!(error, "حدّد نصًا أو مقطعًا أولًا");
    // And back.
    press(&mut harness, tr(Lang::Ar, "Settings"));
    press(&mut harness, tr(Lang::Ar, "Language"));
    press(&mut harness, "English");
    assert_eq!(harness.state().app.settings.language, Lang::En);
}

#[test]
fn a_spans_tooltip_opens_above_its_line_and_leaves_the_next_line_readable() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-a");
    // A span well down the screen, with room above it.
    let spans = harness
        .state()
        .app
        .set()
        .expect("coder-a's set")
        .spans
        .clone();
    let (range, at) = spans
        .iter()
        .find_map(|s| {
            let (from, to) = middle_of(&harness, s.range());
            let at = from + (to - from) * 0.5;
            (at.y > 350.0 && at.y < 600.0 && at.x > 100.0 && at.x < 900.0)
                .then_some((s.range(), at))
        })
        .expect("a span in the middle of the screen");
    harness.hover_at(at);
    for _ in 0..90 {
        harness.step();
    }
    harness.run();
    // The tooltip names the span's offsets; it sits above the hovered line.
    let offsets = format!("{}..{}", range.start, range.end);
    let tip = harness.get_by_label_contains(&offsets);
    let line_top = at.y - 10.0;
    assert!(
        tip.rect().max.y <= line_top,
        "tooltip {:?} over the line at {}",
        tip.rect(),
        at.y
    );
}

#[test]
fn a_relation_is_made_with_r_and_a_click_drawn_as_an_arc_and_deleted_from_the_panel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(
        dir.path(),
        "relations",
        "[CLAIM|تبنت] [ACTOR|الجماعة] الهجوم في [PLACE|سيكاسو] في [PLACE|مالي]",
    );
    let mut harness = window(&path, "coder-a");
    // CLAIM → ACTOR: one kind fits, taken at once.
    click_span(&mut harness, "s1");
    harness.key_press(Key::R);
    harness.run();
    click_span(&mut harness, "s2");
    let relations = |h: &Harness<'_, MarsadApp>| -> Vec<(String, String, String)> {
        h.state()
            .app
            .set()
            .map(|s| {
                s.relations
                    .iter()
                    .map(|r| (r.kind.clone(), r.from.clone(), r.to.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        relations(&harness),
        [("claimed_by".into(), "s1".into(), "s2".into())]
    );
    harness.run();
    assert_eq!(harness.state().view.arcs.len(), 1, "drawn as an arc");
    // PLACE → PLACE: two kinds fit; the numbered list, key 2.
    click_span(&mut harness, "s3");
    harness.key_press(Key::R);
    harness.run();
    click_span(&mut harness, "s4");
    harness.get_by_label("Which relation?");
    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(relations(&harness).len(), 2);
    assert_eq!(relations(&harness)[1].0, "part_of");
    // ACTOR → CLAIM: none fits, and the message says so.
    click_span(&mut harness, "s2");
    harness.key_press(Key::R);
    harness.run();
    click_span(&mut harness, "s1");
    let error = harness.state().app.error.clone().unwrap_or_default();
    assert!(error.contains("no relation from ACTOR to CLAIM"), "{error}");
    // Listed under the selected span; Delete there takes it out; Ctrl+Z brings it back.
    click_span(&mut harness, "s1");
    harness.get_by_label("relations (1)");
    press(&mut harness, "Delete");
    assert_eq!(relations(&harness).len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(relations(&harness).len(), 2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    assert_eq!(saved.set("coder-a").map(|s| s.relations.len()), Some(2));
    // View ▸ Show relations hides the arcs.
    press(&mut harness, "View");
    press(&mut harness, "Show relations");
    harness.run();
    assert!(harness.state().view.arcs.is_empty());
}

#[path = "window/keyboard.rs"]
mod keyboard;

#[path = "window/find.rs"]
mod find_bar;

#[path = "window/interop.rs"]
mod interop;

#[path = "window/team.rs"]
mod team;

#[path = "window/corpus_events.rs"]
mod corpus_events;
