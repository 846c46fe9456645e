//! Annotation-tool imports: doccano's sequence-labelling JSONL (`{"text", "label": [[start,
//! end, "LABEL"], …]}`) and Label Studio's JSON tasks (`data.text` plus one annotation whose
//! `result` holds `labels` regions and `relation` links; a model's set goes under `predictions`
//! with its scores). Both tools count offsets in code points, as Marsad does.

use serde::Serialize;

use super::Item;
use crate::model::Source;

#[derive(Serialize)]
struct DoccanoLine<'a> {
    id: &'a str,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

/// One doccano line (sequence labelling; extra keys become the example's metadata).
pub fn doccano(item: &Item<'_>, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let line = DoccanoLine {
        id: &item.doc.document.meta.id,
        text: item.doc.document.text(),
        label: item
            .spans
            .iter()
            .map(|c| {
                (
                    item.offsets.from_char(c.span.start),
                    item.offsets.from_char(c.span.end),
                    c.span.label.as_str(),
                )
            })
            .collect(),
    };
    serde_json::to_writer(out, &line)
}

#[derive(Serialize)]
struct Task<'a> {
    data: TaskData<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    annotations: Vec<Annotation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    predictions: Vec<Prediction<'a>>,
}

#[derive(Serialize)]
struct TaskData<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    result: Vec<Region<'a>>,
    /// Marsad's set id (Label Studio keeps unknown keys).
    marsad_set: &'a str,
    /// The coder, by name.
    completed_by: &'a str,
}

#[derive(Serialize)]
struct Prediction<'a> {
    model_version: String,
    /// Marsad's set id, as on annotations.
    marsad_set: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    result: Vec<Region<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Region<'a> {
    Labels {
        id: &'a str,
        from_name: &'static str,
        to_name: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: LabelValue<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
    },
    Relation {
        from_id: &'a str,
        to_id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        direction: &'static str,
        labels: [&'a str; 1],
    },
}

#[derive(Serialize)]
struct LabelValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

/// One Label Studio task: the document's text once, with each human set as an annotation
/// (`completed_by` is the coder's name, as Label Studio keeps an unknown user) and each model
/// set as a prediction, on the same task — as Label Studio users review a model. The
/// labelling config it fits names the `<Labels>` tag `label` and the `<Text>` tag `text`,
/// with `<Relations>` for the relation kinds.
pub fn label_studio(items: &[Item<'_>], out: &mut Vec<u8>) -> serde_json::Result<()> {
    let Some(first) = items.first() else {
        return Ok(());
    };
    let meta = &first.doc.document.meta;
    let mut task = Task {
        data: TaskData {
            id: &meta.id,
            text: first.doc.document.text(),
            title: meta.title.as_deref(),
        },
        annotations: Vec::new(),
        predictions: Vec::new(),
    };
    for item in items {
        add_set(&mut task, item);
    }
    serde_json::to_writer(out, &task)
}

/// One set's regions, as an annotation or a prediction of the task.
fn add_set<'a>(task: &mut Task<'a>, item: &'a Item<'a>) {
    let mut result: Vec<Region<'_>> = item
        .spans
        .iter()
        .map(|c| Region::Labels {
            id: &c.span.id,
            from_name: "label",
            to_name: "text",
            kind: "labels",
            value: LabelValue {
                start: item.offsets.from_char(c.span.start),
                end: item.offsets.from_char(c.span.end),
                text: &c.span.text,
                labels: [&c.span.label],
            },
            score: c.span.confidence,
        })
        .collect();
    result.extend(item.set.relations.iter().map(|r| Region::Relation {
        from_id: &r.from,
        to_id: &r.to,
        kind: "relation",
        direction: "right",
        labels: [&r.kind],
    }));
    match &item.set.source {
        Source::Human { annotator } => task.annotations.push(Annotation {
            result,
            marsad_set: &item.set.id,
            completed_by: annotator,
        }),
        Source::Model { name, version } => {
            let scores: Vec<f64> = item
                .spans
                .iter()
                .filter_map(|c| c.span.confidence)
                .collect();
            let score =
                (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
            task.predictions.push(Prediction {
                marsad_set: &item.set.id,
                model_version: match version {
                    Some(v) => format!("{name} {v}"),
                    None => name.clone(),
                },
                score,
                result,
            });
        }
    }
}
