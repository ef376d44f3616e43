//! A review's or project's `cover:`: the picture of its folder at the top of its page.

use serde_saphyr::Spanned;

use super::Located;
use crate::diagnostic::Diagnostic;
use crate::locate::Step;
use crate::markdown::{self, MarkdownOptions};

/// A review's or project's `cover:`: a picture of its bundle, shown at the top of its page and
/// on shared links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// Its file name in the bundle, as written (a link relative to the page).
    pub name: String,
    /// Its output path by the page's file name, as Markdown images find it.
    pub key: String,
    /// Its size and copies.
    pub picture: crate::pictures::Picture,
}

/// The `cover` of the file at `source` (its `value`, found with `markdown`'s images), or why it
/// cannot be shown.
pub(super) fn cover(
    value: Option<&Spanned<String>>,
    source: &Located,
    markdown: MarkdownOptions<'_>,
) -> Result<Option<Cover>, Vec<Diagnostic>> {
    let (Some(value), Some(images)) = (value, markdown.images) else { return Ok(None) };
    let name = value.value.trim();
    let at = |message: String, hint: &str| vec![source.error(value, &[Step::Key("cover")], message).with_hint(hint)];
    let plain =
        !name.is_empty() && crate::site_path::check(name).is_ok() && crate::pictures::Format::of_name(name).is_some();
    if !plain {
        return Err(at(
            format!("`cover` `{}` is not an image file's name", name.escape_debug()),
            "name a PNG, JPEG, GIF, WebP or SVG file beside the page (`content/reviews/<slug>/cover.jpg`)",
        ));
    }
    let key = format!("{}{name}", images.folder);
    match images.pictures.get(&key) {
        Some(Ok(picture)) => Ok(Some(Cover { name: name.to_string(), key, picture: picture.clone() })),
        Some(Err(why)) => {
            let (message, hint) = markdown::unreadable(&format!("`cover` `{name}`"), why);
            Err(at(message, &hint))
        }
        None => {
            let (message, hint) = markdown::not_beside(&format!("`cover` `{name}`"), markdown.source_dir);
            Err(at(message, &hint))
        }
    }
}
