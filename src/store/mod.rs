//! Files: the `marsad/1` format in JSON or RON (by extension), plain-text import, schema files,
//! and atomic saving.
//!
//! Loading collects every problem of a file — syntax, version, hash, offsets, covered text,
//! labels, attributes, ids, references — and reports them together, each with its place.
//! Saving never leaves a half-written file.

pub mod atomic;
pub mod corpus_events;
pub mod export;
pub mod format;
pub mod git;
pub mod import;
pub mod merge;
pub mod predictions;
pub mod recovery;
pub mod registry;
pub mod team;
pub mod text_import;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::{AnnotatedDocument, Document, DocumentMeta, LabelSchema, Location, Problem};

pub use atomic::{write_atomic, write_atomic_new};
pub use format::{FORMAT, Syntax};
pub use recovery::{fingerprint, recovery_path};
pub use text_import::decode_text;

/// Files above this size are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The names a project's own schema file may have, looked for beside its documents.
pub const PROJECT_SCHEMA_FILES: [&str; 2] = ["marsad-schema.ron", "marsad-schema.json"];

/// Everything wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct LoadError {
    pub path: PathBuf,
    /// At least one problem.
    pub problems: Vec<Problem>,
}

impl LoadError {
    fn one(path: &Path, location: Location, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            problems: vec![Problem::new(location, message)],
        }
    }

    /// One line per problem: `<file>: <where>: <what>`.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.problems
            .iter()
            .map(|p| format!("{}: {p}", self.path.display()))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.lines().collect();
        f.write_str(&lines.join("\n"))
    }
}

#[derive(Debug, Error)]
pub enum SaveError {
    #[error("{path}: file: cannot save here: the extension must be .json or .ron")]
    Extension { path: PathBuf },
    #[error("{path}: file: cannot serialise the document: {message}")]
    Serialize { path: PathBuf, message: String },
    #[error("{path}: file: the file exists; use --force to replace it")]
    Exists { path: PathBuf },
    #[error(
        "{path}: file: not written: it would be {bytes} bytes, above the {MAX_FILE_BYTES} that \
         Marsad reads (save it as .ron, which is smaller, or split the document)"
    )]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{path}: file: cannot write: {}", io_message(error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// One entry of a folder, as a file browser lists it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FolderEntry {
    /// Folders first, then files, each by name.
    pub is_dir: bool,
    pub name: String,
}

/// The folders and the files of `dir` (hidden ones left out), folders first, each by name.
pub fn list_folder(dir: &Path) -> Result<Vec<FolderEntry>, LoadError> {
    let read =
        fs::read_dir(dir).map_err(|e| LoadError::one(dir, Location::File, io_message(&e)))?;
    let mut entries: Vec<FolderEntry> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (!name.starts_with('.')).then(|| FolderEntry {
                is_dir: e.path().is_dir(),
                name,
            })
        })
        .collect();
    entries.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(entries)
}

/// Makes the folder `path` is to be written in, and its parents, when they are missing (an
/// export to a new folder).
pub fn make_parent_folder(path: &Path) -> Result<(), SaveError> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => fs::create_dir_all(dir).map_err(|error| SaveError::Io {
            path: dir.to_owned(),
            error,
        }),
        _ => Ok(()),
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]: a folder, a device, a FIFO or a socket
/// is refused before it is opened (reading one would never end or block), and the read itself
/// is bounded, in case the file grows meanwhile.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let fail = |what: String| LoadError::one(path, Location::File, what);
    let meta = fs::metadata(path).map_err(|e| fail(io_message(&e)))?;
    if meta.is_dir() {
        return Err(fail("is a folder, not a file".to_owned()));
    }
    if !meta.is_file() {
        return Err(fail(
            "is not a regular file (a device, a pipe or a socket); only files are read".to_owned(),
        ));
    }
    let too_large =
        |n: u64| format!("the file is too large ({n} bytes; the limit is {MAX_FILE_BYTES})");
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(too_large(meta.len())));
    }
    let file = fs::File::open(path).map_err(|e| fail(io_message(&e)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| fail(io_message(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(too_large(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text (a byte-order mark dropped), refusing what is missing, a folder,
/// too large, empty or not UTF-8 — each with the file and the place named.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = read_bytes(path)?;
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes.as_slice(), 0),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        LoadError::one(
            path,
            Location::Byte(bom + e.valid_up_to()),
            "invalid UTF-8 (files must be UTF-8)",
        )
    })?;
    if text.trim().is_empty() {
        return Err(LoadError::one(path, Location::File, "the file is empty"));
    }
    Ok(text.to_owned())
}

/// An OS error as one short lowercase phrase: without "(os error N)" and without the temp
/// file's path that tempfile adds (the message names the user's file instead).
pub(crate) fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let full = e.to_string();
            let text = full.split(" at path ").next().unwrap_or(&full);
            let text = match text.find(" (os error ") {
                Some(at) => &text[..at],
                None => text,
            };
            lowercase(text)
        }
    }
}

