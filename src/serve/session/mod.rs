//! The serve session: the site kept in memory between edits. An edit re-reads only the files
//! that changed, re-parses only those, re-assembles the model (cheap), and re-renders only
//! the pages that can depend on what changed; the output directory gets only the files whose
//! bytes changed. The result equals a clean `build` of the same files, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::hash::{FastMap, FastSet};
use crate::load::{self, Section, SiteFiles};
use crate::markdown::{MarkdownOptions, PageImages};
use crate::model::{Site, Unreviewed};
use crate::output::OutputFile;
use crate::parse::{ParsedFile, Publish};
use crate::pictures::Pictures;
use crate::render::{Failure, Renderer, Views, jobs_in};
use crate::serve::edit::ReviewEdit;
use crate::serve::memo::Versions;
use crate::serve::replace::replace_reviews;
use crate::theme::Theme;
use crate::{SiteOptions, Timings, site_config};

use super::affected::affected_jobs;
use super::changes::{Changes, classify};

mod assemble;
mod cards;
mod checks;
mod data;
mod files;
mod fragments;
mod images;

use assemble::{ReviewMemo, assemble_cached};
use cards::CardCache;
use checks::{CheckCache, OutputChange};
use data::DataCache;
use fragments::FragmentMemo;
use images::ImageMemo;
mod outputs;
mod preview;
mod search;
mod write;

pub use preview::Preview;

/// What one rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Pages rendered again.
    pub rendered: usize,
    /// Output files written (new or changed bytes).
    pub written: usize,
    /// Output files removed.
    pub removed: usize,
    /// Whether only stylesheets changed, so a browser can swap them without a reload.
    pub css_only: bool,
    /// Wall time from the change to the updated output.
    pub elapsed: Duration,
    /// Wall time of each stage.
    pub timings: Timings,
}

/// A parsed content file and the text it was parsed from.
struct Cached {
    text: Arc<str>,
    result: Result<ParsedFile, Vec<Diagnostic>>,
}

/// The last good build.
struct Built {
    site: Site,
    outputs: FastMap<String, OutputFile>,
    /// What it was made with (see [`Session::made`]).
    versions: Versions,
    /// The paths of its pages.
    pages: outputs::PagePaths,
    /// The paths of its other files (static and data files, which every rebuild makes again).
    others: Vec<String>,
    /// Every folder of its output's paths (and perhaps folders of paths gone since).
    folders: FastSet<String>,
    /// Its log of changes, when a rebuild made it (see [`Views::with_changes`]).
    changes: Option<Vec<crate::render::Change>>,
}

/// The site of a `serve`, kept in memory.
pub struct Session {
    root: PathBuf,
    /// Where the last good build's files are published.
    preview: Preview,
    options: SiteOptions,
    files: SiteFiles,
    /// Load errors of content files, by path, until the file is fixed or removed.
    content_errors: BTreeMap<PathBuf, Diagnostic>,
    /// Errors of templates, static files and the configuration from the last full load.
    other_errors: Vec<Diagnostic>,
    /// Parsed content files, by path (in the order of `files.content` when used).
    parsed: FastMap<PathBuf, Cached>,
    /// The paths of `parsed` whose parse failed, in order.
    failed: BTreeSet<PathBuf>,
    config_text: Option<String>,
    renderer: Option<Renderer>,
    built: Option<Built>,
    /// How many models were made with each of the things [`Versions`] names made anew. A model
    /// assembled afresh makes all four anew; one made by swapping edited reviews into the last
    /// good one (`replace_reviews`) keeps what the edits left (prose edits all four,
    /// score edits all but the structure, edits of terms, questions or revisions the order and
    /// reviews, date edits the reviews).
    made: Versions,
    /// Content edits since the last good build: after a failed rebuild, the next one must
    /// still re-render what those edits touched.
    pending: BTreeSet<PathBuf>,
    /// Whether an edit since the last good build needs every page rendered again.
    pending_full: bool,
    /// The day the pages were last rendered for.
    built_day: Option<Date>,
    /// Reviews checked by the last assembly of the model.
    reviews: ReviewMemo,
    /// Promotion findings of files whose text has not changed.
    checks: CheckCache,
    /// Whether `checks` last looked at the output of the last good build.
    checked_built: bool,
    /// Data files' records and the search index's parts made from files whose text has not
    /// changed.
    data: DataCache,
    /// Social cards drawn for files whose text has not changed.
    cards: CardCache,
    /// The images of the site's bundles and static folder, as its pages were parsed with.
    pictures: Arc<Pictures>,
    /// Resized copies of images.
    images: ImageMemo,
}

