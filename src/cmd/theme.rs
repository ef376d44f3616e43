//! `critique theme eject [FILE…]`: the built-in theme's files copied into the site's
//! `templates/` and `static/`, where they override the built-in ones, so that a theme is
//! customised with the binary alone. Never overwrites.

use std::path::{Path, PathBuf};

use super::new::{NewError, write_new};
use crate::theme::embedded_files;

/// What is ejected when no file is named: every template, and the stylesheets.
const BY_DEFAULT: &[&str] = &["style.css", "highlight.css"];

/// Copies the built-in files named in `names` (as `review.html`, `partials/pager.html`,
/// `style.css`, or with their folder, `templates/review.html`), or every template and the
/// stylesheets when none is named, into the site at `root`. Nothing is written when a name is
/// unknown or a file would be overwritten. Returns the files written.
pub fn eject(root: &Path, names: &[String]) -> Result<Vec<PathBuf>, NewError> {
    let all: Vec<(&str, &str, &[u8])> = embedded_files().collect();
    let chosen: Vec<&(&str, &str, &[u8])> = if names.is_empty() {
        all.iter().filter(|(folder, name, _)| *folder == "templates" || BY_DEFAULT.contains(name)).collect()
    } else {
        let mut chosen: Vec<&(&str, &str, &[u8])> = Vec::new();
        for wanted in names {
            let wanted = wanted.trim_start_matches("./");
            let found = all.iter().find(|(folder, name, _)| {
                wanted == *name || wanted.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) == Some(name)
            });
            match found {
                // A file named twice (`style.css static/style.css`) is copied once.
                Some(file) if chosen.iter().any(|c: &&(&str, &str, &[u8])| c.0 == file.0 && c.1 == file.1) => {}
                Some(file) => chosen.push(file),
                None => {
                    let known: Vec<String> = all.iter().map(|(f, n, _)| format!("{f}/{n}")).collect();
                    return Err(NewError::Site(format!(
                        "`{wanted}` is not a file of the built-in theme: expected one of {}",
                        known.join(", ")
                    )));
                }
            }
        }
        chosen
    };
    let targets: Vec<(PathBuf, &[u8])> =
        chosen.iter().map(|(folder, name, bytes)| (root.join(folder).join(name), *bytes)).collect();
    let taken: Vec<String> =
        targets.iter().filter(|(path, _)| path.exists()).map(|(path, _)| path.display().to_string()).collect();
    if !taken.is_empty() {
        return Err(NewError::Site(format!(
            "{} already exist{}: the site overrides {} already (nothing was written)",
            taken.join(", "),
            if taken.len() == 1 { "s" } else { "" },
            if taken.len() == 1 { "it" } else { "them" }
        )));
    }
    targets.into_iter().map(|(path, bytes)| write_new(&path, bytes)).collect()
}
