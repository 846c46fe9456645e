//! `marsad team …`: a corpus coded by a team through git, one file per subcommand — `init`
//! (the merge driver set up in a work tree), `check` (whether this clone has it), `assign`
//! (who codes what, in the corpus's manifest) and `status` (where the team stands).

mod assign;
mod check;
mod init;
mod status;

use std::process::ExitCode;

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct TeamArgs {
    #[command(subcommand)]
    command: TeamCommand,
}

#[derive(Subcommand, Debug)]
enum TeamCommand {
    /// In a git work tree: write .gitattributes (marsad/1 files merged by Marsad, LF line
    /// ends) and set merge.marsad.driver in this clone's git config; prints what it did.
    Init(init::InitArgs),
    /// Whether this clone merges the corpus's documents with Marsad's driver.
    Check(check::CheckArgs),
    /// Assign each document to coders in the corpus's manifest (marsad-team.json): balanced,
    /// deterministic for a seed, never one coder twice; what is assigned already is kept.
    Assign(assign::AssignArgs),
    /// Per coder assigned / in progress / done / time; per document who is done; the
    /// documents ready for agreement or adjudication.
    Status(status::StatusArgs),
}

pub fn run(args: &TeamArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        TeamCommand::Init(a) => init::run(a),
        TeamCommand::Check(a) => check::run(a),
        TeamCommand::Assign(a) => assign::run(a),
        TeamCommand::Status(a) => status::run(a),
    }
}
