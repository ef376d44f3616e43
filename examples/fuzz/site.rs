//! A mutant's folder T: the site under test (`T/site`), what lies beside it and must never be
//! read into an output nor changed (`T/outside`, `T/canary.txt`), where serve and the final
//! build write (`T/preview`, `T/fresh`), and the snapshots that show what changed.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::rng::Rng;

/// What every secret beside the site starts with: no output and no message may hold it.
pub const SECRET: &str = "SECRET-CANARY-";
/// The start of every file name a mutant uses to try to write outside its output.
pub const ESCAPE: &str = "critique-fuzz-escape-";
/// The environment variable the child carries a secret in (for links to `/proc/self/environ`).
pub const ENV_SECRET: (&str, &str) = ("CRITIQUE_FUZZ_SECRET", "SECRET-CANARY-ENVIRONMENT");
/// What the canary beside the site holds.
const CANARY: &[u8] = b"a canary beside the site: no build may change or remove it\n";

/// The files beside the site, relative to T.
const OUTSIDE: [(&str, &str); 5] = [
    ("outside/secret.txt", "SECRET-CANARY-FILE outside the site\n"),
    ("outside/folder/secret.md", "---\ntitle: SECRET-CANARY-TITLE\n---\nSECRET-CANARY-BODY\n"),
    ("outside/folder/secret.html", "<p>SECRET-CANARY-TEMPLATE</p>\n"),
    ("outside/folder/secret.css", "/* SECRET-CANARY-CSS */\n"),
    ("outside/folder/reviews/secret.md", "---\ntitle: SECRET-CANARY-NESTED\n---\nSECRET-CANARY-NESTED\n"),
];

/// Where one mutant lives.
#[derive(Debug, Clone)]
pub struct Layout {
    /// T.
    pub root: PathBuf,
}

impl Layout {
    /// The site under test.
    pub fn site(&self) -> PathBuf {
        self.root.join("site")
    }

    /// Serve's output.
    pub fn preview(&self) -> PathBuf {
        self.root.join("preview")
    }

    /// The output of the build compared with serve's.
    pub fn fresh(&self) -> PathBuf {
        self.root.join("fresh")
    }
}

/// The example site of the repository, read once.
pub struct BaseSite {
    /// `critique.toml` and every file of `content/`, relative to the site root, sorted.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The repository's templates (the theme's sources), relative to `templates/`.
    pub templates: Vec<(PathBuf, Vec<u8>)>,
    /// The repository's static files, relative to `static/`.
    pub statics: Vec<(PathBuf, Vec<u8>)>,
}

impl BaseSite {
    /// Reads the example site from the repository at `repo`.
    pub fn read(repo: &Path) -> io::Result<Self> {
        let mut files = read_tree(&repo.join("content"), Path::new("content"))?;
        files.push((PathBuf::from("critique.toml"), fs::read(repo.join("critique.toml"))?));
        files.sort();
        Ok(BaseSite {
            files,
            templates: read_tree(&repo.join("templates"), Path::new(""))?,
            statics: read_tree(&repo.join("static"), Path::new(""))?,
        })
    }
}

fn read_tree(dir: &Path, prefix: &Path) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
            files.push((prefix.join(rel), fs::read(entry.path())?));
        }
    }
    Ok(files)
}

/// Whether `mkfifo` can be run here (checked once per process).
pub fn have_mkfifo() -> bool {
    static HAVE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAVE.get_or_init(|| {
        Command::new("mkfifo").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
    })
}

/// Makes a FIFO at `path`.
pub fn mkfifo(path: &Path) -> io::Result<()> {
    let status = Command::new("mkfifo").arg(path).stdout(Stdio::null()).stderr(Stdio::null()).status()?;
    if status.success() { Ok(()) } else { Err(io::Error::other("mkfifo failed")) }
}

/// Lays out T for a mutant: the secrets and the canary beside the site, and the example site
/// with, sometimes, template overrides and a `static/` folder. Returns what was added to the
/// example site.
pub fn prepare(layout: &Layout, base: &BaseSite, rng: &mut Rng) -> io::Result<Vec<String>> {
    let t = &layout.root;
    for (path, text) in OUTSIDE {
        write(&t.join(path), text.as_bytes())?;
    }
    if have_mkfifo() {
        mkfifo(&t.join("outside/pipe"))?;
    }
    write(&t.join("canary.txt"), CANARY)?;
    let site = layout.site();
    for (path, bytes) in &base.files {
        write(&site.join(path), bytes)?;
    }
    let mut added = Vec::new();
    if rng.chance(1, 3) && !base.templates.is_empty() {
        let n = rng.between(1, 3);
        let mut names = Vec::new();
        for _ in 0..n {
            if let Some((path, bytes)) = rng.pick(&base.templates) {
                write(&site.join("templates").join(path), bytes)?;
                names.push(path.display().to_string());
            }
        }
        added.push(format!("templates: {}", names.join(", ")));
    }
    if rng.chance(1, 3) {
        let mut names = Vec::new();
        for _ in 0..rng.between(1, 3) {
            let (name, bytes): (String, Vec<u8>) = match rng.below(6) {
                0 => match rng.pick(&base.statics) {
                    Some((path, bytes)) => (path.display().to_string(), bytes.clone()),
                    None => continue,
                },
                1 => ("files/notes.txt".into(), b"notes\n".to_vec()),
                2 => (
                    "img/dot.svg".into(),
                    b"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>\n".to_vec(),
                ),
                3 => ("robots.txt".into(), b"User-agent: *\n".to_vec()),
                4 => ("downloads/data.jsonl".into(), b"{\"a\":1}\n".to_vec()),
                _ => ("fonts/x.woff2".into(), (0..=255u8).collect()),
            };
            write(&site.join("static").join(&name), &bytes)?;
            names.push(name);
        }
        added.push(format!("static: {}", names.join(", ")));
    }
    Ok(added)
}

fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

/// What a snapshot knows of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file: its length, a hash of its bytes and its modification time.
    File { len: u64, hash: u64, modified: Option<SystemTime> },
    /// A folder.
    Dir,
    /// A symbolic link and its target.
    Link(PathBuf),
    /// A FIFO, socket or device.
    Special,
}

/// Every entry under `dir` (links not followed) whose path relative to `dir` `skip` does not
/// refuse, with what it is.
pub fn snapshot(dir: &Path, skip: &dyn Fn(&Path) -> bool) -> BTreeMap<PathBuf, Entry> {
    let mut entries = BTreeMap::new();
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.path().strip_prefix(dir).map_or(true, |rel| !skip(rel)));
    for entry in walk.flatten() {
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let kind = entry.file_type();
        let seen = if kind.is_symlink() {
            Entry::Link(fs::read_link(entry.path()).unwrap_or_default())
        } else if kind.is_dir() {
            Entry::Dir
        } else if kind.is_file() {
            let meta = entry.metadata().ok();
            Entry::File {
                len: meta.as_ref().map_or(0, |m| m.len()),
                hash: fs::read(entry.path()).map_or(0, |b| hash_bytes(&b)),
                modified: meta.and_then(|m| m.modified().ok()),
            }
        } else {
            Entry::Special
        };
        entries.insert(rel.to_path_buf(), seen);
    }
    entries
}

/// A 64-bit hash of `bytes` (SipHash with fixed keys: the same everywhere).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// What differs between two snapshots: created, removed or changed entries.
pub fn differences(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, entry) in after {
        match before.get(path) {
            None => found.push(format!("created {}", show(path))),
            Some(old) if old != entry => found.push(format!("changed {}", show(path))),
            Some(_) => {}
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        found.push(format!("removed {}", show(path)));
    }
    found
}

/// A path for a report line: control characters escaped, so that a hostile name cannot break
/// the line it is on.
pub fn show(path: &Path) -> String {
    path.to_string_lossy()
        .chars()
        .map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.into() })
        .collect()
}

/// A hash of a mutant's site: every entry's path, kind, bytes and link target, with `t`
/// written as `T` in link targets (so that the same mutant in another folder hashes the same).
pub fn fingerprint(layout: &Layout) -> u64 {
    let t = layout.root.to_string_lossy().into_owned();
    let mut hasher = std::hash::DefaultHasher::new();
    for (path, entry) in snapshot(&layout.site(), &|_| false) {
        path.hash(&mut hasher);
        match entry {
            Entry::File { hash, .. } => hash.hash(&mut hasher),
            Entry::Dir => 1u8.hash(&mut hasher),
            Entry::Link(target) => target.to_string_lossy().replace(&t, "T").hash(&mut hasher),
            Entry::Special => 2u8.hash(&mut hasher),
        }
    }
    hasher.finish()
}

/// The regular files under `dir` (links not followed, `skip` refused) that hold [`SECRET`].
pub fn secrets_in(dir: &Path, skip: &dyn Fn(&Path) -> bool) -> Vec<String> {
    let walk = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.path().strip_prefix(dir).map_or(true, |rel| !skip(rel)));
    walk.flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| fs::read(e.path()).is_ok_and(|b| memchr::memmem::find(&b, SECRET.as_bytes()).is_some()))
        .map(|e| show(e.path().strip_prefix(dir).unwrap_or(e.path())))
        .collect()
}

/// Copies the tree `from` into `to` as it is: links as links (a target under `relink.0`
/// rewritten to lie under `relink.1`), FIFOs and sockets made anew.
pub fn copy_tree(from: &Path, to: &Path, relink: (&Path, &Path)) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let dest = to.join(rel);
        let kind = entry.file_type();
        if kind.is_symlink() {
            let target = fs::read_link(entry.path())?;
            let target = match target.strip_prefix(relink.0) {
                Ok(rest) => relink.1.join(rest),
                Err(_) => target,
            };
            symlink(target, &dest)?;
        } else if kind.is_dir() {
            fs::create_dir_all(&dest)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest)?;
        } else if kind.is_fifo() {
            mkfifo(&dest)?;
        } else if kind.is_socket() {
            drop(std::os::unix::net::UnixListener::bind(&dest)?);
        }
    }
    Ok(())
}
