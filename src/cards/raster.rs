//! A card's SVG rasterised to PNG: parsed with the shipped fonts only (no font, image or file
//! of the machine is read), drawn, and written as opaque 8-bit RGB.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{ImageHrefResolver, Options, Tree};

use super::draw::{HEIGHT, WIDTH};
use super::fonts;

/// Why a card could not be drawn: a fault of critique's, never of the site's.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The card's SVG did not parse.
    #[error("the card's SVG did not parse: {0}")]
    Svg(String),
    /// The PNG encoder failed.
    #[error("the card's PNG could not be written: {0}")]
    Png(String),
}

/// `svg` (of [`WIDTH`]×[`HEIGHT`]) as PNG bytes.
pub fn png(svg: &str) -> Result<Vec<u8>, RasterError> {
    let options = Options {
        fontdb: fonts::database(),
        font_family: fonts::FAMILY.to_string(),
        // Cards hold no pictures: nothing an `href` names is read.
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..Options::default()
    };
    let tree = Tree::from_str(svg, &options).map_err(|e| RasterError::Svg(e.to_string()))?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| RasterError::Svg("no room for the picture".into()))?;
    resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
    // The background is opaque: premultiplied colours are the colours, and alpha is dropped.
    // A card has a few flat colours and their blends at the edges: most fit a palette of
    // 256, a third of the bytes to compress (and a third of the file) of RGB.
    let pixels = pixmap.data().chunks_exact(4).map(|p| [p[0], p[1], p[2]]);
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_depth(png::BitDepth::Eight);
    // Fast: a few percent larger than the default, in a fifth of its time.
    encoder.set_compression(png::Compression::Fast);
    let data = match palette(pixels.clone()) {
        Some((palette, indices)) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette);
            indices
        }
        None => {
            encoder.set_color(png::ColorType::Rgb);
            pixels.flatten().collect()
        }
    };
    let mut writer = encoder.write_header().map_err(|e| RasterError::Png(e.to_string()))?;
    writer.write_image_data(&data).map_err(|e| RasterError::Png(e.to_string()))?;
    writer.finish().map_err(|e| RasterError::Png(e.to_string()))?;
    Ok(bytes)
}

/// The colours of `pixels` as a palette (RGB triples) and each pixel's index into it, when
/// there are at most 256 of them.
fn palette(pixels: impl Iterator<Item = [u8; 3]>) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: crate::hash::FastMap<[u8; 3], u8> = crate::hash::FastMap::default();
    let mut palette = Vec::with_capacity(256 * 3);
    let mut indices = Vec::with_capacity((WIDTH * HEIGHT) as usize);
    let mut last: Option<([u8; 3], u8)> = None;
    for pixel in pixels {
        // Runs of one colour are most of a card.
        let at = match last {
            Some((colour, at)) if colour == pixel => at,
            _ => {
                let next = index.len();
                let at = match index.get(&pixel) {
                    Some(&at) => at,
                    None => {
                        let at = u8::try_from(next).ok()?;
                        index.insert(pixel, at);
                        palette.extend_from_slice(&pixel);
                        at
                    }
                };
                last = Some((pixel, at));
                at
            }
        };
        indices.push(at);
    }
    Some((palette, indices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::{Card, CardStrip};

    #[test]
    fn a_card_is_a_png_of_its_size() {
        let card = Card {
            site: "Critique of AI hosting".into(),
            kind: "Review".into(),
            title:
                "Says it decentralizes AI hosting — but who controls the upgrades, and who is accountable at 2 a.m.?"
                    .into(),
            subtitle: "OpenGradient · by Ada Reviewer and Bo Critic".into(),
            badge: Some("Overstated".into()),
            warning: Some("Under review".into()),
            scale: (0.0, 10.0),
            strips: ["Cheaper", "Faster", "More reliable", "Easier to use", "Decentralization", "Accountability"]
                .iter()
                .enumerate()
                .map(|(i, label)| CardStrip {
                    label: (*label).into(),
                    dots: vec![i as f64, 5.0, 9.0 - i as f64],
                    median: Some(5.0),
                })
                .collect(),
        };
        let bytes = png(&card.svg()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
    }
}
