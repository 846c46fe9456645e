//! The registry of actors and places in the window: read with the folder (or beside a
//! document opened alone; the bundled starter registry when there is no file), its entries
//! offered in the attribute editor, and a new entry made from the selected span in one step
//! (written to the corpus's registry file, and the span's attribute set to it, undoably).

use std::path::PathBuf;

use super::{App, AppError, Command};
use crate::model::AttrValue;
use crate::model::registry::{Registry, registry_attr};
use crate::store::registry;

impl App {
    /// The registry in force for the open document.
    pub fn registry(&self) -> &Registry {
        &self.registry.1
    }

    /// Whether the registry in force is the corpus's own file (not the bundled starter).
    pub fn registry_file(&self) -> bool {
        self.registry.0.join(registry::REGISTRY_FILE).is_file()
    }

    /// Reads the registry of the corpus around `dir`: the nearest file, else the starter.
    pub(super) fn find_registry(&mut self, dir: &std::path::Path) {
        let root: PathBuf = self
            .corpus
            .as_ref()
            .map(|c| c.root.clone())
            .filter(|r| dir.starts_with(r))
            .unwrap_or_else(|| dir.to_owned());
        let file = registry::file_around(dir);
        let at = file
            .as_deref()
            .and_then(std::path::Path::parent)
            .map_or(root, std::path::Path::to_owned);
        match registry::load(&at) {
            Ok(r) => {
                self.registry = (at, r);
                self.registry_broken = false;
            }
            Err(e) => {
                // Offered from the starter, but never written over the file that failed.
                self.error = Some(format!("{e}; new entries are not saved until it is mended"));
                self.registry = (at, registry::starter());
                self.registry_broken = true;
            }
        }
    }

    /// A registry entry made from span `span` of the coder's set (with `id` when it is free),
    /// saved to the corpus's registry, and the span's attribute set to it.
    pub(super) fn new_registry_entry(
        &mut self,
        span: &str,
        id: Option<String>,
    ) -> Result<(), AppError> {
        if self.registry_broken {
            return Err(AppError::Refused(format!(
                "{}: the registry file could not be read; mend it before adding entries",
                self.registry.0.join(registry::REGISTRY_FILE).display()
            )));
        }
        let s = self
            .set()
            .and_then(|s| s.span(span))
            .cloned()
            .ok_or(AppError::SpanGone)?;
        let attr = registry_attr(&s.label).ok_or_else(|| {
            AppError::Refused(format!("a {} span names no registry entry", s.label))
        })?;
        let entry = self.registry.1.entry_for(&s.label, id.as_deref(), &s);
        let new_id = entry.id.clone();
        let mut updated = self.registry.1.clone();
        updated.add(&s.label, entry);
        registry::save(&self.registry.0, &updated).map_err(AppError::Registry)?;
        self.registry.1 = updated;
        self.try_apply(Command::SetAttr {
            span: span.to_owned(),
            name: attr.to_owned(),
            value: Some(AttrValue::Str(new_id.clone())),
        })?;
        let file = self.registry.0.join(registry::REGISTRY_FILE);
        self.tell(
            format!("{new_id} added to {}", file.display()),
            format!("أضيف {new_id} إلى {}", file.display()),
        );
        Ok(())
    }
}
