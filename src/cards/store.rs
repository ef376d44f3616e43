//! Where drawn cards are kept for later runs, by the hash of what they show: `build` keeps
//! them in `.critique/cache/cards/` (outside the output, which a build replaces), so that a
//! rebuild draws only the cards whose content changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;

use crate::cache_dir;

use super::draw::{HEIGHT, WIDTH};

/// Cards kept between runs, by key (see [`super::key`]).
pub trait CardStore: Sync {
    /// The card kept for `key`, if any.
    fn get(&self, key: u128) -> Option<Bytes>;
    /// Keeps `png` for `key`.
    fn put(&self, key: u128, png: &Bytes);
}

/// Keeps nothing: every card is drawn.
pub struct NoStore;

impl CardStore for NoStore {
    fn get(&self, _: u128) -> Option<Bytes> {
        None
    }

    fn put(&self, _: u128, _: &Bytes) {}
}

/// A cached card larger than this was not written by critique.
const MAX_BYTES: u64 = 4 << 20;

/// The cards of earlier builds in `.critique/cache/cards/`, one `<key>.png` each.
pub struct DiskCards {
    /// The folder, once it is known to be a real one (made on the first card kept).
    dir: Mutex<Option<PathBuf>>,
    root: PathBuf,
    /// Whether drawn cards are kept (not by `serve`, which writes nothing in the site).
    keeps: bool,
    /// The keys this run asked for, for [`DiskCards::prune`].
    used: Mutex<BTreeSet<u128>>,
    /// The first thing that went wrong, for a note: a cache that cannot be used only costs time.
    problem: Mutex<Option<String>>,
}

fn file_name(key: u128) -> String {
    format!("{key:032x}.png")
}

/// Whether `bytes` look like a card: a PNG of the cards' size (a file planted in the cache, or
/// cut short, is drawn again instead).
fn is_card(bytes: &[u8]) -> bool {
    let size = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes);
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") && size(16) == Some(WIDTH) && size(20) == Some(HEIGHT)
}

impl DiskCards {
    /// The cards cached for the site at `root`, taking those this run draws.
    pub fn open(root: &Path) -> Self {
        Self::opened(root, true)
    }

    /// The cards cached for the site at `root`, read only.
    pub fn read_only(root: &Path) -> Self {
        Self::opened(root, false)
    }

    fn opened(root: &Path, keeps: bool) -> Self {
        let dir = cache_dir::folder(root, "cards", false);
        let problem = dir.as_ref().err().map(|e| format!("{e}: social cards are drawn again and not kept"));
        DiskCards {
            dir: Mutex::new(dir.ok().flatten()),
            root: root.to_path_buf(),
            keeps,
            used: Mutex::new(BTreeSet::new()),
            problem: Mutex::new(problem),
        }
    }

    fn note(&self, problem: String) {
        self.problem.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(problem);
    }

    /// What kept the cache from being used, if anything.
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Removes the cached cards this run did not ask for (cards of reviews since edited or
    /// removed), so that the cache holds about one card per review and project. Only files
    /// named as cards are removed.
    pub fn prune(&self) {
        let Some(dir) = self.dir.lock().unwrap_or_else(PoisonError::into_inner).clone() else { return };
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            // Only names as `file_name` writes them: 32 lowercase hexadecimal digits.
            let Some(key) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".png"))
                .filter(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            else {
                continue;
            };
            if u128::from_str_radix(key, 16).is_ok_and(|k| !used.contains(&k)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl CardStore for DiskCards {
    fn get(&self, key: u128) -> Option<Bytes> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
        let dir = self.dir.lock().unwrap_or_else(PoisonError::into_inner).clone()?;
        match cache_dir::read_plain(&dir.join(file_name(key)), MAX_BYTES) {
            Ok(Some(bytes)) if is_card(&bytes) => Some(Bytes::from(bytes)),
            Ok(_) => None,
            Err(e) => {
                self.note(format!("{}: {e}", dir.join(file_name(key)).display()));
                None
            }
        }
    }

    fn put(&self, key: u128, png: &Bytes) {
        if !self.keeps {
            return;
        }
        let dir = {
            let mut dir = self.dir.lock().unwrap_or_else(PoisonError::into_inner);
            if dir.is_none() && self.problem().is_none() {
                match cache_dir::folder(&self.root, "cards", true) {
                    Ok(made) => *dir = made,
                    Err(e) => self.note(format!("{e}: social cards are not kept")),
                }
            }
            dir.clone()
        };
        if let Some(dir) = dir
            && let Err(e) = cache_dir::write_atomic(&dir, &file_name(key), png)
        {
            self.note(format!("{}: {e}", dir.display()));
        }
    }
}
