//! ACLED CSV back into corpus events: each row Marsad wrote (`marsad export --format
//! acled-csv`) becomes the event it was, its links rebuilt from the span columns
//! (`actor1_spans`, `location_spans`, `fatalities_spans`, …; ids as `document#span`, or bare
//! span ids of the row's one document) against the documents of the corpus, each span's set
//! and text read from its document. A row that names a span the corpus lacks refuses the
//! import with its row and id.

use std::collections::HashMap;
use std::path::Path;

use super::ImportError;
use crate::model::corpus_event::{CorpusEvent, Link, Report};
use crate::model::{AnnotatedDocument, EventRole};

/// The roles ACLED's span columns fill, in the order a row lists them.
const COLUMNS: [(&str, EventRole); 7] = [
    ("actor1_spans", EventRole::Perpetrators),
    ("assoc_actor_1_spans", EventRole::Perpetrators),
    ("actor2_spans", EventRole::Targets),
    ("assoc_actor_2_spans", EventRole::Targets),
    ("location_spans", EventRole::Places),
    ("admin1_spans", EventRole::Places),
    ("fatalities_spans", EventRole::Casualties),
];

/// The corpus events of an ACLED CSV file; `doc` finds a document of the corpus by its key.
pub fn events<'a>(
    path: &Path,
    doc: impl Fn(&str) -> Option<&'a AnnotatedDocument>,
) -> Result<Vec<CorpusEvent>, ImportError> {
    let src = super::read_text(path)?;
    let mut reader = csv::Reader::from_reader(src.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::at(path, "line 1", e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let at: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    for needed in ["event_id_cnty", "event_type", "document_id"] {
        if !at.contains_key(needed) {
            return Err(ImportError::at(
                path,
                "line 1",
                format!("no column {needed}"),
            ));
        }
    }
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = format!("line {}", n + 2);
        let record = record.map_err(|e| ImportError::at(path, &line, e.to_string()))?;
        let field = |name: &str| at.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let id = field("event_id_cnty");
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(ImportError::at(
                path,
                &line,
                format!("event id \"{id}\" cannot name a file"),
            ));
        }
        let mut event = CorpusEvent::new(id, field("event_type"));
        event.sub_event_type = Some(field("sub_event_type").to_owned()).filter(|s| !s.is_empty());
        let documents: Vec<&str> = field("document_id").split_whitespace().collect();
        // What the coder wrote, without the reconciliation the export added.
        let notes: Vec<&str> = field("notes")
            .split(" | ")
            .filter(|n| !n.is_empty() && !n.contains(" killed"))
            .collect();
        event.notes = (!notes.is_empty()).then(|| notes.join(" | "));
        for (column, role) in COLUMNS {
            for reference in field(column).split_whitespace() {
                let (document, span) = match reference.split_once('#') {
                    Some((d, s)) => (d, s),
                    None if documents.len() == 1 => (documents[0], reference),
                    None => {
                        return Err(ImportError::at(
                            path,
                            &line,
                            format!("{column}: \"{reference}\" names no document"),
                        ));
                    }
                };
                let found = doc(document).and_then(|d| {
                    d.sets.iter().find_map(|set| {
                        set.span(span).map(|s| Link::of(role, document, &set.id, s))
                    })
                });
                let Some(link) = found else {
                    return Err(ImportError::at(
                        path,
                        &line,
                        format!("{column}: the corpus has no span {document}#{span}"),
                    ));
                };
                if !event.links.contains(&link) {
                    event.links.push(link);
                }
            }
        }
        let date = Some(field("event_date").to_owned()).filter(|d| !d.is_empty());
        for d in &documents {
            event.reports.push(Report {
                document: (*d).to_owned(),
                date: date.clone(),
                event: None,
            });
        }
        out.push(event);
    }
    Ok(out)
}
