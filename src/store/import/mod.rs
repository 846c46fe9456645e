//! Corpora in: annotations from the tools a team comes from — our own JSONL, doccano's JSONL,
//! Label Studio's JSON tasks, brat standoff folders, CoNLL BIO files, Wojood's nested CoNLL
//! and INCEpTION's UIMA CAS XMI
//! — become `marsad/1` documents, one per input document, with one annotation set per
//! annotator the input names. Every reader checks what it reads (offsets inside the text,
//! span text equal to `text[start:end]`, tags well formed, one tag column per token) and
//! refuses the file with the place of the first problem rather than guess.
//!
//! The documents go into a new folder, written atomically; a folder that exists and is not
//! empty is never written into or replaced.

pub mod acled;
pub mod brat;
pub mod conll;
pub mod spacy;
pub mod tasks;
pub mod xmi;

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::atomic::{AtomicDir, EXPORT_MARKER};
use super::export::brat::Names;
use crate::model::{
    AnnotatedDocument, AnnotationSet, AttrDef, AttrType, AttrValue, CharRange, Document,
    DocumentMeta, LabelDef, LabelSchema, RelationDef, Source, Span,
};

/// A format that can be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Marsad's own JSONL export.
    Jsonl,
    /// doccano's sequence-labelling JSONL.
    Doccano,
    /// Label Studio's JSON export (annotations and predictions).
    LabelStudio,
    /// brat standoff: folders of .txt and .ann (one folder per annotator).
    Brat,
    /// CoNLL: TOKEN … TAG with BIO tags in the last column.
    Conll,
    /// Wojood's nested CoNLL: TOKEN TAG [TAG …], one column per nesting layer.
    Wojood,
    /// UIMA CAS XMI (INCEpTION, DKPro): .xmi files, or a folder of them.
    Xmi,
    /// spaCy 3 DocBin (.spacy): doc.spans["sc"], else doc.ents.
    Spacy,
    /// ACLED CSV as Marsad writes it: rows back into the corpus events of the corpus that
    /// holds their documents (`-o` names that corpus).
    AcledCsv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Wojood => "wojood",
            Format::Xmi => "xmi",
            Format::Spacy => "spacy",
            Format::AcledCsv => "acled-csv",
        }
    }
}

/// Why a file could not be imported: the file, the place in it, what is wrong.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{}: {at}: {what}", .path.display())]
    At {
        path: PathBuf,
        at: String,
        what: String,
    },
    #[error("{}: {}", .path.display(), super::io_message(.error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: the folder exists and is not empty; import into a new folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("{}: no documents in the input", .0.display())]
    Nothing(PathBuf),
}

impl ImportError {
    pub(crate) fn at(path: &Path, at: impl Into<String>, what: impl Into<String>) -> Self {
        ImportError::At {
            path: path.to_owned(),
            at: at.into(),
            what: what.into(),
        }
    }
}

/// Reads a file as UTF-8 text (a BOM dropped), naming the file and the byte of the first
/// invalid sequence otherwise.
pub(crate) fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|error| ImportError::Io {
        path: path.to_owned(),
        error,
    })?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(s)),
        Err(e) => Err(ImportError::at(
            path,
            format!("byte {}", e.utf8_error().valid_up_to()),
            "not UTF-8 text",
        )),
    }
}

/// A new Arabic document with this id and text.
pub(crate) fn document(id: &str, text: String) -> Document {
    Document::new(
        DocumentMeta {
            id: id.to_owned(),
            language: "ar".to_owned(),
            ..DocumentMeta::default()
        },
        text,
    )
}

/// A span checked against the text: offsets inside it, in order, and (when the input gives
/// one) its text equal to `text[start:end]`.
pub(crate) fn checked_span(
    doc: &Document,
    id: String,
    (start, end): (usize, usize),
    label: &str,
    said: Option<&str>,
) -> Result<Span, String> {
    if label.trim().is_empty() {
        return Err(format!("span {id} has no label"));
    }
    let found = (start < end)
        .then(|| doc.slice(CharRange::new(start, end)))
        .flatten()
        .ok_or_else(|| {
            format!(
                "span {id}: offsets {start}:{end} are not a range inside the text ({} characters)",
                doc.char_len()
            )
        })?;
    if let Some(said) = said
        && said != found
    {
        return Err(format!(
            "span {id}: text[{start}:{end}] is \"{found}\" but the file says \"{said}\""
        ));
    }
    Ok(Span {
        id,
        start,
        end,
        label: label.to_owned(),
        text: found.to_owned(),
        attrs: Default::default(),
        note: None,
        confidence: None,
    })
}

