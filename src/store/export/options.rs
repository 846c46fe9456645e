//! What an export is asked for: the format (its name, what it is, its file extension), the
//! annotation set, the offset unit, and the CoNLL choices (clitics split off, sentences cut).

use std::fmt;
use std::str::FromStr;

use crate::offsets::Unit;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Spacy,
    Conll,
    Brat,
    Doccano,
    LabelStudio,
    AcledCsv,
    Xmi,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Jsonl,
        Format::Spacy,
        Format::Conll,
        Format::Brat,
        Format::Doccano,
        Format::LabelStudio,
        Format::AcledCsv,
        Format::Xmi,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Spacy => "spacy",
            Format::Conll => "conll",
            Format::Brat => "brat",
            Format::Doccano => "doccano",
            Format::LabelStudio => "label-studio",
            Format::AcledCsv => "acled-csv",
            Format::Xmi => "xmi",
        }
    }

    /// What the format is for, in a few words (menus and `--help`).
    pub fn describe(self) -> &'static str {
        match self {
            Format::Jsonl => "JSONL: one document per line, with spans, relations and events",
            Format::Spacy => "spaCy 3 DocBin (.spacy): doc.spans[\"sc\"] and doc.ents",
            Format::Conll => "CoNLL: one token per line with BIO tags",
            Format::Brat => "brat standoff: a folder of .txt and .ann files",
            Format::Doccano => "doccano: sequence-labelling JSONL",
            Format::LabelStudio => "Label Studio: JSON tasks with annotations",
            Format::AcledCsv => "ACLED CSV: one row per event, ACLED's 31 columns",
            Format::Xmi => "UIMA CAS XMI (INCEpTION, DKPro): a folder of .xmi and TypeSystem.xml",
        }
    }

    /// The usual file extension of OUT, or None when OUT is a folder.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Jsonl | Format::Doccano => Some("jsonl"),
            Format::Spacy => Some("spacy"),
            Format::Conll => Some("conll"),
            Format::Brat | Format::Xmi => None,
            Format::LabelStudio => Some("json"),
            Format::AcledCsv => Some("csv"),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format \"{s}\" (one of: {})", names.join(", "))
            })
    }
}

/// How CoNLL treats a clitic glued to a word that a span leaves out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Clitics {
    /// Tokens are words as written; `بسيكاسو` is one token, tagged as the place
    /// (ANERcorp, Wojood).
    #[default]
    Keep,
    /// Tokens are also split at every span boundary, so `ب` and `سيكاسو` are two tokens.
    Split,
}

/// What CoNLL does with a span that crosses a sentence boundary of the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Sentences {
    /// Sentences come from the text alone, the same for every set: the span is cut at the
    /// boundary (its second part begins with B-), and counted.
    #[default]
    Cut,
    /// The sentence is not broken inside the span (sentence counts then depend on the set).
    Join,
}

/// Everything that shapes an export besides the documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub format: Format,
    /// The annotation set to export; None takes a document's only set.
    pub set: Option<String>,
    pub offsets: Unit,
    pub clitics: Clitics,
    pub sentences: Sentences,
}

impl Options {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            set: None,
            offsets: Unit::CodePoints,
            clitics: Clitics::Keep,
            sentences: Sentences::Cut,
        }
    }
}
