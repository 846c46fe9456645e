//! Marsad (مرصد, "observatory"): a desktop tool in which human coders annotate Arabic news.
//!
//! # Architecture
//!
//! One package, a library and a binary. Dependencies point one way; these arrows are the only
//! imports allowed between our modules:
//!
//! ```text
//! main ──► cli ──► store, review, model, text   (headless subcommands; `layout` dumps engine geometry)
//! main ──► ui  ──► app ──► store, review, model (the window)
//!          ui  ──► text                         (text knows nothing of annotations)
//! store ──► model     review ──► model     model ──► offsets     text ──► offsets
//! offsets ──► nothing of ours
//! ```
//!
//! | module    | owns |
//! |-----------|------|
//! | [`offsets`] | code-point ranges, the one char↔byte layer, the one code point↔UTF-16 layer and its unit enum; a leaf |
//! | [`model`] | the document (immutable text, metadata, `text_sha256`), the label schema, spans, relations, events, annotation sets, validation, invertible edits and undo/redo with an edit revision, the Arabic rules (`model::arabic`: proclitics, casualty figures, the folding of letters and digits), Arabic-aware find (`model::search`: folded, clitic-aware, mapped back to raw offsets), the string-matching recommender (`model::recommend`), the three-way merge by identity (`model::merge`: what git's merge driver does, conflicts kept in the set), events of the corpus and their reconciliation by ACLED's rules (`model::corpus_event`), the index that finds an event's other reports and its duplicates (`model::event_index`) and the registry of actors and places (`model::registry`); no files, no egui |
//! | [`store`] | the `marsad/1` file format in JSON and RON, plain-text import, atomic saving (files and folders), recovery files and fingerprints (`store::recovery`), schema files, exports (`store::export`: JSONL, spaCy DocBin, CoNLL, brat, doccano, Label Studio, ACLED CSV, UIMA CAS XMI; documents made into pieces on every core, words and sentences by `export::segment`, spaCy's zlib stream joined from per-document pieces by `export::deflate`), corpora in (`store::import`: JSONL, doccano, Label Studio, brat, CoNLL, Wojood, XMI, spaCy; checked, one set per annotator, into a new folder), model predictions in (`store::predictions`: Hugging Face, spaCy, LangExtract), the merge driver on files (`store::merge`), the team manifest and balanced assignments (`store::team`), the user's git run for a corpus (`store::git`: driver set-up, check, sync), the corpus's events (`store::corpus_events`, one file each) and registry file with the bundled starter (`store::registry`); no UI |
//! | [`review`] | two sets of one document compared: `align` (typed differences by span index), `metrics` (P/R/F1, κ), `alpha` (αu), `adjudicate` (the accept/reject edits), `corpus` (micro and macro averages), `team` (a team's progress: per coder, per document, ready for agreement or adjudication); a `Comparison` is made once per edit revision; no UI |
//! | [`text`]  | the Arabic text engine: bundled fonts, shaping (parley_engine's analysis, `text::itemize`, `text::font_choice`, HarfBuzz via harfrust each distinct word once, `text::shaper`) and line breaking (`text::breaking`) held bit for bit to parley's (`text::parley_reference`), per-line bidi (UAX #9 L1+L2 with unicode-bidi), hit-testing, range rectangles, carets, visual caret movement and word snapping (`text::navigate`), words; our glyph atlas (starting small, doubling when full), meshes (each line's glyph quads kept while it scrolls, `text::line_mesh`), layouts cached per (text, style, width) and the `ArabicText` widget; it takes char ranges with opaque style keys and never sees a label |
//! | [`app`]   | application state and commands, one file per concern (`command`, `error`, `settings`, `session`, `corpus`, `labelling`, `relations`, `events`, `review`, `export`, `find`, `label_all`, `suggest`, `import_corpus`, `team`, `conflicts`, `sync`, `corpus_events`, `registry`) with small handlers and a typed `AppError`; the folder read, exports written and git synced on background threads; no drawing, no files |
//! | [`ui`]    | the eframe window, the only place that draws, one file per screen or panel (`menu`, `palette`, `document` with its `gestures` and `overlays`, `caret`, `find`, `label_all`, `spans`, `attributes`, `events`, `review`, `navigator`, `prompts`, `export`, `import`, `import_corpus`, `team`, `conflicts`, `corpus_events`, `keys`, `theme`, and `startup`, the probe the start-up benchmark reads); it turns gestures into `app` commands; `logic()` polls and autosaves even while hidden |
//! | [`cli`]   | the `marsad` subcommands, one file each (`validate`, `convert`, `stats`, `layout`, `export`, `import`, `import_predictions`, `agree`, `review_queue`, `find`, `merge_driver`, `team/{init,check,assign,status}`, `events`); `cli::output` escapes everything printed; `anyhow` and printing live here and in `main` only |
//!
//! # The offset contract
//!
//! Offsets count Unicode scalar values, start inclusive, end exclusive: `text[start:end]` in
//! Python is the span. The text never changes after import. Only [`offsets::CharIndex`] turns
//! offsets into byte positions, and only [`offsets::Offsets`] into UTF-16 units.
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
