//! `marsad import --format FORMAT IN… -o DIR [--set NAME]`: a corpus from another tool —
//! Marsad's JSONL, doccano, Label Studio, brat (one folder per annotator), CoNLL, Wojood or
//! INCEpTION's UIMA CAS XMI —
//! as `marsad/1` documents in the new folder DIR, one per input document, one annotation set
//! per annotator the input names. Labels, relation kinds and attribute values the schema
//! lacks are added to an inline schema (and said); anything malformed refuses the import
//! with its file and place, and DIR is not written. ACLED CSV rows are events: they go back
//! into the corpus events of the corpus DIR (which holds their documents).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::SchemaArg;
use crate::store::import::{self, Format};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// What the input is.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Files (brat: folders, one per annotator).
    #[arg(required = true, value_name = "IN")]
    pub inputs: Vec<PathBuf>,
    /// The new folder to write the documents into (must not exist, or be empty).
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// The annotation set's name where the input names no annotator.
    #[arg(long, value_name = "NAME")]
    pub set: Option<String>,
    #[command(flatten)]
    pub schema: SchemaArg,
}

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    if args.format == Format::AcledCsv {
        return corpus_events(args);
    }
    let project = match &args.schema.schema {
        Some(path) => match crate::store::load_schema(path) {
            Ok(s) => s,
            Err(e) => {
                super::print_problems(&e);
                return Ok(ExitCode::FAILURE);
            }
        },
        None => crate::model::LabelSchema::builtin().clone(),
    };
    let result = import::corpus(args.format, &args.inputs, args.set.as_deref(), &project).and_then(
        |(docs, added)| import::write(&docs, &args.out, &project).map(|()| (docs, added)),
    );
    match result {
        Ok((docs, added)) => {
            let spans: usize = docs
                .iter()
                .flat_map(|d| &d.sets)
                .map(|s| s.spans.len())
                .sum();
            let mut sets: Vec<&str> = docs
                .iter()
                .flat_map(|d| d.sets.iter().map(|s| s.id.as_str()))
                .collect();
            sets.sort_unstable();
            sets.dedup();
            out!(
                "imported {} documents, {spans} spans (sets: {}) into {}",
                docs.len(),
                sets.join(", "),
                args.out.display()
            );
            if !added.is_empty() {
                err!(
                    "note: not in the schema, added to the documents' inline schema: {}",
                    added.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            err!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `--format acled-csv`: the rows back into the corpus events of the corpus `-o` names (which
/// holds their documents), as new files in its `marsad-events/`; an event that is there
/// already refuses the import, and nothing is written then.
fn corpus_events(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    use crate::store::{corpus_events, team};
    let root = &args.out;
    let Ok((docs, failed)) = super::load_documents(std::slice::from_ref(root), &args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    if failed > 0 || docs.is_empty() {
        err!(
            "error: {}: the corpus must hold the rows' documents",
            root.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let by_key: std::collections::HashMap<String, &crate::model::AnnotatedDocument> = docs
        .iter()
        .map(|(p, d)| (team::key_of(root, p), d))
        .collect();
    let mut events = Vec::new();
    for input in &args.inputs {
        match import::acled::events(input, |k| by_key.get(k).copied()) {
            Ok(found) => events.extend(found),
            Err(e) => {
                err!("error: {e}");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let taken: Vec<String> = events
        .iter()
        .map(|e| corpus_events::path_of(root, &e.id))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !taken.is_empty() {
        err!(
            "error: these events exist already, nothing was written: {}",
            taken.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    for e in &events {
        corpus_events::save(root, e)?;
    }
    out!(
        "imported {} corpus event(s) into {}",
        events.len(),
        root.join(corpus_events::EVENTS_DIR).display()
    );
    Ok(ExitCode::SUCCESS)
}
