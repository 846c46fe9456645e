//! CoNLL: one token per line, `TOKEN<TAB>TAG` with BIO tags (`B-ACTOR`, `I-ACTOR`, `O`), a
//! blank line between sentences and a `-DOCSTART-` line before each document.
//!
//! Tokens are the words and punctuation marks of Unicode word segmentation (UAX #29), so
//! `سيكاسو،` is two tokens. With [`Clitics::Keep`] a word keeps its clitics, and a span that
//! leaves out `ب` of `بسيكاسو` tags the whole word (the span is widened to the token, as in
//! ANERcorp and Wojood); with [`Clitics::Split`] tokens are also cut at every span boundary,
//! so `ب` becomes a token tagged `O` and the span comes back exactly.
//!
//! BIO holds one layer: overlapping spans are resolved by [`super::one_layer`] (longest
//! first, then earliest), and the spans left out are counted in the export's warnings.
//! Sentences come from UAX #29 sentence segmentation; a boundary inside a tagged span is
//! ignored.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::{Clitics, Item, one_layer};

/// What CoNLL had to bend, over the whole export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans left out because they overlap a longer (or earlier) one.
    pub overlapping: usize,
    /// Spans (keep policy) whose tokens cover more than the span, e.g. its clitic.
    pub widened: usize,
    /// Spans (keep policy) left out because a kept span already tagged their token.
    pub same_token: usize,
}

impl Counts {
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.overlapping > 0 {
            out.push(format!(
                "{} overlapping span(s) left out of the BIO tags (longest first, then earliest)",
                self.overlapping
            ));
        }
        if self.widened > 0 {
            out.push(format!(
                "{} span(s) tagged on whole tokens wider than the span (--clitics keep; \
                 --clitics split keeps them exact)",
                self.widened
            ));
        }
        if self.same_token > 0 {
            out.push(format!(
                "{} span(s) left out: their only token is tagged by another span",
                self.same_token
            ));
        }
        out
    }
}

/// Byte ranges of the tokens of `text`: UAX #29 words and punctuation, cut at `cuts`.
pub fn tokens(text: &str, cuts: &[usize]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut cut = cuts.iter().copied().peekable();
    for (start, word) in text.split_word_bound_indices() {
        if word.chars().all(char::is_whitespace) {
            continue;
        }
        let end = start + word.len();
        let mut from = start;
        while let Some(&c) = cut.peek() {
            if c >= end {
                break;
            }
            if c > from {
                out.push(from..c);
                from = c;
            }
            cut.next();
        }
        out.push(from..end);
    }
    out
}

/// One document in CoNLL, counting what had to bend into `counts`.
pub fn document(item: &Item<'_>, clitics: Clitics, counts: &mut Counts) -> String {
    let text = item.doc.document.text();
    let ranges: Vec<Range<usize>> = item
        .spans
        .iter()
        .map(|c| c.span.start..c.span.end)
        .collect();
    let (kept, left_out) = one_layer(&ranges);
    counts.overlapping += left_out;
    let mut cuts: Vec<usize> = match clitics {
        Clitics::Keep => Vec::new(),
        Clitics::Split => kept
            .iter()
            .flat_map(|&k| [item.spans[k].bytes.start, item.spans[k].bytes.end])
            .collect(),
    };
    cuts.sort_unstable();
    cuts.dedup();
    // A token of nothing but spaces and bidi controls (a space and U+200F) shows as nothing:
    // it is not a token, and gets no tag.
    let tokens: Vec<Range<usize>> = tokens(text, &cuts)
        .into_iter()
        .filter(|t| {
            !text[t.clone()]
                .chars()
                .all(|c| c.is_whitespace() || crate::model::controls::is_bidi_control(c))
        })
        .collect();
    let mut tags: Vec<Option<(bool, &str)>> = vec![None; tokens.len()];
    for &k in &kept {
        let c = &item.spans[k];
        if c.bytes.is_empty() {
            continue;
        }
        let first = tokens.partition_point(|t| t.end <= c.bytes.start);
        let last = tokens.partition_point(|t| t.start < c.bytes.end);
        if first >= last || tags[first..last].iter().any(Option::is_some) {
            counts.same_token += 1;
            continue;
        }
        if tokens[first].start != c.bytes.start || tokens[last - 1].end != c.bytes.end {
            counts.widened += 1;
        }
        for (i, tag) in tags[first..last].iter_mut().enumerate() {
            *tag = Some((i == 0, c.span.label.as_str()));
        }
    }
    let mut sentence_ends: Vec<usize> = text
        .split_sentence_bound_indices()
        .map(|(start, s)| start + s.len())
        .collect();
    sentence_ends.reverse();
    let mut out = String::with_capacity(text.len() * 2);
    out.push_str("-DOCSTART-\tO\n\n");
    let mut in_sentence = false;
    for (token, tag) in tokens.iter().zip(&tags) {
        // A sentence ends before this token unless the token continues a span.
        let mut ended = false;
        while sentence_ends.last().is_some_and(|&e| e <= token.start) {
            sentence_ends.pop();
            ended = true;
        }
        let continues = matches!(tag, Some((false, _)));
        if ended && in_sentence && !continues {
            out.push('\n');
        }
        out.push_str(&text[token.clone()]);
        match tag {
            None => out.push_str("\tO\n"),
            Some((begin, label)) => {
                out.push_str(if *begin { "\tB-" } else { "\tI-" });
                out.push_str(label);
                out.push('\n');
            }
        }
        in_sentence = true;
    }
    if in_sentence {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_bidi_controls_alone_are_not_written() {
        use crate::model::notation;
        use crate::offsets::{Offsets, Unit};
        let doc = notation::parse("قتل \u{200f} [CASUALTY|\u{202e}27] جنديا")
            .expect("notation")
            .to_document("d", "a");
        let set = &doc.sets[0];
        let text = doc.document.text();
        let spans =
            super::super::check_spans(std::path::Path::new("d"), text, doc.document.index(), set)
                .expect("spans");
        let offsets = Offsets::new(text, Unit::CodePoints);
        let item = Item {
            path: std::path::Path::new("d"),
            doc: &doc,
            set,
            spans: &spans,
            offsets: &offsets,
            schema: crate::model::LabelSchema::builtin(),
        };
        let out = document(&item, Clitics::Split, &mut Counts::default());
        let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with('\u{200f}') && !l.starts_with('\t')),
            "{lines:?}"
        );
        assert!(
            !lines.iter().any(|l| l.starts_with("\u{202e}\tB-")),
            "{lines:?}"
        );
        assert!(lines.contains(&"27\tB-CASUALTY"), "{lines:?}");
    }

    #[test]
    fn punctuation_is_its_own_token_and_cuts_split_words() {
        let text = "في بسيكاسو، أمس";
        let words: Vec<&str> = tokens(text, &[]).into_iter().map(|r| &text[r]).collect();
        assert_eq!(words, ["في", "بسيكاسو", "،", "أمس"]);
        let cut = "في ب".len();
        let split: Vec<&str> = tokens(text, &[cut]).into_iter().map(|r| &text[r]).collect();
        assert_eq!(split, ["في", "ب", "سيكاسو", "،", "أمس"]);
    }
}
