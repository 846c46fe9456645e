//! The Arabic text engine: bundled fonts, shaping (parley_engine's analysis, HarfBuzz through
//! harfrust once per distinct word, `shaper`) and line breaking (`breaking`) that give what
//! parley 0.12 gives (`parley_reference` holds them to it), bidi per line with unicode-bidi
//! (rule L1 included), hit-testing, range geometry and carets; and drawing:
//! our own glyph atlas, meshes of the visible lines (each line's quads kept while it
//! scrolls), highlights under the text, a read-only widget and a text field (its editing
//! state in `edit`, keys, mouse and drawing in `field`).
//!
//! It knows nothing of labels or spans: callers pass char ranges with their own style keys.
//! Offsets are code points of the whole text (see [`crate::offsets`]).

pub mod atlas;
pub mod bidi;
mod breaking;
pub mod edit;
pub mod field;
mod font_choice;
pub mod fonts;
mod itemize;
pub mod layout;
pub mod line_mesh;
pub mod navigate;
#[cfg(test)]
mod parley_reference;
pub mod render;
mod shaper;
pub mod widget;

pub use bidi::Direction;
pub use field::ArabicField;
pub use layout::{
    Affinity, ClusterBox, Hit, LayoutStyle, Line, LineNumber, PlacedGlyph, Rect, TextEngine,
    TextLayout,
};
pub use line_mesh::LineMeshes;
pub use render::{HighlightStyle, StyleRun, highlight_shapes, text_mesh};
pub use widget::{ArabicText, TextSystem};
