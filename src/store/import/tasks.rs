//! Annotation tools' JSON in: doccano's sequence-labelling JSONL (`{"text", "label": [[start,
//! end, "LABEL"], …]}`, or `entities` with `start_offset`/`end_offset` and `relations`, as its
//! relation export writes) and Label Studio's JSON export (tasks with `data.text`, each
//! annotation a human set named by `completed_by`, each prediction a model set named by its
//! `model_version` with its scores; `labels` regions become spans, `relation` regions
//! relations). Both tools count offsets in code points, as Marsad does.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{ImportError, checked_span, document, read_text, set_for};
use crate::model::{AnnotatedDocument, AnnotationSet, Relation};

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".to_owned())
}

/// A JSON id (number or string) as text.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn offset(v: Option<&Value>, what: &str) -> Result<usize, String> {
    v.and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("{what} is not a whole number"))
}

/// doccano's JSONL: one example per line.
pub fn doccano(path: &Path, default_set: &str) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let src = read_text(path)?;
    let mut docs = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let at = format!("line {}", n + 1);
        if raw.trim().is_empty() {
            continue;
        }
        let line: Value = serde_json::from_str(raw).map_err(|e| {
            ImportError::at(path, format!("{at}, column {}", e.column()), e.to_string())
        })?;
        let fail = |what: String| ImportError::at(path, at.clone(), what);
        let text = line
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("no \"text\"".to_owned()))?;
        let id = id_of(line.get("id")).unwrap_or_else(|| format!("{}-{}", stem(path), n + 1));
        let doc = document(&id, text.to_owned());
        let set_id = line
            .get("user")
            .or_else(|| line.get("annotator"))
            .and_then(id_of_value)
            .unwrap_or_else(|| default_set.to_owned());
        let mut set = set_for(&set_id, None);
        let mut by_entity: BTreeMap<String, String> = BTreeMap::new();
        let labels = line.get("label").or_else(|| line.get("labels"));
        for (k, item) in labels
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let triple = item
                .as_array()
                .filter(|t| t.len() == 3)
                .ok_or_else(|| fail(format!("label {}: not [start, end, \"LABEL\"]", k + 1)))?;
            let start = offset(triple.first(), "start").map_err(&fail)?;
            let end = offset(triple.get(1), "end").map_err(&fail)?;
            let label = triple[2]
                .as_str()
                .ok_or_else(|| fail(format!("label {}: the label is not a string", k + 1)))?;
            let span = checked_span(&doc, format!("s{}", k + 1), (start, end), label, None)
                .map_err(&fail)?;
            set.spans.push(span);
        }
        for (k, e) in line
            .get("entities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let start = offset(e.get("start_offset"), "start_offset").map_err(&fail)?;
            let end = offset(e.get("end_offset"), "end_offset").map_err(&fail)?;
            let label = e.get("label").and_then(Value::as_str).unwrap_or_default();
            let name = format!("s{}", set.spans.len() + 1);
            let span = checked_span(&doc, name.clone(), (start, end), label, None)
                .map_err(|w| fail(format!("entity {}: {w}", k + 1)))?;
            if let Some(eid) = id_of(e.get("id")) {
                by_entity.insert(eid, name);
            }
            set.spans.push(span);
        }
        for (k, r) in line
            .get("relations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let end = |key: &str| {
                id_of(r.get(key))
                    .and_then(|e| by_entity.get(&e).cloned())
                    .ok_or_else(|| fail(format!("relation {}: {key} names no entity", k + 1)))
            };
            set.relations.push(Relation {
                id: format!("r{}", k + 1),
                kind: r
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                from: end("from_id")?,
                to: end("to_id")?,
            });
        }
        finish(&mut set);
        let mut out = AnnotatedDocument::new(doc);
        out.sets.push(set);
        docs.push(out);
    }
    Ok(docs)
}

/// Spans in reading order (the order a set keeps).
fn finish(set: &mut AnnotationSet) {
    set.spans
        .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
}

/// A Label Studio task as its export writes it (unknown keys are ignored). Read into these
/// types rather than a `serde_json::Value` tree, which for a large export took gigabytes.
#[derive(Deserialize)]
struct TaskIn {
    #[serde(default)]
    id: Option<Value>,
    data: serde_json::Map<String, Value>,
    #[serde(default)]
    annotations: Vec<AnnotationIn>,
    #[serde(default)]
    predictions: Vec<AnnotationIn>,
}

/// An annotation or a prediction: who or what made it, and its regions.
#[derive(Deserialize)]
struct AnnotationIn {
    #[serde(default)]
    marsad_set: Option<String>,
    #[serde(default)]
    completed_by: Option<Value>,
    #[serde(default)]
    was_cancelled: bool,
    #[serde(default)]
    model_version: Option<Value>,
    #[serde(default)]
    result: Vec<RegionIn>,
}

#[derive(Deserialize)]
struct RegionIn {
    #[serde(default)]
    id: Option<Value>,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    value: Option<ValueIn>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    from_id: Option<Value>,
    #[serde(default)]
    to_id: Option<Value>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct ValueIn {
    #[serde(default)]
    start: Option<Value>,
    #[serde(default)]
    end: Option<Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default, rename = "hypertextlabels")]
    hypertext: Vec<String>,
}

