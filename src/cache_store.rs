//! Where files a build derives at some cost (social cards, resized images) are kept for later
//! runs, by a hash of what they are made from: `build` keeps them in `.critique/cache/<kind>/`
//! (outside the output, which a build replaces), so that a rebuild makes only what changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;

use crate::cache_dir;

/// Derived files kept between runs, by key (a hash of what a file is made from).
pub trait Store: Sync {
    /// The file kept for `key`, if any.
    fn get(&self, key: u128) -> Option<Bytes>;
    /// Keeps `bytes` for `key`.
    fn put(&self, key: u128, bytes: &Bytes);
}

/// Keeps nothing: every file is made.
pub struct NoStore;

/// The stores of a build's derived files.
#[derive(Clone, Copy)]
pub struct Stores<'a> {
    /// Social cards.
    pub cards: &'a dyn Store,
    /// Resized images.
    pub images: &'a dyn Store,
}

impl Stores<'static> {
    /// Keeps nothing: everything is made.
    pub const NONE: Stores<'static> = Stores { cards: &NoStore, images: &NoStore };
}

/// A kind of derived file: its folder of the cache, and what a kept file must look like.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// The folder below `.critique/cache/`.
    pub folder: &'static str,
    /// The files' extension.
    pub extension: &'static str,
    /// The largest file of the kind: a larger one was not written by critique.
    pub max_bytes: u64,
    /// Whether a kept file's bytes look like one of the kind (a file planted in the cache, or
    /// cut short, is made again instead).
    pub looks_right: fn(&[u8]) -> bool,
}

impl Store for NoStore {
    fn get(&self, _: u128) -> Option<Bytes> {
        None
    }

    fn put(&self, _: u128, _: &Bytes) {}
}

/// The files of earlier builds in `.critique/cache/<kind>/`, one `<key>.<ext>` each.
pub struct DiskStore {
    kind: Kind,
    /// The folder, once it is known to be a real one (made on the first file kept).
    dir: Mutex<Option<PathBuf>>,
    root: PathBuf,
    /// Whether the files made are kept (not by `serve`, which writes nothing in the site).
    keeps: bool,
    /// The keys this run asked for, for [`DiskStore::prune`].
    used: Mutex<BTreeSet<u128>>,
    /// The first thing that went wrong, for a note: a cache that cannot be used only costs time.
    problem: Mutex<Option<String>>,
}

impl DiskStore {
    /// The files of `kind` cached for the site at `root`, taking those this run makes.
    pub fn open(root: &Path, kind: Kind) -> Self {
        Self::opened(root, kind, true)
    }

    /// The files of `kind` cached for the site at `root`, read only.
    pub fn read_only(root: &Path, kind: Kind) -> Self {
        Self::opened(root, kind, false)
    }

    fn file_name(&self, key: u128) -> String {
        format!("{key:032x}.{}", self.kind.extension)
    }

    fn opened(root: &Path, kind: Kind, keeps: bool) -> Self {
        let dir = cache_dir::folder(root, kind.folder, false);
        let problem = dir.as_ref().err().map(|e| format!("{e}: {} are made again and not kept", kind.folder));
        DiskStore {
            kind,
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

    /// Removes the cached files this run did not ask for (cards of reviews since edited or
    /// removed, copies of images since replaced), so that the cache holds about what one build
    /// uses. Only files named as this store names them are removed.
    pub fn prune(&self) {
        let Some(dir) = self.dir.lock().unwrap_or_else(PoisonError::into_inner).clone() else { return };
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            // Only names as `file_name` writes them: 32 lowercase hexadecimal digits.
            let Some(key) = name
                .to_str()
                .and_then(|n| n.strip_suffix(self.kind.extension)?.strip_suffix('.'))
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

impl Store for DiskStore {
    fn get(&self, key: u128) -> Option<Bytes> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
        let dir = self.dir.lock().unwrap_or_else(PoisonError::into_inner).clone()?;
        let path = dir.join(self.file_name(key));
        match cache_dir::read_plain(&path, self.kind.max_bytes) {
            Ok(Some(bytes)) if (self.kind.looks_right)(&bytes) => Some(Bytes::from(bytes)),
            Ok(_) => None,
            Err(e) => {
                self.note(format!("{}: {e}", path.display()));
                None
            }
        }
    }

    fn put(&self, key: u128, bytes: &Bytes) {
        if !self.keeps {
            return;
        }
        let dir = {
            let mut dir = self.dir.lock().unwrap_or_else(PoisonError::into_inner);
            if dir.is_none() && self.problem().is_none() {
                match cache_dir::folder(&self.root, self.kind.folder, true) {
                    Ok(made) => *dir = made,
                    Err(e) => self.note(format!("{e}: {} are not kept", self.kind.folder)),
                }
            }
            dir.clone()
        };
        if let Some(dir) = dir
            && let Err(e) = cache_dir::write_atomic(&dir, &self.file_name(key), bytes)
        {
            self.note(format!("{}: {e}", dir.display()));
        }
    }
}
