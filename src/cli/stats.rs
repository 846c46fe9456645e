//! `marsad stats PATH…`: documents, characters, spans per label and per annotation set, as a
//! table or JSON.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{SchemaArg, Schemas, collect_files, open_any, print_problems};
use crate::model::Source;

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

#[derive(Serialize, Default)]
struct Stats {
    documents: usize,
    characters: usize,
    spans: usize,
    spans_per_label: BTreeMap<String, usize>,
    spans_per_set: BTreeMap<String, SetStats>,
}

#[derive(Serialize, Default)]
struct SetStats {
    source: String,
    documents: usize,
    spans: usize,
    relations: usize,
    events: usize,
}

pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    walk_problems.iter().for_each(|e| {
        print_problems(e);
    });
    let mut stats = Stats::default();
    let mut failed = walk_problems.len();
    for path in &files {
        let doc = match open_any(&mut schemas, path) {
            Ok(doc) => doc,
            Err(e) => {
                print_problems(&e);
                failed += 1;
                continue;
            }
        };
        super::warn_about_controls(path, &doc);
        stats.documents += 1;
        stats.characters += doc.document.char_len();
        for set in &doc.sets {
            let entry = stats.spans_per_set.entry(set.id.clone()).or_default();
            entry.source = match &set.source {
                Source::Human { .. } => "human".to_owned(),
                Source::Model { name, .. } => format!("model {name}"),
            };
            entry.documents += 1;
            entry.spans += set.spans.len();
            entry.relations += set.relations.len();
            entry.events += set.events.len();
            stats.spans += set.spans.len();
            for span in &set.spans {
                *stats.spans_per_label.entry(span.label.clone()).or_default() += 1;
            }
        }
    }
    if args.json {
        super::output::raw(
            &serde_json::to_string_pretty(&stats).context("cannot print the figures as JSON")?,
        );
    } else {
        print_stats(&stats);
    }
    if failed > 0 {
        out!("{failed} path(s) could not be counted");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_stats(stats: &Stats) {
    out!("documents   {:>8}", stats.documents);
    out!("characters  {:>8}", stats.characters);
    out!("spans       {:>8}", stats.spans);
    out!();
    out!("spans per label");
    for (label, n) in &stats.spans_per_label {
        out!("  {label:<12}{n:>8}");
    }
    out!();
    out!("annotation sets  (documents, spans, relations, events)");
    for (id, s) in &stats.spans_per_set {
        out!(
            "  {id:<16}{:>6}{:>8}{:>6}{:>6}  {}",
            s.documents,
            s.spans,
            s.relations,
            s.events,
            s.source
        );
    }
}