/// Label Studio's JSON export: an array of tasks (or one task).
pub fn label_studio(path: &Path, default_set: &str) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let src = read_text(path)?;
    let located = |e: serde_json::Error| {
        ImportError::at(
            path,
            format!("line {}, column {}", e.line(), e.column()),
            e.to_string(),
        )
    };
    let tasks = match src.trim_start().chars().next() {
        Some('[') => serde_json::from_str::<Vec<TaskIn>>(&src).map_err(located)?,
        Some('{') => vec![serde_json::from_str::<TaskIn>(&src).map_err(located)?],
        _ => {
            return Err(ImportError::at(
                path,
                "file",
                "not a task or a list of tasks",
            ));
        }
    };
    let mut docs = Vec::new();
    for (n, task) in tasks.into_iter().enumerate() {
        let at = format!("task {}", n + 1);
        let fail = |what: String| ImportError::at(path, at.clone(), what);
        let data = &task.data;
        // The text is `data.text`, else the task's only string field.
        let text = data.get("text").and_then(Value::as_str).or_else(|| {
            let strings: Vec<&str> = data.values().filter_map(Value::as_str).collect();
            (strings.len() == 1).then(|| strings[0])
        });
        let text = text.ok_or_else(|| fail("no \"data.text\"".to_owned()))?;
        let id = id_of(data.get("id"))
            .or_else(|| id_of(task.id.as_ref()))
            .unwrap_or_else(|| format!("{}-{}", stem(path), n + 1));
        let doc = document(&id, text.to_owned());
        let mut out = AnnotatedDocument::new(doc);
        for (k, a) in task.annotations.iter().enumerate() {
            if a.was_cancelled {
                continue;
            }
            let set_id = a
                .marsad_set
                .clone()
                .or_else(|| match &a.completed_by {
                    Some(Value::Object(o)) => id_of(o.get("email")).or_else(|| id_of(o.get("id"))),
                    Some(Value::Number(u)) => Some(format!("annotator-{u}")),
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| default_set.to_owned());
            let set = regions(&out.document, &a.result, set_for(&set_id, None))
                .map_err(|w| fail(format!("annotation {}: {w}", k + 1)))?;
            add_set(&mut out, set).map_err(&fail)?;
        }
        for (k, p) in task.predictions.iter().enumerate() {
            let version = p.model_version.as_ref().and_then(id_of_value);
            let set_id = p
                .marsad_set
                .clone()
                .or_else(|| version.clone())
                .unwrap_or_else(|| "model".to_owned());
            let set = regions(&out.document, &p.result, set_for(&set_id, Some(version)))
                .map_err(|w| fail(format!("prediction {}: {w}", k + 1)))?;
            add_set(&mut out, set).map_err(&fail)?;
        }
        docs.push(out);
    }
    Ok(docs)
}

fn id_of_value(v: &Value) -> Option<String> {
    id_of(Some(v))
}

/// A set may come once per task: a second one with the same id is refused.
fn add_set(doc: &mut AnnotatedDocument, set: AnnotationSet) -> Result<(), String> {
    if doc.set(&set.id).is_some() {
        return Err(format!("two annotation sets named \"{}\"", set.id));
    }
    doc.sets.push(set);
    Ok(())
}

/// The `labels` and `relation` regions of one annotation or prediction.
fn regions(
    doc: &crate::model::Document,
    result: &[RegionIn],
    mut set: AnnotationSet,
) -> Result<AnnotationSet, String> {
    let mut by_region: std::collections::HashMap<String, String> = Default::default();
    // The span ids given so far (a set's own lookup is a scan).
    let mut taken: std::collections::HashSet<String> = Default::default();
    for (k, r) in result.iter().enumerate() {
        if !r.kind.ends_with("labels") {
            continue;
        }
        let region = id_of(r.id.as_ref()).unwrap_or_else(|| format!("{}", k + 1));
        let value = r
            .value
            .as_ref()
            .ok_or_else(|| format!("region {region}: no value"))?;
        let start =
            offset(value.start.as_ref(), "start").map_err(|w| format!("region {region}: {w}"))?;
        let end = offset(value.end.as_ref(), "end").map_err(|w| format!("region {region}: {w}"))?;
        let labels: Vec<&String> = value.labels.iter().chain(&value.hypertext).collect();
        if labels.is_empty() {
            return Err(format!("region {region}: no label"));
        }
        for label in labels {
            // The region's id, unless a second label of the region (or another region) has it.
            let mut id = region.clone();
            while taken.contains(&id) {
                id = format!("s{}", set.spans.len() + taken.len() + 1);
            }
            taken.insert(id.clone());
            let mut span =
                checked_span(doc, id.clone(), (start, end), label, value.text.as_deref())?;
            span.confidence = r.score;
            by_region.entry(region.clone()).or_insert(id);
            set.spans.push(span);
        }
    }
    for (k, r) in result.iter().enumerate() {
        if r.kind != "relation" {
            continue;
        }
        let end = |v: &Option<Value>, key: &str| {
            id_of(v.as_ref())
                .and_then(|e| by_region.get(&e).cloned())
                .ok_or_else(|| format!("relation {}: {key} names no region", k + 1))
        };
        let kind = r.labels.first().map_or("related", String::as_str);
        let (from, to) = (end(&r.from_id, "from_id")?, end(&r.to_id, "to_id")?);
        let (from, to) = if r.direction.as_deref() == Some("left") {
            (to, from)
        } else {
            (from, to)
        };
        set.relations.push(Relation {
            id: format!("r{}", set.relations.len() + 1),
            kind: kind.to_owned(),
            from,
            to,
        });
    }
    finish(&mut set);
    Ok(set)
}
