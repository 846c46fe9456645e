//! The string-matching recommender, made aware of Arabic (INCEpTION's string matcher): the
//! strings a coder has already labelled, each with the label it got most often, proposed
//! wherever they occur in a text — found the find bar's way (folded, clitic-aware, whole
//! words), so that مالي labelled once is proposed in بمالي and ومالي. A lexicon is indexed by
//! the first folded word of each string, and a text is walked once, word by word, so the cost
//! grows with the text, not with the number of strings.

use std::collections::HashMap;

use super::search::{Folded, Query};
use crate::offsets::CharRange;

/// The recommender's name: the model set its suggestions are recorded in.
pub const RECOMMENDER: &str = "string-matcher";

/// A span the recommender proposes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub range: CharRange,
    pub label: String,
}

/// Labelled strings, ready to be found in any text.
#[derive(Default)]
pub struct Lexicon {
    /// By the first word of each query's core: the queries and their labels.
    by_first_word: HashMap<Vec<char>, Vec<(Query, String)>>,
    len: usize,
}

/// Letters a clitic prefix can take before a word's core: و/ف + ب/ل/ك + ال at the most.
const MAX_PREFIX: usize = 4;

impl Lexicon {
    /// From (text, label) pairs: each distinct text (folded) with the label it has most often.
    pub fn new<'a>(labelled: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut counts: HashMap<Vec<char>, (String, HashMap<&'a str, usize>)> = HashMap::new();
        for (text, label) in labelled {
            let query = Query::new(text, true);
            if query.is_empty() {
                continue;
            }
            let entry = counts
                .entry(query.core().to_vec())
                .or_insert_with(|| (text.to_owned(), HashMap::new()));
            *entry.1.entry(label).or_default() += 1;
        }
        let mut by_first_word: HashMap<Vec<char>, Vec<(Query, String)>> = HashMap::new();
        let len = counts.len();
        for (core, (text, labels)) in counts {
            let Some(label) = labels
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.to_owned())
            else {
                continue;
            };
            let first: Vec<char> = core
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .copied()
                .collect();
            by_first_word
                .entry(first)
                .or_default()
                .push((Query::new(&text, true), label));
        }
        // Longer strings first, so that جماعة نصرة الإسلام wins over جماعة where both fit.
        for queries in by_first_word.values_mut() {
            queries.sort_by_key(|(q, _)| std::cmp::Reverse(q.core().len()));
        }
        Self { by_first_word, len }
    }

    /// How many distinct strings it knows.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every place in `folded` where a known string occurs and `free` says the range may take
    /// a span; where several strings fit at one place the longest wins, and suggestions never
    /// overlap one another.
    pub fn suggest(&self, folded: &Folded, free: impl Fn(CharRange) -> bool) -> Vec<Suggestion> {
        let chars = folded.chars();
        let mut out: Vec<Suggestion> = Vec::new();
        if self.by_first_word.is_empty() {
            return out;
        }
        for start in folded.word_starts() {
            let end = folded.word_end(start);
            for k in 0..=MAX_PREFIX.min(end - start - 1) {
                let Some(queries) = self.by_first_word.get(&chars[start + k..end]) else {
                    continue;
                };
                let found = queries.iter().find_map(|(q, label)| {
                    let m = folded.match_at(q, start + k)?;
                    Some(Suggestion {
                        range: m.range,
                        label: label.clone(),
                    })
                });
                if let Some(s) = found {
                    let clear = out
                        .last()
                        .is_none_or(|last| last.range.end <= s.range.start);
                    if clear && free(s.range) {
                        out.push(s);
                    }
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(labelled: &[(&str, &str)], text: &str) -> Vec<(String, String)> {
        let lexicon = Lexicon::new(labelled.iter().copied());
        let chars: Vec<char> = text.chars().collect();
        lexicon
            .suggest(&Folded::new(text), |_| true)
            .into_iter()
            .map(|s| (chars[s.range.start..s.range.end].iter().collect(), s.label))
            .collect()
    }

    #[test]
    fn known_strings_are_proposed_with_their_commonest_label_clitics_and_all() {
        let labelled = [
            ("مالي", "PLACE"),
            ("مالي", "PLACE"),
            ("مالي", "ACTOR"),
            ("الجيش", "ACTOR"),
            ("جماعة نصرة الإسلام", "ACTOR"),
        ];
        let got = suggested(
            &labelled,
            "قال الجيش في بمالي إن جماعة نصرة الاسلام هاجمت والجيش جماعة أخرى",
        );
        let want = [
            ("الجيش", "ACTOR"),
            ("مالي", "PLACE"),
            ("جماعة نصرة الاسلام", "ACTOR"),
            ("الجيش", "ACTOR"),
        ];
        assert_eq!(
            got,
            want.map(|(t, l)| (t.to_owned(), l.to_owned())),
            "the longest string wins; a lone جماعة is not known"
        );
    }

    #[test]
    fn taken_ranges_are_left_out() {
        let lexicon = Lexicon::new([("مالي", "PLACE")]);
        let text = "مالي ومالي";
        let got = lexicon.suggest(&Folded::new(text), |r| r.start > 0);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].range, CharRange::new(6, 10));
    }
}
