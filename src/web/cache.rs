//! What earlier runs found live, kept in `.critique/cache/external-links.json` below the site
//! (never in the output, which a build replaces), so that a CI run with the folder restored
//! asks again only about links not checked for `cache_days`. Only live links are kept: a dead
//! or unreachable one is asked about on every run until it is fixed.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The cache folder, below the site root.
pub const FOLDER: &str = ".critique/cache";
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
        let path = root.join(FOLDER).join(FILE);
        // Read only below the site: not through a folder that is a link out of it.
        let mut dir = root.to_path_buf();
        for part in FOLDER.split('/') {
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    let why = format!("{} is not a folder (a link?); checking every link again", dir.display());
                    return (Cache::default(), Some(why));
                }
                Err(_) => return (Cache::default(), None),
            }
        }
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
        let mut dir = root.to_path_buf();
        for part in FOLDER.split('/') {
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    let why = format!("{} is not a folder (a link or a file): the cache is not written", dir.display());
                    return Err(io::Error::other(why));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&dir)?,
                Err(e) => return Err(e),
            }
        }
        let path = dir.join(FILE);
        let temporary = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        let text = serde_json::to_vec(&*self).map_err(io::Error::other)?;
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut file| file.write_all(&text).and_then(|()| file.sync_all()));
        // A rename replaces a link at `path` rather than writing through it.
        match written.and_then(|()| fs::rename(&temporary, &path)) {
            Ok(()) => Ok(path),
            Err(e) => {
                let _ = fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

/// The cache at `path`, `None` when there is none.
fn read(path: &Path) -> Result<Option<Cache>, String> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if !meta.is_file() {
        return Err("not a plain file (a link?)".into());
    }
    let mut bytes = Vec::new();
    let file = fs::File::open(path).map_err(|e| e.to_string())?;
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("larger than {} MiB", MAX_BYTES >> 20));
    }
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
