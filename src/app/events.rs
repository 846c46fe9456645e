//! Events in the coder's set: a new event, its card opened for linking, its ACLED type,
//! sub-type, date and notes, spans linked to it by role (a click on a span while a role is
//! armed), and deleting it. Every change is one undoable edit.

use super::{App, AppError, EventField};
use crate::model::validate::is_iso_date;
use crate::model::{Edit, Event, EventRole};

impl App {
    pub(super) fn new_event(&mut self) -> Result<(), AppError> {
        let event_type = self
            .schema()
            .event_types
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "Battles".to_owned());
        let coder = self.settings.coder.clone();
        let mut new_id = String::new();
        self.edit_in_own_set(|doc| {
            let set = doc
                .set(&coder)
                .ok_or_else(|| AppError::NoSet(coder.clone()))?;
            new_id = set.fresh_id("e");
            let event = Event {
                id: new_id.clone(),
                event_type,
                ..Event::default()
            };
            Ok(Edit::add_event(doc, &coder, event)?)
        })?;
        self.selected_event = Some(new_id);
        self.linking = None;
        Ok(())
    }

    pub(super) fn select_event(&mut self, id: Option<String>) -> Result<(), AppError> {
        if id != self.selected_event {
            self.linking = None;
        }
        self.selected_event = id;
        Ok(())
    }

    pub(super) fn change_event(&mut self, event: &str, field: EventField) -> Result<(), AppError> {
        if let EventField::Date(Some(date)) = &field
            && !is_iso_date(date)
        {
            return Err(AppError::NotADate(date.clone()));
        }
        let schema = self.schema().clone();
        if let EventField::Type(t) = &field
            && !schema.event_types.is_empty()
            && schema.event_type(t).is_none()
        {
            return Err(AppError::UnknownEventType(t.clone()));
        }
        self.update_event(event, |e| match field {
            EventField::Type(t) => {
                let keeps_sub = e.sub_event_type.as_ref().is_some_and(|sub| {
                    schema
                        .event_type(&t)
                        .is_some_and(|def| def.sub_types.contains(sub))
                });
                if !keeps_sub {
                    e.sub_event_type = None;
                }
                e.event_type = t;
            }
            EventField::SubType(sub) => e.sub_event_type = sub,
            EventField::Date(date) => e.date = date.filter(|d| !d.trim().is_empty()),
            EventField::Notes(notes) => e.notes = notes.filter(|n| !n.trim().is_empty()),
        })
    }

    pub(super) fn delete_event(&mut self, id: &str) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let edit = Edit::remove_event(&session.doc, &coder, id)?;
        session.history.apply(&mut session.doc, edit)?;
        if self.selected_event.as_deref() == Some(id) {
            self.selected_event = None;
            self.linking = None;
        }
        Ok(())
    }

    /// Arms a role of the open event (`None` stops linking).
    pub(super) fn link_role(&mut self, role: Option<EventRole>) -> Result<(), AppError> {
        if role.is_some() && self.selected_event.is_none() {
            return Err(AppError::NoOpenEvent);
        }
        self.linking = role;
        Ok(())
    }

    /// Links a span to the event in a role, or unlinks it when it is linked there.
    pub(super) fn toggle_link(
        &mut self,
        event: &str,
        role: EventRole,
        span: &str,
    ) -> Result<(), AppError> {
        self.update_event(event, |e| e.toggle(role, span))
    }

    fn update_event(&mut self, id: &str, change: impl FnOnce(&mut Event)) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        let session = self.session.as_mut().ok_or(AppError::NoDocument)?;
        let edit = Edit::update_event(&session.doc, &coder, id, change)?;
        session.history.apply(&mut session.doc, edit)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::model::*;
    use crate::store;

    #[test]
    fn an_event_is_made_linked_by_clicking_spans_edited_saved_and_undone() {
        let (_dir, path) = setup(
            "[ACTOR kind=REBEL|جماعة نصرة الإسلام] هاجمت [ACTOR kind=STATE|الجيش] في [PLACE|سيكاسو] و[CASUALTY kind=KILLED value=1|قتل جندي]",
        );
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path.clone()));
        app.apply(Command::NewEvent);
        assert_eq!(app.selected_event.as_deref(), Some("e1"));
        // Arm a role, then click spans: each click links the span in that role.
        app.apply(Command::LinkRole(Some(EventRole::Perpetrators)));
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::LinkRole(Some(EventRole::Targets)));
        app.apply(Command::SelectSpan(Some("s2".into())));
        app.apply(Command::LinkRole(Some(EventRole::Places)));
        app.apply(Command::SelectSpan(Some("s3".into())));
        app.apply(Command::SelectSpan(Some("s2".into())));
        app.apply(Command::SelectSpan(Some("s2".into()))); // a second click unlinks
        app.apply(Command::LinkRole(None));
        app.apply(Command::SelectSpan(Some("s4".into()))); // not linking: selects
        assert_eq!(app.selected_span.as_deref(), Some("s4"));
        let field = |field| Command::UpdateEvent {
            event: "e1".into(),
            field,
        };
        app.apply(field(EventField::Type("Explosions/Remote violence".into())));
        app.apply(field(EventField::SubType(Some("Air/drone strike".into()))));
        app.apply(field(EventField::Date(Some("2023-01-18".into()))));
        app.apply(field(EventField::Notes(Some("a drone strike".into()))));
        assert_eq!(app.error, None);
        app.apply(field(EventField::Date(Some("18/01/2023".into()))));
        assert!(app.error.take().is_some_and(|e| e.contains("YYYY-MM-DD")));
        // A new type drops a sub-type that is not its own.
        app.apply(field(EventField::Type("Battles".into())));
        let event = app.set().expect("set").events[0].clone();
        assert_eq!(event.sub_event_type, None);
        app.apply(Command::Undo);
        app.apply(Command::Save);
        let saved = store::load(&path, LabelSchema::builtin()).expect("reload");
        let e = &saved.set("coder-a").expect("set").events[0];
        assert_eq!(e.event_type, "Explosions/Remote violence");
        assert_eq!(e.sub_event_type.as_deref(), Some("Air/drone strike"));
        assert_eq!(e.date.as_deref(), Some("2023-01-18"));
        assert_eq!(e.notes.as_deref(), Some("a drone strike"));
        assert_eq!(e.perpetrators, ["s1"]);
        assert_eq!(e.targets, ["s2"]);
        assert_eq!(e.places, ["s3"]);
        // Deleting a linked span asks first, naming the link; then unlinks it; undo brings
        // both back.
        app.apply(Command::SelectSpan(Some("s3".into())));
        app.apply(Command::DeleteSpan);
        match &app.prompt {
            Some(Prompt::DeleteSpan { span, goes }) => {
                assert_eq!(span, "s3");
                assert_eq!(
                    goes,
                    &["its link in the places of event e1 (Explosions/Remote violence)"]
                );
            }
            _ => panic!("the delete was not asked about"),
        }
        assert_eq!(app.set().expect("set").events[0].places, ["s3"], "not yet");
        app.apply(Command::DeleteSpanAnyway("s3".into()));
        assert!(app.prompt.is_none());
        assert!(app.set().expect("set").events[0].places.is_empty());
        app.apply(Command::Undo);
        assert_eq!(app.set().expect("set").events[0].places, ["s3"]);
        // Deleting the event, then undoing it.
        app.apply(Command::DeleteEvent("e1".into()));
        assert!(app.set().expect("set").events.is_empty());
        assert_eq!(app.selected_event, None);
        app.apply(Command::Undo);
        assert_eq!(app.set().expect("set").events.len(), 1);
    }

    #[test]
    fn linking_needs_an_open_event() {
        let (_dir, path) = setup("[ACTOR|الجيش] في مالي");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        app.apply(Command::LinkRole(Some(EventRole::Perpetrators)));
        assert!(app.error.is_some_and(|e| e.contains("open an event first")));
        assert_eq!(app.linking, None);
    }
}