/// An empty human set for `annotator`, or a model set. The id is the name with each run of
/// spaces as one `-` (set ids hold no spaces: `camelbert 1` is `camelbert-1`); the name
/// itself stays in the source.
pub(crate) fn set_for(name: &str, model: Option<Option<String>>) -> AnnotationSet {
    let id = name.split_whitespace().collect::<Vec<_>>().join("-");
    let mut set = AnnotationSet::human(&id);
    if let Some(version) = model {
        set.source = Source::Model {
            name: name.to_owned(),
            version,
        };
    } else {
        set.source = Source::Human {
            annotator: name.to_owned(),
        };
    }
    set
}

/// The documents of `inputs` in `format`. `set` names the annotation set where the input
/// names no annotator (default: the format's name).
pub fn read(
    format: Format,
    inputs: &[PathBuf],
    set: Option<&str>,
) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let mut docs = Vec::new();
    for input in inputs {
        let default_set = set.unwrap_or(format.name());
        match format {
            Format::Jsonl => {
                let src = read_text(input)?;
                let read = super::export::jsonl::read(&src, default_set).map_err(|e| {
                    let (at, what) = e.split_once(": ").unwrap_or(("file", e.as_str()));
                    ImportError::at(input, at, what)
                })?;
                docs.extend(read);
            }
            Format::Doccano => docs.extend(tasks::doccano(input, default_set)?),
            Format::LabelStudio => docs.extend(tasks::label_studio(input, default_set)?),
            Format::Brat => docs.extend(brat::folder(input, set)?),
            Format::Conll => docs.extend(conll::read(input, default_set, false)?),
            Format::Wojood => docs.extend(conll::read(input, default_set, true)?),
            Format::Xmi => docs.extend(xmi::read(input, default_set)?),
            Format::Spacy => docs.extend(spacy::read(input, default_set)?),
            Format::AcledCsv => {
                return Err(ImportError::at(
                    input,
                    "file",
                    "ACLED rows are events, not documents: import them into the corpus that holds their documents",
                ));
            }
        }
    }
    merge(docs)
}

/// What `marsad import` and File ▸ Import Corpus do before writing: the documents read, their
/// attribute values typed and their schema fitted ([`fit_schema`]); with what was added.
pub fn corpus(
    format: Format,
    inputs: &[PathBuf],
    set: Option<&str>,
    project: &LabelSchema,
) -> Result<(Vec<AnnotatedDocument>, Vec<String>), ImportError> {
    let mut docs = read(format, inputs, set)?;
    let added = fit_schema(&mut docs, project);
    Ok((docs, added))
}

/// Documents read twice (two annotators' folders or files of the same texts) become one
/// document with both sets; the same id with another text, or one set twice, is refused.
fn merge(docs: Vec<AnnotatedDocument>) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let mut out: Vec<AnnotatedDocument> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for doc in docs {
        let id = doc.document.meta.id.clone();
        let Some(&i) = at.get(&id) else {
            at.insert(id, out.len());
            out.push(doc);
            continue;
        };
        let here = &mut out[i];
        let place = || PathBuf::from(&id);
        if here.document.text_sha256() != doc.document.text_sha256() {
            return Err(ImportError::at(
                &place(),
                "document",
                "two inputs give this document different texts",
            ));
        }
        for set in doc.sets {
            if here.set(&set.id).is_some() {
                return Err(ImportError::at(
                    &place(),
                    format!("set {}", set.id),
                    "two inputs give this document the same annotation set; name them with --set or one folder per annotator",
                ));
            }
            here.sets.push(set);
        }
    }
    Ok(out)
}

/// Colours for labels the schema did not have (the built-in palette's neighbours).
const NEW_COLOURS: [&str; 6] = [
    "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#c0392b", "#7f8c8d",
];

