//! `marsad import --format FORMAT IN… -o DIR [--set NAME]`: a corpus from another tool —
//! Marsad's JSONL, doccano, Label Studio, brat (one folder per annotator), CoNLL, Wojood or
//! INCEpTION's UIMA CAS XMI —
//! as `marsad/1` documents in the new folder DIR, one per input document, one annotation set
//! per annotator the input names. Labels, relation kinds and attribute values the schema
//! lacks are added to an inline schema (and said); anything malformed refuses the import
//! with its file and place, and DIR is not written.

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
