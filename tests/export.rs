//! `marsad export` run as a user runs it, on the sample articles, with every export read back
//! by what its users read it with: real spaCy for the DocBin, the `.txt`/`.ann` pair for brat,
//! the BIO tags for CoNLL, a hand-written expectation for the ACLED rows.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use marsad::model::{AnnotatedDocument, LabelSchema, notation};
use marsad::store::{self, export};

mod common;
use common::{marsad, text};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn samples() -> PathBuf {
    repo().join("sample_articles")
}

/// The sample documents, in the order the export walks them (sorted paths).
fn sample_docs() -> Vec<AnnotatedDocument> {
    let (files, problems) = store::documents_in(&samples());
    assert!(problems.is_empty());
    files
        .iter()
        .map(|f| store::open(f, LabelSchema::builtin()).expect("sample loads"))
        .collect()
}

fn export_ok(format: &str, extra: &[&str], out: &Path) -> String {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> =
        vec![&"export", &"--format", &format, &"-o", &out];
    for a in extra {
        args.push(a);
    }
    let samples = samples();
    args.push(&samples);
    let run = marsad(&args);
    assert!(
        run.status.success(),
        "export {format}: {}",
        text(&run.stderr)
    );
    text(&run.stderr)
}

/// Code-point slice, as Python's `text[start:end]`.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The venv with spaCy from PyPI, made once per run by tools/spacy/venv.sh (which returns at
/// once when it exists; tools/test.sh makes it before the tests).
fn spacy_python() -> PathBuf {
    static MADE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| {
        Command::new("bash")
            .arg(repo().join("tools/spacy/venv.sh"))
            .status()
            .is_ok_and(|s| s.success())
    });
    assert!(
        *made,
        "tools/spacy/venv.sh could not install spaCy from PyPI"
    );
    repo().join("target/spacy-venv/bin/python")
}

#[test]
fn real_spacy_loads_every_span_of_every_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("train.spacy");
    export_ok("spacy", &[], &out);
    // The expectation comes from the documents themselves, not from another export.
    let mut expected = String::new();
    let mut proclitic_left_out = 0;
    for doc in sample_docs() {
        let set = &doc.sets[0];
        let text = doc.document.text();
        let chars: Vec<char> = text.chars().collect();
        for s in &set.spans {
            // A one-letter proclitic glued to the span's first word and left out of it: بسيكاسو.
            let glued = s.start >= 1 && "وفبلك".contains(chars[s.start - 1]);
            let word_start = s.start == 1 || s.start >= 2 && chars[s.start - 2].is_whitespace();
            proclitic_left_out += usize::from(glued && word_start);
        }
        let line = serde_json::json!({
            "id": doc.document.meta.id,
            "text": text,
            "spans": set.spans.iter().map(|s| serde_json::json!({
                "start": s.start, "end": s.end, "label": s.label, "text": s.text,
            })).collect::<Vec<_>>(),
        });
        expected.push_str(&line.to_string());
        expected.push('\n');
    }
    assert!(
        proclitic_left_out > 0,
        "the samples hold a span that leaves out a proclitic glued to it"
    );
    let expected_path = dir.path().join("expected.jsonl");
    fs::write(&expected_path, expected).expect("write expectation");
    let check = Command::new(spacy_python())
        .arg(repo().join("tools/spacy/check_docbin.py"))
        .arg(&out)
        .arg(&expected_path)
        .output()
        .expect("run the spaCy checker");
    assert!(
        check.status.success(),
        "spaCy disagrees:\n{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert!(text(&check.stdout).contains("6 documents, 299 spans"));
}

#[test]
fn spacy_finds_a_place_inside_its_word() {
    // "in Sikasso" written بسيكاسو: the span leaves the ب out; spaCy must still find it.
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = notation::parse("هجوم ب[PLACE level=ADMIN1|سيكاسو] أمس")
        .expect("notation")
        .to_document("sikasso", "coder-a");
    let path = dir.path().join("sikasso.json");
    store::save(&path, &doc).expect("save");
    let out = dir.path().join("one.spacy");
    let run = marsad(&[&"export", &"--format", &"spacy", &path, &"-o", &out]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let script = "import sys, spacy\nfrom spacy.tokens import DocBin\n\
        nlp = spacy.blank('xx')\n\
        doc = list(DocBin().from_disk(sys.argv[1]).get_docs(nlp.vocab))[0]\n\
        span = doc.char_span(6, 12)\n\
        print(span.text if span is not None else None, [(e.text, e.label_) for e in doc.ents])";
    let run = Command::new(spacy_python())
        .args(["-c", script])
        .arg(&out)
        .output()
        .expect("python");
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout).trim(), "سيكاسو [('سيكاسو', 'PLACE')]");
}

