//! The output's paths between rebuilds: which pages the site has (worked out again only for
//! the listings an edit in place can change), and whether new paths clash with the others.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::hash::FastSet;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::{Job, Views};
use crate::serve::memo::Versions;

use super::Built;

/// The output files of a site's pages: those placed by the reviews (see
/// [`Job::placed_by_reviews`]), shared while the site's reviews stand, and the listings of
/// questions and terms and the log of changes.
#[derive(Clone, Default)]
pub(super) struct PagePaths {
    placed: Arc<FastSet<String>>,
    listed: Arc<FastSet<String>>,
    /// How many pages the log of changes had: more than the layout moves it (an answer's day,
    /// a retraction).
    log_pages: usize,
}

impl PagePaths {
    /// Whether `path` is the output file of a page.
    pub(super) fn contains(&self, path: &str) -> bool {
        self.placed.contains(path) || self.listed.contains(path)
    }

    /// The pages of `before` that these lack, when that takes no look at every page: when
    /// both share the pages placed by the reviews (only listings can differ).
    pub(super) fn gone_since<'a>(&self, before: &'a PagePaths) -> Option<Vec<&'a String>> {
        if !Arc::ptr_eq(&self.placed, &before.placed) {
            return None;
        }
        if Arc::ptr_eq(&self.listed, &before.listed) {
            return Some(Vec::new());
        }
        Some(before.listed.iter().filter(|p| !self.listed.contains(*p)).collect())
    }
}

/// The output files of `site`'s pages (`all` its jobs, `views` its views): the last build's
/// while its layout stands; with only the listings of questions and terms made again while
/// the site's reviews stand (in whatever order); else made afresh.
pub(super) fn page_paths(
    last: Option<&Built>,
    site: &Site,
    views: &Views<'_>,
    all: &[Job],
    versions: Versions,
) -> PagePaths {
    let paths = |placed: bool| -> Arc<FastSet<String>> {
        Arc::new(all.iter().filter(|j| j.placed_by_reviews() == placed).map(|j| j.output_file(site, views)).collect())
    };
    let log_pages = all.iter().filter(|j| matches!(j, Job::Changes(_))).count();
    match last {
        Some(built) if built.versions.layout == versions.layout && built.pages.log_pages == log_pages => {
            built.pages.clone()
        }
        Some(built) if built.versions.reviews == versions.reviews => {
            PagePaths { placed: Arc::clone(&built.pages.placed), listed: paths(false), log_pages }
        }
        _ => PagePaths { placed: paths(true), listed: paths(false), log_pages },
    }
}

/// The folders of `path`, outermost first (`a`, `a/b` of `a/b/c`).
pub(super) fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// Whether a path of `added` may be a file and a folder at once, in an output whose other
/// paths had none such: whether one is a folder of the output (`folders` holds every folder of
/// the paths before, and may hold more) or of another added path, or one of its folders is a
/// path (as `is_path` says). `false` promises no clash; `true` asks for the whole check.
pub(super) fn may_clash(added: &[&str], folders: &FastSet<String>, is_path: impl Fn(&str) -> bool) -> bool {
    let added_folders: FastSet<&str> = added.iter().flat_map(|p| folders_of(p)).collect();
    added.iter().any(|path| folders.contains(*path) || added_folders.contains(path) || folders_of(path).any(&is_path))
}

/// The static files, then the generated ones, as a rebuild completes what it made again; an
/// error for every static file that takes a generated path. (Whether a path would be a file
/// and a folder at once is for the caller to check, over the whole output.)
pub(super) fn complete_output(
    static_files: BTreeMap<String, Vec<u8>>,
    pages: Vec<OutputFile>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = pages
        .iter()
        .filter(|p| static_files.contains_key(&p.path))
        .map(|p| crate::static_takes_generated(&p.path))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut output: Vec<OutputFile> = Vec::with_capacity(pages.len() + static_files.len());
    output.extend(static_files.into_iter().map(|(path, bytes)| OutputFile::new(path, bytes)));
    output.extend(pages);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_paths_clash_with_folders_and_files() {
        let old = ["reviews/a/index.html", "style.css"];
        let folders: FastSet<String> = old.iter().flat_map(|p| folders_of(p)).map(str::to_string).collect();
        let is_path = |added: &[&str]| {
            let added: Vec<String> = added.iter().map(|p| p.to_string()).collect();
            move |p: &str| old.contains(&p) || added.iter().any(|a| a == p)
        };
        let check = |added: &[&str]| may_clash(added, &folders, is_path(added));
        assert!(!check(&["reviews/b/index.html", "tags/x/index.html"]));
        assert!(check(&["reviews/a"]), "a folder of the output");
        assert!(check(&["style.css/x.png"]), "a file's path as a folder");
        assert!(check(&["n/index.html", "n/index.html/x"]), "two new paths");
        assert!(!check(&[]));
    }
}
