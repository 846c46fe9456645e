//! `marsad convert IN OUT`: a `.txt` article into a document (with its metadata from the
//! flags), or a document between JSON and RON; OUT is never replaced without `--force`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;

use super::{SchemaArg, Schemas, open_any, print_problems};
use crate::model::{AnnotatedDocument, DocumentMeta, LabelSchema};
use crate::store::{self, LoadError, Syntax};

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Input: a .txt article or a .json/.ron document.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Output: a .json or .ron document.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// Document id (text input; default: the file name without extension).
    #[arg(long)]
    pub id: Option<String>,
    /// Title (text input).
    #[arg(long)]
    pub title: Option<String>,
    /// Source, e.g. the outlet (text input).
    #[arg(long)]
    pub source: Option<String>,
    /// URL of the article (text input).
    #[arg(long)]
    pub url: Option<String>,
    /// Publication date, YYYY-MM-DD (text input).
    #[arg(long)]
    pub published: Option<String>,
    /// Language tag (text input; default: ar).
    #[arg(long)]
    pub language: Option<String>,
    #[command(flatten)]
    pub schema: SchemaArg,
}

pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let out_syntax = Syntax::from_path(&args.output);
    if out_syntax.is_none() {
        bail!(
            "{}: file: the output must be a .json or .ron file",
            args.output.display()
        );
    }
    if args.output.exists() && !args.force {
        bail!(
            "{}: file: the file exists; use --force to replace it",
            args.output.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let text_options = [
        ("--id", &args.id),
        ("--title", &args.title),
        ("--source", &args.source),
        ("--url", &args.url),
        ("--published", &args.published),
        ("--language", &args.language),
    ];
    let doc = if store::is_text_file(&args.input) {
        let meta = DocumentMeta {
            id: args.id.clone().unwrap_or_default(),
            title: args.title.clone(),
            source: args.source.clone(),
            url: args.url.clone(),
            published: args.published.clone(),
            language: args.language.clone().unwrap_or_default(),
            import: None,
        };
        let doc = store::import_text(&args.input, meta).map(AnnotatedDocument::new);
        // Metadata given on the command line is checked like a loaded document's.
        doc.and_then(|d| {
            let problems = d.validate(LabelSchema::builtin());
            if problems.is_empty() {
                Ok(d)
            } else {
                Err(LoadError {
                    path: args.input.clone(),
                    problems,
                })
            }
        })
    } else {
        if let Some((flag, _)) = text_options.iter().find(|(_, v)| v.is_some()) {
            bail!(
                "{}: file: {flag} applies only to a .txt input, not to a document",
                args.input.display()
            );
        }
        open_any(&mut schemas, &args.input)
    };
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    // Without --force, a file that appeared meanwhile is not replaced either.
    store::save_with(&args.output, &doc, args.force)?;
    let spans: usize = doc.sets.iter().map(|s| s.spans.len()).sum();
    out!(
        "{} → {} ({} characters, {spans} span(s))",
        args.input.display(),
        args.output.display(),
        doc.document.char_len()
    );
    Ok(ExitCode::SUCCESS)
}
