//! Walking the site's source folders, the one way `build`, `check` and `serve` find files.
//! A symbolic link is followed only when its target resolves inside the site root to a file
//! or folder the walk itself would read; one that leaves the site, leads to a hidden or
//! version-control path (`.git/config`, `.env`: a pull request must not be able to publish the
//! checkout's token), dangles, loops, or leads to a folder already walked is an error naming
//! the link (nothing behind it is read). What a linked folder holds is skipped by where it
//! really is, so a link to the root from `static/` does not publish the root's dotfiles. Anything that is neither a file nor a folder (a named
//! pipe, a device, a socket) is an error too, rather than a file silently skipped or a read
//! that never returns.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, display_path as shown};

use super::{is_ignored, is_ignored_static};

/// A walk of one site: its root as the links' targets are compared with, and the folders
/// walked so far.
pub(super) struct Walker {
    /// The site root, canonical (links and `..` resolved).
    root: PathBuf,
    /// Canonical folders already walked, with the path they were first reached by: each is
    /// walked once, so that links cannot make the walk loop or repeat a folder (two links to
    /// one folder, many times over, would make it exponential).
    walked: HashMap<PathBuf, PathBuf>,
    /// Whether a symbolic link was followed.
    followed: bool,
    /// Where `static/` really is (relative to the root), when it is there and not hidden:
    /// below it, dotfiles such as `.well-known/` are published, wherever a link took it.
    static_real: Option<PathBuf>,
}

/// What a path turned out to be.
enum Found {
    /// A regular file (perhaps through links inside the site).
    File,
    /// A folder, with its canonical path.
    Folder(PathBuf),
    /// Nothing any more.
    Missing,
}

impl Walker {
    /// A walker of the site at `root`, or an error if the root cannot be resolved.
    pub(super) fn new(root: &Path) -> io::Result<Self> {
        let root = fs::canonicalize(root)?;
        let static_real = fs::canonicalize(root.join("static"))
            .ok()
            .and_then(|real| real.strip_prefix(&root).ok().map(Path::to_path_buf))
            .filter(|real| !real.components().any(|c| is_ignored(&c.as_os_str().to_string_lossy())));
        Ok(Walker { root, walked: HashMap::new(), followed: false, static_real })
    }

    /// Whether the walks so far followed a symbolic link.
    pub(super) fn followed_links(&self) -> bool {
        self.followed
    }

    /// The canonical site root.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// The files at or below `rel` (a source folder such as `content`, a folder below one, or
    /// a file), relative to the root, sorted by path, without hidden, editor or version-control
    /// files. A path that is not there gives nothing.
    pub(super) fn files_under(&mut self, rel: &Path, errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let skip = skip_for(rel);
        let below_top = rel.components().skip(1);
        if below_top.map(|c| c.as_os_str().to_string_lossy()).any(|name| skip(&name)) {
            return Vec::new();
        }
        let mut files = Vec::new();
        self.followed |= self.through_link(rel);
        match self.resolve(rel) {
            Ok(Found::File) => files.push(rel.to_path_buf()),
            Ok(Found::Folder(canonical)) => self.walk_folder(rel, canonical, skip, &mut files, errors),
            Ok(Found::Missing) => {}
            Err(e) => errors.push(e),
        }
        files
    }

    /// The file at `rel` if it is one, resolved inside the site: `Ok(None)` when nothing is
    /// there or it is a folder.
    pub(super) fn file(&self, rel: &Path) -> Result<Option<PathBuf>, Diagnostic> {
        match self.resolve(rel)? {
            Found::File => Ok(Some(self.root.join(rel))),
            Found::Folder(_) | Found::Missing => Ok(None),
        }
    }

    /// Whether `rel`, or the nearest of its folders that exists, is reached through a
    /// symbolic link: what a change there means then depends on folders elsewhere, so a
    /// caller that reads only what changed reads everything instead.
    pub(super) fn through_link(&self, rel: &Path) -> bool {
        let lexical = self.root.join(rel);
        let mut existing = lexical.as_path();
        while fs::symlink_metadata(existing).is_err() {
            match existing.parent() {
                Some(parent) if parent.starts_with(&self.root) => existing = parent,
                _ => return false,
            }
        }
        fs::canonicalize(existing).map_or(true, |real| real != existing)
    }

