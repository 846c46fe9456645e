//! spaCy 3 `.spacy` files (`DocBin`) in, without Python: the zlib-compressed msgpack map is
//! read for its token table (the ORTH, ENT_IOB and ENT_TYPE columns, wherever `attrs` puts
//! them), the whitespace flags, the lengths, the strings the hashes stand for and each
//! document's span groups. The text is the tokens and their spaces, as spaCy rebuilds it;
//! the spans are `doc.spans["sc"]` (every group, when there is no "sc"), else `doc.ents`.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rmp::Marker;

use super::{ImportError, checked_span, document, set_for};
use crate::model::AnnotatedDocument;
use crate::store::export::spacy::string_id;

const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;

/// A msgpack reader over bytes, with the place of a failure.
struct Msg<'a> {
    bytes: &'a [u8],
}

type R<T> = Result<T, String>;

impl<'a> Msg<'a> {
    fn marker(&mut self) -> R<Marker> {
        rmp::decode::read_marker(&mut self.bytes).map_err(|_| "cut short".to_owned())
    }

    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        if self.bytes.len() < n {
            return Err("cut short".to_owned());
        }
        let (a, b) = self.bytes.split_at(n);
        self.bytes = b;
        Ok(a)
    }

    fn be(&mut self, n: usize) -> R<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// The length of a string, binary, array or map whose marker was read.
    fn len(&mut self, m: Marker) -> R<Option<usize>> {
        Ok(Some(match m {
            Marker::FixStr(n) | Marker::FixArray(n) | Marker::FixMap(n) => usize::from(n),
            Marker::Str8 | Marker::Bin8 => self.be(1)? as usize,
            Marker::Str16 | Marker::Bin16 | Marker::Array16 | Marker::Map16 => self.be(2)? as usize,
            Marker::Str32 | Marker::Bin32 | Marker::Array32 | Marker::Map32 => self.be(4)? as usize,
            _ => return Ok(None),
        }))
    }

    fn str(&mut self) -> R<&'a str> {
        let m = self.marker()?;
        if !matches!(
            m,
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32
        ) {
            return Err(format!("a string was expected, not {m:?}"));
        }
        let n = self.len(m)?.unwrap_or(0);
        std::str::from_utf8(self.take(n)?).map_err(|_| "a string that is not UTF-8".to_owned())
    }

    fn bin(&mut self) -> R<&'a [u8]> {
        let m = self.marker()?;
        if !matches!(m, Marker::Bin8 | Marker::Bin16 | Marker::Bin32) {
            return Err(format!("bytes were expected, not {m:?}"));
        }
        let n = self.len(m)?.unwrap_or(0);
        self.take(n)
    }

    fn count(&mut self, map: bool) -> R<usize> {
        let m = self.marker()?;
        let ok = if map {
            matches!(m, Marker::FixMap(_) | Marker::Map16 | Marker::Map32)
        } else {
            matches!(m, Marker::FixArray(_) | Marker::Array16 | Marker::Array32)
        };
        if !ok {
            return Err(format!(
                "a {} was expected, not {m:?}",
                if map { "map" } else { "list" }
            ));
        }
        Ok(self.len(m)?.unwrap_or(0))
    }

    fn uint(&mut self) -> R<u64> {
        match self.marker()? {
            Marker::FixPos(n) => Ok(u64::from(n)),
            Marker::U8 => self.be(1),
            Marker::U16 => self.be(2),
            Marker::U32 => self.be(4),
            Marker::U64 => self.be(8),
            m => Err(format!("a number was expected, not {m:?}")),
        }
    }

    /// Skips one value of any kind.
    fn skip(&mut self) -> R<()> {
        let m = self.marker()?;
        let fixed = match m {
            Marker::Null | Marker::True | Marker::False | Marker::FixPos(_) | Marker::FixNeg(_) => {
                0
            }
            Marker::U8 | Marker::I8 => 1,
            Marker::U16 | Marker::I16 => 2,
            Marker::U32 | Marker::I32 | Marker::F32 => 4,
            Marker::U64 | Marker::I64 | Marker::F64 => 8,
            Marker::FixExt1 => 2,
            Marker::FixExt2 => 3,
            Marker::FixExt4 => 5,
            Marker::FixExt8 => 9,
            Marker::FixExt16 => 17,
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
                for _ in 0..self.len(m)?.unwrap_or(0) {
                    self.skip()?;
                }
                return Ok(());
            }
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
                for _ in 0..2 * self.len(m)?.unwrap_or(0) {
                    self.skip()?;
                }
                return Ok(());
            }
            Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => {
                let n = match m {
                    Marker::Ext8 => self.be(1)?,
                    Marker::Ext16 => self.be(2)?,
                    _ => self.be(4)?,
                } as usize;
                n + 1
            }
            _ => {
                let n = self
                    .len(m)?
                    .ok_or_else(|| format!("an unknown value {m:?}"))?;
                self.take(n)?;
                return Ok(());
            }
        };
        self.take(fixed)?;
        Ok(())
    }
}

