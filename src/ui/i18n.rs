//! The interface's languages: English and Arabic, one catalogue, and what makes Arabic chrome
//! read right in egui's own widgets.
//!
//! The catalogue is a table from each English string to its Arabic (a small typed table
//! rather than Fluent: the strings are short labels without plurals or arguments, a call
//! reads as the English it shows, `tr(lang, "Save")`, and a test reads the interface's source
//! and fails on any `tr("…")` whose string has no Arabic).
//!
//! egui shapes each Arabic word right to left but puts the words of a line left to right
//! ("حصيلة أولية" shows as أولية حصيلة). So the Arabic strings are stored in *visual* word
//! order ([`visual_words`]): the bidi runs of the line in the order they are drawn, the words
//! of a right-to-left run reversed and its brackets mirrored. A one-line label is then exact;
//! long texts (notes, the article, tooltips with sentences) are drawn by our own engine.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

pub use crate::app::Lang;

/// A language's own name, as the Language menu lists it.
pub fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ar => tr(Lang::Ar, "العربية"),
    }
}

/// English → Arabic.
const ARABIC: &[(&str, &str)] = &[
    ("File", "ملف"),
    ("Edit", "تحرير"),
    ("View", "عرض"),
    ("Settings", "إعدادات"),
    ("Language", "اللغة"),
    ("العربية", "العربية"),
    ("Open…", "فتح…"),
    ("Open Folder…", "فتح مجلد…"),
    ("Open Recent", "الملفات الأخيرة"),
    ("Save", "حفظ"),
    ("Save As…", "حفظ باسم…"),
    ("Export…", "تصدير…"),
    ("Import Predictions…", "استيراد تنبؤات…"),
    ("Quit", "خروج"),
    ("Undo", "تراجع"),
    ("Redo", "إعادة"),
    ("Mark done", "تم الترميز"),
    ("Mark not done", "لم يكتمل بعد"),
    (
        "Mark done opens the next document",
        "بعد الإتمام افتح المستند التالي",
    ),
    ("New event", "حدث جديد"),
    ("Delete span", "حذف المقطع"),
    ("Trim proclitic", "حذف السابقة"),
    ("Stop linking", "إيقاف الربط"),
    ("Zoom in", "تكبير"),
    ("Zoom out", "تصغير"),
    ("Actual size", "الحجم الفعلي"),
    ("Dark theme", "سمة داكنة"),
    ("Show label tags", "إظهار وسوم التسميات"),
    ("Show relations", "إظهار العلاقات"),
    ("Show bidi controls", "إظهار محارف الاتجاه"),
    ("Coder name…", "اسم المرمِّز…"),
    ("Coder name", "اسم المرمِّز"),
    ("coder", "المرمِّز"),
    ("Spans", "المقاطع"),
    ("Events", "الأحداث"),
    ("Review", "المراجعة"),
    ("Previous", "السابق"),
    ("Next", "التالي"),
    ("Next not done", "التالي غير المكتمل"),
    ("Sort by review queue", "ترتيب حسب قائمة المراجعة"),
    ("Show", "عرض"),
    ("No document matches", "لا يطابق أي مستند"),
    ("All", "الكل"),
    ("Assigned to me", "المسندة إليّ"),
    ("Done", "مكتمل"),
    ("Needs review", "تحتاج مراجعة"),
    ("Team", "الفريق"),
    ("coder", "المرمّز"),
    ("assigned", "مسندة"),
    ("in progress", "قيد العمل"),
    ("done", "مكتملة"),
    ("time", "الوقت"),
    ("Keep all mine", "إبقاء كل نسختي"),
    ("Take all theirs", "أخذ كل نسختهم"),
    ("Keep mine", "إبقاء نسختي"),
    ("Take theirs", "أخذ نسختهم"),
    ("Sync", "مزامنة"),
    ("not started", "لم تبدأ"),
    ("Needs adjudication", "تحتاج تحكيما"),
    ("Merge conflicts to settle", "تعارضات دمج للحسم"),
    ("Promote to corpus", "نقل إلى المدونة"),
    ("Link", "ربط"),
    ("Merge", "دمج"),
    ("New registry entry", "مدخل جديد في السجل"),
    ("Undo merge of events", "تراجع عن دمج الأحداث"),
    ("Take A", "خذ أ"),
    ("Take B", "خذ ب"),
    ("Neither", "لا هذا ولا ذاك"),
    ("Split", "جنبًا إلى جنب"),
    ("Unified", "نص واحد"),
    ("OK", "موافق"),
    ("Cancel", "إلغاء"),
    ("Discard changes", "تجاهل التغييرات"),
    ("Unsaved changes", "تغييرات غير محفوظة"),
    ("Overwrite", "استبدال"),
    ("The file changed on disk", "تغيّر الملف على القرص"),
    ("Restore", "استعادة"),
    ("Discard", "تجاهل"),
    ("Unsaved work found", "عُثر على عمل غير محفوظ"),
    ("Export", "تصدير"),
    ("Import", "استيراد"),
    ("Choose…", "اختيار…"),
    ("Open it", "افتحه"),
    ("Stay here", "ابقَ هنا"),
    ("Delete this span?", "أأحذف هذا المقطع؟"),
    ("Find", "بحث"),
    ("Import Corpus…", "استيراد مدوّنة…"),
    ("Import a corpus", "استيراد مدوّنة"),
    ("input", "المُدخل"),
    ("new folder", "مجلد جديد"),
    ("set name", "اسم المجموعة"),
    ("Suggestions", "الاقتراحات"),
    ("Find…", "بحث…"),
    ("no match", "لا نتيجة"),
    ("matches", "نتيجة"),
    ("with و ف ب ل ك ال", "مع و ف ب ل ك ال"),
    ("Label all…", "وسم الكل…"),
    ("Label all like this…", "وسم كل ما يشبهه…"),
    ("Undo label all", "تراجع عن وسم الكل"),
    ("Label all matches", "وسم كل النتائج"),
    ("Label", "الوسم"),
    ("This document", "هذا المستند"),
    ("Whole folder", "المجلد كله"),
    ("to label", "للوسم"),
    ("These go with it:", "يُحذف معه:"),
    ("Delete them all", "احذفها كلها"),
    ("Keep", "أبقِه"),
    ("Every difference here is decided", "حُسمت كل الفروق هنا"),
    ("Export annotations", "تصدير التوسيمات"),
    ("Import predictions", "استيراد التنبؤات"),
    ("note", "ملاحظة"),
    ("labels shown", "التسميات المعروضة"),
    ("Close", "إغلاق"),
    ("Delete", "حذف"),
    ("No events yet.", "لا أحداث بعد."),
    ("type", "النوع"),
    ("sub-type", "النوع الفرعي"),
    ("date", "التاريخ"),
    ("notes", "ملاحظات"),
    ("format", "الصيغة"),
    ("documents", "المستندات"),
    ("annotation set", "مجموعة التوسيم"),
    ("offsets", "المواضع"),
    ("clitics", "اللواصق"),
    ("to", "إلى"),
    ("this document", "هذا المستند"),
    ("By label", "حسب التسمية"),
    ("confidence threshold", "عتبة الثقة"),
    ("Agreement", "الاتفاق"),
    (
        "Confusion (A label × B label)",
        "الالتباس (تسمية أ × تسمية ب)",
    ),
    ("predictions file", "ملف التنبؤات"),
    ("prediction format", "صيغة التنبؤات"),
    ("model name", "اسم النموذج"),
    ("model version", "إصدار النموذج"),
    ("label map", "مطابقة التسميات"),
    ("words", "الكلمات"),
    ("match", "تطابق"),
    ("attribute mismatch", "اختلاف في صفة"),
    ("label mismatch", "اختلاف في التسمية"),
    ("boundary mismatch", "اختلاف في الحدود"),
    ("clitic-only boundary", "اختلاف في اللاصقة فقط"),
    ("missing (A only)", "ناقص (في أ فقط)"),
    ("spurious (B only)", "زائد (في ب فقط)"),
    ("mismatch", "اختلاف"),
    ("relation", "علاقة"),
    ("event", "حدث"),
    ("span", "مقطع"),
    ("took A", "أُخذ أ"),
    ("took B", "أُخذ ب"),
    ("kept A's", "أُبقي أ"),
    ("neither", "لا هذا ولا ذاك"),
    ("", ""),
    ("all labels", "كل التسميات"),
    ("done", "مكتمل"),
    ("of", "من"),
];

