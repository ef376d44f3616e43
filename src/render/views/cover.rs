//! A review's or project's `cover:` as its page shows it: sized, with its copies.

use serde::Serialize;

use crate::parse::Cover;
use crate::pictures;

/// The picture at the top of a page (`partials/cover.html`).
#[derive(Debug, Clone, Serialize)]
pub struct CoverView {
    /// Relative to the page (it is beside it).
    src: String,
    width: u32,
    height: u32,
    /// Its own format's copies and itself, when it has copies.
    srcset: String,
    /// Its WebP copies, if any.
    webp_srcset: String,
    /// The `sizes` of both sets.
    sizes: &'static str,
}

impl CoverView {
    /// The view of `cover`.
    pub fn new(cover: &Cover) -> Self {
        // A link to the file, which may be named with a space, `#` or `,`.
        let src = crate::urls::percent_encode_path(&cover.name);
        let (srcset, webp_srcset) = pictures::srcsets(&src, &cover.picture);
        CoverView {
            src,
            width: cover.picture.width,
            height: cover.picture.height,
            srcset,
            webp_srcset,
            sizes: pictures::SIZES,
        }
    }
}
