//! The session's content files: reading again the files an edit touched, and parsing the
//! ones whose text is new.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::{self, Section, SourceFile};
use crate::markdown::MarkdownOptions;
use crate::parse::{self, Publish};

use super::super::changes::Changes;
use super::{Cached, Session};

impl Session {
    /// Brings `self.files` up to date: content files one by one, everything else by a full load.
    /// Returns the paths re-read, or `None` after a full load.
    pub(super) fn reload(&mut self, changes: &Changes) -> Option<BTreeSet<PathBuf>> {
        // A path reached through a symbolic link can stand for files elsewhere in the site:
        // read the whole site, as a build would, rather than only what changed.
        let linked = self.files.through_links || changes.content.iter().any(|rel| load::through_link(&self.root, rel));
        // A bundle's file (an image beside a page), its page, or a page put in its folder:
        // what belongs to which page is read from the whole of `content/`, as a build does.
        let beside = changes.content.iter().any(|rel| load::touches_bundle(&self.root, rel));
        if changes.templates || changes.statics || changes.config || self.built.is_none() || linked || beside {
            let (files, errors) = load::load_site(&self.root);
            self.files = files;
            self.content_errors.clear();
            self.other_errors.clear();
            for e in errors {
                if e.path.starts_with("content") {
                    self.content_errors.insert(e.path.clone(), e);
                } else {
                    self.other_errors.push(e);
                }
            }
            return None;
        }
        // Files rejected as duplicates are looked at again: the other file may be gone.
        let mut paths = changes.content.clone();
        let rejected = self.content_errors.iter().filter(|(_, e)| e.message.starts_with(load::DUPLICATE_SLUG));
        paths.extend(rejected.map(|(p, _)| p.clone()));
        // The usual edit: files the site has, saved again. Each is read in its place, and the
        // list (of every content file) is neither sorted nor scanned again.
        if paths.iter().all(|rel| self.reload_in_place(rel)) {
            return Some(paths);
        }
        for rel in &paths {
            // A path may name a folder that was moved or removed: forget all under it.
            self.files.content.retain(|f| !load::is_under(&f.path, rel));
            self.content_errors.retain(|p, _| !load::is_under(p, rel));
            let (found, unreadable) = load::files_under(&self.root, rel);
            for e in unreadable {
                self.content_errors.insert(e.path.clone(), e);
            }
            for file in found {
                match load::load_content_file(&self.root, &file) {
                    Ok(Some(source)) => self.files.content.push(source),
                    Ok(None) => {}
                    Err(e) => {
                        self.content_errors.insert(file, e);
                    }
                }
            }
        }
        // Re-read files were pushed at the end of a sorted list: a run the sort merges in one pass.
        self.files.content.sort_by(|a, b| a.path.cmp(&b.path));
        // Two files with one slug: the later path is the duplicate, as in a full load.
        let files = self.files.content.iter().map(|f| (f.section, f.slug.as_str(), f.path.as_path()));
        for error in load::duplicate_slugs(files) {
            self.files.content.retain(|f| f.path != error.path);
            self.content_errors.insert(error.path.clone(), error);
        }
        self.files.project_files = self
            .files
            .content
            .iter()
            .filter(|f| f.section == Section::Projects)
            .map(|f| f.slug.clone())
            .chain(self.content_errors.keys().filter_map(|p| load::project_slug(p)))
            .collect();
        Some(paths)
    }

    /// Reads again the content file at `rel` (relative to the root) if the site has it and it
    /// is still a readable review or page file, replacing it in `self.files.content`; whether it
    /// did. Its slug and section follow from its path, so no duplicate can arise. A project
    /// file is left to the whole reload, as `project_files` lists projects by name.
    fn reload_in_place(&mut self, rel: &Path) -> bool {
        let content = &mut self.files.content;
        let Ok(at) = content.binary_search_by(|f| f.path.as_path().cmp(rel)) else {
            return false;
        };
        if content[at].section == Section::Projects || self.content_errors.contains_key(rel) {
            return false;
        }
        match load::load_content_file(&self.root, rel) {
            Ok(Some(source)) if source.section == content[at].section && source.slug == content[at].slug => {
                content[at] = source;
                true
            }
            _ => false,
        }
    }

    /// The errors of the parsed files, in the order of the content files (by path).
    pub(super) fn parse_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.failed.iter().filter_map(|p| self.parsed.get(p)?.result.as_ref().err()).flatten()
    }

    /// Parses the content files whose text is new, in parallel: those at or under the
    /// `reloaded` paths, or any (after a full load).
    pub(super) fn parse(
        &mut self,
        markdown: MarkdownOptions<'_>,
        publish: Publish,
        reloaded: Option<&BTreeSet<PathBuf>>,
    ) {
        let candidates: Vec<&SourceFile> = match reloaded {
            Some(paths) => {
                let mut candidates = Vec::new();
                for rel in paths {
                    let content = &self.files.content;
                    let under: Vec<&SourceFile> = match content.binary_search_by(|f| f.path.as_path().cmp(rel)) {
                        Ok(at) => vec![&content[at]],
                        Err(_) => content.iter().filter(|f| load::is_under(&f.path, rel)).collect(),
                    };
                    // What is no longer there is forgotten (a whole scan only for a file gone
                    // or a folder).
                    if !matches!(under.as_slice(), [only] if only.path == *rel) {
                        let kept: HashSet<&PathBuf> = under.iter().map(|f| &f.path).collect();
                        self.parsed.retain(|path, _| !load::is_under(path, rel) || kept.contains(path));
                    }
                    candidates.extend(under);
                }
                candidates
            }
            None => {
                let present: HashSet<&PathBuf> = self.files.content.iter().map(|f| &f.path).collect();
                self.parsed.retain(|path, _| present.contains(path));
                self.files.content.iter().collect()
            }
        };
        // Files not re-read keep their text's allocation: comparing pointers spares comparing
        // every file's text on every edit.
        let stale: Vec<&SourceFile> = candidates
            .into_iter()
            .filter(|f| !self.parsed.get(&f.path).is_some_and(|c| Arc::ptr_eq(&c.text, &f.text) || c.text == f.text))
            .collect();
        let parsed: Vec<(PathBuf, Cached)> = stale
            .par_iter()
            .map(|f| (f.path.clone(), Cached { text: f.text.clone(), result: parse::parse_file(f, markdown, publish) }))
            .collect();
        for (path, cached) in &parsed {
            match cached.result {
                Ok(_) => self.failed.remove(path),
                Err(_) => self.failed.insert(path.clone()),
            };
        }
        self.parsed.extend(parsed);
        let parsed = &self.parsed;
        self.failed.retain(|p| parsed.contains_key(p));
    }
}
