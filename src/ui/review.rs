//! The Review tab: pick set A (reference) and set B (a model or a second coder), walk the
//! typed differences (N / P), decide each (accept into the adjudicated set, or reject), in
//! bulk per label or above a confidence threshold, and read the agreement figures as a table
//! and a bar chart. Everything shown comes from the review's comparison, computed once per
//! edit; only the difference rows in view are drawn. It only reads the state and returns
//! commands.

use super::i18n::{Lang, shown, tr, tr_logical};
use egui::{Color32, RichText, Sense, Ui, UiBuilder, vec2};
use unicode_segmentation::UnicodeSegmentation;

use super::theme::Palette;
use crate::app::review::{Review, Row};
use crate::app::{App, Command};
use crate::model::{AnnotatedDocument, AnnotationSet, Item, Take};
use crate::review::adjudicate::confidence;
use crate::review::{DiffKey, DiffKind, Difference, ItemKind, ItemPair};
use crate::text::ArabicText;

/// The height of one difference row: kind, A's words, B's words, the buttons.
const ROW: f32 = 120.0;

/// The colour a difference kind is filled with in the text and shown with in the legend.
pub fn kind_color(kind: DiffKind) -> Color32 {
    match kind {
        // None of the built-in labels' colours (red, blue, orange, green) is reused.
        DiffKind::Match => Color32::from_rgb(150, 150, 150),
        DiffKind::AttributeMismatch => Color32::from_rgb(150, 100, 50),
        DiffKind::LabelMismatch => Color32::from_rgb(150, 80, 200),
        DiffKind::Boundary => Color32::from_rgb(0, 150, 150),
        DiffKind::CliticBoundary => Color32::from_rgb(215, 190, 0),
        DiffKind::Missing => Color32::from_rgb(220, 60, 160),
        DiffKind::Spurious => Color32::from_rgb(120, 130, 0),
    }
}

