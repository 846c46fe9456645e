//! spaCy 3 `.spacy` files (`DocBin`), written without Python: a zlib-compressed msgpack map
//! with the token table (one row of attribute values per token, as little-endian u64), the
//! whitespace flags, the strings the table's hashes stand for, and per document the bytes of
//! `doc.spans`.
//!
//! Tokens are UAX #29 words cut at every span boundary, so each span is whole tokens and
//! `doc.char_span(start, end)` finds it — even `سيكاسو` inside `بسيكاسو`. All spans go to
//! `doc.spans["sc"]` (overlaps allowed); the one-layer subset ([`super::one_layer`]) goes to
//! `doc.ents` through the ENT_IOB/ENT_TYPE columns. Sentence starts (SENT_START) come from
//! the text alone, as CoNLL's sentences do, so `doc.sents` is the same for every set.
//! Offsets are code points, as spaCy counts.
//! A test in `tests/export.rs` loads the file with real spaCy (`tools/spacy/`).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::ops::Range;
use std::sync::OnceLock;

use super::deflate::{self, Deflated};
use super::{Item, conll, one_layer, segment};

/// spaCy's attribute ids (`spacy/attrs.pxd`) for the columns written.
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;
const SENT_START: u64 = 80;
/// The columns of the token table, ORTH first as DocBin expects.
const ATTRS: [u64; 4] = [ORTH, ENT_IOB, ENT_TYPE, SENT_START];
/// SENT_START values: 1 starts a sentence, -1 (as the table's u64) does not.
const SENT_YES: u64 = 1;
const SENT_NO: u64 = u64::MAX;
/// ENT_IOB values: 3 begins an entity, 1 is inside one, 2 is outside.
const IOB_B: u64 = 3;
const IOB_I: u64 = 1;
const IOB_O: u64 = 2;

/// The id spaCy's `StringStore` gives a string: 0 for the empty string, the symbol's number
/// for one of spaCy's fixed symbols (`PERSON` 380, `X` 101), otherwise MurmurHash64A of the
/// UTF-8 bytes with seed 1.
pub fn string_id(s: &str) -> u64 {
    if s.is_empty() {
        return 0;
    }
    // spaCy's symbols are all ASCII: an Arabic word is never looked up among them.
    s.is_ascii()
        .then(|| symbols().get(s).copied())
        .flatten()
        .unwrap_or_else(|| murmur2::murmur64a(s.as_bytes(), 1))
}

/// spaCy 3.8's fixed symbols (`spacy.symbols.IDS`, MIT licence) by their id: ids 1–103,
/// then `DEPRECATED001`–`DEPRECATED276` (104–379), then 380–456.
fn symbols() -> &'static HashMap<String, u64> {
    static SYMBOLS: OnceLock<HashMap<String, u64>> = OnceLock::new();
    SYMBOLS.get_or_init(|| {
        let first = SYMBOLS_LOW.split_whitespace().map(str::to_owned);
        let flags = (19..=63).map(|n| format!("FLAG{n}"));
        let middle = SYMBOLS_MIDDLE.split_whitespace().map(str::to_owned);
        let deprecated = (1..=276).map(|n| format!("DEPRECATED{n:03}"));
        let last = SYMBOLS_HIGH.split_whitespace().map(str::to_owned);
        first
            .chain(flags)
            .chain(middle)
            .chain(deprecated)
            .chain(last)
            .zip(1..)
            .collect()
    })
}

const SYMBOLS_LOW: &str = "IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_PUNCT IS_SPACE IS_TITLE \
    IS_UPPER LIKE_URL LIKE_NUM LIKE_EMAIL IS_STOP IS_OOV_DEPRECATED IS_BRACKET IS_QUOTE \
    IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY";
const SYMBOLS_MIDDLE: &str = "ID ORTH LOWER NORM SHAPE PREFIX SUFFIX LENGTH CLUSTER LEMMA POS \
    TAG DEP ENT_IOB ENT_TYPE HEAD SENT_START SPACY PROB LANG ADJ ADP ADV AUX CONJ CCONJ DET \
    INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X EOL SPACE";
