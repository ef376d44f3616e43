//! Output: the only writer. A build is written into a fresh staging directory beside the
//! output and swapped into place only once complete, so a failed build never touches the
//! previous output. Files whose bytes did not change are hard-linked from the previous output
//! instead of written again.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::site_path::{self, PathProblem};

mod file;
mod record;
mod target;

pub use file::OutputFile;
use record::OutputState;
pub use record::{BuildRecord, up_to_date};

/// A failure to write the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file-system operation failed.
    #[error("{path}: cannot {action}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// Replacing the output directory would destroy something that is not a build.
    #[error("{path}: refusing to write the site here: {reason}; choose another --output")]
    Refused {
        /// The output directory.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// A file's path would leave the output folder. Loading refuses such names first; this is
    /// the writer's own guard, so that no bug upstream can write outside the output.
    #[error("{path:?}: refusing to write this file: {problem}")]
    UnsafePath {
        /// The path, as given.
        path: String,
        /// Why it cannot be written.
        problem: PathProblem,
    },
}

/// Where a build writes when `--output` is not given: `public/` in the site at `root`, refused
/// when it is a symbolic link that leads outside the site.
pub fn default_output(root: &Path) -> Result<PathBuf, OutputError> {
    target::default_in(root)
}

/// `path` if it may be written below an output folder, else the writer's refusal.
pub fn checked_path(path: &str) -> Result<&Path, OutputError> {
    site_path::check(path).map_err(|problem| OutputError::UnsafePath { path: path.to_string(), problem })?;
    Ok(Path::new(path))
}

/// The file every output carries: a directory without it is never deleted.
pub use crate::site_path::MARKER;

/// What the marker file says.
pub const MARKER_TEXT: &[u8] = b"This directory is written by `critique build` and replaced by every build.\n";

/// How the output was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written with new bytes.
    pub written: usize,
    /// Files unchanged since the previous build, hard-linked from it.
    pub unchanged: usize,
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io { action, path: path.to_path_buf(), source }
}

/// An output being written: a staging directory beside it, filled file by file as the build
/// makes them (so a build never holds all its pages in memory), then swapped into place by
/// [`Staging::finish`]. Dropped unfinished (a failed build), the staging directory is removed
/// and the previous output stays as it was.
pub struct Staging {
    /// The output directory, resolved.
    out: PathBuf,
    /// Where the files go until the swap.
    dir: PathBuf,
    /// Where the previous output goes during the swap.
    retired: PathBuf,
    /// Folders already created in the staging directory.
    folders: Mutex<BTreeSet<PathBuf>>,
    /// Folders of the previous output already looked at: whether each is a real folder.
    old_folders: Mutex<HashMap<PathBuf, bool>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// What the staged files add up to, for the marker.
    state: Mutex<OutputState>,
    finished: bool,
}

impl Staging {
    /// Starts writing a new output for `out`. `root` is the site root: the output may lie in
    /// it but must neither be it, contain it, nor lie inside its `content/`, `templates/` or
    /// `static/`; and an existing non-empty directory is replaced only if it carries the
    /// [`MARKER`] of an earlier build.
    pub fn begin(out: &Path, root: &Path) -> Result<Self, OutputError> {
        let out = target::resolve(out)?;
        target::check(&out, root)?;
        let parent = out.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        fs::create_dir_all(&parent).map_err(io_err("create directory", &parent))?;
        // The folders just made may have changed what the path names (a link made meanwhile):
        // resolved again, it must be the same and still pass.
        if target::resolve(&out)? != out {
            return Err(OutputError::Refused { path: out, reason: "it changed while its folders were made" });
        }
        target::check(&out, root)?;
        let dir = new_folder(&parent, &format!(".{name}.staging-"))?;
        let retired = parent.join(format!(".{name}.previous-{}", crate::random::unguessable_hex()));
        let staging = Self {
            out,
            dir,
            retired,
            folders: Mutex::new(BTreeSet::new()),
            old_folders: Mutex::new(HashMap::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            state: Mutex::new(OutputState::default()),
            finished: false,
        };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT).map_err(io_err("write", &staging.dir))?;
        Ok(staging)
    }

