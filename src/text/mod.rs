//! The Arabic text engine: bundled fonts, shaping and line breaking with parley, bidi per line
//! with unicode-bidi (rule L1 included), hit-testing, range geometry and carets.
//!
//! It knows nothing of labels or spans: callers pass char ranges and get rectangles back.
//! Offsets are code points of the whole text (see `model::offsets`).

pub mod bidi;
pub mod fonts;
pub mod layout;

pub use bidi::Direction;
pub use layout::{
    Affinity, ClusterBox, Hit, LayoutStyle, Line, PlacedGlyph, Rect, TextEngine, TextLayout,
};
