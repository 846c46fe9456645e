//! Events across articles in the window: three short reports of one attack that disagree on
//! the toll; the first report's event promoted to the corpus, the other two found through the
//! candidate list and linked with a click each, the reconciled figure and the disagreement read
//! in the corpus event's card, and a figure's link opening its report at its span.

use super::*;
use marsad::model::Event;

/// Three reports of one attack: the group claims one soldier killed, a security source says
/// three, a local radio two; and an unrelated article about floods in another region.
fn three_reports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = notation_doc(
        dir.path(),
        "a-claim",
        "[ACTOR kind=REBEL|جماعة نصرة الإسلام] تتبنى هجوما على ثكنة في [PLACE level=LOCALITY|سيكاسو] أسفر عن مقتل [CASUALTY kind=KILLED value=1 group=STATE_FORCES|جندي واحد]",
    );
    let mut doc = marsad::store::load(&a, LabelSchema::builtin()).expect("load");
    doc.sets[0].events.push(Event {
        id: "e1".into(),
        event_type: "Battles".into(),
        sub_event_type: Some("Armed clash".into()),
        date: Some("2023-01-18".into()),
        perpetrators: vec!["s1".into()],
        places: vec!["s2".into()],
        casualties: vec!["s3".into()],
        ..Event::default()
    });
    marsad::store::save(&a, &doc).expect("save");
    let b = notation_doc(
        dir.path(),
        "b-security",
        "قال مصدر أمني إن [CASUALTY kind=KILLED value=3 group=STATE_FORCES|ثلاثة جنود] قتلوا في هجوم شنه مسلحون من [ACTOR kind=REBEL|جماعة نصرة الإسلام] على موقع عسكري [PLACE level=LOCALITY|بسيكاسو]",
    );
    let mut doc = marsad::store::load(&b, LabelSchema::builtin()).expect("load");
    doc.document.meta.published = Some("2023-01-19".into());
    marsad::store::save(&b, &doc).expect("save");
    let c = notation_doc(
        dir.path(),
        "c-radio",
        "أفادت إذاعة محلية بمقتل [CASUALTY kind=KILLED value=2 group=STATE_FORCES|جنديين] في هجوم على ثكنة [PLACE level=LOCALITY|سيكاسو]",
    );
    let mut doc = marsad::store::load(&c, LabelSchema::builtin()).expect("load");
    doc.document.meta.published = Some("2023-01-18".into());
    marsad::store::save(&c, &doc).expect("save");
    notation_doc(
        dir.path(),
        "d-floods",
        "أمطار غزيرة تغمر أحياء في [PLACE level=ADMIN1|موبتي]",
    );
    dir
}

#[test]
fn an_event_promoted_to_the_corpus_is_linked_to_another_report_and_reconciled() {
    let dir = three_reports();
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    press(&mut harness, "Events (1)");
    harness.get_by_label("e1").click();
    harness.run();
    press(&mut harness, "Promote to corpus");
    let stored = marsad::store::corpus_events::path_of(dir.path(), "ev1");
    assert!(stored.is_file(), "written to marsad-events/");
    harness.get_by_label("Corpus events (1)");
    harness.get_by_label("fatalities: 1 (the lowest report per group)");
    // The security source's report is found by its place (بسيكاسو) and its actor, the radio's
    // by its place; the best first.
    harness.get_by_label_contains("Reports elsewhere (2)");
    harness.get_by_label("b-security.json · place, actor, date");
    harness.get_by_label("c-radio.json · place, date");
    harness
        .get_all_by_label("Link")
        .next()
        .expect("a Link button")
        .click();
    harness.run();
    harness.get_by_label("2 report(s)");
    press(&mut harness, "Link");
    harness.get_by_label("3 report(s)");
    harness.get_by_label("fatalities: 1 (the lowest report per group)");
    harness.get_by_label(
        "reports differ: STATE_FORCES: a-claim.json: 1 killed; b-security.json: 3 killed; c-radio.json: 2 killed",
    );
    harness.get_by_label("date 2023-01-18 · time precision 1 · geo precision 1");
    assert!(
        harness
            .query_by_label_contains("Reports elsewhere")
            .is_none(),
        "the floods article is no candidate"
    );
    let event = marsad::store::corpus_events::load(&stored).expect("valid");
    assert_eq!(
        event.documents(),
        ["a-claim.json", "b-security.json", "c-radio.json"]
    );
    assert_eq!(event.links.len(), 8);
    // A figure's link opens its report at the span.
    press(&mut harness, "b-security.json: 3 killed (STATE_FORCES)");
    let state = harness.state();
    assert_eq!(
        state.app.session.as_ref().map(|s| s.path.clone()),
        Some(dir.path().join("b-security.json"))
    );
    assert_eq!(state.app.selected_span.as_deref(), Some("s1"));
}

