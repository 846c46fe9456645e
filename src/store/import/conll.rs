//! CoNLL and Wojood in: one token per line (`TOKEN … TAG` for CoNLL, the tag in the last
//! column; `TOKEN TAG [TAG …]` for Wojood's nested entities, one column per nesting layer), a
//! blank line between sentences, `-DOCSTART-` or `$#$` between documents. The text is rebuilt
//! from the tokens — a space between tokens, a newline between sentences — so every span's
//! offsets in it are exact. Tags are BIO (IOB2) or BIOES; an `I-` that continues nothing, a
//! line without a tag, or a token that starts with a combining mark (a stray shadda split
//! off its letter, camel_tools#105) refuses the file at that line.

use std::path::Path;

use super::{ImportError, checked_span, document, read_text, set_for};
use crate::model::AnnotatedDocument;

/// One token as read: its text, its tags (one per layer, separated by spaces), its line.
struct Token<'a> {
    text: &'a str,
    tags: &'a str,
    line: usize,
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

/// The sentence read so far goes into the last document.
fn end_sentence<'a>(docs: &mut [Vec<Vec<Token<'a>>>], sentence: &mut Vec<Token<'a>>) {
    if let Some(doc) = docs.last_mut()
        && !sentence.is_empty()
    {
        doc.push(std::mem::take(sentence));
    }
}

/// Every document of a CoNLL (or, with `nested`, Wojood) file.
pub fn read(
    path: &Path,
    set_id: &str,
    nested: bool,
) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let src = read_text(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "conll".to_owned());
    // Documents of sentences of tokens.
    let mut docs: Vec<Vec<Vec<Token<'_>>>> = vec![Vec::new()];
    let mut sentence: Vec<Token<'_>> = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let line = n + 1;
        let mut fields = raw.split_whitespace();
        let Some(first) = fields.next() else {
            end_sentence(&mut docs, &mut sentence);
            continue;
        };
        if first == "-DOCSTART-" || first == "$#$" {
            end_sentence(&mut docs, &mut sentence);
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        let rest = raw.trim_start()[first.len()..].trim();
        if rest.is_empty() {
            return Err(ImportError::at(
                path,
                format!("line {line}"),
                format!("the token \"{first}\" has no tag"),
            ));
        }
        if first.chars().next().is_some_and(is_combining) {
            return Err(ImportError::at(
                path,
                format!("line {line}"),
                format!(
                    "the token \"{first}\" starts with a combining mark, which belongs to the \
                     letter before it (tokens and tags are out of step)"
                ),
            ));
        }
        let tags = if nested {
            rest
        } else {
            fields.next_back().unwrap_or(rest)
        };
        sentence.push(Token {
            text: first,
            tags,
            line,
        });
    }
    end_sentence(&mut docs, &mut sentence);
    docs.retain(|d| !d.is_empty());
    let many = docs.len() > 1;
    let mut out = Vec::new();
    for (k, sentences) in docs.into_iter().enumerate() {
        let id = if many {
            format!("{stem}-{}", k + 1)
        } else {
            stem.clone()
        };
        out.push(rebuild(path, &id, &sentences, set_id)?);
    }
    Ok(out)
}

/// An entity being read in one layer: its label, first char, first line.
struct Open<'a> {
    label: &'a str,
    start: usize,
    line: usize,
}

