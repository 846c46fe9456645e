//! Labelling: the text selection, making a span of it with a label (a CASUALTY gets its figure
//! and qualifier proposed from its words), relabelling, deleting, attributes and notes, and
//! trimming a proclitic the coder asks to leave out. Every change is one undoable edit in the
//! coder's own set, which is made on their first span.

use std::collections::BTreeMap;

use super::{App, AppError};
use crate::model::arabic::{self, starts_with_proclitic};
use crate::model::{AnnotatedDocument, AnnotationSet, AttrValue, Change, CharRange, Edit, Span};

impl App {
    pub(super) fn select(&mut self, range: Option<CharRange>) -> Result<(), AppError> {
        self.selection = range.filter(|r| !r.is_empty());
        if self.selection.is_some() {
            self.selected_span = None;
            self.selected_relation = None;
        }
        Ok(())
    }

    pub(super) fn select_span(&mut self, id: Option<String>) -> Result<(), AppError> {
        self.selected_span = id;
        self.selected_relation = None;
        if self.selected_span.is_some() {
            self.selection = None;
        }
        Ok(())
    }

    /// Applies an edit, first adding the coder's set when the document has none for them.
    pub(super) fn edit_in_own_set(
        &mut self,
        make: impl FnOnce(&AnnotatedDocument) -> Result<Edit, AppError>,
    ) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let mut batch = Vec::new();
        if session.doc.set(&coder).is_none() {
            let add_set = Edit::Set(Change::Insert {
                index: session.doc.sets.len(),
                item: AnnotationSet::human(&coder),
            });
            add_set.apply(&mut session.doc)?;
            batch.push(add_set);
        }
        let made = make(&session.doc);
        for done in batch.iter().rev() {
            let _ = done.inverse().apply(&mut session.doc);
        }
        batch.push(made?);
        session
            .history
            .apply(&mut session.doc, Edit::batch(batch))?;
        Ok(())
    }

    /// Makes the selection a span with `label`, or relabels the selected span.
    pub(super) fn label(&mut self, label: &str) -> Result<(), AppError> {
        let def = self
            .schema()
            .label(label)
            .ok_or_else(|| AppError::UnknownLabel(label.to_owned()))?
            .clone();
        if let Some(range) = self.selection {
            let coder = self.settings.coder.clone();
            let attrs = self.prefill(&def.name, range);
            let mut new_id = String::new();
            self.edit_in_own_set(|doc| {
                let id = doc
                    .set(&coder)
                    .map_or_else(|| "s1".to_owned(), |s| s.fresh_id("s"));
                new_id = id.clone();
                let span = Span {
                    id,
                    start: range.start,
                    end: range.end,
                    label: def.name.clone(),
                    text: String::new(),
                    attrs,
                    note: None,
                    confidence: None,
                };
                Ok(Edit::add_span(doc, &coder, span)?)
            })?;
            self.selection = None;
            self.selected_span = Some(new_id);
            return Ok(());
        }
        if let Some(id) = self.selected_span.clone() {
            let schema = self.schema().clone();
            if let Some(set) = self.set() {
                for rel in set.relations.iter().filter(|r| r.from == id || r.to == id) {
                    let allowed = schema
                        .relation(&rel.kind)
                        .map(|d| if rel.from == id { &d.from } else { &d.to });
                    if allowed.is_some_and(|a| !a.is_empty() && !a.contains(&def.name)) {
                        return Err(AppError::RelationForbids {
                            span: id,
                            relation: rel.id.clone(),
                            kind: rel.kind.clone(),
                            label: def.name,
                        });
                    }
                }
            }
            // Attributes the new label does not have, or whose values it does not take, go.
            return self.update_span(&id, |s| {
                s.label = def.name.clone();
                s.attrs.retain(|k, v| {
                    def.attributes
                        .iter()
                        .any(|a| &a.name == k && a.ty.mismatch(v).is_none())
                });
            });
        }
        Err(AppError::NothingSelected)
    }

    /// Attribute values proposed for a new span: for CASUALTY, the figure and its qualifier.
    pub(super) fn prefill(&self, label: &str, range: CharRange) -> BTreeMap<String, AttrValue> {
        let mut attrs = BTreeMap::new();
        let Some(session) = &self.session else {
            return attrs;
        };
        let has = |name: &str| {
            self.schema()
                .label(label)
                .is_some_and(|l| l.attributes.iter().any(|a| a.name == name))
        };
        if label != "CASUALTY" {
            return attrs;
        }
        let doc = &session.doc.document;
        let text = doc.slice(range).unwrap_or_default();
        let before = doc
            .slice(CharRange::new(range.start.saturating_sub(24), range.start))
            .unwrap_or_default();
        if has("value")
            && let Some(n) = arabic::parse_value(text)
        {
            attrs.insert("value".to_owned(), AttrValue::Int(n));
        }
        if has("qualifier") {
            let q = arabic::parse_qualifier(before, text)
                .or_else(|| attrs.contains_key("value").then_some(arabic::EXACT));
            if let Some(q) = q {
                attrs.insert("qualifier".to_owned(), AttrValue::Str(q.to_owned()));
            }
        }
        attrs
    }

    pub(super) fn update_span(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Span),
    ) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let edit = Edit::update_span(&session.doc, &coder, id, change)?;
        session.history.apply(&mut session.doc, edit)?;
        Ok(())
    }

    /// New ends for a span (a drag of its edge, Shift+Alt+arrows): its id, attributes,
    /// relations and event links stay. An empty range is refused.
    pub(super) fn resize_span(&mut self, id: &str, range: CharRange) -> Result<(), AppError> {
        if range.is_empty() {
            return Err(AppError::EmptySpan);
        }
        self.update_span(id, |s| {
            s.start = range.start;
            s.end = range.end;
        })?;
        self.selected_span = Some(id.to_owned());
        Ok(())
    }

    /// Delete: the selected relation, or the selected span — asking first, naming them, when
    /// relations or events use it.
    pub(super) fn delete_span(&mut self) -> Result<(), AppError> {
        if let Some(id) = self.selected_relation.clone() {
            return self.delete_relation(&id);
        }
        let Some(id) = self.selected_span.clone() else {
            return Ok(());
        };
        let goes = self.set().map(|s| uses_of(s, &id)).unwrap_or_default();
        if !goes.is_empty() {
            self.prompt = Some(super::Prompt::DeleteSpan { span: id, goes });
            return Ok(());
        }
        self.delete_span_anyway(&id)
    }

    /// Deletes a span with the relations that use it and its event links (one edit).
    pub(super) fn delete_span_anyway(&mut self, id: &str) -> Result<(), AppError> {
        self.prompt = None;
        let id = id.to_owned();
        let set = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let edit = Edit::remove_span(&session.doc, &set, &id)?;
        session.history.apply(&mut session.doc, edit)?;
        self.selected_span = None;
        Ok(())
    }

    pub(super) fn set_attr(
        &mut self,
        span: &str,
        name: String,
        value: Option<AttrValue>,
    ) -> Result<(), AppError> {
        self.update_span(span, |s| match value {
            Some(v) => {
                s.attrs.insert(name, v);
            }
            None => {
                s.attrs.remove(&name);
            }
        })
    }

    pub(super) fn set_note(&mut self, span: &str, note: Option<String>) -> Result<(), AppError> {
        self.update_span(span, |s| s.note = note.filter(|n| !n.trim().is_empty()))
    }

    /// Drops a leading proclitic from the selection or the selected span (only when asked).
    pub(super) fn trim_proclitic(&mut self) -> Result<(), AppError> {
        let session = self.session.as_ref().ok_or(AppError::NoDocument)?;
        let doc = &session.doc.document;
        let starts = |r: CharRange| {
            doc.slice(CharRange::new(r.start, (r.start + 2).min(r.end)))
                .is_some_and(starts_with_proclitic)
        };
        if let Some(r) = self.selection {
            if starts(r) {
                self.selection = Some(CharRange::new(r.start + 1, r.end));
            }
            return Ok(());
        }
        if let Some(id) = self.selected_span.clone() {
            let range = self
                .set()
                .and_then(|s| s.span(&id))
                .map(Span::range)
                .ok_or(AppError::SpanGone)?;
            if starts(range) {
                return self.update_span(&id, |s| s.start += 1);
            }
            return Ok(());
        }
        Err(AppError::NothingSelected)
    }
}

