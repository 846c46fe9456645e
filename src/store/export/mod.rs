//! Exports: Marsad's annotations in the formats that training pipelines and conflict datasets
//! read — JSONL, spaCy DocBin, CoNLL BIO, brat standoff, doccano, Label Studio and ACLED-like
//! event rows. An [`Exporter`] takes documents one at a time, checks every span it writes
//! (`text[start:end]` must be the span's text) and writes into a temp file or folder that
//! replaces OUT only when the whole export succeeded.
//!
//! The format modules turn one document and one annotation set into that format's piece; this
//! module owns what they share: choosing the set, checking spans, offsets in code points or
//! UTF-16 units, and the rule that picks non-overlapping spans for one-layer formats.

pub mod acled;
pub mod acled_corpus;
pub mod acled_registry;
pub mod brat;
pub mod conll;
pub mod deflate;
pub mod jsonl;
pub mod options;
mod piece;
pub mod segment;
pub mod spacy;
pub mod tasks;
pub mod xmi;

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::atomic::{AtomicDir, AtomicFile};
use crate::model::corpus_event::CorpusEvent;
use crate::model::{AnnotatedDocument, AnnotationSet, CharIndex, LabelSchema, Span};
pub use crate::offsets::{Offsets, Unit};
pub use options::{Clitics, Format, Options, Sentences};
pub use piece::{BATCH, Input};
use piece::{Made, Piece, Tally, piece, spans_of, with_items};

/// Why an export stopped. OUT is left as it was.
#[derive(Debug, Error)]
pub enum ExportError {
    /// A span that cannot be written as it is: offsets outside the text, or a text that no
    /// longer matches `text[start:end]`.
    #[error("{path}: span {set}/{span}: {what}", path = .path.display())]
    Span {
        path: PathBuf,
        set: String,
        span: String,
        what: String,
    },
    #[error("{path}: document: {what}", path = .path.display())]
    Document { path: PathBuf, what: String },
    #[error("{path}: file: {}", super::io_message(.error), path = .path.display())]
    Io { path: PathBuf, error: io::Error },
}

impl ExportError {
    pub(crate) fn document(path: &Path, what: impl Into<String>) -> Self {
        ExportError::Document {
            path: path.to_owned(),
            what: what.into(),
        }
    }
}

/// The set to export from a document: the named one, or the document's only set.
pub fn choose_set<'a>(
    path: &Path,
    doc: &'a AnnotatedDocument,
    wanted: Option<&str>,
) -> Result<&'a AnnotationSet, ExportError> {
    let ids = || {
        let ids: Vec<_> = doc.sets.iter().map(|s| s.id.as_str()).collect();
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        }
    };
    match wanted {
        Some(id) => doc.set(id).ok_or_else(|| {
            ExportError::document(
                path,
                format!("no annotation set \"{id}\" (sets: {})", ids()),
            )
        }),
        None => match doc.sets.as_slice() {
            [only] => Ok(only),
            [] => Err(ExportError::document(path, "no annotation set to export")),
            _ => Err(ExportError::document(
                path,
                format!(
                    "{} annotation sets ({}); choose one with --set",
                    doc.sets.len(),
                    ids()
                ),
            )),
        },
    }
}

/// A span whose offsets were checked against the text, with its byte range in the text.
#[derive(Clone, Debug)]
pub struct Checked<'a> {
    pub span: &'a Span,
    pub bytes: Range<usize>,
}

/// Checks every span of the set: offsets inside the text and `text[start:end]` equal to the
/// span's text. The first failure stops the export.
pub fn check_spans<'a>(
    path: &Path,
    text: &str,
    index: &CharIndex,
    set: &'a AnnotationSet,
) -> Result<Vec<Checked<'a>>, ExportError> {
    set.spans
        .iter()
        .map(|span| {
            let bytes = (span.start <= span.end)
                .then(|| index.byte_range(span.range()))
                .flatten()
                .ok_or_else(|| ExportError::Span {
                    path: path.to_owned(),
                    set: set.id.clone(),
                    span: span.id.clone(),
                    what: format!(
                        "offsets {}:{} are outside the text ({} characters)",
                        span.start,
                        span.end,
                        index.char_len()
                    ),
                })?;
            let found = &text[bytes.clone()];
            if found != span.text {
                return Err(ExportError::Span {
                    path: path.to_owned(),
                    set: set.id.clone(),
                    span: span.id.clone(),
                    what: format!(
                        "text[{}:{}] is \"{found}\" but the span says \"{}\"",
                        span.start, span.end, span.text
                    ),
                });
            }
            Ok(Checked { span, bytes })
        })
        .collect()
}

