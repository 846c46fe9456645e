//! `marsad validate PATH…`: every problem of every document (syntax, format version, hash,
//! offsets, span texts, labels, attributes, ids, references), one line each; exit 1 when any
//! file has one. Warned about, not failed: invisible bidi controls, and ids that name no entry
//! of the corpus's registry.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{SchemaArg, Schemas, collect_files, open_any, print_problems};
use crate::model::AnnotatedDocument;
use crate::model::registry::{Registry, registry_attr};
use crate::store::registry;

/// Warns about each `actor_id` / `gazetteer_id` that names no entry of the corpus's registry
/// file (when the corpus has one), each registry read once.
fn warn_about_registry(
    path: &std::path::Path,
    doc: &AnnotatedDocument,
    registries: &mut std::collections::HashMap<PathBuf, Option<Registry>>,
) {
    let Some(file) = registry::file_around(crate::store::atomic::parent_dir(path)) else {
        return;
    };
    let loaded = registries
        .entry(file.clone())
        .or_insert_with(|| match registry::read(&file) {
            Ok(r) => Some(r),
            Err(e) => {
                err!("warning: {e}");
                None
            }
        });
    let Some(reg) = loaded else { return };
    for set in &doc.sets {
        for span in &set.spans {
            let Some(attr) = registry_attr(&span.label) else {
                continue;
            };
            if let Some(crate::model::AttrValue::Str(id)) = span.attrs.get(attr)
                && reg.get(&span.label, id).is_none()
            {
                err!(
                    "warning: {}: span {}/{}: {attr} \"{id}\" is not in the registry ({})",
                    path.display(),
                    set.id,
                    span.id,
                    file.display()
                );
            }
        }
    }
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Files (.json, .ron, .txt) or folders (searched for .json and .ron).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub schema: SchemaArg,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let Ok(mut schemas) = Schemas::new(&args.schema) else {
        return Ok(ExitCode::FAILURE);
    };
    let (files, walk_problems) = collect_files(&args.paths);
    let mut problems: usize = walk_problems.iter().map(print_problems).sum();
    let mut bad_files = 0;
    let mut registries = std::collections::HashMap::new();
    for path in &files {
        match open_any(&mut schemas, path) {
            Ok(doc) => {
                super::warn_about_controls(path, &doc);
                warn_about_registry(path, &doc, &mut registries);
            }
            Err(e) => {
                problems += print_problems(&e);
                bad_files += 1;
            }
        }
    }
    if problems == 0 {
        out!("{} file(s) checked, all valid", files.len());
        Ok(ExitCode::SUCCESS)
    } else {
        out!(
            "{problems} problem(s) in {bad_files} of {} file(s)",
            files.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
