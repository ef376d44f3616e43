//! What a set of changed paths amounts to for a serve session: content files (in normal
//! form), templates, static files (stylesheets alone or not), the configuration.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::load;

/// The kinds of change a set of paths amounts to.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// Content files, relative to the root.
    pub content: BTreeSet<PathBuf>,
    /// Whether a template changed.
    pub templates: bool,
    /// Whether a static file changed.
    pub statics: bool,
    /// Whether only stylesheets changed.
    pub css_only: bool,
    /// Whether `critique.toml` changed.
    pub config: bool,
}

/// What the changed `paths` (absolute, or relative to `root`) amount to; files no walk reads
/// (hidden files, editors' leftovers) and paths outside the site's inputs count for nothing.
pub(super) fn classify(root: &Path, paths: &[PathBuf]) -> Changes {
    let mut changes = Changes { css_only: true, ..Changes::default() };
    for path in paths {
        // Normal form (no `.` or doubled `/`), as loading names files: paths are compared as bytes.
        let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).components().collect();
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if load::is_skipped(&rel) {
            continue;
        }
        match rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).as_deref() {
            Some("content") => changes.content.insert(rel.to_path_buf()),
            Some("templates") => std::mem::replace(&mut changes.templates, true),
            Some("static") => {
                changes.css_only &= name.ends_with(".css");
                std::mem::replace(&mut changes.statics, true)
            }
            _ if rel == Path::new(CONFIG_FILE) => std::mem::replace(&mut changes.config, true),
            _ => continue,
        };
    }
    changes.css_only &= changes.statics && changes.content.is_empty() && !changes.templates && !changes.config;
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_classified_in_normal_form() {
        let root = Path::new("/site");
        let paths = [PathBuf::from("/site/content//reviews/./a.md"), PathBuf::from("/site/static/x.css")];
        let changes = classify(root, &paths);
        assert_eq!(changes.content.into_iter().collect::<Vec<_>>(), [PathBuf::from("content/reviews/a.md")]);
        assert!(changes.statics && !changes.css_only, "a content edit is not a stylesheet swap");
        let css = classify(root, &[PathBuf::from("/site/static/x.css"), PathBuf::from("/site/content/.a.md.swp")]);
        assert!(css.css_only, "editor files are ignored");
    }
}
