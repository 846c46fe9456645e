//! A team on one corpus through real git: a bare remote and two clones in temp folders, the
//! `marsad` binary as git's merge driver, coders adding their sets on each clone, pulling and
//! pushing; and `marsad team` assigning and reporting.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marsad::model::{AnnotatedDocument, AnnotationSet, LabelSchema, Status, Version, notation};
use marsad::store::{self, Syntax};

const PLAIN: &str = "جماعة نصرة الإسلام تتبنى الهجوم على ثكنة في سيكاسو";

/// git in `dir` with no user or system config but a name for commits.
fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Coder")
        .env("GIT_AUTHOR_EMAIL", "coder@example.org")
        .env("GIT_COMMITTER_NAME", "Coder")
        .env("GIT_COMMITTER_EMAIL", "coder@example.org")
        .output()
        .expect("run git")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn marsad(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run marsad")
}

/// A bare remote and two clones of it, `a` and `b`, with a corpus of `n` documents pushed from
/// `a` and the merge driver set up on both.
struct Team {
    _dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
}

fn team(n: usize) -> Team {
    let dir = tempfile::tempdir().expect("tempdir");
    let remote = dir.path().join("remote.git");
    ok(git(
        dir.path(),
        &[
            "-c",
            "init.defaultBranch=main",
            "init",
            "--bare",
            "remote.git",
        ],
    ));
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for clone in [&a, &b] {
        ok(git(
            dir.path(),
            &[
                "clone",
                "-q",
                remote.to_str().expect("utf-8"),
                clone.to_str().expect("utf-8"),
            ],
        ));
        ok(git(clone, &["checkout", "-q", "-B", "main"]));
    }
    let corpus = a.join("corpus");
    std::fs::create_dir(&corpus).expect("corpus");
    for i in 0..n {
        let mut doc = notation::parse(PLAIN)
            .expect("notation")
            .to_document(&format!("doc-{i:02}"), "x");
        doc.sets.clear();
        store::save(&corpus.join(format!("doc-{i:02}.json")), &doc).expect("save");
    }
    let init = ok(marsad(&a, &["team", "init", "corpus"]));
    assert!(init.contains("merge.marsad.driver"), "{init}");
    ok(git(&a, &["add", "-A"]));
    ok(git(&a, &["commit", "-q", "-m", "the corpus"]));
    ok(git(&a, &["push", "-q", "origin", "main"]));
    ok(git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]));
    let before = marsad(&b, &["team", "check", "corpus"]);
    assert!(!before.status.success(), "b has no driver yet");
    assert!(
        String::from_utf8_lossy(&before.stderr).contains("no merge.marsad.driver"),
        "{}",
        String::from_utf8_lossy(&before.stderr)
    );
    ok(marsad(&b, &["team", "init", "corpus"]));
    ok(marsad(&b, &["team", "check", "corpus"]));
    Team { _dir: dir, a, b }
}

fn docs(clone: &Path) -> Vec<PathBuf> {
    store::documents_in(&clone.join("corpus")).0
}

/// `coder`'s set, from span notation over the corpus's text.
fn coded(marked: &str, coder: &str) -> AnnotationSet {
    let mut set = notation::parse(marked)
        .expect("notation")
        .to_document("t", coder)
        .sets
        .remove(0);
    set.status = Status::Done;
    set
}

fn edit(path: &Path, change: impl FnOnce(&mut AnnotatedDocument)) {
    let mut doc = store::load(path, LabelSchema::builtin()).expect("load");
    change(&mut doc);
    store::save(path, &doc).expect("save");
}

fn commit(clone: &Path, message: &str) {
    ok(git(clone, &["add", "-A"]));
    ok(git(clone, &["commit", "-q", "-m", message]));
}

/// `coder` codes every document of the clone as `marked` says, and commits.
fn code_every_document(clone: &Path, marked: &str, coder: &str) {
    for path in docs(clone) {
        edit(&path, |d| d.sets.push(coded(marked, coder)));
    }
    commit(clone, coder);
}

