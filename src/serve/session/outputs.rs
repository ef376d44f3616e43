//! The output's paths between rebuilds: which pages the site has (worked out again only for
//! the listings an edit in place can change), and whether new paths clash with the others.

use std::sync::Arc;

use crate::hash::FastSet;
use crate::memo::Versions;
use crate::model::Site;
use crate::render::{Job, Views};

use super::Built;

/// The output files of `site`'s pages (`all` its jobs): the last build's while its layout
/// stands; with only the listings that depend on more than the reviews' order made again
/// while that order stands; else made afresh.
pub(super) fn page_paths(last: Option<&Built>, site: &Site, all: &[Job], versions: Versions) -> Arc<FastSet<String>> {
    let views = Views::new(site);
    match last {
        Some(built) if built.versions.layout == versions.layout => Arc::clone(&built.pages),
        Some(built) if built.versions.order == versions.order => {
            let old_views = Views::new(&built.site);
            let mut pages = (*built.pages).clone();
            for job in crate::render::jobs(&built.site).into_iter().filter(|j| !j.placed_by_order()) {
                pages.remove(&job.output_file(&built.site, &old_views));
            }
            pages.extend(all.iter().filter(|j| !j.placed_by_order()).map(|j| j.output_file(site, &views)));
            Arc::new(pages)
        }
        _ => Arc::new(all.iter().map(|j| j.output_file(site, &views)).collect()),
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
