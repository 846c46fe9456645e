//! What the document view draws over the text once it is laid out: each span's label as a
//! small tag over its start, each relation as an arc between its two spans, and the
//! recommender's suggestions as dashed outlines. All only for what is on screen, every
//! frame, from the layout (never re-shaping).

use egui::{Color32, Pos2, Stroke, vec2};

use crate::model::{CharRange, Span};
use crate::ui::theme::Palette;

/// The tags' font size at zoom 1.
const TAG_SIZE: f32 = 9.0;

/// Where the text is drawn this frame: what the overlays over it (tags, arcs) draw with.
#[derive(Clone, Copy)]
pub(super) struct Canvas<'a> {
    pub painter: &'a egui::Painter,
    pub layout: &'a crate::text::TextLayout,
    pub origin: Pos2,
    pub clip: egui::Rect,
    /// The panel's background, behind the arcs' kinds.
    pub fill: Color32,
}

impl Canvas<'_> {
    /// The characters of the lines in view: from the first line's start to the last's end.
    fn visible_chars(&self) -> Option<(usize, usize)> {
        let y0 = self.clip.min.y - self.origin.y;
        let y1 = self.clip.max.y - self.origin.y;
        let visible = self.layout.lines_in(y0, y1);
        Some((visible.first()?.0.chars.start, visible.last()?.0.chars.end))
    }
}

/// Draws each visible span's label as a small tag over the start of its first line fragment
/// (as brat does), in the room the layout leaves above each line; tags that would meet move
/// along. Returns where each went.
pub(super) fn label_tags(
    canvas: &Canvas<'_>,
    spans: &[&Span],
    palette: &Palette,
) -> Vec<(String, egui::Rect)> {
    let Canvas {
        painter,
        layout,
        origin,
        ..
    } = *canvas;
    let Some(window) = canvas.visible_chars() else {
        return Vec::new();
    };
    let zoom = layout.style().size / super::BASE_SIZE;
    let font = egui::FontId::proportional(TAG_SIZE * zoom);
    let mut placed: Vec<(String, egui::Rect)> = Vec::new();
    for s in spans
        .iter()
        .filter(|s| s.start < window.1 && s.end > window.0)
    {
        let first_char = CharRange::new(s.start, (s.start + 1).min(s.end));
        let Some(r) = layout.range_rects(first_char).into_iter().next() else {
            continue;
        };
        let caret = layout.caret(s.start, crate::text::Affinity::Downstream);
        // Right to left when the span starts at its first character's right edge.
        let rtl = (caret.x0 - r.x1).abs() < (caret.x0 - r.x0).abs();
        let color = palette.color(&s.label);
        let galley = painter.layout_no_wrap(s.label.clone(), font.clone(), color);
        let size = galley.size();
        // Just above the text, at the bottom of the line's room (arcs go above the tags),
        // never into the line above.
        let top = (origin.y + r.y0 - size.y).max(origin.y + caret.y0);
        let mut x = if rtl {
            origin.x + r.x1 - size.x
        } else {
            origin.x + r.x0
        };
        let mut rect = egui::Rect::from_min_size(egui::pos2(x, top), size);
        // Move along (in reading direction) past tags already there.
        while let Some(other) = placed.iter().find(|(_, o)| o.intersects(rect)) {
            x = if rtl {
                other.1.min.x - size.x - 2.0
            } else {
                other.1.max.x + 2.0
            };
            rect = egui::Rect::from_min_size(egui::pos2(x, rect.min.y), size);
        }
        painter.galley(rect.min, galley, color);
        placed.push((s.id.clone(), rect));
    }
    placed
}

/// A relation as drawn: its id and the points of its path, for picking it with the mouse.
#[derive(Clone, Debug)]
pub struct DrawnArc {
    pub id: String,
    pub path: Vec<Pos2>,
}

impl DrawnArc {
    /// Whether `p` is within `reach` points of the path.
    pub fn near(&self, p: Pos2, reach: f32) -> bool {
        self.path.windows(2).any(|w| {
            let (a, b) = (w[0], w[1]);
            let ab = b - a;
            let t = ((p - a).dot(ab) / ab.length_sq().max(1e-3)).clamp(0.0, 1.0);
            (a + ab * t).distance(p) <= reach
        })
    }
}

/// Where a span's arcs attach: the middle of its first fragment, at the top of the room above
/// it (above its tag when tags are drawn), and the top of that line's box.
fn anchor_of(layout: &crate::text::TextLayout, s: &Span, tag: f32) -> Option<(f32, f32, f32)> {
    let r = layout.range_rects(s.range()).into_iter().next()?;
    let line = layout.caret(s.start, crate::text::Affinity::Downstream);
    let bottom = (r.y0 - tag).max(line.y0 + 2.0);
    Some(((r.x0 + r.x1) / 2.0, bottom, line.y0))
}

