//! Narrower copies of wide images, made with the `image` crate and kept in a [`Store`] by the
//! hash of the image and the copy's shape, so that a rebuild decodes only new images.

use std::hash::Hasher;
use std::io::Cursor;

use bytes::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::{Copy, Format, Picture};
use crate::cache_store::Store;
use crate::hash::ContentHasher;

/// Changes when copies are made differently (filter, quality), so that the cache's older ones
/// are not taken.
const MAKING: &str = "catmull-rom jpeg-82 png-balanced webp-lossless 1";

/// JPEG copies' quality: about what a photograph shown on the web needs.
const JPEG_QUALITY: u8 = 82;

/// Why a copy could not be made: the image decodes no further than its header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot make a {width}-pixel copy of this image: {reason}")]
pub struct ResizeError {
    width: u32,
    reason: String,
}

/// The bytes of `copy` of the image `bytes` (read as `picture`): kept in `store` under a hash
/// of both, else made and kept there.
pub fn copy(bytes: &[u8], picture: &Picture, copy: Copy, store: &dyn Store) -> Result<Bytes, ResizeError> {
    let key = {
        let mut hasher = ContentHasher::default();
        hasher.write(MAKING.as_bytes());
        hasher.write(&picture.hash.to_le_bytes());
        hasher.write(&copy.width.to_le_bytes());
        hasher.write(&copy.height.to_le_bytes());
        hasher.write(&[u8::from(copy.webp)]);
        hasher.finish128()
    };
    // A kept file not of the copy's format and size (planted, or left by a mistake) is made
    // again.
    if let Some(kept) = store.get(key).filter(|kept| is_copy(kept, picture.format, copy)) {
        return Ok(kept);
    }
    let made =
        Bytes::from(make(bytes, picture.format, copy).map_err(|reason| ResizeError { width: copy.width, reason })?);
    store.put(key, &made);
    Ok(made)
}

/// Whether `bytes` are an image in the format of `copy` of a picture in `format`, of its size.
fn is_copy(bytes: &[u8], format: Format, copy: Copy) -> bool {
    let expected = if copy.webp { Some(image::ImageFormat::WebP) } else { format.raster() };
    let Some(expected) = expected.filter(|e| image::guess_format(bytes).ok() == Some(*e)) else { return false };
    ImageReader::with_format(Cursor::new(bytes), expected)
        .into_decoder()
        .is_ok_and(|decoder| decoder.dimensions() == (copy.width, copy.height))
}

fn make(bytes: &[u8], format: Format, copy: Copy) -> Result<Vec<u8>, String> {
    let format = format.raster().ok_or("not a raster image")?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format).into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let image = image.resize_exact(copy.width, copy.height, FilterType::CatmullRom);
    let mut out = Vec::new();
    let written = if copy.webp {
        image.to_rgba8().write_with_encoder(WebPEncoder::new_lossless(&mut out))
    } else if format == image::ImageFormat::Jpeg {
        image.to_rgb8().write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
    } else {
        image.write_with_encoder(PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive))
    };
    written.map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache_store::NoStore;

    #[test]
    fn copies_have_their_size_and_format() {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(1200, 600, image::Rgba([10, 20, 30, 255]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let picture = super::super::read("a.png", &png).expect("image").expect("readable");
        for wanted in picture.copies() {
            let made = copy(&png, &picture, wanted, &NoStore).expect("made");
            let read = image::load_from_memory(&made).expect("decodes");
            assert_eq!((read.width(), read.height()), (wanted.width, wanted.height));
            let format = image::guess_format(&made).expect("format");
            assert_eq!(format == image::ImageFormat::WebP, wanted.webp);
        }
        // A kept file of another size or format is made again.
        struct Planted(Bytes);
        impl Store for Planted {
            fn get(&self, _: u128) -> Option<Bytes> {
                Some(self.0.clone())
            }
            fn put(&self, _: u128, _: &Bytes) {}
        }
        let wanted = picture.copies()[0];
        let mut small = Vec::new();
        image::RgbaImage::new(7, 7).write_to(&mut Cursor::new(&mut small), image::ImageFormat::Png).expect("encode");
        for planted in [Bytes::from(small), Bytes::from_static(b"garbage")] {
            let made = copy(&png, &picture, wanted, &Planted(planted)).expect("made");
            assert_eq!(
                image::load_from_memory(&made).map(|i| (i.width(), i.height())).ok(),
                Some((wanted.width, wanted.height))
            );
        }
        let cut = &png[..png.len() / 2];
        assert!(copy(cut, &picture, picture.copies()[0], &NoStore).is_err(), "a truncated image is an error");
    }
}
