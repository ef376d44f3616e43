//! What earlier runs found live, kept in `.critique/cache/external-links.json` below the site
//! (never in the output, which a build replaces), so that a CI run with the folder restored
//! asks again only about links not checked for `cache_days`. Only live links are kept: a dead
//! or unreachable one is asked about on every run until it is fixed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cache_dir;

/// The cache folder, below the site root.
pub use cache_dir::FOLDER;
const FILE: &str = "external-links.json";
/// A cache file larger than this is not read (it was not written by critique).
const MAX_BYTES: u64 = 64 << 20;
const VERSION: u32 = 1;

/// Live links by request address, each with when it was last found live (Unix seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    version: u32,
    live: BTreeMap<String, u64>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache { version: VERSION, live: BTreeMap::new() }
    }
}

impl Cache {
    /// The cache of the site at `root`: empty when there is none yet; empty with a note on
    /// what was wrong when it cannot be read (a run without it only asks more).
    pub fn load(root: &Path) -> (Cache, Option<String>) {
        let dir = match cache_dir::folder(root, "", false) {
            Ok(Some(dir)) => dir,
            Ok(None) => return (Cache::default(), None),
            Err(e) => return (Cache::default(), Some(format!("{e}; checking every link again"))),
        };
        let path = dir.join(FILE);
        match read(&path) {
            Ok(Some(cache)) => (cache, None),
            Ok(None) => (Cache::default(), None),
            Err(why) => (Cache::default(), Some(format!("{}: {why}; checking every link again", path.display()))),
        }
    }

    /// Whether `address` was found live less than `ttl_secs` before `now`.
    pub fn is_fresh(&self, address: &str, now: u64, ttl_secs: u64) -> bool {
        // A time ahead of the clock (a cache from a machine whose clock ran fast) is not trusted.
        self.live.get(address).is_some_and(|&at| at <= now && now - at < ttl_secs)
    }

    /// Notes `address` as found live at `now`.
    pub fn record(&mut self, address: &str, now: u64) {
        self.live.insert(address.to_string(), now);
    }

    /// Writes the cache below `root`, without the entries older than `ttl_secs`; creates the
    /// folders, but never follows a symbolic link out of the site.
    pub fn save(&mut self, root: &Path, now: u64, ttl_secs: u64) -> io::Result<PathBuf> {
        self.live.retain(|_, at| *at <= now && now - *at < ttl_secs);
        let dir =
            cache_dir::folder(root, "", true)?.ok_or_else(|| io::Error::other("the cache folder was not made"))?;
        let text = serde_json::to_vec(&*self).map_err(io::Error::other)?;
        cache_dir::write_atomic(&dir, FILE, &text)
    }
}

/// The cache at `path`, `None` when there is none.
fn read(path: &Path) -> Result<Option<Cache>, String> {
    let Some(bytes) = cache_dir::read_plain(path, MAX_BYTES).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let cache: Cache = serde_json::from_slice(&bytes).map_err(|e| format!("not a cache critique wrote ({e})"))?;
    if cache.version != VERSION {
        return Err(format!("written by another version of critique (cache version {})", cache.version));
    }
    Ok(Some(cache))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_live_links_for_their_time() {
        let dir = tempfile::tempdir().unwrap();
        let (mut cache, note) = Cache::load(dir.path());
        assert!(note.is_none());
        cache.record("https://e.org/", 1000);
        cache.record("https://old.org/", 10);
        cache.save(dir.path(), 1000, 500).unwrap();
        let (cache, note) = Cache::load(dir.path());
        assert!(note.is_none());
        assert!(cache.is_fresh("https://e.org/", 1499, 500));
        assert!(!cache.is_fresh("https://e.org/", 1500, 500), "too old");
        assert!(!cache.is_fresh("https://e.org/", 999, 500), "from the future");
        assert!(!cache.is_fresh("https://old.org/", 1000, 500), "pruned when saved");
    }

    #[test]
    fn a_damaged_or_linked_cache_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(FOLDER)).unwrap();
        std::fs::write(dir.path().join(FOLDER).join(FILE), "{not json").unwrap();
        let (cache, note) = Cache::load(dir.path());
        assert_eq!(cache.live.len(), 0);
        assert!(note.unwrap().contains("not a cache critique wrote"));
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            let site = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), site.path().join(".critique")).unwrap();
            let mut cache = Cache::default();
            assert!(cache.save(site.path(), 1, 10).is_err(), "a linked folder is not written through");
            assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
            // Nor read through: a cache planted outside would hide dead links.
            let mut planted = Cache::default();
            planted.record("https://dead.example/", 5);
            std::fs::create_dir_all(outside.path().join("cache")).unwrap();
            std::fs::write(outside.path().join("cache").join(FILE), serde_json::to_vec(&planted).unwrap()).unwrap();
            let (read, note) = Cache::load(site.path());
            assert!(!read.is_fresh("https://dead.example/", 6, 10));
            assert!(note.unwrap().contains("not a folder"));
        }
    }
}
