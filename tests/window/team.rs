//! A team's corpus in the window: blind coding hides the other coder's set until the coder is
//! done, the navigator lists the coder's own documents first and filters them, the Team tab
//! shows where everyone stands, and a merge conflict is settled with a click and saved.

use super::*;
use marsad::model::{AnnotatedDocument, Conflict, Status};
use marsad::store::team::{Manifest, TEAM_FORMAT};

const TEXT: &str = "[ACTOR kind=REBEL|جماعة نصرة الإسلام] تتبنى الهجوم في [PLACE|سيكاسو]";

/// A folder of documents `names` each coded by coder-a and coder-b, with a manifest.
fn team_folder(names: &[&str], manifest: Manifest) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in names {
        let path = notation_doc(dir.path(), name, TEXT);
        let mut doc = marsad::store::load(&path, LabelSchema::builtin()).expect("load");
        let mut b =
            marsad::model::notation::parse("جماعة نصرة الإسلام [CLAIM|تتبنى] الهجوم في سيكاسو")
                .expect("notation")
                .to_document(name, "coder-b")
                .sets
                .remove(0);
        b.status = Status::Done;
        doc.sets.push(b);
        marsad::store::save(&path, &doc).expect("save");
    }
    manifest.save(dir.path()).expect("manifest");
    dir
}

fn manifest(blind: bool, assignments: &[(&str, &[&str])]) -> Manifest {
    Manifest {
        format: TEAM_FORMAT.to_owned(),
        blind,
        adjudicator: Some("lead".into()),
        coders: vec!["coder-a".into(), "coder-b".into(), "coder-c".into()],
        per_document: 2,
        seed: 0,
        assignments: assignments
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.iter().map(|c| (*c).to_owned()).collect()))
            .collect(),
    }
}

fn saved(path: &Path) -> AnnotatedDocument {
    marsad::store::load(path, LabelSchema::builtin()).expect("saved")
}

/// One document coded by coder-a and coder-b under blind coding, open for `coder` on the
/// Review tab.
fn blind(coder: &str) -> (tempfile::TempDir, Harness<'static, MarsadApp>) {
    let dir = team_folder(
        &["one"],
        manifest(true, &[("one.json", &["coder-a", "coder-b"])]),
    );
    let mut harness = window(dir.path(), coder);
    press(&mut harness, "Review");
    (dir, harness)
}

/// The ids of the open document's sets.
fn set_ids(harness: &Harness<'_, MarsadApp>) -> Vec<String> {
    let doc = &harness.state().app.session.as_ref().expect("open").doc;
    doc.sets.iter().map(|s| s.id.clone()).collect()
}

#[test]
fn blind_coding_hides_the_other_coders_set_until_mark_done() {
    let (dir, mut harness) = blind("coder-a");
    harness.get_by_label_contains("Blind coding: 1 other coder(s)' set(s) stay hidden");
    assert!(
        harness
            .query_by_label_contains("A review compares two sets")
            .is_some(),
        "coder-b's set is not offered"
    );
    assert_eq!(harness.state().app.reviewable_sets(), ["coder-a"]);
    press(&mut harness, "Mark done");
    // Mark done moves on when another document is to be done; this is the only one.
    press(&mut harness, "Review");
    assert!(harness.query_by_label_contains("Blind coding").is_none());
    assert_eq!(
        harness.state().app.reviewable_sets(),
        ["coder-a", "coder-b"]
    );
    let doc = saved(&dir.path().join("one.json"));
    let own = doc.set("coder-a").expect("coder-a");
    assert_eq!(own.status, Status::Done);
    assert!(own.effort.done.is_some(), "when it was done is in the file");
}

#[test]
fn the_adjudicator_sees_every_set_while_coding_is_blind() {
    let (_dir, harness) = blind("lead");
    assert!(harness.query_by_label_contains("Blind coding").is_none());
    assert_eq!(
        harness.state().app.reviewable_sets(),
        ["coder-a", "coder-b"]
    );
}

