//! The resized copies of images kept between rebuilds: in memory, after those the last `build`
//! kept on disk (serve writes nothing in the site), so that an edit makes no copy again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;

use crate::cache_store::{DiskStore, Store};

/// Copies made or read by this session.
pub struct ImageMemo {
    disk: DiskStore,
    kept: Mutex<HashMap<u128, Bytes>>,
}

impl ImageMemo {
    /// The copies of the site at `root`.
    pub fn new(root: &Path) -> Self {
        ImageMemo { disk: DiskStore::read_only(root, crate::pictures::CACHED), kept: Mutex::default() }
    }
}

impl Store for ImageMemo {
    fn get(&self, key: u128) -> Option<Bytes> {
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
