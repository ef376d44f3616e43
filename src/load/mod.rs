//! Loading: the only reader of a site's files. Walks `content/`, `templates/` and `static/`,
//! reads `critique.toml`, and turns unreadable input (invalid UTF-8, binary, oversized, a
//! Markdown file in the wrong place) into diagnostics rather than panics.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::site_path;

mod bundles;
mod classify;
mod read;
mod walk;

pub use bundles::{BundleFile, is_bundle_index, touches_bundle};
use bundles::{enclosing_bundle, page_in_bundle, read_bundle_files};
use classify::{Content, classify, classify_content};
pub use read::text_from_bytes;
use read::{read_bytes, read_text, read_text_within};

use walk::Walker;

/// The largest content or template file accepted: far above any real review, small enough
/// that a stray dump or binary cannot exhaust memory.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;
/// The largest template, in bytes. A theme's templates are a few kilobytes each, but a
/// template is pasted into page after page (a review card into every listing): an 8 MB card
/// made a gigabyte of pages in flight and gigabytes of output.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;
/// The largest `critique.toml`, in bytes: the TOML parser takes about 75 bytes of memory a
/// byte of it (8 MB: 600 MB), and a site's configuration is a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Which part of `content/` a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// `content/projects/`: one file a project.
    Projects,
    /// `content/reviews/`: one file a review.
    Reviews,
    /// `content/pages/`: free pages.
    Pages,
    /// `content/authors/`: one file a reviewer's profile.
    Authors,
    /// `content/responses/`: one file a project's reply.
    Responses,
}

impl Section {
    const ALL: [(Section, &'static str); 5] = [
        (Section::Projects, "projects"),
        (Section::Reviews, "reviews"),
        (Section::Pages, "pages"),
        (Section::Authors, "authors"),
        (Section::Responses, "responses"),
    ];

    /// Its folder's name under `content/`.
    pub fn folder(self) -> &'static str {
        Section::ALL.iter().find(|(s, _)| *s == self).map_or("pages", |(_, name)| name)
    }
}

/// One Markdown source file, read and known to be UTF-8 text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, for diagnostics (`content/reviews/x.md`).
    pub path: PathBuf,
    /// The section it belongs to.
    pub section: Section,
    /// Its slug: the file name without `.md`.
    pub slug: String,
    /// The whole file (shared with the parsed file, which keeps it for diagnostics).
    pub text: Arc<str>,
}

impl SourceFile {
    /// The file `slug` of `section` holding `text`, at the path the site would have it
    /// (`content/<section>/<slug>.md`): for sites made in memory (tests, benchmarks).
    pub fn new(section: Section, slug: &str, text: impl Into<Arc<str>>) -> Self {
        let path = PathBuf::from(format!("content/{}/{slug}.md", section.folder()));
        SourceFile { path, section, slug: slug.to_string(), text: text.into() }
    }
}

/// A file of the site's own theme override or static folder.
#[derive(Debug, Clone)]
pub struct SiteAsset {
    /// Path relative to its folder, with `/` separators (`review.html`, `img/logo.png`).
    pub name: String,
    /// Path relative to the site root, for diagnostics.
    pub path: PathBuf,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Everything read from a site, before any parsing.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// The text of `critique.toml`, when the site has one.
    pub config: Option<String>,
    /// Markdown files from `content/`, sorted by path.
    pub content: Vec<SourceFile>,
    /// The site's own templates, overriding the embedded theme file by file.
    pub templates: Vec<SiteAsset>,
    /// The site's own static files, copied over the embedded ones.
    pub static_files: Vec<SiteAsset>,
    /// The files of page bundles beside their `index.md`, sorted by path.
    pub bundle_files: Vec<BundleFile>,
    /// The slug of every file in `content/projects/`, readable or not: a review of a project
    /// whose file is broken reports that file's error, not an "unknown project".
    pub project_files: BTreeSet<String>,
    /// Whether a symbolic link was followed to find a file: an edit of one file may then
    /// change what another path holds, so `serve` reads the whole site again on every change.
    pub through_links: bool,
}

