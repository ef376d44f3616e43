//! How many findings of one rule one file lists. Past the bound, one more finding says how
//! many were left out and where the first of them is: a file of hundreds of thousands of
//! script links or price read-outs (8 MB holds that many) fails as well with a hundred, read
//! in a moment, and the rest are counted, never built.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The most findings of one rule listed for one file.
pub(super) const LISTED_PER_FILE: usize = 100;

/// The findings of one rule in one file, counted.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Listed {
    count: usize,
    /// The line of the first finding left out.
    first_left_out: usize,
}

impl Listed {
    /// Counts one more finding; whether it is listed. `line` is asked for only of the first
    /// finding left out.
    pub(super) fn admit(&mut self, line: impl FnOnce() -> usize) -> bool {
        self.count += 1;
        if self.count == LISTED_PER_FILE + 1 {
            self.first_left_out = line();
        }
        self.count <= LISTED_PER_FILE
    }

    /// The finding that counts those left out, if any were.
    pub(super) fn left_out(&self, path: &Path, rule: &str) -> Option<Diagnostic> {
        let more = self.count.checked_sub(LISTED_PER_FILE).filter(|&n| n > 0)?;
        let message = format!("{more} more like these in this file, from this line on");
        let hint = format!("the first {LISTED_PER_FILE} are listed; fix those and check again");
        Some(Diagnostic::at(path, self.first_left_out, 0, message).with_rule(rule).with_hint(hint))
    }
}
