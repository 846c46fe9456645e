//! Nothing a coder did is lost, nothing forged: the binary run as a careless user or an attacker
//! would, on temp copies, each case named after what it protects.

use std::fs;
use std::path::{Path, PathBuf};

use marsad::model::{AnnotatedDocument, LabelSchema, notation};
use marsad::store;

mod common;
use common::{marsad, text};

/// A document with the coder `set`'s spans written in span notation.
fn document(dir: &Path, name: &str, marked: &str, set: &str) -> PathBuf {
    let doc: AnnotatedDocument = notation::parse(marked)
        .expect("notation")
        .to_document(name, set);
    let path = dir.join(format!("{name}.json"));
    store::save(&path, &doc).expect("save");
    path
}

/// Hugging Face predictions for the words "الجيش" at 0..5.
fn predictions(dir: &Path, name: &str) -> PathBuf {
    let pred = dir.join(name);
    fs::write(
        &pred,
        r#"[{"entity_group": "ORG", "score": 0.9, "word": "الجيش", "start": 0, "end": 5}]"#,
    )
    .expect("write");
    pred
}

#[test]
fn an_import_never_replaces_a_coders_set() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(
        dir.path(),
        "d",
        "[ACTOR|الجيش] قصف [PLACE|سيكاسو]",
        "coder-a",
    );
    let before = fs::read(&doc).expect("read");
    // A predictions file named like the coder: the model's set would take the coder's id.
    let pred = predictions(dir.path(), "coder-a.json");
    let run = marsad(&[&"import-predictions", &"--format", &"hf", &pred, &doc]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(
        err.contains("d.json: document: set \"coder-a\" is a coder's annotation set"),
        "{err}"
    );
    assert_eq!(
        fs::read(&doc).expect("read"),
        before,
        "the coder's work is untouched"
    );
    // The same model imported twice: the second replaces the first, and says so.
    let pred = predictions(dir.path(), "camelbert.json");
    for expect in ["", "replacing the earlier import of this model"] {
        let run = marsad(&[&"import-predictions", &"--format", &"hf", &pred, &doc]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        assert!(text(&run.stdout).contains(expect));
    }
    let saved = store::load(&doc, LabelSchema::builtin()).expect("load");
    assert_eq!(saved.set("coder-a").map(|s| s.spans.len()), Some(2));
    assert_eq!(saved.sets.len(), 2);
}

#[test]
fn an_import_does_not_overwrite_its_output_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    let pred = predictions(dir.path(), "model.json");
    let out = dir.path().join("out.json");
    fs::write(&out, "someone's file").expect("write");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &pred,
        &doc,
        &"-o",
        &out,
    ]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("out.json: file: the file exists; use --force"));
    assert_eq!(fs::read_to_string(&out).expect("read"), "someone's file");
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &"--force",
        &pred,
        &doc,
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(store::load(&out, LabelSchema::builtin()).is_ok());
}

/// A corpus of two sample articles in `dir/corpus`.
fn corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).expect("mkdir");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles");
    for name in ["mali-sinsgaji-jnim.json", "chad-lake-boko-haram.json"] {
        fs::copy(samples.join(name), corpus.join(name)).expect("copy");
    }
    corpus
}

fn brat(corpus: &Path, out: &Path, force: bool) -> std::process::Output {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
        &"export",
        &"--format",
        &"brat",
        &"--set",
        &"coder-a",
        &corpus,
        &"-o",
        &out,
    ];
    if force {
        args.push(&"--force");
    }
    marsad(&args)
}