/// A small square of a colour (the legend's key).
fn swatch(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

/// The keys of the undecided differences (not matches: they go in by themselves) that pass
/// `keep` (made only when a button asks).
fn undecided(
    r: &Review,
    doc: &AnnotatedDocument,
    keep: impl Fn(&crate::review::Difference<'_>) -> bool,
) -> Vec<DiffKey> {
    r.differences(doc)
        .filter(|(d, decided)| decided.is_none() && d.kind != DiffKind::Match && keep(d))
        .map(|(d, _)| DiffKey::of(&d))
        .collect()
}

/// Draws the tab. `shown_focus` is the difference whose row was last brought into view: when
/// the focus moves (N, P, a click in the text), the list scrolls to its row.
pub fn show(
    ui: &mut Ui,
    app: &App,
    palette: &Palette,
    shown_focus: &mut Option<DiffKey>,
    unified: &mut bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(session) = &app.session else {
        return commands;
    };
    let doc = &session.doc;
    let ids = app.reviewable_sets();
    let hidden = app.hidden_sets();
    if hidden > 0 {
        ui.label(format!(
            "Blind coding: {hidden} other coder(s)' set(s) stay hidden until you mark this \
             document done."
        ));
    }
    if ids.len() < 2 {
        ui.label(
            "A review compares two sets of this document. Import a model's predictions \
             (File › Import Predictions…) or open a document two coders annotated.",
        );
        return commands;
    }
    let (cur_a, cur_b) = match &app.review {
        Some(r) => (r.a.clone(), r.b.clone()),
        None => {
            let (a, b) = app
                .default_review_pair()
                .unwrap_or_else(|| (ids[0].clone(), ids[1].clone()));
            commands.push(Command::Review(Some((a.clone(), b.clone()))));
            (a, b)
        }
    };
    ui.horizontal(|ui| {
        for (name, current, is_a) in [("A", &cur_a, true), ("B", &cur_b, false)] {
            let label = ui.label(name).id;
            egui::ComboBox::from_id_salt(("review-set", name))
                .selected_text(current.as_str())
                .show_ui(ui, |ui| {
                    for id in &ids {
                        if ui.selectable_label(id == current, id).clicked() {
                            let pair = if is_a {
                                (id.clone(), cur_b.clone())
                            } else {
                                (cur_a.clone(), id.clone())
                            };
                            commands.push(Command::Review(Some(pair)));
                        }
                    }
                })
                .response
                .labelled_by(label);
        }
    });
    let Some(r) = &app.review else {
        return commands;
    };
    let comparison = r.comparison();
    ui.horizontal(|ui| {
        ui.selectable_value(unified, false, tr(app.settings.language, "Split"))
            .on_hover_text("A's text on the right, B's on the left, scrolled together");
        ui.selectable_value(unified, true, tr(app.settings.language, "Unified"))
            .on_hover_text("One text: A underlined, B overlined");
    });
    // The legend, with counts.
    ui.horizontal_wrapped(|ui| {
        for kind in DiffKind::ALL {
            swatch(ui, kind_color(kind));
            let lang = app.settings.language;
            ui.small(shown(
                lang,
                format!(
                    "{} {}",
                    tr_logical(lang, kind.name()),
                    comparison.count(kind)
                ),
            ));
        }
    });
    ui.horizontal_wrapped(|ui| {
        for (item, name) in [(Item::Relation, "relations"), (Item::Event, "events")] {
            let count = |k| comparison.item_count(item, k);
            ui.small(format!(
                "{name}: {} match, {} mismatch, {} A only, {} B only",
                count(ItemKind::Match),
                count(ItemKind::Mismatch),
                count(ItemKind::Missing),
                count(ItemKind::Spurious)
            ));
        }
    });
    ui.small(if *unified {
        "In the text: A underlined, B overlined (faded below the threshold)."
    } else {
        "A on the right, B on the left, each set's spans underlined (B's faded below the threshold)."
    });
    let mut threshold = r.threshold;
    let name = ui
        .label(tr(app.settings.language, "confidence threshold"))
        .id;
    if ui
        .add(egui::Slider::new(&mut threshold, 0.0..=1.0).step_by(0.05))
        .labelled_by(name)
        .changed()
    {
        commands.push(Command::ReviewThreshold(threshold));
    }
    // Matches go into the adjudicated set by themselves: bulk actions are about differences.
    let above = |d: &crate::review::Difference<'_>| {
        d.kind != DiffKind::Match && d.b.is_some() && confidence(d) >= r.threshold
    };
    ui.horizontal(|ui| {
        if ui
            .button(tr(app.settings.language, "Previous"))
            .on_hover_text("P")
            .clicked()
        {
            commands.push(Command::ReviewStep(false));
        }
        if ui
            .button(tr(app.settings.language, "Next"))
            .on_hover_text("N")
            .clicked()
        {
            commands.push(Command::ReviewStep(true));
        }
        // The count is shown before the button is pressed: a preview of what it does.
        let above_count = r
            .differences(doc)
            .filter(|(d, decided)| decided.is_none() && above(d))
            .count();
        if ui
            .add_enabled(
                above_count > 0,
                egui::Button::new(format!("Accept all ≥ {:.2} ({above_count})", r.threshold)),
            )
            .on_hover_text(
                "Copy every undecided span of B at or above the threshold into the adjudicated set",
            )
            .clicked()
        {
            commands.push(Command::Accept(undecided(r, doc, above)));
        }
    });
    egui::CollapsingHeader::new(tr(app.settings.language, "By label")).show(ui, |ui| {
        for label in &comparison.labels {
            let open = r
                .differences(doc)
                .filter(|(d, decided)| {
                    decided.is_none() && d.kind != DiffKind::Match && d.label() == label
                })
                .count();
            ui.horizontal(|ui| {
                ui.label(RichText::new(label).color(palette.color(label)).strong());
                ui.small(format!("{open} undecided"));
                if ui.small_button(format!("Accept all {label}")).clicked() {
                    commands.push(Command::Accept(undecided(r, doc, |d| d.label() == label)));
                }
                if ui.small_button(format!("Reject all {label}")).clicked() {
                    commands.push(Command::Reject(undecided(r, doc, |d| d.label() == label)));
                }
            });
        }
    });
    super::agreement::show(
        ui,
        r.comparison(),
        app.settings.language,
        app.hidden_sets() == 0,
    );
    ui.separator();
    let rows = r.rows(doc);
    // Rows grow with the interface's text (larger in Arabic).
    let body = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(12.5, |f| f.size);
    let row_height = ROW * (body / 12.5).max(1.0);
    let mut list = egui::ScrollArea::vertical()
        .id_salt("differences")
        .auto_shrink([false, true]);
    if r.current != *shown_focus {
        shown_focus.clone_from(&r.current);
        let at = r
            .current
            .as_ref()
            .and_then(|k| rows.iter().position(|row| row.is(k)));
        if let Some(at) = at {
            let spacing = ui.spacing().item_spacing.y;
            list = list.vertical_scroll_offset(at as f32 * (row_height + spacing));
        }
    }
    list.show_rows(ui, row_height, rows.len(), |ui, range| {
        for row in &rows[range] {
            let key = row.key();
            let current = r.current.as_ref() == Some(&key);
            let (rect, response) =
                ui.allocate_exact_size(vec2(ui.available_width(), row_height), Sense::click());
            if current {
                ui.painter()
                    .rect_filled(rect, 2.0, ui.visuals().selection.bg_fill);
            }
            let mut card = ui.new_child(UiBuilder::new().max_rect(rect.shrink(4.0)));
            card.set_clip_rect(rect.intersect(ui.clip_rect()));
            let (has_a, has_b) = match row {
                Row::Span(d, decision) => {
                    span_card(&mut card, d, *decision, app.settings.language);
                    (d.a.is_some(), d.b.is_some())
                }
                Row::Item(p, decision, a, b) => {
                    item_card(&mut card, p, *decision, a, b, app.settings.language);
                    (p.a.is_some(), p.b.is_some())
                }
            };
            card.horizontal(|ui| {
                if has_a
                    && ui
                        .small_button(tr(app.settings.language, "Take A"))
                        .on_hover_text("A: put A's version into the adjudicated set")
                        .clicked()
                {
                    commands.push(Command::TakeA(vec![key.clone()]));
                }
                if has_b
                    && ui
                        .small_button(tr(app.settings.language, "Take B"))
                        .on_hover_text("B: put B's version into the adjudicated set")
                        .clicked()
                {
                    commands.push(Command::Accept(vec![key.clone()]));
                }
                if ui
                    .small_button(tr(app.settings.language, "Neither"))
                    .on_hover_text("X: neither version goes into the adjudicated set")
                    .clicked()
                {
                    commands.push(Command::Reject(vec![key.clone()]));
                }
            });
            if response.clicked() {
                commands.push(Command::ReviewFocus(key));
            }
        }
    });
    commands
}

/// What a decision says on its row.
fn decided_text(decision: Option<Take>, b_missing: bool, lang: Lang) -> &'static str {
    tr(
        lang,
        match decision {
            Some(Take::A) => "took A",
            Some(Take::B) if b_missing => "kept A's",
            Some(Take::B) => "took B",
            Some(Take::Neither) => "neither",
            None => "",
        },
    )
}

