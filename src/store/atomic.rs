//! Atomic file and folder replacement. A file: a temp file in the same folder, written,
//! fsynced, then renamed over the target, and the folder fsynced. A folder (a brat export):
//! built beside the target, then swapped in through two renames with names fixed by the target's
//! name, so that a run killed between them is completed or rolled back by the next one. A crash
//! at any moment leaves the old output or the new one, never a half-written one; our own temp
//! files left by a killed run are removed when we next write beside them.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

/// The marker file every folder export holds: only a folder with it may be replaced.
pub const EXPORT_MARKER: &str = ".marsad-export";

/// When this run started writing: temp files older than this are a killed run's leftovers.
fn run_started() -> SystemTime {
    static STARTED: OnceLock<SystemTime> = OnceLock::new();
    *STARTED.get_or_init(SystemTime::now)
}

/// The file name of `path` ("out" for a path without one).
fn name_of(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "out".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The prefix of our temp files for `path`: `.marsad-NAME-`.
fn temp_prefix(path: &Path) -> String {
    format!(".marsad-{}-", name_of(path))
}

/// Removes our temp files and folders for `path` that a run before this one left behind.
fn clean_leftovers(path: &Path) {
    let prefix = temp_prefix(path);
    let started = run_started();
    let Ok(entries) = fs::read_dir(parent_dir(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&prefix) && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < started);
        if old {
            let p = entry.path();
            let _ = if p.is_dir() {
                fs::remove_dir_all(&p)
            } else {
                fs::remove_file(&p)
            };
        }
    }
}

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
    /// Starts a temp file in `path`'s folder (first removing what a killed run left there).
    pub fn create(path: &Path) -> io::Result<Self> {
        run_started();
        clean_leftovers(path);
        let tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(path))
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

/// The two names a folder replacement goes through: the finished new folder, and the old
/// one moved aside. Fixed by the target's name, so the next run finds them.
fn swap_names(path: &Path) -> (PathBuf, PathBuf) {
    let parent = parent_dir(path);
    let name = name_of(path);
    (
        parent.join(format!(".marsad-{name}.new")),
        parent.join(format!(".marsad-{name}.old")),
    )
}

/// Completes or rolls back a folder replacement that a killed run left half done: a finished
/// new folder with no output goes in; an old folder with no output goes back; what is left
/// over is removed. Returns what it did, for a message.
pub fn recover_dir(path: &Path) -> io::Result<Option<&'static str>> {
    let (new, old) = swap_names(path);
    let present = |p: &Path| fs::symlink_metadata(p).is_ok();
    let mut did = None;
    if present(&new) {
        if present(path) {
            // Killed before the swap: the old output stands; the new one is dropped.
            fs::remove_dir_all(&new)?;
            did = Some("rolled back an export that was interrupted");
        } else {
            fs::rename(&new, path)?;
            did = Some("completed an export that was interrupted");
        }
    }
    if present(&old) {
        if present(path) {
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&old, path)?;
            did = Some("restored the output an interrupted export had moved aside");
        }
    }
    if did.is_some() {
        sync_dir(parent_dir(path))?;
    }
    Ok(did)
}

/// A folder of files (a brat export) built beside its path and renamed into place only when
/// [`AtomicDir::commit`] succeeds; dropped before that, it is removed.
pub struct AtomicDir {
    tmp: tempfile::TempDir,
    path: PathBuf,
}

impl AtomicDir {
    /// Starts the folder beside `path`, first completing or rolling back an interrupted
    /// replacement of `path` and removing what a killed run left there.
    pub fn create(path: &Path) -> io::Result<Self> {
        run_started();
        recover_dir(path)?;
        clean_leftovers(path);
        let tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(path))
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
    /// error unless `replace`, and is replaced only when it holds [`EXPORT_MARKER`] (a folder
    /// an export wrote), never any other folder. The new folder first takes its fixed `.new`
    /// name, the old one moves to `.old`, the new one into place, the old one is deleted: at
    /// every moment [`recover_dir`] can finish the job.
    pub fn commit(self, replace: bool) -> io::Result<()> {
        self.write_file(
            EXPORT_MARKER,
            b"written by marsad export; replaced by the next one\n",
        )?;
        sync_dir(self.tmp.path())?;
        let parent = parent_dir(&self.path).to_owned();
        let exists = fs::symlink_metadata(&self.path).is_ok();
        if exists {
            if !replace {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the output exists",
                ));
            }
            if !self.path.join(EXPORT_MARKER).is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "not a folder a marsad export wrote, so it is never replaced",
                ));
            }
        }
        let (new, old) = swap_names(&self.path);
        let tmp = self.tmp.keep();
        if let Err(e) = fs::rename(&tmp, &new) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        sync_dir(&parent)?;
        if exists && exchange(&new, &self.path).is_ok() {
            // One atomic step: the output is the new folder, `.new` now holds the old one.
            sync_dir(&parent)?;
            fs::remove_dir_all(&new)?;
            return Ok(());
        }
        if exists {
            fs::rename(&self.path, &old)?;
        }
        fs::rename(&new, &self.path)?;
        sync_dir(&parent)?;
        if exists {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// Swaps two paths in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`), so that no
/// moment has neither; an error where the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
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

    fn folder(path: &Path, content: &str) {
        fs::create_dir_all(path).expect("mkdir");
        fs::write(path.join("a.txt"), content).expect("write");
    }

    #[test]
    fn an_interrupted_swap_is_completed_or_rolled_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let (new, old) = swap_names(&out);
        // Killed after the old one moved aside: the finished new one goes in.
        folder(&new, "new");
        folder(&old, "old");
        assert!(recover_dir(&out).expect("recover").is_some());
        assert_eq!(fs::read_to_string(out.join("a.txt")).expect("read"), "new");
        assert!(!new.exists() && !old.exists());
        // Killed before the swap: the old output stands, the new one is dropped.
        folder(&new, "newer");
        recover_dir(&out).expect("recover");
        assert_eq!(fs::read_to_string(out.join("a.txt")).expect("read"), "new");
        assert!(!new.exists());
        // Killed with only the old one aside: it goes back.
        fs::rename(&out, &old).expect("aside");
        recover_dir(&out).expect("recover");
        assert_eq!(fs::read_to_string(out.join("a.txt")).expect("read"), "new");
        assert_eq!(recover_dir(&out).expect("nothing to do"), None);
    }

    #[test]
    fn a_folder_without_the_marker_is_never_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        folder(&out, "someone's");
        let new = AtomicDir::create(&out).expect("create");
        new.write_file("b.txt", b"x").expect("write");
        assert!(new.commit(true).is_err());
        assert_eq!(
            fs::read_to_string(out.join("a.txt")).expect("kept"),
            "someone's"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["out"], "nothing left beside it");
    }
}
