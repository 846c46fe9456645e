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
//! Sentences come from the text alone — UAX #29 sentence segmentation, which also breaks at
//! every newline — so two sets of one document have the same sentences, line for line. A
//! span that crosses a boundary is cut there ([`Sentences::Cut`], its second part begins with
//! `B-`) or keeps its sentence whole ([`Sentences::Join`]); either way it is counted.

use std::ops::Range;

use super::{Clitics, Item, Sentences, one_layer, segment};

/// What CoNLL had to bend, over the whole export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans left out because they overlap a longer (or earlier) one.
    pub overlapping: usize,
    /// Spans (keep policy) whose tokens cover more than the span, e.g. its clitic.
    pub widened: usize,
    /// Spans (keep policy) left out because a kept span already tagged their token.
    pub same_token: usize,
    /// Spans that cross a sentence boundary, and what was done.
    pub crossing: usize,
    pub sentences: Sentences,
}

impl Counts {
    /// Adds what another part of the export counted.
    pub fn add(&mut self, other: &Counts) {
        self.overlapping += other.overlapping;
        self.widened += other.widened;
        self.same_token += other.same_token;
        self.crossing += other.crossing;
        self.sentences = other.sentences;
    }

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
        if self.crossing > 0 {
            out.push(match self.sentences {
                Sentences::Cut => format!(
                    "{} span(s) cross a sentence boundary and were cut there (--sentences join \
                     keeps such sentences whole)",
                    self.crossing
                ),
                Sentences::Join => format!(
                    "{} span(s) cross a sentence boundary; their sentences were kept whole, so \
                     sentence counts depend on the set (--sentences cut)",
                    self.crossing
                ),
            });
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

/// Byte ranges of the tokens of a text: its UAX #29 words and punctuation ([`segment::words`]),
/// cut at `cuts`.
pub fn tokens(words: &[Range<usize>], cuts: &[usize]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(words.len() + cuts.len());
    let mut cut = cuts.iter().copied().peekable();
    for word in words {
        let (start, end) = (word.start, word.end);
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
pub fn document(
    item: &Item<'_>,
    clitics: Clitics,
    sentences: Sentences,
    counts: &mut Counts,
) -> String {
    counts.sentences = sentences;
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
    let tokens: Vec<Range<usize>> = tokens(&segment::words(text), &cuts)
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
    let mut sentence_ends = segment::sentence_ends(text);
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
        let mut begin_again = false;
        if ended && in_sentence {
            if continues {
                counts.crossing += 1;
            }
            if !continues || sentences == Sentences::Cut {
                out.push('\n');
                begin_again = continues;
            }
        }
        out.push_str(&text[token.clone()]);
        match tag {
            None => out.push_str("\tO\n"),
            Some((begin, label)) => {
                out.push_str(if *begin || begin_again {
                    "\tB-"
                } else {
                    "\tI-"
                });
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
        let (out, _) = conll_of(
            &["قتل \u{200f} [CASUALTY|\u{202e}27] جنديا"],
            Clitics::Split,
            Sentences::Cut,
        );
        let out = &out[0];
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

    /// The CoNLL of documents written in span notation (one set each), and the counts.
    fn conll_of(marked: &[&str], clitics: Clitics, sentences: Sentences) -> (Vec<String>, Counts) {
        use crate::model::notation;
        use crate::offsets::{Offsets, Unit};
        let mut out = Vec::new();
        let mut counts = Counts::default();
        for (k, m) in marked.iter().enumerate() {
            let doc = notation::parse(m)
                .expect("notation")
                .to_document("d", &format!("coder-{k}"));
            let set = &doc.sets[0];
            let text = doc.document.text();
            let spans = super::super::check_spans(
                std::path::Path::new("d"),
                text,
                doc.document.index(),
                set,
            )
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
            out.push(document(&item, clitics, sentences, &mut counts));
        }
        (out, counts)
    }

    #[test]
    fn sentences_come_from_the_text_so_two_coders_have_the_same_ones() {
        // Coder 0 marks a claim across the full stop; coder 1 marks nothing.
        let (out, counts) = conll_of(
            &[
                "قتل جنديان. [CLAIM|وقالت الجماعة. إنها] هاجمت",
                "قتل جنديان. وقالت الجماعة. إنها هاجمت",
            ],
            Clitics::Keep,
            Sentences::Cut,
        );
        let sentences = |c: &str| c.split("\n\n").filter(|s| !s.trim().is_empty()).count();
        assert_eq!(
            sentences(&out[0]),
            sentences(&out[1]),
            "{}\n---\n{}",
            out[0],
            out[1]
        );
        assert_eq!(counts.crossing, 1);
        assert!(
            out[0].contains("\n\nإنها\tB-CLAIM"),
            "cut: the second part begins again"
        );
        assert!(
            counts
                .warnings()
                .iter()
                .any(|w| w.contains("cross a sentence boundary"))
        );
        let (joined, _) = conll_of(
            &["قتل جنديان. [CLAIM|وقالت الجماعة. إنها] هاجمت"],
            Clitics::Keep,
            Sentences::Join,
        );
        assert!(
            joined[0].contains(".\tI-CLAIM\nإنها\tI-CLAIM"),
            "{}",
            joined[0]
        );
    }

    #[test]
    fn punctuation_is_its_own_token_and_cuts_split_words() {
        let text = "في بسيكاسو، أمس";
        let words: Vec<&str> = tokens(&segment::words(text), &[])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(words, ["في", "بسيكاسو", "،", "أمس"]);
        let cut = "في ب".len();
        let split: Vec<&str> = tokens(&segment::words(text), &[cut])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(split, ["في", "ب", "سيكاسو", "،", "أمس"]);
    }
}
