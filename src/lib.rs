//! Marsad (مرصد, "observatory"): a desktop tool in which human coders annotate Arabic news.
//!
//! # Architecture
//!
//! One package, a library and a binary. Dependencies point one way; these arrows are the only
//! imports allowed between our modules:
//!
//! ```text
//! main ──► cli ──► store, model, text      (headless subcommands; `layout` dumps engine geometry)
//! main ──► ui  ──► app ──► store, model    (the window)
//!          ui  ──► text                    (text knows nothing of annotations)
//! store ──► model          text ──► model::offsets only          model ──► nothing of ours
//! ```
//!
//! | module    | owns |
//! |-----------|------|
//! | [`model`] | the document (immutable text, metadata, `text_sha256`), code-point offsets and the one char↔byte layer, the label schema, spans, relations, events, annotation sets, validation, invertible edits and undo/redo, agreement between two sets (typed differences, P/R/F1, κ); no files, no egui |
//! | [`store`] | the `marsad/1` file format in JSON and RON, plain-text import, atomic saving (files and folders), schema files, exports (`store::export`: JSONL, spaCy DocBin, CoNLL, brat, doccano, Label Studio, ACLED CSV), model predictions in (`store::predictions`: Hugging Face, spaCy, LangExtract); no UI |
//! | [`text`]  | the Arabic text engine: bundled fonts, parley shaping and line breaking, per-line bidi (UAX #9 L1+L2 with unicode-bidi), hit-testing, range rectangles, carets, words; our glyph atlas, meshes and the `ArabicText` widget; it takes char ranges with opaque style keys and never sees a label |
//! | [`app`]   | application state and commands: open and save (atomic, conflict check, recovery), selection, labelling, attributes, casualty pre-fill, events and their links, undo/redo, the corpus, exports on a background thread, review and adjudication; no drawing |
//! | [`ui`]    | the eframe window, the only place that draws: palette, document view, span list, attribute editor, event cards, review tab (differences, agreement chart), navigator, export and import dialogs, prompts; it turns gestures into `app` commands |
//! | [`cli`]   | the `marsad` subcommands (`validate`, `convert`, `stats`, `layout`, `export`, `import-predictions`, `agree`); `anyhow` and printing live here and in `main` only |
//!
//! # The offset contract
//!
//! Offsets count Unicode scalar values, start inclusive, end exclusive: `text[start:end]` in
//! Python is the span. The text never changes after import. Only [`model::CharIndex`] turns
//! offsets into byte positions.
//!
//! Errors are `thiserror` enums in the library; messages are lowercase and name the file and the
//! place.

pub mod app;
pub mod cli;
pub mod model;
pub mod offsets;
pub mod review;
pub mod store;
pub mod text;
pub mod ui;