/// Reads a whole site from `root`: every readable file, and a diagnostic for every other.
pub fn load_site(root: &Path) -> (SiteFiles, Vec<Diagnostic>) {
    let mut walker = match Walker::new(root) {
        Ok(walker) if root.is_dir() => walker,
        _ => return (SiteFiles::default(), vec![Diagnostic::file(root, "site root not found: expected a directory")]),
    };
    let root = walker.root().to_path_buf();
    let mut errors = Vec::new();
    let mut files = SiteFiles::default();
    match walker.file(Path::new(CONFIG_FILE)) {
        Ok(Some(path)) => {
            match read_text_within(&path, Path::new(CONFIG_FILE), MAX_CONFIG_BYTES, "the configuration") {
                Ok(text) => files.config = Some(text),
                Err(e) => errors.push(e),
            }
        }
        Ok(None) => {}
        Err(e) => errors.push(e),
    }
    let mut wanted = Vec::new();
    let mut beside = Vec::new();
    for entry in walker.files_under(Path::new("content"), &mut errors) {
        match classify_content(&entry) {
            Ok(Content::Page(section, slug)) => wanted.push((entry, section, slug)),
            Ok(Content::Beside) => beside.push(entry),
            Err(e) => errors.push(e),
        }
    }
    // A folder with an `index.md` is one page with its files: no other page is inside it.
    let bundles: BTreeSet<PathBuf> = wanted
        .iter()
        .filter(|(path, ..)| is_bundle_index(path))
        .filter_map(|(path, ..)| Some(path.parent()?.to_path_buf()))
        .collect();
    wanted.retain(|(path, ..)| match enclosing_bundle(path, |folder| bundles.contains(folder)) {
        Some(folder) => {
            errors.push(page_in_bundle(path, folder));
            false
        }
        None => true,
    });
    let duplicates =
        duplicate_slugs(wanted.iter().map(|(path, section, slug)| (*section, slug.as_str(), path.as_path())));
    wanted.retain(|(path, ..)| !duplicates.iter().any(|d| d.path == *path));
    errors.extend(duplicates);
    files.project_files = wanted
        .iter()
        .filter(|(_, section, _)| *section == Section::Projects)
        .map(|(_, _, slug)| slug.clone())
        .collect();
    // Read in parallel (many small files), kept in path order.
    let read: Vec<Result<SourceFile, Diagnostic>> = wanted
        .into_par_iter()
        .map(|(path, section, slug)| {
            read_text(&root.join(&path), &path).map(|text| SourceFile { path, section, slug, text: text.into() })
        })
        .collect();
    for file in read {
        match file {
            Ok(file) => files.content.push(file),
            Err(e) => errors.push(e),
        }
    }
    let (bundle_files, bundle_errors) = read_bundle_files(&root, beside, &files.content, &bundles);
    files.bundle_files = bundle_files;
    errors.extend(bundle_errors);
    for entry in walker.files_under(Path::new("templates"), &mut errors) {
        match read_text_within(&root.join(&entry), &entry, MAX_TEMPLATE_BYTES, "a template") {
            Ok(text) => files.templates.push(asset(&entry, "templates", text.into_bytes())),
            Err(e) => errors.push(e),
        }
    }
    for entry in walker.files_under(Path::new("static"), &mut errors) {
        let read = static_name(&entry).and_then(|name| {
            let bytes = read_bytes(&root.join(&entry), &entry)?;
            Ok(SiteAsset { name, path: entry.clone(), bytes })
        });
        match read {
            Ok(asset) => files.static_files.push(asset),
            Err(e) => errors.push(e),
        }
    }
    files.through_links = walker.followed_links();
    let errors = errors.into_iter().map(|e| e.or_rule("file")).collect();
    (files, errors)
}

/// The output path of the static file at `path` (`static/img/a.png` → `img/a.png`), or why it
/// cannot be published under that name.
fn static_name(path: &Path) -> Result<String, Diagnostic> {
    let below = path.strip_prefix("static").unwrap_or(path);
    let mut parts = Vec::new();
    for part in below.components() {
        let Some(part) = part.as_os_str().to_str() else {
            return Err(Diagnostic::file(path, "cannot publish this file: its name is not valid UTF-8")
                .with_hint("rename it with a UTF-8 name"));
        };
        parts.push(part);
    }
    let name = parts.join("/");
    if let Err(problem) = site_path::check(&name) {
        return Err(Diagnostic::file(path, format!("cannot publish this file: {problem}"))
            .with_hint("rename it with letters, digits, `-`, `_` and `.`"));
    }
    if name == site_path::MARKER {
        return Err(Diagnostic::file(
            path,
            "cannot publish this file: critique marks its output folders with this name",
        )
        .with_hint("remove it; the build writes its own"));
    }
    Ok(name)
}

