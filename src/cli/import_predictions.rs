//! `marsad import-predictions --format F PRED DOC`: a model's output put into a document as the
//! model's annotation set, each prediction checked against the text. With two folders
//! (`PRED_DIR CORPUS`), every document of the corpus takes the predictions file of the same
//! name (`doc.json` ← `PRED_DIR/doc.json` or `doc.jsonl`), in one command.

use std::path::{Path, PathBuf};
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
    /// The predictions file, or a folder of them (one per document, named like it).
    #[arg(value_name = "PRED")]
    pub predictions: PathBuf,
    /// The document (.json or .ron) the predictions are for, or a folder of documents.
    #[arg(value_name = "DOC")]
    pub document: PathBuf,
    /// The model's name (the set's id); default: the predictions file's (or folder's) name.
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
    let options = options(args)?;
    if args.predictions.is_dir() || args.document.is_dir() {
        return run_folders(args, &options);
    }
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
    let out = args.output.clone().unwrap_or_else(|| args.document.clone());
    let ok = import_one(
        &mut schemas,
        &options,
        &args.predictions,
        &args.document,
        &out,
        args.output.is_none() || args.force,
    )?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The import's options from the flags; the model is named after the predictions file (or
/// folder) unless `--model` says otherwise.
fn options(args: &ImportArgs) -> anyhow::Result<predictions::Options> {
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
    Ok(options)
}

/// A folder of predictions into a corpus: each document takes the predictions file named
/// like it (`.json` or `.jsonl`), saved in place; a document without one, or a predictions
/// file without its document, is reported. Exit 1 when any import failed.
fn run_folders(args: &ImportArgs, options: &predictions::Options) -> anyhow::Result<ExitCode> {
    if !(args.predictions.is_dir() && args.document.is_dir()) {
        bail!(
            "{}: a folder of predictions goes into a folder of documents, and a file into a \
             document",
            if args.predictions.is_dir() {
                args.document.display()
            } else {
                args.predictions.display()
            }
        );
    }
    if args.output.is_some() {
        bail!(
            "{}: -o is for one document; a corpus takes its predictions in place",
            args.document.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (documents, problems) = store::documents_in(&args.document);
    let mut failed = problems.iter().map(print_problems).sum::<usize>();
    let mut used = std::collections::HashSet::new();
    let (mut imported, mut without) = (0, 0);
    for doc in &documents {
        let stem = doc.file_stem().unwrap_or_default();
        let found = ["json", "jsonl"]
            .iter()
            .map(|ext| args.predictions.join(stem).with_extension(ext))
            .find(|p| p.is_file());
        let Some(pred) = found else {
            err!(
                "warning: {}: document: no predictions file for it in {}",
                doc.display(),
                args.predictions.display()
            );
            without += 1;
            continue;
        };
        used.insert(pred.clone());
        if import_one(&mut schemas, options, &pred, doc, doc, true)? {
            imported += 1;
        } else {
            failed += 1;
        }
    }
    let walker = std::fs::read_dir(&args.predictions)
        .with_context(|| format!("{}: cannot list the folder", args.predictions.display()))?;
    let mut strays: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| e == "json" || e == "jsonl")
                && !used.contains(p)
        })
        .collect();
    strays.sort();
    for p in &strays {
        err!(
            "warning: {}: file: no document of that name in {}",
            p.display(),
            args.document.display()
        );
    }
    out!(
        "{imported} document(s) took predictions as set \"{}\"; {without} without a predictions \
         file, {failed} failed",
        options.model
    );
    Ok(if failed > 0 || imported == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Imports `pred` into the document at `doc` and saves it at `out` (`replace`: whether an
/// existing `out` may be replaced). False, with the reasons printed, when it failed; the
/// document is then unchanged.
fn import_one(
    schemas: &mut Schemas,
    options: &predictions::Options,
    pred: &Path,
    doc_path: &Path,
    out: &Path,
    replace: bool,
) -> anyhow::Result<bool> {
    let mut doc = match open_any(schemas, doc_path) {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(false);
        }
    };
    let schema = schemas
        .for_file(doc_path)
        .unwrap_or(LabelSchema::builtin())
        .clone();
    let schema = doc.schema_or(&schema).clone();
    let src = match store::read_text(pred) {
        Ok(src) => src,
        Err(e) => {
            print_problems(&e);
            return Ok(false);
        }
    };
    let imported = match predictions::import(&src, &doc, &schema, options) {
        Ok(imported) => imported,
        Err(e) => {
            err!("error: {}: {e}", pred.display());
            return Ok(false);
        }
    };
    for line in imported.skipped.iter().chain(&imported.notes) {
        err!("warning: {}: {line}", pred.display());
    }
    let count = imported.set.spans.len();
    let replaced = match predictions::add_to(&mut doc, imported.set) {
        Ok(replaced) => replaced,
        Err(e) => {
            err!("error: {}: document: {e}", doc_path.display());
            return Ok(false);
        }
    };
    let problems = doc.validate(&schema);
    if !problems.is_empty() {
        for p in &problems {
            err!("error: {}: {p}", doc_path.display());
        }
        return Ok(false);
    }
    // Without --force, a file that appeared meanwhile is not replaced either.
    store::save_with(out, &doc, replace)?;
    out!(
        "{count} prediction(s) imported as set \"{}\"{}, {} left out → {}",
        options.model,
        if replaced {
            " (replacing the earlier import of this model)"
        } else {
            ""
        },
        imported.skipped.len(),
        out.display()
    );
    Ok(true)
}
