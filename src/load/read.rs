//! Reading the files the walk found: bounded in size, not binary, valid UTF-8.

use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, line_col};

use super::{MAX_TEXT_BYTES, io_error};

/// Reads a text file: bounded in size, not binary, valid UTF-8 (an error names the line and
/// column of the first invalid byte). A leading byte-order mark is dropped.
pub(super) fn read_text(full: &Path, shown: &Path) -> Result<String, Diagnostic> {
    read_text_within(full, shown, MAX_TEXT_BYTES, "a text file")
}

/// [`read_text`] with another bound on the size, for `what` kind of file.
pub(super) fn read_text_within(full: &Path, shown: &Path, max: u64, what: &str) -> Result<String, Diagnostic> {
    let size = fs::metadata(full).map_err(|e| io_error(shown, &e))?.len();
    if size > max {
        return Err(Diagnostic::file(shown, format!("file is {size} bytes: expected at most {max} bytes for {what}")));
    }
    text_from_bytes(read_bytes(full, shown)?, shown)
}

/// Reads a whole file the walk found (a regular file inside the site).
pub(super) fn read_bytes(full: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    fs::read(full).map_err(|e| io_error(shown, &e))
}

/// Decodes file bytes as UTF-8 text, rejecting binary data with a position.
pub fn text_from_bytes(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        let prefix = String::from_utf8_lossy(&bytes[..nul]);
        let (line, col) = line_col(&prefix, prefix.len());
        return Err(Diagnostic::at(path, line, col, "binary file (NUL byte): expected UTF-8 text"));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, col) = line_col(&prefix, prefix.len());
            Err(Diagnostic::at(path, line, col, "invalid UTF-8: expected the file to be UTF-8 text")
                .with_hint("re-save the file as UTF-8"))
        }
    }
}