/// A template file's asset: named by its path below `folder`, with `/` separators.
fn asset(path: &Path, folder: &str, bytes: Vec<u8>) -> SiteAsset {
    let name = path.strip_prefix(folder).unwrap_or(path);
    SiteAsset { name: name.to_string_lossy().replace('\\', "/"), path: path.to_path_buf(), bytes }
}

/// How every duplicate-slug error begins, so that a caller can recognise one.
pub const DUPLICATE_SLUG: &str = "duplicate slug";

/// An error for each of `files` (section, slug and path, in path order) whose section and
/// slug an earlier one has: the later path is the duplicate.
pub fn duplicate_slugs<'a>(files: impl IntoIterator<Item = (Section, &'a str, &'a Path)>) -> Vec<Diagnostic> {
    let mut seen: HashMap<(Section, &str), &Path> = HashMap::new();
    files
        .into_iter()
        .filter_map(|(section, slug, path)| match seen.entry((section, slug)) {
            Entry::Occupied(first) => Some(duplicate_slug(path, slug, first.get())),
            Entry::Vacant(slot) => {
                slot.insert(path);
                None
            }
        })
        .collect()
}

/// The error for `path`, whose slug `first` already has in the same section.
fn duplicate_slug(path: &Path, slug: &str, first: &Path) -> Diagnostic {
    let shown = first.to_string_lossy().replace('\\', "/");
    let message =
        format!("{DUPLICATE_SLUG} `{slug}`: {shown} already has it; expected each file name once per section");
    let error = Diagnostic::file(path, message).with_related([first.to_path_buf()]);
    if is_bundle_index(path) || is_bundle_index(first) {
        error.with_hint(format!("a page is either `{slug}.md` or the folder `{slug}/` with its index.md: keep one"))
    } else {
        error
    }
}

/// Reads one file of `content/` (`rel` relative to the root): `Ok(None)` when it no longer
/// exists or is a file the walk ignores, an error when it cannot be content or leaves the site.
pub fn load_content_file(root: &Path, rel: &Path) -> Result<Option<SourceFile>, Diagnostic> {
    if is_skipped(rel) {
        return Ok(None);
    }
    let walker = Walker::new(root).map_err(|e| io_error(rel, &e))?;
    let Some(full) = walker.file(rel)? else {
        return Ok(None);
    };
    let (section, slug) = classify(rel)?;
    let text = read_text(&full, rel)?;
    Ok(Some(SourceFile { path: rel.to_path_buf(), section, slug, text: text.into() }))
}

/// The files at or below `rel` (a file, a folder, or nothing any more), relative to `root`,
/// found as [`load_site`] finds them (the same links followed, the same names skipped), with
/// an error for each path that cannot be read.
pub fn files_under(root: &Path, rel: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    match Walker::new(root) {
        Ok(mut walker) => (walker.files_under(rel, &mut errors), errors),
        Err(e) => (Vec::new(), vec![io_error(rel, &e)]),
    }
}

/// Whether `rel` (or the nearest of its folders that exists) is reached through a symbolic
/// link, so that a change there can stand for files elsewhere in the site.
pub fn through_link(root: &Path, rel: &Path) -> bool {
    Walker::new(root).map_or(true, |walker| walker.through_link(rel))
}

/// The section a path under `content/` (a file or a folder) is in, if any.
pub fn section_of(rel: &Path) -> Option<Section> {
    let name = rel.components().nth(1)?.as_os_str().to_str()?;
    Section::ALL.iter().find(|(_, folder)| *folder == name).map(|(s, _)| *s)
}

/// The slug of a project file's path, for `SiteFiles::project_files`.
pub fn project_slug(rel: &Path) -> Option<String> {
    classify(rel).ok().filter(|(section, _)| *section == Section::Projects).map(|(_, slug)| slug)
}

/// Files a walk of `content/` or `templates/` skips: hidden files and the leftovers of editors
/// and systems ([`is_leftover`]).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_leftover(name)
}

/// Whether a walk skips `rel` (relative to the root): a name in it that the walk of its folder
/// ignores. The one test of build, check and `serve`'s watcher, so that a temporary file an
/// editor saves through is nothing to any of them.
pub fn is_skipped(rel: &Path) -> bool {
    let skip = walk::skip_for(rel);
    rel.components().any(|c| skip(&c.as_os_str().to_string_lossy()))
}

