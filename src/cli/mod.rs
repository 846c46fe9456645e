//! The `marsad` command line, one file per subcommand: `validate`, `convert`, `stats`,
//! `layout`, `export`, `import-predictions`, `agree`, `review-queue`, `find`, `import`, `merge-driver`, `team` and `events`, run headless on files and folders. This
//! is the edge of the program: `anyhow` and printing live here and in `main`. This file holds
//! the parser, the dispatch, and what the subcommands share (finding files and schemas,
//! printing problems).
//!
//! Every problem is printed as one line on stderr, `error: <file>: <where>: <what>`; the exit
//! code is 0 when all went well, 1 when a file had problems, 2 for a usage error.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[macro_use]
pub mod output;

mod agree;
mod convert;
mod events;
mod export;
mod find;
mod import;
mod import_predictions;
mod layout;
mod merge_driver;
mod review_queue;
mod stats;
mod team;
mod validate;

use clap::{Args, Parser, Subcommand};

use crate::model::{AnnotatedDocument, LabelSchema, Location, Problem};
use crate::store::{self, LoadError};

#[derive(Parser, Debug)]
#[command(
    name = "marsad",
    version,
    about = "Marsad (مرصد): annotate Arabic news articles — actors, places, casualties, claims",
    long_about = "Marsad (مرصد): annotate Arabic news articles — actors, places, casualties, claims.\n\n\
                  With a PATH (a document, a .txt article or a folder) Marsad opens it in the \
                  annotation window; with no arguments it opens the last document, or the seed \
                  article.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A document (.json/.ron), a plain-text article (.txt) or a folder of documents to open
    /// in the window.
    path: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check documents: syntax, format version, hash, offsets, span texts, labels, attributes,
    /// ids and references. Prints every problem; exits 1 when any file has one.
    Validate(validate::ValidateArgs),
    /// Convert between .txt, .json and .ron (a .txt becomes a document without annotations).
    Convert(convert::ConvertArgs),
    /// Count documents, characters and spans per label and per annotation set.
    Stats(stats::StatsArgs),
    /// Export documents as training data or event rows: jsonl, spacy, conll, brat, doccano,
    /// label-studio or acled-csv. Every span's text is checked against the document first;
    /// OUT is written only when the whole export succeeded.
    Export(export::ExportArgs),
    /// Put a model's predictions into a document as a model annotation set (each checked
    /// against the text; a prediction that does not fit is reported and left out).
    ImportPredictions(import_predictions::ImportArgs),
    /// Agreement of set B with set A: exact and overlap P/R/F1 and Cohen's κ on characters,
    /// per label and overall; over a folder, micro and macro averages.
    Agree(agree::AgreeArgs),
    /// The documents to review, most disagreement (lowest exact F1) first, with their
    /// differences, decided and undecided.
    ReviewQueue(review_queue::QueueArgs),
    /// A corpus from another tool (jsonl, doccano, label-studio, brat, conll, wojood) as
    /// marsad/1 documents in a new folder, one set per annotator; every span is checked.
    Import(import::ImportArgs),
    /// Find a word in documents the way the window's find bar does (alef forms, ى/ي, ة/ه,
    /// harakat, tatweel and digit scripts folded; clitics allowed), or exactly as written.
    /// Prints each match's document, code-point offsets and raw text.
    Find(find::FindArgs),
    /// git's merge driver for marsad/1 files (BASE OURS THEIRS [PATH], git's %O %A %B %P):
    /// sets, spans, relations and events merged by id, the result written over OURS; exit 1
    /// when conflicts are recorded in the file (both versions kept) or the texts differ.
    MergeDriver(merge_driver::MergeDriverArgs),
    /// The corpus's own events (marsad-events/), reconciled by ACLED's rules; --duplicates
    /// the events that are probably one; --candidates ID the documents that may report it.
    Events(events::EventsArgs),
    /// A corpus coded by a team through git: init, check, assign, status.
    Team(team::TeamArgs),
    /// Lay a text out with the Arabic text engine and print its geometry: line starts, the
    /// rectangles of char ranges, where clicks land, and each line's visual order.
    Layout(layout::LayoutArgs),
}

#[derive(Args, Debug)]
pub struct SchemaArg {
    /// Label schema to check against, instead of a marsad-schema.ron beside each document or
    /// the built-in schema (a document's inline schema still wins).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

/// Runs the command line and returns the process exit code. With no subcommand (with or
/// without a path) it calls `open_window`, which `main` connects to the user interface.
pub fn run<I, T>(args: I, open_window: impl FnOnce(Option<PathBuf>) -> ExitCode) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let result = match cli.command {
        Some(Command::Validate(a)) => validate::run(&a),
        Some(Command::Convert(a)) => convert::run(&a),
        Some(Command::Stats(a)) => stats::run(&a),
        Some(Command::Layout(a)) => layout::run(&a),
        Some(Command::Export(a)) => export::run(&a),
        Some(Command::ImportPredictions(a)) => import_predictions::run(&a),
        Some(Command::Agree(a)) => agree::run(&a),
        Some(Command::ReviewQueue(a)) => review_queue::run(&a),
        Some(Command::Find(a)) => find::run(&a),
        Some(Command::Import(a)) => import::run(&a),
        Some(Command::MergeDriver(a)) => merge_driver::run(&a),
        Some(Command::Team(a)) => team::run(&a),
        Some(Command::Events(a)) => events::run(&a),
        None => return open_window(cli.path),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            err!("error: {e:#}");
            ExitCode::FAILURE
        }
    };
    match output::written() {
        output::Written::All => code,
        // `marsad … | head`: the reader has what it wanted.
        output::Written::PipeClosed => ExitCode::SUCCESS,
        output::Written::Failed => {
            err!("error: the output could not be written");
            ExitCode::FAILURE
        }
    }
}

