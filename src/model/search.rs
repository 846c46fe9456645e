//! Finding a word in Arabic text the way a coder means it: in a folded view of the text that
//! maps back to raw offsets — alef forms (أ إ آ ٱ) as ا, ى as ي, ة as ه, harakat and tatweel,
//! bidi controls and ZWNJ ignored, Arabic-Indic and Extended digits as Western ones, Latin
//! letters in lower case — whole words only, and optionally clitic-aware: a leading و or ف,
//! then ب ل or ك, and/or the article ال (and لل for ل + ال) may come before the word. A match
//! covers the word as asked for, without the clitics before it (a span on مالي, not بمالي).
//! Used by the find bar, label-all, the suggestions and `marsad find`.

use super::arabic::fold;
use crate::offsets::CharRange;

/// A text folded for searching, with the raw range of every folded character (its harakat
/// and tatweel after it included).
#[derive(Clone, Debug, Default)]
pub struct Folded {
    chars: Vec<char>,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

/// What to look for and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The folded word(s) asked for.
    chars: Vec<char>,
    /// A leading ال of the query, which the clitic-aware match may find contracted (لل).
    article: bool,
    pub clitics: bool,
}

/// One place the query was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// The raw characters matched: the word without the clitics before it.
    pub range: CharRange,
    /// The whole word, clitics included (for showing the context).
    pub word: CharRange,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Marks written on the letter before them, which a match keeps.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let n = text.len() / 2;
        let (mut chars, mut starts, mut ends) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (i, c) in text.chars().enumerate() {
            if let Some(f) = fold(c) {
                chars.push(f);
                starts.push(i);
                ends.push(i + 1);
            } else if is_mark(c)
                && let Some(end) = ends.last_mut()
                && *end == i
            {
                *end = i + 1;
            }
        }
        Self {
            chars,
            starts,
            ends,
        }
    }

    /// The folded characters.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Where each word of the folded text begins (indices into [`Self::chars`]).
    pub fn word_starts(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.chars.len())
            .filter(|&i| is_word(self.chars[i]) && (i == 0 || !is_word(self.chars[i - 1])))
    }

    /// The end (exclusive) of the word that goes on at folded index `i`.
    pub fn word_end(&self, i: usize) -> usize {
        self.chars[i..]
            .iter()
            .position(|&c| !is_word(c))
            .map_or(self.chars.len(), |k| i + k)
    }

    /// The raw range of folded characters `a..b`.
    fn raw_range(&self, a: usize, b: usize) -> CharRange {
        CharRange::new(self.starts[a], self.ends[b - 1])
    }

    /// Every match of `query`, in text order.
    pub fn find(&self, query: &Query) -> Vec<Match> {
        let core = query.core();
        let Some(&first) = core.first() else {
            return Vec::new();
        };
        (0..self.chars.len())
            .filter(|&i| self.chars[i] == first)
            .filter_map(|i| self.match_at(query, i))
            .collect()
    }

    /// The match of `query` whose core (the query without a leading ال when clitics are
    /// allowed) begins at folded index `i`, if the words around let it be one.
    pub fn match_at(&self, query: &Query, i: usize) -> Option<Match> {
        let core = query.core();
        let end = i + core.len();
        if core.is_empty() || end > self.chars.len() || self.chars[i..end] != *core {
            return None;
        }
        if end < self.chars.len() && is_word(self.chars[end]) {
            return None;
        }
        let word_start = self.chars[..i]
            .iter()
            .rposition(|&c| !is_word(c))
            .map_or(0, |k| k + 1);
        let prefix = &self.chars[word_start..i];
        let start = if query.clitics {
            word_start + clitic_start(prefix, query.article)?
        } else if prefix.is_empty() {
            i
        } else {
            return None;
        };
        Some(Match {
            range: self.raw_range(start, end),
            word: self.raw_range(word_start, end),
        })
    }
}

/// Where the asked-for word begins inside `prefix` + word, when `prefix` is clitics only: و/ف,
/// then ب/ل/ك, then ال. With `article` (the query began with ال, now left out of the core) the
/// prefix must end with ال — or be a contracted لل, whose second ل is the article's.
fn clitic_start(prefix: &[char], article: bool) -> Option<usize> {
    let mut k = 0;
    if matches!(prefix.first(), Some('و' | 'ف')) {
        k += 1;
    }
    let after_conj = k;
    if matches!(prefix.get(k), Some('ب' | 'ل' | 'ك')) {
        k += 1;
    }
    let rest = &prefix[k..];
    if rest == ['ا', 'ل'] {
        // The article is part of what was asked for when the query had it.
        return Some(if article { k } else { prefix.len() });
    }
    // لل: ل + the article with its alef dropped; the article's ل is the second one.
    let contracted = prefix[after_conj..] == ['ل', 'ل'];
    if article {
        return contracted.then_some(after_conj + 1);
    }
    (rest.is_empty() || contracted).then_some(prefix.len())
}

