//! `marsad review-queue PATH… [--a SET] [--b SET] [--json]`: the documents to review, most
//! disagreement first (lowest overall exact F1), each with its differences, decided and
//! undecided — a lead's work list for a corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{SchemaArg, load_documents};
use crate::review::{Comparison, default_pair};

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Set A (default: the first human set).
    #[arg(long = "a", value_name = "SET")]
    pub set_a: Option<String>,
    /// Set B (default: the first model set, else the next set).
    #[arg(long = "b", value_name = "SET")]
    pub set_b: Option<String>,
    /// Print the queue as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

#[derive(Serialize)]
struct Row {
    path: String,
    a: String,
    b: String,
    f1: f64,
    differences: usize,
    decided: usize,
    undecided: usize,
}

pub fn run(args: &QueueArgs) -> anyhow::Result<ExitCode> {
    let Ok((docs, failed)) = load_documents(&args.paths, &args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let mut rows = Vec::new();
    for (path, doc) in &docs {
        let defaults = default_pair(doc, "");
        let a = args.set_a.clone().or_else(|| defaults.clone().map(|p| p.0));
        let b = args.set_b.clone().or_else(|| defaults.map(|p| p.1));
        let (Some(a), Some(b)) = (a, b) else {
            continue;
        };
        if doc.set(&a).is_none() || doc.set(&b).is_none() {
            continue;
        }
        let c = Comparison::new(doc, &a, &b, 0);
        let q = c.queue_entry();
        rows.push(Row {
            path: path.display().to_string(),
            a,
            b,
            f1: q.f1,
            differences: q.differences,
            decided: q.decided,
            undecided: q.undecided(),
        });
    }
    rows.sort_by(|x, y| x.f1.total_cmp(&y.f1).then_with(|| x.path.cmp(&y.path)));
    if args.json {
        super::output::raw(
            &serde_json::to_string_pretty(&rows).context("cannot print the queue as JSON")?,
        );
    } else {
        out!(
            "{:>6} {:>6} {:>8} {:>10}  document (A, B)",
            "F1",
            "diffs",
            "decided",
            "undecided"
        );
        for r in &rows {
            out!(
                "{:>6.3} {:>6} {:>8} {:>10}  {} ({}, {})",
                r.f1,
                r.differences,
                r.decided,
                r.undecided,
                r.path,
                r.a,
                r.b
            );
        }
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
