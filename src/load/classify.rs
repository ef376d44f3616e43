//! What a file under `content/` is: a page's Markdown (named by its file, or by its folder
//! when it is a bundle's `index.md`), a file beside a page, or an error.

use std::path::Path;

use super::{Section, is_bundle_index, is_markdown};
use crate::diagnostic::Diagnostic;

/// What a file under `content/` is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Content {
    /// A page's Markdown: `<section>/<slug>.md`, or a bundle's `<section>/<slug>/index.md`
    /// (in any folder of its section).
    Page(Section, String),
    /// Another file in a folder of a section: a file of the bundle it is in, if it is in one.
    Beside,
}

/// The section and slug of a page's Markdown file under `content/`, or why it cannot be one.
pub(super) fn classify(path: &Path) -> Result<(Section, String), Diagnostic> {
    match classify_content(path)? {
        Content::Page(section, slug) => Ok((section, slug)),
        Content::Beside => Err(Diagnostic::file(path, "not a Markdown file: expected a `.md` file here")),
    }
}

/// What the file at `path` under `content/` is, or why it cannot be content.
pub(super) fn classify_content(path: &Path) -> Result<Content, Diagnostic> {
    let parts: Vec<String> = path.components().skip(1).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let section =
        parts.first().and_then(|name| Section::ALL.iter().find(|(_, folder)| folder == name)).map(|(s, _)| *s);
    let Some(section) = section.filter(|_| parts.len() > 1) else {
        return Err(Diagnostic::file(
            path,
            "file outside a content section: expected it under content/projects/, content/reviews/, content/pages/ or content/authors/",
        ));
    };
    if is_bundle_index(path) {
        let folder = parts[parts.len() - 2].as_str();
        let slug = checked_slug(path, folder, "folder name", |slug| format!("rename the folder to `{slug}`"))?;
        if !matches!(section, Section::Reviews | Section::Projects | Section::Pages) {
            return Err(Diagnostic::file(
                path,
                format!(
                    "a page folder in content/{}/: only reviews, projects and pages can be folders with their files",
                    section.folder()
                ),
            )
            .with_hint(format!("make it content/{}/{slug}.md", section.folder())));
        }
        return Ok(Content::Page(section, slug));
    }
    if is_markdown(path) {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        return checked_slug(path, &stem, "file name", |slug| format!("rename it to `{slug}.md`"))
            .map(|slug| Content::Page(section, slug));
    }
    if parts.len() == 2 {
        return Err(Diagnostic::file(path, "not a Markdown file: expected a `.md` or `.markdown` file here")
            .with_hint(format!(
                "put images beside a page in its own folder (content/{}/<slug>/index.md), or in static/",
                section.folder()
            )));
    }
    Ok(Content::Beside)
}

/// `stem` (a file's or a folder's name, `what`) as a slug, or an error at `path` with
/// `rename`'s hint.
fn checked_slug(path: &Path, stem: &str, what: &str, rename: impl Fn(&str) -> String) -> Result<String, Diagnostic> {
    let slug = slug::slugify(stem);
    if slug == stem && !slug.is_empty() {
        return Ok(slug);
    }
    let hint = if slug.is_empty() { "use letters or digits in the name".to_string() } else { rename(&slug) };
    Err(Diagnostic::file(
        path,
        format!(
            "{what} `{}` is not a slug: expected lowercase letters, digits and `-`",
            crate::diagnostic::display_path(Path::new(stem))
        ),
    )
    .with_hint(hint))
}
