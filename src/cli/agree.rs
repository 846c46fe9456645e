//! `marsad agree PATH… --a SET --b SET`: agreement of set B with set A, per label and overall,
//! micro-averaged over the documents with the macro average and αu beside (computed by
//! [`crate::review`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{SchemaArg, Schemas, collect_files, open_any, print_problems};
use crate::review::{AlphaU, CorpusAgreement, Counts, Figures};

#[derive(Args, Debug)]
pub struct AgreeArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The reference set (e.g. a coder, or the adjudicated set).
    #[arg(long = "a", value_name = "SET")]
    pub set_a: String,
    /// The set measured against A (e.g. a model or a second coder).
    #[arg(long = "b", value_name = "SET")]
    pub set_b: String,
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
        let (Some(a), Some(b)) = (doc.set(&args.set_a), doc.set(&args.set_b)) else {
            skipped.push(path.display().to_string());
            continue;
        };
        corpus.add(&doc.document, a, b);
    }
    for s in &skipped {
        err!(
            "warning: {s}: document: not both sets \"{}\" and \"{}\"; skipped",
            args.set_a,
            args.set_b
        );
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
            a: args.set_a.clone(),
            b: args.set_b.clone(),
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
        out!(
            "B = {} against A = {}: {} document(s)",
            args.set_b,
            args.set_a,
            documents
        );
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
            err!(
                "error: no document has both sets \"{}\" and \"{}\"",
                args.set_a,
                args.set_b
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