#[test]
fn two_coders_on_two_clones_merge_every_document_without_a_conflict() {
    let t = team(20);
    code_every_document(
        &t.a,
        "[ACTOR|جماعة نصرة الإسلام] تتبنى الهجوم على ثكنة في [PLACE|سيكاسو]",
        "coder-a",
    );
    ok(git(&t.a, &["push", "-q", "origin", "main"]));
    code_every_document(
        &t.b,
        "[ACTOR|جماعة نصرة الإسلام] تتبنى [CLAIM|الهجوم] على ثكنة في سيكاسو",
        "coder-b",
    );
    ok(git(&t.b, &["pull", "-q", "--no-rebase", "origin", "main"]));
    ok(git(&t.b, &["push", "-q", "origin", "main"]));
    ok(git(&t.a, &["pull", "-q", "--no-rebase", "origin", "main"]));
    assert_eq!(
        ok(git(&t.a, &["status", "--porcelain"])),
        "",
        "nothing left over"
    );

    let validated = ok(marsad(&t.a, &["validate", "corpus"]));
    assert!(
        validated.contains("20 file(s) checked, all valid"),
        "{validated}"
    );
    for path in docs(&t.a) {
        let doc = store::load(&path, LabelSchema::builtin()).expect("load");
        let ids: Vec<&str> = doc.sets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["coder-b", "coder-a"], "{}", path.display());
        let on_disk = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            on_disk,
            store::format::to_string(&doc, Syntax::Json).expect("serialise"),
            "the merge is byte for byte a save"
        );
    }
    // Where the team stands, once both are done.
    let status = ok(marsad(&t.a, &["team", "status", "corpus", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&status).expect("json");
    assert_eq!(report["coders"]["coder-a"]["done"], 20);
    assert_eq!(
        report["needs_adjudication"].as_array().map(Vec::len),
        Some(20)
    );
}

#[test]
fn one_coder_changing_one_span_differently_on_two_clones_is_a_conflict_that_loses_nothing() {
    let t = team(2);
    let marked = "[ACTOR|جماعة نصرة الإسلام] تتبنى الهجوم على ثكنة في [PLACE|سيكاسو]";
    let first = t.a.join("corpus/doc-00.json");
    edit(&first, |d| d.sets.push(coded(marked, "coder-a")));
    commit(&t.a, "coder-a codes");
    ok(git(&t.a, &["push", "-q", "origin", "main"]));
    ok(git(&t.b, &["pull", "-q", "--no-rebase", "origin", "main"]));

    let kind = |value: &str| {
        let value = value.to_owned();
        move |d: &mut AnnotatedDocument| {
            d.sets[0].spans[0]
                .attrs
                .insert("kind".into(), marsad::model::AttrValue::Str(value));
        }
    };
    edit(&first, kind("REBEL"));
    commit(&t.a, "REBEL");
    ok(git(&t.a, &["push", "-q", "origin", "main"]));
    let on_b = t.b.join("corpus/doc-00.json");
    edit(&on_b, kind("ID_MILITIA"));
    commit(&t.b, "ID_MILITIA");
    let pull = git(&t.b, &["pull", "--no-rebase", "origin", "main"]);
    assert!(!pull.status.success(), "git reports the conflict");
    let said =
        String::from_utf8_lossy(&pull.stderr).into_owned() + &String::from_utf8_lossy(&pull.stdout);
    assert!(said.contains("merged with 1 conflict(s)"), "{said}");
    assert!(
        ok(git(&t.b, &["status", "--porcelain"])).contains("UU corpus/doc-00.json"),
        "marked conflicted"
    );
    let doc = store::load(&on_b, LabelSchema::builtin()).expect("a valid document");
    let set = &doc.sets[0];
    assert_eq!(
        set.spans[0].attrs.get("kind").map(|v| v.shown()),
        Some("ID_MILITIA".into()),
        "this side's version in place"
    );
    match &set.conflicts[0].theirs {
        Some(Version::Span(s)) => {
            assert_eq!(s.attrs.get("kind").map(|v| v.shown()), Some("REBEL".into()))
        }
        other => panic!("the other version kept: {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_a_document_is_merged_as_text_and_different_texts_never_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    };
    let base = file("base", "{\"a\": 1}\n");
    let ours = file("ours", "{\"a\": 1}\n");
    let theirs = file("theirs", "{\"a\": 2}\n");
    let out = marsad(
        dir.path(),
        &[
            "merge-driver",
            "base",
            "ours",
            "theirs",
            "marsad-schema.json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&ours).expect("read"),
        "{\"a\": 2}\n"
    );
    let _ = (base, theirs);

    let doc = |text: &str| {
        let d = notation::parse(text)
            .expect("notation")
            .to_document("t", "coder-a");
        store::format::to_string(&d, Syntax::Json).expect("serialise")
    };
    file("base.json", &doc("[ACTOR|الجيش] في مالي"));
    let ours = file("ours.json", &doc("[ACTOR|الجيش] في مالي"));
    file("theirs.json", &doc("[ACTOR|الجيش] في النيجر"));
    let before = std::fs::read_to_string(&ours).expect("read");
    let out = marsad(
        dir.path(),
        &[
            "merge-driver",
            "base.json",
            "ours.json",
            "theirs.json",
            "doc.json",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("doc.json: not merged: the document's text differs between the two sides"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&ours).expect("read"),
        before,
        "ours untouched"
    );
}

#[test]
fn team_assign_writes_a_balanced_manifest_and_status_reads_it() {
    let t = team(7);
    let out = ok(marsad(
        &t.a,
        &[
            "team",
            "assign",
            "corpus",
            "--coders",
            "coder-a,coder-b,coder-c",
            "--per-document",
            "2",
            "--seed",
            "3",
            "--blind",
        ],
    ));
    assert!(out.contains("7 document(s) assigned, 0 kept"), "{out}");
    let manifest = store::team::Manifest::load(&t.a.join("corpus"))
        .expect("read")
        .expect("written");
    assert!(manifest.blind);
    assert_eq!(manifest.assignments.len(), 7);
    let again = ok(marsad(
        &t.a,
        &[
            "team",
            "assign",
            "corpus",
            "--coders",
            "coder-a,coder-b,coder-c",
            "--seed",
            "3",
        ],
    ));
    assert!(again.contains("0 document(s) assigned, 7 kept"), "{again}");
    let status = ok(marsad(&t.a, &["team", "status", "corpus"]));
    assert!(status.contains("coder-a"), "{status}");
    assert!(
        status.contains("0 document(s) ready for agreement"),
        "{status}"
    );
}
