//! Killed at any moment, a write leaves the old output or the new one, never half of one, and
//! the next run leaves no temp file behind: `convert --force` and `export --force` (a file
//! format and brat, which writes a folder) are SIGKILLed at random points a hundred times.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A whole output: each file's name and bytes.
type Contents = Vec<(String, Vec<u8>)>;

/// Everything in a folder, name → bytes (for comparing whole outputs).
fn contents(path: &Path) -> Option<Contents> {
    if path.is_file() {
        return Some(vec![(String::new(), fs::read(path).ok()?)]);
    }
    let mut out: Contents = fs::read_dir(path)
        .ok()?
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = fs::read(e.path()).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    out.sort();
    Some(out)
}

type Args = Vec<std::ffi::OsString>;

fn run(args: &Args) -> bool {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run")
        .success()
}

fn args(words: &[&dyn AsRef<std::ffi::OsStr>]) -> Args {
    words.iter().map(|w| w.as_ref().to_owned()).collect()
}

/// Our temp files and folders in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".marsad-"))
        .collect()
}

/// One command writing `out` from two different inputs: each run replaces one complete
/// output with the other.
struct Case {
    out: PathBuf,
    runs: [(Args, Contents); 2],
}

impl Case {
    fn new(out: PathBuf, first: Args, second: Args) -> Self {
        assert!(run(&first));
        let a = contents(&out).expect("first output");
        assert!(run(&second));
        let b = contents(&out).expect("second output");
        assert_ne!(a, b);
        Self {
            out,
            runs: [(first, a), (second, b)],
        }
    }
}

#[test]
fn a_hundred_kills_leave_the_old_or_the_new_output_and_no_temp_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_articles");
    let (few, all) = (dir.path().join("few"), dir.path().join("all"));
    fs::create_dir(&few).expect("mkdir");
    fs::create_dir(&all).expect("mkdir");
    for e in fs::read_dir(&samples).expect("samples") {
        let e = e.expect("entry");
        fs::copy(e.path(), all.join(e.file_name())).expect("copy");
    }
    fs::copy(
        samples.join("mali-sinsgaji-jnim.json"),
        few.join("one.json"),
    )
    .expect("copy");
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).expect("mkdir");
    let mut cases = Vec::new();
    for (format, name) in [
        ("jsonl", "train.jsonl"),
        ("brat", "brat"),
        ("conll", "train.conll"),
    ] {
        let out = out_dir.join(name);
        let export = |from: &Path| {
            args(&[
                &"export",
                &"--format",
                &format,
                &"--set",
                &"coder-a",
                &from,
                &"-o",
                &out,
                &"--force",
            ])
        };
        cases.push(Case::new(out.clone(), export(&few), export(&all)));
    }
    let ron = out_dir.join("doc.ron");
    let convert = |from: &str| args(&[&"convert", &all.join(from), &ron, &"--force"]);
    cases.push(Case::new(
        ron.clone(),
        convert("chad-lake-boko-haram.json"),
        convert("mali-sinsgaji-jnim.json"),
    ));

    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut outcomes = [0usize; 2];
    for i in 0..100 {
        let case = &cases[i % cases.len()];
        // Run whichever input the output is not from now.
        let now = contents(&case.out);
        let k = usize::from(now.as_ref() != Some(&case.runs[1].1));
        let mut child = Command::new(env!("CARGO_BIN_EXE_marsad"))
            .args(&case.runs[k].0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(next(40_000)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = contents(&case.out);
        let finished = after.as_ref() == Some(&case.runs[k].1);
        assert!(
            finished || after == now,
            "kill {i}: {} is neither the old nor the new output",
            case.out.display()
        );
        outcomes[usize::from(finished)] += 1;
    }
    // The next complete run of each leaves no temp file of ours.
    for case in &cases {
        assert!(run(&case.runs[0].0));
    }
    assert_eq!(leftovers(&out_dir), Vec::<String>::new());
    eprintln!(
        "kills that left the old output: {}, the new: {}",
        outcomes[0], outcomes[1]
    );
}
