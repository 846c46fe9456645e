//! Relations in the window: R starts one from the selected span, a click on another span (or
//! Enter on it) picks its target, and the relation's kind is the one the schema allows
//! between the two labels — taken at once when there is one, chosen from a numbered list when
//! there are several, refused with the reason when there is none. Deleting one; all of it
//! undoable edits of the coder's own set.

use super::{App, AppError};
use crate::model::{Edit, Relation};

/// Two spans waiting for the coder to choose which of several kinds relates them.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationChoice {
    pub from: String,
    pub to: String,
    pub kinds: Vec<String>,
}

impl App {
    /// R: the selected span becomes the relation's start; the next span picked is its end.
    pub(super) fn start_relation(&mut self) -> Result<(), AppError> {
        let from = self
            .selected_span
            .clone()
            .ok_or(AppError::NothingSelected)?;
        self.relating = Some(from);
        self.tell(
            "relation: click the span it goes to (Esc stops)".to_owned(),
            "علاقة: انقر المقطع الذي تتجه إليه (Esc للإيقاف)".to_owned(),
        );
        Ok(())
    }

    /// The span picked as the end of the relation being made.
    pub(super) fn relate_to(&mut self, to: &str) -> Result<(), AppError> {
        let from = self.relating.take().ok_or(AppError::NothingSelected)?;
        let set = self.set().ok_or(AppError::NothingSelected)?;
        let label = |id: &str| {
            set.span(id)
                .map(|s| s.label.clone())
                .ok_or(AppError::SpanGone)
        };
        let (from_label, to_label) = (label(&from)?, label(to)?);
        if from == to {
            return Err(AppError::RelationToItself);
        }
        let kinds: Vec<String> = self
            .schema()
            .relations_between(&from_label, &to_label)
            .into_iter()
            .map(|r| r.name.clone())
            .collect();
        match kinds.as_slice() {
            [] => Err(AppError::NoRelationBetween {
                from: from_label,
                to: to_label,
            }),
            [kind] => {
                let kind = kind.clone();
                self.add_relation(&from, to, &kind)
            }
            _ => {
                self.relation_choice = Some(RelationChoice {
                    from,
                    to: to.to_owned(),
                    kinds,
                });
                Ok(())
            }
        }
    }

    /// Adds the relation `from` —kind→ `to` to the coder's set (one undoable edit).
    pub(super) fn add_relation(
        &mut self,
        from: &str,
        to: &str,
        kind: &str,
    ) -> Result<(), AppError> {
        self.relation_choice = None;
        let coder = self.settings.coder.clone();
        self.edit_in_own_set(|doc| {
            let id = doc
                .set(&coder)
                .map_or_else(|| "r1".to_owned(), |s| s.fresh_id("r"));
            Ok(Edit::add_relation(
                doc,
                &coder,
                Relation {
                    id,
                    kind: kind.to_owned(),
                    from: from.to_owned(),
                    to: to.to_owned(),
                },
            )?)
        })?;
        self.selected_span = Some(from.to_owned());
        Ok(())
    }

    pub(super) fn delete_relation(&mut self, id: &str) -> Result<(), AppError> {
        let coder = self.settings.coder.clone();
        self.edit_in_own_set(|doc| Ok(Edit::remove_relation(doc, &coder, id)?))?;
        if self.selected_relation.as_deref() == Some(id) {
            self.selected_relation = None;
        }
        Ok(())
    }

    /// A click on an arc selects its relation (and no span).
    pub(super) fn select_relation(&mut self, id: Option<String>) -> Result<(), AppError> {
        if id.is_some() {
            self.selected_span = None;
            self.selection = None;
        }
        self.selected_relation = id;
        Ok(())
    }

    /// Esc while making a relation: nothing is made.
    pub(super) fn cancel_relation(&mut self) -> Result<(), AppError> {
        self.relating = None;
        self.relation_choice = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    fn relations(app: &App) -> Vec<(String, String, String)> {
        app.set()
            .map(|s| {
                s.relations
                    .iter()
                    .map(|r| (r.kind.clone(), r.from.clone(), r.to.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn one_allowed_kind_is_taken_several_are_offered_none_is_refused_and_undo_undoes() {
        let (_dir, path) =
            setup("[CLAIM|تبنت] [ACTOR|الجماعة] هجوما في [PLACE|مالي] [PLACE|سيكاسو]");
        let mut app = app_for("coder-a");
        app.apply(Command::Open(path));
        // CLAIM → ACTOR: only claimed_by.
        app.apply(Command::SelectSpan(Some("s1".into())));
        app.apply(Command::StartRelation);
        app.apply(Command::SelectSpan(Some("s2".into())));
        assert_eq!(
            relations(&app),
            [("claimed_by".into(), "s1".into(), "s2".into())]
        );
        // PLACE → PLACE: located_in or part_of; the second is chosen.
        app.apply(Command::SelectSpan(Some("s4".into())));
        app.apply(Command::StartRelation);
        app.apply(Command::SelectSpan(Some("s3".into())));
        let choice = app.relation_choice.clone().expect("a choice");
        assert_eq!(choice.kinds, ["located_in", "part_of"]);
        app.apply(Command::AddRelation {
            from: choice.from,
            to: choice.to,
            kind: "part_of".into(),
        });
        assert_eq!(relations(&app).len(), 2);
        // ACTOR → CLAIM: nothing allows it, and the error says which labels.
        app.apply(Command::SelectSpan(Some("s2".into())));
        app.apply(Command::StartRelation);
        app.apply(Command::SelectSpan(Some("s1".into())));
        assert!(
            app.error
                .as_deref()
                .is_some_and(|e| e.contains("ACTOR") && e.contains("CLAIM")),
            "{:?}",
            app.error
        );
        assert_eq!(relations(&app).len(), 2);
        app.apply(Command::Undo);
        assert_eq!(relations(&app).len(), 1);
        app.apply(Command::DeleteRelation("r1".into()));
        assert!(relations(&app).is_empty());
        app.apply(Command::Undo);
        assert_eq!(relations(&app).len(), 1);
    }
}
