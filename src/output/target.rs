//! Where an output may go. `--output` is resolved before anything is checked: made absolute,
//! `.` and `..` applied, and every symbolic link resolved through the folders that exist, the
//! parts that do not exist yet taken as the folders to be created would be. So
//! `nosuch/../content` is the site's `content/`, and refused, before `nosuch/` is made.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::{MARKER, OutputError, io_err};

/// `out` as an absolute path with no `.`, `..` or symbolic link in the part that exists.
pub(super) fn resolve(out: &Path) -> Result<PathBuf, OutputError> {
    let absolute = std::path::absolute(out).map_err(io_err("resolve", out))?;
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            // `resolved` has no link in it, so its parent is the real parent.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                // A name that exists may be a link: resolve it (a dangling one is an error).
                // Below a name that does not exist, nothing does.
                if fs::symlink_metadata(&resolved).is_ok() {
                    resolved = fs::canonicalize(&resolved).map_err(io_err("resolve", &resolved))?;
                }
            }
        }
    }
    Ok(resolved)
}

/// The output a build writes when none is given: `public/` in the site. A site's files come
/// from strangers' pull requests, so a `public` committed as a symbolic link must not send the
/// build outside the site (creating, replacing or retiring folders there): only an explicit
/// `--output` may lead elsewhere.
pub(super) fn default_in(root: &Path) -> Result<PathBuf, OutputError> {
    let out = root.join("public");
    let real = resolve(&out)?;
    let in_site = real.strip_prefix(resolve(root)?).map(Path::to_path_buf);
    // Nor into a hidden folder of the site (`.git/`, whose empty folders a build could fill).
    let hidden = |in_site: &Path| in_site.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if !in_site.is_ok_and(|in_site| !hidden(&in_site)) {
        return Err(OutputError::Refused {
            path: out,
            reason: "it is a symbolic link that leads outside the site or into a hidden folder of it; pass --output with the folder it leads to if that is where the site should go",
        });
    }
    Ok(out)
}

/// Refuses an output (resolved) whose replacement would lose anything that is not a previous
/// build: the site root or a folder holding it, its sources, a file, or a folder that is not
/// empty and carries no [`MARKER`].
pub(super) fn check(out: &Path, root: &Path) -> Result<(), OutputError> {
    let refuse = |reason| Err(OutputError::Refused { path: out.to_path_buf(), reason });
    let root = resolve(root)?;
    if root.starts_with(out) {
        return refuse("it is the site root or contains it");
    }
    for sources in ["content", "templates", "static"] {
        let sources = resolve(&root.join(sources))?;
        if out.starts_with(&sources) || sources.starts_with(out) {
            return refuse("it is inside the site's sources (content/, templates/ or static/)");
        }
    }
    replaceable(out)
}

/// Whether the folder at `out` may be moved aside and deleted: it is not there, or it is a
/// folder that is empty or carries the [`MARKER`] (a regular file, not a link) of a build.
pub(super) fn replaceable(out: &Path) -> Result<(), OutputError> {
    let refuse = |reason| Err(OutputError::Refused { path: out.to_path_buf(), reason });
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return refuse("it is a file, not a directory");
    }
    let non_empty = fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(true);
    let marked = fs::symlink_metadata(out.join(MARKER)).is_ok_and(|m| m.is_file());
    if non_empty && !marked {
        return refuse(
            "it is not empty and was not written by critique (no .critique-output file); delete it first if it is an old build",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_after_a_missing_folder_is_applied_before_any_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = fs::canonicalize(dir.path()).expect("canonical");
        fs::create_dir_all(base.join("site/content")).expect("mkdir");
        let cases = [
            ("site/nosuch/../content", "site/content"),
            ("site/nosuch/deeper/../../content", "site/content"),
            ("site/./public", "site/public"),
            ("site/nosuch/../../victim", "victim"),
            ("nosuch/x", "nosuch/x"),
        ];
        for (given, expected) in cases {
            assert_eq!(resolve(&base.join(given)).expect("resolves"), base.join(expected), "{given}");
        }
        assert!(!base.join("site/nosuch").exists(), "resolving creates nothing");
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_existing_part_are_resolved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = fs::canonicalize(dir.path()).expect("canonical");
        fs::create_dir_all(base.join("real/inner")).expect("mkdir");
        std::os::unix::fs::symlink(base.join("real/inner"), base.join("link")).expect("symlink");
        assert_eq!(resolve(&base.join("link/../x")).expect("resolves"), base.join("real/x"));
        std::os::unix::fs::symlink(base.join("gone"), base.join("dangling")).expect("symlink");
        assert!(resolve(&base.join("dangling/x")).is_err(), "a dangling link is not taken as a folder to make");
    }
}