#[test]
fn a_corpus_event_whose_span_changed_is_named_when_the_folder_opens() {
    let dir = three_reports();
    let mut harness = window(dir.path(), "coder-a");
    press(&mut harness, "Events (1)");
    harness.get_by_label("e1").click();
    harness.run();
    press(&mut harness, "Promote to corpus");
    drop(harness);
    // The place's span is changed in its document after it was linked.
    let a = dir.path().join("a-claim.json");
    let mut doc = marsad::store::load(&a, LabelSchema::builtin()).expect("load");
    let span = &mut doc.sets[0].spans[1];
    span.end -= 1;
    span.text.pop();
    marsad::store::save(&a, &doc).expect("save");
    let harness = window(dir.path(), "coder-a");
    let error = harness.state().app.error.clone().unwrap_or_default();
    assert!(
        error.contains("event ev1: places link to a-claim.json coder-a/s2: the span's text is now \"سيكاس\", not \"سيكاسو\""),
        "{error}"
    );
}

/// Corpus event `id` made of `document`'s spans (places s2, perpetrators s1), reported on
/// `date`.
fn stored_event(dir: &Path, id: &str, document: &str, date: &str) {
    use marsad::model::EventRole;
    use marsad::model::corpus_event::{CorpusEvent, Link, Report};
    let doc = marsad::store::load(&dir.join(document), LabelSchema::builtin()).expect("load");
    let set = &doc.sets[0];
    let link = |role: EventRole, label: &str| {
        let span = set.spans.iter().find(|s| s.label == label).expect("span");
        Link::of(role, document, &set.id, span)
    };
    let mut e = CorpusEvent::new(id, "Battles");
    e.links = vec![
        link(EventRole::Perpetrators, "ACTOR"),
        link(EventRole::Places, "PLACE"),
    ];
    e.reports = vec![Report {
        document: document.into(),
        date: Some(date.into()),
        event: None,
    }];
    marsad::store::corpus_events::save(dir, &e).expect("save");
}

#[test]
fn two_corpus_events_that_are_one_are_merged_with_a_click_and_the_merge_undone() {
    let dir = three_reports();
    stored_event(dir.path(), "ev1", "a-claim.json", "2023-01-18");
    stored_event(dir.path(), "ev2", "b-security.json", "2023-01-19");
    let mut harness = window(dir.path(), "coder-a");
    press(&mut harness, "Events (1)");
    harness.get_by_label("probably the same event as ev2");
    press(&mut harness, "Merge");
    harness.get_by_label("Corpus events (1)");
    harness.get_by_label("2 report(s)");
    let events = marsad::store::corpus_events::load_all(dir.path()).0;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].documents(), ["a-claim.json", "b-security.json"]);
    press(&mut harness, "Edit");
    press(&mut harness, "Undo merge of events");
    harness.get_by_label("Corpus events (2)");
    let events = marsad::store::corpus_events::load_all(dir.path()).0;
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["ev1", "ev2"]);
    assert_eq!(events[0].documents(), ["a-claim.json"]);
}

#[test]
fn the_registry_offers_its_entries_in_the_attribute_editor_and_takes_a_new_one_from_a_span() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = small_document(dir.path());
    let mut harness = window(&path, "coder-a");
    // An actor: typing "jn" into actor_id offers JNIM from the bundled registry.
    click_span(&mut harness, "s1");
    harness.get_by_label("actor_id").click();
    harness.run();
    harness.get_by_label("actor_id").type_text("jn");
    harness.run();
    harness
        .get_by_label_contains("jnim · JNIM: Group for Support of Islam and Muslims")
        .click();
    harness.run();
    assert_eq!(
        span(&harness, "s1").and_then(|s| s.attrs.get("actor_id").cloned()),
        Some(AttrValue::Str("jnim".into()))
    );
    // A place: with nothing typed, its text finds سيكاسو's entry.
    click_span(&mut harness, "s3");
    harness
        .get_by_label_contains("ml-sikasso · Sikasso")
        .click();
    harness.run();
    assert_eq!(
        span(&harness, "s3").and_then(|s| s.attrs.get("gazetteer_id").cloned()),
        Some(AttrValue::Str("ml-sikasso".into()))
    );
    // The army of this article is in no entry: a new one from the span, with the id typed.
    click_span(&mut harness, "s2");
    harness.get_by_label("actor_id").click();
    harness.run();
    harness.get_by_label("actor_id").type_text("army-x");
    harness.run();
    press(&mut harness, "New registry entry");
    assert_eq!(
        span(&harness, "s2").and_then(|s| s.attrs.get("actor_id").cloned()),
        Some(AttrValue::Str("army-x".into()))
    );
    let registry =
        marsad::store::registry::read(&dir.path().join("marsad-registry.json")).expect("written");
    let entry = registry.get("ACTOR", "army-x").expect("the new entry");
    assert_eq!(entry.names, ["الجيش"]);
    assert_eq!(
        (entry.kind.as_deref(), entry.inter),
        (Some("STATE"), Some(1))
    );
    assert!(
        registry.get("ACTOR", "jnim").is_some(),
        "the starter entries came along"
    );
    // Saved: the document names the entries.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = marsad::store::load(&path, LabelSchema::builtin()).expect("saved");
    assert_eq!(
        saved.sets[0].spans[1].attrs.get("actor_id"),
        Some(&AttrValue::Str("army-x".into()))
    );
}
