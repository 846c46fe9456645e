//! The `marsad` command line: `validate`, `convert`, `stats`, `layout`, `export`,
//! `import-predictions` and `agree`, run headless on files and folders. This is the edge of the program: `anyhow` and printing live
//! here and in `main`.
//!
//! Every problem is printed as one line on stderr, `error: <file>: <where>: <what>`; the exit
//! code is 0 when all went well, 1 when a file had problems, 2 for a usage error.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

/// Prints a line on stdout; a closed pipe (`marsad layout … | head`) ends the output quietly
/// instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::model::{
    AnnotatedDocument, CharRange, DocumentMeta, LabelSchema, Location, Problem, Source,
};
use crate::store::export::{self, Exporter};
use crate::store::{self, LoadError, Syntax};
use crate::text::{Direction, LayoutStyle, TextEngine};

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
    Validate(ValidateArgs),
    /// Convert between .txt, .json and .ron (a .txt becomes a document without annotations).
    Convert(ConvertArgs),
    /// Count documents, characters and spans per label and per annotation set.
    Stats(StatsArgs),
    /// Export documents as training data or event rows: jsonl, spacy, conll, brat, doccano,
    /// label-studio or acled-csv. Every span's text is checked against the document first;
    /// OUT is written only when the whole export succeeded.
    Export(ExportArgs),
    /// Put a model's predictions into a document as a model annotation set (each checked
    /// against the text; a prediction that does not fit is reported and left out).
    ImportPredictions(ImportArgs),
    /// Agreement of set B with set A: exact and overlap P/R/F1 and Cohen's κ on characters,
    /// per label and overall; over a folder, micro and macro averages.
    Agree(AgreeArgs),
    /// Lay a text out with the Arabic text engine and print its geometry: line starts, the
    /// rectangles of char ranges, where clicks land, and each line's visual order.
    Layout(LayoutArgs),
}

#[derive(Args, Debug)]
struct LayoutArgs {
    /// A .txt article or a .json/.ron document.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Wrapping width in px.
    #[arg(long, default_value_t = 600.0, value_parser = parse_px)]
    width: f32,
    /// Font size in px.
    #[arg(long, default_value_t = 24.0, value_parser = parse_px)]
    size: f32,
    /// Line height in px.
    #[arg(long, default_value_t = 40.0, value_parser = parse_px)]
    line_height: f32,
    /// Paragraph direction.
    #[arg(long, default_value = "rtl", value_parser = ["rtl", "ltr", "auto"])]
    dir: String,
    /// A char range START:END (code points) whose rectangles to print; repeatable.
    #[arg(long = "range", value_name = "START:END", value_parser = parse_range)]
    ranges: Vec<CharRange>,
    /// A point X,Y (px from the text box's top-left) to hit-test; repeatable.
    #[arg(long = "hit", value_name = "X,Y", value_parser = parse_point)]
    hits: Vec<(f32, f32)>,
    /// Print JSON (the format of ../shared/tools/reference-render, plus "lines").
    #[arg(long)]
    json: bool,
}

/// A positive, finite number of px.
fn parse_px(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 100_000.0 => Ok(v),
        _ => Err(format!("\"{s}\" is not a size in px (a number above 0)")),
    }
}

fn parse_range(s: &str) -> Result<CharRange, String> {
    let (a, b) = s
        .split_once(':')
        .ok_or_else(|| format!("\"{s}\" is not START:END"))?;
    let start = a
        .trim()
        .parse()
        .map_err(|_| format!("\"{a}\" is not an offset"))?;
    let end = b
        .trim()
        .parse()
        .map_err(|_| format!("\"{b}\" is not an offset"))?;
    if start > end {
        return Err(format!("start {start} is after end {end}"));
    }
    Ok(CharRange::new(start, end))
}

fn parse_point(s: &str) -> Result<(f32, f32), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("\"{s}\" is not X,Y"))?;
    let number = |v: &str| {
        v.trim()
            .parse::<f32>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("\"{v}\" is not a number"))
    };
    Ok((number(a)?, number(b)?))
}

