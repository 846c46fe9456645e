//! Which bundled font shapes a grapheme, by parley's rule: the first font of the stack (Noto
//! Naskh Arabic, then Noto Sans) that covers all of its shaping characters, else the first that
//! covers most, their composed or decomposed forms tried too, else the first font. The answer
//! for a grapheme of one character depends on that character alone and is remembered.

use icu_properties::props::Script as IcuScript;
use parley_engine::{AnalysisDataSources, CharInfo};
use skrifa::MetadataProvider;
use smallvec::SmallVec;

use super::fonts::{FontId, Fonts};

/// The bundled fonts' character maps and the fonts chosen so far.
pub(super) struct FontChoice {
    charmaps: Vec<skrifa::charmap::Charmap<'static>>,
    sources: AnalysisDataSources,
    /// The font of each character below [`CHAR_FONTS`] met alone in a grapheme.
    char_fonts: Vec<FontId>,
}

/// Characters below this have their font remembered in a table (Latin, Arabic and their
/// punctuation, and general punctuation).
const CHAR_FONTS: usize = 0x3000;
const UNKNOWN_FONT: FontId = FontId::MAX;

impl FontChoice {
    pub fn new() -> Self {
        Self {
            charmaps: (0..2)
                .filter_map(|id| skrifa::FontRef::new(Fonts::bytes(id)).ok())
                .map(|f| f.charmap())
                .collect(),
            sources: AnalysisDataSources::new(),
            char_fonts: vec![UNKNOWN_FONT; CHAR_FONTS],
        }
    }

    /// The font of a grapheme of one character, remembered per character (it depends on
    /// nothing else).
    pub fn font_of_char(&mut self, c: char, info: CharInfo) -> FontId {
        let i = c as usize;
        if let Some(&known) = self.char_fonts.get(i)
            && known != UNKNOWN_FONT
        {
            return known;
        }
        let font = self.select_font(&[c], &[info]);
        if let Some(slot) = self.char_fonts.get_mut(i) {
            *slot = font;
        }
        font
    }

    /// The first bundled font that covers the grapheme best (parley's rule: complete coverage
    /// wins at once, otherwise the first with the most characters covered, normalised forms
    /// tried too; with no coverage at all, the first font).
    pub fn select_font(&self, chars: &[char], info: &[CharInfo]) -> FontId {
        let mut is_emoji = false;
        let mut considered: SmallVec<[(char, bool); 8]> = SmallVec::new();
        let mut force_normalize = false;
        // A normalised form counts its characters unless the first original one is a control.
        let form_counts = info.first().is_none_or(|i| !i.is_control());
        for (&ch, info) in chars.iter().zip(info) {
            force_normalize |= info.force_normalize();
            is_emoji |= info.is_emoji_or_pictograph();
            let selector = is_emoji && matches!(ch, '\u{FE0E}' | '\u{FE0F}');
            considered.push((ch, info.contributes_to_shaping() && !selector));
        }
        let map_len = considered.iter().filter(|(_, c)| *c).count();
        let mut best: Option<(FontId, Coverage)> = None;
        for (id, charmap) in self.charmaps.iter().enumerate() {
            let covers = |c: char| charmap.map(c).is_some_and(|g| g.to_u32() != 0);
            let coverage =
                self.coverage(&considered, map_len, force_normalize, form_counts, &covers);
            let better = best.is_none_or(|(_, b)| coverage.greater(b));
            if better {
                best = Some((id as FontId, coverage));
                if coverage.complete() {
                    break;
                }
            }
        }
        best.map_or(0, |(id, _)| id)
    }

    /// A font's best coverage of a grapheme: its characters, or their composed or decomposed
    /// forms (pairwise only, as parley).
    fn coverage(
        &self,
        chars: &[(char, bool)],
        map_len: usize,
        force_normalize: bool,
        form_counts: bool,
        covers: &impl Fn(char) -> bool,
    ) -> Coverage {
        let count = |chars: &[(char, bool)], total: usize| Coverage {
            covered: chars
                .iter()
                .filter(|(c, contributes)| *contributes && covers(*c))
                .count()
                .min(255) as u8,
            total: total.min(255) as u8,
        };
        let mut best = count(chars, map_len);
        if best.complete() {
            return best;
        }
        let form = |list: &[char]| -> Vec<(char, bool)> {
            list.iter()
                .map(|&c| {
                    let props = self.sources.properties(c);
                    (
                        c,
                        contributes_to_shaping(props.general_category(), props.script()),
                    )
                })
                .collect()
        };
        let total_of = |form: &[(char, bool)]| if form_counts { form.len() } else { 0 };
        let composed = || -> Option<Vec<(char, bool)>> {
            if chars.len() != 2 {
                return None;
            }
            let c = self
                .sources
                .composing_normalizer()
                .compose(chars[0].0, chars[1].0)?;
            Some(form(&[c]))
        };
        let try_form = |f: Vec<(char, bool)>, best: &mut Coverage| -> bool {
            let c = count(&f, total_of(&f));
            if c.greater(*best) {
                *best = c;
                c.complete()
            } else {
                false
            }
        };
        if force_normalize
            && let Some(f) = composed()
            && try_form(f, &mut best)
        {
            return best;
        }
        if chars.len() == 1
            && let icu_normalizer::properties::Decomposed::Expansion(a, b) =
                self.sources.decomposing_normalizer().decompose(chars[0].0)
        {
            if try_form(form(&[a, b]), &mut best) {
                return best;
            }
            if !force_normalize
                && let Some(f) = composed()
                && try_form(f, &mut best)
            {
                return best;
            }
        }
        best
    }
}

/// How many of a grapheme's shaping characters a font covers.
#[derive(Clone, Copy, Debug)]
struct Coverage {
    covered: u8,
    total: u8,
}

impl Coverage {
    fn complete(self) -> bool {
        self.covered >= self.total
    }

    /// Strictly better, by the fraction covered (all complete coverages equal).
    fn greater(self, other: Self) -> bool {
        match (self.complete(), other.complete()) {
            (true, true) | (false, true) => false,
            (true, false) => true,
            (false, false) => {
                u16::from(self.covered) * u16::from(other.total)
                    > u16::from(other.covered) * u16::from(self.total)
            }
        }
    }
}

/// Whether a character counts for font coverage (parley_engine's rule).
fn contributes_to_shaping(
    category: icu_properties::props::GeneralCategory,
    script: IcuScript,
) -> bool {
    use icu_properties::props::GeneralCategory as G;
    if matches!(
        category,
        G::Control | G::LineSeparator | G::ParagraphSeparator
    ) {
        return false;
    }
    !(category == G::Format && script != IcuScript::Inherited)
}
