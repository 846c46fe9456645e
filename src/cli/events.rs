//! `marsad events CORPUS [--duplicates] [--candidates ID] [--json]`: the corpus's own events
//! (`marsad-events/`), each checked against its documents and reconciled by ACLED's rules —
//! the conservative fatality count with every report's figure, the disagreements, the earliest
//! reported date and the precisions; `--duplicates` lists the events that are probably one
//! (dates within a day, a place and an actor shared) for a lead to merge; `--candidates ID`
//! the documents that may also report event ID, best first.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::{SchemaArg, load_documents};
use crate::model::AnnotatedDocument;
use crate::model::corpus_event::{Link, reconcile};
use crate::model::event_index::{Facts, Index, duplicates};
use crate::store::{corpus_events, team};

#[derive(Args, Debug)]
pub struct EventsArgs {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// List the pairs of events that are probably one event.
    #[arg(long)]
    pub duplicates: bool,
    /// List the documents that may also report this event.
    #[arg(long, value_name = "ID")]
    pub candidates: Option<String>,
    /// Print it as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub schema: SchemaArg,
}

#[derive(Serialize)]
struct Shown {
    id: String,
    event_type: String,
    documents: Vec<String>,
    fatalities: Option<u64>,
    figures: Vec<String>,
    disagreements: Vec<String>,
    date: Option<String>,
    time_precision: Option<u8>,
    geo_precision: Option<u8>,
}

pub fn run(args: &EventsArgs) -> anyhow::Result<ExitCode> {
    let (events, problems) = corpus_events::load_all(&args.corpus);
    let mut bad = problems.len();
    for p in &problems {
        err!("error: {p}");
    }
    if args.duplicates {
        let pairs = duplicates(&events);
        if args.json {
            let list: Vec<(&str, &str)> =
                pairs.iter().map(|d| (d.a.as_str(), d.b.as_str())).collect();
            crate::cli::output::raw(&serde_json::to_string_pretty(&list)?);
        } else {
            for d in &pairs {
                out!("{} and {} are probably one event", d.a, d.b);
            }
            out!(
                "{} probable duplicate(s) among {} event(s)",
                pairs.len(),
                events.len()
            );
        }
        return Ok(code(bad));
    }
    let Ok((docs, failed)) = load_documents(std::slice::from_ref(&args.corpus), &args.schema)
    else {
        return Ok(ExitCode::FAILURE);
    };
    bad += failed;
    let by_key: HashMap<String, &AnnotatedDocument> = docs
        .iter()
        .map(|(p, d)| (team::key_of(&args.corpus, p), d))
        .collect();
    if let Some(id) = &args.candidates {
        let Some(event) = events.iter().find(|e| &e.id == id) else {
            anyhow::bail!("{}: no corpus event {id}", args.corpus.display());
        };
        let index = Index::new(by_key.iter().map(|(k, d)| Facts::of(k, d)).collect());
        let found = index.candidates(event);
        for c in &found {
            let why: Vec<&str> = [(c.place, "place"), (c.actor, "actor"), (c.date, "date")]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| w)
                .collect();
            out!("{}: {} (score {})", c.document, why.join(", "), c.score);
        }
        return Ok(code(bad));
    }
    let mut shown = Vec::new();
    for event in &events {
        for problem in corpus_events::check_links(event, |k| by_key.get(k).copied()) {
            err!("error: {}: {problem}", args.corpus.display());
            bad += 1;
        }
        let find = |l: &Link| {
            by_key
                .get(&l.document)
                .and_then(|d| d.set(&l.set))
                .and_then(|s| s.span(&l.span))
                .filter(|s| s.text == l.text)
        };
        let r = reconcile(event, find);
        shown.push(Shown {
            id: event.id.clone(),
            event_type: event.event_type.clone(),
            documents: event.documents().into_iter().map(str::to_owned).collect(),
            fatalities: r.fatalities,
            figures: r
                .figures
                .iter()
                .map(|f| format!("{} {}: {} killed", f.document, f.span, f.killed))
                .collect(),
            disagreements: r.disagreements.clone(),
            date: r.date.clone(),
            time_precision: r.time_precision,
            geo_precision: r.geo_precision,
        });
    }
    if args.json {
        crate::cli::output::raw(&serde_json::to_string_pretty(&shown)?);
    } else {
        for s in &shown {
            let fatalities = s
                .fatalities
                .map_or_else(|| "no figure".to_owned(), |n| n.to_string());
            out!(
                "{} {}: {} report(s), fatalities {fatalities}, date {}",
                s.id,
                s.event_type,
                s.documents.len(),
                s.date.as_deref().unwrap_or("unknown")
            );
            for d in &s.disagreements {
                out!("  reports differ: {d}");
            }
        }
        out!("{} event(s)", shown.len());
    }
    Ok(code(bad))
}

fn code(bad: usize) -> ExitCode {
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
