//! One file of a build's output, as the pipeline makes it and the writers take it.

use bytes::Bytes;

/// One rendered output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path below the output root, with `/` separators.
    pub path: String,
    /// Its content, shared: a file kept between the rebuilds of `serve` is not copied.
    pub bytes: Bytes,
}

impl OutputFile {
    /// A file of `bytes` at `path`.
    pub fn new(path: String, bytes: impl Into<Bytes>) -> Self {
        Self { path, bytes: bytes.into() }
    }

    /// Whether `other` shares these very bytes (told without comparing them).
    pub fn shares_bytes(&self, other: &OutputFile) -> bool {
        self.bytes.as_ptr() == other.bytes.as_ptr() && self.bytes.len() == other.bytes.len()
    }
}