#[test]
fn brat_ann_lines_match_the_txt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("brat");
    export_ok("brat", &[], &out);
    let docs = sample_docs();
    assert!(out.join("annotation.conf").is_file());
    let mut t_lines = 0;
    for doc in &docs {
        let id = &doc.document.meta.id;
        let txt = fs::read_to_string(out.join(format!("{id}.txt"))).expect(".txt");
        assert_eq!(txt, doc.document.text(), "{id}.txt is the text verbatim");
        let ann = fs::read_to_string(out.join(format!("{id}.ann"))).expect(".ann");
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        for line in ann.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match line.chars().next() {
                Some('T') => {
                    let (label, offsets) = fields[1].split_once(' ').expect("label offsets");
                    let pieces: Vec<String> = offsets
                        .split(';')
                        .map(|f| {
                            let (a, b) = f.split_once(' ').expect("start end");
                            slice(&txt, a.parse().expect("start"), b.parse().expect("end"))
                        })
                        .collect();
                    assert_eq!(pieces.join(" "), fields[2], "{id}: {line}");
                    labels.insert(fields[0].to_owned(), label.to_owned());
                    t_lines += 1;
                }
                Some('R') => {
                    let parts: Vec<&str> = fields[1].split(' ').collect();
                    for arg in &parts[1..] {
                        let t = arg.split_once(':').expect("ArgN:T").1;
                        assert!(labels.contains_key(t), "{id}: {line} names a T line");
                    }
                }
                Some('A') => {
                    let t = fields[1].split(' ').nth(1).expect("A target");
                    assert!(labels.contains_key(t), "{id}: {line}");
                }
                Some('#') => assert!(fields[1].starts_with("AnnotatorNotes T")),
                _ => panic!("{id}: unexpected line {line}"),
            }
        }
        let spans = &doc.sets[0].spans;
        assert_eq!(labels.len(), spans.len(), "{id}: one T line per span");
    }
    assert_eq!(t_lines, 299);
}

/// Spans rebuilt from CoNLL tags: (start, end, label) in code points, found by walking the
/// tokens through the text.
fn spans_from_conll(conll: &str, docs: &[AnnotatedDocument]) -> Vec<Vec<(usize, usize, String)>> {
    let mut out = Vec::new();
    let mut blocks = conll.split("-DOCSTART-\tO\n").skip(1);
    for doc in docs {
        let block = blocks.next().expect("a block per document");
        let text: Vec<char> = doc.document.text().chars().collect();
        let mut at = 0;
        let mut spans: Vec<(usize, usize, String)> = Vec::new();
        for line in block.lines().filter(|l| !l.is_empty()) {
            let (token, tag) = line.split_once('\t').expect("token\\ttag");
            let token: Vec<char> = token.chars().collect();
            while text[at..].starts_with(&[' ']) || text[at].is_whitespace() {
                at += 1;
            }
            assert!(text[at..].starts_with(&token), "tokens follow the text");
            let (start, end) = (at, at + token.len());
            at = end;
            if let Some(label) = tag.strip_prefix("B-") {
                spans.push((start, end, label.to_owned()));
            } else if let Some(label) = tag.strip_prefix("I-") {
                let last = spans.last_mut().expect("I- after B-");
                assert_eq!(last.2, label);
                last.1 = end;
            } else {
                assert_eq!(tag, "O");
            }
        }
        out.push(spans);
    }
    out
}

#[test]
fn conll_tags_rebuild_the_spans_under_both_clitic_policies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = sample_docs();
    for policy in ["keep", "split"] {
        let out = dir.path().join(format!("{policy}.conll"));
        let warnings = export_ok("conll", &["--clitics", policy], &out);
        let conll = fs::read_to_string(&out).expect("read");
        let rebuilt = spans_from_conll(&conll, &docs);
        let mut left_out = 0;
        let mut widened = 0;
        for (doc, spans) in docs.iter().zip(&rebuilt) {
            let set = &doc.sets[0];
            let ranges: Vec<_> = set.spans.iter().map(|s| s.start..s.end).collect();
            let (kept, dropped) = export::one_layer(&ranges);
            left_out += dropped;
            let text: Vec<char> = doc.document.text().chars().collect();
            let expected: Vec<_> = kept.iter().map(|&k| &set.spans[k]).collect();
            assert_eq!(spans.len(), expected.len(), "{}", doc.document.meta.id);
            for (got, want) in spans.iter().zip(expected) {
                assert_eq!(got.2, want.label);
                if policy == "split" {
                    assert_eq!((got.0, got.1), (want.start, want.end), "exact in split");
                } else {
                    // Keep: the span's whole words, never more than the word it is in.
                    assert!(got.0 <= want.start && want.end <= got.1);
                    let extra: String = text[got.0..want.start]
                        .iter()
                        .chain(&text[want.end..got.1])
                        .collect();
                    assert!(
                        !extra.chars().any(char::is_whitespace),
                        "widened only within a word: {extra:?}"
                    );
                    widened += usize::from(got.0 != want.start || got.1 != want.end);
                }
            }
        }
        assert!(left_out > 0, "the samples have nested spans");
        assert!(
            warnings.contains(&format!("{left_out} overlapping span(s) left out")),
            "{warnings}"
        );
        if policy == "keep" {
            assert!(
                widened > 0,
                "a proclitic left out of a span widens it in keep"
            );
            assert!(warnings.contains(&format!("{widened} span(s) tagged on whole tokens")));
        } else {
            assert!(!warnings.contains("whole tokens"), "{warnings}");
        }
    }
}

