//! UIMA CAS XMI, the exchange format of INCEpTION and DKPro: per document `ID.xmi` (the text
//! as the Sofa, each span a `webanno.custom.MarsadSpan` annotation with its label, note and
//! attributes as features, each relation a `webanno.custom.MarsadRelation` whose `Governor`
//! and `Dependent` point at spans, as INCEpTION's relation layers do), and one
//! `TypeSystem.xml` declaring both types from the schema — what INCEpTION's custom span and
//! relation layers import. Offsets are UTF-16 code units, as UIMA (Java) counts them.
//!
//! XML 1.0 cannot hold most control characters (U+0000, U+0001 …) even escaped: a text or a
//! value with one is refused with its offset.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Item;
use crate::model::{AttrType, AttrValue, LabelSchema};
use crate::offsets::{Offsets, Unit};

/// The span type's name.
pub const SPAN_TYPE: &str = "webanno.custom.MarsadSpan";
/// The relation type's name.
pub const RELATION_TYPE: &str = "webanno.custom.MarsadRelation";

/// Feature names UIMA keeps for itself (an attribute of that name cannot be a feature).
const RESERVED: [&str; 6] = ["begin", "end", "sofa", "label", "note", "id"];

/// Whether `name` can be a UIMA feature: a Java identifier that is not reserved.
pub fn feature_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name)
}

/// The UIMA range type of each attribute of the schema (String where labels disagree).
fn features(schema: &LabelSchema) -> BTreeMap<&str, &'static str> {
    let mut out: BTreeMap<&str, &'static str> = BTreeMap::new();
    for attr in schema.labels.iter().flat_map(|l| &l.attributes) {
        if !feature_name(&attr.name) {
            continue;
        }
        let ty = match attr.ty {
            AttrType::Bool => "uima.cas.Boolean",
            AttrType::Integer => "uima.cas.Integer",
            AttrType::Enum(_) | AttrType::String => "uima.cas.String",
        };
        let entry = out.entry(&attr.name).or_insert(ty);
        if *entry != ty {
            *entry = "uima.cas.String";
        }
    }
    out
}

fn feature(out: &mut String, name: &str, range: &str) {
    let _ = write!(
        out,
        "<featureDescription><name>{name}</name><description/><rangeTypeName>{range}</rangeTypeName></featureDescription>"
    );
}

/// `TypeSystem.xml` for a schema: the span type with `label`, `note` and one feature per
/// attribute, and the relation type with `label`, `Governor` and `Dependent`.
pub fn type_system(schema: &LabelSchema) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<typeSystemDescription xmlns=\"http://uima.apache.org/resourceSpecifier\"><types>",
    );
    let _ = write!(
        out,
        "<typeDescription><name>{SPAN_TYPE}</name><description>Marsad spans</description><supertypeName>uima.tcas.Annotation</supertypeName><features>"
    );
    feature(&mut out, "label", "uima.cas.String");
    feature(&mut out, "note", "uima.cas.String");
    for (name, range) in features(schema) {
        feature(&mut out, name, range);
    }
    out.push_str("</features></typeDescription>");
    let _ = write!(
        out,
        "<typeDescription><name>{RELATION_TYPE}</name><description>Marsad relations</description><supertypeName>uima.tcas.Annotation</supertypeName><features>"
    );
    feature(&mut out, "label", "uima.cas.String");
    feature(&mut out, "Governor", SPAN_TYPE);
    feature(&mut out, "Dependent", SPAN_TYPE);
    out.push_str("</features></typeDescription></types></typeSystemDescription>\n");
    out
}

/// `s` as an XML attribute value; `Err(offset)` at a character XML 1.0 cannot hold.
fn escaped(s: &str) -> Result<String, usize> {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => return Err(i),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// One document's XMI, or why it cannot be written.
pub fn document(item: &Item<'_>) -> Result<String, String> {
    let text = item.doc.document.text();
    let utf16 = Offsets::new(text, Unit::Utf16);
    let sofa = escaped(text).map_err(|at| {
        format!("the text has a control character at offset {at}, which XML 1.0 cannot hold")
    })?;
    let known = features(item.schema);
    let mut out = String::with_capacity(text.len() * 3);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmlns:cas=\"http:///uima/cas.ecore\" xmlns:custom=\"http:///webanno/custom.ecore\" xmi:version=\"2.0\"><cas:NULL xmi:id=\"0\"/>",
    );
    let _ = write!(
        out,
        "<cas:Sofa xmi:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" mimeType=\"text\" sofaString=\"{sofa}\"/>"
    );
    let mut members = Vec::new();
    let mut xmi_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, c) in item.spans.iter().enumerate() {
        let span = c.span;
        let id = k + 2;
        xmi_of.insert(&span.id, id);
        members.push(id);
        let value = |s: &str, what: &str| {
            escaped(s).map_err(|at| {
                format!(
                    "span {}: its {what} has a control character at {at}, which XML 1.0 cannot hold",
                    span.id
                )
            })
        };
        let _ = write!(
            out,
            "<custom:MarsadSpan xmi:id=\"{id}\" sofa=\"1\" begin=\"{}\" end=\"{}\" label=\"{}\"",
            utf16.from_char(span.start),
            utf16.from_char(span.end),
            value(&span.label, "label")?
        );
        if let Some(note) = &span.note {
            let _ = write!(out, " note=\"{}\"", value(note, "note")?);
        }
        for (name, v) in &span.attrs {
            if !known.contains_key(name.as_str()) {
                continue;
            }
            let shown = match v {
                AttrValue::Str(s) => value(s, name)?,
                other => other.to_string(),
            };
            let _ = write!(out, " {name}=\"{shown}\"");
        }
        out.push_str("/>");
    }
    let mut next = item.spans.len() + 2;
    for r in &item.set.relations {
        let (Some(&g), Some(&d)) = (xmi_of.get(r.from.as_str()), xmi_of.get(r.to.as_str())) else {
            continue;
        };
        let dependent = item.spans[d - 2].span;
        let label = escaped(&r.kind).map_err(|_| format!("relation {}: its kind", r.id))?;
        let _ = write!(
            out,
            "<custom:MarsadRelation xmi:id=\"{next}\" sofa=\"1\" begin=\"{}\" end=\"{}\" label=\"{label}\" Governor=\"{g}\" Dependent=\"{d}\"/>",
            utf16.from_char(dependent.start),
            utf16.from_char(dependent.end),
        );
        members.push(next);
        next += 1;
    }
    let members: Vec<String> = members.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "<cas:View sofa=\"1\" members=\"{}\"/></xmi:XMI>",
        members.join(" ")
    );
    Ok(out)
}

/// Attribute names of the schema that cannot be UIMA features (left out of the export).
pub fn unwritable(schema: &LabelSchema) -> Vec<String> {
    let mut out: Vec<String> = schema
        .labels
        .iter()
        .flat_map(|l| &l.attributes)
        .filter(|a| !feature_name(&a.name))
        .map(|a| a.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}