/// A span of a span group: its label's hash, start and end characters.
type Packed = (u64, usize, usize);

/// The (label hash, start char, end char) of every span of a document's span groups: the
/// "sc" group, or every group when there is none.
fn span_groups(bytes: &[u8]) -> R<Vec<Packed>> {
    let mut m = Msg { bytes };
    let mut by_name: Vec<(Vec<String>, Vec<Packed>)> = Vec::new();
    // spaCy 3.4+ writes {group bytes: [names]}; earlier ones (and an empty doc.spans) a
    // list of group bytes, each naming itself.
    let listed = bytes
        .first()
        .is_some_and(|&b| b & 0xf0 == 0x90 || b == 0xdc || b == 0xdd);
    let n = m.count(!listed)?;
    for _ in 0..n {
        let group = m.bin()?;
        let mut names = Vec::new();
        if !listed {
            for _ in 0..m.count(false)? {
                names.push(m.str()?.to_owned());
            }
        }
        let mut g = Msg { bytes: group };
        let mut spans = Vec::new();
        for _ in 0..g.count(true)? {
            match g.str()? {
                "spans" => {
                    for _ in 0..g.count(false)? {
                        let packed = g.bin()?;
                        if packed.len() < 40 {
                            return Err("a span of the span group is cut short".to_owned());
                        }
                        let word = |at: usize, n: usize| {
                            packed[at..at + n]
                                .iter()
                                .fold(0u64, |a, &b| (a << 8) | u64::from(b))
                        };
                        let i32_at = |at: usize| word(at, 4) as u32 as i32;
                        let (start, end) = (i32_at(32), i32_at(36));
                        if start < 0 || end < start {
                            return Err(format!("a span at characters {start}:{end}"));
                        }
                        spans.push((word(16, 8), start as usize, end as usize));
                    }
                }
                "name" if listed => names.push(g.str()?.to_owned()),
                _ => g.skip()?,
            }
        }
        by_name.push((names, spans));
    }
    let sc: Vec<_> = by_name
        .iter()
        .filter(|(n, _)| n.iter().any(|x| x == "sc"))
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    Ok(if sc.is_empty() {
        by_name.into_iter().flat_map(|(_, s)| s).collect()
    } else {
        sc
    })
}

