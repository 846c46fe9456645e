//! `marsad agree PATH… --a SET --b SET`: agreement of set B with set A, per label and overall,
//! micro-averaged over the documents with the macro average and αu beside; `--sets A,B,C`:
//! any number of sets, as a pairwise table with Fleiss' κ and αu of all of them (all computed
//! by [`crate::review`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{SchemaArg, Schemas, collect_files, open_any, print_problems};
use crate::review::{AlphaU, CorpusAgreement, Counts, Figures, MultiCounts};

#[derive(Args, Debug)]
pub struct AgreeArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The reference set (e.g. a coder, or the adjudicated set).
    #[arg(
        long = "a",
        value_name = "SET",
        required_unless_present = "sets",
        conflicts_with = "sets"
    )]
    pub set_a: Option<String>,
    /// The set measured against A (e.g. a model or a second coder).
    #[arg(
        long = "b",
        value_name = "SET",
        required_unless_present = "sets",
        conflicts_with = "sets"
    )]
    pub set_b: Option<String>,
    /// Any number of sets (two or more), compared all with all: the pairwise table, Fleiss'
    /// κ on characters and Krippendorff's αu of all of them.
    #[arg(long, value_name = "SET,SET,…", value_delimiter = ',', num_args = 1..)]
    pub sets: Vec<String>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

#[derive(Serialize)]
struct AgreeRow {
    label: String,
    #[serde(flatten)]
    counts: Counts,
    figures: Figures,
}

#[derive(Serialize)]
struct AgreeOut {
    a: String,
    b: String,
    documents: usize,
    skipped: Vec<String>,
    micro: Vec<AgreeRow>,
    macro_overall: Option<Figures>,
    /// Krippendorff's αu per document, averaged over the documents (per label: over the
    /// documents where the label occurs).
    alpha_u: AlphaU,
}

pub fn run(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    let (Some(set_a), Some(set_b)) = (&args.set_a, &args.set_b) else {
        return run_many(args);
    };
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut failed = walk_problems.iter().map(print_problems).sum::<usize>();
    let mut corpus = CorpusAgreement::default();
    let mut skipped = Vec::new();
    for path in &files {
        let doc = match open_any(&mut schemas, path) {
            Ok(doc) => doc,
            Err(e) => {
                failed += print_problems(&e);
                continue;
            }
        };
        let (Some(a), Some(b)) = (doc.set(set_a), doc.set(set_b)) else {
            skipped.push(path.display().to_string());
            continue;
        };
        corpus.add(&doc.document, a, b);
    }
    for s in &skipped {
        err!("warning: {s}: document: not both sets \"{set_a}\" and \"{set_b}\"; skipped");
    }
    let documents = corpus.documents();
    let macro_overall = corpus.macro_overall();
    let alpha_u = corpus.alpha_u();
    let total = &corpus.total;
    let mut rows: Vec<AgreeRow> = total
        .labels
        .iter()
        .map(|(label, c)| AgreeRow {
            label: label.clone(),
            counts: c.clone(),
            figures: c.figures(),
        })
        .collect();
    rows.push(AgreeRow {
        label: "overall".to_owned(),
        counts: total.overall.clone(),
        figures: total.overall.figures(),
    });
    if args.json {
        let report = AgreeOut {
            a: set_a.clone(),
            b: set_b.clone(),
            documents,
            skipped,
            micro: rows,
            macro_overall,
            alpha_u,
        };
        super::output::raw(
            &serde_json::to_string_pretty(&report).context("cannot print the figures as JSON")?,
        );
    } else {
        out!("B = {set_b} against A = {set_a}: {documents} document(s)");
        out!(
            "{:<10} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6} {:>7}",
            "label",
            "A",
            "B",
            "P",
            "R",
            "F1",
            "P~",
            "R~",
            "F1~",
            "kappa",
            "alpha_u"
        );
        for r in &rows {
            let f = &r.figures;
            let au = if r.label == "overall" {
                alpha_u.overall
            } else {
                alpha_u.labels.get(&r.label).copied().unwrap_or(1.0)
            };
            out!(
                "{:<10} {:>6} {:>6}   {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>7.3}",
                r.label,
                r.counts.a,
                r.counts.b,
                f.exact.precision,
                f.exact.recall,
                f.exact.f1,
                f.overlap.precision,
                f.overlap.recall,
                f.overlap.f1,
                f.kappa,
                au
            );
        }
        out!(
            "(exact match; ~ overlap with the same label; κ on characters; micro-averaged; \
             Krippendorff's αu per document, averaged)"
        );
        if let Some(m) = &macro_overall
            && documents > 1
        {
            out!(
                "macro over documents: exact F1 {:.3}, overlap F1 {:.3}, kappa {:.3}",
                m.exact.f1,
                m.overlap.f1,
                m.kappa
            );
        }
    }
    if failed > 0 || documents == 0 {
        if documents == 0 {
            err!("error: no document has both sets \"{set_a}\" and \"{set_b}\"");
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--sets A,B,C…`: every pair's figures, then Fleiss' κ and αu of all the sets, over the
/// documents that have every one of them.
fn run_many(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    let mut ids: Vec<String> = Vec::new();
    for id in &args.sets {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    if ids.len() < 2 {
        err!(
            "error: --sets needs at least two different sets (got {})",
            ids.join(",")
        );
        return Ok(ExitCode::FAILURE);
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut failed = walk_problems.iter().map(print_problems).sum::<usize>();
    let mut counts = MultiCounts::new(&ids);
    for path in &files {
        let doc = match open_any(&mut schemas, path) {
            Ok(doc) => doc,
            Err(e) => {
                failed += print_problems(&e);
                continue;
            }
        };
        if !counts.add(&doc) {
            err!(
                "warning: {}: document: not every set of {}; skipped",
                path.display(),
                ids.join(",")
            );
        }
    }
    let documents = counts.documents();
    let m = counts.agreement();
    if args.json {
        #[derive(Serialize)]
        struct Out<'m> {
            documents: usize,
            #[serde(flatten)]
            agreement: &'m crate::review::MultiAgreement,
        }
        super::output::raw(
            &serde_json::to_string_pretty(&Out {
                documents,
                agreement: &m,
            })
            .context("cannot print the figures as JSON")?,
        );
    } else {
        out!("{} sets: {} document(s)", ids.len(), documents);
        out!(
            "{:<14} {:<14} {:>6} {:>6} {:>6} {:>7}",
            "A",
            "B",
            "F1",
            "F1~",
            "kappa",
            "alpha_u"
        );
        for p in &m.pairwise {
            out!(
                "{:<14} {:<14} {:>6.3} {:>6.3} {:>6.3} {:>7.3}",
                p.a,
                p.b,
                p.figures.exact.f1,
                p.figures.overlap.f1,
                p.figures.kappa,
                p.alpha_u
            );
        }
        out!("all {} sets together:", ids.len());
        out!("{:<14} {:>8} {:>8}", "label", "fleiss", "alpha_u");
        for (label, k) in &m.fleiss.labels {
            let au = m.alpha_u.labels.get(label).copied().unwrap_or(1.0);
            out!("{label:<14} {k:>8.3} {au:>8.3}");
        }
        out!(
            "{:<14} {:>8.3} {:>8.3}",
            "overall",
            m.fleiss.overall,
            m.alpha_u.overall
        );
        out!(
            "(pairs micro-averaged; Fleiss' κ on characters, micro over documents; \
             Krippendorff's αu of all sets per document, averaged)"
        );
    }
    if failed > 0 || documents == 0 {
        if documents == 0 {
            err!("error: no document has every set of {}", ids.join(","));
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