const SYMBOLS_HIGH: &str = "PERSON NORP FACILITY ORG GPE LOC PRODUCT EVENT WORK_OF_ART \
    LANGUAGE LAW DATE TIME PERCENT MONEY QUANTITY ORDINAL CARDINAL acomp advcl advmod agent \
    amod appos attr aux auxpass cc ccomp complm conj cop csubj csubjpass dep det dobj expl hmod \
    hyph infmod intj iobj mark meta neg nmod nn npadvmod nsubj nsubjpass num number oprd obj obl \
    parataxis partmod pcomp pobj poss possessive preconj prep prt punct quantmod relcl rcmod \
    root xcomp acl ENT_KB_ID MORPH ENT_ID IDX _";

/// The documents of a DocBin being built.
#[derive(Default)]
pub struct DocBin {
    /// Per document, deflated where it was made: its rows of the token table (ATTRS.len()
    /// little-endian u64 values per token; a corpus's table is hundreds of MB) and its
    /// whitespace flags.
    tokens: Vec<Deflated>,
    spaces: Vec<Deflated>,
    lengths: Vec<i32>,
    strings: HashSet<String>,
    /// `doc.spans.to_bytes()` per document, as a msgpack bin, deflated.
    span_groups: Vec<Deflated>,
}

/// One document's part of a DocBin, worked out on its own (on any thread): its rows of the
/// token table, whitespace flags, the strings they use and its span group.
pub struct Piece {
    tokens: Deflated,
    spaces: Deflated,
    length: i32,
    /// Every string the rows stand for (words and labels), each once.
    strings: Vec<String>,
    span_group: Deflated,
    /// Spans `doc.ents` (one layer) had to leave out.
    pub left_out: usize,
}