impl Session {
    /// A session over the site at `root`, publishing into a new [`Preview`], with its first
    /// build's outcome.
    pub fn start(root: &Path, options: SiteOptions) -> (Self, Result<Rebuilt, Vec<Diagnostic>>) {
        Self::start_in(root, options, Preview::default())
    }

    /// [`Session::start`], publishing into `preview` (which the dev server reads).
    pub fn start_in(root: &Path, options: SiteOptions, preview: Preview) -> (Self, Result<Rebuilt, Vec<Diagnostic>>) {
        let mut session = Session {
            root: root.to_path_buf(),
            preview,
            options,
            files: SiteFiles::default(),
            content_errors: BTreeMap::new(),
            other_errors: Vec::new(),
            parsed: FastMap::default(),
            failed: BTreeSet::new(),
            config_text: None,
            renderer: None,
            built: None,
            made: Versions::default(),
            pending: BTreeSet::new(),
            pending_full: false,
            built_day: None,
            reviews: ReviewMemo::default(),
            checks: CheckCache::default(),
            checked_built: false,
            data: DataCache::default(),
            cards: CardCache::new(root),
            pictures: Arc::default(),
            images: ImageMemo::new(root),
        };
        let result = session.rebuild(Changes { templates: true, statics: true, config: true, ..Changes::default() });
        (session, result)
    }

    /// The files of the last good build, as the dev server serves them.
    pub fn preview(&self) -> &Preview {
        &self.preview
    }

