//! The `marsad` binary run as a user runs it, on temp copies of real files: validate, convert
//! and stats, good input and every kind of bad input the foundation promises to catch.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marsad::model::{LabelSchema, notation};
use serde_json::{Value, json};

fn marsad(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run marsad")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles"))
            .expect("sample_articles/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "ron"))
            .collect();
    files.sort();
    files
}

/// A small valid document, written as JSON by the library itself.
fn good_json(dir: &Path) -> PathBuf {
    let doc = notation::parse(
        "[ACTOR kind=REBEL named=true|جماعة نصرة الإسلام والمسلمين] [CLAIM type=RESPONSIBILITY|تتبنى] هجوما في [PLACE level=ADMIN1|سيكاسو]",
    )
    .expect("notation")
    .to_document("sikasso", "coder-a");
    let path = dir.join("sikasso.json");
    marsad::store::save(&path, &doc).expect("save");
    path
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(path).expect("read")).expect("json");
    edit(&mut value);
    fs::write(path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
}

fn span(value: &mut Value, i: usize) -> &mut Value {
    &mut value["annotations"][0]["spans"][i]
}

#[test]
fn the_samples_are_valid() {
    let files = samples();
    assert!(files.len() >= 6, "at least six sample articles: {files:?}");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"validate"];
    args.extend(files.iter().map(|f| f as &dyn AsRef<std::ffi::OsStr>));
    let out = marsad(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("{} file(s) checked, all valid", files.len())));
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "ron")),
        "a RON sample"
    );
}

#[test]
fn the_seed_article_is_kept_verbatim() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles/mali-sinsgaji-jnim.json");
    let doc = marsad::store::load(&seed, LabelSchema::builtin()).expect("seed");
    let text = doc.document.text();
    assert!(text.starts_with("جماعة “نصرة الإسلام و المسلمين” تتبنى عملية ضد الجيش في مالي\n"));
    assert!(text.ends_with("فقد ما لا يقل عن 14 جنديًا ماليًا حياتهم خلال الكمينين المزدوجين."));
    // `wc -m ../shared/seed-article.txt`: 2374 code points, no trailing newline.
    assert_eq!(text.chars().count(), 2374);
    assert_eq!(text, include_str!("data/seed-article.txt"));
    let set = &doc.sets[0];
    for label in ["ACTOR", "PLACE", "CASUALTY", "CLAIM"] {
        assert!(
            set.spans.iter().any(|s| s.label == label),
            "no {label} span"
        );
    }
    let at_least_27 = set
        .spans
        .iter()
        .find(|s| s.text == "ما لا يقل عن 27 قتيلا")
        .expect("the 27 killed");
    assert_eq!(
        at_least_27.attrs["value"],
        marsad::model::AttrValue::Int(27)
    );
    assert_eq!(
        at_least_27.attrs["qualifier"],
        marsad::model::AttrValue::Str("AT_LEAST".into())
    );
}

#[test]
fn convert_round_trips_every_sample_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in samples() {
        let original = fs::read(&file).expect("read");
        let (there, back) = if file.extension().is_some_and(|e| e == "json") {
            ("doc.ron", "back.json")
        } else {
            ("doc.json", "back.ron")
        };
        let there = dir.path().join(there);
        let back = dir.path().join(back);
        let out = marsad(&[&"convert", &file, &there, &"--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = marsad(&[&"convert", &there, &back, &"--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            fs::read(&back).expect("read") == original,
            "{} does not survive a round trip",
            file.display()
        );
    }
}

