//! Itemising a paragraph as parley_engine does before shaping: a new segment wherever the
//! bidi level or the resolved script changes, characters without a script of their own (digits,
//! punctuation, spaces, marks) taking the script before them and the first ones the first real
//! script of the paragraph; each segment with HarfBuzz's script and whether it runs in its
//! script's own direction.

use std::ops::Range;

use icu_properties::props::Script as IcuScript;
use icu_properties::{PropertyNamesShort, PropertyNamesShortBorrowed};
use parley_engine::Analysis;

/// Characters of one bidi level and one script.
#[derive(Clone, Debug)]
pub(super) struct Segment {
    pub chars: Range<usize>,
    pub bytes: Range<usize>,
    pub rtl: bool,
    pub script: harfrust::Script,
    /// Runs in the script's own direction: HarfBuzz shapes a run against it (Arabic digits in
    /// a left-to-right run) by rules that look at the whole text, so such runs are not cut.
    pub native: bool,
}

/// Whether a script is written in this direction (for the scripts our fonts cover).
fn native(script: IcuScript, rtl: bool) -> bool {
    if rtl {
        script == IcuScript::Arabic
    } else {
        matches!(
            script,
            IcuScript::Latin | IcuScript::Greek | IcuScript::Cyrillic
        )
    }
}

/// Splits the paragraph where the bidi level or the resolved script changes; characters
/// without a script of their own take the one before them (the first ones, the first real
/// script of the paragraph), as parley_engine's itemiser does.
pub(super) fn itemize(text: &str, analysis: &Analysis, segments: &mut Vec<Segment>) {
    segments.clear();
    let info = analysis.char_info();
    let levels = analysis.bidi_levels();
    let base = analysis.paragraph_level();
    let level_at = |i: usize| levels.get(i).copied().unwrap_or(base);
    let mut current = info
        .iter()
        .map(|c| c.script)
        .find(|&s| real_script(s))
        .unwrap_or(IcuScript::Latin);
    let mut start = (0usize, 0usize);
    let mut segment_level = level_at(0);
    for (i, (byte, _)) in text.char_indices().enumerate() {
        let script = if real_script(info[i].script) {
            info[i].script
        } else {
            current
        };
        let level = level_at(i);
        if i == 0 {
            current = script;
            segment_level = level;
            continue;
        }
        if level != segment_level || script != current {
            segments.push(Segment {
                chars: start.0..i,
                bytes: start.1..byte,
                rtl: segment_level.is_rtl(),
                script: harfrust_script(current),
                native: native(current, segment_level.is_rtl()),
            });
            start = (i, byte);
            current = script;
            segment_level = level;
        }
    }
    segments.push(Segment {
        chars: start.0..info.len(),
        bytes: start.1..text.len(),
        rtl: segment_level.is_rtl(),
        script: harfrust_script(current),
        native: native(current, segment_level.is_rtl()),
    });
}

fn real_script(script: IcuScript) -> bool {
    script != IcuScript::Common && script != IcuScript::Unknown && script != IcuScript::Inherited
}

/// An ICU script as HarfBuzz's, by its ISO 15924 name.
fn harfrust_script(script: IcuScript) -> harfrust::Script {
    static NAMES: PropertyNamesShortBorrowed<'static, IcuScript> = PropertyNamesShort::new();
    NAMES
        .get(script)
        .filter(|name| name.len() == 4)
        .and_then(|name| {
            let mut tag = [0u8; 4];
            tag.copy_from_slice(name.as_bytes());
            harfrust::Script::from_iso15924_tag(harfrust::Tag::new(&tag))
        })
        .unwrap_or(harfrust::script::UNKNOWN)
}