fn lowercase(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn syntax_of(path: &Path) -> Result<Syntax, LoadError> {
    Syntax::from_path(path).ok_or_else(|| {
        LoadError::one(
            path,
            Location::File,
            "unknown extension (documents are .json or .ron, articles .txt)",
        )
    })
}

/// Loads and fully validates a `marsad/1` document (`.json` or `.ron`). `project` is the schema
/// in force unless the document carries its own.
pub fn load(path: &Path, project: &LabelSchema) -> Result<AnnotatedDocument, LoadError> {
    let src = read_text(path)?;
    let syntax = syntax_of(path)?;
    parse(&src, syntax, project).map_err(|problems| LoadError {
        path: path.to_owned(),
        problems,
    })
}

/// Parses and fully validates a document's text in `syntax` (what [`load`] does once the
/// file is read).
pub fn parse(
    src: &str,
    syntax: Syntax,
    project: &LabelSchema,
) -> Result<AnnotatedDocument, Vec<Problem>> {
    let checked = |src: &str| -> Result<AnnotatedDocument, Vec<Problem>> {
        let parsed = format::from_str(src, syntax)?;
        let mut problems = parsed.problems;
        problems.extend(parsed.doc.validate(project));
        if problems.is_empty() {
            Ok(parsed.doc)
        } else {
            Err(problems)
        }
    };
    let as_written = checked(src);
    // A checkout with `core.autocrlf` turns the file's line ends into CR LF, and in RON the
    // document's text is a raw string spanning lines, so its newlines change too. Texts are
    // LF-only from import on: when the file as written fails and the same file with LF line
    // ends is valid (its text hash included), it is that file.
    match as_written {
        Err(problems) if src.contains("\r\n") => {
            checked(&src.replace("\r\n", "\n")).map_err(|_| problems)
        }
        other => other,
    }
}

/// Imports a plain-text article as a document without annotations. The id defaults to the
/// file's stem and the language to `ar`; `meta` fields that are set take precedence.
pub fn import_text(path: &Path, meta: DocumentMeta) -> Result<Document, LoadError> {
    let bytes = read_bytes(path)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (text, note) = decode_text(&bytes, &file_name).map_err(|p| LoadError {
        path: path.to_owned(),
        problems: vec![p],
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let meta = DocumentMeta {
        id: if meta.id.is_empty() { stem } else { meta.id },
        language: if meta.language.is_empty() {
            "ar".to_owned()
        } else {
            meta.language
        },
        import: Some(note),
        ..meta
    };
    Ok(Document::new(meta, text))
}

/// Opens what a user may point at: a document (`.json`/`.ron`) or a plain-text article.
pub fn open(path: &Path, project: &LabelSchema) -> Result<AnnotatedDocument, LoadError> {
    if is_text_file(path) {
        import_text(path, DocumentMeta::default()).map(AnnotatedDocument::new)
    } else {
        load(path, project)
    }
}

/// True for `.txt` files, which are imported rather than loaded.
pub fn is_text_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Serialises a document for `path`'s syntax and writes it atomically.
pub fn save(path: &Path, doc: &AnnotatedDocument) -> Result<(), SaveError> {
    save_with(path, doc, true)
}

/// Like [`save`]; with `replace` false an existing file is never replaced.
pub fn save_with(path: &Path, doc: &AnnotatedDocument, replace: bool) -> Result<(), SaveError> {
    save_limited(path, doc, replace, MAX_FILE_BYTES)
}

/// [`save_with`] refusing to write more than `limit` bytes.
fn save_limited(
    path: &Path,
    doc: &AnnotatedDocument,
    replace: bool,
    limit: u64,
) -> Result<(), SaveError> {
    let syntax = Syntax::from_path(path).ok_or_else(|| SaveError::Extension {
        path: path.to_owned(),
    })?;
    let text = format::to_string(doc, syntax).map_err(|message| SaveError::Serialize {
        path: path.to_owned(),
        message,
    })?;
    // Never write what would not be read back.
    if text.len() as u64 > limit {
        return Err(SaveError::TooLarge {
            path: path.to_owned(),
            bytes: text.len() as u64,
        });
    }
    let written = if replace {
        write_atomic(path, text.as_bytes())
    } else {
        write_atomic_new(path, text.as_bytes())
    };
    written.map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => SaveError::Exists {
            path: path.to_owned(),
        },
        _ => SaveError::Io {
            path: path.to_owned(),
            error,
        },
    })
}

/// Loads a schema file (`.ron` or `.json`) and checks it.
pub fn load_schema(path: &Path) -> Result<LabelSchema, LoadError> {
    let src = read_text(path)?;
    let syntax = syntax_of(path)?;
    parse_schema(&src, syntax).map_err(|problems| LoadError {
        path: path.to_owned(),
        problems,
    })
}

/// Parses and checks a schema's text in `syntax` (what [`load_schema`] does once the file
/// is read).
pub fn parse_schema(src: &str, syntax: Syntax) -> Result<LabelSchema, Vec<Problem>> {
    let schema: LabelSchema = format::deserialize(src, syntax)
        .and_then(|schema| {
            if syntax == Syntax::Json {
                format::check_named_fields(src)?;
            }
            Ok(schema)
        })
        .map_err(|p| vec![p])?;
    let problems: Vec<Problem> = schema
        .problems()
        .into_iter()
        .map(|m| Problem::new(Location::Schema, m))
        .collect();
    if problems.is_empty() {
        Ok(schema)
    } else {
        Err(problems)
    }
}

/// The documents (`.json`, `.ron`) in a folder and its subfolders, sorted by name; hidden
/// files (recovery and temp files), schema files, the team manifest and the corpus's events
/// are skipped, links followed. What could not be read is returned beside them.
pub fn documents_in(dir: &Path) -> (Vec<PathBuf>, Vec<LoadError>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || e.depth() == 1 && e.file_name() == corpus_events::EVENTS_DIR)
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(dir).to_owned();
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                problems.push(LoadError::one(
                    &at,
                    Location::File,
                    format!("cannot read: {why}"),
                ));
                continue;
            }
        };
        let p = entry.path();
        let is_schema = PROJECT_SCHEMA_FILES
            .iter()
            .chain([&team::MANIFEST, &registry::REGISTRY_FILE])
            .any(|n| p.file_name().is_some_and(|f| f == *n));
        if entry.file_type().is_file() && Syntax::from_path(p).is_some() && !is_schema {
            files.push(p.to_owned());
        }
    }
    (files, problems)
}

