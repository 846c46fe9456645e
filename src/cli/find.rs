//! `marsad find PATH… QUERY [--exact] [--no-clitics] [--json]`: every place QUERY occurs in
//! the documents, found the find bar's way — folded (alef forms, ى/ي, ة/ه, harakat and
//! tatweel, digits of every script, bidi controls and ZWNJ) and clitic-aware, whole words —
//! or as written with `--exact`. Each match is printed with its document, its code-point
//! offsets (Python's `text[start:end]`) and the raw text found, so a script can check the
//! normalisation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{SchemaArg, load_documents};
use crate::model::search::{Folded, Query, find_exact};

#[derive(Args, Debug)]
pub struct FindArgs {
    /// Documents or folders (searched for .json and .ron), then the word(s) to find.
    #[arg(required = true, num_args = 2.., value_name = "PATH… QUERY")]
    pub args: Vec<String>,
    /// Match the characters exactly as written: no folding, no clitics.
    #[arg(long)]
    pub exact: bool,
    /// Do not let و ف ب ل ك and ال come before the word.
    #[arg(long)]
    pub no_clitics: bool,
    /// Print the matches as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

#[derive(Serialize)]
struct Found {
    path: String,
    document: String,
    start: usize,
    end: usize,
    text: String,
    /// The whole word, clitics included.
    word_start: usize,
    word_end: usize,
}

pub fn run(args: &FindArgs) -> anyhow::Result<ExitCode> {
    let Some((query, paths)) = args.args.split_last() else {
        return Ok(ExitCode::from(2));
    };
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let Ok((docs, failed)) = load_documents(&paths, &args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let folded_query = Query::new(query, !args.no_clitics);
    let mut found = Vec::new();
    for (path, doc) in &docs {
        let text = doc.document.text();
        let matches = if args.exact {
            find_exact(text, query)
        } else {
            Folded::new(text).find(&folded_query)
        };
        for m in matches {
            found.push(Found {
                path: path.display().to_string(),
                document: doc.document.meta.id.clone(),
                start: m.range.start,
                end: m.range.end,
                text: doc.document.slice(m.range).unwrap_or_default().to_owned(),
                word_start: m.word.start,
                word_end: m.word.end,
            });
        }
    }
    if args.json {
        super::output::raw(
            &serde_json::to_string_pretty(&found).context("cannot print the matches as JSON")?,
        );
    } else {
        for f in &found {
            out!("{}:{}..{}: {}", f.path, f.start, f.end, f.text);
        }
        err!(
            "{} {} in {} documents",
            found.len(),
            if found.len() == 1 { "match" } else { "matches" },
            docs.len()
        );
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
