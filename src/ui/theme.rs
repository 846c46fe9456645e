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
    if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    }
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