/// The spans a one-layer format (BIO tags, `doc.ents`) can hold: longest first, then
/// earliest, each kept unless it overlaps one already kept. Returns the kept indices in text
/// order and how many spans were left out.
pub fn one_layer(ranges: &[Range<usize>]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ranges[i].len()), ranges[i].start, i));
    // The kept ranges never overlap, so only the last one starting before a range's end can
    // overlap it: one ordered-set lookup per range instead of a scan of all kept.
    let mut taken: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        let r = &ranges[i];
        let overlaps = taken
            .range(..(r.end, 0))
            .next_back()
            .is_some_and(|&(start, end)| start < r.end && r.start < end);
        if !overlaps {
            taken.insert((r.start, r.end));
            kept.push(i);
        }
    }
    let left_out = ranges.len() - kept.len();
    kept.sort_by_key(|&i| (ranges[i].start, i));
    (kept, left_out)
}

/// Writes files into an export's folder, naming the one that fails.
fn write_files(dir: &AtomicDir, out: &Path, files: &[(String, String)]) -> Result<(), ExportError> {
    for (name, bytes) in files {
        dir.write_file(name, bytes.as_bytes())
            .map_err(|error| ExportError::Io {
                path: out.join(name),
                error,
            })?;
    }
    Ok(())
}

/// What an export did, for the closing message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub documents: usize,
    pub spans: usize,
    pub events: usize,
    /// Format-specific notes, such as spans a one-layer format had to leave out.
    pub warnings: Vec<String>,
}

enum State {
    /// JSONL, doccano and Label Studio: one JSON value per document.
    Lines {
        format: Format,
        first: bool,
        file: AtomicFile,
    },
    Spacy {
        docbin: spacy::DocBin,
        file: AtomicFile,
    },
    Conll {
        counts: conll::Counts,
        file: AtomicFile,
    },
    /// brat and XMI: a folder of files per document, and the schema's configuration
    /// files written at the end.
    Folder {
        format: Format,
        names: brat::Names,
        dir: AtomicDir,
        schema: Option<LabelSchema>,
    },
    Acled {
        writer: Box<csv::Writer<AtomicFile>>,
    },
}

/// Writes one export: documents go in with [`Exporter::add`], and [`Exporter::finish`] puts
/// the result at OUT. Dropping an exporter unfinished leaves OUT untouched.
pub struct Exporter {
    options: Options,
    out: PathBuf,
    state: State,
    report: Report,
    /// Spans a one-layer reader (doccano's default project, spaCy's `doc.ents`) cannot show
    /// beside another they overlap.
    overlapping: usize,
    /// Document events already in a corpus event (by document path and event id): in ACLED
    /// CSV their row is the corpus event's.
    promoted: HashSet<(PathBuf, String)>,
    /// The corpus's registry of actors and places, which ACLED rows take names from.
    registry: Option<crate::model::registry::Registry>,
}

impl Exporter {
    /// Starts an export to `out` (a file, or a folder for brat).
    pub fn new(options: Options, out: &Path) -> Result<Self, ExportError> {
        let io_err = |error| ExportError::Io {
            path: out.to_owned(),
            error,
        };
        let format = options.format;
        let state = if matches!(format, Format::Brat | Format::Xmi) {
            State::Folder {
                format,
                names: brat::Names::default(),
                dir: AtomicDir::create(out).map_err(io_err)?,
                schema: None,
            }
        } else {
            let mut file = AtomicFile::create(out).map_err(io_err)?;
            match format {
                Format::Spacy => State::Spacy {
                    docbin: spacy::DocBin::default(),
                    file,
                },
                Format::Conll => State::Conll {
                    counts: conll::Counts::default(),
                    file,
                },
                Format::AcledCsv => State::Acled {
                    writer: Box::new(acled::writer(file)),
                },
                _ => {
                    if format == Format::LabelStudio {
                        file.write_all(b"[").map_err(io_err)?;
                    }
                    State::Lines {
                        format,
                        first: true,
                        file,
                    }
                }
            }
        };
        Ok(Self {
            options,
            out: out.to_owned(),
            state,
            report: Report::default(),
            overlapping: 0,
            promoted: HashSet::new(),
            registry: None,
        })
    }

