//! `marsad import-predictions` and `marsad agree` run as a user runs them, on temp documents
//! written in span notation: what is imported, what is reported, and figures checked by hand.

use std::fs;
use std::path::{Path, PathBuf};

use marsad::model::{AnnotatedDocument, LabelSchema, Source, notation};
use marsad::store;
use serde_json::Value;

mod common;
use common::{marsad, text};

/// A document with set `a` from one notation and set `b` from another (same text).
fn two_sets(dir: &Path, name: &str, a: &str, b: Option<&str>) -> PathBuf {
    let mut doc: AnnotatedDocument = notation::parse(a).expect("A").to_document(name, "a");
    if let Some(b) = b {
        let other = notation::parse(b).expect("B").to_document(name, "b");
        assert_eq!(other.document.text(), doc.document.text());
        doc.sets.push(other.sets[0].clone());
    }
    let path = dir.join(format!("{name}.json"));
    store::save(&path, &doc).expect("save");
    path
}

#[test]
fn hugging_face_predictions_go_in_as_a_model_set_and_mismatches_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = two_sets(
        dir.path(),
        "sikasso",
        "هاجمت [ACTOR|جماعة نصرة الإسلام] بلدة في [PLACE|سيكاسو]",
        None,
    );
    let pred = dir.path().join("camelbert.json");
    fs::write(
        &pred,
        r#"[{"entity_group": "ORG", "score": 0.93, "word": "جماعة نصرة الإسلام", "start": 6, "end": 24},
            {"entity_group": "LOC", "score": 0.88, "word": "سيكاسو", "start": 33, "end": 39},
            {"entity_group": "LOC", "score": 0.51, "word": "كايس", "start": 33, "end": 39}]"#,
    )
    .expect("write");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &"--model-version",
        &"v2",
        &"--strict",
        &pred,
        &doc,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let err = text(&run.stderr);
    assert!(
        err.contains("camelbert.json: prediction 3 (LOC): text[33:39] is \"سيكاسو\" but the prediction says \"كايس\""),
        "{err}"
    );
    assert!(text(&run.stdout).contains("2 prediction(s) imported as set \"camelbert\""));
    let saved = store::load(&doc, LabelSchema::builtin()).expect("valid after import");
    let set = saved.set("camelbert").expect("the model's set");
    assert_eq!(
        set.source,
        Source::Model {
            name: "camelbert".into(),
            version: Some("v2".into())
        }
    );
    let got: Vec<(&str, &str, Option<f64>)> = set
        .spans
        .iter()
        .map(|s| (s.label.as_str(), s.text.as_str(), s.confidence))
        .collect();
    assert_eq!(
        got,
        [
            ("ACTOR", "جماعة نصرة الإسلام", Some(0.93)),
            ("PLACE", "سيكاسو", Some(0.88))
        ]
    );
    assert_eq!(
        saved.set("a").expect("the coder's set").spans.len(),
        2,
        "untouched"
    );
}

#[test]
fn utf16_offsets_from_a_javascript_tool() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = two_sets(dir.path(), "emoji", "🔥 قصف في [PLACE|سيكاسو] أمس", None);
    let pred = dir.path().join("js.json");
    fs::write(
        &pred,
        r#"{"text": "🔥 قصف في سيكاسو أمس", "ents": [{"start": 10, "end": 16, "label": "GPE"}]}"#,
    )
    .expect("write");
    let out = dir.path().join("with-model.json");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"spacy",
        &"--offsets",
        &"utf16",
        &"--model",
        &"js",
        &pred,
        &doc,
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let saved = store::load(&out, LabelSchema::builtin()).expect("load");
    let span = &saved.set("js").expect("set").spans[0];
    assert_eq!(
        (span.start, span.end, span.text.as_str()),
        (9, 15, "سيكاسو")
    );
}