    /// Applies edits to `paths` (absolute or relative to the root; changed, created or removed).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Option<Result<Rebuilt, Vec<Diagnostic>>> {
        let changes = classify(&self.root, paths);
        let nothing = changes.content.is_empty() && !changes.templates && !changes.statics && !changes.config;
        if nothing { None } else { Some(self.rebuild(changes)) }
    }

    fn rebuild(&mut self, changes: Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        let start = Instant::now();
        self.pending.extend(changes.content.iter().cloned());
        self.pending_full |= changes.templates || changes.config || changes.statics;
        self.pending_full |= changes.content.iter().any(|p| load::section_of(p).is_some_and(remade_whole));
        let mut timings = Timings::default();
        let reloaded = timings.time("load", || self.reload(&changes));
        // Through links, one file can be read at several paths: what else changed is not known.
        self.pending_full |= self.files.through_links;
        let config = site_config(&self.files, &self.options);
        let mut reloaded = reloaded.as_ref();
        // Pages are parsed with the sizes of the images they show: new images, new pages.
        if reloaded.is_none() {
            let pictures = timings.time("pictures", || Pictures::survey(&self.files));
            if pictures != *self.pictures {
                self.pictures = Arc::new(pictures);
                self.parsed.clear();
                self.failed.clear();
                self.pending_full = true;
            }
        }
        if self.config_text != self.files.config || changes.config {
            // The base path and the drafts setting shape every parsed body.
            self.parsed.clear();
            self.failed.clear();
            reloaded = None;
            self.config_text.clone_from(&self.files.config);
        }
        let mut errors: Vec<Diagnostic> =
            self.content_errors.values().chain(&self.other_errors).map(|e| e.clone().or_rule("file")).collect();
        let base_path = config.as_ref().map_or("/", |c| c.base_path()).to_string();
        // Reviews dated in the future are always previewed (marked as such), so what is parsed
        // does not depend on the day.
        let publish = Publish { drafts: self.options.drafts || config.as_ref().is_ok_and(|c| c.drafts), until: None };
        timings.time("parse", || {
            let pictures = Arc::clone(&self.pictures);
            let images = Some(PageImages { pictures: &pictures, folder: "", published: "" });
            self.parse(MarkdownOptions { base_path: &base_path, images, ..MarkdownOptions::ROOT }, publish, reloaded)
        });
        errors.extend(self.parse_errors().cloned());
        let theme = timings.time("theme", || Theme::with_overrides(&self.files.templates, &self.files.static_files));
        if changes.templates || self.renderer.is_none() {
            self.renderer = None;
            match Renderer::new(&theme).map(|r| r.keeping_fragments(Box::new(FragmentMemo::default()))) {
                Ok(r) => self.renderer = Some(r),
                Err(e) => errors.extend(e),
            }
        }
        let config = match config {
            Ok(c) => c,
            Err(e) => return Err([errors, e].concat()),
        };
        let today = self.options.today.unwrap_or_else(Date::today);
        // Pages count the days open questions have waited: a new day changes them all.
        if self.built_day != Some(today) {
            self.pending_full = true;
            self.built_day = Some(today);
        }
        let model_start = Instant::now();
        let last = self.built.as_ref().map_or_else(Versions::default, |b| b.versions);
        let replaced = errors.is_empty().then(|| self.replaced_reviews(&config)).flatten();
        let made = &mut self.made;
        let (site, model_errors, versions) = match replaced {
            Some((site, edits)) => (site, Vec::new(), edits.versions_after(last, made)),
            None => {
                let versions = ReviewEdit { identity: true, ..ReviewEdit::default() }.versions_after(last, made);
                // Projects and pages are copied for the model; reviews are lent, and copied and
                // checked only when the memo does not have them.
                let (mut projects, mut pages, mut reviews, mut left_out) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                let (mut authors, mut responses) = (Vec::new(), Vec::new());
                for cached in self.files.content.iter().filter_map(|f| self.parsed.get(&f.path)) {
                    match &cached.result {
                        Ok(ParsedFile::Project(p)) => projects.push(p.clone()),
                        Ok(ParsedFile::Page(p)) => pages.push(p.clone()),
                        Ok(ParsedFile::Author(a)) => authors.push(a.clone()),
                        Ok(ParsedFile::Response(r)) => responses.push(r.clone()),
                        Ok(ParsedFile::Review(r)) => reviews.push(r),
                        Ok(ParsedFile::LeftOut(path, why)) => left_out.push((path.clone(), *why)),
                        Err(_) => {}
                    }
                }
                let (project_files, memo) = (&self.files.project_files, &mut self.reviews);
                // Left out as a build has them (under `--no-drafts`), for what a link to one says.
                let files = Unreviewed { projects, pages, authors, responses, left_out };
                let (site, errors) = assemble_cached(config, files, &reviews, project_files, today, memo);
                (site, errors, versions)
            }
        };
        timings.0.push(("model", model_start.elapsed()));
        errors.extend(model_errors);
        let Some(renderer) = self.renderer.as_ref().filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        // One view of each model for the whole rebuild: they make what many pages share (the
        // questions' pages, review cards) once.
        let views = Views::rendering(&site, renderer);
        // The last good model's, only to judge what an edit changed (not when all is rendered).
        // Its log of changes, if kept, saves making it again to compare.
        let old_changes = self.built.as_mut().and_then(|b| b.changes.take());
        let old_views =
            self.built.as_ref().filter(|_| !self.pending_full).map(|b| Views::new(&b.site).with_changes(old_changes));
        let (all, to_render, same_log) = timings.time("affected pages", || {
            let all = jobs_in(&site, &views);
            let (to_render, same_log) = match (&self.built, &old_views) {
                (Some(old), Some(old_views)) => {
                    let affected = affected_jobs(old_views, &views, &self.pending, &all, (old.versions, versions));
                    (affected.jobs, affected.same_log)
                }
                _ => (all.clone(), false),
            };
            (all, to_render, same_log)
        });
        let pages = Mutex::new(Vec::with_capacity(to_render.len()));
        let keep = |page: OutputFile| -> Result<(), Infallible> {
            pages.lock().unwrap_or_else(PoisonError::into_inner).push(page);
            Ok(())
        };
        match timings.time("render pages", || renderer.render_pages(&site, &views, &to_render, &keep)) {
            Ok(()) => {}
            Err(Failure::Content(errors)) => return Err(errors),
            Err(Failure::Sink(never)) => match never {},
        }
        let mut generated = pages.into_inner().unwrap_or_else(PoisonError::into_inner);
        let rendered = generated.len();
        // The cards an edit draws take as long as the data files: side by side.
        let (data, cards) = (&mut self.data, &mut self.cards);
        let (data, cards) = timings.time("data + search + cards", || {
            rayon::join(|| data.files(&site, &views, &all, versions), || cards.files(&site))
        });
        generated.extend(data);
        generated.extend(crate::render::alias_files(&site, views.urls()));
        let bundled = timings.time("bundles + images", || {
            crate::render::bundle_files(&site, &self.files, &self.pictures, &self.images)
        })?;
        self.images.keep_asked();
        let empty = FastMap::default();
        let old = self.built.as_ref().map_or(&empty, |b| &b.outputs);
        // Cards, bundles' files and image copies the last good build has, the very same
        // bytes, are kept as its pages are: only those an edit changed are handed on (10,000
        // unchanged cards would cost every later stage a walk over them).
        let cards = cards?;
        let derived: Vec<OutputFile> = cards.into_iter().chain(bundled.into_iter().map(|(file, _)| file)).collect();
        // A static file at a card's, a bundle file's or a copy's path is the build's error,
        // though only those that changed go on to where the other files are compared.
        let taken: Vec<Diagnostic> = derived
            .iter()
            .filter(|f| theme.static_files.contains_key(&f.path))
            .map(|f| crate::static_takes_generated(&f.path))
            .collect();
        if !taken.is_empty() {
            return Err(taken);
        }
        let (mut derived_paths, mut changed) = (FastSet::default(), Vec::new());
        for file in derived {
            derived_paths.insert(file.path.clone());
            if !old.get(&file.path).is_some_and(|o| o.shares_bytes(&file)) {
                changed.push(file);
            }
        }
        let derived_paths: FastSet<String> = derived_paths;
        generated.extend(changed);
        let outputs_start = Instant::now();
        let fresh = outputs::complete_output(theme.static_files, generated)?;
        let fresh_paths: FastSet<&str> = fresh.iter().map(|f| f.path.as_str()).collect();
        // Pages not rendered again keep their bytes from the last good build; files of the
        // last build that are neither wanted nor made again are removed.
        let wanted = outputs::page_paths(self.built.as_ref(), &site, &views, &all, versions);
        let removed: Vec<String> = match self.built.as_ref().and_then(|b| Some((b, wanted.gone_since(&b.pages)?))) {
            // While the site's reviews stand, every page of the last good build but listings
            // that went is wanted, and every other file is one that each rebuild makes again:
            // gone are those listings and the files it made that this one did not (no look at
            // every file of the output).
            Some((built, pages)) => built
                .others
                .iter()
                .chain(pages)
                .filter(|p| !fresh_paths.contains(p.as_str()) && !derived_paths.contains(*p))
                .cloned()
                .collect(),
            None => old
                .values()
                .filter(|f| {
                    !fresh_paths.contains(f.path.as_str())
                        && !wanted.contains(&f.path)
                        && !derived_paths.contains(&f.path)
                })
                .map(|f| f.path.clone())
                .collect(),
        };
        let gone: FastSet<&str> = removed.iter().map(String::as_str).collect();
        // Every file of the new output, when the whole of it is needed: the last good build's
        // that are neither made again nor gone, kept by reference (copying every page would
        // cost more than rendering the few that changed), and the fresh ones.
        let all_outputs = || -> Vec<&OutputFile> {
            let kept =
                old.values().filter(|f| !fresh_paths.contains(f.path.as_str()) && !gone.contains(f.path.as_str()));
            kept.chain(fresh.iter()).collect()
        };
        let added: Vec<&str> = fresh.iter().map(|f| f.path.as_str()).filter(|p| !old.contains_key(*p)).collect();
        // The paths of the last good build did not clash: only new paths can.
        let is_path = |p: &str| fresh_paths.contains(p) || (old.contains_key(p) && !gone.contains(p));
        let mut problems = match &self.built {
            Some(built) if !outputs::may_clash(&added, &built.folders, is_path) => Vec::new(),
            _ => crate::path_clashes(all_outputs().iter().map(|f| f.path.as_str())),
        };
        timings.0.push(("outputs", outputs_start.elapsed()));
        // The checks' index of the output is that of the last good build only if the last check
        // was of it.
        let change = (problems.is_empty() && self.checked_built).then(|| OutputChange {
            made: &fresh,
            added: added.clone(),
            removed: &removed,
        });
        self.checked_built = false;
        problems.extend(timings.time("checks", || self.checks.blocking(&site, &all_outputs, change.as_ref())));
        if !problems.is_empty() {
            return Err(problems);
        }
        let new_folders: Vec<String> = match &self.built {
            Some(built) => added
                .iter()
                .flat_map(|p| outputs::folders_of(p))
                .filter(|f| !built.folders.contains(*f))
                .map(str::to_string)
                .collect(),
            None => all_outputs().iter().flat_map(|f| outputs::folders_of(&f.path)).map(str::to_string).collect(),
        };
        // Every card counts among the files each rebuild makes, kept or not: one that goes is
        // then removed.
        let mut others: Vec<String> = fresh
            .iter()
            .filter(|f| !wanted.contains(&f.path) && !derived_paths.contains(&f.path))
            .map(|f| f.path.clone())
            .collect();
        others.extend(derived_paths);
        let mut made = (views.into_made(), old_views.map(Views::into_made));
        // The log of the new model, kept for the next rebuild: made by these views, or the last
        // model's when the edit left it as it was.
        let log = made.0.take_changes().or_else(|| made.1.as_mut().filter(|_| same_log)?.take_changes());
        let old_site = match &mut self.built {
            Some(built) => {
                built.changes = log;
                built.folders.extend(new_folders);
                (built.versions, built.pages, built.others) = (versions, wanted, others);
                Some(std::mem::replace(&mut built.site, site))
            }
            None => {
                let folders = new_folders.into_iter().collect();
                self.built = Some(Built {
                    site,
                    outputs: FastMap::default(),
                    versions,
                    pages: wanted,
                    others,
                    folders,
                    changes: log,
                });
                None
            }
        };
        // Freeing the last model's and the views' many small allocations takes a while: not on
        // the way to the browser.
        crate::serve::memo::free_elsewhere((old_site, made));
        let published = timings.time("publish", || self.publish(fresh, &removed));
        let (written, removed) = published.map_err(|e| vec![e])?;
        self.pending.clear();
        self.pending_full = false;
        self.checked_built = true;
        Ok(Rebuilt { rendered, written, removed, css_only: changes.css_only, elapsed: start.elapsed(), timings })
    }

    /// The last good model with the reviews edited since swapped in, when every edit since was
    /// to the prose or scores of reviews that were there before (see
    /// [`replace_reviews`]), with whether their scores all stayed.
    fn replaced_reviews(&self, config: &crate::config::Config) -> Option<(Site, ReviewEdit)> {
        let built = self.built.as_ref().filter(|_| !self.pending_full)?;
        let old = &built.site;
        let mut replaced = Vec::with_capacity(self.pending.len());
        for path in &self.pending {
            // Found by comparing the paths' bytes: tens of microseconds at 10,000 reviews (a
            // table of them, hashed as paths component by component, cost 2 ms a rebuild).
            let at = old.reviews.iter().position(|r| r.source.path.as_os_str() == path.as_os_str())?;
            match self.parsed.get(path).map(|c| &c.result) {
                Some(Ok(ParsedFile::Review(r))) => replaced.push((at, r.clone())),
                _ => return None,
            }
        }
        replace_reviews(old, config, replaced, &self.files.project_files)
    }
}

/// Whether an edit of a file of `section` makes the whole site again. A profile reaches every
/// page of its author's reviews (their disclosure, their cards), a project's reply its review,
/// question and project pages: rare edits. Projects, reviews and pages are followed (a
/// project file, pages and every new or removed file by a fresh model).
fn remade_whole(section: Section) -> bool {
    match section {
        Section::Authors | Section::Responses => true,
        Section::Projects | Section::Reviews | Section::Pages => false,
    }
}