#[derive(Args, Debug)]
struct SchemaArg {
    /// Label schema to check against, instead of a marsad-schema.ron beside each document or
    /// the built-in schema (a document's inline schema still wins).
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ValidateArgs {
    /// Files (.json, .ron, .txt) or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    schema: SchemaArg,
}

#[derive(Args, Debug)]
struct ConvertArgs {
    /// Input: a .txt article or a .json/.ron document.
    #[arg(value_name = "IN")]
    input: PathBuf,
    /// Output: a .json or .ron document.
    #[arg(value_name = "OUT")]
    output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    force: bool,
    /// Document id (text input; default: the file name without extension).
    #[arg(long)]
    id: Option<String>,
    /// Title (text input).
    #[arg(long)]
    title: Option<String>,
    /// Source, e.g. the outlet (text input).
    #[arg(long)]
    source: Option<String>,
    /// URL of the article (text input).
    #[arg(long)]
    url: Option<String>,
    /// Publication date, YYYY-MM-DD (text input).
    #[arg(long)]
    published: Option<String>,
    /// Language tag (text input; default: ar).
    #[arg(long)]
    language: Option<String>,
    #[command(flatten)]
    schema: SchemaArg,
}

#[derive(Args, Debug)]
struct ExportArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The output: a file, or a folder for brat.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// jsonl, spacy (a DocBin), conll (BIO), brat (a folder of .txt/.ann), doccano (JSONL),
    /// label-studio (JSON tasks) or acled-csv (one row per event).
    #[arg(long, value_parser = parse_format)]
    format: export::Format,
    /// The annotation set to export (default: each document's only set).
    #[arg(long, value_name = "SET")]
    set: Option<String>,
    /// Offsets in code points (as Python counts) or UTF-16 units (as JavaScript counts);
    /// for jsonl, doccano and label-studio.
    #[arg(long, value_parser = ["codepoint", "utf16"])]
    offsets: Option<String>,
    /// CoNLL tokens: keep clitics inside words (ANERcorp style) or split them off where a
    /// span leaves them out.
    #[arg(long, value_parser = ["keep", "split"])]
    clitics: Option<String>,
    /// Replace OUT if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    schema: SchemaArg,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// hf (Hugging Face token-classification output: a JSON list, or JSONL of {"id",
    /// "predictions"}), spacy ({text, ents} or {text, spans}), langextract ({extractions}) or
    /// marsad (a marsad/1 document).
    #[arg(long, value_parser = ["hf", "spacy", "langextract", "marsad"])]
    format: String,
    /// The predictions file.
    #[arg(value_name = "PRED")]
    predictions: PathBuf,
    /// The document (.json or .ron) the predictions are for.
    #[arg(value_name = "DOC")]
    document: PathBuf,
    /// The model's name (the set's id); default: the predictions file's name.
    #[arg(long)]
    model: Option<String>,
    /// The model's version.
    #[arg(long = "model-version")]
    model_version: Option<String>,
    /// Label map, e.g. PER=ACTOR,LOC=PLACE (after the default PER/ORG/NORP/PERSON → ACTOR,
    /// LOC/GPE/FAC → PLACE).
    #[arg(long, value_name = "FROM=TO,...")]
    map: Option<String>,
    /// How the predictions count offsets: code points (Python) or UTF-16 units (JavaScript).
    #[arg(long, default_value = "codepoint", value_parser = ["codepoint", "utf16"])]
    offsets: String,
    /// Write the document with the new set here instead of replacing DOC.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    schema: SchemaArg,
}

#[derive(Args, Debug)]
struct AgreeArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The reference set (e.g. a coder, or the adjudicated set).
    #[arg(long = "a", value_name = "SET")]
    set_a: String,
    /// The set measured against A (e.g. a model or a second coder).
    #[arg(long = "b", value_name = "SET")]
    set_b: String,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    schema: SchemaArg,
}

