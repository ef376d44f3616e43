//! Narrower copies of wide images, made with the `image` crate and kept in a [`Store`] by the
//! hash of the image and the copy's shape, so that a rebuild decodes only new images.

use std::hash::Hasher;
use std::io::Cursor;

use bytes::Bytes;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;

use super::{Copy, Format, Picture};
use crate::cache_store::Store;
use crate::hash::ContentHasher;

/// Changes when copies are made differently (filter, quality), so that the cache's older ones
/// are not taken.
const MAKING: &str = "catmull-rom jpeg-82 png-balanced webp-lossless 2";

/// JPEG copies' quality: about what a photograph shown on the web needs.
const JPEG_QUALITY: u8 = 82;

/// Why a copy could not be made: the image decodes no further than its header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot make a {width}-pixel copy of this image: {reason}")]
pub struct ResizeError {
    width: u32,
    reason: String,
}

/// The bytes of each of `copies` of the image `bytes` (read as `picture`): those kept in
/// `store` under a hash of both, the others made (the image decoded once for them all, in
/// parallel) and kept there.
pub fn copies(bytes: &[u8], picture: &Picture, copies: &[Copy], store: &dyn Store) -> Vec<Result<Bytes, ResizeError>> {
    let keys: Vec<u128> = copies.iter().map(|copy| key(picture, *copy)).collect();
    // A kept file not of the copy's format and size (planted, or left by a mistake) is made
    // again.
    let kept: Vec<Option<Bytes>> = keys
        .iter()
        .zip(copies)
        .map(|(&key, &copy)| store.get(key).filter(|kept| is_copy(kept, picture.format, copy)))
        .collect();
    if kept.iter().all(Option::is_some) {
        return kept.into_iter().flatten().map(Ok).collect();
    }
    let decoded = decode(bytes, picture.format);
    kept.into_par_iter()
        .zip(copies.par_iter().zip(&keys))
        .map(|(kept, (&copy, &key))| {
            if let Some(kept) = kept {
                return Ok(kept);
            }
            let fail = |reason: String| ResizeError { width: copy.width, reason };
            let image = decoded.as_ref().map_err(|e| fail(e.clone()))?;
            let made = Bytes::from(encode(&resized(image, copy).map_err(fail)?, picture.format, copy).map_err(fail)?);
            store.put(key, &made);
            Ok(made)
        })
        .collect()
}

/// Whether `bytes` are an image in the format of `copy` of a picture in `format`, of its size.
fn is_copy(bytes: &[u8], format: Format, copy: Copy) -> bool {
    let expected = if copy.webp { Some(image::ImageFormat::WebP) } else { format.raster() };
    let Some(expected) = expected.filter(|e| image::guess_format(bytes).ok() == Some(*e)) else { return false };
    ImageReader::with_format(Cursor::new(bytes), expected)
        .into_decoder()
        .is_ok_and(|decoder| decoder.dimensions() == (copy.width, copy.height))
}

/// The key of `copy` of `picture` in a store.
fn key(picture: &Picture, copy: Copy) -> u128 {
    let mut hasher = ContentHasher::default();
    hasher.write(MAKING.as_bytes());
    hasher.write(&picture.hash.to_le_bytes());
    hasher.write(&copy.width.to_le_bytes());
    hasher.write(&copy.height.to_le_bytes());
    hasher.write(&[u8::from(copy.webp)]);
    hasher.finish128()
}

/// The image `bytes` decoded, turned as its EXIF orientation says.
fn decode(bytes: &[u8], format: Format) -> Result<DynamicImage, String> {
    let format = format.raster().ok_or("not a raster image")?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format).into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// `image` resized to `copy`'s size: a Catmull-Rom convolution (SIMD, `fast_image_resize`: the
/// `image` crate's own took about four times as long).
fn resized(image: &DynamicImage, copy: Copy) -> Result<DynamicImage, String> {
    let mut out = DynamicImage::new(copy.width, copy.height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new().resize(image, &mut out, &options).map_err(|e| e.to_string())?;
    Ok(out)
}

/// `image` written as `copy` of a picture in `format`.
fn encode(image: &DynamicImage, format: Format, copy: Copy) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let written = if copy.webp {
        image.to_rgba8().write_with_encoder(WebPEncoder::new_lossless(&mut out))
    } else if format == Format::Jpeg {
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
        let wanted = picture.copies();
        for (wanted, made) in wanted.iter().zip(copies(&png, &picture, &wanted, &NoStore)) {
            let made = made.expect("made");
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
            let made = copies(&png, &picture, &[wanted], &Planted(planted)).remove(0).expect("made");
            assert_eq!(
                image::load_from_memory(&made).map(|i| (i.width(), i.height())).ok(),
                Some((wanted.width, wanted.height))
            );
        }
        let cut = &png[..png.len() / 2];
        assert!(copies(cut, &picture, &picture.copies(), &NoStore).iter().all(Result::is_err), "a truncated image");
    }
}
