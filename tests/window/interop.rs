//! Corpora in from the window: File ▸ Import Corpus… with its fields, the folder written in
//! the background and opened.

use super::*;

#[test]
fn file_import_corpus_writes_a_new_folder_in_the_background_and_opens_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = notation_doc(dir.path(), "seed", "في [PLACE|مالي]");
    let mut harness = window(&seed, "coder-a");
    press(&mut harness, "File");
    press(&mut harness, "Import Corpus…");
    harness.get_by_label("Import a corpus");
    let brat = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/brat");
    let inputs = format!(
        "{}\n{}",
        brat.join("coder-b").display(),
        brat.join("coder-c").display()
    );
    harness.get_by_label("input").click();
    harness.run();
    harness.get_by_label("input").type_text(&inputs);
    let out = dir.path().join("imported");
    harness.get_by_label("new folder").click();
    harness.run();
    harness
        .get_by_label("new folder")
        .type_text(&out.display().to_string());
    harness.run();
    press(&mut harness, "Import");
    harness.state_mut().app.wait_for_import();
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    let app = &harness.state().app;
    assert!(app.error.is_none(), "{:?}", app.error);
    assert_eq!(
        app.corpus.as_ref().map(|c| c.root.clone()),
        Some(out.clone()),
        "the folder opens"
    );
    let doc = marsad::store::load(&out.join("jnim.json"), LabelSchema::builtin()).expect("written");
    let ids: Vec<&str> = doc.sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["coder-b", "coder-c"]);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("imported 1 document ")),
        "{:?}",
        app.status
    );
}