#[test]
fn acled_rows_for_the_lake_chad_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("events.csv");
    let doc = samples().join("chad-lake-boko-haram.json");
    let run = marsad(&[&"export", &"--format", &"acled-csv", &doc, &"-o", &out]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let csv = fs::read_to_string(&out).expect("read");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.expect("row").iter().map(str::to_owned))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2);
    let expect = |row: &BTreeMap<String, String>, pairs: &[(&str, &str)]| {
        for (k, v) in pairs {
            assert_eq!(row[*k], *v, "{k}");
        }
    };
    // e1: ISWAP attacks an army position on Choukoutalia island (part of Lac province). The
    // army says 5 soldiers killed, ISWAP claims 23: the lower figure counts.
    expect(
        &rows[0],
        &[
            ("event_id_cnty", "chad-lake-boko-haram-e1"),
            ("event_date", "2024-04-15"),
            ("year", "2024"),
            ("time_precision", "1"),
            ("disorder_type", "Political violence"),
            ("geo_precision", "1"),
            ("latitude", ""),
            ("event_type", "Battles"),
            ("sub_event_type", "Armed clash"),
            ("actor1", "تنظيم \"ولاية غرب إفريقيا\" (ISWAP)"),
            ("assoc_actor_1", ""),
            ("inter1", "2"),
            ("actor2", "الجيش التشادي"),
            ("inter2", "1"),
            ("interaction", "12"),
            ("country", ""),
            ("admin1", "ولاية البحيرة"),
            ("location", "جزيرة تشوكوتاليا"),
            ("fatalities", "5"),
            ("source", "وكالة الساحل للأنباء"),
            ("actor1_spans", "s4"),
            ("actor2_spans", "s10"),
            ("admin1_spans", "s7"),
            ("location_spans", "s5"),
            ("fatalities_spans", "s2 s24"),
        ],
    );
    // e2: the air force strikes the retreating attackers on the lake: "at least 40" and a
    // vague "dozens" of militants; the numbered report counts.
    expect(
        &rows[1],
        &[
            ("event_id_cnty", "chad-lake-boko-haram-e2"),
            ("event_type", "Explosions/Remote violence"),
            ("sub_event_type", "Air/drone strike"),
            ("actor1", "سلاح الجو"),
            ("inter1", "1"),
            ("actor2", "المهاجمين"),
            ("inter2", "2"),
            ("interaction", "12"),
            ("admin1", ""),
            ("location", "بحيرة تشاد"),
            ("fatalities", "40"),
            ("fatalities_spans", "s20 s28"),
        ],
    );
    assert!(rows[1]["notes"].starts_with("Chadian air force drone"));
    // ACLED's own columns, in ACLED's order and spelling, as a row from ACLED's API has
    // them; then ours.
    let acled =
        fs::read_to_string(repo().join("tests/fixtures/acled/acled-api.csv")).expect("fixture");
    let mut theirs = csv::Reader::from_reader(acled.as_bytes());
    let acled_header: Vec<String> = theirs
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(acled_header.len(), 31);
    assert_eq!(
        header[..31],
        acled_header[..],
        "the first 31 columns are ACLED's"
    );
    assert_eq!(header[31], "document_id");
    // A reader that knows ACLED's columns reads our rows as it reads theirs.
    let theirs_row: BTreeMap<String, String> = acled_header
        .iter()
        .cloned()
        .zip(
            theirs
                .records()
                .next()
                .expect("row")
                .expect("row")
                .iter()
                .map(str::to_owned),
        )
        .collect();
    for key in [
        "event_date",
        "event_type",
        "fatalities",
        "interaction",
        "disorder_type",
    ] {
        assert!(
            !theirs_row[key].is_empty() && !rows[0][key].is_empty(),
            "{key}"
        );
    }
}