    /// Adds one file. Bytes equal to the previous output's file are hard-linked from it
    /// instead of written again.
    pub fn put(&self, file: &OutputFile) -> Result<(), OutputError> {
        let path = checked_path(&file.path)?;
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            self.make_folder(folder)?;
        }
        // Linked only from a regular file of the previous output reached through real folders,
        // never through a link there: an output committed with `public/d -> /elsewhere` must not
        // make the build read files outside, nor share their inodes.
        let old = self.out.join(path);
        let same = self.real_folders_to(path)
            && fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == file.bytes.len() as u64)
            && fs::read(&old).is_ok_and(|b| b == file.bytes);
        if same && fs::hard_link(&old, &target).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            write_new(&target, &file.bytes).map_err(io_err("write", &target))?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        let meta = fs::metadata(&target).map_err(io_err("read the metadata of", &target))?;
        if let Ok(mut state) = self.state.lock() {
            state.add(Path::new(&file.path), &meta).map_err(io_err("read the modification time of", &target))?;
        }
        Ok(())
    }

    /// Whether every folder on the way to `path` in the previous output is a folder, not a
    /// link (each folder is asked once).
    fn real_folders_to(&self, path: &Path) -> bool {
        let mut folder = self.out.clone();
        for part in path.parent().into_iter().flat_map(Path::components) {
            folder.push(part);
            if let Some(&real) = self.old_folders.lock().ok().as_ref().and_then(|known| known.get(&folder)) {
                if !real {
                    return false;
                }
                continue;
            }
            let real = fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir());
            if let Ok(mut known) = self.old_folders.lock() {
                known.insert(folder.clone(), real);
            }
            if !real {
                return false;
            }
        }
        true
    }

    fn make_folder(&self, folder: &Path) -> Result<(), OutputError> {
        let known = self.folders.lock().is_ok_and(|made| made.contains(folder));
        if !known {
            fs::create_dir_all(folder).map_err(io_err("create directory", folder))?;
            if let Ok(mut made) = self.folders.lock() {
                made.insert(folder.to_path_buf());
            }
        }
        Ok(())
    }

    /// Swaps the staged files into place as the new output. With a `record` of the build, the
    /// marker also notes the build's fingerprint and what the output holds, so that the next
    /// build of the same inputs can find the output [`up_to_date`].
    pub fn finish(mut self, record: Option<&BuildRecord>) -> Result<WriteStats, OutputError> {
        // What is there now, not what was there when the build began, is what gets replaced.
        target::replaceable(&self.out)?;
        swap(&self.out, &self.dir, &self.retired)?;
        self.finished = true;
        if let Some(record) = record
            && let Ok(state) = self.state.lock().map(|s| *s)
        {
            // The new output is in place: a marker that cannot be written only means that the
            // next build of the same inputs is not skipped.
            let text = [MARKER_TEXT, record.line(&state).as_bytes()].concat();
            let _ = fs::write(self.out.join(MARKER), text);
        }
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

/// A new, empty folder in `parent` named `prefix` and a random suffix; made only if nothing
/// has that name (never through a link planted there).
fn new_folder(parent: &Path, prefix: &str) -> Result<PathBuf, OutputError> {
    let mut last = None;
    for _ in 0..16 {
        let dir = parent.join(format!("{prefix}{}", crate::random::unguessable_hex()));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(OutputError::Io { action: "create directory", path: dir, source: e }),
        }
    }
    let source = last.unwrap_or_else(|| io::Error::other("no free name"));
    Err(OutputError::Io { action: "create directory", path: parent.join(prefix), source })
}

/// Writes `bytes` to a new file at `target`. A file already there (a path given twice, which
/// the build reports as a clash) is replaced, never written through: it may be a hard link
/// into the previous output, which a failed build must leave as it was.
fn write_new(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let create = || fs::OpenOptions::new().write(true).create_new(true).open(target);
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(target)?;
            create()?
        }
        other => other?,
    };
    io::Write::write_all(&mut file, bytes)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort: the previous output is still in place; only the staging tree is ours.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a directory tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> Result<(), OutputError> {
    let entries: Vec<PathBuf> = fs::read_dir(dir).map_err(io_err("remove", dir))?.flatten().map(|e| e.path()).collect();
    entries.par_iter().try_for_each(|path| {
        let removed = if path.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) };
        removed.map_err(io_err("remove", path))
    })?;
    fs::remove_dir(dir).map_err(io_err("remove", dir))
}