#[test]
fn agree_prints_hand_checked_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    // exact: 1 of 4 (B), 1 of 3 (A); overlap (same label): 3 of 4, 3 of 3.
    let doc = two_sets(
        dir.path(),
        "one",
        "[ACTOR|الجيش] قصف [PLACE|بسيكاسو] و[ACTOR|جماعة نصرة الإسلام] أمس",
        Some("[ACTOR|الجيش] قصف ب[PLACE|سيكاسو] و[ACTOR|جماعة] نصرة الإسلام [CLAIM|أمس]"),
    );
    let run = marsad(&[&"agree", &doc, &"--a", &"a", &"--b", &"b", &"--json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: Value = serde_json::from_str(&text(&run.stdout)).expect("json");
    let overall = report["micro"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"] == "overall")
        .expect("overall")
        .clone();
    let close = |v: &Value, x: f64| (v.as_f64().expect("number") - x).abs() < 1e-9;
    assert!(close(&overall["figures"]["exact"]["precision"], 0.25));
    assert!(close(&overall["figures"]["exact"]["recall"], 1.0 / 3.0));
    assert!(close(&overall["figures"]["overlap"]["precision"], 0.75));
    assert!(close(&overall["figures"]["overlap"]["recall"], 1.0));
    assert_eq!(overall["a"], 3);
    assert_eq!(overall["b"], 4);
    let table = marsad(&[&"agree", &doc, &"--a", &"a", &"--b", &"b"]);
    let table = text(&table.stdout);
    assert!(
        table.contains("B = b against A = a: 1 document(s)"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("overall") && l.contains("0.250")),
        "{table}"
    );
}

#[test]
fn agree_over_a_folder_adds_up_and_skips_documents_without_both_sets() {
    let dir = tempfile::tempdir().expect("tempdir");
    two_sets(
        dir.path(),
        "d1",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        Some("[ACTOR|الجيش] في [PLACE|مالي]"),
    );
    two_sets(
        dir.path(),
        "d2",
        "[ACTOR|الجيش] في مالي",
        Some("الجيش في [PLACE|مالي]"),
    );
    two_sets(dir.path(), "d3", "[ACTOR|الجيش] في مالي", None);
    let run = marsad(&[&"agree", &dir.path(), &"--a", &"a", &"--b", &"b", &"--json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("d3.json: document: not both sets"));
    let report: Value = serde_json::from_str(&text(&run.stdout)).expect("json");
    assert_eq!(report["documents"], 2);
    let overall = report["micro"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"] == "overall")
        .expect("overall")
        .clone();
    // Micro: 3 spans in A, 3 in B, 2 exact → P = R = 2/3.
    assert_eq!(
        (
            overall["a"].clone(),
            overall["b"].clone(),
            overall["exact"].clone()
        ),
        (3.into(), 3.into(), 2.into())
    );
    // Macro: d1 F1 1, d2 F1 0 → 0.5.
    let macro_f1 = report["macro_overall"]["exact"]["f1"]
        .as_f64()
        .expect("macro");
    assert!((macro_f1 - 0.5).abs() < 1e-9, "{macro_f1}");
    // A set nobody has is an error, not a pass.
    let run = marsad(&[&"agree", &dir.path(), &"--a", &"a", &"--b", &"nobody"]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn agree_with_three_sets_gives_the_pairwise_table_fleiss_kappa_and_alpha_u() {
    // Three coders over "abcdefghij": PLACE on bcd, bcd and cde.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc: AnnotatedDocument = notation::parse("a[PLACE|bcd]efghij")
        .expect("a")
        .to_document("three", "a");
    for (id, marked) in [("b", "a[PLACE|bcd]efghij"), ("c", "ab[PLACE|cde]fghij")] {
        let other = notation::parse(marked).expect(id).to_document("three", id);
        doc.sets.push(other.sets[0].clone());
    }
    let path = dir.path().join("three.json");
    store::save(&path, &doc).expect("save");
    let run = marsad(&[&"agree", &path, &"--sets", &"a,b,c", &"--json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: Value = serde_json::from_str(&text(&run.stdout)).expect("json");
    // By hand: characters covered by 0,2,3,3,1,0,0,0,0,0 coders; P̄ = (8 + 2/3)/10,
    // p = 9/30, Pe = 0.58.
    let fleiss = report["fleiss"]["overall"].as_f64().expect("κ");
    assert!(
        (fleiss - (26.0 / 30.0 - 0.58) / 0.42).abs() < 1e-12,
        "{fleiss}"
    );
    // αu of three coders as DKPro defines it: D_o = 8/600, D_e = 71.4/852.
    let alpha = report["alpha_u"]["overall"].as_f64().expect("αu");
    assert!((alpha - (1.0 - (8.0 / 600.0) / (71.4 / 852.0))).abs() < 1e-12);
    let pairs: Vec<(String, String, f64)> = report["pairwise"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap_or("").to_owned(),
                p["b"].as_str().unwrap_or("").to_owned(),
                p["figures"]["exact"]["f1"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("a".into(), "b".into(), 1.0),
            ("a".into(), "c".into(), 0.0),
            ("b".into(), "c".into(), 0.0)
        ]
    );
    let table = text(&marsad(&[&"agree", &path, &"--sets", &"a,b,c"]).stdout);
    assert!(
        table.contains("fleiss") && table.contains("0.683"),
        "{table}"
    );
    // --sets and --a are one or the other; one set is not a comparison.
    let both = marsad(&[&"agree", &path, &"--sets", &"a,b", &"--a", &"a"]);
    assert_eq!(both.status.code(), Some(2));
    let one = marsad(&[&"agree", &path, &"--sets", &"a"]);
    assert_eq!(one.status.code(), Some(1));
    assert!(text(&one.stderr).contains("at least two"));
}

#[test]
fn agree_reports_krippendorffs_alpha_u() {
    // DKPro Statistics' small example: one long unit against three short ones inside it.
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = two_sets(
        dir.path(),
        "dkpro",
        "a[PLACE|bcdefghi]j",
        Some("ab[PLACE|c]d[PLACE|e]f[PLACE|g]hij"),
    );
    let run = marsad(&[&"agree", &doc, &"--a", &"a", &"--b", &"b", &"--json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: Value = serde_json::from_str(&text(&run.stdout)).expect("json");
    let place = report["alpha_u"]["labels"]["PLACE"].as_f64().expect("αu");
    assert!((place + 0.7003460208).abs() < 1e-9, "{place}");
    let table = text(&marsad(&[&"agree", &doc, &"--a", &"a", &"--b", &"b"]).stdout);
    assert!(
        table.contains("alpha_u") && table.contains("-0.700"),
        "{table}"
    );
}

#[test]
fn an_unreadable_predictions_file_is_named_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = two_sets(dir.path(), "d", "قصف في [PLACE|سيكاسو]", None);
    let before = fs::read(&doc).expect("read");
    let bad = dir.path().join("bad.json");
    fs::write(&bad, b"[{\"entity_group\": \"LOC\", \xff").expect("write");
    let run = marsad(&[&"import-predictions", &"--format", &"hf", &bad, &doc]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("bad.json: byte 25: invalid UTF-8"),
        "{}",
        text(&run.stderr)
    );
    fs::write(&bad, "[{\"entity_group\": \"LOC\",").expect("write");
    let run = marsad(&[&"import-predictions", &"--format", &"hf", &bad, &doc]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("bad.json: line 1, column"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(
        fs::read(&doc).expect("read"),
        before,
        "the document is untouched"
    );
}

#[test]
fn real_tokenizer_output_is_taken_by_its_offsets() {
    let dir = tempfile::tempdir().expect("tempdir");
    // What a real Arabic NER pipeline returns: `word` decoded by the tokenizer (spaces around
    // punctuation, sub-word pieces, harakat and hamza stripped), start/end the truth.
    let doc = two_sets(
        dir.path(),
        "jnim",
        "تبنت [ACTOR|جماعة نصرة الإسلام] [ACTOR|(JNIM)] هجوما على [ACTOR|الجَيْش] في [PLACE|سيكاسو]",
        None,
    );
    let text = store::load(&doc, LabelSchema::builtin())
        .expect("load")
        .document
        .text()
        .to_owned();
    let at = |w: &str| {
        let b = text.find(w).expect("word");
        let s = text[..b].chars().count();
        (s, s + w.chars().count())
    };
    let entity = |group: &str, word: &str, of: &str| {
        let (s, e) = at(of);
        serde_json::json!({"entity_group": group, "score": 0.9, "word": word, "start": s, "end": e})
    };
    let preds = serde_json::json!([
        entity("ORG", "جماعة نصرة الاسلام", "جماعة نصرة الإسلام"),
        entity("ORG", "( JNIM )", "(JNIM)"),
        entity("ORG", "الجيش", "الجَيْش"),
        entity("LOC", "##سيكا ##سو", "سيكاسو"),
        entity("LOC", "باماكو", "سيكاسو"),
    ]);
    let pred = dir.path().join("model.json");
    fs::write(&pred, preds.to_string()).expect("write");
    let run = marsad(&[&"import-predictions", &"--format", &"hf", &pred, &doc]);
    assert!(run.status.success(), "{}", common::text(&run.stderr));
    let err = common::text(&run.stderr);
    // Only the word that is really another word is named, and it is still taken.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("but the prediction says \"باماكو\"; taken by its offsets"),
        "{err}"
    );
    let saved = store::load(&doc, LabelSchema::builtin()).expect("load");
    let words: Vec<&str> = saved
        .set("model")
        .expect("the model's set")
        .spans
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(
        words,
        ["جماعة نصرة الإسلام", "(JNIM)", "الجَيْش", "سيكاسو", "سيكاسو"]
    );
    // --strict leaves it out instead.
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &"--strict",
        &"--model",
        &"strict",
        &pred,
        &doc,
    ]);
    assert!(
        common::text(&run.stdout)
            .contains("4 prediction(s) imported as set \"strict\", 1 left out")
    );
}

/// langextract's `save_annotated_documents` output for two documents, one per line (the
/// fields its `annotated_document_to_dict` writes; langextract itself needs a model API to
/// run, so the lines were written from its source).
#[test]
fn langextract_jsonl_picks_this_document_and_converts_attributes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = two_sets(dir.path(), "kidal", "قتل 27 جنديا في كيدال", None);
    let line = |id: &str, text: &str| {
        serde_json::json!({
            "extractions": [{
                "extraction_class": "CASUALTY",
                "extraction_text": "27 جنديا",
                "char_interval": {"start_pos": 4, "end_pos": 12},
                "alignment_status": "match_exact",
                "extraction_index": 1,
                "group_index": 0,
                "description": null,
                "attributes": {"value": "27", "qualifier": "exact", "kind": "killed", "group": "SOLDIERS"},
                "token_interval": {"start_index": 1, "end_index": 3}
            }],
            "text": text,
            "document_id": id
        })
        .to_string()
    };
    let pred = dir.path().join("lx.jsonl");
    fs::write(
        &pred,
        format!(
            "{}\n{}\n",
            line("doc_other", "نص آخر تماما"),
            line("kidal", "قتل 27 جنديا في كيدال")
        ),
    )
    .expect("write");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"langextract",
        &pred,
        &doc,
    ]);
    assert!(run.status.success(), "{}", common::text(&run.stderr));
    let err = common::text(&run.stderr);
    assert!(
        err.contains("attribute group = \"SOLDIERS\" dropped: not a value group takes"),
        "{err}"
    );
    let saved = store::load(&doc, LabelSchema::builtin()).expect("load");
    let span = &saved.set("lx").expect("set").spans[0];
    assert_eq!(span.text, "27 جنديا");
    let attrs: Vec<(String, String)> = span
        .attrs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    assert_eq!(
        attrs,
        [
            ("kind".to_owned(), "\"KILLED\"".to_owned()),
            ("qualifier".to_owned(), "\"EXACT\"".to_owned()),
            ("value".to_owned(), "27".to_owned())
        ]
    );
    // A file about another document only is an error, and changes nothing.
    fs::write(&pred, line("doc_other", "نص آخر تماما")).expect("write");
    let before = fs::read(&doc).expect("read");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"langextract",
        &"--model",
        &"x",
        &pred,
        &doc,
    ]);
    assert!(!run.status.success());
    assert!(
        common::text(&run.stderr).contains("none of its documents is this one"),
        "{}",
        common::text(&run.stderr)
    );
    assert_eq!(fs::read(&doc).expect("read"), before);
}

#[test]
fn the_review_queue_puts_the_most_disagreement_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    two_sets(
        dir.path(),
        "agree",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        Some("[ACTOR|الجيش] في [PLACE|مالي]"),
    );
    two_sets(
        dir.path(),
        "disagree",
        "[ACTOR|الجيش] في [PLACE|مالي]",
        Some("[PLACE|الجيش] في مالي"),
    );
    let run = marsad(&[&"review-queue", &"--json", &dir.path()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let rows: Value = serde_json::from_slice(&run.stdout).expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("disagree.json"))
    );
    assert_eq!(
        rows[0]["differences"], 2,
        "a label mismatch and a missing place"
    );
    assert_eq!(rows[0]["undecided"], 2);
    assert_eq!(rows[0]["f1"], 0.0);
    assert_eq!(
        (rows[1]["f1"].as_f64(), rows[1]["differences"].as_u64()),
        (Some(1.0), Some(0))
    );
    assert_eq!(
        (rows[0]["a"].as_str(), rows[0]["b"].as_str()),
        (Some("a"), Some("b"))
    );
}

#[test]
fn a_folder_of_predictions_goes_into_a_corpus_in_one_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let preds = dir.path().join("camelbert");
    fs::create_dir_all(&corpus).expect("corpus");
    fs::create_dir_all(&preds).expect("predictions");
    let first = two_sets(&corpus, "first", "[ACTOR|الجيش] في مالي", None);
    let second = two_sets(&corpus, "second", "قصف [PLACE|باماكو]", None);
    let third = two_sets(&corpus, "third", "لا شيء هنا", None);
    let before_third = fs::read(&third).expect("read");
    fs::write(
        preds.join("first.json"),
        r#"[{"entity_group": "LOC", "score": 0.9, "word": "مالي", "start": 9, "end": 13}]"#,
    )
    .expect("write");
    fs::write(
        preds.join("second.jsonl"),
        "[{\"entity_group\": \"LOC\", \"score\": 0.8, \"word\": \"باماكو\", \"start\": 4, \"end\": 10}]\n",
    )
    .expect("write");
    fs::write(preds.join("stray.json"), "[]").expect("write");
    let run = marsad(&[&"import-predictions", &"--format", &"hf", &preds, &corpus]);
    let err = text(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("third.json: document: no predictions file"),
        "{err}"
    );
    assert!(
        err.contains("stray.json: file: no document of that name"),
        "{err}"
    );
    assert!(
        text(&run.stdout).contains("2 document(s) took predictions as set \"camelbert\""),
        "{}",
        text(&run.stdout)
    );
    for (path, word) in [(&first, "مالي"), (&second, "باماكو")] {
        let doc = store::load(path, LabelSchema::builtin()).expect("reload");
        let model = doc.set("camelbert").expect("the model's set");
        assert!(matches!(model.source, Source::Model { .. }));
        assert_eq!(model.spans[0].text, word);
        assert_eq!(
            doc.set("a").map(|s| s.spans.len()),
            Some(1),
            "the coder's set stays"
        );
    }
    assert_eq!(fs::read(&third).expect("read"), before_third, "untouched");
    // -o has no meaning for a corpus; a file into a folder is refused.
    let out = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &preds,
        &corpus,
        &"-o",
        &"x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let mixed = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &preds.join("first.json"),
        &corpus,
    ]);
    assert_eq!(mixed.status.code(), Some(1));
}

