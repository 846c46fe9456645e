//! `marsad validate PATH…`: every problem of every document (syntax, format version, hash,
//! offsets, span texts, labels, attributes, ids, references), one line each; exit 1 when any
//! file has one.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{SchemaArg, Schemas, collect_files, open_any, print_problems};

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Files (.json, .ron, .txt) or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub schema: SchemaArg,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut problems: usize = walk_problems.iter().map(print_problems).sum();
    let mut bad_files = 0;
    for path in &files {
        match open_any(&mut schemas, path) {
            Ok(doc) => super::warn_about_controls(path, &doc),
            Err(e) => {
                problems += print_problems(&e);
                bad_files += 1;
            }
        }
    }
    if problems == 0 {
        out!("{} file(s) checked, all valid", files.len());
        Ok(ExitCode::SUCCESS)
    } else {
        out!(
            "{problems} problem(s) in {bad_files} of {} file(s)",
            files.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
