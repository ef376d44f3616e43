//! Writing a rebuild's output: only files whose bytes changed, and of those only from the
//! first byte that changed.

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::output::{MARKER, checked_path};
use crate::render::OutputFile;

use super::Session;

impl Session {
    /// Writes the fresh files whose bytes changed, removes `removed`, and records the new
    /// output in the last good build.
    pub(super) fn write(&mut self, fresh: Vec<OutputFile>, removed: &[String]) -> std::io::Result<(usize, usize)> {
        fs::create_dir_all(&self.output)?;
        fs::write(self.output.join(MARKER), crate::output::MARKER_TEXT)?;
        let Some(built) = self.built.as_mut() else {
            return Ok((0, 0));
        };
        let mut written = 0;
        for file in fresh {
            // The writer's own guard: nothing is written outside the output, whatever the path.
            let target = self.output.join(checked_path(&file.path).map_err(std::io::Error::other)?);
            let outcome = match built.outputs.get(&file.path) {
                Some(old) if old.shares_bytes(&file) => continue,
                Some(old) => match rewrite(&target, &old.bytes, &file.bytes) {
                    Ok(false) => continue,
                    outcome => outcome.map(drop),
                },
                None => write_whole(&target, &file.bytes),
            };
            if let Err(e) = outcome {
                // The file now holds neither the old bytes nor the new: forgotten, it is
                // written whole if made again, and removed if not.
                built.outputs.remove(&file.path);
                self.unknown.insert(file.path);
                return Err(e);
            }
            self.unknown.remove(&file.path);
            built.outputs.insert(file.path.clone(), file);
            written += 1;
        }
        // Files a failed write left that this build did not make: a clean build has none.
        let unknown: Vec<String> = self.unknown.drain().collect();
        let mut count = 0;
        for path in removed.iter().chain(&unknown) {
            built.outputs.remove(path);
            let target = self.output.join(checked_path(path).map_err(std::io::Error::other)?);
            if fs::remove_file(&target).is_ok() {
                count += 1;
            }
            // Drop folders left empty, as a clean build would not have them.
            let mut dir = target.parent();
            while let Some(d) = dir.filter(|d| *d != self.output) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok((written, count))
    }
}

/// Writes `new` over the file at `target`, which holds `old`: from the first byte in which they
/// differ, so that an edit of one record of a large data file rewrites only what follows it
/// (on a page cache, overwriting pages in place also spares freeing and zeroing them), and, if
/// the file keeps its length, only up to the last byte that differs (a score edited in place
/// rewrites a few bytes of the dataset, not its second half). A file that is no longer there is
/// written whole. Whether anything was written: nothing when the bytes are the same, which the
/// same pass over them tells.
fn rewrite(target: &Path, old: &[u8], new: &[u8]) -> std::io::Result<bool> {
    let same = common_prefix(old, new);
    if same == old.len() && same == new.len() {
        return Ok(false);
    }
    let Ok(mut file) = fs::OpenOptions::new().write(true).open(target) else {
        return write_whole(target, new).map(|()| true);
    };
    let end = match old.len() == new.len() {
        true => new.len() - common_suffix(&old[same..], &new[same..]),
        false => new.len(),
    };
    file.seek(SeekFrom::Start(same as u64))?;
    file.write_all(&new[same..end])?;
    file.set_len(new.len() as u64)?;
    Ok(true)
}

/// Writes `bytes` to a new file at `target`, making its folders.
fn write_whole(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(target, bytes)
}

/// Compared a block at a time: byte by byte, comparing costs more than the writing it spares.
const BLOCK: usize = 4096;

/// The length of the longest common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let blocks = a.chunks(BLOCK).zip(b.chunks(BLOCK)).take_while(|(x, y)| x == y).count();
    let whole = (blocks * BLOCK).min(a.len()).min(b.len());
    whole + a[whole..].iter().zip(&b[whole..]).take_while(|(x, y)| x == y).count()
}

/// The length of the longest common suffix of `a` and `b`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let blocks = a.rchunks(BLOCK).zip(b.rchunks(BLOCK)).take_while(|(x, y)| x == y).count();
    let whole = (blocks * BLOCK).min(a.len()).min(b.len());
    let (a, b) = (&a[..a.len() - whole], &b[..b.len() - whole]);
    whole + a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefixes_across_blocks() {
        let a: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut b = a.clone();
        assert_eq!(common_prefix(&a, &b), a.len());
        b[9_000] ^= 1;
        assert_eq!(common_prefix(&a, &b), 9_000);
        assert_eq!(common_prefix(&a[..5_000], &a), 5_000);
        assert_eq!(common_prefix(b"", &a), 0);
    }

    #[test]
    fn common_suffixes_across_blocks() {
        let a: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut b = a.clone();
        assert_eq!(common_suffix(&a, &b), a.len());
        b[1_000] ^= 1;
        assert_eq!(common_suffix(&a, &b), 9_000 - 1);
        assert_eq!(common_suffix(&a[5_000..], &a), 5_000);
        assert_eq!(common_suffix(b"", &a), 0);
        assert_eq!(common_suffix(b"xab", b"yab"), 2);
    }

    #[test]
    fn a_rewrite_leaves_exactly_the_new_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        for (old, new) in [
            (&b"hello world"[..], &b"hello there, world"[..]),
            (b"hello there, world", b"help"),
            (b"", b"x"),
            (b"a score of 3 here", b"a score of 4 here"),
            (b"same", b"same"),
            (b"abcabc", b"abdabd"),
        ] {
            fs::write(&path, old).expect("write");
            rewrite(&path, old, new).expect("rewrite");
            assert_eq!(fs::read(&path).expect("read"), new);
        }
        fs::remove_file(&path).expect("remove");
        rewrite(&path, b"gone", b"back").expect("rewrite of a missing file");
        assert_eq!(fs::read(&path).expect("read"), b"back");
    }
}
