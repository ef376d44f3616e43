//! Pictures: the images a site's pages show, read once a build. Each image of a page bundle
//! or of `static/` is known by its output path (as the page's address by its file name has it:
//! `reviews/x/chart.png`, `img/logo.svg`) with its size, read from its header without
//! decoding it, so that Markdown can give every `<img>` its `width` and `height`. A raster image
//! wider than the theme's content column is published with narrower copies ([`resize`]).

mod resize;

use std::collections::HashMap;
use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use crate::cache_store::Kind;
use crate::load::{Section, SiteFiles};

pub use resize::{ResizeError, copies};

/// Resized copies as the cache keeps them.
pub const CACHED: Kind = Kind { folder: "images", extension: "img", max_bytes: 256 << 20, looks_right: is_image };

/// Whether `bytes` start as one of the formats copies are written in.
fn is_image(bytes: &[u8]) -> bool {
    matches!(image::guess_format(bytes), Ok(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP))
}

/// The width of the built-in theme's content column, in CSS pixels (`66rem` less its padding):
/// an image wider than this is shown narrower, and copies at the widths a screen shows save
/// readers the bytes of the rest.
pub const COLUMN: u32 = 1016;

/// The widths of an image's copies: a phone's column, the content column, twice the column
/// for dense screens. Only those narrower than the image are made.
const WIDTHS: [u32; 3] = [480, COLUMN, 2 * COLUMN];

/// The most pixels a PNG or JPEG critique makes copies of may have (a 10,000 × 10,000
/// photograph): decoding one takes about four bytes a pixel, and a few kilobytes of compressed
/// PNG can claim billions of them.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The `sizes` attribute of an image with copies: the column's width, less on a narrow screen.
pub const SIZES: &str = "(max-width: 66rem) calc(100vw - 2.5rem), 1016px";

/// The formats critique reads the size of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// PNG: copies in PNG and WebP (both lossless).
    Png,
    /// JPEG: copies in JPEG. A lossless WebP of a photograph is larger than its JPEG, and the
    /// `image` crate writes WebP only losslessly, so a JPEG gets no WebP copy.
    Jpeg,
    /// GIF: no copies (resizing keeps only the first frame of an animation).
    Gif,
    /// WebP: no copies (already the smaller format).
    Webp,
    /// SVG: scales by itself; its size is its `width` and `height` (or `viewBox`).
    Svg,
}

impl Format {
    /// The format a file name's extension says, if it is an image critique reads.
    pub fn of_name(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "png" => Format::Png,
            "jpg" | "jpeg" => Format::Jpeg,
            "gif" => Format::Gif,
            "webp" => Format::Webp,
            "svg" => Format::Svg,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::Webp => "WebP",
            Format::Svg => "SVG",
        }
    }

    fn raster(self) -> Option<ImageFormat> {
        match self {
            Format::Png => Some(ImageFormat::Png),
            Format::Jpeg => Some(ImageFormat::Jpeg),
            Format::Gif => Some(ImageFormat::Gif),
            Format::Webp => Some(ImageFormat::WebP),
            Format::Svg => None,
        }
    }
}

/// An image's size as a browser shows it (an EXIF rotation applied), and what its copies are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What the file holds.
    pub format: Format,
    /// The hash of its bytes: its copies' key in the cache.
    pub hash: u128,
}

/// A narrower copy of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copy {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels, in the picture's proportions.
    pub height: u32,
    /// Whether it is the WebP copy (else the picture's own format).
    pub webp: bool,
}

impl Picture {
    /// The narrower copies published beside the picture: none for an image no wider than the
    /// column, or one of a format without copies.
    pub fn copies(&self) -> Vec<Copy> {
        if self.width <= COLUMN || !matches!(self.format, Format::Png | Format::Jpeg) {
            return Vec::new();
        }
        let kinds: &[bool] = if self.format == Format::Png { &[false, true] } else { &[false] };
        let mut copies: Vec<Copy> = WIDTHS
            .iter()
            .filter(|&&w| w < self.width)
            .flat_map(|&width| {
                let height = scaled_height(self.width, self.height, width);
                kinds.iter().map(move |&webp| Copy { width, height, webp })
            })
            .collect();
        // The WebP copies go up to the picture's own width, as the original's do.
        if self.format == Format::Png {
            copies.push(Copy { width: self.width, height: self.height, webp: true });
        }
        copies
    }
}

/// The height of an image `width` × `height` shown `to` pixels wide, at least 1.
fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// The name of `copy` of the image at `path` (a URL path or a file name): `chart.png` →
/// `chart-w480.png` or `chart-w480.webp`. `None` for a path without an extension.
pub fn copy_name(path: &str, copy: Copy) -> Option<String> {
    let (stem, extension) = path.rsplit_once('.').filter(|(stem, _)| !stem.is_empty() && !stem.ends_with('/'))?;
    let extension = if copy.webp { "webp" } else { extension };
    Some(format!("{stem}-w{}.{extension}", copy.width))
}

