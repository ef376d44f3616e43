//! Markdown images as pages show them: the site's own images (a page bundle's, `static/`'s)
//! with their `width` and `height`, narrower copies in `srcset` for wide ones, `loading="lazy"`
//! for all but the first, and an image with a title alone in its paragraph as a `<figure>`
//! with its caption. An image the page names beside it that is not there, or cannot be read,
//! is an error at its line.

use serde::Serialize;

use super::{MarkdownOptions, html_escape, site_url};
use crate::pictures::{self, Picture, Pictures};
use crate::scheme::{self, Target};

/// The site's images, and where the page rendered finds those it names relatively.
#[derive(Debug, Clone, Copy)]
pub struct PageImages<'a> {
    /// Every image of the site's bundles and static folder.
    pub pictures: &'a Pictures,
    /// The output folder of the page by its file's name (`reviews/x/`), where images named
    /// relatively are looked for.
    pub folder: &'a str,
    /// The output folder of the page at its address (`slug:` applied), where its bundle's files
    /// are published: images are linked there from the site's root, so that a summary shown
    /// on a listing or in a feed still finds them.
    pub published: &'a str,
}

/// An image the body names that the page cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageError {
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// One image of a body, read whole.
pub(super) struct ImageRead<'s> {
    /// Its target as written.
    pub(super) dest: &'s str,
    /// Its title (a figure's caption).
    pub(super) title: &'s str,
    /// Its text alternative, the text of the events inside it.
    pub(super) alt: &'s str,
    /// Where it starts in the body.
    pub(super) line: usize,
    pub(super) col: usize,
}

/// What a body's images came to, beyond their HTML.
#[derive(Debug, Default)]
pub(super) struct ImageNotes {
    /// Images made so far: the first is not lazy.
    pub(super) made: usize,
    pub(super) errors: Vec<ImageError>,
    /// Where images without a text alternative start, for `check`.
    pub(super) without_alt: Vec<(usize, usize)>,
    /// The output paths (by file names) of the images shown with narrower copies.
    pub(super) with_copies: Vec<String>,
}

/// The HTML of `image` (as a `<figure>` with its title as caption when `figure`), noting in
/// `notes` what is wrong with it.
pub(super) fn image_html(
    image: &ImageRead<'_>,
    figure: bool,
    options: MarkdownOptions<'_>,
    images: PageImages<'_>,
    notes: &mut ImageNotes,
) -> String {
    let mut src = site_url(image.dest, options).unwrap_or_else(|| image.dest.to_string());
    if image.alt.trim().is_empty() {
        notes.without_alt.push((image.line, image.col));
    }
    let picture = match find(image.dest, images, options) {
        Found::Picture(path, picture) => {
            // From the site's root, where the page is published, its name escaped as a URL.
            let published = match path.strip_prefix(images.folder) {
                Some(name) => format!("{}{name}", images.published),
                None => path.clone(),
            };
            // A URL with a query or a fragment is the writer's own: kept, and no copies are
            // named after it.
            let own = image.dest.contains(['?', '#']);
            if !own {
                let rooted = format!("/{}", crate::urls::percent_encode_path(&published));
                src = site_url(&rooted, options).unwrap_or(rooted);
                if !picture.copies().is_empty() && !notes.with_copies.contains(&path) {
                    notes.with_copies.push(path);
                }
            }
            Some((picture, own))
        }
        Found::Elsewhere => None,
        Found::Missing(message, hint) | Found::Unreadable(message, hint) => {
            notes.errors.push(ImageError { line: image.line, col: image.col, message, hint });
            None
        }
    };
    let mut img = format!("<img src=\"{}\" alt=\"{}\"", html_escape(&src), html_escape(image.alt));
    let mut sources = String::new();
    if let Some((picture, own)) = picture {
        img.push_str(&format!(" width=\"{}\" height=\"{}\"", picture.width, picture.height));
        if !own {
            let (plain, webp) = pictures::srcsets(&src, picture);
            if !plain.is_empty() {
                img.push_str(&format!(" srcset=\"{}\" sizes=\"{}\"", html_escape(&plain), pictures::SIZES));
            }
            if !webp.is_empty() {
                sources = format!(
                    "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                    html_escape(&webp),
                    pictures::SIZES
                );
            }
        }
    }
    if notes.made > 0 {
        img.push_str(" loading=\"lazy\"");
    }
    notes.made += 1;
    img.push_str(" decoding=\"async\"");
    if !image.title.is_empty() && !figure {
        img.push_str(&format!(" title=\"{}\"", html_escape(image.title)));
    }
    img.push('>');
    let shown = if sources.is_empty() { img } else { format!("<picture>{sources}{img}</picture>") };
    if figure {
        format!("<figure>{shown}<figcaption>{}</figcaption></figure>\n", html_escape(image.title))
    } else {
        shown
    }
}