    /// ACLED rows take actors' and places' names (and inter codes, countries, provinces) from
    /// this registry.
    pub fn use_registry(&mut self, registry: crate::model::registry::Registry) {
        self.registry = Some(registry);
    }

    /// The corpus at `root`'s own events: a document event promoted to one of them gets no
    /// row of its own (ACLED CSV).
    pub fn promoted_in(&mut self, root: &Path, events: &[CorpusEvent]) {
        for e in events {
            for r in &e.reports {
                if let Some(id) = &r.event {
                    self.promoted.insert((root.join(&r.document), id.clone()));
                }
            }
        }
    }

    /// One row for an event of the corpus, from the spans it links in every document (ACLED
    /// CSV only; other formats carry events in their documents).
    pub fn add_corpus_event<'a>(
        &mut self,
        event: &CorpusEvent,
        doc: impl Fn(&str) -> Option<&'a AnnotatedDocument>,
    ) -> Result<(), ExportError> {
        if let State::Acled { writer } = &mut self.state {
            writer
                .serialize(acled_corpus::corpus_row(event, doc, self.registry.as_ref()))
                .map_err(|e| ExportError::Io {
                    path: self.out.clone(),
                    error: io::Error::other(e),
                })?;
            self.report.events += 1;
        }
        Ok(())
    }

    /// Adds one document (`path` names it in errors). The schema is the one in force for the
    /// document (ACLED's actor types and brat's attribute declarations come from it).
    pub fn add(
        &mut self,
        path: &Path,
        doc: &AnnotatedDocument,
        schema: &LabelSchema,
    ) -> Result<(), ExportError> {
        let input = Input { path, doc, schema };
        if self.pieces_apart() {
            let piece = piece(&self.options, &self.out, &input)?;
            return self.push(piece);
        }
        let (options, out) = (&self.options, &self.out);
        let (tally, result) = with_items(options, out, &input, |items| {
            let item = &items[0];
            if options.format == Format::Doccano {
                self.overlapping += one_layer(&spans_of(item)).1;
            }
            let io_err = |error| ExportError::Io {
                path: out.clone(),
                error,
            };
            match &mut self.state {
                State::Lines {
                    format,
                    first,
                    file,
                } => {
                    let mut piece = Vec::with_capacity(doc.document.text().len() * 2);
                    if *format == Format::LabelStudio {
                        piece.extend_from_slice(if *first { b"\n" } else { b",\n" });
                    }
                    match format {
                        Format::Doccano => tasks::doccano(item, &mut piece),
                        Format::LabelStudio => tasks::label_studio(items, &mut piece),
                        _ => jsonl::write(item, &mut piece),
                    }
                    .map_err(|e| io_err(e.into()))?;
                    if *format != Format::LabelStudio {
                        piece.push(b'\n');
                    }
                    *first = false;
                    file.write_all(&piece).map_err(io_err)?;
                }
                // Made apart, above.
                State::Spacy { .. } | State::Conll { .. } => {}
                State::Folder {
                    format,
                    names,
                    dir,
                    schema: conf,
                } => {
                    conf.get_or_insert_with(|| schema.clone());
                    let id = &doc.document.meta.id;
                    let name = names.claim(id);
                    let files = if *format == Format::Brat {
                        let (txt, mut ann) = brat::files(item);
                        ann.extend(brat::id_note(&ann, &name, id));
                        vec![(format!("{name}.txt"), txt), (format!("{name}.ann"), ann)]
                    } else {
                        let xmi = xmi::document(item)
                            .map_err(|what| ExportError::document(path, what))?;
                        vec![(format!("{name}.xmi"), xmi)]
                    };
                    write_files(dir, out, &files)?;
                }
                State::Acled { writer } => {
                    let promoted = &self.promoted;
                    let rows = acled::rows(item).into_iter().zip(&item.set.events);
                    for (mut row, event) in
                        rows.filter(|(_, e)| !promoted.contains(&(path.to_owned(), e.id.clone())))
                    {
                        if let Some(registry) = &self.registry {
                            acled_registry::fill(&mut row, item.set, event, registry);
                        }
                        writer
                            .serialize(row)
                            .map_err(|e| io_err(io::Error::other(e)))?;
                    }
                }
            }
            Ok(())
        })?;
        result?;
        self.count(tally);
        Ok(())
    }

    /// Adds documents in their order, as [`Self::add`] does one by one, with one result per
    /// document. CoNLL's and spaCy's pieces (segmentation, tags, token tables) are worked out
    /// on every core at once (rayon), then written in order.
    pub fn add_all(&mut self, inputs: &[Input<'_>]) -> Vec<Result<(), ExportError>> {
        use rayon::prelude::*;
        if !self.pieces_apart() {
            return inputs
                .iter()
                .map(|i| self.add(i.path, i.doc, i.schema))
                .collect();
        }
        let (options, out) = (&self.options, &self.out);
        let pieces: Vec<Result<Piece, ExportError>> = inputs
            .par_iter()
            .map(|input| piece(options, out, input))
            .collect();
        pieces.into_iter().map(|piece| self.push(piece?)).collect()
    }

    /// True for the formats whose documents are made into pieces apart from the export.
    fn pieces_apart(&self) -> bool {
        matches!(self.state, State::Conll { .. } | State::Spacy { .. })
    }

    /// Writes a piece made by [`piece`].
    fn push(&mut self, piece: Piece) -> Result<(), ExportError> {
        let Piece { made, tally } = piece;
        match (&mut self.state, made) {
            (State::Conll { counts, file }, Made::Conll(text, more)) => {
                counts.add(&more);
                file.write_all(text.as_bytes())
                    .map_err(|error| ExportError::Io {
                        path: self.out.clone(),
                        error,
                    })?;
            }
            (State::Spacy { docbin, .. }, Made::Spacy(piece)) => {
                self.overlapping += docbin.push(piece);
            }
            _ => {
                return Err(ExportError::document(
                    &self.out,
                    "a document was made for another format than this export's",
                ));
            }
        }
        self.count(tally);
        Ok(())
    }

    fn count(&mut self, tally: Tally) {
        self.report.documents += 1;
        self.report.spans += tally.spans;
        self.report.events += tally.events;
    }

    /// Completes the export and puts it at OUT (replacing an existing OUT only if `replace`).
    pub fn finish(self, replace: bool) -> Result<Report, ExportError> {
        let Self {
            out,
            state,
            mut report,
            overlapping,
            options,
            ..
        } = self;
        if overlapping > 0 {
            report.warnings.push(match options.format {
                Format::Doccano => format!(
                    "{overlapping} overlapping span(s) written: doccano shows them only in a \
                     project with \"Allow overlapping entity\" on"
                ),
                _ => format!(
                    "{overlapping} overlapping span(s) are in doc.spans[\"sc\"] but left out of \
                     doc.ents, which holds one layer"
                ),
            });
        }
        let io_err = |error| ExportError::Io {
            path: out.clone(),
            error,
        };
        match state {
            State::Lines {
                format, mut file, ..
            } => {
                if format == Format::LabelStudio {
                    file.write_all(b"\n]\n").map_err(io_err)?;
                }
                file.commit(replace).map_err(io_err)?;
            }
            State::Spacy { docbin, file } => {
                let file = docbin.write_to(file).map_err(io_err)?;
                file.commit(replace).map_err(io_err)?;
            }
            State::Conll { counts, file } => {
                report.warnings.extend(counts.warnings());
                file.commit(replace).map_err(io_err)?;
            }
            State::Folder {
                format,
                dir,
                schema,
                ..
            } => {
                let schema = schema.as_ref().unwrap_or(LabelSchema::builtin());
                let files = if format == Format::Brat {
                    vec![
                        ("annotation.conf".to_owned(), brat::annotation_conf(schema)),
                        ("visual.conf".to_owned(), brat::visual_conf(schema)),
                    ]
                } else {
                    let left_out = xmi::unwritable(schema);
                    if !left_out.is_empty() {
                        report.warnings.push(format!(
                            "attributes that cannot be UIMA features were left out: {}",
                            left_out.join(", ")
                        ));
                    }
                    vec![("TypeSystem.xml".to_owned(), xmi::type_system(schema))]
                };
                write_files(&dir, &out, &files)?;
                dir.commit(replace).map_err(io_err)?;
            }
            State::Acled { writer } => {
                let file = writer
                    .into_inner()
                    .map_err(|e| io_err(io::Error::other(e.to_string())))?;
                file.commit(replace).map_err(io_err)?;
            }
        }
        Ok(report)
    }
}