fn parse_format(s: &str) -> Result<export::Format, String> {
    s.parse()
}

#[derive(Args, Debug)]
struct StatsArgs {
    /// Documents or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    schema: SchemaArg,
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
        Some(Command::Validate(a)) => validate(&a),
        Some(Command::Convert(a)) => convert(&a),
        Some(Command::Stats(a)) => stats(&a),
        Some(Command::Layout(a)) => layout(&a),
        Some(Command::Export(a)) => export(&a),
        Some(Command::ImportPredictions(a)) => import_predictions(&a),
        Some(Command::Agree(a)) => agree(&a),
        None => return open_window(cli.path),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
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
        eprintln!("error: {line}");
    }
    err.problems.len()
}

fn open_any(schemas: &mut Schemas, path: &Path) -> Result<AnnotatedDocument, LoadError> {
    let schema = schemas.for_file(path)?;
    store::open(path, schema)
}

fn validate(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut problems: usize = walk_problems.iter().map(print_problems).sum();
    let mut bad_files = 0;
    for path in &files {
        if let Err(e) = open_any(&mut schemas, path) {
            problems += print_problems(&e);
            bad_files += 1;
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

fn convert(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let out_syntax = Syntax::from_path(&args.output);
    if out_syntax.is_none() {
        bail!(
            "{}: file: the output must be a .json or .ron file",
            args.output.display()
        );
    }
    if args.output.exists() && !args.force {
        bail!(
            "{}: file: the file exists; use --force to replace it",
            args.output.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let text_options = [
        ("--id", &args.id),
        ("--title", &args.title),
        ("--source", &args.source),
        ("--url", &args.url),
        ("--published", &args.published),
        ("--language", &args.language),
    ];
    let doc = if store::is_text_file(&args.input) {
        let meta = DocumentMeta {
            id: args.id.clone().unwrap_or_default(),
            title: args.title.clone(),
            source: args.source.clone(),
            url: args.url.clone(),
            published: args.published.clone(),
            language: args.language.clone().unwrap_or_default(),
            import: None,
        };
        let doc = store::import_text(&args.input, meta).map(AnnotatedDocument::new);
        // Metadata given on the command line is checked like a loaded document's.
        doc.and_then(|d| {
            let problems = d.validate(LabelSchema::builtin());
            if problems.is_empty() {
                Ok(d)
            } else {
                Err(LoadError {
                    path: args.input.clone(),
                    problems,
                })
            }
        })
    } else {
        if let Some((flag, _)) = text_options.iter().find(|(_, v)| v.is_some()) {
            bail!(
                "{}: file: {flag} applies only to a .txt input, not to a document",
                args.input.display()
            );
        }
        open_any(&mut schemas, &args.input)
    };
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    // Without --force, a file that appeared meanwhile is not replaced either.
    store::save_with(&args.output, &doc, args.force)?;
    let spans: usize = doc.sets.iter().map(|s| s.spans.len()).sum();
    out!(
        "{} → {} ({} characters, {spans} span(s))",
        args.input.display(),
        args.output.display(),
        doc.document.char_len()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize, Default)]
struct Stats {
    documents: usize,
    characters: usize,
    spans: usize,
    spans_per_label: BTreeMap<String, usize>,
    spans_per_set: BTreeMap<String, SetStats>,
}

#[derive(Serialize, Default)]
struct SetStats {
    source: String,
    documents: usize,
    spans: usize,
    relations: usize,
    events: usize,
}

fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = args.format;
    let mut options = export::Options::new(format);
    options.set = args.set.clone();
    if let Some(unit) = &args.offsets {
        if !matches!(
            format,
            export::Format::Jsonl | export::Format::Doccano | export::Format::LabelStudio
        ) {
            bail!("--offsets applies to jsonl, doccano and label-studio, not to {format}");
        }
        if unit == "utf16" {
            options.offsets = export::OffsetUnit::Utf16;
        }
    }
    if let Some(clitics) = &args.clitics {
        if format != export::Format::Conll {
            bail!("--clitics applies to conll, not to {format}");
        }
        if clitics == "split" {
            options.clitics = export::Clitics::Split;
        }
    }
    if args.output.exists() && !args.force {
        bail!(
            "{}: file: the output exists; use --force to replace it",
            args.output.display()
        );
    }
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut problems: usize = walk_problems.iter().map(print_problems).sum();
    let mut exporter = Exporter::new(options, &args.output)?;
    for path in &files {
        let doc = match open_any(&mut schemas, path) {
            Ok(doc) => doc,
            Err(e) => {
                problems += print_problems(&e);
                continue;
            }
        };
        if problems > 0 {
            continue; // keep checking the other files, but write nothing more
        }
        let schema = schemas.for_file(path).unwrap_or(LabelSchema::builtin());
        let schema = doc.schema_or(schema);
        if let Err(e) = exporter.add(path, &doc, schema) {
            eprintln!("error: {e}");
            problems += 1;
        }
    }
    if problems > 0 {
        out!(
            "{problems} problem(s); nothing written, {} is unchanged",
            args.output.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = exporter.finish(args.force)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    out!(
        "{} document(s), {} span(s), {} event(s) → {} ({format})",
        report.documents,
        report.spans,
        report.events,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn import_predictions(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    use crate::store::predictions;
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let mut doc = match open_any(&mut schemas, &args.document) {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let schema = schemas
        .for_file(&args.document)
        .unwrap_or(LabelSchema::builtin())
        .clone();
    let schema = doc.schema_or(&schema).clone();
    let format: predictions::Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let model = args.model.clone().unwrap_or_else(|| {
        args.predictions
            .file_stem()
            .map_or_else(|| "model".to_owned(), |s| s.to_string_lossy().into_owned())
    });
    let mut options = predictions::Options::new(format, &model);
    options.version = args.model_version.clone();
    if args.offsets == "utf16" {
        options.offsets = predictions::Offsets::Utf16;
    }
    for pair in args
        .map
        .iter()
        .flat_map(|m| m.split(','))
        .filter(|p| !p.trim().is_empty())
    {
        let (from, to) = pair
            .split_once('=')
            .with_context(|| format!("--map: \"{pair}\" is not FROM=TO"))?;
        options
            .map
            .insert(from.trim().to_owned(), to.trim().to_owned());
    }
    let src = match store::read_text(&args.predictions) {
        Ok(src) => src,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let imported = predictions::import(&src, &doc, &schema, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.predictions.display()))?;
    for skipped in &imported.skipped {
        eprintln!("warning: {}: {skipped}", args.predictions.display());
    }
    let count = imported.set.spans.len();
    let replaced = predictions::add_to(&mut doc, imported.set);
    let problems = doc.validate(&schema);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {}: {p}", args.document.display());
        }
        return Ok(ExitCode::FAILURE);
    }
    let out = args.output.clone().unwrap_or_else(|| args.document.clone());
    store::save_with(&out, &doc, true)?;
    out!(
        "{count} prediction(s) imported as set \"{model}\"{}, {} left out → {}",
        if replaced {
            " (replacing the earlier import)"
        } else {
            ""
        },
        imported.skipped.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct AgreeRow {
    label: String,
    #[serde(flatten)]
    counts: crate::model::agreement::Counts,
    figures: crate::model::agreement::Figures,
}

#[derive(Serialize)]
struct AgreeOut {
    a: String,
    b: String,
    documents: usize,
    skipped: Vec<String>,
    micro: Vec<AgreeRow>,
    macro_overall: Option<crate::model::agreement::Figures>,
    /// Krippendorff's αu per document, averaged over the documents (per label: over the
    /// documents where the label occurs).
    alpha_u: crate::model::agreement::AlphaU,
}

fn agree(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    use crate::model::agreement::{self, Agreement, Figures, Prf};
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut failed = walk_problems.iter().map(print_problems).sum::<usize>();
    let mut total = Agreement::default();
    let mut per_doc: Vec<Figures> = Vec::new();
    let mut skipped = Vec::new();
    let mut alphas: Vec<agreement::AlphaU> = Vec::new();
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
        let one = agreement::agreement(doc.document.text(), a, b);
        alphas.push(agreement::alpha_u(doc.document.char_len(), a, b));
        per_doc.push(one.overall.figures());
        total.add(&one);
    }
    for s in &skipped {
        eprintln!(
            "warning: {s}: document: not both sets \"{}\" and \"{}\"; skipped",
            args.set_a, args.set_b
        );
    }
    let mean = |f: fn(&Figures) -> f64| per_doc.iter().map(f).sum::<f64>() / per_doc.len() as f64;
    let prf = |p: fn(&Figures) -> f64, r: fn(&Figures) -> f64, f: fn(&Figures) -> f64| Prf {
        precision: mean(p),
        recall: mean(r),
        f1: mean(f),
    };
    let macro_overall = (!per_doc.is_empty()).then(|| Figures {
        exact: prf(|x| x.exact.precision, |x| x.exact.recall, |x| x.exact.f1),
        overlap: prf(
            |x| x.overlap.precision,
            |x| x.overlap.recall,
            |x| x.overlap.f1,
        ),
        kappa: mean(|x| x.kappa),
    });
    let mut alpha_u = agreement::AlphaU::default();
    let mut per_label: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for a in &alphas {
        for (label, v) in &a.labels {
            per_label.entry(label.as_str()).or_default().push(*v);
        }
    }
    for (label, vs) in per_label {
        alpha_u
            .labels
            .insert(label.to_owned(), vs.iter().sum::<f64>() / vs.len() as f64);
    }
    alpha_u.overall = if alphas.is_empty() {
        1.0
    } else {
        alphas.iter().map(|a| a.overall).sum::<f64>() / alphas.len() as f64
    };
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
            documents: per_doc.len(),
            skipped,
            micro: rows,
            macro_overall,
            alpha_u,
        };
        out!(
            "{}",
            serde_json::to_string_pretty(&report).context("cannot print the figures as JSON")?
        );
    } else {
        out!(
            "B = {} against A = {}: {} document(s)",
            args.set_b,
            args.set_a,
            per_doc.len()
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
            && per_doc.len() > 1
        {
            out!(
                "macro over documents: exact F1 {:.3}, overlap F1 {:.3}, kappa {:.3}",
                m.exact.f1,
                m.overlap.f1,
                m.kappa
            );
        }
    }
    if failed > 0 || per_doc.is_empty() {
        if per_doc.is_empty() {
            eprintln!(
                "error: no document has both sets \"{}\" and \"{}\"",
                args.set_a, args.set_b
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    walk_problems.iter().for_each(|e| {
        print_problems(e);
    });
    let mut stats = Stats::default();
    let mut failed = walk_problems.len();
    for path in &files {
        let doc = match open_any(&mut schemas, path) {
            Ok(doc) => doc,
            Err(e) => {
                print_problems(&e);
                failed += 1;
                continue;
            }
        };
        stats.documents += 1;
        stats.characters += doc.document.char_len();
        for set in &doc.sets {
            let entry = stats.spans_per_set.entry(set.id.clone()).or_default();
            entry.source = match &set.source {
                Source::Human { .. } => "human".to_owned(),
                Source::Model { name, .. } => format!("model {name}"),
            };
            entry.documents += 1;
            entry.spans += set.spans.len();
            entry.relations += set.relations.len();
            entry.events += set.events.len();
            stats.spans += set.spans.len();
            for span in &set.spans {
                *stats.spans_per_label.entry(span.label.clone()).or_default() += 1;
            }
        }
    }
    if args.json {
        out!(
            "{}",
            serde_json::to_string_pretty(&stats).context("cannot print the figures as JSON")?
        );
    } else {
        print_stats(&stats);
    }
    if failed > 0 {
        out!("{failed} path(s) could not be counted");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct LayoutOut {
    width: f32,
    size: f32,
    line_height: f32,
    dir: &'static str,
    chars: usize,
    line_starts: Vec<usize>,
    ranges: Vec<RangeOut>,
    hits: Vec<HitOut>,
    lines: Vec<LineOut>,
}

#[derive(Serialize)]
struct RangeOut {
    start: usize,
    end: usize,
    text: String,
    rects: Vec<[f32; 4]>,
}

#[derive(Serialize)]
struct HitOut {
    x: f32,
    y: f32,
    offset: usize,
}

#[derive(Serialize)]
struct LineOut {
    start: usize,
    end: usize,
    visual_order: Vec<usize>,
}

/// Rounded to 0.1 px, as the browser reference prints them.
fn tenth(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

fn layout(args: &LayoutArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&SchemaArg { schema: None }) else {
        return Ok(ExitCode::FAILURE);
    };
    let doc = match open_any(&mut schemas, &args.file) {
        Ok(doc) => doc,
        Err(e) => {
            print_problems(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let dir = Direction::parse(&args.dir).unwrap_or_default();
    let text = doc.document.text();
    let len = doc.document.char_len();
    if let Some(r) = args.ranges.iter().find(|r| r.end > len) {
        bail!(
            "{}: file: range {r} is beyond the text, which has {len} characters",
            args.file.display()
        );
    }
    let mut engine = TextEngine::new();
    let mut layout = engine.layout(
        text,
        LayoutStyle {
            size: args.size,
            line_height: args.line_height,
            dir,
        },
    );
    layout.wrap(args.width);
    let out = LayoutOut {
        width: args.width,
        size: args.size,
        line_height: args.line_height,
        dir: dir.as_str(),
        chars: len,
        line_starts: layout.line_starts(),
        ranges: args
            .ranges
            .iter()
            .map(|&r| RangeOut {
                start: r.start,
                end: r.end,
                text: doc.document.slice(r).unwrap_or_default().to_owned(),
                rects: layout
                    .range_rects(r)
                    .iter()
                    .map(|q| [tenth(q.x0), tenth(q.y0), tenth(q.x1), tenth(q.y1)])
                    .collect(),
            })
            .collect(),
        hits: args
            .hits
            .iter()
            .map(|&(x, y)| HitOut {
                x,
                y,
                offset: layout.hit_test(x, y).offset,
            })
            .collect(),
        lines: layout
            .lines()
            .iter()
            .filter(|l| !l.chars.is_empty())
            .map(|l| LineOut {
                start: l.chars.start,
                end: l.chars.end,
                visual_order: l.visual_order(),
            })
            .collect(),
    };
    if args.json {
        out!(
            "{}",
            serde_json::to_string(&out).context("cannot print JSON")?
        );
    } else {
        for line in &out.lines {
            let range = CharRange::new(line.start, line.end);
            out!(
                "{:>6}..{:<6} {}",
                line.start,
                line.end,
                doc.document.slice(range).unwrap_or_default()
            );
        }
        for r in &out.ranges {
            out!("range {}..{} {:?}: {:?}", r.start, r.end, r.text, r.rects);
        }
        for h in &out.hits {
            out!("hit {},{} → {}", h.x, h.y, h.offset);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_stats(stats: &Stats) {
    out!("documents   {:>8}", stats.documents);
    out!("characters  {:>8}", stats.characters);
    out!("spans       {:>8}", stats.spans);
    out!();
    out!("spans per label");
    for (label, n) in &stats.spans_per_label {
        out!("  {label:<12}{n:>8}");
    }
    out!();
    out!("annotation sets  (documents, spans, relations, events)");
    for (id, s) in &stats.spans_per_set {
        out!(
            "  {id:<16}{:>6}{:>8}{:>6}{:>6}  {}",
            s.documents,
            s.spans,
            s.relations,
            s.events,
            s.source
        );
    }
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
