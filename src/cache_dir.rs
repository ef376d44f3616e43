//! The site's cache folder, `.critique/cache/` beside `critique.toml`: what a run may reuse
//! from an earlier one (external links found live, drawn social cards). It is never followed
//! through a link: a folder on the way that is a symbolic link, or a cached file that is not
//! a plain file, is not read or written, so that a site cannot make critique read or write
//! outside it through its cache.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The cache folder, relative to the site root.
pub const FOLDER: &str = ".critique/cache";

/// The folder `<root>/.critique/cache/<sub>`, every folder on the way a real folder; with
/// `create`, made where missing. `Ok(None)`: it does not exist (and was not to be made).
/// An error names the folder that is a link or a file.
pub fn folder(root: &Path, sub: &str, create: bool) -> io::Result<Option<PathBuf>> {
    let mut dir = root.to_path_buf();
    for part in FOLDER.split('/').chain(sub.split('/').filter(|p| !p.is_empty())) {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(io::Error::other(format!("{} is not a folder (a link or a file)", dir.display())));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && create => fs::create_dir(&dir)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    Ok(Some(dir))
}

/// The bytes of the plain file at `path`, at most `max` of them; `Ok(None)` when there is no
/// file. A link, a folder or a larger file is an error.
pub fn read_plain(path: &Path, max: u64) -> io::Result<Option<Vec<u8>>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !meta.is_file() {
        return Err(io::Error::other("not a plain file (a link?)"));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)?.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::other(format!("larger than {max} bytes")));
    }
    Ok(Some(bytes))
}

/// Writes `bytes` as `dir/name` whole or not at all: into a new temporary file beside it
/// (never through a link planted there), then renamed over it.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = dir.join(name);
    // Unique among this process's writers, which run in parallel.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let written =
        fs::OpenOptions::new().write(true).create_new(true).open(&temporary).and_then(|mut file| file.write_all(bytes));
    match written.and_then(|()| fs::rename(&temporary, &path)) {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = fs::remove_file(&temporary);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_made_and_never_followed_through_links() {
        let site = tempfile::tempdir().unwrap();
        assert!(folder(site.path(), "cards", false).unwrap().is_none());
        let made = folder(site.path(), "cards", true).unwrap().unwrap();
        assert!(made.ends_with(".critique/cache/cards") && made.is_dir());
        write_atomic(&made, "a.png", b"one").unwrap();
        write_atomic(&made, "a.png", b"two").unwrap();
        assert_eq!(read_plain(&made.join("a.png"), 10).unwrap().unwrap(), b"two");
        assert!(read_plain(&made.join("a.png"), 2).is_err(), "too large");
        assert!(read_plain(&made.join("none"), 2).unwrap().is_none());
        assert_eq!(fs::read_dir(&made).unwrap().count(), 1, "no temporary file left");
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            let linked = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), linked.path().join(".critique")).unwrap();
            assert!(folder(linked.path(), "cards", true).is_err());
            assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0, "nothing made through the link");
            std::os::unix::fs::symlink(outside.path().join("x"), made.join("b.png")).unwrap();
            fs::write(outside.path().join("x"), b"planted").unwrap();
            assert!(read_plain(&made.join("b.png"), 100).is_err(), "a linked file is not read");
        }
    }
}