/// The text of the sentences, and the spans their tags make.
fn rebuild(
    path: &Path,
    id: &str,
    sentences: &[Vec<Token<'_>>],
    set_id: &str,
) -> Result<AnnotatedDocument, ImportError> {
    let mut text = String::new();
    let mut at = 0usize;
    let layers = sentences
        .iter()
        .flatten()
        .map(|t| t.tags.split_whitespace().count())
        .max()
        .unwrap_or(1);
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for (s, sentence) in sentences.iter().enumerate() {
        if s > 0 {
            text.push('\n');
            at += 1;
        }
        let mut open: Vec<Option<Open<'_>>> = (0..layers).map(|_| None).collect();
        for (t, token) in sentence.iter().enumerate() {
            if t > 0 {
                text.push(' ');
                at += 1;
            }
            let start = at;
            text.push_str(token.text);
            at += token.text.chars().count();
            let mut tags = token.tags.split_whitespace();
            for slot in open.iter_mut() {
                let tag = tags.next().unwrap_or("O");
                let fail =
                    |what: String| ImportError::at(path, format!("line {}", token.line), what);
                let (kind, label) = match tag.split_once('-') {
                    _ if tag == "O" => ('O', ""),
                    Some((p, l)) if p.len() == 1 && !l.is_empty() => {
                        (p.chars().next().unwrap_or('O'), l)
                    }
                    _ => return Err(fail(format!("\"{tag}\" is not a BIO tag"))),
                };
                fn end_open<'t>(
                    slot: &mut Option<Open<'t>>,
                    found: &mut Vec<(usize, usize, &'t str)>,
                    end: usize,
                ) {
                    if let Some(o) = slot.take() {
                        found.push((o.start, end, o.label));
                    }
                }
                // The end of the previous token (before the space).
                let prev_end = start.saturating_sub(1);
                match kind {
                    'O' => end_open(slot, &mut found, prev_end),
                    'B' | 'S' => {
                        end_open(slot, &mut found, prev_end);
                        *slot = Some(Open {
                            label,
                            start,
                            line: token.line,
                        });
                        if kind == 'S' {
                            end_open(slot, &mut found, at);
                        }
                    }
                    'I' | 'E' => {
                        if slot.as_ref().is_none_or(|o| o.label != label) {
                            return Err(fail(format!(
                                "\"{tag}\" continues no {label} (no B-{label} before it)"
                            )));
                        }
                        if kind == 'E' {
                            end_open(slot, &mut found, at);
                        }
                    }
                    _ => return Err(fail(format!("\"{tag}\" is not a BIO tag"))),
                }
            }
        }
        for slot in &mut open {
            if let Some(o) = slot.take() {
                let _ = o.line;
                found.push((o.start, at, o.label));
            }
        }
    }
    let doc = document(id, text);
    let mut set = set_for(set_id, None);
    found.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    for (k, (start, end, label)) in found.into_iter().enumerate() {
        let span = checked_span(&doc, format!("s{}", k + 1), (start, end), label, None)
            .map_err(|w| ImportError::at(path, "document", w))?;
        set.spans.push(span);
    }
    let mut out = AnnotatedDocument::new(doc);
    out.sets.push(set);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn read_str(src: &str, nested: bool) -> Result<Vec<AnnotatedDocument>, ImportError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("in.conll");
        std::fs::write(&path, src).expect("write");
        read(&path, "gold", nested)
    }

    #[test]
    fn tokens_become_a_text_whose_offsets_the_tags_point_into() {
        let docs = read_str(
            "-DOCSTART- O\n\nهاجمت O\nجماعة B-ACTOR\nنصرة I-ACTOR\nالإسلام I-ACTOR\n\nفي O\nسيكاسو B-PLACE\n",
            false,
        )
        .expect("read");
        assert_eq!(docs.len(), 1);
        let shown = notation::render_set(&docs[0], "gold");
        assert_eq!(shown, "هاجمت [ACTOR|جماعة نصرة الإسلام]\nفي [PLACE|سيكاسو]");
    }

    #[test]
    fn wojood_layers_nest_and_bioes_reads_too() {
        let docs = read_str(
            "جامعة B-ORG O\nبيرزيت I-ORG B-GPE\nفي O O\nفلسطين S-GPE O\n",
            true,
        )
        .expect("read");
        let shown = notation::render_set(&docs[0], "gold");
        assert_eq!(shown, "[ORG|جامعة [GPE|بيرزيت]] في [GPE|فلسطين]");
    }

    #[test]
    fn malformed_input_is_refused_at_its_line() {
        let err = read_str("في O\nسيكاسو I-PLACE\n", false).expect_err("I without B");
        assert!(
            err.to_string()
                .contains("line 2: \"I-PLACE\" continues no PLACE"),
            "{err}"
        );
        let err = read_str("قتل O\nجنديا\n", false).expect_err("no tag");
        assert!(
            err.to_string()
                .contains("line 2: the token \"جنديا\" has no tag"),
            "{err}"
        );
        let err = read_str("محمد B-PERS\n\u{0651} O\n", false).expect_err("stray shadda");
        assert!(err.to_string().contains("line 2: the token"), "{err}");
        let err = read_str("قتل X-Y-Z\n", false).expect_err("bad tag");
        assert!(err.to_string().contains("is not a BIO tag"), "{err}");
    }
}
