//! The registry file of a corpus (`marsad-registry.json` at its root), and the starter
//! registry bundled with Marsad (the Sahel actors and places the sample articles name), which
//! a corpus without a file of its own uses and which its first new entry copies into one.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::registry::{REGISTRY_FORMAT, Registry};

/// The registry's file name, at the corpus root.
pub const REGISTRY_FILE: &str = "marsad-registry.json";
const STARTER: &str = include_str!("../../assets/registry.json");

#[derive(Debug, Error)]
pub enum RegistryError {
    #[error("{path}: not a registry: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path}: cannot write the registry: {error}")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The registry bundled with Marsad.
pub fn starter() -> Registry {
    serde_json::from_str(STARTER).unwrap_or_default()
}

/// The nearest registry file in `dir` or a folder above it.
pub fn file_around(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(REGISTRY_FILE))
        .find(|p| p.is_file())
}

/// The registry of the corpus at `root`: its file, or the starter registry when it has none.
pub fn load(root: &Path) -> Result<Registry, RegistryError> {
    let path = root.join(REGISTRY_FILE);
    if !path.is_file() {
        return Ok(starter());
    }
    read(&path)
}

/// A registry file, checked.
pub fn read(path: &Path) -> Result<Registry, RegistryError> {
    let invalid = |why: String| RegistryError::Invalid {
        path: path.to_owned(),
        why,
    };
    let src = super::read_text(path).map_err(|e| invalid(e.to_string()))?;
    let registry: Registry = super::format::deserialize(&src, super::Syntax::Json)
        .map_err(|p| invalid(p.to_string()))?;
    if registry.format != REGISTRY_FORMAT {
        return Err(invalid(format!(
            "format is \"{}\", not {REGISTRY_FORMAT}",
            registry.format
        )));
    }
    Ok(registry)
}

/// Writes the corpus's registry atomically, pretty-printed with a final newline.
pub fn save(root: &Path, registry: &Registry) -> Result<(), RegistryError> {
    let path = root.join(REGISTRY_FILE);
    let mut text = serde_json::to_string_pretty(registry).map_err(|e| RegistryError::Write {
        path: path.clone(),
        error: std::io::Error::other(e),
    })?;
    text.push('\n');
    super::write_atomic(&path, text.as_bytes())
        .map_err(|error| RegistryError::Write { path, error })
}
