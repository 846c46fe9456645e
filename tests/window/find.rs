//! Find (Ctrl+F) with each normalisation, and label all matches from the find bar, from a
//! span (Ctrl+L) and across the folder — with the preview's checkboxes, and undo.

use super::*;

fn matches(harness: &Harness<'_, MarsadApp>) -> Vec<String> {
    let state = harness.state();
    let text: Vec<char> = open_doc(harness).text().chars().collect();
    state
        .app
        .find
        .as_ref()
        .map(|f| {
            f.matches
                .iter()
                .map(|m| text[m.range.start..m.range.end].iter().collect())
                .collect()
        })
        .unwrap_or_default()
}

/// Ctrl+F, then the query typed into the bar's field.
fn find_typed(harness: &mut Harness<'_, MarsadApp>, query: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Find").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.get_by_label("Find").type_text(query);
    harness.run();
}

#[test]
fn find_folds_alef_forms_harakat_eastern_digits_and_clitics_and_enter_steps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(
        dir.path(),
        "find",
        "قال إبراهيم إن ابراهيمَ وبإبراهيم قُتل مع ٢٧ جنديا في ۲۷ موقعا",
    );
    let mut harness = window(&path, "coder-a");
    find_typed(&mut harness, "ابراهيم");
    assert_eq!(matches(&harness), ["إبراهيم", "ابراهيمَ", "إبراهيم"]);
    harness.get_by_label("3 matches");
    assert!(harness.state().view.found == 3, "all highlighted");
    // Without clitics, وبإبراهيم is not the word.
    press(&mut harness, "with و ف ب ل ك ال");
    assert_eq!(matches(&harness).len(), 2);
    press(&mut harness, "with و ف ب ل ك ال");
    // Harakat in the query are ignored too; Eastern and Extended digits are Western ones.
    find_typed(&mut harness, "قتل");
    assert_eq!(matches(&harness), ["قُتل"]);
    find_typed(&mut harness, "27");
    assert_eq!(matches(&harness), ["٢٧", "۲۷"]);
    // Enter: the first match is the selection; Enter again the next; Shift+Enter back.
    harness.key_press(Key::Enter);
    harness.run();
    let first = harness.state().app.selection.expect("selected");
    harness.get_by_label("1 / 2");
    harness.key_press(Key::Enter);
    harness.run();
    let second = harness.state().app.selection.expect("selected");
    assert!(second.start > first.start);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    harness.run();
    assert_eq!(harness.state().app.selection, Some(first));
    // Esc closes the bar; the match stays selected and 3 labels it.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().app.find.is_none());
    harness.key_press(Key::Num3);
    harness.run();
    let casualty = harness
        .state()
        .app
        .set()
        .expect("set")
        .spans
        .iter()
        .find(|s| s.label == "CASUALTY")
        .cloned();
    assert_eq!(casualty.map(|s| s.text), Some("٢٧".into()));
}

#[test]
fn label_all_from_the_find_bar_with_the_preview_then_one_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(
        dir.path(),
        "all",
        "[PLACE|مالي] وفي بمالي قالت مالي وللمالي",
    );
    let mut harness = window(&path, "coder-a");
    find_typed(&mut harness, "مالي");
    press(&mut harness, "Label all…");
    harness.get_by_label("Label all matches");
    // PLACE is chosen; the first match is labelled so already and cannot be chosen.
    harness.get_by_label("Label").click();
    harness.run();
    // The last PLACE on screen is the drop-down's (the palette and the tags come first).
    harness
        .get_all_by_label("PLACE")
        .last()
        .expect("PLACE in the list")
        .click();
    harness.run();
    let preview = harness.state().app.label_all.clone().expect("preview");
    // مالي, بمالي, مالي and وللمالي (و + ل + the article, its alef dropped).
    assert_eq!(preview.candidates.len(), 4);
    assert!(preview.candidates[0].exists);
    press(&mut harness, "#3");
    press(&mut harness, "Label 2");
    let texts: Vec<(String, String)> = harness
        .state()
        .app
        .set()
        .expect("set")
        .spans
        .iter()
        .map(|s| (s.label.clone(), s.text.clone()))
        .collect();
    let place = ("PLACE".to_owned(), "مالي".to_owned());
    assert_eq!(
        texts,
        [place.clone(), place.clone(), place],
        "not the unticked third"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    assert_eq!(saved.set("coder-a").expect("set").spans.len(), 3);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().app.set().expect("set").spans.len(),
        1,
        "one undo"
    );
}