/// Each bad input: exit 1, one `error: <file>: <where>: <what>` line, no panic, nothing written.
#[test]
fn bad_documents_are_named_with_file_and_place_and_change_nothing() {
    type Spoil = fn(&Path) -> PathBuf;
    let cases: Vec<(&str, Spoil, &str)> = vec![
        (
            "truncated JSON",
            |dir| {
                let p = good_json(dir);
                let text = fs::read_to_string(&p).expect("read");
                let cut = text
                    .char_indices()
                    .nth(text.chars().count() / 2)
                    .expect("middle")
                    .0;
                fs::write(&p, &text[..cut]).expect("write");
                p
            },
            ": EOF while parsing",
        ),
        (
            "RON syntax error",
            |dir| {
                let doc =
                    marsad::store::load(&good_json(dir), LabelSchema::builtin()).expect("load");
                let p = dir.join("sikasso.ron");
                marsad::store::save(&p, &doc).expect("save");
                let text = fs::read_to_string(&p).expect("read").replacen(
                    "format: \"marsad/1\",",
                    "format: \"marsad/1\"",
                    1,
                );
                fs::write(&p, text).expect("write");
                p
            },
            "sikasso.ron: 3:3: ",
        ),
        (
            "span end beyond the text",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| span(v, 2)["end"] = json!(900));
                p
            },
            ": span coder-a/s3: range 44..900 is beyond the text, which has 50 characters",
        ),
        (
            "start not before end",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| span(v, 1)["start"] = json!(34));
                p
            },
            ": span coder-a/s2: start 34 is not before end 34",
        ),
        (
            "span text that does not match",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| span(v, 2)["text"] = json!("باماكو"));
                p
            },
            ": span coder-a/s3: span text \"باماكو\" does not match the document text \"سيكاسو\" at 44..50",
        ),
        (
            "wrong text_sha256",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| v["document"]["text_sha256"] = json!("00ff"));
                p
            },
            ": document: text_sha256 00ff does not match the text",
        ),
        (
            "unknown label",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| span(v, 0)["label"] = json!("PERSON"));
                p
            },
            ": span coder-a/s1: unknown label \"PERSON\"",
        ),
        (
            "duplicate span id",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| span(v, 1)["id"] = json!("s1"));
                p
            },
            ": span coder-a/s1: duplicate span id",
        ),
        (
            "invalid UTF-8 in a .txt",
            |dir| {
                let p = dir.join("article.txt");
                // 22 bytes of Arabic and spaces, then a broken sequence.
                let mut bytes = "هجوم في مالي".as_bytes().to_vec();
                bytes.extend_from_slice(b"\xC3\x28 tail");
                fs::write(&p, bytes).expect("write");
                p
            },
            "article.txt: byte 22: invalid UTF-8",
        ),
        (
            "an empty file",
            |dir| {
                let p = dir.join("empty.json");
                fs::write(&p, "").expect("write");
                p
            },
            "empty.json: file: the file is empty",
        ),
        (
            "an unsupported format version",
            |dir| {
                let p = good_json(dir);
                edit_json(&p, |v| v["format"] = json!("marsad/9"));
                p
            },
            ": format: unsupported format version \"marsad/9\" (this build reads marsad/1)",
        ),
    ];
    for (name, spoil, expected) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = spoil(dir.path());
        let before = fs::read(&bad).expect("read");

        let out = marsad(&[&"validate", &bad]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(lines.len(), 1, "{name}: one problem line expected: {err}");
        assert!(
            lines[0].starts_with(&format!("error: {}: ", bad.display())),
            "{name}: the line names the file: {err}"
        );
        assert!(
            lines[0].contains(expected),
            "{name}: expected {expected:?} in {err}"
        );
        if name == "truncated JSON" {
            // The place of a syntax error is line:column.
            let place = lines[0]
                .trim_start_matches(&format!("error: {}: ", bad.display()))
                .split(": ")
                .next()
                .unwrap_or_default();
            let numbers: Vec<&str> = place.split(':').collect();
            assert!(
                numbers.len() == 2 && numbers.iter().all(|n| n.parse::<usize>().is_ok()),
                "{name}: line:column expected, got {place:?}"
            );
        }

        // convert refuses too, and neither creates nor replaces OUT.
        let fresh = dir.path().join("fresh.ron");
        let out = marsad(&[&"convert", &bad, &fresh]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(!fresh.exists(), "{name}: OUT must not be created");
        let existing = dir.path().join("existing.json");
        fs::write(&existing, "precious").expect("write");
        let out = marsad(&[&"convert", &bad, &existing, &"--force"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_eq!(
            fs::read_to_string(&existing).expect("read"),
            "precious",
            "{name}"
        );
        assert_eq!(
            fs::read(&bad).expect("read"),
            before,
            "{name}: the input is untouched"
        );
    }
}

#[test]
fn every_problem_of_every_file_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = good_json(dir.path());
    edit_json(&a, |v| {
        span(v, 0)["label"] = json!("PERSON");
        span(v, 2)["text"] = json!("باماكو");
    });
    let b = dir.path().join("other.json");
    fs::copy(&a, &b).expect("copy");
    edit_json(&b, |v| span(v, 1)["attrs"] = json!({"type": "RUMOUR"}));
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    let ok = good_json(&sub);
    let out = marsad(&[&"validate", &a, &b, &ok]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    let problem_lines = err.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(problem_lines, 5, "{err}");
    assert!(
        stdout(&out).contains("5 problem(s) in 2 of 3 file(s)"),
        "{}",
        stdout(&out)
    );
    assert!(
        err.contains("other.json: span coder-a/s2: attribute type: value \"RUMOUR\" is not one of"),
        "{err}"
    );
}

#[test]
fn a_text_file_becomes_a_document_with_an_import_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("raid.txt");
    fs::write(&txt, "\u{feff}هجوم على بوابة للدرك\r\nفي مدينة سينغاجي\r\n").expect("write");
    let json = dir.path().join("raid.json");
    let out = marsad(&[
        &"convert",
        &txt,
        &json,
        &"--title",
        &"هجوم",
        &"--source",
        &"الزلاقة",
        &"--published",
        &"2023-01-18",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value =
        serde_json::from_str(&fs::read_to_string(&json).expect("read")).expect("json");
    let d = &value["document"];
    assert_eq!(d["id"], "raid");
    assert_eq!(d["title"], "هجوم");
    assert_eq!(d["published"], "2023-01-18");
    assert_eq!(d["language"], "ar");
    assert_eq!(d["text"], "هجوم على بوابة للدرك\nفي مدينة سينغاجي\n");
    assert_eq!(
        d["import"],
        json!({"file": "raid.txt", "bom_stripped": true, "crlf_to_lf": 2, "cr_to_lf": 0})
    );
    assert_eq!(value["annotations"], json!([]));
    let out = marsad(&[&"validate", &json]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A bad date given on the command line is refused, and nothing is written.
    let other = dir.path().join("other.ron");
    let out = marsad(&[&"convert", &txt, &other, &"--published", &"18/01/2023"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("published date \"18/01/2023\" is not YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
    assert!(!other.exists());
}

#[test]
fn convert_replaces_an_existing_file_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = good_json(dir.path());
    let out_path = dir.path().join("out.ron");
    fs::write(&out_path, "keep me").expect("write");
    let out = marsad(&[&"convert", &src, &out_path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the file exists; use --force to replace it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&out_path).expect("read"), "keep me");
    let out = marsad(&[&"convert", &src, &out_path, &"--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::read_to_string(&out_path)
            .expect("read")
            .starts_with("(\n  format: \"marsad/1\",")
    );
    let out = marsad(&[&"convert", &src, &dir.path().join("out.yaml")]);
    assert_eq!(out.status.code(), Some(1));
    let out = marsad(&[
        &"convert",
        &src,
        &dir.path().join("x.json"),
        &"--title",
        &"t",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--title applies only to a .txt input"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stats_counts_documents_characters_labels_and_sets() {
    let dir = tempfile::tempdir().expect("tempdir");
    good_json(dir.path());
    let doc = notation::parse("[ACTOR|الجيش] في [PLACE|مالي] و[PLACE|النيجر]")
        .expect("notation")
        .to_document("two", "coder-b");
    marsad::store::save(&dir.path().join("two.ron"), &doc).expect("save");
    let out = marsad(&[&"stats", &"--json", &dir.path()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["characters"], 50 + 21);
    assert_eq!(stats["spans"], 6);
    assert_eq!(
        stats["spans_per_label"],
        json!({"ACTOR": 2, "CLAIM": 1, "PLACE": 3})
    );
    assert_eq!(stats["spans_per_set"]["coder-a"]["spans"], 3);
    assert_eq!(stats["spans_per_set"]["coder-b"]["spans"], 3);
    let out = marsad(&[&"stats", &dir.path()]);
    assert!(
        stdout(&out).contains("documents          2"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_project_schema_beside_the_documents_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = good_json(dir.path());
    let mut schema = LabelSchema::builtin().clone();
    schema.labels.retain(|l| l.name != "CLAIM");
    schema.relations.retain(|r| r.name != "claimed_by");
    let text = marsad::store::format::serialize(&schema, marsad::store::Syntax::Ron).expect("ron");
    fs::write(dir.path().join("marsad-schema.ron"), text).expect("write");
    let out = marsad(&[&"validate", &doc]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("span coder-a/s2: unknown label \"CLAIM\""),
        "{}",
        stderr(&out)
    );
    let builtin = dir.path().join("builtin.ron");
    let builtin_text =
        marsad::store::format::serialize(LabelSchema::builtin(), marsad::store::Syntax::Ron)
            .expect("ron");
    fs::write(&builtin, builtin_text).expect("write");
    let out = marsad(&[&"validate", &"--schema", &builtin, &doc]);
    assert!(
        out.status.success(),
        "--schema wins over the folder's schema: {}",
        stderr(&out)
    );
}

#[test]
fn help_and_usage() {
    for sub in ["validate", "convert", "stats"] {
        let out = marsad(&[&sub, &"--help"]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Usage: marsad"), "{sub}");
    }
    let out = marsad(&[&"--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("Commands:"));
    // Without a subcommand Marsad opens the window; with no display that is a clear error.
    let out = Command::new(env!("CARGO_BIN_EXE_marsad"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", tempfile::tempdir().expect("tempdir").path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: cannot open the window:"),
        "{}",
        stderr(&out)
    );
    let out = marsad(&[&"validate"]);
    assert_eq!(out.status.code(), Some(2), "missing PATH is a usage error");
    let out = marsad(&[&"frobnicate", &"x"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The samples are the golden data for everything after: they must keep covering the cases
/// that break other tools.
#[test]
fn the_samples_cover_the_hard_cases() {
    let docs: Vec<_> = samples()
        .iter()
        .map(|f| marsad::store::load(f, LabelSchema::builtin()).expect("valid sample"))
        .collect();
    let texts: String = docs
        .iter()
        .map(|d| d.document.text())
        .collect::<Vec<_>>()
        .join("\n");
    let has = |pred: &dyn Fn(char) -> bool| texts.chars().any(pred);
    assert!(
        texts.contains("(JNIM)") && texts.contains("(ISWAP)"),
        "Latin acronyms in parentheses"
    );
    assert!(has(&|c| c.is_ascii_digit()), "Western digits");
    assert!(has(&|c| ('٠'..='٩').contains(&c)), "Eastern Arabic digits");
    assert!(texts.contains('%') && texts.contains('٪'), "percentages");
    assert!(
        texts.contains('«') && texts.contains('»') && texts.contains('"'),
        "« » and \" \" quotes"
    );
    assert!(has(&|c| ('\u{064B}'..='\u{0652}').contains(&c)), "harakat");
    assert!(
        docs.iter().all(|d| d.document.text().contains('\n')),
        "multi-paragraph"
    );
    assert!(
        docs.iter().any(|d| d.document.meta.published.is_some()),
        "a date"
    );
    let spans = || {
        docs.iter()
            .flat_map(|d| d.sets[0].spans.iter().map(move |s| (d, s)))
    };
    let proclitic_left_out = spans().any(|(d, s)| {
        let before = s
            .start
            .checked_sub(1)
            .and_then(|b| d.document.slice(marsad::model::CharRange::new(b, s.start)));
        let word_start = s.start < 2
            || d.document
                .slice(marsad::model::CharRange::new(s.start - 2, s.start - 1))
                .is_some_and(|c| c.trim().is_empty());
        matches!(s.label.as_str(), "PLACE" | "ACTOR")
            && matches!(before, Some("و" | "ب" | "ل"))
            && word_start
    });
    assert!(
        proclitic_left_out,
        "a proclitic left outside a PLACE or ACTOR span"
    );
    let number_in_words = spans().any(|(_, s)| {
        s.label == "CASUALTY"
            && s.attrs.contains_key("value")
            && !s.text.chars().any(|c| c.is_numeric())
    });
    assert!(number_in_words, "a casualty count written in words");
}

#[test]
fn a_broken_project_schema_is_reported_once_and_its_documents_are_not_passed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = good_json(dir.path());
    let b = dir.path().join("copy.json");
    fs::copy(&a, &b).expect("copy");
    fs::write(dir.path().join("marsad-schema.ron"), "(name: \"broken\"").expect("write");
    let out = marsad(&[&"validate", &dir.path()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(err.matches("marsad-schema.ron: ").count(), 1, "{err}");
    assert_eq!(
        err.matches("not checked: the project schema").count(),
        2,
        "{err}"
    );
}

#[test]
fn an_empty_folder_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["validate", "stats"] {
        let out = marsad(&[&sub, &dir.path()]);
        assert_eq!(out.status.code(), Some(1), "{sub}");
        assert!(
            stderr(&out).contains("file: no .json or .ron documents in this folder"),
            "{sub}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn layout_prints_geometry_in_the_reference_format() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-article.txt");
    let out = marsad(&[
        &"layout", &seed, &"--width", &"600", &"--range", &"0:5", &"--hit", &"590,20", &"--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    for key in [
        "width",
        "size",
        "line_height",
        "dir",
        "chars",
        "line_starts",
        "ranges",
        "hits",
        "lines",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["dir"], "rtl");
    assert_eq!(v["chars"], 2374);
    assert_eq!(v["ranges"][0]["text"], "جماعة");
    // جماعة is the rightmost word of the first line: it ends at the right edge, 600 px.
    assert_eq!(v["ranges"][0]["rects"][0][2], 600.0);
    assert_eq!(v["hits"][0]["offset"], 1);
    let golden: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/golden/mali-sinsgaji-jnim-600.json"),
        )
        .expect("golden"),
    )
    .expect("json");
    assert_eq!(
        v["line_starts"], golden["line_starts"],
        "the same lines as the browser"
    );
    let first_line = v["lines"][0]["visual_order"].as_array().expect("order");
    assert_eq!(first_line.len(), 60);

    let bad = marsad(&[&"layout", &seed, &"--range", &"10:99999"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("range 10..99999 is beyond the text"),
        "{}",
        stderr(&bad)
    );
    let bad = marsad(&[&"layout", &seed, &"--range", &"7"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed range is a usage error"
    );
}

#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-article.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args([std::ffi::OsStr::new("layout"), seed.as_os_str()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `marsad find DIR QUERY --json`, parsed: (start, end, raw text) of each match.
fn found(dir: &Path, query: &str, extra: &[&str]) -> Vec<(u64, u64, String)> {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"find", &dir, &query, &"--json"];
    for e in extra {
        args.push(e);
    }
    let out = marsad(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|m| {
            (
                m["start"].as_u64().expect("start"),
                m["end"].as_u64().expect("end"),
                m["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect()
}

#[test]
fn find_prints_each_match_with_python_offsets_and_the_raw_text_it_folded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "قال إبراهيمُ إن ابراهيم وبإبراهيم قتل ٢٧ جنديا في مستشفى مستشفي الجـيش للجيش";
    let doc = notation::parse(text)
        .expect("notation")
        .to_document("find", "coder-a");
    marsad::store::save(&dir.path().join("find.json"), &doc).expect("save");
    let chars: Vec<char> = text.chars().collect();
    let slice = |a: u64, b: u64| -> String { chars[a as usize..b as usize].iter().collect() };
    let abraham = found(dir.path(), "ابراهيم", &[]);
    assert_eq!(abraham.len(), 3, "alef forms, a damma, and after و ب");
    for (a, b, t) in &abraham {
        assert_eq!(&slice(*a, *b), t, "offsets are code points");
    }
    assert_eq!(abraham[0].2, "إبراهيمُ");
    assert_eq!(abraham[2].2, "إبراهيم", "without its clitics");
    assert_eq!(found(dir.path(), "ابراهيم", &["--no-clitics"]).len(), 2);
    assert_eq!(found(dir.path(), "27", &[])[0].2, "٢٧");
    assert_eq!(found(dir.path(), "مستشفي", &[]).len(), 2, "ى as ي");
    assert_eq!(
        found(dir.path(), "الجيش", &[])
            .iter()
            .map(|m| m.2.as_str())
            .collect::<Vec<_>>(),
        ["الجـيش", "لجيش"],
        "tatweel, and ل + the article"
    );
    assert_eq!(
        found(dir.path(), "ابراهيم", &["--exact"]).len(),
        1,
        "as written"
    );
    // A broken file is named on one line; the others are still searched.
    fs::write(dir.path().join("broken.json"), "{ not json").expect("write");
    let out = marsad(&[&"find", &dir.path(), &"27"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("broken.json"), "{}", stderr(&out));
    assert!(stdout(&out).contains("٢٧"));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// `marsad import`, expected to succeed; the documents it wrote, loaded again.
fn imported(
    format: &str,
    inputs: &[PathBuf],
    extra: &[&str],
) -> Vec<marsad::model::AnnotatedDocument> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("corpus");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> =
        vec![&"import", &"--format", &format, &"-o", &out];
    for i in inputs {
        args.push(i);
    }
    for e in extra {
        args.push(e);
    }
    let run = marsad(&args);
    assert!(run.status.success(), "import {format}: {}", stderr(&run));
    let mut docs: Vec<_> = fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            marsad::store::open(&p, LabelSchema::builtin()).expect("an imported document loads")
        })
        .collect();
    docs.sort_by(|a, b| a.document.meta.id.cmp(&b.document.meta.id));
    assert!(
        !out.join(".marsad-export").exists(),
        "no export may replace the corpus"
    );
    docs
}

fn marked(doc: &marsad::model::AnnotatedDocument, set: &str) -> String {
    notation::render_set(doc, set)
}

#[test]
fn brat_folders_are_one_set_per_annotator_with_relations_attributes_and_notes() {
    let docs = imported(
        "brat",
        &[fixture("brat/coder-b"), fixture("brat/coder-c")],
        &[],
    );
    assert_eq!(
        docs.len(),
        1,
        "two annotators of one document: one document"
    );
    let doc = &docs[0];
    let ids: Vec<&str> = doc.sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["coder-b", "coder-c"]);
    assert_eq!(
        marked(doc, "coder-b"),
        "[CLAIM|أعلنت] [ACTOR|جماعة نصرة الإسلام والمسلمين] مسؤوليتها عن الهجوم في [PLACE|سيكاسو]."
    );
    let b = doc.set("coder-b").expect("b");
    let actor = b.span("T2").expect("T2");
    assert_eq!(
        actor.attrs.get("kind").map(ToString::to_string).as_deref(),
        Some("\"REBEL\"")
    );
    assert_eq!(
        actor.attrs.get("named"),
        Some(&marsad::model::AttrValue::Bool(true))
    );
    assert_eq!(
        actor.attrs.get("actor_id"),
        Some(&marsad::model::AttrValue::Str("jnim".into()))
    );
    assert_eq!(actor.note.as_deref(), Some("JNIM"));
    assert_eq!(b.relations[0].kind, "claimed_by");
}

#[test]
fn doccano_jsonl_in_both_documented_shapes() {
    let docs = imported(
        "doccano",
        &[fixture("doccano.jsonl")],
        &["--set", "coder-b"],
    );
    assert_eq!(docs.len(), 2);
    let by_id = |id: &str| docs.iter().find(|d| d.document.meta.id == id).expect(id);
    assert!(marked(by_id("7"), "coder-b").contains("[PLACE|سيكاسو]"));
    let second = by_id("doccano-2");
    assert_eq!(
        marked(second, "coder-b"),
        "قتل [CASUALTY|٢٧ جنديا] في [PLACE|كيدال]"
    );
    assert_eq!(second.sets[0].relations.len(), 1);
}

#[test]
fn label_studio_annotations_by_completed_by_and_predictions_with_scores() {
    let docs = imported("label-studio", &[fixture("label-studio.json")], &[]);
    let doc = &docs[0];
    let ids: Vec<&str> = doc.sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["annotator-10", "camelbert-1"],
        "the cancelled annotation is left out"
    );
    assert_eq!(doc.sets[0].relations[0].kind, "located_in");
    let model = &doc.sets[1];
    assert!(matches!(model.source, marsad::model::Source::Model { .. }));
    assert_eq!(model.spans[0].confidence, Some(0.87));
}

#[test]
fn wojood_nested_tags_become_nested_spans_over_the_rebuilt_text() {
    let docs = imported("wojood", &[fixture("wojood.txt")], &["--set", "gold"]);
    let doc = &docs[0];
    assert_eq!(
        marked(doc, "gold"),
        "[ORG|جامعة [GPE|بيرزيت]] في [GPE|رام الله]\nافتتحت [ORG|وزارة الصحة]"
    );
    assert!(
        doc.schema.is_some(),
        "ORG and GPE are added to an inline schema"
    );
}

#[test]
fn malformed_imports_are_refused_with_the_file_and_the_place_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &str, &[u8], &str); 7] = [
        ("doccano", "a.jsonl", b"{\"text\": \"\xd9\x81\xd9\x8a\", \"label\": [[0, 9, \"PLACE\"]]}\n", "line 1: span s1: offsets 0:9"),
        ("doccano", "b.jsonl", b"{\"text\": \"x\"\n", "line 1, column"),
        ("label-studio", "c.json", "[{\"data\": {\"text\": \"في مالي\"}, \"annotations\": [{\"result\": [{\"id\": \"r\", \"type\": \"labels\", \"value\": {\"start\": 3, \"end\": 7, \"text\": \"مال\", \"labels\": [\"PLACE\"]}}]}]}]".as_bytes(), "task 1: annotation 1: span r: text[3:7] is \"مالي\""),
        ("conll", "d.conll", "في O\nمالي I-PLACE\n".as_bytes(), "line 2: \"I-PLACE\" continues no PLACE"),
        ("conll", "e.conll", "محمد B-PERS\n\u{0651} O\n".as_bytes(), "line 2: the token"),
        ("wojood", "f.txt", "قتل O\nجنديا\n".as_bytes(), "line 2: the token \"جنديا\" has no tag"),
        ("jsonl", "g.jsonl", b"\xff\xfe", "byte 0: not UTF-8"),
    ];
    for (format, name, bytes, want) in cases {
        let input = dir.path().join(name);
        fs::write(&input, bytes).expect("write");
        let out = dir.path().join(format!("out-{name}"));
        let run = marsad(&[&"import", &"--format", &format, &input, &"-o", &out]);
        assert_eq!(run.status.code(), Some(1), "{name}");
        let err = stderr(&run);
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(!out.exists(), "{name}: nothing written");
    }
    // brat: a discontinuous span, named by its line.
    let brat = dir.path().join("brat");
    fs::create_dir(&brat).expect("mkdir");
    fs::write(brat.join("x.txt"), "قتل جنديا في مالي").expect("txt");
    fs::write(brat.join("x.ann"), "T1\tPLACE 0 3;13 17\tقتل مالي\n").expect("ann");
    let run = marsad(&[
        &"import",
        &"--format",
        &"brat",
        &brat,
        &"-o",
        &dir.path().join("o"),
    ]);
    assert!(
        stderr(&run).contains("x.ann: line 1: T1: a discontinuous span"),
        "{}",
        stderr(&run)
    );
    // A folder that holds anything is never written into.
    let full = dir.path().join("full");
    fs::create_dir(&full).expect("mkdir");
    fs::write(full.join("mine.json"), "{}").expect("write");
    let run = marsad(&[
        &"import",
        &"--format",
        &"doccano",
        &fixture("doccano.jsonl"),
        &"-o",
        &full,
    ]);
    assert!(
        stderr(&run).contains("exists and is not empty"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        fs::read_to_string(full.join("mine.json")).expect("kept"),
        "{}"
    );
}

/// The ACLED CSV export of `corpus`: its header and its rows.
fn acled_rows(corpus: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let file = out_dir.path().join("rows.csv");
    let out = marsad(&[&"export", &"--format", &"acled-csv", &corpus, &"-o", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&file).expect("csv");
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Three reports of one attack (the group claims one soldier killed, a security source three)
/// and their two corpus events, written through the library.
fn reported_attack(dir: &Path) {
    use marsad::model::EventRole;
    use marsad::model::corpus_event::{CorpusEvent, Link, Report};
    let write = |name: &str, marked: &str| {
        let doc = notation::parse(marked)
            .expect("notation")
            .to_document(name, "coder-a");
        marsad::store::save(&dir.join(format!("{name}.json")), &doc).expect("save");
        doc
    };
    let a = write(
        "a",
        "[ACTOR kind=REBEL|جماعة نصرة الإسلام] تتبنى هجوما في [PLACE level=LOCALITY|سيكاسو] قتل فيه [CASUALTY kind=KILLED value=1 group=STATE_FORCES|جندي واحد]",
    );
    let b = write(
        "b",
        "قتل [CASUALTY kind=KILLED value=3 group=STATE_FORCES|ثلاثة جنود] في هجوم [ACTOR kind=REBEL|لجماعة نصرة الإسلام] في [PLACE level=LOCALITY|بسيكاسو]",
    );
    let c = write(
        "c",
        "أفادت إذاعة محلية بمقتل [CASUALTY kind=KILLED value=2 group=STATE_FORCES|جنديين] في هجوم على ثكنة [PLACE level=LOCALITY|سيكاسو]",
    );
    write("d", "فيضانات في [PLACE|موبتي]");
    for (id, name, doc, date) in [
        ("ev1", "a", &a, "2023-01-18"),
        ("ev2", "b", &b, "2023-01-19"),
    ] {
        let mut e = CorpusEvent::new(id, "Battles");
        for span in &doc.sets[0].spans {
            let role = match span.label.as_str() {
                "ACTOR" => EventRole::Perpetrators,
                "PLACE" => EventRole::Places,
                _ => EventRole::Casualties,
            };
            e.links
                .push(Link::of(role, &format!("{name}.json"), "coder-a", span));
        }
        e.reports.push(Report {
            document: format!("{name}.json"),
            date: Some(date.into()),
            event: None,
        });
        if id == "ev1" {
            // ev1 also links b's and c's tolls: three reports of one event disagree.
            for (name, doc) in [("b.json", &b), ("c.json", &c)] {
                let toll = &doc.sets[0].spans[0];
                e.links
                    .push(Link::of(EventRole::Casualties, name, "coder-a", toll));
            }
        }
        marsad::store::corpus_events::save(dir, &e).expect("save");
    }
}

#[test]
fn events_are_reconciled_their_duplicates_listed_and_their_reports_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_attack(dir.path());
    let out = marsad(&[&"events", &dir.path()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("ev1 Battles: 3 report(s), fatalities 1, date 2023-01-18"),
        "{text}"
    );
    assert!(
        text.contains(
            "reports differ: STATE_FORCES: a.json: 1 killed; b.json: 3 killed; c.json: 2 killed"
        ),
        "{text}"
    );
    let out = marsad(&[&"events", &dir.path(), &"--duplicates"]);
    assert!(
        stdout(&out).contains("ev1 and ev2 are probably one event"),
        "{}",
        stdout(&out)
    );
    let out = marsad(&[&"events", &dir.path(), &"--candidates", &"ev2"]);
    // a.json gives no date of its own (its report date is in ev1): place 3 + actor 2; the
    // radio's report only its place.
    assert_eq!(
        stdout(&out),
        "a.json: place, actor (score 5)\nc.json: place (score 3)\n"
    );
    // A span changed after it was linked is named, and the exit code says so.
    std::fs::write(
        dir.path().join("marsad-events/ev2.json"),
        std::fs::read_to_string(dir.path().join("marsad-events/ev2.json"))
            .expect("read")
            .replace("بسيكاسو", "سيكاسو"),
    )
    .expect("write");
    let out = marsad(&[&"events", &dir.path()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("event ev2: places link to b.json coder-a/s3: the span's text is now \"بسيكاسو\", not \"سيكاسو\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn acled_csv_of_a_corpus_writes_one_row_per_corpus_event_reconciled_across_its_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_attack(dir.path());
    let (header, rows) = acled_rows(dir.path());
    assert_eq!(rows.len(), 2, "one row per corpus event");
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let ev1 = &rows[0];
    for (name, value) in [
        ("event_id_cnty", "ev1"),
        ("event_date", "2023-01-18"),
        ("year", "2023"),
        ("time_precision", "1"),
        ("disorder_type", "Political violence"),
        ("event_type", "Battles"),
        ("actor1", "جماعة نصرة الإسلام"),
        ("inter1", "2"),
        ("interaction", "20"),
        ("location", "سيكاسو"),
        ("geo_precision", "1"),
        ("source", "a.json; b.json; c.json"),
        (
            "notes",
            "STATE_FORCES: a.json: 1 killed; b.json: 3 killed; c.json: 2 killed",
        ),
        ("fatalities", "1"),
        ("document_id", "a.json b.json c.json"),
        ("actor1_spans", "a.json#s1"),
        ("location_spans", "a.json#s2"),
        ("fatalities_spans", "a.json#s3 b.json#s1 c.json#s1"),
    ] {
        assert_eq!(ev1[col(name)], value, "{name}");
    }
    assert_eq!(rows[1][col("fatalities")], "3");
}

#[test]
fn a_corpus_registry_names_the_acled_actors_and_places_and_validate_warns_of_unknown_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_attack(dir.path());
    // The corpus's registry: the starter's entries, written as the corpus's own file.
    marsad::store::registry::save(dir.path(), &marsad::store::registry::starter()).expect("save");
    for (name, id, place) in [
        ("a.json", "jnim", "ml-sikasso"),
        ("b.json", "nope", "ml-sikasso"),
    ] {
        let path = dir.path().join(name);
        let mut doc = marsad::store::load(&path, LabelSchema::builtin()).expect("load");
        for span in &mut doc.sets[0].spans {
            let (attr, value) = match span.label.as_str() {
                "ACTOR" => ("actor_id", id),
                "PLACE" => ("gazetteer_id", place),
                _ => continue,
            };
            span.attrs
                .insert(attr.into(), marsad::model::AttrValue::Str(value.into()));
        }
        marsad::store::save(&path, &doc).expect("save");
    }
    let out = marsad(&[&"validate", &dir.path()]);
    assert!(
        out.status.success(),
        "warnings do not fail: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("b.json: span coder-a/s2: actor_id \"nope\" is not in the registry"),
        "{}",
        stderr(&out)
    );
    let (header, rows) = acled_rows(dir.path());
    let ev1 = &rows[0];
    let col = |name: &str| &ev1[header.iter().position(|h| h == name).expect(name)];
    assert_eq!(
        col("actor1"),
        "JNIM: Group for Support of Islam and Muslims"
    );
    assert_eq!(col("inter1"), "2");
    assert_eq!(col("country"), "Mali");
    assert_eq!(col("admin1"), "Sikasso");
}

#[test]
fn acled_csv_rows_import_back_into_the_corpus_events_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    reported_attack(dir.path());
    let out_dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (out_dir.path().join("1.csv"), out_dir.path().join("2.csv"));
    let export = |to: &Path| {
        let out = marsad(&[
            &"export",
            &"--format",
            &"acled-csv",
            &dir.path(),
            &"-o",
            &to,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    export(&first);
    let before = marsad::store::corpus_events::load_all(dir.path()).0;
    // Into a corpus that has the events already: refused, nothing written.
    let out = marsad(&[
        &"import",
        &"--format",
        &"acled-csv",
        &first,
        &"-o",
        &dir.path(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("these events exist already, nothing was written"),
        "{}",
        stderr(&out)
    );
    fs::remove_dir_all(dir.path().join("marsad-events")).expect("remove");
    let out = marsad(&[
        &"import",
        &"--format",
        &"acled-csv",
        &first,
        &"-o",
        &dir.path(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 2 corpus event(s)"),
        "{}",
        stdout(&out)
    );
    let after = marsad::store::corpus_events::load_all(dir.path()).0;
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        let sorted = |e: &marsad::model::corpus_event::CorpusEvent| {
            let mut links = e.links.clone();
            links.sort();
            (e.id.clone(), e.event_type.clone(), links)
        };
        assert_eq!(
            sorted(b),
            sorted(a),
            "the same links, in the order the row lists them"
        );
    }
    export(&second);
    assert_eq!(
        fs::read_to_string(&first).expect("read"),
        fs::read_to_string(&second).expect("read"),
        "the same rows again"
    );
    // A row naming a span the corpus lacks is refused with its line.
    let broken = out_dir.path().join("broken.csv");
    fs::write(
        &broken,
        fs::read_to_string(&first)
            .expect("read")
            .replace("a.json#s3", "a.json#s9"),
    )
    .expect("write");
    fs::remove_dir_all(dir.path().join("marsad-events")).expect("remove");
    let out = marsad(&[
        &"import",
        &"--format",
        &"acled-csv",
        &broken,
        &"-o",
        &dir.path(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("broken.csv: line 2: fatalities_spans: the corpus has no span a.json#s9"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("marsad-events").exists(),
        "nothing written"
    );
}
