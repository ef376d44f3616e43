//! The resized copies of images kept between rebuilds: in memory, after those the last `build`
//! kept on disk (serve writes nothing in the site), so that an edit makes no copy again.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;

use crate::cache_store::{DiskStore, Store};

/// Copies made or read by this session.
pub struct ImageMemo {
    disk: DiskStore,
    kept: Mutex<HashMap<u128, Bytes>>,
    /// The keys asked for since [`ImageMemo::keep_asked`]: the copies the site shows now.
    asked: Mutex<HashSet<u128>>,
}

impl ImageMemo {
    /// The copies of the site at `root`.
    pub fn new(root: &Path) -> Self {
        ImageMemo {
            disk: DiskStore::read_only(root, crate::pictures::CACHED),
            kept: Mutex::default(),
            asked: Mutex::default(),
        }
    }

    /// Forgets the copies no rebuild asked for since the last call (those of images replaced or
    /// gone), so that a session that replaces a picture again and again holds one set of copies.
    pub fn keep_asked(&self) {
        let asked = std::mem::take(&mut *self.asked.lock().unwrap_or_else(PoisonError::into_inner));
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).retain(|key, _| asked.contains(key));
    }
}

impl Store for ImageMemo {
    fn get(&self, key: u128) -> Option<Bytes> {
        self.asked.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
        if let Some(kept) = self.kept.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Some(kept.clone());
        }
        let found = self.disk.get(key)?;
        self.put(key, &found);
        Some(found)
    }

    fn put(&self, key: u128, bytes: &Bytes) {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner).insert(key, bytes.clone());
    }
}
