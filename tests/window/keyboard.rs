//! The coder at full speed, by keys and by the mouse: the caret, keyboard-only spans, Tab
//! through spans, relations by keys, snapped drags and resizing a span by its edge.

use super::*;

/// A claim, the group it is claimed by, and a place.
const CLAIM_GROUP_PLACE: &str = "[CLAIM|تبنت] [ACTOR|الجماعة] الهجوم في [PLACE|سيكاسو]";

/// The caret's offset as the view holds it.
fn caret(harness: &Harness<'_, MarsadApp>) -> usize {
    harness.state().view.caret
}

fn saved_spans(path: &Path, coder: &str) -> Vec<(String, String, CharRange)> {
    let doc = marsad::store::load(path, LabelSchema::builtin()).expect("reload");
    doc.set(coder)
        .map(|s| {
            s.spans
                .iter()
                .map(|x| (x.label.clone(), x.text.clone(), x.range()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn open_ctrl_home_ctrl_shift_left_one_ctrl_s_with_no_mouse() {
    let (_dir, seed) = samples();
    let mut harness = window(&seed, "coder-b");
    // The caret goes somewhere else first, then Ctrl+Home brings it to the start.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::End);
    harness.run();
    let len = text_len(&harness);
    assert_eq!(caret(&harness), len, "Ctrl+End: the document's end");
    harness.run();
    let shown = harness.state().view.caret_rect.expect("the caret is drawn");
    assert!(
        shown.min.y > 0.0 && shown.max.y < 800.0,
        "the view followed the caret to the end: {shown:?}"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness.run();
    assert_eq!(caret(&harness), 0, "Ctrl+Home: its start");
    assert!(
        harness.state().view.caret_rect.is_some(),
        "the caret is drawn"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    let first = find(&harness, "جماعة");
    assert_eq!(harness.state().app.selection, Some(first), "the first word");
    harness.key_press(Key::Num1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let spans = saved_spans(&seed, "coder-b");
    assert_eq!(spans, [("ACTOR".into(), "جماعة".into(), first)]);
}

#[test]
fn arrows_move_the_caret_in_visual_order_and_home_end_go_to_the_lines_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    // Right to left: Left goes forward, Right back.
    harness.key_press(Key::ArrowLeft);
    harness.key_press(Key::ArrowLeft);
    harness.run();
    assert_eq!(caret(&harness), 2);
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(caret(&harness), 1);
    assert_eq!(
        harness.state().app.selection,
        None,
        "no Shift, no selection"
    );
    // Ctrl+Left: to the end of the word; Shift+Right then selects back one letter.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowLeft);
    harness.run();
    assert_eq!(caret(&harness), 5, "the end of جماعة");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().app.selection, Some(CharRange::new(4, 5)));
    // End: the end of the (only) line; Home: its start.
    harness.key_press(Key::End);
    harness.run();
    let len = text_len(&harness);
    assert_eq!(caret(&harness), len);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Home);
    harness.run();
    assert_eq!(harness.state().app.selection, Some(CharRange::new(0, len)));
}

#[test]
fn tab_walks_the_spans_in_reading_order_and_a_label_key_relabels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    let selected = |h: &Harness<'_, MarsadApp>| h.state().app.selected_span.clone();
    harness.key_press(Key::Tab);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some("s1"));
    harness.key_press(Key::Tab);
    harness.key_press(Key::Tab);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some("s3"));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some("s2"));
    assert!(
        !harness.ctx.egui_wants_keyboard_input(),
        "Tab did not give the focus to a button"
    );
    // 2 is PLACE: the army becomes a place (its kind, which PLACE does not take, goes).
    harness.key_press(Key::Num2);
    harness.run();
    let s2 = span(&harness, "s2").expect("s2");
    assert_eq!(s2.label, "PLACE");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = saved_spans(&path, "coder-a");
    assert_eq!(
        saved[1],
        ("PLACE".into(), "الجيش".into(), s2.range()),
        "saved relabelled"
    );
}

#[test]
fn a_relation_is_made_by_keys_tab_to_the_target_and_enter_then_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "keys", CLAIM_GROUP_PLACE);
    let mut harness = window(&path, "coder-a");
    harness.key_press(Key::Tab);
    harness.key_press(Key::R);
    harness.run();
    assert_eq!(harness.state().app.relating.as_deref(), Some("s1"));
    harness.key_press(Key::Tab);
    harness.run();
    assert_eq!(harness.state().view.candidate.as_deref(), Some("s2"));
    harness.key_press(Key::Enter);
    harness.run();
    let set = harness.state().app.set().expect("set").clone();
    assert_eq!(set.relations.len(), 1);
    assert_eq!(
        (
            set.relations[0].kind.as_str(),
            set.relations[0].from.as_str(),
            set.relations[0].to.as_str()
        ),
        ("claimed_by", "s1", "s2")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("reload");
    assert_eq!(
        saved.set("coder-a").expect("set").relations.len(),
        1,
        "saved"
    );
    // In the panel under the claim, drawn as an arc; Ctrl+Z takes it back.
    click_span(&mut harness, "s1");
    harness.get_by_label("relations (1)");
    assert_eq!(harness.state().view.arcs.len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(harness.state().app.set().expect("set").relations.is_empty());
}

#[test]
fn a_drag_snaps_to_whole_words_and_alt_drags_by_letter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "snap", "قتل 27 جنديا. وقال المتحدث");
    let mut harness = window(&path, "coder-a");
    // From the middle of قتل to the full stop: both words whole, the stop left out.
    let from = middle_of(&harness, CharRange::new(1, 2)).0;
    let to = middle_of(&harness, CharRange::new(12, 13)).1;
    drag(&mut harness, from, to);
    assert_eq!(harness.state().app.selection, Some(CharRange::new(0, 12)));
    harness.key_press(Key::Num4);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = saved_spans(&path, "coder-a");
    assert_eq!(
        saved,
        [("CLAIM".into(), "قتل 27 جنديا".into(), CharRange::new(0, 12))]
    );
    harness.key_press(Key::Escape);
    harness.run();
    // Inside جنديا only, with Alt: the letters dragged over, no more.
    let from = middle_of(&harness, CharRange::new(8, 9)).0;
    let to = middle_of(&harness, CharRange::new(9, 10)).1;
    harness.event(egui::Event::ModifiersChanged(Modifiers::ALT));
    drag(&mut harness, from, to);
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    let sel = harness.state().app.selection.expect("a selection");
    assert!(sel.start >= 7 && sel.end <= 11 && sel.len() < 5, "{sel:?}");
}

