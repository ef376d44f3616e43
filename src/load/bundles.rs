//! Page bundles: a folder of a section holding an `index.md` is one page, and every other file
//! in it (sub-folders included) is published beside that page. Which files belong to which
//! page is decided from the whole of `content/`, as [`super::load_site`] reads it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::read::read_bytes;
use super::{Section, SourceFile, is_markdown};
use crate::diagnostic::Diagnostic;
use crate::site_path;

/// A file of a page bundle (`content/reviews/<slug>/index.md` and the files beside it): an
/// image or other file published next to its page.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// The section of its page.
    pub section: Section,
    /// Its page's slug: the folder's name.
    pub slug: String,
    /// The bundle's Markdown file, relative to the site root (`content/reviews/x/index.md`).
    pub owner: PathBuf,
    /// Path relative to the bundle's folder, with `/` separators (`chart.png`, `img/a.jpg`).
    pub name: String,
    /// Path relative to the site root, for diagnostics.
    pub path: PathBuf,
    /// The bytes, shared with the outputs that publish them.
    pub bytes: bytes::Bytes,
}

/// The name of a bundle's Markdown file, without its extension.
const BUNDLE_INDEX: &str = "index";

/// Whether the change of `rel` (relative to `root`) may change what a page bundle holds: a
/// file that is not Markdown, a bundle's `index.md`, or a file in a folder of a section that
/// holds one now. Reading such a change needs the whole of `content/` (which files belong to
/// which page, and which Markdown file is inside a page's folder), not the one file.
pub fn touches_bundle(root: &Path, rel: &Path) -> bool {
    let has_index = |folder: &Path| {
        ["index.md", "index.markdown"]
            .iter()
            .any(|name| std::fs::symlink_metadata(root.join(folder).join(name)).is_ok())
    };
    !is_markdown(rel) || is_bundle_index(rel) || enclosing_bundle(rel, has_index).is_some()
}

/// Whether `path` is a bundle's Markdown file: `index.md` in a folder of a section.
pub fn is_bundle_index(path: &Path) -> bool {
    is_markdown(path) && path.file_stem().is_some_and(|s| s == BUNDLE_INDEX) && path.components().count() > 3
}

/// The nearest folder holding `path` (below its section's folder, its own bundle's excepted)
/// that `is_bundle` says is a bundle.
pub(super) fn enclosing_bundle(path: &Path, is_bundle: impl Fn(&Path) -> bool) -> Option<&Path> {
    let skip = if is_bundle_index(path) { 2 } else { 1 };
    path.ancestors().skip(skip).take_while(|a| a.components().count() > 2).find(|a| is_bundle(a))
}

/// The error of a page's Markdown file inside the bundle `folder`.
pub(super) fn page_in_bundle(path: &Path, folder: &Path) -> Diagnostic {
    Diagnostic::file(
        path,
        format!(
            "a Markdown file inside the page folder {}: expected its one page, index.md",
            crate::diagnostic::display_path(folder)
        ),
    )
    .with_hint("move it out of the folder, as a page of its own")
}

/// The files `beside` pages of `content` (in the `bundles` folders), read in parallel, and an
/// error for each that is in no bundle or cannot be read.
pub(super) fn read_bundle_files(
    root: &Path,
    beside: Vec<PathBuf>,
    content: &[SourceFile],
    bundles: &BTreeSet<PathBuf>,
) -> (Vec<BundleFile>, Vec<Diagnostic>) {
    let indexes: HashMap<&Path, &SourceFile> =
        content.iter().filter(|f| is_bundle_index(&f.path)).filter_map(|f| Some((f.path.parent()?, f))).collect();
    let mut errors = Vec::new();
    let mut owned = Vec::new();
    for path in beside {
        match enclosing_bundle(&path, |folder| indexes.contains_key(folder)) {
            Some(folder) => match bundle_name(&path, folder) {
                Ok(name) => owned.push((path.clone(), indexes[folder], name)),
                Err(e) => errors.push(e),
            },
            // A bundle whose `index.md` failed to load has that error.
            None if enclosing_bundle(&path, |folder| bundles.contains(folder)).is_some() => {}
            None => errors.push(without_index(&path)),
        }
    }
    let read: Vec<Result<BundleFile, Diagnostic>> = owned
        .into_par_iter()
        .map(|(path, index, name)| {
            let bytes = read_bytes(&root.join(&path), &path)?;
            let (section, slug, owner) = (index.section, index.slug.clone(), index.path.clone());
            Ok(BundleFile { section, slug, owner, name, path, bytes: bytes.into() })
        })
        .collect();
    let mut files = Vec::new();
    for file in read {
        match file {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

/// The name below its bundle's `folder` that the file at `path` is published under, or why it
/// cannot be published.
fn bundle_name(path: &Path, folder: &Path) -> Result<String, Diagnostic> {
    let below = path.strip_prefix(folder).unwrap_or(path);
    let parts: Option<Vec<&str>> = below.components().map(|c| c.as_os_str().to_str()).collect();
    let problem = match &parts {
        None => Some("its name is not valid UTF-8".to_string()),
        Some(parts) => site_path::check(&parts.join("/")).err().map(|p| p.to_string()),
    };
    match (problem, parts) {
        (None, Some(parts)) => Ok(parts.join("/")),
        (problem, _) => {
            Err(Diagnostic::file(path, format!("cannot publish this file: {}", problem.unwrap_or_default()))
                .with_hint("rename it with letters, digits, `-`, `_` and `.`"))
        }
    }
}

/// The error of a file in a folder of a section that is in no page's folder.
fn without_index(path: &Path) -> Diagnostic {
    let folder = path.parent().map(crate::diagnostic::display_path).unwrap_or_default();
    Diagnostic::file(path, format!("file in {folder} but no page: expected an index.md beside it"))
        .with_hint("a folder with an index.md is a page with its files: write it, or move the file to static/")
}
