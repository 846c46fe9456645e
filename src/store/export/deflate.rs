//! One zlib stream from pieces deflated apart, on any thread (as `pigz` does): each piece is
//! raw deflate ending in a sync flush — whole bytes, no final block — so pieces follow one
//! another as they are; the stream's Adler-32 is the pieces' checksums combined.
//!
//! The spaCy export deflates each document's share of the DocBin (token rows, whitespace
//! flags, span group) where it is made, so that writing the file at the end only joins them
//! instead of compressing a corpus's hundreds of MB on one core.

use std::cell::RefCell;
use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

/// Bytes deflated on their own: raw deflate up to a sync flush, with what they were.
#[derive(Clone, Debug, Default)]
pub struct Deflated {
    bytes: Vec<u8>,
    /// Adler-32 of the bytes before deflating.
    adler: u32,
    /// Their length before deflating.
    len: u64,
}

impl Deflated {
    /// Deflates `data` at zlib's fastest level (a corpus's token table is large, and every
    /// reader reads any level).
    pub fn of(data: &[u8]) -> io::Result<Self> {
        Ok(Self {
            bytes: deflate(data, FlushCompress::Sync)?,
            adler: zlib_rs::adler32::adler32(1, data),
            len: data.len() as u64,
        })
    }

    /// Length before deflating.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

thread_local! {
    /// One compressor per thread, reset for each piece: a new one allocates and clears
    /// hundreds of KB of tables, which cost more than deflating a small piece.
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// Raw deflate of `data`, ended by `flush`.
fn deflate(data: &[u8], flush: FlushCompress) -> io::Result<Vec<u8>> {
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        deflate_with(&mut c, data, flush)
    })
}

fn deflate_with(c: &mut Compress, data: &[u8], flush: FlushCompress) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(4096));
        }
        let done = c.total_in() as usize;
        let status = c
            .compress_vec(&data[done.min(data.len())..], &mut out, flush)
            .map_err(io::Error::other)?;
        let all_in = c.total_in() as usize >= data.len();
        // A flush is complete when it left room in the output; a finish, at the stream's end.
        match (status, flush) {
            (Status::StreamEnd, _) => break,
            (_, FlushCompress::Finish) => {}
            _ if all_in && out.len() < out.capacity() => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Writes `pieces`, in order, as one zlib stream to `out`.
pub fn join<'a, W: Write>(
    mut out: W,
    pieces: impl IntoIterator<Item = &'a Deflated>,
) -> io::Result<W> {
    // CMF 0x78 (deflate, 32 KB window), FLG 0x01 (fastest level; CMF·256 + FLG is a
    // multiple of 31).
    out.write_all(&[0x78, 0x01])?;
    let mut adler = 1u32;
    for p in pieces {
        out.write_all(&p.bytes)?;
        adler = zlib_rs::adler32::adler32_combine(adler, p.adler, p.len);
    }
    // The final block, empty.
    out.write_all(&deflate(&[], FlushCompress::Finish)?)?;
    out.write_all(&adler.to_be_bytes())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn pieces_deflated_apart_read_back_as_one_stream() {
        let parts: Vec<Vec<u8>> = vec![
            "قتل 27 جنديا في سيكاسو".repeat(500).into_bytes(),
            Vec::new(),
            (0..70_000u32).flat_map(|v| v.to_le_bytes()).collect(),
            b"end".to_vec(),
        ];
        let pieces: Vec<Deflated> = parts
            .iter()
            .map(|p| Deflated::of(p).expect("deflate"))
            .collect();
        let stream = join(Vec::new(), &pieces).expect("join");
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(stream.as_slice())
            .read_to_end(&mut back)
            .expect("a valid zlib stream, checksum included");
        assert_eq!(back, parts.concat());
    }
}
