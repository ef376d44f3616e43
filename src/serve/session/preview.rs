//! The preview: the last good build's files, in memory, as the dev server serves them. The
//! rebuild thread replaces what each rebuild changed, under a write lock held only for those
//! files; the HTTP handlers read. Nothing is written to disk, so there is no folder another
//! user could plant a link in, no file read while half rewritten, and nothing to delete when
//! `serve` stops.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;

use crate::output::OutputFile;

/// A handle on the preview's files, cheap to clone; every clone sees the same files.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// Each file's bytes by its output path (`reviews/x/index.html`). Keyed with the standard
    /// library's randomly seeded hash: the keys are file names a writer chose.
    files: Arc<RwLock<HashMap<String, Bytes>>>,
}

impl Preview {
    /// The bytes of the file at `path`, if the preview has one.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.files.read().ok()?.get(path).cloned()
    }

    /// Every file, sorted by path: what a build would have written (the output marker aside).
    pub fn files(&self) -> Vec<(String, Bytes)> {
        let mut files: Vec<(String, Bytes)> =
            self.files.read().map(|f| f.iter().map(|(p, b)| (p.clone(), b.clone())).collect()).unwrap_or_default();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// Puts `changed` files in and takes `removed` paths out, at once for every reader.
    pub(super) fn update(&self, changed: &[OutputFile], removed: &[String]) {
        // A reader that panicked holding the lock cannot have left the map half changed.
        let mut files = self.files.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        for file in changed {
            files.insert(file.path.clone(), file.bytes.clone());
        }
        for path in removed {
            files.remove(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_seen_by_every_clone() {
        let preview = Preview::default();
        let reader = preview.clone();
        preview.update(&[OutputFile::new("a.txt".into(), "a"), OutputFile::new("b/index.html".into(), "b")], &[]);
        assert_eq!(reader.get("a.txt").as_deref(), Some(&b"a"[..]));
        preview.update(&[OutputFile::new("a.txt".into(), "A")], &["b/index.html".to_string()]);
        let paths: Vec<String> = reader.files().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a.txt"]);
        assert_eq!(reader.get("a.txt").as_deref(), Some(&b"A"[..]));
    }
}