/// The project schema file in `dir` (`marsad-schema.ron` or `.json`), if there is one.
pub fn project_schema_file(dir: &Path) -> Option<PathBuf> {
    PROJECT_SCHEMA_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// The project schema for documents in `dir`: the nearest schema file in `dir` or one of its
/// parent folders, if any.
pub fn project_schema(dir: &Path) -> Result<Option<LabelSchema>, LoadError> {
    match dir.ancestors().find_map(project_schema_file) {
        Some(path) => load_schema(&path).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    #[test]
    fn a_document_too_large_to_read_back_is_not_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let doc = notation::parse("[ACTOR|الجيش] قصف")
            .expect("notation")
            .to_document("t", "a");
        let path = dir.path().join("big.json");
        let err = save_limited(&path, &doc, true, 100).expect_err("over the limit");
        assert!(
            err.to_string().contains("big.json: file: not written"),
            "{err}"
        );
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_being_opened() {
        for dev in ["/dev/zero", "/dev/null"] {
            let err = read_text(Path::new(dev)).expect_err("a device");
            assert!(err.to_string().contains("is not a regular file"), "{err}");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO with no writer would block forever.
            let err = read_text(&fifo).expect_err("a pipe");
            assert!(err.to_string().contains("is not a regular file"), "{err}");
        }
    }

    fn sample() -> AnnotatedDocument {
        notation::parse("[ACTOR kind=REBEL|الجماعة] [CLAIM|تتبنى] هجوما في [PLACE|سيكاسو]")
            .expect("notation")
            .to_document("t", "coder-a")
    }

    #[test]
    fn save_then_load_in_both_syntaxes() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["doc.json", "doc.ron", "DOC.JSON"] {
            let path = dir.path().join(name);
            save(&path, &sample()).expect("save");
            assert_eq!(load(&path, LabelSchema::builtin()).expect("load"), sample());
        }
    }

    #[test]
    fn unknown_extensions_are_refused_both_ways() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.yaml");
        assert!(matches!(
            save(&path, &sample()),
            Err(SaveError::Extension { .. })
        ));
        fs::write(&path, "format: marsad/1").expect("write");
        let err = load(&path, LabelSchema::builtin()).expect_err("yaml");
        assert!(err.to_string().contains("unknown extension"), "{err}");
    }

    #[test]
    fn load_reports_the_file_and_every_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.json");
        let mut doc = sample();
        doc.sets[0].spans[0].label = "PERSON".into();
        doc.sets[0].spans[2].text = "باماكو".into();
        save(&path, &doc).expect("save");
        let err = load(&path, LabelSchema::builtin()).expect_err("invalid");
        let lines: Vec<String> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with(&format!(
            "{}: span coder-a/s1: unknown label",
            path.display()
        )));
        assert!(lines[1].contains("span coder-a/s3: span text \"باماكو\" does not match"));
    }

    #[test]
    fn missing_empty_and_non_utf8_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("none.json");
        let err = load(&missing, LabelSchema::builtin()).expect_err("missing");
        assert_eq!(err.problems[0].to_string(), "file: no such file");
        let empty = dir.path().join("empty.ron");
        fs::write(&empty, "\n").expect("write");
        let err = load(&empty, LabelSchema::builtin()).expect_err("empty");
        assert_eq!(err.problems[0].to_string(), "file: the file is empty");
        let binary = dir.path().join("bin.json");
        fs::write(&binary, b"{\"format\": \"\xFF\"}").expect("write");
        let err = load(&binary, LabelSchema::builtin()).expect_err("binary");
        assert_eq!(err.problems[0].location, Location::Byte(12));
        fs::write(&binary, b"\xEF\xBB\xBF{\"format\": \"\xFF\"}").expect("write");
        let err = load(&binary, LabelSchema::builtin()).expect_err("binary");
        assert_eq!(
            err.problems[0].location,
            Location::Byte(15),
            "counted in the file"
        );
        let typo = dir.path().join("corpsu");
        let err = load(&typo, LabelSchema::builtin()).expect_err("missing");
        assert_eq!(err.problems[0].to_string(), "file: no such file");
    }

    #[test]
    fn huge_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["huge.json", "huge.txt"] {
            let path = dir.path().join(name);
            // A sparse file: no disk is used, but its size is above the limit.
            let file = fs::File::create(&path).expect("create");
            file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
            let err = open(&path, LabelSchema::builtin()).expect_err("too large");
            assert!(
                err.to_string().ends_with(&format!(
                    "{name}: file: the file is too large ({} bytes; the limit is {MAX_FILE_BYTES})",
                    MAX_FILE_BYTES + 1
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn text_import_takes_the_stem_as_id() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("seed-article.txt");
        fs::write(&path, "سطر\r\nثان").expect("write");
        let doc = open(&path, LabelSchema::builtin()).expect("open").document;
        assert_eq!(doc.meta.id, "seed-article");
        assert_eq!(doc.text(), "سطر\nثان");
        assert_eq!(doc.meta.import.as_ref().map(|n| n.crlf_to_lf), Some(1));
    }

    #[test]
    fn a_project_schema_beside_the_documents_is_found_and_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(project_schema(dir.path()), Ok(None));
        let sub = dir.path().join("2023");
        fs::create_dir(&sub).expect("mkdir");
        let mut schema = LabelSchema::builtin().clone();
        schema.labels.truncate(2);
        schema.relations.retain(|r| r.name == "part_of");
        let text = format::serialize(&schema, Syntax::Ron).expect("ser");
        fs::write(dir.path().join("marsad-schema.ron"), text).expect("write");
        assert_eq!(project_schema(dir.path()), Ok(Some(schema.clone())));
        assert_eq!(
            project_schema(&sub),
            Ok(Some(schema.clone())),
            "found from a subfolder"
        );
        schema.labels[1].key = "1".into();
        let text = format::serialize(&schema, Syntax::Ron).expect("ser");
        fs::write(dir.path().join("marsad-schema.ron"), text).expect("write");
        let err = project_schema(dir.path()).expect_err("duplicate key");
        assert!(
            err.to_string()
                .contains("schema: label PLACE uses key \"1\""),
            "{err}"
        );
    }
}