/// Finds the schema in force for each file: `--schema`, else the nearest project schema file
/// in the document's folder or a parent folder, else the built-in one. Lookups are cached per
/// folder, and a broken project schema is reported once, in full.
struct Schemas {
    explicit: Option<LabelSchema>,
    by_dir: HashMap<PathBuf, Result<Option<LabelSchema>, LoadError>>,
}

impl Schemas {
    /// `Err` (already printed) when `--schema` names a file that cannot be used.
    fn new(arg: &SchemaArg) -> Result<Self, ()> {
        let explicit = match arg.schema.as_deref().map(store::load_schema).transpose() {
            Ok(schema) => schema,
            Err(e) => {
                print_problems(&e);
                return Err(());
            }
        };
        Ok(Self {
            explicit,
            by_dir: HashMap::new(),
        })
    }

    fn for_file(&mut self, path: &Path) -> Result<&LabelSchema, LoadError> {
        if let Some(schema) = &self.explicit {
            return Ok(schema);
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        if !self.by_dir.contains_key(&dir) {
            let found = store::project_schema(&dir);
            if let Err(e) = &found
                && !self
                    .by_dir
                    .values()
                    .any(|seen| seen.as_ref().err() == Some(e))
            {
                print_problems(e);
            }
            self.by_dir.insert(dir.clone(), found);
        }
        match self.by_dir.get(&dir) {
            Some(Ok(Some(schema))) => Ok(schema),
            Some(Err(e)) => Err(LoadError {
                path: path.to_owned(),
                problems: vec![Problem::new(
                    Location::File,
                    format!(
                        "not checked: the project schema {} is invalid",
                        e.path.display()
                    ),
                )],
            }),
            _ => Ok(LabelSchema::builtin()),
        }
    }
}

/// The files named by `paths`: files as given, folders searched (sorted, following links,
/// hidden files and schema files skipped) for `.json` and `.ron` documents. Folders that
/// cannot be read or hold no document are problems, returned beside the files.
fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<LoadError>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let before = files.len();
        let (found, unreadable) = store::documents_in(path);
        files.extend(found);
        problems.extend(unreadable);
        if files.len() == before {
            problems.push(LoadError {
                path: path.clone(),
                problems: vec![Problem::new(
                    Location::File,
                    "no .json or .ron documents in this folder",
                )],
            });
        }
    }
    (files, problems)
}

fn print_problems(err: &LoadError) -> usize {
    for line in err.lines() {
        err!("error: {line}");
    }
    err.problems.len()
}

/// Warns (on stderr, without failing) about invisible bidi controls in a document's text.
fn warn_about_controls(path: &Path, doc: &AnnotatedDocument) {
    if let Some(w) = crate::model::controls::warning(doc.document.text()) {
        err!("warning: {}: document: {w}", path.display());
    }
}

/// Every document under `paths`, loaded and checked, with the number of files that had
/// problems (each printed). `Err` (printed) when `--schema` cannot be used.
fn load_documents(
    paths: &[PathBuf],
    schema: &SchemaArg,
) -> Result<(Vec<(PathBuf, AnnotatedDocument)>, usize), ()> {
    let mut schemas = Schemas::new(schema)?;
    let (files, walk_problems) = collect_files(paths);
    let mut failed = walk_problems.iter().map(print_problems).sum::<usize>();
    let mut docs = Vec::with_capacity(files.len());
    for path in files {
        match open_any(&mut schemas, &path) {
            Ok(doc) => docs.push((path, doc)),
            Err(e) => failed += print_problems(&e),
        }
    }
    Ok((docs, failed))
}

fn open_any(schemas: &mut Schemas, path: &Path) -> Result<AnnotatedDocument, LoadError> {
    let schema = schemas.for_file(path)?;
    store::open(path, schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_has_help() {
        Cli::command().debug_assert();
        for sub in Cli::command().get_subcommands() {
            assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
        }
    }

    #[test]
    fn folders_are_searched_for_documents_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in [
            "b.json",
            "a.ron",
            "notes.txt",
            "marsad-schema.ron",
            ".hidden.json",
        ] {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::write(dir.path().join("sub/c.json"), "x").expect("write");
        let (files, problems) = collect_files(&[dir.path().to_owned()]);
        assert!(problems.is_empty());
        let names: Vec<String> = files
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.ron", "b.json", "sub/c.json"]);
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("mkdir");
        let (files, problems) = collect_files(&[empty]);
        assert!(files.is_empty());
        assert!(
            problems[0]
                .to_string()
                .ends_with("empty: file: no .json or .ron documents in this folder")
        );
    }

    #[cfg(unix)]
    #[test]
    fn linked_documents_are_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real");
        std::fs::create_dir(&real).expect("mkdir");
        std::fs::write(real.join("a.json"), "x").expect("write");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("mkdir");
        std::os::unix::fs::symlink(real.join("a.json"), corpus.join("linked.json")).expect("link");
        std::os::unix::fs::symlink(dir.path().join("gone.json"), corpus.join("dangling.json"))
            .expect("link");
        let (files, problems) = collect_files(&[corpus]);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(
            problems.len(),
            1,
            "the dangling link is reported: {problems:?}"
        );
    }
}