/// Every document of a `.spacy` file.
pub fn read(path: &Path, set_id: &str) -> Result<Vec<AnnotatedDocument>, ImportError> {
    let raw = std::fs::read(path).map_err(|error| ImportError::Io {
        path: path.to_owned(),
        error,
    })?;
    let mut bytes = Vec::new();
    flate2::read::ZlibDecoder::new(raw.as_slice())
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::at(path, "file", format!("not a zlib-compressed DocBin: {e}")))?;
    let fail = |at: &str, what: String| ImportError::at(path, at, what);
    let mut m = Msg { bytes: &bytes };
    let (mut attrs, mut tokens, mut spaces, mut lengths, mut strings, mut groups) = (
        Vec::new(),
        &[][..],
        &[][..],
        &[][..],
        Vec::new(),
        Vec::new(),
    );
    let n = m.count(true).map_err(|w| fail("DocBin", w))?;
    for _ in 0..n {
        let key = m.str().map_err(|w| fail("DocBin", w))?;
        let at = |w: String| fail(key, w);
        match key {
            "attrs" => {
                for _ in 0..m.count(false).map_err(at)? {
                    attrs.push(m.uint().map_err(at)?);
                }
            }
            "tokens" => tokens = m.bin().map_err(at)?,
            "spaces" => spaces = m.bin().map_err(at)?,
            "lengths" => lengths = m.bin().map_err(at)?,
            "strings" => {
                for _ in 0..m.count(false).map_err(at)? {
                    strings.push(m.str().map_err(at)?);
                }
            }
            "span_groups" => {
                for _ in 0..m.count(false).map_err(at)? {
                    groups.push(m.bin().map_err(at)?);
                }
            }
            _ => m.skip().map_err(at)?,
        }
    }
    let by_hash: HashMap<u64, &str> = strings.iter().map(|s| (string_id(s), *s)).collect();
    let column = |id: u64| attrs.iter().position(|&a| a == id);
    let orth = column(ORTH).ok_or_else(|| fail("attrs", "no ORTH column".to_owned()))?;
    let (iob, ty) = (column(ENT_IOB), column(ENT_TYPE));
    let width = attrs.len().max(1);
    let value = |row: usize, col: usize| -> u64 {
        let at = (row * width + col) * 8;
        tokens
            .get(at..at + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    };
    let total_rows = tokens.len() / 8 / width;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spacy".to_owned());
    let mut docs = Vec::new();
    let mut row = 0usize;
    for (k, len) in lengths.chunks_exact(4).enumerate() {
        let len = i32::from_le_bytes(len.try_into().unwrap_or([0; 4]));
        let len = usize::try_from(len)
            .map_err(|_| fail("lengths", format!("document {}: {len} tokens", k + 1)))?;
        if row + len > total_rows || row + len > spaces.len() {
            return Err(fail(
                "tokens",
                format!("document {}: fewer tokens than its length says", k + 1),
            ));
        }
        let place = format!("document {}", k + 1);
        let mut text = String::new();
        let mut at = 0usize;
        let mut starts = Vec::with_capacity(len + 1);
        let mut ends = Vec::with_capacity(len);
        for (t, &space) in spaces.iter().enumerate().skip(row).take(len) {
            let word = by_hash.get(&value(t, orth)).ok_or_else(|| {
                fail(
                    &place,
                    format!("token {}: its text is not in the strings", t - row + 1),
                )
            })?;
            starts.push(at);
            text.push_str(word);
            at += word.chars().count();
            ends.push(at);
            if space != 0 {
                text.push(' ');
                at += 1;
            }
        }
        starts.push(at);
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        if let Some(bytes) = groups.get(k) {
            for (label, start, end) in span_groups(bytes).map_err(|w| fail(&place, w))? {
                let label = by_hash.get(&label).copied().unwrap_or_default();
                found.push((start, end, label.to_owned()));
            }
        }
        if found.is_empty()
            && let (Some(iob), Some(ty)) = (iob, ty)
        {
            let mut open: Option<(usize, String)> = None;
            for (i, t) in (row..row + len).enumerate() {
                let tag = value(t, iob);
                if tag != 1
                    && let Some((s, label)) = open.take()
                {
                    found.push((starts[s], ends[i - 1], label));
                }
                if tag == 3 {
                    let label = by_hash.get(&value(t, ty)).copied().unwrap_or_default();
                    open = Some((i, label.to_owned()));
                }
            }
            if let Some((s, label)) = open {
                found.push((starts[s], ends[len - 1], label));
            }
        }
        let id = if lengths.len() > 4 {
            format!("{stem}-{}", k + 1)
        } else {
            stem.clone()
        };
        let doc = document(&id, text);
        let mut set = set_for(set_id, None);
        found.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
        for (j, (start, end, label)) in found.into_iter().enumerate() {
            let span = checked_span(&doc, format!("s{}", j + 1), (start, end), &label, None)
                .map_err(|w| fail(&place, w))?;
            set.spans.push(span);
        }
        let mut out = AnnotatedDocument::new(doc);
        out.sets.push(set);
        docs.push(out);
        row += len;
    }
    Ok(docs)
}
