//! The `marsad/1` file format: the serde structs that are the file, in JSON or RON, and the
//! conversion between them and the model.
//!
//! Field names and order are those of DESIGN.md §4; output is pretty-printed and deterministic
//! (the same model always gives the same bytes), so that files diff and merge well.

use serde::{Deserialize, Serialize};

use crate::model::{
    AnnotatedDocument, AnnotationSet, Document, DocumentMeta, ImportNote, LabelSchema, Location,
    Problem,
};

/// The format version this build reads and writes.
pub const FORMAT: &str = "marsad/1";

/// The syntax of a file, chosen by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Ron,
}

impl Syntax {
    /// `.json` or `.ron` (any case); `None` for anything else.
    pub fn from_path(path: &std::path::Path) -> Option<Syntax> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Syntax::Json),
            "ron" => Some(Syntax::Ron),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    format: String,
    document: DocumentIn,
    #[serde(default)]
    schema: Option<LabelSchema>,
    #[serde(default)]
    annotations: Vec<AnnotationSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentIn {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    language: String,
    text: String,
    text_sha256: String,
    #[serde(default)]
    import: Option<ImportNote>,
}

/// Only the version field, to tell "a newer format" from "a broken file".
#[derive(Deserialize)]
struct Header {
    format: String,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'a str,
    document: DocumentOut<'a>,
    schema: &'a Option<LabelSchema>,
    annotations: &'a [AnnotationSet],
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    id: &'a str,
    title: &'a Option<String>,
    source: &'a Option<String>,
    url: &'a Option<String>,
    published: &'a Option<String>,
    language: &'a str,
    text: &'a str,
    text_sha256: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: &'a Option<ImportNote>,
}

/// Serialises a document; the bytes depend only on the model.
pub fn to_string(doc: &AnnotatedDocument, syntax: Syntax) -> Result<String, String> {
    serialize(&file_out(doc), syntax)
}

/// The file as it is written.
fn file_out(doc: &AnnotatedDocument) -> FileOut<'_> {
    let meta = &doc.document.meta;
    FileOut {
        format: FORMAT,
        document: DocumentOut {
            id: &meta.id,
            title: &meta.title,
            source: &meta.source,
            url: &meta.url,
            published: &meta.published,
            language: &meta.language,
            text: doc.document.text(),
            text_sha256: doc.document.text_sha256(),
            import: &meta.import,
        },
        schema: &doc.schema,
        annotations: &doc.sets,
    }
}

/// The keys whose values are lists in `marsad/1` files and schema files; a list anywhere
/// else stands where an object belongs (serde would read a struct from a list of its fields
/// in order, so `["s1", 0, 5, …]` would pass for a span).
const LIST_KEYS: [&str; 18] = [
    "annotations",
    "decisions",
    "conflicts",
    "spans",
    "relations",
    "events",
    "perpetrators",
    "targets",
    "places",
    "casualties",
    "claims",
    "labels",
    "attributes",
    "event_types",
    "from",
    "to",
    "sub_types",
    "Enum",
];

/// Walks a JSON text without building it, allowing lists only under [`LIST_KEYS`] (and never
/// directly in a list); `path` is where it is, `found` where a list should not be.
struct Walk<'a> {
    path: &'a mut String,
    found: &'a mut Option<String>,
    list_ok: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// A key, compared in place (no copy unless it has escapes).
