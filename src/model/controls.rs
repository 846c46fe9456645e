//! The invisible characters that reorder text (Trojan Source): bidi embeddings, overrides,
//! isolates and the directional marks. They are kept in the text as they came, never removed,
//! but named wherever they could mislead: in warnings of `validate` and `stats`, and as
//! visible marks in the window.

/// True for U+202A–U+202E, U+2066–U+2069, U+200E, U+200F and U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The short name of a bidi control, as editors show it (RLO, LRI, RLM…).
pub fn name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LRE",
        '\u{202B}' => "RLE",
        '\u{202C}' => "PDF",
        '\u{202D}' => "LRO",
        '\u{202E}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        '\u{2069}' => "PDI",
        '\u{200E}' => "LRM",
        '\u{200F}' => "RLM",
        '\u{061C}' => "ALM",
        _ => "",
    }
}

/// Each bidi control of `text` with its code-point offset.
pub fn bidi_controls(text: &str) -> Vec<(usize, char)> {
    text.chars()
        .enumerate()
        .filter(|(_, c)| is_bidi_control(*c))
        .collect()
}

/// One line naming the controls of a text (the first ten, with their offsets), or None.
pub fn warning(text: &str) -> Option<String> {
    let found = bidi_controls(text);
    if found.is_empty() {
        return None;
    }
    let listed: Vec<String> = found
        .iter()
        .take(10)
        .map(|(at, c)| format!("{} at {at}", name(*c)))
        .collect();
    let more = if found.len() > 10 { ", …" } else { "" };
    Some(format!(
        "the text holds {} invisible bidi control(s), which reorder what is shown: {}{more}",
        found.len(),
        listed.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_named_and_counted_in_code_points() {
        let text = "قتل \u{202e}27\u{202c} جنديا\u{200f}";
        assert_eq!(
            bidi_controls(text),
            [(4, '\u{202e}'), (7, '\u{202c}'), (14, '\u{200f}')]
        );
        assert_eq!(
            warning(text).as_deref(),
            Some(
                "the text holds 3 invisible bidi control(s), which reorder what is shown: \
                 RLO at 4, PDF at 7, RLM at 14"
            )
        );
        assert_eq!(warning("قتل 27 جنديا"), None);
    }
}