/// The Arabic of each English string, in visual word order, made once.
fn arabic() -> &'static HashMap<&'static str, String> {
    static TABLE: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        ARABIC
            .iter()
            .map(|&(en, ar)| (en, visual_words(ar)))
            .collect()
    })
}

/// `en` in the interface's language (English itself when it has no Arabic yet).
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ar => arabic().get(en).map_or(en, String::as_str),
    }
}

/// `en` in the interface's language in reading (logical) order, to build a longer string
/// from; pass the whole of it through [`visual_words`] (or [`shown`]) for egui.
pub fn tr_logical(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ar => ARABIC
            .iter()
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, ar)| *ar),
    }
}

/// A string made for the interface, ready for egui: as it is in English, in visual word
/// order in Arabic.
pub fn shown(lang: Lang, text: String) -> String {
    match lang {
        Lang::En => text,
        Lang::Ar => visual_words(&text),
    }
}

/// A bracket as a right-to-left run draws it.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '«' => '»',
        '»' => '«',
        '<' => '>',
        '>' => '<',
        c => c,
    }
}

/// `text` (one line, right to left) with its words in the order they are drawn: the bidi runs
/// left to right, the words (and spaces and punctuation) of each right-to-left run reversed
/// and its brackets mirrored, every word's own letters left in their order (egui shapes a
/// word right to left itself). Laid out left to right, it reads as the line should.
pub fn visual_words(text: &str) -> String {
    let info = BidiInfo::new(text, Some(Level::rtl()));
    let mut out = String::with_capacity(text.len());
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            if levels[run.start].is_rtl() {
                for token in piece.split_word_bounds().rev() {
                    if token.chars().any(char::is_alphanumeric) {
                        out.push_str(token);
                    } else {
                        out.extend(token.chars().rev().map(mirrored));
                    }
                }
            } else {
                out.push_str(piece);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_picks_arabic_and_the_choice_is_remembered() {
        assert_eq!(Lang::from_locale_vars(None, Some("ar_EG.UTF-8")), Lang::Ar);
        assert_eq!(Lang::from_locale_vars(Some(""), Some("ar_MA")), Lang::Ar);
        assert_eq!(
            Lang::from_locale_vars(Some("en_US.UTF-8"), Some("ar_EG")),
            Lang::En
        );
        assert_eq!(Lang::from_locale_vars(None, None), Lang::En);
        // Saved with the other settings, and read back so (not taken from the locale again).
        let settings = crate::app::Settings {
            language: Lang::Ar,
            ..crate::app::Settings::default()
        };
        let saved = ron::to_string(&settings).expect("settings");
        let back: crate::app::Settings = ron::from_str(&saved).expect("read");
        assert_eq!(back.language, Lang::Ar);
    }

    #[test]
    fn right_to_left_words_and_brackets_come_in_the_order_they_are_drawn() {
        assert_eq!(visual_words("حصيلة أولية"), "أولية حصيلة");
        // A number keeps its digits' order; the brackets around it turn.
        assert_eq!(visual_words("الأحداث (4)"), "(4) الأحداث");
        assert_eq!(visual_words("فتح…"), "…فتح");
        // Latin inside Arabic stays one left-to-right run.
        assert_eq!(visual_words("ملف JSON جديد"), "جديد JSON ملف");
    }

    /// The glyphs egui places for a string, left to right: (char, x).
    fn egui_glyphs(text: &str) -> Vec<(char, f32)> {
        let ctx = egui::Context::default();
        crate::ui::theme::install_fallback_fonts(&ctx);
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        let galley = ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                text.to_owned(),
                egui::FontId::proportional(16.0),
                egui::Color32::BLACK,
            )
        });
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        galley.rows[0]
            .glyphs
            .iter()
            .map(|g| (g.chr, g.pos.x))
            .collect()
    }

    #[test]
    fn egui_draws_an_arabic_label_with_a_digit_and_a_bracket_in_reading_order() {
        let shown = visual_words("الأحداث (4)");
        let glyphs = egui_glyphs(&shown);
        let x = |c: char| {
            glyphs
                .iter()
                .find(|(g, _)| *g == c)
                .map(|(_, x)| *x)
                .expect("drawn")
        };
        // Read right to left: الأحداث, then the bracketed number at its left, with "(" on
        // the number's right and ")" on its left, as a browser draws it.
        assert!(x('ث') > x('4'), "the word right of the number");
        assert!(x('(') < x('4') && x(')') > x('4'), "{glyphs:?}");
        // Without the pass egui would put the word first (on the left).
        let raw = egui_glyphs("الأحداث (4)");
        let raw_x = |c: char| raw.iter().find(|(g, _)| *g == c).map(|(_, x)| *x);
        assert!(raw_x('ث') < raw_x('4'));
    }

    #[test]
    fn every_string_the_interface_translates_has_its_arabic() {
        let table: HashMap<&str, &str> = ARABIC.iter().copied().collect();
        let sources = [
            include_str!("menu.rs"),
            include_str!("mod.rs"),
            include_str!("navigator.rs"),
            include_str!("prompts.rs"),
            include_str!("review.rs"),
            include_str!("palette.rs"),
            include_str!("export.rs"),
            include_str!("import.rs"),
            include_str!("attributes.rs"),
            include_str!("spans.rs"),
            include_str!("events.rs"),
            include_str!("agreement.rs"),
            include_str!("team.rs"),
            include_str!("conflicts.rs"),
            include_str!("corpus_events.rs"),
        ];
        let mut missing = Vec::new();
        for src in sources {
            for (i, _) in src.match_indices("tr(") {
                let rest = &src[i + 3..];
                // tr(lang, "…"): the string after the first comma.
                let Some(q) = rest.find('"') else { continue };
                if rest[..q].contains(')') || !rest[..q].contains(',') {
                    continue;
                }
                let s = &rest[q + 1..];
                let Some(end) = s.find('"') else { continue };
                let en = &s[..end];
                if !table.contains_key(en) {
                    missing.push(en.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "no Arabic for {missing:?}");
        assert!(tr(Lang::Ar, "Save") != "Save");
    }
}