#[test]
fn export_force_replaces_only_what_an_export_wrote_and_never_its_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = corpus(dir.path());
    // The parent of the corpus, holding unrelated files too.
    fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    let run = brat(&corpus, dir.path(), true);
    assert!(!run.status.success());
    assert!(
        text(&run.stderr).contains("an export never writes over its own input"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(fs::read_dir(&corpus).expect("corpus").count(), 2);
    // An unrelated folder is not an export's: never replaced.
    let other = dir.path().join("other");
    fs::create_dir(&other).expect("mkdir");
    fs::write(other.join("thesis.tex"), "years of work").expect("write");
    let run = brat(&corpus, &other, true);
    assert!(!run.status.success());
    assert!(
        text(&run.stderr).contains("not a folder a marsad export wrote"),
        "{}",
        text(&run.stderr)
    );
    assert!(other.join("thesis.tex").is_file());
    // A previous brat export is.
    let out = dir.path().join("brat");
    assert!(brat(&corpus, &out, false).status.success());
    let run = brat(&corpus, &out, true);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(out.join("annotation.conf").is_file());
    // jsonl over one of its inputs.
    let input = corpus.join("mali-sinsgaji-jnim.json");
    let before = fs::read(&input).expect("read");
    let run = marsad(&[
        &"export",
        &"--format",
        &"jsonl",
        &"--set",
        &"coder-a",
        &corpus,
        &"-o",
        &input,
        &"--force",
    ]);
    assert!(!run.status.success());
    assert_eq!(fs::read(&input).expect("read"), before);
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".marsad"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Sets a file's modification time an hour back: a leftover of a run long gone.
fn age(path: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(hour_ago))
        .expect("set mtime");
}

#[test]
fn an_interrupted_folder_replacement_is_completed_and_leftovers_are_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = corpus(dir.path());
    let out = dir.path().join("brat");
    assert!(brat(&corpus, &out, false).status.success());
    // Killed between the two renames: OUT gone, the old copy aside, the new one finished.
    fs::rename(&out, dir.path().join(".marsad-brat.old")).expect("aside");
    let run = brat(&corpus, &out, true);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(out.join("annotation.conf").is_file());
    assert!(!dir.path().join(".marsad-brat.old").exists());
    // A temp file of a killed jsonl export beside OUT: removed on the next write there.
    let stray = dir.path().join(".marsad-train.jsonl-x1y2z3.tmp");
    fs::write(&stray, "half").expect("write");
    age(&stray);
    let jsonl = dir.path().join("train.jsonl");
    let run = marsad(&[
        &"export",
        &"--format",
        &"jsonl",
        &"--set",
        &"coder-a",
        &corpus,
        &"-o",
        &jsonl,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(!stray.exists(), "the leftover is removed");
}

#[cfg(unix)]
#[test]
fn devices_are_refused_at_once_by_every_command() {
    let run = marsad(&[&"validate", &"/dev/zero"]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("/dev/zero: file: is not a regular file"));
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    let run = marsad(&[&"validate", &"--schema", &"/dev/zero", &doc]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("/dev/zero: file: is not a regular file"));
    let run = marsad(&[
        &"import-predictions",
        &"--format",
        &"hf",
        &"/dev/zero",
        &doc,
    ]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("/dev/zero: file: is not a regular file"));
}

#[test]
fn a_ron_document_checked_out_with_crlf_line_ends_loads_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles/niger-tillaberi-ambush.ron");
    let src = fs::read_to_string(&sample).expect("read");
    assert!(
        src.contains("text: r#\""),
        "the text is a raw string over lines"
    );
    let crlf = dir.path().join("crlf.ron");
    fs::write(&crlf, src.replace('\n', "\r\n")).expect("write");
    let run = marsad(&[&"validate", &crlf]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let original = store::load(&sample, LabelSchema::builtin()).expect("sample");
    let checked_out = store::load(&crlf, LabelSchema::builtin()).expect("crlf");
    assert_eq!(original, checked_out, "the same document, text and spans");
    // A text that really changed is still refused.
    assert!(src.contains("نيامي –"));
    let forged = src.replacen("نيامي –", "نيامي X", 1).replace('\n', "\r\n");
    fs::write(&crlf, forged).expect("write");
    assert!(!marsad(&[&"validate", &crlf]).status.success());
}

/// Runs the binary with stdout or stderr going to `/dev/full`.
#[cfg(unix)]
fn into_full(args: &[&str], stderr: bool) -> std::process::Output {
    let full = || {
        fs::File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_marsad"));
    cmd.args(args);
    if stderr {
        cmd.stderr(full());
    } else {
        cmd.stdout(full());
    }
    cmd.output().expect("run")
}

#[test]
fn strings_from_files_cannot_forge_lines_or_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    // The span says it covers a line break and a forged error line, with an escape sequence.
    let src = fs::read_to_string(&doc).expect("read");
    let forged = src.replacen(
        "\"text\": \"الجيش\"",
        "\"text\": \"الجيش\\nerror: all files are valid\\u001b[2J\"",
        1,
    );
    assert_ne!(src, forged);
    fs::write(&doc, forged).expect("write");
    let run = marsad(&[&"validate", &doc]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    for line in err.lines() {
        assert!(!line.starts_with("error: all files"), "forged: {err}");
    }
    assert!(
        err.contains("\\nerror: all files are valid\\u{1b}[2J"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn output_that_cannot_be_written_is_a_failure_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{").expect("write");
    let bad = bad.display().to_string();
    let run = into_full(&["validate", &bad], true);
    assert_eq!(run.status.code(), Some(1), "not a panic (101)");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    let doc = doc.display().to_string();
    let run = into_full(&["stats", "--json", &doc], false);
    assert_eq!(
        run.status.code(),
        Some(1),
        "nothing was written: not a success"
    );
}

#[test]
fn a_failed_write_is_one_clean_line_naming_the_users_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    let out = dir.path().join("missing-folder").join("train.jsonl");
    for format in ["jsonl", "brat"] {
        let run = marsad(&[&"export", &"--format", &format, &doc, &"-o", &out]);
        assert!(!run.status.success());
        let err = text(&run.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("train.jsonl: file: no such file"), "{err}");
        assert!(
            !err.contains(".marsad") && !err.contains("os error"),
            "{err}"
        );
    }
}

/// Rewrites the JSON document at `path` with `change`, then returns what `validate` says.
fn validate_after(path: &Path, change: impl Fn(&mut serde_json::Value)) -> (bool, String) {
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).expect("read")).expect("json");
    change(&mut value);
    fs::write(path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    let run = marsad(&[&"validate", &path]);
    (run.status.success(), text(&run.stderr))
}

#[test]
fn names_that_would_forge_export_lines_are_refused_on_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "[ACTOR|الجيش] قصف", "coder-a");
    let original = fs::read_to_string(&doc).expect("read");
    // An inline schema whose label holds a tab and a line break, and a span using it.
    let (ok, err) = validate_after(&doc, |v| {
        let mut schema = serde_json::to_value(LabelSchema::builtin()).expect("schema");
        schema["labels"][0]["name"] = "ACTOR\tT99\tPLACE 0 5\n".into();
        v["schema"] = schema;
        v["annotations"][0]["spans"][0]["label"] = "ACTOR\tT99\tPLACE 0 5\n".into();
    });
    assert!(!ok);
    assert!(
        err.contains("schema: label \"ACTOR\\tT99\\tPLACE 0 5\\n\" holds a control character"),
        "{err}"
    );
    // A set id with a line break.
    fs::write(&doc, &original).expect("write");
    let (ok, err) = validate_after(&doc, |v| {
        v["annotations"][0]["id"] = "coder\nerror: x".into()
    });
    assert!(!ok);
    assert!(
        err.contains("the set id holds a control character"),
        "{err}"
    );
}

#[test]
fn lists_for_objects_unknown_fields_and_repeats_are_refused_with_their_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(
        dir.path(),
        "d",
        "[ACTOR|الجيش] قصف [PLACE|سيكاسو]",
        "coder-a",
    );
    let original = fs::read_to_string(&doc).expect("read");
    let restore = || fs::write(&doc, &original).expect("write");
    // A span given as a list of its fields in order.
    let (ok, err) = validate_after(&doc, |v| {
        v["annotations"][0]["spans"][1] =
            serde_json::json!(["s2", 9, 15, "PLACE", "سيكاسو", {}, null, null]);
    });
    assert!(!ok);
    assert!(
        err.contains("d.json: annotations[0].spans[1]: a list where an object"),
        "{err}"
    );
    restore();
    // A misspelt field inside the source is not dropped silently.
    let (ok, err) = validate_after(&doc, |v| {
        v["annotations"][0]["source"] = serde_json::json!({"Model": {"name": "m", "verison": "2"}});
    });
    assert!(!ok);
    assert!(err.contains("unknown field `verison`"), "{err}");
    restore();
    // An attribute given twice.
    let src = original.replacen(
        "\"attrs\": {}",
        "\"attrs\": {\"kind\": \"STATE\", \"kind\": \"REBEL\"}",
        1,
    );
    assert_ne!(src, original);
    fs::write(&doc, &src).expect("write");
    let run = marsad(&[&"validate", &doc]);
    assert!(!run.status.success());
    assert!(
        text(&run.stderr).contains("attribute \"kind\" is given twice"),
        "{}",
        text(&run.stderr)
    );
    restore();
    // An event that links the same span twice in one role.
    let (ok, err) = validate_after(&doc, |v| {
        v["annotations"][0]["events"] = serde_json::json!([{
            "id": "e1", "event_type": "Battles", "perpetrators": ["s1", "s1"]
        }]);
    });
    assert!(!ok);
    assert!(
        err.contains("event coder-a/e1: perpetrators lists span s1 twice"),
        "{err}"
    );
}

#[test]
fn bidi_controls_in_a_text_are_named_with_their_offsets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = document(dir.path(), "d", "قتل \u{202e}27\u{202c} جنديا", "coder-a");
    for command in ["validate", "stats"] {
        let run = marsad(&[&command, &doc]);
        assert!(run.status.success(), "a warning, not a failure");
        let err = text(&run.stderr);
        assert!(
            err.contains("warning: ") && err.contains("d.json: document: the text holds 2 invisible bidi control(s), which reorder what is shown: RLO at 4, PDF at 7"),
            "{command}: {err}"
        );
    }
}

#[test]
fn a_too_deeply_nested_file_is_named_in_plain_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles/niger-tillaberi-ambush.ron");
    let src = fs::read_to_string(&sample).expect("read");
    let at = src.find("attrs: {").expect("attrs");
    let deep = format!(
        "{}attrs: {{\"kind\": {}{}, {}",
        &src[..at],
        "[".repeat(300),
        "]".repeat(300),
        &src[at + "attrs: {".len()..]
    );
    let path = dir.path().join("deep.ron");
    fs::write(&path, deep).expect("write");
    let run = marsad(&[&"validate", &path]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    // An attribute value is refused at its first bracket (it is never read deeper); nesting
    // anywhere else is refused by the depth limit. Either way in plain words, with its place.
    assert!(
        err.contains("nested too deeply (more than 128 levels)")
            || err.contains("deep.ron: 32:27: expected a boolean, an integer or a string"),
        "{err}"
    );
    assert!(
        !err.contains("serde_stacker") && !err.contains("recursion_limit"),
        "{err}"
    );
}