/// The `srcset`s of `picture` shown from `src`: its own format's copies with the original,
/// and the WebP copies; each empty when it has none.
pub fn srcsets(src: &str, picture: &Picture) -> (String, String) {
    let copies = picture.copies();
    let set = |webp: bool| -> Vec<String> {
        let named = copies.iter().filter(|c| c.webp == webp);
        named.filter_map(|&c| Some(format!("{} {}w", copy_name(src, c)?, c.width))).collect()
    };
    let mut plain = set(false);
    if !plain.is_empty() {
        plain.push(format!("{src} {}w", picture.width));
    }
    (plain.join(", "), set(true).join(", "))
}

/// Every image of a site by its output path, or why it cannot be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pictures {
    by_path: HashMap<String, Result<Picture, String>>,
}

impl Pictures {
    /// The image at output path `path` (no leading `/`), or why it cannot be read; `None` when
    /// no bundle or static file is there, or it is not an image critique reads.
    pub fn get(&self, path: &str) -> Option<&Result<Picture, String>> {
        self.by_path.get(path)
    }

    /// Whether the site has no image.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The images of `files`' bundles and static folder, read in parallel.
    pub fn survey(files: &SiteFiles) -> Pictures {
        let bundles = files.bundle_files.par_iter().filter_map(|f| {
            let path = format!("{}{}", page_folder(f.section, &f.slug), f.name);
            Some((path, read(&f.name, &f.bytes)?))
        });
        let statics = files.static_files.par_iter().filter_map(|f| Some((f.name.clone(), read(&f.name, &f.bytes)?)));
        Pictures { by_path: bundles.chain(statics).collect() }
    }
}

/// The output folder of the page of `section` named `slug` by its file (`reviews/x/`, or a free
/// page's `x/`), where its bundle's files are found.
pub fn page_folder(section: Section, slug: &str) -> String {
    match section {
        Section::Pages => format!("{slug}/"),
        other => format!("{}/{slug}/", other.folder()),
    }
}

/// The size of the image named `name` holding `bytes`, or why it cannot be read; `None` when
/// the name is not one of an image critique reads.
pub fn read(name: &str, bytes: &[u8]) -> Option<Result<Picture, String>> {
    let format = Format::of_name(name)?;
    let hash = {
        let mut hasher = crate::hash::ContentHasher::default();
        std::hash::Hasher::write(&mut hasher, bytes);
        hasher.finish128()
    };
    Some(size(format, bytes).map(|(width, height)| Picture { width, height, format, hash }))
}

/// The width and height of an image in `format`, as a browser shows it.
fn size(format: Format, bytes: &[u8]) -> Result<(u32, u32), String> {
    let Some(expected) = format.raster() else {
        return svg_size(bytes);
    };
    let found = image::guess_format(bytes).map_err(|_| format!("not a {} image", format.name()))?;
    if found != expected {
        return Err(format!(
            "the file holds a {} image, not a {}: expected the extension to say what it is",
            found.extensions_str().first().copied().unwrap_or("different").to_ascii_uppercase(),
            format.name()
        ));
    }
    // Only the header is read: a PNG cut short (a copy or download that stopped) is told by
    // its missing end chunk.
    const IEND: &[u8] = b"IEND\xAE\x42\x60\x82";
    if format == Format::Png && !bytes.windows(IEND.len()).rev().any(|w| w == IEND) {
        return Err("this PNG image is cut short: it has no end (`IEND`) chunk".to_string());
    }
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), expected)
        .into_decoder()
        .map_err(|e| format!("cannot read this {} image: {e}", format.name()))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(format!("this {} image is empty ({width} × {height})", format.name()));
    }
    // Its copies are made from it decoded whole: a size a build could not hold is refused.
    if matches!(format, Format::Png | Format::Jpeg) && u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "this {} image is {width} × {height} pixels, more than the {} million critique resizes: expected a smaller image",
            format.name(),
            MAX_PIXELS / 1_000_000
        ));
    }
    // A photograph taken sideways is shown turned, as its EXIF orientation says.
    let turned = decoder.orientation().is_ok_and(|o| {
        use image::metadata::Orientation::*;
        matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    });
    Ok(if turned { (height, width) } else { (width, height) })
}