#[test]
fn jsonl_counts_offsets_in_code_points_or_utf16() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = notation::parse("🔥 هجوم في [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("emoji", "coder-a");
    let path = dir.path().join("emoji.json");
    store::save(&path, &doc).expect("save");
    for (unit, start) in [("codepoint", 10), ("utf16", 11)] {
        let out = dir.path().join(format!("{unit}.jsonl"));
        let run = marsad(&[
            &"export",
            &"--format",
            &"jsonl",
            &"--offsets",
            &unit,
            &path,
            &"-o",
            &out,
        ]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        let line: serde_json::Value =
            serde_json::from_str(fs::read_to_string(&out).expect("read").trim()).expect("json");
        assert_eq!(line["spans"][0]["start"], start, "{unit}");
        assert_eq!(line["spans"][0]["end"], start + 6, "{unit}");
        assert_eq!(line["offsets"], unit);
        let back =
            export::jsonl::read(&fs::read_to_string(&out).expect("read"), "x").expect("reads back");
        assert_eq!(back[0].sets[0].spans, doc.sets[0].spans, "{unit}");
    }
}

#[test]
fn doccano_and_label_studio_offsets_hold_the_span_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = sample_docs();
    let out = dir.path().join("doccano.jsonl");
    let said = export_ok("doccano", &[], &out);
    // Every span is written; the overlapping ones are said, since doccano's default project
    // hides them.
    assert!(said.contains("15 overlapping span(s) written"), "{said}");
    let lines: Vec<serde_json::Value> = fs::read_to_string(&out)
        .expect("read")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), docs.len());
    for (line, doc) in lines.iter().zip(&docs) {
        let text = line["text"].as_str().expect("text");
        let labels = line["label"].as_array().expect("label");
        assert_eq!(labels.len(), doc.sets[0].spans.len());
        for (l, s) in labels.iter().zip(&doc.sets[0].spans) {
            let (a, b) = (l[0].as_u64().expect("start"), l[1].as_u64().expect("end"));
            assert_eq!(slice(text, a as usize, b as usize), s.text);
            assert_eq!(l[2], s.label.as_str());
        }
    }
    let out = dir.path().join("tasks.json");
    export_ok("label-studio", &[], &out);
    let tasks: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).expect("read")).expect("one JSON array");
    let tasks = tasks.as_array().expect("array");
    assert_eq!(tasks.len(), docs.len());
    for (task, doc) in tasks.iter().zip(&docs) {
        let text = task["data"]["text"].as_str().expect("text");
        let result = task["annotations"][0]["result"].as_array().expect("result");
        let regions: Vec<_> = result.iter().filter(|r| r["type"] == "labels").collect();
        let relations = result.iter().filter(|r| r["type"] == "relation").count();
        assert_eq!(regions.len(), doc.sets[0].spans.len());
        assert_eq!(relations, doc.sets[0].relations.len());
        for r in regions {
            let v = &r["value"];
            let (a, b) = (
                v["start"].as_u64().expect("start"),
                v["end"].as_u64().expect("end"),
            );
            assert_eq!(
                slice(text, a as usize, b as usize),
                v["text"].as_str().expect("text")
            );
        }
    }
}

#[test]
fn a_failed_export_leaves_out_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("train.jsonl");
    fs::write(&out, "previous export\n").expect("write");
    // Without --force an existing OUT is not replaced.
    let run = marsad(&[&"export", &"--format", &"jsonl", &samples(), &"-o", &out]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("use --force"),
        "{}",
        text(&run.stderr)
    );
    // A document whose span no longer matches its text stops the export, even with --force.
    let bad = dir.path().join("corpus");
    fs::create_dir(&bad).expect("mkdir");
    fs::copy(
        samples().join("mali-sinsgaji-jnim.json"),
        bad.join("a-good.json"),
    )
    .expect("copy");
    let doc = notation::parse("هجوم في [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("z-bad", "coder-a");
    let bad_doc = bad.join("z-bad.json");
    store::save(&bad_doc, &doc).expect("save");
    let src = fs::read_to_string(&bad_doc).expect("read");
    fs::write(
        &bad_doc,
        src.replace("\"text\": \"سيكاسو\"", "\"text\": \"سيكاس\""),
    )
    .expect("write");
    let run = marsad(&[
        &"export",
        &"--format",
        &"jsonl",
        &"--force",
        &bad,
        &"-o",
        &out,
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stdout));
    let err = text(&run.stderr);
    assert!(err.contains("z-bad.json") && err.contains("سيكاس"), "{err}");
    assert_eq!(fs::read_to_string(&out).expect("read"), "previous export\n");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().starts_with(".marsad-"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");
    // The same export with a good corpus replaces OUT.
    fs::remove_file(&bad_doc).expect("rm");
    let run = marsad(&[
        &"export",
        &"--format",
        &"jsonl",
        &"--force",
        &bad,
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        fs::read_to_string(&out)
            .expect("read")
            .contains("mali-sinsgaji-jnim")
    );
}

#[test]
fn the_exporter_itself_refuses_a_span_whose_text_drifted() {
    // Documents reach the exporter from the window too, where no loader checked them.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = notation::parse("هجوم في [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("drift", "coder-a");
    doc.sets[0].spans[0].text = "كايس".into();
    let out = dir.path().join("x.conll");
    let mut exporter =
        export::Exporter::new(export::Options::new(export::Format::Conll), &out).expect("start");
    let err = exporter
        .add(Path::new("drift.json"), &doc, LabelSchema::builtin())
        .expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        "drift.json: span coder-a/s1: text[8:14] is \"سيكاسو\" but the span says \"كايس\""
    );
    drop(exporter);
    assert!(!out.exists());
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 0);
}

