//! The document: an article's verbatim text, its metadata and its SHA-256.
//!
//! The text is fixed when the document is created (import decides BOM and line endings once,
//! see `store::import_text`) and never changes afterwards; every span offset refers to it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::offsets::{CharIndex, CharRange};

/// Metadata of an article: everything about the document except its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Publication date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    pub published: Option<String>,
    /// BCP 47 language tag of the text, `ar` for Arabic articles.
    pub language: String,
    /// What import did to the original file, when the text came from a plain-text file.
    pub import: Option<ImportNote>,
}

/// The changes made when a plain-text file became a document's text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportNote {
    /// Name of the imported file.
    pub file: String,
    /// A UTF-8 byte-order mark was removed from the start.
    pub bom_stripped: bool,
    /// Number of CR LF pairs turned into LF.
    pub crlf_to_lf: usize,
    /// Number of lone CR turned into LF.
    pub cr_to_lf: usize,
}

/// An article: metadata plus immutable text with its code-point index and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub meta: DocumentMeta,
    text: String,
    index: CharIndex,
    sha256: String,
}

impl Document {
    pub fn new(meta: DocumentMeta, text: String) -> Self {
        let index = CharIndex::new(&text);
        let sha256 = sha256_hex(&text);
        Self {
            meta,
            text,
            index,
            sha256,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Hex SHA-256 of the text's UTF-8 bytes (`text_sha256` in the file).
    pub fn text_sha256(&self) -> &str {
        &self.sha256
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    /// The text covered by a code-point range, or `None` when the range is outside the text.
    pub fn slice(&self, range: CharRange) -> Option<&str> {
        self.index.slice(&self.text, range)
    }

    /// The char↔byte index of the text.
    pub fn index(&self) -> &CharIndex {
        &self.index
    }
}

/// Lowercase hex SHA-256 of a text's UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_of_the_utf8_bytes_as_python_computes_it() {
        // python3 -c 'import hashlib; print(hashlib.sha256("مالي".encode()).hexdigest())'
        assert_eq!(
            sha256_hex("مالي"),
            "4b27254b8c1e59f55446202ea7507f8e58db171fd1791d319f3b4421d80ea5d1"
        );
        let doc = Document::new(DocumentMeta::default(), "مالي".into());
        assert_eq!(doc.text_sha256(), sha256_hex("مالي"));
        assert_eq!(doc.char_len(), 4);
    }
}
