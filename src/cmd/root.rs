//! Which site a command works on: the folder named, or else the nearest one holding the current
//! folder (as cargo and git find theirs), so that a writer can run `critique build` from
//! `content/reviews/` and never gets an empty site or an output inside the content.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;

/// Why no site root could be settled on.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// Neither the current folder nor one above it holds a site.
    #[error(
        "no critique site in {} or any folder above it: expected a folder holding {CONFIG_FILE} or content/ (create one with `critique init`, or name it: `critique build SITE`)",
        .0.display()
    )]
    NotFound(PathBuf),
    /// The folder named is not a site.
    #[error(
        "{} is not a critique site: expected {CONFIG_FILE} or content/ in it (create one with `critique init {}`)",
        .0.display(),
        .0.display()
    )]
    NotASite(PathBuf),
    /// The folder named does not exist, or is not a folder.
    #[error("{} is not a folder: expected the site's folder, holding {CONFIG_FILE} or content/", .0.display())]
    NotAFolder(PathBuf),
    /// The site was named twice, differently.
    #[error("the site is named twice, as {} and as --root {}: expected one", .0.display(), .1.display())]
    Twice(PathBuf, PathBuf),
    /// The current folder cannot be read.
    #[error("cannot tell the current folder: {0}")]
    CurrentFolder(std::io::Error),
}

/// The root of the site to work on: `named` (the positional `SITE`) or `flag` (`--root`), which
/// must then hold `critique.toml` or `content/`; else the nearest of the current folder and
/// those above it that is a site (see [`found_root`]; the current folder is `.`, one above
/// its full path).
pub fn site_root(named: Option<&Path>, flag: Option<&Path>) -> Result<PathBuf, RootError> {
    match (named, flag) {
        (Some(a), Some(b)) if !same_path(a, b) => Err(RootError::Twice(a.to_path_buf(), b.to_path_buf())),
        (Some(given), _) | (None, Some(given)) => given_root(given),
        (None, None) => {
            let here = std::env::current_dir().map_err(RootError::CurrentFolder)?;
            found_root(&here)
        }
    }
}

/// Whether two paths as written name the same folder (`site`, `./site/`).
fn same_path(a: &Path, b: &Path) -> bool {
    let plain = |p: &Path| p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect::<PathBuf>();
    plain(a) == plain(b)
}

/// `given`, if it is a site.
fn given_root(given: &Path) -> Result<PathBuf, RootError> {
    if !given.is_dir() {
        return Err(RootError::NotAFolder(given.to_path_buf()));
    }
    if !is_site(given) {
        return Err(RootError::NotASite(given.to_path_buf()));
    }
    Ok(given.to_path_buf())
}

/// The nearest of `here` and the folders above it that holds `critique.toml`; else the nearest
/// below the filesystem's root whose `content/` holds a section folder (a folder that merely
/// is called `content`, as `/content` on some hosts, is no site).
fn found_root(here: &Path) -> Result<PathBuf, RootError> {
    let with_sections = |folder: &Path| {
        folder.parent().is_some()
            && ["projects", "reviews", "pages"].iter().any(|s| folder.join("content").join(s).is_dir())
    };
    let up = here.ancestors().position(is_configured).or_else(|| here.ancestors().position(with_sections));
    match up {
        Some(0) => Ok(PathBuf::from(".")),
        Some(up) => Ok(here.ancestors().nth(up).map(Path::to_path_buf).unwrap_or_else(|| here.to_path_buf())),
        None => Err(RootError::NotFound(here.to_path_buf())),
    }
}

/// The nearest of `folder` and the folders above it that holds `critique.toml`.
pub fn configured_site(folder: &Path) -> Option<&Path> {
    folder.ancestors().find(|a| is_configured(a))
}

/// Whether `folder` holds a configuration file.
fn is_configured(folder: &Path) -> bool {
    folder.join(CONFIG_FILE).is_file()
}

/// Whether `folder` holds a site: a configuration file or a `content/` folder.
fn is_site(folder: &Path) -> bool {
    is_configured(folder) || folder.join("content").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_site_above_is_found_and_a_folder_named_must_be_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        let reviews = site.join("content/reviews");
        std::fs::create_dir_all(&reviews).expect("mkdir");
        // A `content/` folder with no section in it is no site (as `/content` on some hosts).
        let bare = dir.path().join("bare");
        std::fs::create_dir_all(bare.join("content/notes")).expect("mkdir");
        assert!(
            found_root(&bare.join("content/notes")).is_err_and(|e| matches!(e, RootError::NotFound(_)))
                || dir.path().ancestors().skip(1).any(is_site)
        );
        assert_eq!(found_root(&reviews).expect("found"), site);
        assert_eq!(found_root(&site).expect("found"), PathBuf::from("."));
        // A configuration above wins over a folder merely holding `content/`.
        std::fs::write(site.join(CONFIG_FILE), "").expect("write");
        let inner = site.join("static/docs");
        std::fs::create_dir_all(inner.join("content/reviews")).expect("mkdir");
        assert_eq!(found_root(&inner).expect("found"), site);
        std::fs::remove_file(site.join(CONFIG_FILE)).expect("remove");
        std::fs::write(reviews.join(CONFIG_FILE), "").expect("write");
        assert_eq!(found_root(&reviews).expect("found"), PathBuf::from("."), "the nearest wins");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        assert!(matches!(given_root(&elsewhere), Err(RootError::NotASite(_))));
        assert!(matches!(given_root(&dir.path().join("missing")), Err(RootError::NotAFolder(_))));
        assert_eq!(given_root(&site).expect("a site"), site);
        let (a, b) = (Path::new("a"), Path::new("b"));
        assert!(matches!(site_root(Some(a), Some(b)), Err(RootError::Twice(..))));
        assert!(same_path(Path::new("site"), Path::new("./site/")));
    }
}
