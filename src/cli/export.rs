//! `marsad export --format F PATH… -o OUT`: training data or event rows; every span is checked
//! first, and OUT is written only when the whole export succeeded. In ACLED CSV a folder with
//! its own events (`marsad-events/`) gives one row per corpus event, and the document events
//! promoted to them give none of their own.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use rayon::prelude::*;

use super::{SchemaArg, Schemas, collect_files, print_problems};
use crate::model::corpus_event::CorpusEvent;
use crate::model::{AnnotatedDocument, LabelSchema};
use crate::offsets::Unit;
use crate::store::export::{self, Clitics, Exporter, Input};
use crate::store::{self, LoadError, corpus_events};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The output: a file, or a folder for brat.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// jsonl, spacy (a DocBin), conll (BIO), brat (a folder of .txt/.ann), doccano (JSONL),
    /// label-studio (JSON tasks) or acled-csv (one row per event).
    #[arg(long)]
    pub format: export::Format,
    /// The annotation set to export (default: each document's only set). For label-studio,
    /// several, comma-separated (`coder-a,camelbert`): human sets become the task's
    /// annotations, model sets its predictions.
    #[arg(long, value_name = "SET")]
    pub set: Option<String>,
    /// Offsets in code points (as Python counts) or UTF-16 units (as JavaScript counts);
    /// for jsonl, doccano and label-studio.
    #[arg(long)]
    pub offsets: Option<Unit>,
    /// CoNLL tokens: keep clitics inside words (ANERcorp style) or split them off where a
    /// span leaves them out.
    #[arg(long)]
    pub clitics: Option<Clitics>,
    /// CoNLL sentences come from the text alone; a span crossing a boundary is cut there
    /// (cut, the default) or keeps its sentence whole (join).
    #[arg(long)]
    pub sentences: Option<export::Sentences>,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

/// A file of the export read, with the schema in force for it.
type Opened = Result<(AnnotatedDocument, LabelSchema), LoadError>;

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = args.format;
    let mut options = export::Options::new(format);
    options.set = args.set.clone();
    if let Some(unit) = args.offsets {
        if !matches!(
            format,
            export::Format::Jsonl | export::Format::Doccano | export::Format::LabelStudio
        ) {
            bail!("--offsets applies to jsonl, doccano and label-studio, not to {format}");
        }
        options.offsets = unit;
    }
    if let Some(clitics) = args.clitics {
        if format != export::Format::Conll {
            bail!("--clitics applies to conll, not to {format}");
        }
        options.clitics = clitics;
    }
    if let Some(sentences) = args.sentences {
        if format != export::Format::Conll {
            bail!("--sentences applies to conll, not to {format}");
        }
        options.sentences = sentences;
    }
    if args.output.exists() && !args.force {
        bail!(
            "{}: file: the output exists; use --force to replace it",
            args.output.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut problems: usize = walk_problems.iter().map(print_problems).sum();
    let mut exporter = Exporter::new(options, &args.output)?;
    // ACLED rows of a corpus's own events: one per event, its promoted document events left
    // out; the documents they link are kept as they are read.
    let corpora: Vec<(PathBuf, Vec<CorpusEvent>)> = if format == export::Format::AcledCsv {
        args.paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|root| {
                let (events, bad) = corpus_events::load_all(root);
                for e in &bad {
                    err!("error: {e}");
                }
                problems += bad.len();
                (root.clone(), events)
            })
            .filter(|(_, events)| !events.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let linked: HashSet<PathBuf> = corpora
        .iter()
        .flat_map(|(root, events)| {
            events.iter().flat_map(|e| {
                e.documents()
                    .into_iter()
                    .map(|d| root.join(d))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for (root, events) in &corpora {
        exporter.promoted_in(root, events);
    }
    // A corpus with a registry file of its own: ACLED's names for what it knows.
    if format == export::Format::AcledCsv
        && let Some(file) = args.paths.first().and_then(|p| {
            let dir = if p.is_dir() {
                p.as_path()
            } else {
                crate::store::atomic::parent_dir(p)
            };
            crate::store::registry::file_around(dir)
        })
    {
        exporter.use_registry(crate::store::registry::read(&file)?);
    }
    let mut kept: HashMap<PathBuf, AnnotatedDocument> = HashMap::new();
    for batch in files.chunks(export::BATCH) {
        // Each file's schema (found once per folder), then the batch read on every core.
        let with_schemas: Vec<_> = batch
            .iter()
            .map(|path| (path, schemas.for_file(path).cloned()))
            .collect();
        let opened: Vec<(&PathBuf, Opened)> = with_schemas
            .into_par_iter()
            .map(|(path, schema)| {
                let doc =
                    schema.and_then(|schema| store::open(path, &schema).map(|doc| (doc, schema)));
                (path, doc)
            })
            .collect();
        for (_, opened) in &opened {
            if let Err(e) = opened {
                problems += print_problems(e);
            }
        }
        if problems > 0 {
            continue; // keep checking the other files, but write nothing more
        }
        let inputs: Vec<Input<'_>> = opened
            .iter()
            .filter_map(|(path, opened)| {
                let (doc, schema) = opened.as_ref().ok()?;
                Some(Input {
                    path,
                    doc,
                    schema: doc.schema_or(schema),
                })
            })
            .collect();
        for result in exporter.add_all(&inputs) {
            if let Err(e) = result {
                err!("error: {e}");
                problems += 1;
            }
        }
        for (path, opened) in opened {
            if let Ok((doc, _)) = opened
                && linked.contains(path)
            {
                kept.insert(path.clone(), doc);
            }
        }
    }
    for (root, events) in &corpora {
        for event in events {
            for problem in corpus_events::check_links(event, |k| kept.get(&root.join(k))) {
                err!("error: {}: {problem}", root.display());
                problems += 1;
            }
            if problems == 0
                && let Err(e) = exporter.add_corpus_event(event, |k| kept.get(&root.join(k)))
            {
                err!("error: {e}");
                problems += 1;
            }
        }
    }
    if problems > 0 {
        out!(
            "{problems} problem(s); nothing written, {} is unchanged",
            args.output.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = exporter.finish(args.force)?;
    for warning in &report.warnings {
        err!("warning: {warning}");
    }
    out!(
        "{} document(s), {} span(s), {} event(s) → {} ({format})",
        report.documents,
        report.spans,
        report.events,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