/// Draws each relation whose ends are on screen as an arc in the room above the text, from
/// its `from` span to its `to` span (brat's convention), with an arrowhead at the end and the
/// kind on it. An arc never rises above its own line's box: one between two lines leaves the
/// first line at its end edge, in reading order, and comes into the second from its start
/// edge. Returns where each went.
pub(super) fn relation_arcs(
    canvas: &Canvas<'_>,
    spans: &[&Span],
    relations: &[crate::model::Relation],
    palette: &Palette,
    selected: Option<&str>,
    tags: bool,
) -> Vec<DrawnArc> {
    let Canvas {
        painter,
        layout,
        origin,
        clip,
        ..
    } = *canvas;
    let zoom = layout.style().size / super::BASE_SIZE;
    let tag = if tags { TAG_SIZE * zoom + 2.0 } else { 0.0 };
    let width = layout.width().unwrap_or(0.0);
    let rtl = layout.style().dir != crate::text::Direction::Ltr;
    let mut out = Vec::new();
    if relations.is_empty() {
        return out;
    }
    let reach = clip.expand(300.0);
    // Only relations with an end on a line in view are drawn (an arc is drawn on its ends'
    // lines only): the spans in view are indexed, and the far end of a relation that has one
    // is looked up on its own.
    let Some((from_char, to_char)) = canvas.visible_chars() else {
        return out;
    };
    let in_view: std::collections::HashMap<&str, &Span> = spans
        .iter()
        .filter(|s| s.start <= to_char && s.end >= from_char)
        .map(|s| (s.id.as_str(), *s))
        .collect();
    if in_view.is_empty() {
        return out;
    }
    let anywhere = |id: &str| spans.iter().find(|s| s.id == id).copied();
    for r in relations {
        let (from, to) = match (in_view.get(r.from.as_str()), in_view.get(r.to.as_str())) {
            (None, None) => continue,
            (Some(&f), Some(&t)) => (f, t),
            (Some(&f), None) => match anywhere(&r.to) {
                Some(t) => (f, t),
                None => continue,
            },
            (None, Some(&t)) => match anywhere(&r.from) {
                Some(f) => (f, t),
                None => continue,
            },
        };
        let (Some(a), Some(b)) = (anchor_of(layout, from, tag), anchor_of(layout, to, tag)) else {
            continue;
        };
        let pa = origin + vec2(a.0, a.1);
        let pb = origin + vec2(b.0, b.1);
        if !reach.contains(pa) && !reach.contains(pb) {
            continue;
        }
        let color = palette.color(&from.label);
        let thick = if selected == Some(r.id.as_str()) {
            3.0
        } else {
            1.5
        };
        let stroke = Stroke::new(thick, color);
        let path: Vec<Pos2> = if (a.2 - b.2).abs() < 0.5 {
            // One line: a curve whose top is just under the line box's top.
            let peak = origin.y + a.2 + 1.0 + 0.1 * (pa.y - origin.y - a.2);
            let c1 = egui::pos2(pa.x, peak);
            let c2 = egui::pos2(pb.x, peak);
            let curve = egui::epaint::CubicBezierShape::from_points_stroke(
                [pa, c1, c2, pb],
                false,
                Color32::TRANSPARENT,
                stroke,
            );
            let points = curve.flatten(Some(0.5));
            painter.add(curve);
            points
        } else {
            // Two lines: out of the first at its end edge, into the second at its start edge.
            let later = to.start > from.start;
            let out_x = if later == rtl { 0.0 } else { width };
            let in_x = if later == rtl { width } else { 0.0 };
            let ya = origin.y + a.2 + 2.0;
            let yb = origin.y + b.2 + 2.0;
            let first = [pa, egui::pos2(pa.x, ya), egui::pos2(origin.x + out_x, ya)];
            let second = [egui::pos2(origin.x + in_x, yb), egui::pos2(pb.x, yb), pb];
            painter.add(egui::Shape::line(first.to_vec(), stroke));
            painter.add(egui::Shape::line(second.to_vec(), stroke));
            first.into_iter().chain(second).collect()
        };
        // The arrowhead at the end, pointing down into the span.
        painter.add(egui::Shape::convex_polygon(
            vec![pb, pb + vec2(-4.0, -6.0), pb + vec2(4.0, -6.0)],
            color,
            Stroke::NONE,
        ));
        let mid = path[path.len() / 2];
        let label = if (a.2 - b.2).abs() < 0.5 {
            mid
        } else {
            egui::pos2((path[1].x + path[2].x) / 2.0, path[1].y)
        };
        let galley = painter.layout_no_wrap(
            r.kind.clone(),
            egui::FontId::proportional(10.0 * zoom.max(0.8)),
            color,
        );
        let rect = egui::Align2::CENTER_TOP.anchor_size(label, galley.size());
        painter.rect_filled(rect.expand(1.0), 2.0, canvas.fill);
        painter.galley(rect.min, galley, color);
        out.push(DrawnArc {
            id: r.id.clone(),
            path,
        });
    }
    out
}

/// Draws each visible suggestion as a dashed outline in its label's colour (the current one,
/// which Enter accepts and Backspace rejects, thicker). Returns (index, rectangle) of each.
pub(super) fn suggestion_outlines(
    canvas: &Canvas<'_>,
    suggestions: &[crate::model::recommend::Suggestion],
    current: Option<usize>,
    palette: &Palette,
) -> Vec<(usize, egui::Rect)> {
    let Canvas {
        painter,
        layout,
        origin,
        ..
    } = *canvas;
    let Some((from, to)) = canvas.visible_chars() else {
        return Vec::new();
    };
    let begin = suggestions.partition_point(|s| s.range.end <= from);
    let mut out = Vec::new();
    for (i, s) in suggestions.iter().enumerate().skip(begin) {
        if s.range.start >= to {
            break;
        }
        let color = palette.color(&s.label);
        let width = if current == Some(i) { 2.5 } else { 1.2 };
        for r in layout.range_rects(s.range) {
            let rect =
                egui::Rect::from_min_max(origin + vec2(r.x0, r.y0), origin + vec2(r.x1, r.y1));
            let corners = [
                rect.left_top(),
                rect.right_top(),
                rect.right_bottom(),
                rect.left_bottom(),
                rect.left_top(),
            ];
            painter.extend(egui::Shape::dashed_line(
                &corners,
                Stroke::new(width, color),
                4.0,
                3.0,
            ));
            out.push((i, rect));
        }
    }
    out
}