/// A span difference's row: its kind, B's score, the decision, the attributes that differ
/// and both sets' words.
fn span_card(card: &mut Ui, d: &Difference<'_>, decision: Option<Take>, lang: Lang) {
    card.horizontal(|ui| {
        swatch(ui, kind_color(d.kind));
        ui.label(tr(lang, d.kind.name()));
        if let Some(c) = d.b.and_then(|s| s.confidence) {
            ui.small(format!("{c:.2}"));
        }
        let decided = decided_text(decision, d.b.is_none(), lang);
        if !decided.is_empty() {
            ui.small(RichText::new(decided).italics());
        }
    });
    for (name, va, vb) in d.attribute_changes() {
        card.small(format!("{name}: {va} ≠ {vb}"));
    }
    for (side, span) in [("A", d.a), ("B", d.b)] {
        if let Some(s) = span {
            card.horizontal(|ui| {
                ui.small(format!("{side} {}", s.label));
                ui.add(ArabicText::new(&s.text).size(15.0, 22.0).fit());
            });
        }
    }
}

/// The colour of a relation or event difference: that of the span kind it is like.
fn item_color(kind: ItemKind) -> Color32 {
    kind_color(match kind {
        ItemKind::Match => DiffKind::Match,
        ItemKind::Mismatch => DiffKind::LabelMismatch,
        ItemKind::Missing => DiffKind::Missing,
        ItemKind::Spurious => DiffKind::Spurious,
    })
}

/// A relation or event pair's row: what it is, the decision, what differs, and each set's
/// version in words (a relation's two ends, an event's type, date and perpetrators).
fn item_card(
    card: &mut Ui,
    p: &ItemPair,
    decision: Option<Take>,
    a: &AnnotationSet,
    b: &AnnotationSet,
    lang: Lang,
) {
    let what = match p.item {
        Item::Relation => "relation",
        Item::Event => "event",
        Item::Span => "span",
    };
    card.horizontal(|ui| {
        swatch(ui, item_color(p.kind));
        ui.label(shown(
            lang,
            format!(
                "{} {}",
                tr_logical(lang, what),
                tr_logical(lang, p.kind.name())
            ),
        ));
        let decided = decided_text(decision, p.b.is_none(), lang);
        if !decided.is_empty() {
            ui.small(RichText::new(decided).italics());
        }
    });
    for change in &p.changes {
        card.small(change);
    }
    let text_of = |set: &AnnotationSet, id: &str| {
        set.spans
            .iter()
            .find(|s| s.id == id)
            .map_or_else(String::new, |s| s.text.clone())
    };
    for (side, set, index) in [("A", a, p.a), ("B", b, p.b)] {
        let Some(i) = index else { continue };
        card.horizontal(|ui| match p.item {
            Item::Relation => {
                if let Some(r) = set.relations.get(i) {
                    ui.small(format!("{side} {}", r.kind));
                    ui.add(
                        ArabicText::new(&text_of(set, &r.from))
                            .size(15.0, 22.0)
                            .fit(),
                    );
                    ui.small("to");
                    ui.add(ArabicText::new(&text_of(set, &r.to)).size(15.0, 22.0).fit());
                }
            }
            Item::Event => {
                if let Some(e) = set.events.get(i) {
                    ui.small(format!(
                        "{side} {} {}",
                        e.event_type,
                        e.date.as_deref().unwrap_or("")
                    ));
                    // One line: the first perpetrator's words (cut to the row) and how many
                    // spans the event links in all.
                    ui.small(format!("{} linked span(s)", e.links().count()));
                    if let Some(first) = e.perpetrators.first() {
                        let words = text_of(set, first);
                        let mut cut: String = words.graphemes(true).take(14).collect();
                        if cut.len() < words.len() {
                            cut.push('…');
                        }
                        ui.add(ArabicText::new(&cut).size(15.0, 22.0).fit());
                    }
                }
            }
            Item::Span => {}
        });
    }
}