/// Makes every document valid under a schema: `project`, or — when the input has labels,
/// relation kinds, attributes or attribute values it lacks — `project` with those added, kept
/// as each such document's inline schema. Returns what was added, for the user.
pub fn fit_schema(docs: &mut [AnnotatedDocument], project: &LabelSchema) -> Vec<String> {
    type_values(docs, project);
    let mut schema = project.clone();
    let mut added = Vec::new();
    for set in docs.iter().flat_map(|d| &d.sets) {
        for span in &set.spans {
            if schema.label(&span.label).is_none() {
                let colour = NEW_COLOURS[schema.labels.len() % NEW_COLOURS.len()];
                schema.labels.push(LabelDef {
                    name: span.label.clone(),
                    name_ar: span.label.clone(),
                    color: colour.to_owned(),
                    key: String::new(),
                    description: "added by import".to_owned(),
                    attributes: Vec::new(),
                });
                added.push(format!("label {}", span.label));
            }
            let Some(def) = schema.labels.iter_mut().find(|l| l.name == span.label) else {
                continue;
            };
            for (name, value) in &span.attrs {
                match def.attributes.iter_mut().find(|a| &a.name == name) {
                    None => {
                        let ty = match value {
                            AttrValue::Bool(_) => AttrType::Bool,
                            AttrValue::Int(_) => AttrType::Integer,
                            AttrValue::Str(_) => AttrType::String,
                        };
                        def.attributes.push(AttrDef {
                            name: name.clone(),
                            ty,
                            description: "added by import".to_owned(),
                        });
                        added.push(format!("attribute {name} of {}", span.label));
                    }
                    Some(a) => {
                        if let (AttrType::Enum(values), AttrValue::Str(v)) = (&mut a.ty, value)
                            && !values.contains(v)
                        {
                            values.push(v.clone());
                            added.push(format!("value {v} of {} {name}", span.label));
                        }
                    }
                }
            }
        }
        for r in &set.relations {
            if schema.relation(&r.kind).is_none() {
                schema.relations.push(RelationDef {
                    name: r.kind.clone(),
                    from: Vec::new(),
                    to: Vec::new(),
                    description: "added by import".to_owned(),
                });
                added.push(format!("relation {}", r.kind));
            }
        }
    }
    if !added.is_empty() {
        for doc in docs.iter_mut() {
            if !doc.validate(project).is_empty() {
                doc.schema = Some(schema.clone());
            }
        }
    }
    added
}

/// Values read as text (brat, CoNLL have no types) typed as the schema says: an integer
/// attribute's `27` is the number 27, a flag's `true` is true; an attribute the schema does
/// not know gets the type its value reads as.
fn type_values(docs: &mut [AnnotatedDocument], project: &LabelSchema) {
    for span in docs
        .iter_mut()
        .flat_map(|d| d.sets.iter_mut())
        .flat_map(|s| s.spans.iter_mut())
    {
        let def = project.label(&span.label);
        for (name, value) in span.attrs.iter_mut() {
            let AttrValue::Str(text) = value else {
                continue;
            };
            let ty = def.and_then(|l| l.attributes.iter().find(|a| &a.name == name));
            *value = match ty.map(|a| &a.ty) {
                Some(AttrType::Integer) => {
                    text.parse().map_or_else(|_| value.clone(), AttrValue::Int)
                }
                Some(AttrType::Bool) => match text.as_str() {
                    "true" => AttrValue::Bool(true),
                    "false" => AttrValue::Bool(false),
                    _ => value.clone(),
                },
                Some(_) => continue,
                None => crate::model::notation::attr_value(text),
            };
        }
    }
}

/// Writes `docs` as `marsad/1` JSON files into the new folder `out` (atomically: all or
/// nothing), each checked under `project` (or its inline schema) first. A folder that is
/// there and not empty is refused.
pub fn write(
    docs: &[AnnotatedDocument],
    out: &Path,
    project: &LabelSchema,
) -> Result<(), ImportError> {
    let io = |error| ImportError::Io {
        path: out.to_owned(),
        error,
    };
    if docs.is_empty() {
        return Err(ImportError::Nothing(out.to_owned()));
    }
    if let Ok(mut entries) = std::fs::read_dir(out) {
        if entries.next().is_some() {
            return Err(ImportError::NotEmpty(out.to_owned()));
        }
        std::fs::remove_dir(out).map_err(io)?;
    }
    // What is written must load again: every document checked as a load checks it.
    for doc in docs {
        if let Some(p) = doc.validate(project).first() {
            return Err(ImportError::at(
                out,
                format!("document {}: {}", doc.document.meta.id, p.location),
                p.message.clone(),
            ));
        }
    }
    let dir = AtomicDir::create(out).map_err(io)?;
    let mut names = Names::default();
    for doc in docs {
        let name = names.claim(&doc.document.meta.id);
        let json = super::format::to_string(doc, super::Syntax::Json)
            .map_err(|e| ImportError::at(out, format!("{name}.json"), e))?;
        dir.write_file(&format!("{name}.json"), json.as_bytes())
            .map_err(io)?;
    }
    dir.commit(false).map_err(io)?;
    // The folder is a corpus now, to be worked in: no export may ever replace it.
    std::fs::remove_file(out.join(EXPORT_MARKER)).map_err(io)?;
    Ok(())
}