/// True when `input` is `out` or lies inside it (both as they are on disk, links followed):
/// replacing `out` would destroy the input.
fn writes_over(out: &Path, input: &Path) -> bool {
    let (Ok(out), Ok(input)) = (fs::canonicalize(out), fs::canonicalize(input)) else {
        return false;
    };
    input.starts_with(&out)
}

/// One document on its way out: the chosen set with its checked spans.
pub struct Item<'a> {
    pub path: &'a Path,
    pub doc: &'a AnnotatedDocument,
    pub set: &'a AnnotationSet,
    pub spans: &'a [Checked<'a>],
    pub offsets: &'a Offsets,
    pub schema: &'a LabelSchema,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three reports in span notation, the second with overlapping spans and a span across a
    /// sentence end, so that CoNLL has counts to add up.
    fn reports() -> Vec<AnnotatedDocument> {
        [
            "[ACTOR|جماعة نصرة الإسلام] تتبنى هجوما في [PLACE|سيكاسو]، وقتل [CASUALTY|27] جنديا.",
            "قالت [ACTOR|[ACTOR|الجماعة] المسلحة] إن [CLAIM|الهجوم. وقع] في [PLACE|بسيكاسو] أمس",
            "لا شيء هنا سوى نص. ثم جملة أخرى!\nوسطر جديد عن [PLACE|مالي]",
        ]
        .iter()
        .enumerate()
        .map(|(k, m)| {
            crate::model::notation::parse(m)
                .expect("notation")
                .to_document(&format!("d{k}"), "coder-a")
        })
        .collect()
    }

    #[test]
    fn documents_made_on_every_core_are_written_as_one_by_one() {
        let docs = reports();
        for format in [Format::Conll, Format::Spacy] {
            let dir = tempfile::tempdir().expect("tempdir");
            let write = |name: &str, together: bool| {
                let out = dir.path().join(name);
                let mut exporter = Exporter::new(Options::new(format), &out).expect("start");
                let paths: Vec<PathBuf> = (0..docs.len())
                    .map(|k| PathBuf::from(format!("d{k}.json")))
                    .collect();
                if together {
                    let inputs: Vec<Input<'_>> = docs
                        .iter()
                        .zip(&paths)
                        .map(|(doc, path)| Input {
                            path,
                            doc,
                            schema: LabelSchema::builtin(),
                        })
                        .collect();
                    for result in exporter.add_all(&inputs) {
                        result.expect("add");
                    }
                } else {
                    for (doc, path) in docs.iter().zip(&paths) {
                        exporter
                            .add(path, doc, LabelSchema::builtin())
                            .expect("add");
                    }
                }
                let report = exporter.finish(false).expect("finish");
                (std::fs::read(&out).expect("written"), report)
            };
            let (one_by_one, report) = write("one", false);
            let (together, together_report) = write("all", true);
            assert_eq!(together, one_by_one, "{format}: the same bytes");
            assert_eq!(together_report, report, "{format}: the same report");
            assert_eq!(report.documents, 3);
            if format == Format::Conll {
                assert!(
                    !report.warnings.is_empty(),
                    "the overlap and the crossing are counted"
                );
            }
        }
    }

    #[test]
    fn utf16_offsets_count_an_emoji_twice() {
        let offsets = Offsets::new("🔥 مالي", Unit::Utf16);
        assert_eq!(offsets.from_char(0), 0);
        assert_eq!(offsets.from_char(1), 2);
        assert_eq!(offsets.from_char(6), 7);
        let plain = Offsets::new("مالي", Unit::Utf16);
        assert_eq!(plain.from_char(3), 3);
    }

    #[test]
    fn one_layer_keeps_the_longest_then_the_earliest() {
        // [جماعة نصرة الإسلام] holds [نصرة]; two equal spans overlap: the earlier wins.
        let ranges = [6..10, 0..18, 20..25, 23..28];
        let (kept, left_out) = one_layer(&ranges);
        assert_eq!(kept, [1, 2]);
        assert_eq!(left_out, 2);
    }

    #[test]
    fn formats_are_named_as_on_the_command_line() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
