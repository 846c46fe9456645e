//! The bundled fonts, embedded in the binary and registered explicitly: layout never depends on
//! the fonts of the machine it runs on.
//!
//! Noto Naskh Arabic comes first; Noto Sans covers the Latin letters, digits and punctuation
//! the Naskh build lacks (the shaper picks, per grapheme, the first font that covers it).
//! [`Fonts`] is the same pair as a parley font context, for laying text out with parley itself:
//! the reference the engine is held to, and the benchmarks' floor.

use std::sync::{Arc, OnceLock};

use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::{FontContext, FontData};

/// Noto Naskh Arabic Regular (OFL 1.1, see `fonts/OFL.txt`).
pub const NOTO_NASKH_ARABIC: &[u8] = include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf");
/// Noto Sans Regular (OFL 1.1, see `fonts/OFL.txt`).
pub const NOTO_SANS: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");

/// Index of a bundled font: 0 is Noto Naskh Arabic, 1 is Noto Sans.
pub type FontId = u8;

/// A parley font context that holds only the bundled fonts, and the family list to lay text out
/// with (the engine's reference; the engine itself reads the fonts' bytes).
pub struct Fonts {
    pub context: FontContext,
    /// CSS-style family list, Naskh first.
    pub families: String,
    blob_ids: Vec<u64>,
}

impl Fonts {
    pub fn new() -> Self {
        let mut context = FontContext {
            collection: Collection::new(CollectionOptions {
                shared: false,
                system_fonts: false,
            }),
            source_cache: SourceCache::default(),
        };
        // One blob per font for the whole program: every context registers the same data, so
        // runs shaped by any of them map to the same font ids.
        static BLOBS: OnceLock<[Blob<u8>; 2]> = OnceLock::new();
        let blobs = BLOBS.get_or_init(|| {
            [
                Blob::new(Arc::new(NOTO_NASKH_ARABIC)),
                Blob::new(Arc::new(NOTO_SANS)),
            ]
        });
        let mut names = Vec::new();
        let mut blob_ids = Vec::new();
        for blob in blobs.iter().cloned() {
            blob_ids.push(blob.id());
            for (family, _) in context.collection.register_fonts(blob, None) {
                if let Some(name) = context.collection.family_name(family) {
                    names.push(format!("\"{name}\""));
                }
            }
        }
        Self {
            context,
            families: names.join(", "),
            blob_ids,
        }
    }

    /// A map from parley's font data to our font ids, to keep beside a layout.
    pub fn map(&self) -> FontMap {
        FontMap {
            blob_ids: self.blob_ids.clone(),
        }
    }

    /// The bytes of a bundled font.
    pub fn bytes(id: FontId) -> &'static [u8] {
        match id {
            0 => NOTO_NASKH_ARABIC,
            _ => NOTO_SANS,
        }
    }
}

/// Tells which bundled font parley shaped a run with.
#[derive(Clone, Debug)]
pub struct FontMap {
    blob_ids: Vec<u64>,
}

impl FontMap {
    /// The id of a run's font (the last bundled font for anything unknown).
    pub fn id_of(&self, font: &FontData) -> FontId {
        let id = font.data.id();
        self.blob_ids
            .iter()
            .position(|&b| b == id)
            .unwrap_or(self.blob_ids.len().saturating_sub(1)) as FontId
    }
}

impl Default for Fonts {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fonts_are_registered_and_nothing_else() {
        let mut fonts = Fonts::new();
        assert_eq!(fonts.families, "\"Noto Naskh Arabic\", \"Noto Sans\"");
        let names: Vec<String> = fonts
            .context
            .collection
            .family_names()
            .map(str::to_owned)
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
