//! `marsad team init [CORPUS]`: the merge driver set up for a corpus in a git work tree.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::store::git;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The corpus folder, in a git work tree (default: the current folder).
    #[arg(default_value = ".")]
    pub corpus: PathBuf,
}

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot tell where this marsad program is")?;
    for line in git::init(&args.corpus, &exe)? {
        out!("{line}");
    }
    out!("commit .gitattributes; every other clone runs `marsad team init` once too");
    Ok(ExitCode::SUCCESS)
}