/// One document's tokens, entities and span group.
pub fn piece(item: &Item<'_>) -> io::Result<Piece> {
    let text = item.doc.document.text();
    let mut cuts: Vec<usize> = item
        .spans
        .iter()
        .flat_map(|c| [c.bytes.start, c.bytes.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let tokens = doc_tokens(text, &conll::tokens(&segment::words(text), &cuts));

    let ranges: Vec<_> = item
        .spans
        .iter()
        .map(|c| c.span.start..c.span.end)
        .collect();
    let (ents, left_out) = one_layer(&ranges);
    // Each token's IOB value and label index (0: none), labels from 1.
    let mut iob = vec![(IOB_O, 0u32); tokens.len()];
    let mut labels: Vec<u64> = Vec::new();
    // Token index of each span's first token and one past its last.
    let token_range = |bytes: &std::ops::Range<usize>| {
        let first = tokens.partition_point(|(t, _)| t.end <= bytes.start);
        let last = tokens.partition_point(|(t, _)| t.start < bytes.end);
        (first, last.max(first))
    };
    for &k in &ents {
        let c = &item.spans[k];
        let (first, last) = token_range(&c.bytes);
        let id = string_id(&c.span.label);
        let label = match labels.iter().position(|&l| l == id) {
            Some(k) => k + 1,
            None => {
                labels.push(id);
                labels.len()
            }
        } as u32;
        for (i, slot) in iob[first..last].iter_mut().enumerate() {
            *slot = (if i == 0 { IOB_B } else { IOB_I }, label);
        }
    }
    // The strings by their id, which is a hash already: no second hashing per token.
    let mut seen: HashMap<u64, &str, nohash_hasher::BuildNoHashHasher<u64>> = HashMap::default();
    let mut rows: Vec<u8> = Vec::with_capacity(tokens.len() * ATTRS.len() * 8);
    let mut spaces = Vec::with_capacity(tokens.len());
    // Sentences from the text alone (as CoNLL's): the same for every set of a document.
    let mut ends = segment::sentence_ends(text);
    ends.reverse();
    for (k, ((token, space), (iob, label))) in tokens.iter().zip(&iob).enumerate() {
        let word = &text[token.clone()];
        let id = string_id(word);
        seen.insert(id, word);
        let mut starts = k == 0;
        while ends.last().is_some_and(|&e| e <= token.start) {
            ends.pop();
            starts = true;
        }
        let label = match *label {
            0 => 0,
            k => labels[k as usize - 1],
        };
        let sent = if starts { SENT_YES } else { SENT_NO };
        for v in [id, *iob, label, sent] {
            rows.extend_from_slice(&v.to_le_bytes());
        }
        spaces.push(u8::from(*space));
    }

    let mut group = Vec::with_capacity(item.spans.len());
    for c in item.spans {
        let (first, last) = token_range(&c.bytes);
        seen.insert(string_id(&c.span.label), c.span.label.as_str());
        let mut packed = Vec::with_capacity(40);
        packed.extend_from_slice(&0u64.to_be_bytes()); // id
        packed.extend_from_slice(&0u64.to_be_bytes()); // kb_id
        packed.extend_from_slice(&string_id(&c.span.label).to_be_bytes());
        for v in [first, last, c.span.start, c.span.end] {
            packed.extend_from_slice(&(i32::try_from(v).unwrap_or(i32::MAX)).to_be_bytes());
        }
        group.push(packed);
    }
    let mut span_group = Vec::new();
    write_bin(&mut span_group, &span_groups_bytes(&group))?;
    Ok(Piece {
        tokens: Deflated::of(&rows)?,
        spaces: Deflated::of(&spaces)?,
        length: i32::try_from(tokens.len()).unwrap_or(i32::MAX),
        strings: seen.into_values().map(str::to_owned).collect(),
        span_group: Deflated::of(&span_group)?,
        left_out,
    })
}

impl DocBin {
    /// Adds one document's piece, made by [`piece`]; returns its spans left out of `doc.ents`.
    pub fn push(&mut self, piece: Piece) -> usize {
        self.tokens.push(piece.tokens);
        self.spaces.push(piece.spaces);
        self.lengths.push(piece.length);
        self.strings.extend(piece.strings);
        self.span_groups.push(piece.span_group);
        piece.left_out
    }

    /// Writes the `.spacy` file: the msgpack map as one zlib stream, its framing deflated
    /// here and each document's share joined as it was deflated ([`deflate::join`]).
    pub fn write_to<W: Write>(&self, out: W) -> io::Result<W> {
        let docs = len32(self.lengths.len())?;
        let total = |parts: &[Deflated]| -> io::Result<u32> {
            len32(parts.iter().map(Deflated::len).sum::<u64>() as usize)
        };
        let mut head = Vec::new();
        let w = &mut head;
        rmp::encode::write_map_len(w, 9).map_err(value_err)?;
        write_str(w, "version")?;
        write_str(w, "0.1")?;
        write_str(w, "attrs")?;
        rmp::encode::write_array_len(w, ATTRS.len() as u32).map_err(value_err)?;
        for a in ATTRS {
            rmp::encode::write_uint(w, a).map_err(value_err)?;
        }
        write_str(w, "tokens")?;
        rmp::encode::write_bin_len(w, total(&self.tokens)?).map_err(value_err)?;

        let mut between = Vec::new();
        write_str(&mut between, "spaces")?;
        rmp::encode::write_bin_len(&mut between, total(&self.spaces)?).map_err(value_err)?;

        let mut tail = Vec::new();
        let w = &mut tail;
        write_str(w, "lengths")?;
        let lengths: Vec<u8> = self.lengths.iter().flat_map(|v| v.to_le_bytes()).collect();
        write_bin(w, &lengths)?;
        write_str(w, "strings")?;
        let mut strings: Vec<&String> = self.strings.iter().collect();
        strings.sort_unstable();
        rmp::encode::write_array_len(w, len32(strings.len())?).map_err(value_err)?;
        for s in strings {
            write_str(w, s)?;
        }
        write_str(w, "cats")?;
        rmp::encode::write_array_len(w, docs).map_err(value_err)?;
        for _ in &self.lengths {
            rmp::encode::write_map_len(w, 0).map_err(value_err)?;
        }
        write_str(w, "flags")?;
        rmp::encode::write_array_len(w, docs).map_err(value_err)?;
        for _ in &self.lengths {
            rmp::encode::write_map_len(w, 1).map_err(value_err)?;
            write_str(w, "has_unknown_spaces")?;
            rmp::encode::write_bool(w, false)?;
        }
        write_str(w, "span_groups")?;
        rmp::encode::write_array_len(w, docs).map_err(value_err)?;

        let (head, between, tail) = (
            Deflated::of(&head)?,
            Deflated::of(&between)?,
            Deflated::of(&tail)?,
        );
        let parts = std::iter::once(&head)
            .chain(&self.tokens)
            .chain([&between])
            .chain(&self.spaces)
            .chain([&tail])
            .chain(&self.span_groups);
        deflate::join(out, parts)
    }
}

fn value_err(e: rmp::encode::ValueWriteError) -> io::Error {
    io::Error::other(e.to_string())
}

/// spaCy's tokens for a text: the words, each with a flag for one space after it, and any
/// other whitespace as tokens of its own (as spaCy's tokenizer keeps `\n`), so that the
/// tokens and flags give back the text exactly.
fn doc_tokens(text: &str, words: &[Range<usize>]) -> Vec<(Range<usize>, bool)> {
    let mut out: Vec<(Range<usize>, bool)> = Vec::with_capacity(words.len() + 8);
    let gap = |out: &mut Vec<(Range<usize>, bool)>, mut g: Range<usize>| {
        if let Some(last) = out.last_mut()
            && text[g.clone()].starts_with(' ')
        {
            last.1 = true;
            g.start += 1;
        }
        if !g.is_empty() {
            out.push((g, false));
        }
    };
    let mut at = 0;
    for w in words {
        if w.start > at {
            gap(&mut out, at..w.start);
        }
        out.push((w.clone(), false));
        at = w.end;
    }
    if at < text.len() {
        gap(&mut out, at..text.len());
    }
    out
}

fn len32(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::other("too many items for a DocBin"))
}

fn write_str<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    rmp::encode::write_str(w, s).map_err(value_err)
}