struct Key;

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = (bool, String);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for Key {
    type Value = (bool, String);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok((LIST_KEYS.contains(&key), key.to_owned()))
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if !self.list_ok {
            *self.found = Some(self.path.clone());
            return Err(serde::de::Error::custom("a list where an object belongs"));
        }
        let mut i = 0;
        loop {
            let len = self.path.len();
            self.path.push_str(&format!("[{i}]"));
            let next = seq.next_element_seed(Walk {
                path: self.path,
                found: self.found,
                list_ok: false,
            })?;
            self.path.truncate(len);
            if next.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some((list_ok, key)) = map.next_key_seed(Key)? {
            let len = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&key);
            map.next_value_seed(Walk {
                path: self.path,
                found: self.found,
                list_ok,
            })?;
            self.path.truncate(len);
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
}

/// Refuses a JSON file (a document or a schema) that gives a list in place of an object,
/// naming the first place.
pub fn check_named_fields(src: &str) -> Result<(), Problem> {
    let (mut path, mut found) = (String::new(), None);
    let mut de = serde_json::Deserializer::from_str(src);
    let walk = Walk {
        path: &mut path,
        found: &mut found,
        list_ok: false,
    };
    let _ = serde::de::DeserializeSeed::deserialize(walk, &mut de);
    match found {
        Some(path) => Err(Problem::new(
            Location::Path(path),
            "a list where an object with named fields belongs",
        )),
        None => Ok(()),
    }
}

/// Serialises any value the way documents are written (used for schema files too).
pub fn serialize<T: Serialize>(value: &T, syntax: Syntax) -> Result<String, String> {
    let mut out = match syntax {
        Syntax::Json => serde_json::to_string_pretty(value).map_err(|e| e.to_string())?,
        Syntax::Ron => {
            let config = ron::ser::PrettyConfig::new()
                .indentor("  ")
                .new_line("\n")
                .escape_strings(false)
                .compact_maps(true);
            ron::ser::to_string_pretty(value, config).map_err(|e| e.to_string())?
        }
    };
    out.push('\n');
    Ok(out)
}

/// A parsed document and the problems found while building it (a stored hash that does not
/// match the text). Schema validation comes after.
#[derive(Debug)]
pub struct Parsed {
    pub doc: AnnotatedDocument,
    pub problems: Vec<Problem>,
}

/// Parses a document file's text. `Err` when no document could be built (syntax, structure,
/// version); the document is not yet validated against a schema.
pub fn from_str(src: &str, syntax: Syntax) -> Result<Parsed, Vec<Problem>> {
    let file: FileIn = match deserialize(src, syntax) {
        Ok(file) => file,
        Err(syntax_problem) => {
            // A file of another version may fail to parse as marsad/1: say which version it is.
            if let Ok(header) = deserialize::<Header>(src, syntax)
                && header.format != FORMAT
            {
                return Err(vec![unsupported(&header.format)]);
            }
            return Err(vec![syntax_problem]);
        }
    };
    if file.format != FORMAT {
        return Err(vec![unsupported(&file.format)]);
    }
    let d = file.document;
    let meta = DocumentMeta {
        id: d.id,
        title: d.title,
        source: d.source,
        url: d.url,
        published: d.published,
        language: d.language,
        import: d.import,
    };
    let document = Document::new(meta, d.text);
    let mut problems = Vec::new();
    if document.text_sha256() != d.text_sha256 {
        problems.push(Problem::new(
            Location::Field("document"),
            format!(
                "text_sha256 {} does not match the text, whose SHA-256 is {}",
                d.text_sha256,
                document.text_sha256()
            ),
        ));
    }
    let doc = AnnotatedDocument {
        document,
        schema: file.schema,
        sets: file.annotations,
    };
    if syntax == Syntax::Json {
        check_named_fields(src).map_err(|p| vec![p])?;
    }
    Ok(Parsed { doc, problems })
}

/// Only what the annotation sets of a document say, without reading its text into memory or
/// checking it: what team progress needs from each of thousands of files.
#[derive(Deserialize)]
struct SetsIn {
    format: String,
    #[serde(default)]
    annotations: Vec<AnnotationSet>,
}

/// The annotation sets of a document's file, unchecked (the text is skipped, not kept).
pub fn sets_only(src: &str, syntax: Syntax) -> Result<Vec<AnnotationSet>, Vec<Problem>> {
    let file: SetsIn = deserialize(src, syntax).map_err(|p| vec![p])?;
    if file.format != FORMAT {
        return Err(vec![unsupported(&file.format)]);
    }
    Ok(file.annotations)
}

fn unsupported(found: &str) -> Problem {
    Problem::new(
        Location::Field("format"),
        format!("unsupported format version \"{found}\" (this build reads {FORMAT})"),
    )
}

/// Parses a JSON or RON value, turning a failure into a problem at line:column (columns count
/// characters).
pub fn deserialize<T: serde::de::DeserializeOwned>(
    src: &str,
    syntax: Syntax,
) -> Result<T, Problem> {
    match syntax {
        Syntax::Json => serde_json::from_str(src).map_err(|e| {
            let column = char_column(src, e.line(), e.column());
            let message = strip_position(&e.to_string());
            Problem::new(
                Location::Position {
                    line: e.line(),
                    column,
                },
                message,
            )
        }),
        Syntax::Ron => ron::from_str(src).map_err(|e| {
            Problem::new(
                Location::Position {
                    line: e.span.start.line,
                    column: e.span.start.col,
                },
                match e.code {
                    // ron's own text names a crate and an option; the user needs the fact.
                    ron::Error::ExceededRecursionLimit => {
                        "nested too deeply (more than 128 levels)".to_owned()
                    }
                    ref code => lowercase_first(&code.to_string()),
                },
            )
        }),
    }
}

/// serde_json counts columns in bytes; people count characters.
fn char_column(src: &str, line: usize, byte_column: usize) -> usize {
    let Some(text) = src.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let chars = text[..end].chars().count();
    // A column inside a multi-byte character points at that character.
    if end < byte_column.min(text.len()) {
        chars + 1
    } else {
        chars
    }
}

/// serde_json appends " at line L column C"; the location is printed separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !s.starts_with("RON") => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn sample() -> AnnotatedDocument {
        notation::parse("[ACTOR kind=REBEL named=true|جماعة “نصرة الإسلام و المسلمين”] [CLAIM|تتبنى] عملية ضد [ACTOR kind=STATE|الجيش] في [PLACE level=COUNTRY|مالي]")
            .expect("notation")
            .to_document("mali-sinsgaji-jnim", "coder-a")
    }

    #[test]
    fn json_and_ron_read_back_what_they_wrote() {
        let doc = sample();
        for syntax in [Syntax::Json, Syntax::Ron] {
            let text = to_string(&doc, syntax).expect("write");
            let back = from_str(&text, syntax).expect("read").doc;
            assert_eq!(back, doc, "{syntax:?}");
            assert_eq!(to_string(&back, syntax).expect("write"), text);
        }
    }

    #[test]
    fn ron_follows_the_design_layout() {
        let ron = to_string(&sample(), Syntax::Ron).expect("write");
        assert!(
            ron.starts_with(
                "(\n  format: \"marsad/1\",\n  document: (\n    id: \"mali-sinsgaji-jnim\",\n"
            ),
            "{ron}"
        );
        assert!(ron.contains("source: Human(\n"), "{ron}");
        assert!(
            ron.contains("attrs: {\"kind\": \"REBEL\", \"named\": true},"),
            "{ron}"
        );
        assert!(ron.contains("schema: None,"), "{ron}");
        assert!(
            ron.contains("text: \"الجيش\""),
            "Arabic is written as is: {ron}"
        );
    }

    #[test]
    fn json_syntax_errors_give_line_and_character_column() {
        let err = from_str("{\n  \"format\": \"مالي\" x\n}", Syntax::Json).expect_err("bad");
        assert_eq!(err.len(), 1);
        assert_eq!(
            err[0].location,
            Location::Position {
                line: 2,
                column: 20
            }
        );
    }

    #[test]
    fn a_newer_format_is_named_not_misparsed() {
        let err =
            from_str("{\"format\": \"marsad/2\", \"pages\": []}", Syntax::Json).expect_err("v2");
        assert_eq!(
            err[0].to_string(),
            "format: unsupported format version \"marsad/2\" (this build reads marsad/1)"
        );
    }

    #[test]
    fn a_wrong_hash_is_reported() {
        let json = to_string(&sample(), Syntax::Json)
            .expect("write")
            .replace(sample().document.text_sha256(), &"0".repeat(64));
        let err = from_str(&json, Syntax::Json).expect("parsed").problems;
        assert!(err[0].message.starts_with("text_sha256 0000"), "{}", err[0]);
    }
}