#[test]
fn dragging_a_spans_edge_resizes_it_and_keeps_its_attributes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    // s2 is الجيش (kind STATE); its end edge is dragged over في onto the start of سيكاسو.
    click_span(&mut harness, "s2");
    let s2 = span(&harness, "s2").expect("s2");
    let end_edge = middle_of(&harness, s2.range()).1 - egui::vec2(1.5, 0.0);
    let fi = find(&harness, "في");
    let over = middle_of(&harness, fi).1;
    drag(&mut harness, end_edge, over);
    let grown = span(&harness, "s2").expect("s2 keeps its id");
    assert_eq!(grown.text, "الجيش في", "snapped to the whole word");
    assert_eq!(
        grown.attrs.get("kind"),
        Some(&AttrValue::Str("STATE".into())),
        "its attributes stay"
    );
    // Shift+Alt+Right moves its end back one letter (right to left: Right goes back).
    harness.key_press_modifiers(Modifiers::SHIFT | Modifiers::ALT, Key::ArrowRight);
    harness.run();
    assert_eq!(span(&harness, "s2").expect("s2").text, "الجيش ف");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = saved_spans(&path, "coder-a");
    assert!(saved.iter().any(|(_, t, _)| t == "الجيش ف"), "{saved:?}");
}

#[test]
fn a_clicked_arc_is_deleted_with_delete_and_deleting_a_related_span_asks_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = marsad::model::notation::parse(CLAIM_GROUP_PLACE)
        .expect("notation")
        .to_document("arcs", "coder-a");
    doc.sets[0].relations.push(marsad::model::Relation {
        id: "r1".into(),
        kind: "claimed_by".into(),
        from: "s1".into(),
        to: "s2".into(),
    });
    let path = dir.path().join("arcs.json");
    marsad::store::save(&path, &doc).expect("save");
    let mut harness = window(&path, "coder-a");
    let relations = |h: &Harness<'_, MarsadApp>| h.state().app.set().expect("set").relations.len();
    // A click on the arc's path selects the relation; Delete takes it out; Ctrl+Z back.
    let arc = harness.state().view.arcs.first().expect("drawn").clone();
    let on_it = arc.path[arc.path.len() / 2];
    click(&mut harness, on_it, 1, Modifiers::NONE);
    assert_eq!(harness.state().app.selected_relation.as_deref(), Some("r1"));
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(relations(&harness), 0);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(relations(&harness), 1);
    // Deleting the group asks first, naming the relation; Keep keeps both.
    click_span(&mut harness, "s2");
    harness.key_press(Key::Delete);
    harness.run();
    harness.get_by_label("Delete this span?");
    harness.get_by_label("• relation claimed_by from تبنت");
    press(&mut harness, "Keep");
    assert!(span(&harness, "s2").is_some());
    harness.key_press(Key::Delete);
    harness.run();
    press(&mut harness, "Delete them all");
    assert!(span(&harness, "s2").is_none());
    assert_eq!(relations(&harness), 0, "the relation went with it");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(span(&harness, "s2").is_some());
    assert_eq!(relations(&harness), 1, "one undo brings both back");
}
