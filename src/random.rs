//! Values a file of the site or another process cannot guess: the names of staging folders,
//! the marks the raw-HTML reading puts around a text.

use std::hash::BuildHasher;

/// Sixteen hex digits, new at every call: the standard library's randomly keyed hasher (new
/// keys each time) over the process id and the time.
pub fn unguessable_hex() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    let hash = std::hash::RandomState::new().hash_one((std::process::id(), nanos));
    format!("{hash:016x}")
}
