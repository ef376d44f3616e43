//! Mutations of a site on disk. Each picks its files from sorted listings with the mutant's
//! generator only, so that the same seed and index make the same mutant.

use std::fs;
use std::path::{Path, PathBuf};

use crate::rng::Rng;
use crate::site::Layout;

mod dictionary;
mod files;
mod matter;
mod text;

/// One mutation done: what it was (one line) and the paths it touched, relative to the site
/// root (both names of a rename), as a file watcher would report them.
pub struct Applied {
    /// What was done.
    pub what: String,
    /// The paths touched.
    pub touched: Vec<PathBuf>,
}

/// What a mutation may work on.
pub struct Target<'a> {
    /// Where the mutant lives.
    pub layout: &'a Layout,
    /// `seed-index`, put in the names of files meant to escape, so that a file found outside
    /// says which mutant wrote it.
    pub tag: &'a str,
    /// The largest text a mutation generates below the size limit (files over the limit stay
    /// over it): a debug build takes minutes over a file of 8 MB.
    pub max_size: usize,
}

impl Target<'_> {
    /// The site root.
    pub fn site(&self) -> PathBuf {
        self.layout.site()
    }
}

/// The site's entries, relative to its root and sorted (its outputs left out).
pub struct Entries {
    /// Regular files.
    pub files: Vec<PathBuf>,
    /// Folders.
    pub dirs: Vec<PathBuf>,
}

/// Whether `rel` (relative to the site root) is an output of a build rather than the site.
pub fn is_output(rel: &Path) -> bool {
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    // `.critique/` is the build's cache (social cards), which a build may write.
    first.is_some_and(|f| f == "public" || f.starts_with(".public.") || f == ".critique")
}

/// Lists the site's regular files and folders.
pub fn entries(site: &Path) -> Entries {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let walk = walkdir::WalkDir::new(site).min_depth(1).sort_by_file_name().into_iter();
    for entry in walk.filter_entry(|e| e.path().strip_prefix(site).is_ok_and(|rel| !is_output(rel))).flatten() {
        let Ok(rel) = entry.path().strip_prefix(site) else { continue };
        if entry.file_type().is_file() {
            files.push(rel.to_path_buf());
        } else if entry.file_type().is_dir() {
            dirs.push(rel.to_path_buf());
        }
    }
    Entries { files, dirs }
}

/// A regular file to change, Markdown and the configuration three times as likely as others.
pub fn pick_file(rng: &mut Rng, files: &[PathBuf]) -> Option<PathBuf> {
    let weights: Vec<usize> = files.iter().map(|f| if is_text_source(f) { 3 } else { 1 }).collect();
    if files.is_empty() { None } else { files.get(rng.weighted(&weights)).cloned() }
}

fn is_text_source(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md") || path == Path::new("critique.toml")
}

/// Applies one mutation, of a kind chosen by weight (another kind when the chosen one finds
/// nothing to work on).
pub fn mutate(target: &Target, rng: &mut Rng) -> Applied {
    for _ in 0..16 {
        let applied = match rng.weighted(&[5, 5, 5, 1, 2, 2, 1, 1]) {
            0 => text::bytes(target, rng),
            1 => text::lines(target, rng),
            2 => matter::keys(target, rng),
            3 => matter::swap_format(target, rng),
            4 => files::names(target, rng),
            5 => files::links(target, rng),
            6 => files::special(target, rng),
            _ => files::sizes(target, rng),
        };
        match applied {
            Ok(Some(applied)) => return applied,
            Ok(None) => continue,
            Err(e) => return Applied { what: format!("failed: {e}"), touched: Vec::new() },
        }
    }
    Applied { what: "nothing to mutate".into(), touched: Vec::new() }
}

/// Reads the file at `rel`, passes its bytes to `change`, writes them back.
pub fn rewrite(site: &Path, rel: &Path, change: impl FnOnce(&mut Vec<u8>)) -> std::io::Result<()> {
    let path = site.join(rel);
    let mut bytes = fs::read(&path)?;
    change(&mut bytes);
    fs::write(&path, bytes)
}