/// What an image's target is.
enum Found<'p> {
    /// One of the site's images, and its output path.
    Picture(String, &'p Picture),
    /// Another site's, or a path of the output critique does not read (a generated file).
    Elsewhere,
    /// A file beside the page that is not there: why, and what to do.
    Missing(String, String),
    /// A file that is not an image it says it is.
    Unreadable(String, String),
}

/// The image `dest` names, from a page in `images.folder`.
fn find<'p>(dest: &str, images: PageImages<'p>, options: MarkdownOptions<'_>) -> Found<'p> {
    if scheme::classify(dest) != Target::Relative {
        return Found::Elsewhere;
    }
    let path = dest.split(['?', '#']).next().unwrap_or_default();
    let Some(path) = crate::urls::percent_decode(path) else { return Found::Elsewhere };
    let (folder, source_dir) = (images.folder, options.source_dir);
    if pictures::Format::of_name(&path).is_none() {
        return Found::Elsewhere;
    }
    let from_root = path.starts_with('/');
    let resolved = match path.strip_prefix('/') {
        Some(rooted) => crate::urls::normalize(rooted),
        None => crate::urls::normalize(&format!("{folder}{path}")),
    };
    let shown = crate::diagnostic::display_path(std::path::Path::new(dest));
    match resolved.as_deref().and_then(|p| Some((p, images.pictures.get(p)?))) {
        Some((path, Ok(picture))) => Found::Picture(path.to_string(), picture),
        Some((_, Err(why))) => {
            let (message, hint) = unreadable(&format!("image `{shown}`"), why);
            Found::Unreadable(message, hint)
        }
        // A root-relative path may be a file the build makes (a social card): the link check's.
        None if from_root => Found::Elsewhere,
        None => {
            let (message, hint) = not_beside(&format!("image `{shown}`"), source_dir);
            Found::Missing(message, hint)
        }
    }
}

/// Why the picture `what` (`` image `x.png` ``, `` `cover` `x.png` ``), named from a page whose
/// links start in `source_dir`, is not beside it, and what to do.
pub fn not_beside(what: &str, source_dir: &str) -> (String, String) {
    // A bundle's Markdown is in a folder of its section (`reviews/x`), a page's own file in the
    // section's (`reviews`).
    if source_dir.contains('/') {
        return (
            format!("{what} not found beside this page"),
            format!("put the image in content/{source_dir}/, beside index.md"),
        );
    }
    let hint = if matches!(source_dir, "reviews" | "projects" | "pages") {
        format!(
            "a page with its images is a folder: move the page to content/{source_dir}/<slug>/index.md and put the image beside it"
        )
    } else {
        "put the image in static/ and name it from the site's root (`/pictures/x.png`)".to_string()
    };
    (format!("{what} not found: this page has no folder of its own"), hint)
}

/// Why the picture `what` cannot be shown (`why`: what is wrong with its file), and what to do.
pub fn unreadable(what: &str, why: &str) -> (String, String) {
    (format!("{what} cannot be shown: {why}"), "replace the file with a PNG, JPEG, GIF, WebP or SVG image".to_string())
}
