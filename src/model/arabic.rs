//! The Arabic rules Marsad applies, in one place: the proclitics a coder may leave out of a
//! span (و ف ب ل ك) and what counts as a clitic-only difference between two spans; and reading
//! a casualty figure from Arabic text, the number (digits in any of the three digit sets, or
//! number words) and the qualifier (نحو، حوالي، ما لا يقل عن، أكثر من، أقل من …), used to
//! pre-fill a new CASUALTY span. The coder can always change what is proposed.

/// Letters a coder may trim from the start of a selection or span: the proclitics و ف ب ل ك.
pub const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// True when `text` starts with a proclitic glued to a letter (بسيكاسو, not a lone و).
pub fn starts_with_proclitic(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some(p), Some(next)) if PROCLITICS.contains(&p) && next.is_alphabetic()
    )
}

/// True when `prefix`, the part one span has before another that ends with it, is only one or
/// two proclitics and/or the article ال (ب، وال، لل، ال): the two spans differ by a clitic only.
pub fn is_clitic_prefix(prefix: &str) -> bool {
    let rest = prefix.trim_start_matches(|c| PROCLITICS.contains(&c));
    let letters = prefix[..prefix.len() - rest.len()].chars().count();
    letters <= 2 && (rest.is_empty() || rest == "ال")
}

/// A form of `s` for comparing what a model's tokenizer wrote with the text it came from:
/// without spaces (tokenizers write `( JNIM )` for `(JNIM)`), sub-word marks (`##`, `▁`),
/// harakat and tatweel, in lower case, with the alef forms, ى and ة folded to ا, ي and ه.
/// Only ever used to compare, never stored.
pub fn loose(s: &str) -> String {
    s.replace("##", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '▁')
        .filter_map(fold)
        .collect()
}

/// One character as searching and comparing see it: alef forms (أ إ آ ٱ) as ا, ى as ي, ة as
/// ه, Arabic-Indic and Extended digits as 0–9, Latin letters in lower case; `None` for what
/// is ignored — harakat, the dagger alef, tatweel, bidi controls, ZWNJ and ZWJ.
pub fn fold(c: char) -> Option<char> {
    match c {
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
        '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
        '\u{061C}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        '٠'..='٩' => char::from_u32(c as u32 - '٠' as u32 + '0' as u32),
        '۰'..='۹' => char::from_u32(c as u32 - '۰' as u32 + '0' as u32),
        c if c.is_uppercase() => c.to_lowercase().next(),
        c => Some(c),
    }
}

/// Qualifier values of the built-in schema.
pub const EXACT: &str = "EXACT";

/// The first number in `text`: digits (0–9, ٠–٩, ۰–۹, with Arabic or Latin thousands separators)
/// or a number word (واحد … عشرة، عشرون …، مئة، ألف).
pub fn parse_value(text: &str) -> Option<i64> {
    let mut digits = String::new();
    let mut started = false;
    for c in text.chars() {
        if let Some(d) = digit_value(c) {
            digits.push(char::from(b'0' + d));
            started = true;
        } else if started && matches!(c, ',' | '٬' | '.') {
            continue;
        } else if started {
            break;
        }
    }
    if let Ok(n) = digits.parse() {
        return Some(n);
    }
    text.split(|c: char| !c.is_alphabetic() && !is_mark(c))
        .filter(|w| !w.is_empty())
        .find_map(|w| number_word(&strip_marks(w)))
}

fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '٠'..='٩' => Some((c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => Some((c as u32 - '۰' as u32) as u8),
        _ => None,
    }
}

fn is_mark(c: char) -> bool {
    ('\u{064B}'..='\u{0652}').contains(&c) || c == '\u{0670}' || c == 'ـ'
}

fn strip_marks(w: &str) -> String {
    w.chars().filter(|&c| !is_mark(c)).collect()
}

/// The value of a number word, with or without the article, the proclitic و, or a case
/// ending (ثلاثة، ثلاث، الثلاثة، عشرين، مئتي).
fn number_word(word: &str) -> Option<i64> {
    let bare = word.strip_prefix("ال").unwrap_or(word);
    let after_waw = word.strip_prefix('و').filter(|r| r.chars().count() > 2);
    let after_waw = after_waw.map(|r| r.strip_prefix("ال").unwrap_or(r));
    std::iter::once(bare)
        .chain(after_waw)
        .find_map(known_number)
}

fn known_number(w: &str) -> Option<i64> {
    const WORDS: &[(&[&str], i64)] = &[
        (&["واحد", "واحدة"], 1),
        (&["اثنان", "اثنين", "اثنتان", "اثنتين"], 2),
        (&["ثلاثة", "ثلاث"], 3),
        (&["أربعة", "أربع", "اربعة", "اربع"], 4),
        (&["خمسة", "خمس"], 5),
        (&["ستة", "ست"], 6),
        (&["سبعة", "سبع"], 7),
        (&["ثمانية", "ثماني", "ثمان"], 8),
        (&["تسعة", "تسع"], 9),
        (&["عشرة", "عشر"], 10),
        (&["عشرون", "عشرين"], 20),
        (&["ثلاثون", "ثلاثين"], 30),
        (&["أربعون", "أربعين", "اربعين"], 40),
        (&["خمسون", "خمسين"], 50),
        (&["مئة", "مائة"], 100),
        (&["مئتان", "مئتين", "مائتين"], 200),
        (&["ألف", "الف"], 1000),
    ];
    WORDS
        .iter()
        .find(|(forms, _)| forms.contains(&w))
        .map(|&(_, n)| n)
}