#[test]
fn the_navigator_lists_the_coders_own_documents_first_and_filters_them() {
    let dir = team_folder(
        &["alpha", "beta", "gamma"],
        manifest(
            false,
            &[
                ("alpha.json", &["coder-b", "coder-c"]),
                ("beta.json", &["coder-a", "coder-b"]),
                ("gamma.json", &["coder-a", "coder-c"]),
            ],
        ),
    );
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    let listed = |h: &Harness<'_, MarsadApp>| -> Vec<String> {
        let corpus = h.state().app.corpus.as_ref().expect("corpus");
        corpus
            .order()
            .iter()
            .map(|&i| corpus.entries[i].title.clone())
            .collect()
    };
    assert_eq!(
        listed(&harness),
        ["beta", "gamma", "alpha"],
        "own documents first"
    );
    assert_eq!(harness.get_all_by_label("assigned to you").count(), 2);
    harness.get_by_label("assigned to coder-b, coder-c");
    // Show ▸ Assigned to me.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Show")
        .click();
    harness.run();
    press(&mut harness, "Assigned to me");
    assert_eq!(listed(&harness), ["beta", "gamma"]);
    assert!(
        harness
            .query_by_label("assigned to coder-b, coder-c")
            .is_none()
    );
    // Show ▸ Needs review: coder-a and coder-b differ in each, undecided.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Show")
        .click();
    harness.run();
    press(&mut harness, "Needs review");
    assert_eq!(listed(&harness), ["beta", "gamma", "alpha"]);
    // Show ▸ Done: coder-a is done nowhere yet.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Show")
        .click();
    harness.run();
    press(&mut harness, "Done");
    harness.get_by_label("No document matches");
}

#[test]
fn the_team_tab_shows_each_coders_progress_and_what_needs_adjudication() {
    let dir = team_folder(
        &["alpha", "beta"],
        manifest(
            false,
            &[
                ("alpha.json", &["coder-a", "coder-b"]),
                ("beta.json", &["coder-a", "coder-b"]),
            ],
        ),
    );
    let mut harness = window(dir.path(), "coder-a");
    harness.state_mut().app.wait_for_corpus();
    harness.run();
    press(&mut harness, "Mark done");
    press(&mut harness, "Team");
    harness.get_by_label("3 coder(s), 2 per document · adjudicator: lead");
    harness.get_by_label("1 of 2 document(s) ready for agreement");
    harness.get_by_label_contains("Needs adjudication (1)");
    // Its link opens the document.
    harness.get_by_label("alpha.json").click();
    harness.run();
    assert_eq!(
        harness.state().app.session.as_ref().map(|s| s.path.clone()),
        Some(dir.path().join("alpha.json"))
    );
}

/// Ctrl+S, then the saved first span's kind, once the file records no conflict.
fn saved_kind(harness: &mut Harness<'_, MarsadApp>, path: &Path) -> String {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let back = saved(path);
    assert!(back.sets[0].conflicts.is_empty());
    back.sets[0].spans[0]
        .attrs
        .get("kind")
        .map(AttrValue::shown)
        .unwrap_or_default()
}

#[test]
fn a_merge_conflict_is_settled_with_take_theirs_and_saved_without_its_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "doc", TEXT);
    let mut doc = saved(&path);
    let mut theirs = doc.sets[0].spans[0].clone();
    theirs
        .attrs
        .insert("kind".into(), AttrValue::Str("ID_MILITIA".into()));
    doc.sets[0].conflicts.push(Conflict::span(theirs));
    marsad::store::save(&path, &doc).expect("save");
    let mut harness = window(&path, "coder-a");
    harness.get_by_label_contains("1 merge conflict(s): both versions are kept");
    harness.get_by_label("mine: ACTOR «جماعة نصرة الإسلام» · kind REBEL");
    harness.get_by_label("theirs: ACTOR «جماعة نصرة الإسلام» · kind ID_MILITIA");
    press(&mut harness, "Take theirs");
    assert!(
        harness
            .query_by_label_contains("merge conflict(s): both")
            .is_none()
    );
    assert_eq!(saved_kind(&mut harness, &path), "ID_MILITIA");
    // Undo brings the conflict back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("1 merge conflict(s)");
    press(&mut harness, "Keep all mine");
    assert_eq!(saved_kind(&mut harness, &path), "REBEL");
}

