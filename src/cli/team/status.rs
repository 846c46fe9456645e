//! `marsad team status CORPUS [--json]`: per coder assigned / in progress / done / time, per
//! document who is done and what comes next, and the documents ready for agreement or
//! adjudication. Only the sets of each file are read (not its text), so that ten thousand
//! documents take a second or two.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::review::team::{Progress, SetSummary, Stage, duration};
use crate::store::{self, Syntax, format, team};

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// Print it as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    progress: &'a Progress,
    ready_for_agreement: Vec<&'a str>,
    needs_adjudication: Vec<&'a str>,
    /// Documents whose merge left conflicts to resolve.
    conflicts: Vec<(&'a str, usize)>,
}

/// Reads the summaries of every document; a file that cannot be read is reported and left out.
pub fn read(corpus: &std::path::Path) -> (Vec<(String, Vec<SetSummary>, usize)>, usize) {
    let (paths, problems) = store::documents_in(corpus);
    let mut bad = problems.len();
    for p in &problems {
        for line in p.lines() {
            err!("error: {line}");
        }
    }
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let key = team::key_of(corpus, &path);
        let sets = store::read_text(&path)
            .map_err(|e| e.to_string())
            .and_then(|src| {
                let syntax = Syntax::from_path(&path).unwrap_or(Syntax::Json);
                format::sets_only(&src, syntax).map_err(|ps| {
                    ps.iter()
                        .map(|p| format!("{}: {p}", path.display()))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
            });
        match sets {
            Ok(sets) => {
                let conflicts = sets.iter().map(|s| s.conflicts.len()).sum();
                out.push((
                    key,
                    sets.iter().filter_map(SetSummary::of).collect(),
                    conflicts,
                ));
            }
            Err(e) => {
                err!("error: {e}");
                bad += 1;
            }
        }
    }
    (out, bad)
}

pub fn run(args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let manifest = team::Manifest::load(&args.corpus)?.unwrap_or_default();
    let (docs, bad) = read(&args.corpus);
    let progress = Progress::of(
        docs.iter()
            .map(|(key, sets, _)| (key.clone(), manifest.coders_of(key), sets.as_slice())),
    );
    let report = Report {
        progress: &progress,
        ready_for_agreement: progress
            .documents
            .iter()
            .filter(|d| d.stage.ready_for_agreement())
            .map(|d| d.path.as_str())
            .collect(),
        needs_adjudication: progress
            .at(Stage::NeedsAdjudication)
            .map(|d| d.path.as_str())
            .collect(),
        conflicts: docs
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(k, _, n)| (k.as_str(), *n))
            .collect(),
    };
    if args.json {
        crate::cli::output::raw(&serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_text(report: &Report<'_>) {
    let width = report
        .progress
        .coders
        .keys()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    out!("{:width$}  assigned  in progress  done  time", "coder");
    for (coder, p) in &report.progress.coders {
        out!(
            "{coder:width$}  {:>8}  {:>11}  {:>4}  {}",
            p.assigned,
            p.in_progress,
            p.done,
            duration(p.seconds)
        );
    }
    out!("");
    for d in &report.progress.documents {
        let done = if d.done.is_empty() {
            "nobody".to_owned()
        } else {
            d.done.join(", ")
        };
        out!("{}: done by {done}; {}", d.path, d.stage.name());
    }
    out!("");
    out!(
        "{} document(s) ready for agreement, {} need adjudication",
        report.ready_for_agreement.len(),
        report.needs_adjudication.len()
    );
    for path in &report.needs_adjudication {
        out!("  needs adjudication: {path}");
    }
    for (path, n) in &report.conflicts {
        out!("  merge conflicts to resolve: {path} ({n})");
    }
}
