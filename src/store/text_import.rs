//! Import of plain-text articles: UTF-8 only, a byte-order mark removed, CR LF and lone CR
//! turned into LF. This is the one moment the text may change; what changed is recorded in the
//! document's `import` note, and the text is immutable from then on.

use crate::model::{ImportNote, Location, Problem};

/// Decodes a plain-text file's bytes into a document text.
pub fn decode_text(bytes: &[u8], file_name: &str) -> Result<(String, ImportNote), Problem> {
    let (bytes, bom_stripped) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to() + usize::from(bom_stripped) * 3;
        Problem::new(
            Location::Byte(offset),
            "invalid UTF-8 (text files must be UTF-8)",
        )
    })?;
    if text.trim().is_empty() {
        return Err(Problem::new(Location::File, "the file is empty"));
    }
    let mut out = String::with_capacity(text.len());
    let (mut crlf_to_lf, mut cr_to_lf) = (0, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
                crlf_to_lf += 1;
            } else {
                cr_to_lf += 1;
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Ok((
        out,
        ImportNote {
            file: file_name.to_owned(),
            bom_stripped,
            crlf_to_lf,
            cr_to_lf,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_line_endings_are_normalised_and_recorded() {
        let bytes = "\u{feff}سطر أول\r\nسطر ثان\rسطر ثالث\n".as_bytes();
        let (text, note) = decode_text(bytes, "a.txt").expect("decode");
        assert_eq!(text, "سطر أول\nسطر ثان\nسطر ثالث\n");
        assert_eq!(
            note,
            ImportNote {
                file: "a.txt".into(),
                bom_stripped: true,
                crlf_to_lf: 1,
                cr_to_lf: 1
            }
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        // "مالي" is 8 bytes; 0xFF can never appear in UTF-8.
        let mut bytes = "مالي".as_bytes().to_vec();
        bytes.push(0xFF);
        let err = decode_text(&bytes, "a.txt").expect_err("invalid");
        assert_eq!(err.location, Location::Byte(8));
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(&bytes);
        let err = decode_text(&with_bom, "a.txt").expect_err("invalid");
        assert_eq!(
            err.location,
            Location::Byte(11),
            "offset in the file, BOM included"
        );
    }

    #[test]
    fn empty_files_are_refused() {
        assert_eq!(
            decode_text(b"", "a.txt").expect_err("empty").to_string(),
            "file: the file is empty"
        );
        assert!(decode_text(b"\xEF\xBB\xBF \n", "a.txt").is_err());
    }

    #[test]
    fn text_without_changes_is_kept_verbatim() {
        let src = "جماعة “نصرة الإسلام و المسلمين” تتبنى عملية";
        let (text, note) = decode_text(src.as_bytes(), "seed.txt").expect("decode");
        assert_eq!(text, src);
        assert!(!note.bom_stripped && note.crlf_to_lf == 0 && note.cr_to_lf == 0);
    }
}