#[test]
fn a_document_with_several_sets_needs_set() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = notation::parse("هجوم في [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("two", "coder-a");
    let mut other = doc.sets[0].clone();
    other.id = "coder-b".into();
    other.source = marsad::model::Source::Human {
        annotator: "coder-b".into(),
    };
    doc.sets.push(other);
    let path = dir.path().join("two.json");
    store::save(&path, &doc).expect("save");
    let out = dir.path().join("out.jsonl");
    let run = marsad(&[&"export", &"--format", &"jsonl", &path, &"-o", &out]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("2 annotation sets (coder-a, coder-b); choose one with --set"),
        "{}",
        text(&run.stderr)
    );
    let run = marsad(&[
        &"export",
        &"--format",
        &"jsonl",
        &"--set",
        &"coder-b",
        &path,
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        fs::read_to_string(&out)
            .expect("read")
            .contains("\"set\":\"coder-b\"")
    );
}

/// brat's configuration rules (`annotation.conf`, as brat documents them and as its
/// `tools/verify_annotations` applies them), checked over an export: every entity, relation
/// and attribute type declared; relation arguments of allowed types; an attribute only on
/// the types its `Arg:` names, a flag without a value, a valued attribute with one of its
/// `Value:` list; every note on an annotation that exists. Returns each error found.
fn brat_errors(dir: &Path) -> Vec<String> {
    let conf = fs::read_to_string(dir.join("annotation.conf")).expect("annotation.conf");
    let mut section = "";
    let mut entities: std::collections::HashSet<String> = Default::default();
    let mut relations: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut attributes: BTreeMap<String, (Vec<String>, Option<Vec<String>>)> = BTreeMap::new();
    let list = |s: &str| -> Vec<String> { s.split('|').map(|x| x.trim().to_owned()).collect() };
    for line in conf.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let (name, args) = line.split_once('\t').unwrap_or((line, ""));
        match section {
            "[entities]" => {
                entities.insert(name.to_owned());
            }
            "[relations]" if name != "<OVERLAP>" => {
                let mut a = (Vec::new(), Vec::new());
                for part in args.split(',').map(str::trim) {
                    if let Some(v) = part.strip_prefix("Arg1:") {
                        a.0 = list(v);
                    } else if let Some(v) = part.strip_prefix("Arg2:") {
                        a.1 = list(v);
                    }
                }
                relations.insert(name.to_owned(), a);
            }
            "[attributes]" => {
                let mut a = (Vec::new(), None);
                for part in args.split(',').map(str::trim) {
                    if let Some(v) = part.strip_prefix("Arg:") {
                        a.0 = list(v);
                    } else if let Some(v) = part.strip_prefix("Value:") {
                        a.1 = Some(list(v));
                    }
                }
                attributes.insert(name.to_owned(), a);
            }
            _ => {}
        }
    }
    let allows = |types: &[String], t: &str| types.iter().any(|x| x == t || x == "<ENTITY>");
    let mut errors = Vec::new();
    for entry in fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ann") {
            continue;
        }
        let ann = fs::read_to_string(&path).expect("ann");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        for line in ann.lines().filter(|l| l.starts_with('T')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let ty = fields[1].split(' ').next().unwrap_or_default();
            if !entities.contains(ty) {
                errors.push(format!(
                    "{name}: {}: undeclared entity type {ty}",
                    fields[0]
                ));
            }
            types.insert(fields[0].to_owned(), ty.to_owned());
        }
        for line in ann.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let id = fields[0];
            let parts: Vec<&str> = fields
                .get(1)
                .copied()
                .unwrap_or_default()
                .split(' ')
                .collect();
            match id.chars().next() {
                Some('R') => {
                    let target = |k: usize| {
                        parts
                            .get(k)
                            .and_then(|a| a.split_once(':'))
                            .map(|x| x.1)
                            .unwrap_or("")
                    };
                    match relations.get(parts[0]) {
                        None => {
                            errors.push(format!("{name}: {id}: undeclared relation {}", parts[0]))
                        }
                        Some((a1, a2)) => {
                            for (k, allowed) in [(1, a1), (2, a2)] {
                                let t = types.get(target(k)).map(String::as_str).unwrap_or("?");
                                if !allows(allowed, t) {
                                    errors.push(format!("{name}: {id}: Arg{k} may not be {t}"));
                                }
                            }
                        }
                    }
                }
                Some('A') => match attributes.get(parts[0]) {
                    None => errors.push(format!("{name}: {id}: undeclared attribute {}", parts[0])),
                    Some((args, values)) => {
                        let t = types.get(parts[1]).map(String::as_str).unwrap_or("?");
                        if !allows(args, t) {
                            errors.push(format!("{name}: {id}: {} may not be on {t}", parts[0]));
                        }
                        match (values, parts.get(2)) {
                            (None, Some(v)) => {
                                errors.push(format!("{name}: {id}: flag with value {v}"))
                            }
                            (Some(_), None) => errors.push(format!("{name}: {id}: no value")),
                            (Some(vs), Some(v)) if !vs.iter().any(|x| x == v) => {
                                errors.push(format!("{name}: {id}: value {v} is not declared"))
                            }
                            _ => {}
                        }
                    }
                },
                Some('#') => {
                    if parts.first() != Some(&"AnnotatorNotes") || !types.contains_key(parts[1]) {
                        errors.push(format!("{name}: {id}: a note on nothing"));
                    }
                }
                Some('T') => {}
                _ => errors.push(format!("{name}: unknown line {line}")),
            }
        }
    }
    errors
}

