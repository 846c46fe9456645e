//! What the command line prints, and how: every line through [`out!`] (stdout) or [`err!`]
//! (stderr), with the control characters and bidi controls of strings that came from files
//! escaped (`\n`, `\u{1b}`, `\u{202e}`), so that a span text can neither forge another
//! `error:` line nor drive the terminal, and one problem stays on one line. A write that
//! fails is remembered: the command then exits 1 (a closed pipe, as in `marsad … | head`,
//! ends the output quietly instead).

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::model::controls::is_bidi_control;

/// 0: all written; 1: the reader closed the pipe; 2: a write failed.
static STATE: AtomicU8 = AtomicU8::new(0);

/// How the output went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    All,
    PipeClosed,
    Failed,
}

pub fn written() -> Written {
    match STATE.load(Ordering::Relaxed) {
        0 => Written::All,
        1 => Written::PipeClosed,
        _ => Written::Failed,
    }
}

fn record(result: io::Result<()>) {
    if let Err(e) = result {
        let state = if e.kind() == io::ErrorKind::BrokenPipe {
            1
        } else {
            2
        };
        STATE.fetch_max(state, Ordering::Relaxed);
    }
}

/// `s` with control characters (but tabs) and bidi controls escaped.
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs = |c: char| (c.is_control() && c != '\t') || is_bidi_control(c);
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes one line to stdout, escaped.
pub fn line(s: &str) {
    if written() != Written::All {
        return;
    }
    let mut out = io::stdout().lock();
    record(writeln!(out, "{}", escape(s)).and_then(|()| out.flush()));
}

/// Writes text to stdout as it is (JSON, whose strings serde has escaped already).
pub fn raw(s: &str) {
    if written() != Written::All {
        return;
    }
    let mut out = io::stdout().lock();
    record(writeln!(out, "{s}").and_then(|()| out.flush()));
}

/// Writes a value to stdout as one line of JSON, serialized straight into the output.
pub fn json(value: &impl serde::Serialize) {
    if written() != Written::All {
        return;
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let result = serde_json::to_writer(&mut out, value)
        .map_err(io::Error::other)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    record(result);
}

/// Writes one line to stderr, escaped.
pub fn error_line(s: &str) {
    let mut err = io::stderr().lock();
    record(writeln!(err, "{}", escape(s)));
}

/// Prints a line on stdout (escaped).
macro_rules! out {
    () => { $crate::cli::output::line("") };
    ($($arg:tt)*) => { $crate::cli::output::line(&format!($($arg)*)) };
}

/// Prints a line on stderr (escaped).
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::output::error_line(&format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_arabic_is_not() {
        assert_eq!(escape("قتل 27 جنديا"), "قتل 27 جنديا");
        assert_eq!(escape("a\nerror: forged"), "a\\nerror: forged");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape("a\tb"), "a\tb");
    }
}