impl Query {
    /// The query folded like the text; `clitics` allows و ف ب ل ك ال before the word.
    pub fn new(text: &str, clitics: bool) -> Self {
        let chars: Vec<char> = text.trim().chars().filter_map(fold).collect();
        let article = chars.len() > 2 && chars[..2] == ['ا', 'ل'];
        Self {
            chars,
            article,
            clitics,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.core().is_empty()
    }

    /// What must be in the text as it is: the query, less a leading ال when clitics are
    /// allowed (the article may then be contracted, or come with a preposition).
    pub fn core(&self) -> &[char] {
        if self.clitics && self.article {
            &self.chars[2..]
        } else {
            &self.chars
        }
    }
}

/// The raw text `text[range]` matched exactly as written (no folding, whole words), for
/// `--exact`.
pub fn find_exact(text: &str, query: &str) -> Vec<Match> {
    let chars: Vec<char> = text.chars().collect();
    let q: Vec<char> = query.trim().chars().collect();
    let mut out = Vec::new();
    if q.is_empty() {
        return out;
    }
    for i in 0..chars.len().saturating_sub(q.len() - 1) {
        if chars[i..i + q.len()] == *q
            && (i == 0 || !is_word(chars[i - 1]))
            && chars.get(i + q.len()).is_none_or(|&c| !is_word(c))
        {
            let range = CharRange::new(i, i + q.len());
            out.push(Match { range, word: range });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    /// The texts found for `query` in `text`, as raw strings.
    fn found(text: &str, query: &str, clitics: bool) -> Vec<String> {
        let folded = Folded::new(text);
        folded
            .find(&Query::new(query, clitics))
            .into_iter()
            .map(|m| {
                text.chars()
                    .skip(m.range.start)
                    .take(m.range.len())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn alef_forms_ya_ta_marbuta_harakat_tatweel_and_digits_are_folded() {
        assert_eq!(found("قال إبراهيم وابراهيم", "ابراهيم", false), ["إبراهيم"]);
        assert_eq!(
            found("في مستشفى مستشفي", "مستشفى", false),
            ["مستشفى", "مستشفي"]
        );
        assert_eq!(found("مدينة مدينه", "مدينة", false), ["مدينة", "مدينه"]);
        assert_eq!(
            found("قُتِلَ جنديٌّ", "قتل", false),
            ["قُتِلَ"],
            "harakat ignored, kept in the match"
        );
        assert_eq!(found("الجـــيش", "الجيش", false), ["الجـــيش"]);
        assert_eq!(found("قتل ٢٧ و۲۷ و27", "27", true), ["٢٧", "۲۷", "27"]);
        assert_eq!(
            found("سيكاسو\u{200F} غرب", "سيكاسو غرب", false),
            ["سيكاسو\u{200F} غرب"]
        );
        assert_eq!(found("JNIM and jnim", "Jnim", false), ["JNIM", "jnim"]);
    }

    #[test]
    fn whole_words_only_and_clitics_when_asked() {
        let text = "مالي وبمالي ومالي الماليون لمالي";
        assert_eq!(found(text, "مالي", false), ["مالي"]);
        assert_eq!(found(text, "مالي", true), ["مالي", "مالي", "مالي", "مالي"]);
        let text = "الجيش والجيش للجيش بالجيش جيش";
        assert_eq!(
            found(text, "الجيش", true),
            ["الجيش", "الجيش", "لجيش", "الجيش"]
        );
        assert_eq!(found(text, "جيش", true).len(), 5);
        assert_eq!(found(text, "الجيش", false), ["الجيش"]);
    }

    #[test]
    fn matches_map_back_to_raw_offsets_as_python_counts_them() {
        let doc = notation::parse("قُتل [PLACE|بمالي] ٣ جنود").expect("notation");
        let text = doc.text.as_str();
        let folded = Folded::new(text);
        let m = folded.find(&Query::new("مالي", true));
        assert_eq!(m.len(), 1);
        let place = &doc.spans[0];
        assert_eq!(m[0].word, place.range);
        assert_eq!(
            m[0].range,
            CharRange::new(place.range.start + 1, place.range.end)
        );
        assert_eq!(find_exact(text, "٣").len(), 1);
        assert!(find_exact(text, "3").is_empty(), "exact: as written");
    }
}