/// The size of an SVG image: its `width` and `height`, or its `viewBox`'s.
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    use resvg::usvg::{ImageHrefResolver, Options, Tree, roxmltree};
    const NO_SIZE: &str = "this SVG image has no size: expected `width` and `height` or a `viewBox`";
    // Only its size is wanted: nothing an `<image href>` names is read (a path there could
    // be any file of the machine).
    let options = Options {
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Options::default()
    };
    let text =
        std::str::from_utf8(bytes).map_err(|_| "cannot read this SVG image: it is not UTF-8 text".to_string())?;
    // As usvg parses it, DTD (its entities, bounded) allowed.
    let xml = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    let document =
        roxmltree::Document::parse_with_options(text, xml).map_err(|e| format!("cannot read this SVG image: {e}"))?;
    // Without a `viewBox`, a missing or relative `width` or `height` is a size usvg makes up
    // (100 pixels, or what the drawing covers), not the image's.
    let root = document.root_element();
    let absolute = |name: &str| root.attribute(name).is_some_and(|v| !v.trim().ends_with('%'));
    if root.attribute("viewBox").is_none() && !(absolute("width") && absolute("height")) {
        return Err(NO_SIZE.to_string());
    }
    let tree = Tree::from_xmltree(&document, &options).map_err(|e| format!("cannot read this SVG image: {e}"))?;
    let size = tree.size();
    let round = |v: f32| if v.is_finite() && v >= 1.0 && v < u32::MAX as f32 { Some(v.round() as u32) } else { None };
    match (round(size.width()), round(size.height())) {
        (Some(width), Some(height)) => Ok((width, height)),
        _ => Err(NO_SIZE.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::new(width, height).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).expect("encode");
        bytes
    }

    #[test]
    fn sizes_are_read_and_mislabelled_files_refused() {
        let picture = read("a.png", &png(30, 20)).expect("an image").expect("readable");
        assert_eq!((picture.width, picture.height, picture.format), (30, 20, Format::Png));
        assert!(read("a.txt", b"x").is_none(), "not an image name");
        let wrong = read("a.jpg", &png(3, 2)).expect("an image name").expect_err("a PNG named .jpg");
        assert!(wrong.contains("holds a PNG image"), "{wrong}");
        assert!(read("a.png", b"\x89PNG\r\n\x1a\nbroken").expect("name").is_err());
        assert!(read("a.png", b"").expect("name").is_err());
        let whole = png(30, 20);
        let cut = read("a.png", &whole[..whole.len() - 20]).expect("name").expect_err("cut short");
        assert!(cut.contains("cut short"), "{cut}");
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"></svg>"#;
        assert_eq!(read("a.svg", svg).expect("name").map(|p| (p.width, p.height)), Ok((40, 10)));
        assert!(read("a.svg", b"<html>").expect("name").is_err());
    }

    #[test]
    fn huge_images_and_svgs_without_a_size_are_refused() {
        // A PNG header claiming 100,000 × 100,000 pixels over a few bytes of data.
        let mut bomb = Vec::new();
        let mut writer = png::Encoder::new(&mut bomb, 100_000, 100_000).write_header().expect("a header");
        writer.write_chunk(png::chunk::IDAT, &[0x78, 0x9c]).expect("a chunk");
        drop(writer);
        let why = read("a.png", &bomb).expect("an image name").expect_err("too large");
        assert!(why.contains("100000 × 100000 pixels"), "{why}");
        for no_size in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="40"></svg>"#,
        ] {
            let why = read("a.svg", no_size.as_bytes()).expect("an image name").expect_err(no_size);
            assert!(why.contains("has no size"), "{no_size}: {why}");
        }
        let sized = br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"></svg>"#;
        assert_eq!(read("a.svg", sized).expect("name").map(|p| (p.width, p.height)), Ok((40, 10)));
        let half = br#"<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0 0 40 10"></svg>"#;
        assert_eq!(read("a.svg", half).expect("name").map(|p| (p.width, p.height)), Ok((20, 5)));
    }

    #[test]
    fn only_wide_pngs_and_jpegs_have_copies() {
        let picture = |width, format| Picture { width, height: 1000, format, hash: 0 };
        assert!(picture(COLUMN, Format::Png).copies().is_empty());
        assert!(picture(3000, Format::Gif).copies().is_empty());
        let widths = |p: Picture| p.copies().iter().map(|c| (c.width, c.webp)).collect::<Vec<_>>();
        assert_eq!(widths(picture(1200, Format::Jpeg)), [(480, false), (COLUMN, false)]);
        assert_eq!(
            widths(picture(1200, Format::Png)),
            [(480, false), (480, true), (COLUMN, false), (COLUMN, true), (1200, true)]
        );
        assert_eq!(picture(2000, Format::Png).copies()[0].height, 240);
        assert_eq!(
            copy_name("/sub/reviews/x/a.b.png", Copy { width: 480, height: 1, webp: true }).as_deref(),
            Some("/sub/reviews/x/a.b-w480.webp")
        );
        assert_eq!(copy_name("dir/.png", Copy { width: 480, height: 1, webp: false }), None);
    }
}
