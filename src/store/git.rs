//! A corpus in a git work tree: setting up Marsad's merge driver (`.gitattributes` and the
//! clone's `merge.marsad.*` config), checking that a clone has it, and syncing a coder's saved
//! work (commit, pull with the driver, push). Everything runs the user's own `git` with their
//! own credentials; nothing is stored. Every failure carries git's own message.

use std::path::{Path, PathBuf};
use std::process::Command;

use thiserror::Error;

/// The attribute lines `team init` writes; a `.gitattributes` that has them is left alone.
pub const ATTRIBUTES: [&str; 2] = [
    "*.json merge=marsad text eol=lf",
    "*.ron merge=marsad text eol=lf",
];
const ATTRIBUTES_HEADER: &str =
    "# Marsad: annotation files are merged by identity (marsad team init); LF line ends always";

#[derive(Debug, Error)]
pub enum GitError {
    #[error("cannot run git: {0} (is git installed and on the PATH?)")]
    Spawn(std::io::Error),
    #[error("git {args} failed: {message}")]
    Failed { args: String, message: String },
    #[error("{0}: not in a git work tree (run `git init` there first)")]
    NotAWorkTree(PathBuf),
    #[error("{path}: cannot write: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Runs git in `dir`; its trimmed stdout, or its stderr as the error. git never asks on the
/// terminal (a missing credential is an error, not a hang) and never opens an editor.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        // Paths as they are (Arabic file names unquoted), one per line.
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_EDITOR", "true")
        .output()
        .map_err(GitError::Spawn)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let message = [stderr.trim(), stdout.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
            .replace('\n', "; ");
        Err(GitError::Failed {
            args: args.join(" "),
            message,
        })
    }
}

/// The root of the work tree `dir` is in.
pub fn work_tree(dir: &Path) -> Result<PathBuf, GitError> {
    match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(top) => Ok(PathBuf::from(top)),
        Err(GitError::Failed { .. }) => Err(GitError::NotAWorkTree(dir.to_owned())),
        Err(e) => Err(e),
    }
}

/// The driver command for git's config: this program, quoted for the shell git runs it in.
pub fn driver_command(exe: &Path) -> String {
    let exe = exe.display().to_string().replace('\'', r"'\''");
    format!("'{exe}' merge-driver %O %A %B %P")
}

/// Appends to the file at `path` (made if missing) those of `lines` it lacks, under `header`;
/// the lines it already had stay as they were. Returns the lines added.
fn add_missing_lines<'a>(
    path: &Path,
    header: &str,
    lines: &[&'a str],
) -> Result<Vec<&'a str>, GitError> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !existing.lines().any(|l| l.trim() == *line))
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(header);
    text.push('\n');
    for line in &missing {
        text.push_str(line);
        text.push('\n');
    }
    super::write_atomic(path, text.as_bytes()).map_err(|error| GitError::Write {
        path: path.to_owned(),
        error,
    })?;
    Ok(missing)
}

/// What `init` did, one line each.
pub fn init(corpus: &Path, exe: &Path) -> Result<Vec<String>, GitError> {
    work_tree(corpus)?;
    let mut did = Vec::new();
    let path = corpus.join(".gitattributes");
    let added = add_missing_lines(&path, ATTRIBUTES_HEADER, &ATTRIBUTES)?;
    did.push(if added.is_empty() {
        format!("{}: already has the merge rules", path.display())
    } else {
        format!("{}: added {}", path.display(), added.join(", "))
    });
    let ignore = corpus.join(".gitignore");
    let added = add_missing_lines(
        &ignore,
        "# Marsad: unsaved work and temp files stay on this machine",
        &[".*.recovery.json", ".marsad-*"],
    )?;
    if !added.is_empty() {
        did.push(format!("{}: added {}", ignore.display(), added.join(", ")));
    }
    let driver = driver_command(exe);
    git(
        corpus,
        &[
            "config",
            "merge.marsad.name",
            "Marsad: annotation sets merged by identity",
        ],
    )?;
    git(corpus, &["config", "merge.marsad.driver", &driver])?;
    did.push(format!("git config merge.marsad.driver \"{driver}\""));
    Ok(did)
}

/// Whether this clone merges `corpus`'s documents with the driver: the problems found (none:
/// set up).
pub fn check(corpus: &Path) -> Result<Vec<String>, GitError> {
    work_tree(corpus)?;
    let mut problems = Vec::new();
    match git(corpus, &["config", "--get", "merge.marsad.driver"]) {
        Ok(driver) => {
            let exe = driver
                .strip_prefix('\'')
                .and_then(|d| d.split_once('\''))
                .map(|(exe, _)| exe.to_owned())
                .or_else(|| driver.split_whitespace().next().map(str::to_owned))
                .unwrap_or_default();
            let found = Path::new(&exe).is_file() || (!exe.contains('/') && on_path(&exe));
            if !found {
                problems.push(format!(
                    "merge.marsad.driver runs \"{exe}\", which is not there (run `marsad team init` again)"
                ));
            }
        }
        Err(_) => problems.push(
            "this clone has no merge.marsad.driver in its git config (run `marsad team init`)"
                .to_owned(),
        ),
    }
    for probe in ["doc.json", "doc.ron"] {
        let attr = git(corpus, &["check-attr", "merge", "--", probe])?;
        if !attr.ends_with(": marsad") {
            problems.push(format!(
                "{probe} files here are not merged with the driver (.gitattributes lacks `*.{} merge=marsad`)",
                &probe[4..]
            ));
        }
    }
    Ok(problems)
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// The documents committed, by their path in the work tree.
    pub committed: Vec<String>,
    /// A merge left by an earlier pull was finished.
    pub finished_merge: bool,
    /// Whether there was a remote to pull from and push to.
    pub remote: bool,
    /// Documents whose merge recorded conflicts (nothing was pushed then).
    pub conflicts: Vec<String>,
    pub pushed: bool,
}