fn swap(out: &Path, staging: &Path, retired: &Path) -> Result<(), OutputError> {
    if fs::symlink_metadata(out).is_ok() {
        fs::rename(out, retired).map_err(io_err("move aside", out))?;
        if let Err(source) = fs::rename(staging, out) {
            let _ = fs::rename(retired, out);
            return Err(OutputError::Io { action: "move into place", path: out.to_path_buf(), source });
        }
        remove_tree(retired)
    } else {
        fs::rename(staging, out).map_err(io_err("move into place", out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replaces `out` with exactly `files`, as a build does.
    fn write_output(out: &Path, files: &[OutputFile], root: &Path) -> Result<WriteStats, OutputError> {
        let staging = Staging::begin(out, root)?;
        files.par_iter().try_for_each(|file| staging.put(file))?;
        staging.finish(None)
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path.into(), text.to_string())
    }

    #[test]
    fn replaces_output_and_links_unchanged_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let root = dir.path().join("site");
        fs::create_dir_all(&root).expect("root");
        let first = write_output(&out, &[file("a/index.html", "a"), file("b.txt", "b"), file("gone.txt", "x")], &root)
            .expect("first");
        assert_eq!(first, WriteStats { written: 3, unchanged: 0 });
        let second = write_output(&out, &[file("a/index.html", "a"), file("b.txt", "B")], &root).expect("second");
        assert_eq!(second, WriteStats { written: 1, unchanged: 1 });
        assert_eq!(fs::read_to_string(out.join("b.txt")).expect("b"), "B");
        assert!(!out.join("gone.txt").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, [std::ffi::OsString::from("public"), std::ffi::OsString::from("site")]);
        assert!(out.join(MARKER).is_file());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_holding_a_link_is_never_up_to_date() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (out, root) = (dir.path().join("public"), dir.path().join("site"));
        fs::create_dir_all(&root).expect("root");
        let record = BuildRecord { fingerprint: 7, projects: 0, reviews: 0, pages: 0 };
        let staging = Staging::begin(&out, &root).expect("begin");
        staging.put(&file("a/index.html", "a")).expect("put");
        staging.finish(Some(&record)).expect("finish");
        assert!(up_to_date(&out, 7).is_some(), "as written");
        std::os::unix::fs::symlink(dir.path(), out.join("elsewhere")).expect("link");
        assert!(up_to_date(&out, 7).is_none(), "a build writes no links");
    }

    #[test]
    fn refuses_anything_but_a_previous_build() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        for sub in ["content/reviews", "static", "templates"] {
            fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        fs::write(root.join("content/reviews/a.md"), "keep").expect("write");
        fs::write(dir.path().join("precious.txt"), "keep").expect("write");
        fs::create_dir_all(dir.path().join("thesis")).expect("mkdir");
        fs::write(dir.path().join("thesis/ch1.txt"), "keep").expect("write");
        for target in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/reviews"),
            root.join("static"),
            root.join("templates/x"),
            dir.path().join("precious.txt"),
            dir.path().join("thesis"),
        ] {
            let result = write_output(&target, &[file("index.html", "x")], &root);
            assert!(matches!(result, Err(OutputError::Refused { .. })), "{target:?}: {result:?}");
        }
        assert!(root.join("content/reviews/a.md").is_file());
        assert!(dir.path().join("thesis/ch1.txt").is_file());
        assert!(dir.path().join("precious.txt").is_file());
        write_output(&root.join("public"), &[file("index.html", "x")], &root).expect("an output inside the root");
        write_output(&root.join("public"), &[file("index.html", "y")], &root).expect("replaces its own output");
    }

    #[test]
    fn follows_a_symlinked_output_given_explicitly_but_not_by_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        fs::create_dir_all(&root).expect("root");
        let www = dir.path().join("www");
        fs::create_dir_all(&www).expect("www");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&www, root.join("public")).expect("symlink");
            write_output(&root.join("public"), &[file("index.html", "x")], &root).expect("through the link");
            assert_eq!(fs::read_to_string(www.join("index.html")).expect("written"), "x");
            assert!(fs::symlink_metadata(root.join("public")).expect("link").file_type().is_symlink());
            let refused = default_output(&root).expect_err("a committed link does not choose the output");
            assert!(refused.to_string().contains("leads outside the site"), "{refused}");
            fs::remove_file(root.join("public")).expect("unlink");
            fs::create_dir_all(root.join("docs")).expect("docs");
            std::os::unix::fs::symlink("docs", root.join("public")).expect("symlink inside");
            assert_eq!(default_output(&root).expect("a link inside the site"), root.join("public"));
            fs::remove_file(root.join("public")).expect("unlink");
            fs::create_dir_all(root.join(".git/objects/info")).expect("git");
            std::os::unix::fs::symlink(".git/objects/info", root.join("public")).expect("symlink into .git");
            assert!(default_output(&root).is_err(), "not into a hidden folder of the site");
        }
    }
}
