//! How the window looks: label colours (parsed once per schema, not once per span per frame),
//! light or dark visuals, and the bundled fonts egui falls back to for the short strings it
//! draws itself.

use std::hash::{DefaultHasher, Hash, Hasher};

use egui::Color32;

use crate::model::LabelSchema;

/// The colour of each label of a schema.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    /// A hash of the labels' names and colours it was made from.
    key: u64,
    colors: Vec<(String, Color32)>,
}

fn schema_key(schema: &LabelSchema) -> u64 {
    let mut hasher = DefaultHasher::new();
    for l in &schema.labels {
        (&l.name, &l.color).hash(&mut hasher);
    }
    hasher.finish()
}

impl Palette {
    /// The colours of `schema`'s labels (`#rrggbb`; grey when one cannot be read).
    pub fn of(schema: &LabelSchema) -> Self {
        Self {
            key: schema_key(schema),
            colors: schema
                .labels
                .iter()
                .map(|l| {
                    let c = Color32::from_hex(&l.color).unwrap_or(Color32::GRAY);
                    (l.name.clone(), c)
                })
                .collect(),
        }
    }

    /// Makes the palette that of `schema`, when the schema changed.
    pub fn refresh(&mut self, schema: &LabelSchema) {
        if self.key != schema_key(schema) || self.colors.len() != schema.labels.len() {
            *self = Self::of(schema);
        }
    }

    /// The colour of a label; grey for a label the schema lacks.
    pub fn color(&self, label: &str) -> Color32 {
        self.colors
            .iter()
            .find(|(name, _)| name == label)
            .map_or(Color32::GRAY, |(_, c)| *c)
    }
}

/// The visuals of the light or the dark theme.
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    // egui's text is grey (#505050 on light, #8C8C8C on dark): lighter than a browser's, and
    // too light on a label's fill. Text is near black (near white) instead.
    v.widgets.noninteractive.fg_stroke.color = text_color(dark);
    v
}

/// The colour of text: near black on light, near white on dark.
pub fn text_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(235)
    } else {
        Color32::from_gray(20)
    }
}

/// The fill of a span of a label of colour `color` under the text.
pub fn span_fill(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.35 } else { 0.25 })
}

/// The fill of a review difference of a kind of colour `color`.
pub fn difference_fill(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.35 } else { 0.3 })
}

/// Adds the bundled Noto fonts after egui's own, so that short strings egui draws itself
/// (attribute values, file names) have glyphs. Running text is always drawn by our engine.
pub fn install_fallback_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes) in [
        ("noto-sans", crate::text::fonts::NOTO_SANS),
        ("noto-naskh-arabic", crate::text::fonts::NOTO_NASKH_ARABIC),
    ] {
        fonts.font_data.insert(
            name.to_owned(),
            std::sync::Arc::new(egui::FontData::from_static(bytes)),
        );
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_come_from_the_schema_and_unknown_labels_are_grey() {
        let schema = LabelSchema::builtin();
        let palette = Palette::of(schema);
        let actor = schema.label("ACTOR").expect("ACTOR");
        assert_eq!(
            Some(palette.color("ACTOR")),
            Color32::from_hex(&actor.color).ok()
        );
        assert_eq!(palette.color("NOPE"), Color32::GRAY);
    }
}

#[cfg(test)]
mod contrast {
    use super::*;

    /// WCAG 2 relative luminance of an sRGB colour.
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn ratio(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// A premultiplied fill painted over an opaque background.
    fn over(fill: Color32, bg: Color32) -> Color32 {
        let a = f64::from(fill.a()) / 255.0;
        let mix = |f: u8, b: u8| (f64::from(f) + f64::from(b) * (1.0 - a)).round().min(255.0) as u8;
        Color32::from_rgb(
            mix(fill.r(), bg.r()),
            mix(fill.g(), bg.g()),
            mix(fill.b(), bg.b()),
        )
    }

    #[test]
    fn text_on_every_label_and_difference_fill_meets_wcag_aa_in_both_themes() {
        let schema = LabelSchema::builtin();
        let palette = Palette::of(schema);
        let kinds = crate::review::DiffKind::ALL.map(crate::ui::review::kind_color);
        for dark in [false, true] {
            let bg = visuals(dark).panel_fill;
            let text = visuals(dark).text_color();
            assert_eq!(text, text_color(dark));
            let fills = schema
                .labels
                .iter()
                .map(|l| (l.name.clone(), span_fill(palette.color(&l.name), dark)))
                .chain(
                    kinds
                        .iter()
                        .map(|&k| ("a difference".to_owned(), difference_fill(k, dark))),
                );
            for (what, fill) in fills {
                let shown = over(fill, bg);
                let r = ratio(text, shown);
                assert!(
                    r >= 4.5,
                    "{what} in the {} theme: {r:.2}:1",
                    if dark { "dark" } else { "light" }
                );
            }
            // Nested spans: two fills of the same label over each other.
            for l in &schema.labels {
                let fill = span_fill(palette.color(&l.name), dark);
                let r = ratio(text, over(fill, over(fill, bg)));
                assert!(r >= 4.5, "{} twice, dark {dark}: {r:.2}:1", l.name);
            }
        }
        // egui's own grey text fails on nested fills: what the test guards against.
        let (grey, bg) = (
            egui::Visuals::light().text_color(),
            egui::Visuals::light().panel_fill,
        );
        let worst = schema
            .labels
            .iter()
            .map(|l| {
                let fill = span_fill(palette.color(&l.name), false);
                ratio(grey, over(fill, over(fill, bg)))
            })
            .fold(f64::MAX, f64::min);
        assert!(worst < 4.5, "{worst:.2}");
    }
}