#[test]
fn active_coding_time_is_counted_while_the_coder_works_and_not_while_they_are_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "doc", TEXT);
    let mut harness = window(&path, "coder-a");
    first_word_as_actor(&mut harness);
    // Ten seconds of moving the mouse over the text (a frame is a quarter of a second).
    for i in 0..40 {
        harness.hover_at(egui::pos2(600.0 + (i % 7) as f32 * 10.0, 400.0));
        harness.step();
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let worked = saved(&path).sets[0].effort.clone();
    assert!((10..=16).contains(&worked.active_seconds), "{worked:?}");
    assert!(worked.started.is_some());
    // A hundred idle seconds: only the first minute after the last touch counts.
    for _ in 0..400 {
        harness.step();
    }
    harness.key_press(Key::Num2);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let after = saved(&path).sets[0].effort.active_seconds;
    assert!(
        after - worked.active_seconds <= 65,
        "{} seconds counted while away",
        after - worked.active_seconds
    );
}

/// git in `dir`, its output checked.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare remote and two clones with a one-document corpus and the merge driver set up.
fn clones() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    git(
        dir.path(),
        &[
            "-c",
            "init.defaultBranch=main",
            "init",
            "-q",
            "--bare",
            "remote.git",
        ],
    );
    let remote = dir.path().join("remote.git");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for clone in [&a, &b] {
        let (r, c) = (
            remote.to_str().expect("utf-8"),
            clone.to_str().expect("utf-8"),
        );
        git(dir.path(), &["clone", "-q", r, c]);
        git(clone, &["checkout", "-q", "-B", "main"]);
        git(clone, &["config", "user.name", "Coder"]);
        git(clone, &["config", "user.email", "coder@example.org"]);
    }
    std::fs::create_dir(a.join("corpus")).expect("corpus");
    let mut doc = marsad::model::notation::parse(TEXT)
        .expect("notation")
        .to_document("doc", "x");
    doc.sets.clear();
    marsad::store::save(&a.join("corpus/doc.json"), &doc).expect("save");
    for clone in [&a, &b] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_marsad"))
            .current_dir(clone)
            .args(["team", "init", "corpus"])
            .output()
            .expect("marsad team init");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if clone == &a {
            git(&a, &["add", "-A"]);
            git(&a, &["commit", "-q", "-m", "corpus"]);
            git(&a, &["push", "-q", "-u", "origin", "main"]);
            git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
            git(&b, &["branch", "-q", "--set-upstream-to=origin/main"]);
        }
    }
    (dir, a, b)
}

/// File ▸ Sync, which meets the merge conflict in corpus/doc.json and pushes nothing.
fn sync_meets_the_conflict(harness: &mut Harness<'_, MarsadApp>) {
    let said = sync(harness);
    assert!(
        said.contains("merge conflicts to settle in corpus/doc.json")
            && said.contains("nothing was pushed"),
        "{said} / {:?}",
        harness.state().app.error
    );
}

/// File ▸ Sync, waited for: what the bottom bar says (and the error, when there is one).
fn sync(harness: &mut Harness<'_, MarsadApp>) -> String {
    press(harness, "File");
    press(harness, "Sync");
    harness.state_mut().app.wait_for_sync();
    harness.run();
    let app = &harness.state().app;
    let said = app.status.clone().unwrap_or_default();
    match &app.error {
        Some(e) => format!("{said}{e}"),
        None => said,
    }
}

#[test]
fn file_sync_commits_the_coders_work_pulls_the_teams_and_pushes() {
    let (_dir, a, b) = clones();
    // coder-b's work is pushed from the other clone first.
    let on_b = b.join("corpus/doc.json");
    let mut doc = saved(&on_b);
    doc.sets.push(
        marsad::model::notation::parse(TEXT)
            .expect("notation")
            .to_document("doc", "coder-b")
            .sets
            .remove(0),
    );
    marsad::store::save(&on_b, &doc).expect("save");
    git(&b, &["commit", "-q", "-am", "coder-b"]);
    git(&b, &["push", "-q"]);

    let mut harness = window(&a.join("corpus"), "coder-a");
    first_word_as_actor(&mut harness);
    let said = sync(&mut harness);
    assert_eq!(
        said,
        "sync: 1 document(s) committed; pulled and pushed",
        "{:?}",
        harness.state().app.error
    );
    // The window shows the merged document: coder-b's set came with the pull.
    assert_eq!(set_ids(&harness), ["coder-a", "coder-b"]);
    git(&b, &["pull", "-q"]);
    let both = saved(&on_b);
    assert!(both.set("coder-a").is_some_and(|s| s.spans.len() == 1));
    let log = git(&b, &["log", "--format=%s"]);
    assert!(log.contains("marsad: coder-a: 1 document(s): doc"), "{log}");
}