/// A span as (start, end, label, its attributes as text).
type SpanWithAttrs = (usize, usize, String, Vec<(String, String)>);

/// The samples imported back from `format` files at `out` (as coder-a's set): for each
/// sample, its spans with their attributes and the imported ones, sorted. A flag that is off
/// is left out when `flags_off` says the format cannot carry it.
fn imported_back(
    format: &str,
    out: &Path,
    flags_off: bool,
) -> Vec<(String, Vec<SpanWithAttrs>, Vec<SpanWithAttrs>)> {
    let back = out.with_extension("back");
    let run = marsad(&[
        &"import",
        &"--format",
        &format,
        &out,
        &"--set",
        &"coder-a",
        &"-o",
        &back,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let key = |d: &AnnotatedDocument| -> Vec<SpanWithAttrs> {
        let mut v: Vec<SpanWithAttrs> = d
            .set("coder-a")
            .expect("coder-a's set")
            .spans
            .iter()
            .map(|s| {
                let a = s
                    .attrs
                    .iter()
                    .filter(|(_, v)| !flags_off || **v != marsad::model::AttrValue::Bool(false))
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect();
                (s.start, s.end, s.label.clone(), a)
            })
            .collect();
        v.sort();
        v
    };
    sample_docs()
        .iter()
        .map(|doc| {
            let id = doc.document.meta.id.clone();
            let again = store::open(&back.join(format!("{id}.json")), LabelSchema::builtin())
                .expect("an imported document loads");
            (id, key(doc), key(&again))
        })
        .collect()
}

#[test]
fn brats_own_configuration_rules_find_no_error_in_the_samples_and_values_keep_their_spelling() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("brat");
    export_ok("brat", &[], &out);
    let errors = brat_errors(&out);
    assert!(errors.is_empty(), "{} errors: {errors:#?}", errors.len());
    // kind differs between ACTOR and CASUALTY: declared per label.
    let conf = fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(conf.contains("ACTOR-kind\tArg:ACTOR, Value:"), "{conf}");
    assert!(
        conf.contains("CASUALTY-kind\tArg:CASUALTY, Value:"),
        "{conf}"
    );
    let visual = fs::read_to_string(out.join("visual.conf")).expect("visual.conf");
    assert!(visual.contains("ACTOR | فاعل | ACTOR"), "{visual}");
    assert!(visual.contains("ACTOR\tbgColor:#"), "{visual}");
    // Open values are notes, spelled as they are.
    let seed = fs::read_to_string(out.join("mali-sinsgaji-jnim.ann")).expect("ann");
    assert!(
        seed.contains("\tAnnotatorNotes T1\t@actor_id=jnim"),
        "{seed}"
    );
    // And they come back as they were: brat → import gives the samples' spans and attributes.
    for (id, mine, back) in imported_back("brat", &out, true) {
        assert_eq!(mine, back, "{id}");
    }
}

#[test]
fn label_studio_puts_the_coders_annotations_and_the_models_predictions_on_one_task() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut doc = notation::parse("هاجمت [ACTOR|الجماعة] بلدة [PLACE|سيكاسو]")
        .expect("notation")
        .to_document("one-task", "coder-a");
    let mut model = notation::parse("هاجمت [ACTOR|الجماعة] بلدة [ACTOR|سيكاسو]")
        .expect("notation")
        .to_document("one-task", "camelbert")
        .sets
        .remove(0);
    model.source = marsad::model::Source::Model {
        name: "camelbert".into(),
        version: Some("1.2".into()),
    };
    for (s, c) in model.spans.iter_mut().zip([0.9, 0.4]) {
        s.confidence = Some(c);
    }
    doc.sets.push(model);
    let path = dir.path().join("one-task.json");
    store::save(&path, &doc).expect("save");
    let out = dir.path().join("tasks.json");
    let run = marsad(&[
        &"export",
        &"--format",
        &"label-studio",
        &"--set",
        &"coder-a,camelbert",
        &path,
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let tasks: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).expect("read")).expect("json");
    let task = &tasks[0];
    assert_eq!(task["annotations"].as_array().map(Vec::len), Some(1));
    assert_eq!(task["annotations"][0]["completed_by"], "coder-a");
    assert_eq!(task["predictions"][0]["model_version"], "camelbert 1.2");
    assert_eq!(task["predictions"][0]["result"][1]["score"], 0.4);
    // And both sets come back from it.
    let back = dir.path().join("back");
    let run = marsad(&[&"import", &"--format", &"label-studio", &out, &"-o", &back]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let again = store::open(&back.join("one-task.json"), LabelSchema::builtin()).expect("loads");
    let ids: Vec<&str> = again.sets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["coder-a", "camelbert"]);
    assert_eq!(
        notation::render_set(&again, "camelbert"),
        notation::render_set(&doc, "camelbert")
    );
}

