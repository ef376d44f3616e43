//! Writing a rebuild's output: only files whose bytes changed, and of those only from the
//! first byte that changed.

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::output::MARKER;
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
            let target = self.output.join(&file.path);
            match built.outputs.get_mut(&file.path) {
                Some(old) if old.same_bytes(&file) => continue,
                Some(old) => {
                    rewrite(&target, &old.bytes, &file.bytes)?;
                    *old = file;
                }
                None => {
                    if let Some(dir) = target.parent() {
                        fs::create_dir_all(dir)?;
                    }
                    fs::write(&target, &file.bytes)?;
                    built.outputs.insert(file.path.clone(), file);
                }
            }
            written += 1;
        }
        let mut count = 0;
        for path in removed {
            built.outputs.remove(path);
            let target = self.output.join(path);
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
/// (on a page cache, overwriting pages in place also spares freeing and zeroing them). A file
/// that is no longer there is written whole.
fn rewrite(target: &Path, old: &[u8], new: &[u8]) -> std::io::Result<()> {
    let Ok(mut file) = fs::OpenOptions::new().write(true).open(target) else {
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        return fs::write(target, new);
    };
    let same = common_prefix(old, new);
    file.seek(SeekFrom::Start(same as u64))?;
    file.write_all(&new[same..])?;
    file.set_len(new.len() as u64)
}

/// The length of the longest common prefix of `a` and `b`, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let blocks = a.chunks(BLOCK).zip(b.chunks(BLOCK)).take_while(|(x, y)| x == y).count();
    let whole = (blocks * BLOCK).min(a.len()).min(b.len());
    whole + a[whole..].iter().zip(&b[whole..]).take_while(|(x, y)| x == y).count()
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
    fn a_rewrite_leaves_exactly_the_new_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        for (old, new) in
            [(&b"hello world"[..], &b"hello there, world"[..]), (b"hello there, world", b"help"), (b"", b"x")]
        {
            fs::write(&path, old).expect("write");
            rewrite(&path, old, new).expect("rewrite");
            assert_eq!(fs::read(&path).expect("read"), new);
        }
        fs::remove_file(&path).expect("remove");
        rewrite(&path, b"gone", b"back").expect("rewrite of a missing file");
        assert_eq!(fs::read(&path).expect("read"), b"back");
    }
}