#[test]
fn a_sync_that_meets_a_conflict_shows_it_and_the_next_sync_finishes_the_merge() {
    let (_dir, a, b) = clones();
    let kind = |path: &Path, value: &str| {
        let mut doc = saved(path);
        if doc.sets.is_empty() {
            doc.sets = marsad::model::notation::parse(TEXT)
                .expect("notation")
                .to_document("doc", "coder-a")
                .sets;
        }
        doc.sets[0].spans[0]
            .attrs
            .insert("kind".into(), AttrValue::Str(value.into()));
        marsad::store::save(path, &doc).expect("save");
    };
    let (on_a, on_b) = (a.join("corpus/doc.json"), b.join("corpus/doc.json"));
    kind(&on_a, "REBEL");
    git(&a, &["commit", "-q", "-am", "REBEL"]);
    git(&a, &["push", "-q"]);
    git(&b, &["pull", "-q"]);
    kind(&on_b, "ID_MILITIA");
    git(&b, &["commit", "-q", "-am", "ID_MILITIA"]);
    git(&b, &["push", "-q"]);
    // The same span, changed differently on this clone and saved.
    kind(&on_a, "STATE");

    let mut harness = window(&on_a, "coder-a");
    sync_meets_the_conflict(&mut harness);
    harness.get_by_label("mine: ACTOR «جماعة نصرة الإسلام» · kind STATE");
    press(&mut harness, "Take theirs");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert_eq!(
        sync(&mut harness),
        "sync: the merge is finished; 1 document(s) committed; pulled and pushed"
    );
    git(&b, &["pull", "-q"]);
    let merged = saved(&on_b);
    assert!(merged.sets[0].conflicts.is_empty());
    assert_eq!(
        merged.sets[0].spans[0].attrs.get("kind"),
        Some(&AttrValue::Str("ID_MILITIA".into()))
    );
}

#[test]
fn file_sync_outside_a_git_work_tree_says_so_and_keeps_the_saved_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = notation_doc(dir.path(), "doc", TEXT);
    let mut harness = window(&path, "coder-a");
    first_word_as_actor(&mut harness);
    let error = sync(&mut harness);
    assert!(
        error.contains("not in a git work tree (run `git init` there first)")
            && error.ends_with("your saved work is as it was"),
        "{error}"
    );
    // Sync saved the document first; that is kept.
    assert!(!harness.state().app.is_modified());
    assert_eq!(saved(&path).sets[0].spans.len(), 3);
}

#[test]
fn a_file_the_driver_refused_stays_in_conflict_through_the_next_sync() {
    let (_dir, a, b) = clones();
    // The other clone replaced the article's text (imported it again, changed).
    let on_b = b.join("corpus/doc.json");
    let other = marsad::model::notation::parse("[ACTOR|جماعة نصرة الإسلام] تتبنى هجوما آخر")
        .expect("notation")
        .to_document("doc", "coder-b");
    marsad::store::save(&on_b, &other).expect("save");
    git(&b, &["commit", "-q", "-am", "another text"]);
    git(&b, &["push", "-q"]);
    let on_a = a.join("corpus/doc.json");
    let mut harness = window(&on_a, "coder-a");
    first_word_as_actor(&mut harness);
    for _ in 0..2 {
        sync_meets_the_conflict(&mut harness);
    }
    // This side's work is still there, and git still holds the file conflicted.
    let kept = saved(&on_a);
    assert_eq!(
        (kept.sets[0].id.as_str(), kept.sets[0].spans.len()),
        ("coder-a", 1)
    );
    assert!(git(&a, &["status", "--porcelain"]).contains("UU corpus/doc.json"));
}
