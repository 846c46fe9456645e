//! Atomic file replacement: a temp file in the same folder, written, fsynced, then renamed over
//! the target, and the folder fsynced. A crash at any moment leaves either the old file or the
//! new one, never a half-written file.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. An existing file keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, true)
}

/// Like [`write_atomic`], but fails with `AlreadyExists` instead of replacing a file — even one
/// that appears while the temp file is being written.
pub fn write_atomic_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, false)
}

fn write(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit(replace)
}

/// A file written in pieces (an export of a whole corpus) that appears at its path only when
/// [`AtomicFile::commit`] succeeds; dropped before that, it leaves nothing behind.
pub struct AtomicFile {
    tmp: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts a temp file in `path`'s folder.
    pub fn create(path: &Path) -> io::Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(".marsad-")
            .suffix(".tmp")
            .tempfile_in(parent_dir(path))?;
        Ok(Self {
            tmp: io::BufWriter::with_capacity(1 << 20, tmp),
            path: path.to_owned(),
        })
    }

    /// Flushes, fsyncs and renames the temp file to the path (failing with `AlreadyExists`
    /// unless `replace`), then fsyncs the folder. An existing file keeps its permissions.
    pub fn commit(self, replace: bool) -> io::Result<()> {
        let tmp = self.tmp.into_inner().map_err(|e| e.into_error())?;
        let permissions = match fs::metadata(&self.path) {
            Ok(meta) => Some(meta.permissions()),
            Err(_) => default_permissions(),
        };
        if let Some(p) = permissions {
            tmp.as_file().set_permissions(p)?;
        }
        tmp.as_file().sync_all()?;
        if replace {
            tmp.persist(&self.path).map_err(|e| e.error)?;
        } else {
            tmp.persist_noclobber(&self.path).map_err(|e| e.error)?;
        }
        sync_dir(parent_dir(&self.path))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.tmp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// A folder of files (a brat export) built beside its path and renamed into place only when
/// [`AtomicDir::commit`] succeeds; dropped before that, it is removed.
pub struct AtomicDir {
    tmp: tempfile::TempDir,
    path: PathBuf,
}

impl AtomicDir {
    pub fn create(path: &Path) -> io::Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(".marsad-")
            .suffix(".tmp")
            .tempdir_in(parent_dir(path))?;
        Ok(Self {
            tmp,
            path: path.to_owned(),
        })
    }

    /// Writes and fsyncs one file of the folder.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let mut file = File::create(self.tmp.path().join(name))?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    /// Renames the finished folder to the path. An existing folder is an `AlreadyExists`
    /// error unless `replace`; then it is moved aside, the new one moved in, and the old one
    /// deleted, so that at every moment one complete folder is at the path or beside it.
    pub fn commit(self, replace: bool) -> io::Result<()> {
        sync_dir(self.tmp.path())?;
        let parent = parent_dir(&self.path).to_owned();
        if fs::symlink_metadata(&self.path).is_ok() {
            if !replace {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the output exists",
                ));
            }
            let old = tempfile::Builder::new()
                .prefix(".marsad-old-")
                .tempdir_in(&parent)?;
            let aside = old.path().join("old");
            fs::rename(&self.path, &aside)?;
            if let Err(e) = fs::rename(self.tmp.path(), &self.path) {
                // Put the old output back; the new one is removed with its TempDir.
                let _ = fs::rename(&aside, &self.path);
                return Err(e);
            }
            let _ = self.tmp.keep();
            drop(old);
        } else {
            fs::rename(self.tmp.path(), &self.path)?;
            let _ = self.tmp.keep();
        }
        sync_dir(&parent)
    }
}

/// The folder a path is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // tempfile creates 0600; a saved document is an ordinary file.
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.json");
        write_atomic(&path, "أول".as_bytes()).expect("first write");
        write_atomic(&path, "ثان".as_bytes()).expect("second write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "ثان");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["doc.json"]);
    }

    #[test]
    fn a_failed_rename_leaves_the_target_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A non-empty folder cannot be replaced by a file: the last step fails.
        let target = dir.path().join("doc.json");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("inside"), b"old").expect("write");
        assert!(write_atomic(&target, b"new").is_err());
        assert_eq!(fs::read(target.join("inside")).expect("read"), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["doc.json"], "the temp file is removed");
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("doc.json");
        write_atomic_new(&path, b"first").expect("new file");
        let err = write_atomic_new(&path, b"second").expect_err("exists");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).expect("read"), b"first");
    }
}
