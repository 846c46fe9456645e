//! `marsad import-predictions --format F PRED DOC`: a model's output put into a document as the
//! model's annotation set, each prediction checked against the text.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

use super::{SchemaArg, Schemas, open_any, print_problems};
use crate::model::LabelSchema;
use crate::offsets::Unit;
use crate::store::{self, predictions};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// hf (Hugging Face token-classification output: a JSON list, or JSONL of {"id",
    /// "predictions"}), spacy ({text, ents} or {text, spans}), langextract ({extractions}) or
    /// marsad (a marsad/1 document).
    #[arg(long)]
    pub format: predictions::Format,
    /// The predictions file.
    #[arg(value_name = "PRED")]
    pub predictions: PathBuf,
    /// The document (.json or .ron) the predictions are for.
    #[arg(value_name = "DOC")]
    pub document: PathBuf,
    /// The model's name (the set's id); default: the predictions file's name.
    #[arg(long)]
    pub model: Option<String>,
    /// The model's version.
    #[arg(long = "model-version")]
    pub model_version: Option<String>,
    /// Label map, e.g. PER=ACTOR,LOC=PLACE (after the default PER/ORG/NORP/PERSON → ACTOR,
    /// LOC/GPE/FAC → PLACE).
    #[arg(long, value_name = "FROM=TO,...")]
    pub map: Option<String>,
    /// How the predictions count offsets: code points (Python) or UTF-16 units (JavaScript).
    #[arg(long, value_enum, default_value_t = Unit::CodePoints)]
    pub offsets: Unit,
    /// Write the document with the new set here instead of replacing DOC.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// Leave out a Hugging Face prediction whose `word` differs from the text at its offsets
    /// (by default it is taken by its offsets, with a warning naming both).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    if let Some(out) = &args.output
        && store::recovery::exists(out)
        && !args.force
    {
        bail!(
            "{}: file: the file exists; use --force to replace it",
            out.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let mut doc = match open_any(&mut schemas, &args.document) {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let schema = schemas
        .for_file(&args.document)
        .unwrap_or(LabelSchema::builtin())
        .clone();
    let schema = doc.schema_or(&schema).clone();
    let model = args.model.clone().unwrap_or_else(|| {
        args.predictions
            .file_stem()
            .map_or_else(|| "model".to_owned(), |s| s.to_string_lossy().into_owned())
    });
    let mut options = predictions::Options::new(args.format, &model);
    options.version = args.model_version.clone();
    options.offsets = args.offsets;
    options.strict = args.strict;
    for pair in args
        .map
        .iter()
        .flat_map(|m| m.split(','))
        .filter(|p| !p.trim().is_empty())
    {
        let (from, to) = pair
            .split_once('=')
            .with_context(|| format!("--map: \"{pair}\" is not FROM=TO"))?;
        options
            .map
            .insert(from.trim().to_owned(), to.trim().to_owned());
    }
    let src = match store::read_text(&args.predictions) {
        Ok(src) => src,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let imported = predictions::import(&src, &doc, &schema, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.predictions.display()))?;
    for line in imported.skipped.iter().chain(&imported.notes) {
        err!("warning: {}: {line}", args.predictions.display());
    }
    let count = imported.set.spans.len();
    let replaced = predictions::add_to(&mut doc, imported.set)
        .map_err(|e| anyhow::anyhow!("{}: document: {e}", args.document.display()))?;
    let problems = doc.validate(&schema);
    if !problems.is_empty() {
        for p in &problems {
            err!("error: {}: {p}", args.document.display());
        }
        return Ok(ExitCode::FAILURE);
    }
    let out = args.output.clone().unwrap_or_else(|| args.document.clone());
    // Without --force, a file that appeared meanwhile is not replaced either.
    store::save_with(&out, &doc, args.output.is_none() || args.force)?;
    out!(
        "{count} prediction(s) imported as set \"{model}\"{}, {} left out → {}",
        if replaced {
            " (replacing the earlier import of this model)"
        } else {
            ""
        },
        imported.skipped.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