/// A two-document JSONL written by langextract itself: its resolver parsed a model's answer,
/// its aligner set `char_interval` and `alignment_status`, and `save_annotated_documents`
/// wrote the lines (`tools/langextract/make_fixture.py` made it with langextract 1.7.1 from
/// PyPI; only the model call is left out, since it needs an API key).
#[test]
fn langextract_output_from_its_own_writer_imports_with_attributes_converted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/langextract/two-documents.jsonl");
    let doc = two_sets(
        dir.path(),
        "kidal",
        "قتل 27 جنديا في كيدال، وتبنت جماعة نصرة الإسلام الهجوم.",
        None,
    );
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"langextract",
        &"--model",
        &"gemini",
        &fixture,
        &doc,
    ]);
    let err = text(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("group = \"SOLDIERS\" dropped"), "{err}");
    let saved = store::load(&doc, LabelSchema::builtin()).expect("load");
    let set = saved.set("gemini").expect("the model's set");
    let got: Vec<(&str, &str, String)> = set
        .spans
        .iter()
        .map(|s| {
            let attrs: Vec<String> = s.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            (s.label.as_str(), s.text.as_str(), attrs.join(" "))
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "CASUALTY",
                "27 جنديا",
                "kind=\"KILLED\" qualifier=\"EXACT\" value=27".to_owned()
            ),
            ("PLACE", "كيدال", "level=\"LOCALITY\"".to_owned()),
            ("CLAIM", "وتبنت", "hedged=false".to_owned()),
            // "rebels" is not one of ACTOR kind's values (REBEL is): dropped, and said.
            ("ACTOR", "جماعة نصرة الإسلام", String::new()),
        ]
    );
    assert!(err.contains("kind = \"rebels\" dropped"), "{err}");
    // The other line is another document's: a document with that text takes that one.
    let other = two_sets(dir.path(), "menaka", "نزح أكثر من 300 شخص من ميناكا.", None);
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"langextract",
        &"--model",
        &"gemini",
        &fixture,
        &other,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let saved = store::load(&other, LabelSchema::builtin()).expect("load");
    let spans = &saved.set("gemini").expect("set").spans;
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].text, "ميناكا");
}