fn write_bin<W: Write>(w: &mut W, b: &[u8]) -> io::Result<()> {
    rmp::encode::write_bin(w, b).map_err(value_err)
}

/// `SpanGroups.to_bytes()` for one group named "sc" holding `spans` (each packed as spaCy's
/// `SpanGroup.to_bytes` packs them): a msgpack map from the group's bytes to its keys.
fn span_groups_bytes(spans: &[Vec<u8>]) -> Vec<u8> {
    let mut group = Vec::new();
    let g = &mut group;
    // Writing msgpack into a Vec cannot fail.
    let _ = rmp::encode::write_map_len(g, 3);
    let _ = rmp::encode::write_str(g, "name");
    let _ = rmp::encode::write_str(g, "sc");
    let _ = rmp::encode::write_str(g, "attrs");
    let _ = rmp::encode::write_map_len(g, 0);
    let _ = rmp::encode::write_str(g, "spans");
    let _ = rmp::encode::write_array_len(g, spans.len() as u32);
    for s in spans {
        let _ = rmp::encode::write_bin(g, s);
    }
    let mut out = Vec::new();
    let _ = rmp::encode::write_map_len(&mut out, 1);
    let _ = rmp::encode::write_bin(&mut out, &group);
    let _ = rmp::encode::write_array_len(&mut out, 1);
    let _ = rmp::encode::write_str(&mut out, "sc");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_ids_are_spacys() {
        // Computed with spaCy 3.8.18's StringStore.
        assert_eq!(string_id("سيكاسو"), 2099749375013038390);
        assert_eq!(string_id("ACTOR"), 5408755460585001224);
        assert_eq!(string_id("PLACE"), 7145516467705016459);
        assert_eq!(string_id("abcdefghi"), 13885881106499164936);
        assert_eq!(string_id(""), 0);
        assert_eq!(string_id("IS_ALPHA"), 1);
        assert_eq!(string_id("FLAG63"), 63);
        assert_eq!(string_id("ORTH"), ORTH);
        assert_eq!(string_id("ENT_IOB"), ENT_IOB);
        assert_eq!(string_id("X"), 101);
        assert_eq!(string_id("DEPRECATED001"), 104);
        assert_eq!(string_id("PERSON"), 380);
        assert_eq!(string_id("num"), 431);
        assert_eq!(string_id("_"), 456);
        assert_eq!(symbols().len(), 456);
    }

    #[test]
    fn whitespace_other_than_one_space_is_a_token() {
        let text = "أ  ب\nج";
        let words = conll::tokens(&segment::words(text), &[]);
        let tokens = doc_tokens(text, &words);
        let rebuilt: String = tokens
            .iter()
            .map(|(r, space)| format!("{}{}", &text[r.clone()], if *space { " " } else { "" }))
            .collect();
        assert_eq!(rebuilt, text);
        assert_eq!(tokens.len(), 5, "أ, a second space, ب, the line break, ج");
    }
}
