//! What a build records in its output's marker, and how a later build of the same inputs
//! finds that output up to date without rendering anything.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::{MARKER, target};

/// What a successful build records in its output's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildRecord {
    /// The fingerprint of its inputs ([`crate::fingerprint::of`]).
    pub fingerprint: u64,
    /// Projects built.
    pub projects: usize,
    /// Reviews built.
    pub reviews: usize,
    /// Free pages built.
    pub pages: usize,
}

impl BuildRecord {
    pub(super) fn line(&self, state: &OutputState) -> String {
        format!(
            "build {:016x} projects {} reviews {} pages {} files {} bytes {} modified {:016x}\n",
            self.fingerprint, self.projects, self.reviews, self.pages, state.files, state.bytes, state.modified
        )
    }

    /// The record and output state a marker's text notes, if any.
    fn parse(marker: &str) -> Option<(Self, OutputState)> {
        let line = marker.lines().find_map(|l| l.strip_prefix("build "))?;
        let words: Vec<&str> = line.split(' ').collect();
        let value = |key: &str| words.iter().position(|w| *w == key).and_then(|i| words.get(i + 1)).copied();
        let number = |key: &str| -> Option<usize> { value(key)?.parse().ok() };
        let record = BuildRecord {
            fingerprint: u64::from_str_radix(words.first()?, 16).ok()?,
            projects: number("projects")?,
            reviews: number("reviews")?,
            pages: number("pages")?,
        };
        let state = OutputState {
            files: value("files")?.parse().ok()?,
            bytes: value("bytes")?.parse().ok()?,
            modified: u64::from_str_radix(value("modified")?, 16).ok()?,
        };
        Some((record, state))
    }
}

/// What an output directory holds, summed: files (the marker aside), their bytes, and their
/// paths, sizes, modification times and permissions hashed. Removing, adding, renaming,
/// editing or touching a file changes it; a file replaced by another of the same size with its
/// time kept (`cp -p`, `rsync -t`) does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct OutputState {
    files: u64,
    bytes: u64,
    modified: u64,
}

impl OutputState {
    fn of(out: &Path) -> io::Result<Self> {
        // The top-level entries are walked in parallel; sums do not depend on the order.
        let top: Vec<fs::DirEntry> = fs::read_dir(out)?.collect::<io::Result<_>>()?;
        let empty = OutputState::default;
        top.par_iter()
            .filter(|entry| entry.file_name() != MARKER)
            .map(|entry| {
                let mut state = empty();
                for file in walkdir::WalkDir::new(entry.path()) {
                    let file = file.map_err(io::Error::other)?;
                    // A build writes no links: an output holding one is not a build's as it was.
                    if file.file_type().is_symlink() {
                        return Err(io::Error::other("a symbolic link in the output"));
                    }
                    if !file.file_type().is_dir() {
                        let rel = file.path().strip_prefix(out).unwrap_or(file.path());
                        state.add(rel, &file.metadata().map_err(io::Error::other)?)?;
                    }
                }
                Ok(state)
            })
            .try_reduce(empty, |a, b| {
                Ok(OutputState {
                    files: a.files + b.files,
                    bytes: a.bytes.wrapping_add(b.bytes),
                    modified: a.modified.wrapping_add(b.modified),
                })
            })
    }

    /// Adds the file at `rel` (below the output) with its metadata.
    pub(super) fn add(&mut self, rel: &Path, meta: &fs::Metadata) -> io::Result<()> {
        let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let mut hasher = std::hash::DefaultHasher::new();
        (rel, meta.len(), modified, meta.permissions().readonly()).hash(&mut hasher);
        self.files += 1;
        self.bytes = self.bytes.wrapping_add(meta.len());
        // Each file's path, size and time hashed together, then summed, so that the order of
        // the walk does not matter and two files cannot trade names unnoticed.
        self.modified = self.modified.wrapping_add(hasher.finish());
        Ok(())
    }
}

/// The record of the build that wrote `out`, if that build had the inputs `fingerprint` names
/// and the output still holds exactly what it wrote; with the number of files it holds.
pub fn up_to_date(out: &Path, fingerprint: u64) -> Option<(BuildRecord, usize)> {
    let out = target::resolve(out).ok()?;
    let marker = fs::read_to_string(out.join(MARKER)).ok()?;
    let (record, state) = BuildRecord::parse(&marker)?;
    if record.fingerprint != fingerprint || OutputState::of(&out).ok()? != state {
        return None;
    }
    Some((record, usize::try_from(state.files).unwrap_or(usize::MAX)))
}