#[test]
fn inception_xmi_is_read_by_dkpro_cassis_span_for_span_and_comes_back_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("xmi");
    export_ok("xmi", &["--set", "coder-a"], &out);
    assert!(out.join("TypeSystem.xml").is_file());
    // DKPro's own reader: the type system, then each document; offsets come back as code
    // points (cassis converts UIMA's UTF-16 units), each span's covered text is the text's.
    let script = r#"
import json, sys, pathlib
from cassis import load_typesystem, load_cas_from_xmi
folder = pathlib.Path(sys.argv[1])
with open(folder / "TypeSystem.xml", "rb") as f:
    ts = load_typesystem(f)
out = {}
for path in sorted(folder.glob("*.xmi")):
    with open(path, "rb") as f:
        cas = load_cas_from_xmi(f, typesystem=ts)
    spans = [[a.begin, a.end, a.label, a.get_covered_text()] for a in cas.select("webanno.custom.MarsadSpan")]
    rels = [[r.label, r.Governor.get_covered_text(), r.Dependent.get_covered_text()] for r in cas.select("webanno.custom.MarsadRelation")]
    out[path.stem] = {"spans": spans, "relations": rels}
print(json.dumps(out, ensure_ascii=False))
"#;
    let run = Command::new(spacy_python())
        .args(["-c", script])
        .arg(&out)
        .output()
        .expect("python");
    assert!(run.status.success(), "{}", text(&run.stderr));
    let read: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    for doc in sample_docs() {
        let id = &doc.document.meta.id;
        let set = doc.set("coder-a").expect("coder-a");
        let spans = read[id]["spans"].as_array().expect("spans");
        assert_eq!(spans.len(), set.spans.len(), "{id}");
        let mut mine: Vec<(u64, u64, String, String)> = set
            .spans
            .iter()
            .map(|s| {
                (
                    s.start as u64,
                    s.end as u64,
                    s.label.clone(),
                    s.text.clone(),
                )
            })
            .collect();
        let mut theirs: Vec<(u64, u64, String, String)> = spans
            .iter()
            .map(|s| {
                (
                    s[0].as_u64().expect("begin"),
                    s[1].as_u64().expect("end"),
                    s[2].as_str().expect("label").to_owned(),
                    s[3].as_str().expect("text").to_owned(),
                )
            })
            .collect();
        mine.sort();
        theirs.sort();
        assert_eq!(mine, theirs, "{id}: every span, by cassis");
        assert_eq!(
            read[id]["relations"].as_array().map(Vec::len),
            Some(set.relations.len()),
            "{id}"
        );
    }
    // And back in: the same spans and attributes, flags that are off included.
    for (id, mine, back) in imported_back("xmi", &out, false) {
        assert_eq!(mine, back, "{id}");
    }
}