/// What goes with a span when it is deleted: each relation that uses it and each event link,
/// in words ("relation claimed_by to الجماعة", "the perpetrator of event e1 (Battles)").
pub fn uses_of(set: &AnnotationSet, id: &str) -> Vec<String> {
    let text = |other: &str| set.span(other).map_or(other.to_owned(), |s| s.text.clone());
    let mut out: Vec<String> = set
        .relations
        .iter()
        .filter_map(|r| {
            if r.from == id {
                Some(format!("relation {} to {}", r.kind, text(&r.to)))
            } else if r.to == id {
                Some(format!("relation {} from {}", r.kind, text(&r.from)))
            } else {
                None
            }
        })
        .collect();
    for e in &set.events {
        for (role, _) in e.links().filter(|(_, s)| *s == id) {
            out.push(format!(
                "its link in the {role} of event {} ({})",
                e.id, e.event_type
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::model::*;
    use crate::store;

    #[test]
    fn label_relabel_attribute_undo_redo_save() {
        let (_dir, path) = setup("[ACTOR|الجيش] يستعيد بلدة سيكاسو");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        assert_eq!(app.error, None);
        let text = text_of(&app);
        app.apply(Command::Select(Some(find(&text, "سيكاسو"))));
        app.apply(Command::Label("ACTOR".into()));
        assert_eq!(shown(&app), "[ACTOR|الجيش] يستعيد بلدة [ACTOR|سيكاسو]");
        assert_eq!(app.selected_span.as_deref(), Some("s2"));
        assert!(app.title().ends_with(" •"));
        app.apply(Command::Label("PLACE".into()));
        assert_eq!(shown(&app), "[ACTOR|الجيش] يستعيد بلدة [PLACE|سيكاسو]");
        app.apply(Command::SetAttr {
            span: "s2".into(),
            name: "level".into(),
            value: Some(AttrValue::Str("ADMIN1".into())),
        });
        app.apply(Command::Undo);
        assert!(
            app.set()
                .and_then(|s| s.span("s2"))
                .expect("span")
                .attrs
                .is_empty()
        );
        app.apply(Command::Redo);
        app.apply(Command::Save);
        assert_eq!(app.error, None);
        assert!(!app.title().ends_with(" •"));
        let saved = store::load(&path, LabelSchema::builtin()).expect("saved file");
        let span = saved
            .set("coder-a")
            .and_then(|s| s.span("s2"))
            .expect("s2 on disk");
        assert_eq!(
            (span.start, span.end, span.label.as_str()),
            (18, 24, "PLACE")
        );
        assert_eq!(span.attrs["level"], AttrValue::Str("ADMIN1".into()));
    }

    #[test]
    fn a_new_coder_gets_a_set_of_their_own_and_undo_removes_it() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-b");
        app.apply(Command::Open(path));
        app.apply(Command::Select(Some(CharRange::new(9, 13))));
        app.apply(Command::Label("PLACE".into()));
        let sets: Vec<String> = app
            .session
            .as_ref()
            .expect("open")
            .doc
            .sets
            .iter()
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(sets, ["coder-a", "coder-b"]);
        assert_eq!(
            shown(&app),
            "[ACTOR|الجيش] في [PLACE|مالي]".replace("[ACTOR|الجيش]", "الجيش")
        );
        app.apply(Command::Undo);
        assert_eq!(app.session.as_ref().expect("open").doc.sets.len(), 1);
    }

    #[test]
    fn casualty_spans_are_prefilled_from_their_words() {
        let (_dir, path) = setup("خلفت الغارات ما لا يقل عن 27 قتيلا ومقتل ثلاثة مدنيين");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        let text = text_of(&app);
        app.apply(Command::Select(Some(find(&text, "27 قتيلا"))));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app
            .set()
            .and_then(|s| s.spans.first())
            .expect("span")
            .clone();
        assert_eq!(span.attrs["value"], AttrValue::Int(27));
        assert_eq!(
            span.attrs["qualifier"],
            AttrValue::Str("AT_LEAST".into()),
            "from the words before"
        );
        app.apply(Command::Select(Some(find(&text, "ثلاثة مدنيين"))));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app
            .set()
            .and_then(|s| s.spans.get(1))
            .expect("span")
            .clone();
        assert_eq!(span.attrs["value"], AttrValue::Int(3));
        assert_eq!(span.attrs["qualifier"], AttrValue::Str("EXACT".into()));
    }

    #[test]
    fn trim_proclitic_only_when_asked() {
        let (_dir, path) = setup("هجوم [PLACE|بسيكاسو] و[ACTOR|الجيش]");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::TrimProclitic);
        assert_eq!(shown(&app), "هجوم ب[PLACE|سيكاسو] و[ACTOR|الجيش]");
        // The selection "والجيش" loses its و.
        app.apply(Command::Select(Some(CharRange::new(13, 19))));
        app.apply(Command::TrimProclitic);
        assert_eq!(app.selection, Some(CharRange::new(14, 19)));
    }

    #[test]
    fn relabelling_drops_values_the_new_label_does_not_take() {
        let (_dir, path) = setup("[ACTOR kind=REBEL named=true|الجماعة] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::Label("CASUALTY".into()));
        let span = app.set().and_then(|s| s.span("s1")).expect("span").clone();
        assert_eq!(span.label, "CASUALTY");
        assert!(
            span.attrs.is_empty(),
            "kind=REBEL is no CASUALTY kind: {:?}",
            span.attrs
        );
        app.apply(Command::Save);
        assert_eq!(app.error, None);
        assert!(
            store::load(&path, LabelSchema::builtin()).is_ok(),
            "the saved file loads again"
        );
    }
}
