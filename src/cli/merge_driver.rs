//! `marsad merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for `marsad/1` files
//! (`merge.marsad.driver = marsad merge-driver %O %A %B %P`, set up by `marsad team init`).
//! The three versions are merged by identity and the result written over OURS; exit 0 for a
//! clean merge, 1 when conflicts are recorded (both versions kept in the file, git marks it
//! conflicted, the window resolves it) or when the merge refuses (OURS left as it was). A
//! file that is not a `marsad/1` document (a schema, the team manifest) is merged as text by
//! `git merge-file`, as git would have without the driver.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::store::merge::{MergeError, Sides, merge_files};

#[derive(Args, Debug)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (%O; empty when both sides added the file).
    pub base: PathBuf,
    /// This side's version (%A): the merge is written here.
    pub ours: PathBuf,
    /// The other side's version (%B).
    pub theirs: PathBuf,
    /// The file's path in the work tree (%P): its extension, schema and name in messages.
    pub path: Option<PathBuf>,
}

pub fn run(args: &MergeDriverArgs) -> anyhow::Result<ExitCode> {
    let sides = Sides {
        base: &args.base,
        ours: &args.ours,
        theirs: &args.theirs,
        path: args.path.as_deref(),
    };
    let named = args
        .path
        .as_ref()
        .unwrap_or(&args.ours)
        .display()
        .to_string();
    match merge_files(&sides) {
        Ok(0) => Ok(ExitCode::SUCCESS),
        Ok(n) => {
            err!(
                "marsad: {named}: merged with {n} conflict(s): both versions are kept in the \
                 file; open it in Marsad to choose"
            );
            Ok(ExitCode::FAILURE)
        }
        Err(MergeError::NotADocument(why)) => {
            let first = why.lines().next().unwrap_or_default();
            err!("marsad: {named}: not a marsad/1 document ({first}); merged as text");
            as_text(args, &named)
        }
        Err(e @ MergeError::Hard { .. }) => {
            err!(
                "marsad: {e}; this side's version is kept (the other is `git checkout --theirs \
                 {named}`)"
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

/// git's own line merge, with conflict markers where the sides differ.
fn as_text(args: &MergeDriverArgs, named: &str) -> anyhow::Result<ExitCode> {
    let status = std::process::Command::new("git")
        .arg("merge-file")
        .args(["-L", &format!("{named} (ours)")])
        .args(["-L", &format!("{named} (base)")])
        .args(["-L", &format!("{named} (theirs)")])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run git merge-file: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
