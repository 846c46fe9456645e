//! `marsad team assign CORPUS --coders a,b,c --per-document 2 [--seed N] [--blind]
//! [--adjudicator NAME]`: each document of the corpus given to coders in its manifest.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::store::{self, team};

#[derive(Args, Debug)]
pub struct AssignArgs {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The coders, separated by commas.
    #[arg(long, value_delimiter = ',', required = true)]
    pub coders: Vec<String>,
    /// How many coders code each document.
    #[arg(long, default_value_t = 2)]
    pub per_document: usize,
    /// Another seed gives another (equally balanced) assignment.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Blind coding: a coder sees no other coder's set on a document until they mark it done.
    #[arg(long)]
    pub blind: bool,
    /// The lead who adjudicates and sees every set.
    #[arg(long, value_name = "NAME")]
    pub adjudicator: Option<String>,
}

pub fn run(args: &AssignArgs) -> anyhow::Result<ExitCode> {
    let (paths, problems) = store::documents_in(&args.corpus);
    for p in &problems {
        for line in p.lines() {
            err!("error: {line}");
        }
    }
    let keys: Vec<String> = paths
        .iter()
        .map(|p| team::key_of(&args.corpus, p))
        .collect();
    let mut manifest = team::Manifest::load(&args.corpus)?.unwrap_or_default();
    let plan = team::Plan {
        coders: &args.coders,
        per_document: args.per_document,
        seed: args.seed,
    };
    let done = team::assign(&mut manifest, &keys, &plan)?;
    manifest.blind |= args.blind;
    if args.adjudicator.is_some() {
        manifest.adjudicator = args.adjudicator.clone();
    }
    manifest.save(&args.corpus)?;
    out!(
        "{}: {} document(s) assigned, {} kept as they were; {} coder(s) per document{}",
        team::Manifest::path(&args.corpus).display(),
        done.new,
        done.kept,
        args.per_document,
        if manifest.blind { ", blind" } else { "" }
    );
    let mut load: std::collections::BTreeMap<&str, usize> = Default::default();
    for coders in manifest.assignments.values() {
        for c in coders {
            *load.entry(c).or_default() += 1;
        }
    }
    for (coder, n) in load {
        out!("  {coder}: {n}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