#[test]
fn ctrl_l_labels_all_like_a_span_across_the_folder_and_undo_label_all_puts_it_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = notation_doc(
        dir.path(),
        "a",
        "[PLACE level=ADMIN1|سيكاسو] هاجمت الجماعة سيكاسو",
    );
    let other = notation_doc(dir.path(), "b", "وفي بسيكاسو قتل جندي");
    let before = std::fs::read(&other).expect("read");
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    harness.state_mut().app.apply(Command::Open(first.clone()));
    harness.run();
    click_span(&mut harness, "s1");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::L);
    harness.run();
    harness.get_by_label("Label all matches");
    press(&mut harness, "Whole folder");
    let preview = harness.state().app.label_all.clone().expect("preview");
    assert_eq!(preview.label, "PLACE");
    assert_eq!(
        preview.candidates.len(),
        3,
        "two here, one in the other document"
    );
    press(&mut harness, "Label 2");
    let here = harness.state().app.set().expect("set").spans.clone();
    assert_eq!(here.len(), 2);
    assert_eq!(
        here[1].attrs.get("level"),
        Some(&AttrValue::Str("ADMIN1".into())),
        "the template's attributes"
    );
    let written = marsad::store::load(&other, LabelSchema::builtin()).expect("reload");
    let spans = &written.set("coder-a").expect("a set for the coder").spans;
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text, "سيكاسو", "without its clitics");
    press(&mut harness, "Edit");
    press(&mut harness, "Undo label all (1)");
    assert_eq!(
        std::fs::read(&other).expect("read"),
        before,
        "put back byte for byte"
    );
}

#[test]
fn suggestions_from_what_was_labelled_are_clicked_or_entered_in_and_backspaced_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = notation_doc(dir.path(), "a", "[PLACE|مالي] قال إن بمالي وفي مالي ومالي");
    notation_doc(dir.path(), "b", "عاد الهدوء إلى مالي");
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    harness.state_mut().app.apply(Command::Open(first.clone()));
    harness.run();
    assert_eq!(harness.state().app.suggestions.len(), 3);
    assert_eq!(harness.state().view.suggested.len(), 3, "drawn, dashed");
    // A click on the first (بمالي) accepts it: a PLACE over مالي, without the ب.
    let rect = harness.state().view.suggested[0].1;
    click(&mut harness, rect.center(), 1, Modifiers::NONE);
    let spans = |h: &Harness<'_, MarsadApp>| -> Vec<String> {
        h.state()
            .app
            .set()
            .expect("set")
            .spans
            .iter()
            .map(|s| s.text.clone())
            .collect()
    };
    assert_eq!(spans(&harness), ["مالي", "مالي"]);
    // Backspace rejects the next one; Enter accepts the one after.
    harness.key_press(Key::Escape);
    harness.key_press(Key::Backspace);
    harness.run();
    assert_eq!(
        harness.state().app.suggestions.len(),
        1,
        "the rejected one does not come back"
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(spans(&harness).len(), 3);
    assert!(harness.state().app.suggestions.is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&first, LabelSchema::builtin()).expect("reload");
    let model = saved.set("string-matcher").expect("the recommender's set");
    assert!(matches!(model.source, marsad::model::Source::Model { .. }));
    assert_eq!(
        model.spans.len(),
        3,
        "two accepted, one rejected: all measured"
    );
    // The next document: مالي is proposed there too.
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run();
    let s = harness.state().app.suggestions.clone();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].label, "PLACE");
}

#[test]
fn the_menus_and_buttons_of_find_label_all_and_suggestions_do_what_they_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "menus", "[PLACE|مالي] قال إن مالي وفي مالي");
    let mut harness = window(&path, "coder-a");
    // View ▸ Suggestions off and on.
    assert_eq!(harness.state().app.suggestions.len(), 2);
    press(&mut harness, "View");
    press(&mut harness, "Suggestions");
    assert!(harness.state().app.suggestions.is_empty());
    assert!(harness.state().view.suggested.is_empty(), "none drawn");
    press(&mut harness, "View");
    press(&mut harness, "Suggestions");
    assert_eq!(harness.state().app.suggestions.len(), 2);
    // Edit ▸ Find…, typed into; Next, Next, Previous; Close keeps the match selected.
    press(&mut harness, "Edit");
    // A menu item with a shortcut is named with it ("Find… Ctrl+F").
    harness.get_by_label_contains("Find…").click();
    harness.run();
    harness.get_by_label("Find").type_text("مالي");
    harness.run();
    press(&mut harness, "Next");
    let first = harness.state().app.selection.expect("a match");
    press(&mut harness, "Next");
    press(&mut harness, "Next");
    let third = harness.state().app.selection.expect("a match");
    assert!(third.start > first.start);
    press(&mut harness, "Previous");
    assert!(harness.state().app.selection.expect("a match").start < third.start);
    press(&mut harness, "Close");
    assert!(harness.state().app.find.is_none());
    // Edit ▸ Label all like this… on the PLACE, then Cancel: nothing is made.
    click_span(&mut harness, "s1");
    press(&mut harness, "Edit");
    harness
        .get_by_label_contains("Label all like this…")
        .click();
    harness.run();
    harness.get_by_label("Label all matches");
    press(&mut harness, "Cancel");
    assert!(harness.state().app.label_all.is_none());
    assert_eq!(harness.state().app.set().expect("set").spans.len(), 1);
    // Enter takes the suggestion at the caret; Ctrl+S saves it.
    harness.key_press(Key::Escape);
    harness.key_press(Key::Enter);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    assert_eq!(saved.set("coder-a").expect("set").spans.len(), 2);
}