/// Commits `coder`'s saved changes to the corpus at `corpus`, pulls (merging with the driver)
/// and pushes. A merge an earlier sync left with conflicts is finished first once every file
/// it conflicted in is settled (its conflicts resolved in the window and saved). Nothing is
/// pushed while conflicts remain; nothing of the work tree is ever reset.
pub fn sync(corpus: &Path, coder: &str) -> Result<Synced, GitError> {
    let top = work_tree(corpus)?;
    let mut out = Synced::default();
    let unmerged = |top: &Path| -> Result<Vec<String>, GitError> {
        Ok(git(top, &["diff", "--name-only", "--diff-filter=U"])?
            .lines()
            .map(str::to_owned)
            .collect())
    };
    let merging = git(&top, &["rev-parse", "-q", "--verify", "MERGE_HEAD"]).is_ok();
    if merging {
        for file in unmerged(&top)? {
            // Still this side's file as it was before the merge: the driver refused it (the
            // texts differ) and nothing of the other side is in it yet.
            let untouched = git(&top, &["show", &format!(":2:{file}")]).is_ok_and(|ours| {
                std::fs::read_to_string(top.join(&file)).is_ok_and(|now| now.trim_end() == ours)
            });
            if settled(&top.join(&file)) && !untouched {
                git(&top, &["add", "--", &file])?;
            } else {
                out.conflicts.push(file);
            }
        }
        if !out.conflicts.is_empty() {
            return Ok(out);
        }
    }
    let corpus_arg = corpus.display().to_string();
    // The corpus, without recovery files of unsaved work and our temp files.
    let paths = [
        "--",
        corpus_arg.as_str(),
        ":(exclude,glob)**/.*.recovery.json",
        ":(exclude,glob)**/.marsad-*",
    ];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter().chain(&paths).map(|s| (*s).to_owned()).collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        git(&top, &args)
    };
    let changed: Vec<String> = run(with(&["status", "--porcelain"]))?
        .lines()
        .filter_map(|l| l.get(3..))
        .map(|p| p.trim_matches('"').to_owned())
        .collect();
    run(with(&["add", "-A"]))?;
    let staged = !run(with(&["diff", "--cached", "--name-only"]))?.is_empty();
    if merging {
        git(&top, &["commit", "-q", "--no-edit"])?;
        out.finished_merge = true;
    } else if staged {
        let names: Vec<&str> = changed
            .iter()
            .map(|p| {
                Path::new(p)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or(p.as_str())
            })
            .collect();
        let shown = if names.len() > 8 {
            format!("{}, and {} more", names[..8].join(", "), names.len() - 8)
        } else {
            names.join(", ")
        };
        let message = format!("marsad: {coder}: {} document(s): {shown}", changed.len());
        // Only the corpus: what else the user staged stays staged.
        run(with(&["commit", "-q", "-m", &message]))?;
    }
    if staged || merging {
        out.committed = changed;
    }
    out.remote = !git(&top, &["remote"])?.is_empty();
    if !out.remote {
        return Ok(out);
    }
    let has_upstream = git(&top, &["rev-parse", "--abbrev-ref", "@{upstream}"]).is_ok();
    let pulled = if has_upstream {
        git(&top, &["pull", "-q", "--no-rebase", "--no-edit"])
    } else {
        Ok(String::new())
    };
    if let Err(e) = pulled {
        let conflicts = unmerged(&top)?;
        if conflicts.is_empty() {
            return Err(e);
        }
        out.conflicts = conflicts;
        return Ok(out);
    }
    if has_upstream {
        git(&top, &["push", "-q"])?;
    } else {
        git(&top, &["push", "-q", "-u", "origin", "HEAD"])?;
    }
    out.pushed = true;
    Ok(out)
}

/// Whether a file git left conflicted is settled: a `marsad/1` document whose sets record no
/// conflicts any more (a file with git's conflict markers is not).
fn settled(path: &Path) -> bool {
    let Ok(src) = std::fs::read_to_string(path) else {
        return false;
    };
    let syntax = super::Syntax::from_path(path).unwrap_or(super::Syntax::Json);
    super::format::sets_only(&src, syntax)
        .is_ok_and(|sets| sets.iter().all(|s| s.conflicts.is_empty()))
}