/// Words that make a figure vague: dozens, hundreds, several.
pub fn is_vague(text: &str) -> bool {
    ["عشرات", "مئات", "آلاف", "العديد", "عدد من", "بضعة", "بضع"]
        .iter()
        .any(|w| text.contains(w))
}

/// True when `phrase` stands in `text` as whole words (not inside a longer word: بين is not
/// found in تبين).
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

/// The qualifier that the words just before a span, or in it, give its figure, if any:
/// `before` is the text before the span (a few words), `span` its own text. Only words right
/// before the span count, so that "نحو 20 جنديا و15" does not make 15 approximate.
pub fn parse_qualifier(before: &str, span: &str) -> Option<&'static str> {
    let before = before.trim_end();
    let rules: &[(&[&str], &str)] = &[
        (
            &[
                "ما لا يقل عن",
                "لا يقل عن",
                "على الأقل",
                "أكثر من",
                "اكثر من",
                "ما يزيد عن",
                "ما يزيد على",
                "يزيد عن",
            ],
            "AT_LEAST",
        ),
        (
            &["أقل من", "اقل من", "لا يتجاوز", "ما لا يزيد عن", "على الأكثر"],
            "AT_MOST",
        ),
        (
            &[
                "نحو",
                "حوالي",
                "حوالى",
                "قرابة",
                "زهاء",
                "ما يقارب",
                "تقريبا",
                "تقريباً",
            ],
            "ABOUT",
        ),
        (&["بين"], "RANGE"),
    ];
    for (words, q) in rules {
        let just_before = |w: &&str| {
            before.ends_with(*w) && has_phrase(&before[before.len() - w.len()..], w) && {
                let rest = &before[..before.len() - w.len()];
                !rest.chars().next_back().is_some_and(char::is_alphabetic)
            }
        };
        if words.iter().any(|w| just_before(w) || has_phrase(span, w)) {
            return Some(q);
        }
    }
    if is_vague(span) {
        return Some("VAGUE");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_tokenizers_change_is_folded_for_comparison_only() {
        assert_eq!(loose("( JNIM )"), loose("(JNIM)"));
        assert_eq!(loose("الجيش"), loose("الجَيْش"));
        assert_eq!(loose("الاسلام"), loose("الإسلام"));
        assert_eq!(loose("##ال ▁مسلمين"), loose("المسلمين"));
        assert_eq!(loose("قتلـــى"), loose("قتلي"));
        assert_ne!(loose("باماكو"), loose("مالي"));
    }

    #[test]
    fn proclitics_and_clitic_prefixes() {
        assert!(starts_with_proclitic("بسيكاسو"));
        assert!(!starts_with_proclitic("و سيكاسو"));
        assert!(!starts_with_proclitic("سيكاسو"));
        for p in ["ب", "وال", "لل", "ال", "وب"] {
            assert!(is_clitic_prefix(p), "{p}");
        }
        for p in ["مدينة ", "وبل", "الم"] {
            assert!(!is_clitic_prefix(p), "{p}");
        }
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(parse_value("ما لا يقل عن 27 قتيلا"), Some(27));
        assert_eq!(parse_value("١٢ جنديا"), Some(12));
        assert_eq!(parse_value("۱۴ جندیا"), Some(14));
        assert_eq!(parse_value("1,200 نازح"), Some(1200));
        assert_eq!(parse_value("٢٬٥٠٠ نازح"), Some(2500));
    }

    #[test]
    fn number_words() {
        assert_eq!(parse_value("مقتل جندي واحد"), Some(1));
        assert_eq!(parse_value("ثلاثة مدنيين"), Some(3));
        assert_eq!(parse_value("خمسة جنود"), Some(5));
        assert_eq!(parse_value("عشرين مسلحا"), Some(20));
        assert_eq!(parse_value("ثَلاثة مدنيين"), Some(3), "harakat are ignored");
        assert_eq!(parse_value("عشرات الجرحى"), None);
        assert_eq!(parse_value("قتلى"), None);
    }

    #[test]
    fn qualifiers_from_the_words_around() {
        assert_eq!(parse_qualifier("", "ما لا يقل عن 27 قتيلا"), Some("AT_LEAST"));
        assert_eq!(
            parse_qualifier("أسفر الهجوم عن مقتل نحو", "25 جنديا"),
            Some("ABOUT")
        );
        assert_eq!(parse_qualifier("", "حوالي 40 مدنيا"), Some("ABOUT"));
        assert_eq!(parse_qualifier("", "أكثر من 30 آخرين"), Some("AT_LEAST"));
        assert_eq!(parse_qualifier("", "أقل من 10 جنود"), Some("AT_MOST"));
        assert_eq!(parse_qualifier("", "عشرات الجرحى"), Some("VAGUE"));
        assert_eq!(parse_qualifier("قال الجيش إن", "12 جنديا"), None);
        assert_eq!(
            parse_qualifier("نحو 20 جنديا و", "15 مدنيا"),
            None,
            "another figure's qualifier"
        );
        assert_eq!(
            parse_qualifier("وقد تبين أن", "12 جنديا"),
            None,
            "بين inside تبين"
        );
        assert_eq!(parse_qualifier("ما بين", "10 و15 قتيلا"), Some("RANGE"));
    }
}
