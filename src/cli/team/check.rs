//! `marsad team check [CORPUS]`: whether this clone merges the corpus with Marsad's driver.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::store::git;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The corpus folder (default: the current folder).
    #[arg(default_value = ".")]
    pub corpus: PathBuf,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let problems = git::check(&args.corpus)?;
    if problems.is_empty() {
        out!(
            "{}: set up: marsad/1 files merge with marsad merge-driver",
            args.corpus.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        err!("error: {}: {p}", args.corpus.display());
    }
    Ok(ExitCode::FAILURE)
}
