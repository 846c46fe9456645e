//! A document on its way into an export, apart from the export itself: checked (never the
//! export's own input, the sets it names there, every span's offsets and text), given to the
//! format as items, and — for CoNLL and spaCy — made into its piece on any thread, for
//! [`super::Exporter::add_all`] to write in order.

use std::io;
use std::ops::Range;
use std::path::Path;

use super::{
    ExportError, Format, Item, Offsets, Options, check_spans, choose_set, conll, spacy, writes_over,
};
use crate::model::{AnnotatedDocument, LabelSchema};

/// How many documents a caller hands to [`super::Exporter::add_all`] at a time: enough to keep
/// every core busy, few enough that a corpus is never all in memory.
pub const BATCH: usize = 32;

/// A document to export, and the schema in force for it.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub path: &'a Path,
    pub doc: &'a AnnotatedDocument,
    pub schema: &'a LabelSchema,
}

/// How much of a document went out, for the report.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    pub(super) spans: usize,
    pub(super) events: usize,
}

/// A document made into its format's piece, apart from the export (on any thread).
pub(super) struct Piece {
    pub(super) made: Made,
    pub(super) tally: Tally,
}

pub(super) enum Made {
    Conll(String, conll::Counts),
    Spacy(spacy::Piece),
}

/// The char ranges of an item's spans.
pub(super) fn spans_of(item: &Item<'_>) -> Vec<Range<usize>> {
    item.spans
        .iter()
        .map(|c| c.span.start..c.span.end)
        .collect()
}

/// Checks a document for an export to `out` — never its own input, the sets it names there,
/// every span's offsets and text — and gives `f` the items to write (one per chosen set),
/// with what they hold for the report.
pub(super) fn with_items<R>(
    options: &Options,
    out: &Path,
    input: &Input<'_>,
    f: impl FnOnce(&[Item<'_>]) -> R,
) -> Result<(Tally, R), ExportError> {
    let Input { path, doc, schema } = *input;
    if writes_over(out, path) {
        return Err(ExportError::document(
            path,
            format!(
                "is inside the output {}; an export never writes over its own input",
                out.display()
            ),
        ));
    }
    // Label Studio takes several sets on one task: `--set coder-a,model`.
    let wanted: Vec<Option<&str>> = match options.set.as_deref() {
        Some(list) if options.format == Format::LabelStudio && doc.set(list).is_none() => {
            list.split(',').map(Some).collect()
        }
        one => vec![one],
    };
    let text = doc.document.text();
    let offsets = Offsets::new(text, options.offsets);
    let mut chosen = Vec::with_capacity(wanted.len());
    for w in wanted {
        let set = choose_set(path, doc, w)?;
        chosen.push((set, check_spans(path, text, doc.document.index(), set)?));
    }
    let items: Vec<Item<'_>> = chosen
        .iter()
        .map(|(set, spans)| Item {
            path,
            doc,
            set,
            spans,
            offsets: &offsets,
            schema,
        })
        .collect();
    let tally = Tally {
        spans: items.iter().map(|i| i.spans.len()).sum(),
        events: items.iter().map(|i| i.set.events.len()).sum(),
    };
    Ok((tally, f(&items)))
}

/// A CoNLL or spaCy document's piece.
pub(super) fn piece(
    options: &Options,
    out: &Path,
    input: &Input<'_>,
) -> Result<Piece, ExportError> {
    let (tally, made) = with_items(options, out, input, |items| -> io::Result<Made> {
        let item = &items[0];
        Ok(match options.format {
            Format::Conll => {
                let mut counts = conll::Counts::default();
                let text = conll::document(item, options.clitics, options.sentences, &mut counts);
                Made::Conll(text, counts)
            }
            _ => Made::Spacy(spacy::piece(item)?),
        })
    })?;
    let made = made.map_err(|error| ExportError::Io {
        path: out.to_owned(),
        error,
    })?;
    Ok(Piece { made, tally })
}