/// Whether `path` is `dir` or lies under it, both relative paths as loading makes them (no
/// `.` or doubled `/`). Bytes are compared first: `Path::starts_with` walks components, and
/// `serve` asks this of every content file on every edit.
pub fn is_under(path: &Path, dir: &Path) -> bool {
    path.as_os_str().as_encoded_bytes().starts_with(dir.as_os_str().as_encoded_bytes()) && path.starts_with(dir)
}

/// What editors and systems leave beside the files they save or list: backups (`a.md~`,
/// `a.bak`), temporary files saved through (`a.md.tmp`, JetBrains' `a.md___jb_tmp___` and
/// `___jb_old___`), locks and swap files (`.#a.md`, `#a.md#`, `.a.md.swp`), vim's `4913`
/// probe, and folder metadata (`.DS_Store`, `Thumbs.db`).
pub fn is_leftover(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", "___jb_tmp___", "___jb_old___"].iter().any(|s| name.ends_with(s))
        || ["4913", ".DS_Store", "Thumbs.db"].contains(&name)
}

/// Files a walk of `static/` skips: static files are copied as they are, dotfiles such as
/// `.well-known/` and `.nojekyll` included, but not editor or version-control leftovers.
fn is_ignored_static(name: &str) -> bool {
    // A folder of the site may well be `4913` (an issue, a year): vim's probe is only a probe
    // where content is edited.
    (is_leftover(name) && name != "4913") || name == ".git"
}

/// Whether `path` names a Markdown file (`.md`, `.markdown`).
pub fn is_markdown(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}

fn io_error(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_folder_or_the_file_itself() {
        let under = |p: &str, d: &str| is_under(Path::new(p), Path::new(d));
        assert!(under("content/reviews/a.md", "content/reviews"));
        assert!(under("content/reviews/a.md", "content/reviews/"));
        assert!(under("content/reviews/a.md", "content/reviews/a.md"));
        assert!(!under("content/reviews-old/a.md", "content/reviews"), "a shared prefix is not a folder");
        assert!(!under("content/reviews/a.md", "content/reviews/a"));
        assert!(!under("content/projects/a.md", "content/reviews"));
    }

    #[test]
    fn invalid_utf8_is_positioned() {
        let err = text_from_bytes(b"ok\nab\xff".to_vec(), Path::new("a.md")).expect_err("invalid");
        assert_eq!((err.line, err.col), (2, 3));
    }

    #[test]
    fn binary_is_rejected_and_bom_dropped() {
        assert!(text_from_bytes(b"x\0y".to_vec(), Path::new("a.md")).is_err());
        let text = text_from_bytes("\u{feff}---".as_bytes().to_vec(), Path::new("a.md")).expect("text");
        assert_eq!(text, "---");
    }

    #[test]
    fn classify_checks_section_extension_and_slug() {
        let ok = classify(Path::new("content/reviews/a-b.md")).expect("valid");
        assert_eq!(ok, (Section::Reviews, "a-b".to_string()));
        assert!(classify(Path::new("content/blog/a.md")).is_err());
        assert!(classify(Path::new("content/a.md")).is_err());
        assert!(classify(Path::new("content/reviews/a.png")).is_err());
        let bad = classify(Path::new("content/reviews/My Review.md")).expect_err("not a slug");
        assert_eq!(bad.hint.as_deref(), Some("rename it to `my-review.md`"));
    }

    #[test]
    fn editor_files_are_ignored() {
        let leftovers = [
            "a.md~",
            ".#a.md",
            "#a.md#",
            ".a.md.swp",
            "4913",
            "a.md.tmp",
            "a.bak",
            "a.md___jb_tmp___",
            "a.md___jb_old___",
            ".DS_Store",
            "Thumbs.db",
        ];
        for name in leftovers.iter().chain(&[".hidden"]) {
            assert!(is_ignored(name), "{name}");
        }
        for name in leftovers.iter().filter(|n| **n != "4913") {
            assert!(is_ignored_static(name), "{name}");
        }
        assert!(!is_ignored_static("4913"), "a folder of the site may be named so");
        assert!(is_skipped(Path::new("critique.toml~")) && is_skipped(Path::new("4913")));
        assert!(!is_ignored("a.md") && !is_ignored("a.markdown") && !is_ignored("49130.md"));
        assert!(!is_ignored_static(".nojekyll") && !is_ignored_static(".well-known"));
        assert!(is_skipped(Path::new("content/reviews/a.md.tmp")) && is_skipped(Path::new("content/.x/a.md")));
        assert!(!is_skipped(Path::new("content/reviews/a.md")) && !is_skipped(Path::new("static/.well-known/x")));
    }
}