#[test]
fn spacy_sentences_are_conlls_sentences_both_from_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spacy = dir.path().join("train.spacy");
    export_ok("spacy", &[], &spacy);
    let conll = dir.path().join("train.conll");
    export_ok("conll", &["--clitics", "split"], &conll);
    // CoNLL: the first token of each sentence, per document.
    let mut from_conll: Vec<Vec<String>> = Vec::new();
    let mut first = true;
    for line in fs::read_to_string(&conll).expect("read").lines() {
        if line.starts_with("-DOCSTART-") {
            from_conll.push(Vec::new());
            first = true;
        } else if line.is_empty() {
            first = true;
        } else if first {
            let token = line.split('\t').next().unwrap_or_default().to_owned();
            from_conll.last_mut().expect("a document").push(token);
            first = false;
        }
    }
    let script = r#"
import json, sys, spacy
from spacy.tokens import DocBin
docs = list(DocBin().from_disk(sys.argv[1]).get_docs(spacy.blank("xx").vocab))
out = []
for doc in docs:
    firsts = []
    for sent in doc.sents:
        words = [t.text for t in sent if not t.is_space and t.text.strip("\u200f\u200e")]
        if words:
            firsts.append(words[0])
    out.append(firsts)
print(json.dumps(out, ensure_ascii=False))
"#;
    let run = Command::new(spacy_python())
        .args(["-c", script])
        .arg(&spacy)
        .output()
        .expect("python");
    assert!(run.status.success(), "{}", text(&run.stderr));
    let from_spacy: Vec<Vec<String>> = serde_json::from_slice(&run.stdout).expect("json");
    assert_eq!(from_spacy.len(), from_conll.len());
    for (s, c) in from_spacy.iter().zip(&from_conll) {
        assert!(s.len() > 1, "sentences are set");
        assert_eq!(
            s, c,
            "doc.sents and CoNLL's sentences begin at the same tokens"
        );
    }
}

#[test]
fn a_docbin_written_by_spacy_itself_comes_in_with_its_spans_or_its_entities() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("spacy-made.spacy");
    // spaCy writes it: one document with entities only, one with a span group.
    let script = r#"
import sys, spacy
from spacy.tokens import DocBin, Span
nlp = spacy.blank("xx")
a = nlp("هاجمت جماعة نصرة الإسلام مدينة سيكاسو أمس")
a.ents = [Span(a, 1, 4, label="ACTOR"), Span(a, 5, 6, label="PLACE")]
b = nlp("قتل ٢٧ جنديا في كيدال")
b.spans["sc"] = [Span(b, 1, 3, label="CASUALTY"), Span(b, 4, 5, label="PLACE"), Span(b, 1, 2, label="NUMBER")]
db = DocBin(store_user_data=False)
db.add(a)
db.add(b)
db.to_disk(sys.argv[1])
"#;
    let run = Command::new(spacy_python())
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("python");
    assert!(run.status.success(), "{}", text(&run.stderr));
    let out = dir.path().join("corpus");
    let run = marsad(&[
        &"import",
        &"--format",
        &"spacy",
        &file,
        &"--set",
        &"model",
        &"-o",
        &out,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let one = store::open(&out.join("spacy-made-1.json"), LabelSchema::builtin()).expect("loads");
    assert_eq!(
        notation::render_set(&one, "model"),
        "هاجمت [ACTOR|جماعة نصرة الإسلام] مدينة [PLACE|سيكاسو] أمس"
    );
    let two = store::open(&out.join("spacy-made-2.json"), LabelSchema::builtin()).expect("loads");
    assert_eq!(
        notation::render_set(&two, "model"),
        "قتل [CASUALTY|[NUMBER|٢٧] جنديا] في [PLACE|كيدال]",
        "overlapping spans of the span group"
    );
    // A file that is not a DocBin is named, with what is wrong.
    let bad = dir.path().join("bad.spacy");
    fs::write(&bad, b"not zlib").expect("write");
    let run = marsad(&[
        &"import",
        &"--format",
        &"spacy",
        &bad,
        &"-o",
        &dir.path().join("x"),
    ]);
    assert!(
        text(&run.stderr).contains("bad.spacy: file: not a zlib-compressed DocBin"),
        "{}",
        text(&run.stderr)
    );
}