    /// What `rel` is, its links (in any component) resolved and required to stay in the site.
    fn resolve(&self, rel: &Path) -> Result<Found, Diagnostic> {
        let full = self.root.join(rel);
        match fs::symlink_metadata(&full) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
            Err(e) => return Err(super::io_error(rel, &e)),
            Ok(_) => {}
        }
        let target = match fs::canonicalize(&full) {
            Ok(target) => target,
            Err(_) => return Err(broken_link(rel, &full)),
        };
        let Ok(in_site) = target.strip_prefix(&self.root) else {
            return Err(leaves_site(rel, &target));
        };
        if self.is_hidden_in_site(in_site) {
            return Err(leads_to_hidden(rel, in_site));
        }
        let meta = fs::metadata(&target).map_err(|e| super::io_error(rel, &e))?;
        kind(rel, &meta, target)
    }

    /// Whether `in_site` (a real path, relative to the canonical root) is one no walk reads:
    /// a hidden, editor or version-control name in any component, by the rule of where it
    /// really is (below the real `static/`, only `.git` and editor files are).
    fn is_hidden_in_site(&self, in_site: &Path) -> bool {
        let hidden =
            |path: &Path, skip: fn(&str) -> bool| path.components().any(|c| skip(&c.as_os_str().to_string_lossy()));
        match self.static_real.as_deref().and_then(|real| in_site.strip_prefix(real).ok()) {
            Some(below_static) => hidden(below_static, is_ignored_static),
            None => hidden(in_site, is_ignored),
        }
    }

    /// Walks the folder `rel` (canonical path `canonical`) depth first, entries sorted by name.
    fn walk_folder(
        &mut self,
        rel: &Path,
        canonical: PathBuf,
        skip: fn(&str) -> bool,
        files: &mut Vec<PathBuf>,
        errors: &mut Vec<Diagnostic>,
    ) {
        if let Some(first) = self.walked.get(&canonical) {
            errors.push(walked_twice(rel, first));
            return;
        }
        self.walked.insert(canonical.clone(), rel.to_path_buf());
        let entries = match fs::read_dir(self.root.join(rel)) {
            Ok(entries) => entries,
            Err(e) => return errors.push(super::io_error(rel, &e)),
        };
        let mut entries: Vec<fs::DirEntry> =
            entries.filter_map(|e| e.map_err(|e| errors.push(super::io_error(rel, &e))).ok()).collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let really = canonical.join(&name);
            let hidden_where_it_is = really.strip_prefix(&self.root).map_or(true, |real| self.is_hidden_in_site(real));
            if skip(&name.to_string_lossy()) || hidden_where_it_is {
                continue;
            }
            let path = rel.join(&name);
            let found = match entry.file_type() {
                Ok(t) if t.is_symlink() => {
                    self.followed = true;
                    self.resolve(&path)
                }
                Ok(t) if t.is_dir() => Ok(Found::Folder(really)),
                Ok(_) => entry
                    .metadata()
                    .map_err(|e| super::io_error(&path, &e))
                    .and_then(|meta| kind(&path, &meta, PathBuf::new())),
                Err(e) => Err(super::io_error(&path, &e)),
            };
            match found {
                Ok(Found::File) => files.push(path),
                Ok(Found::Folder(target)) => self.walk_folder(&path, target, skip, files, errors),
                Ok(Found::Missing) => {}
                Err(e) => errors.push(e),
            }
        }
    }
}

/// Which names a walk under `rel` skips: `static/` keeps dotfiles (`.well-known/`).
pub(super) fn skip_for(rel: &Path) -> fn(&str) -> bool {
    match rel.components().next() {
        Some(top) if top.as_os_str() == "static" => is_ignored_static,
        _ => is_ignored,
    }
}

/// A file or a folder as `meta` says (for a folder, `canonical` is its resolved path), or an
/// error for anything else.
fn kind(rel: &Path, meta: &fs::Metadata, canonical: PathBuf) -> Result<Found, Diagnostic> {
    if meta.is_file() {
        return Ok(Found::File);
    }
    if meta.is_dir() {
        return Ok(Found::Folder(canonical));
    }
    Err(Diagnostic::file(rel, format!("not a regular file ({}): expected a file or a folder", special_kind(meta)))
        .with_hint("move it out of the site; critique reads only regular files"))
}

#[cfg(unix)]
fn special_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::Metadata) -> &'static str {
    "a special file"
}

fn leaves_site(rel: &Path, target: &Path) -> Diagnostic {
    Diagnostic::file(
        rel,
        format!(
            "symbolic link to {}, outside the site: expected links to stay inside the site's folder",
            shown(target)
        ),
    )
    .with_hint("copy the file into the site, or remove the link")
}

fn leads_to_hidden(rel: &Path, in_site: &Path) -> Diagnostic {
    Diagnostic::file(
        rel,
        format!(
            "symbolic link to {}, a hidden or version-control path of the site: expected links to lead to files the site publishes",
            shown(in_site)
        ),
    )
    .with_hint("copy what should be published into the site's folders, or remove the link")
}

fn broken_link(rel: &Path, full: &Path) -> Diagnostic {
    let target = fs::read_link(full).map_or_else(|_| "a path that cannot be read".to_string(), |t| shown(&t));
    Diagnostic::file(rel, format!("broken symbolic link to {target}: expected its target to exist"))
        .with_hint("remove the link, or make it point at a file inside the site")
}

fn walked_twice(rel: &Path, first: &Path) -> Diagnostic {
    Diagnostic::file(
        rel,
        format!(
            "same folder as `{}` (through a symbolic link, or a link loop): expected each folder to be read once",
            shown(first)
        ),
    )
    .with_hint("remove the symbolic link that leads to a folder the site already has")
}
