//! Turns the first N reviews of a generated site (`gen_site`) into page bundles, each with a
//! chart (a 1600×900 PNG of flat colours and lines, as charts and screenshots are) and a photograph
//! (a 2400×1600 JPEG of noise over gradients, as a photograph's detail is), both shown in its
//! body: the site the image benchmark builds (`bench/images.sh`).
//!
//! cargo run --release --example gen_pictures -- SITE N

#![allow(clippy::print_stderr, reason = "a benchmark tool reports on the terminal")]

use std::fs;
use std::io::{self, Cursor};
use std::path::Path;
use std::process::ExitCode;

fn chart(seed: u32) -> io::Result<Vec<u8>> {
    let image = image::RgbImage::from_fn(1600, 900, |x, y| {
        let band = (x / 80 + seed) % 6;
        let line = (y + x / 3 + seed) % 97 < 3;
        if line { image::Rgb([30, 30, 30]) } else { image::Rgb([200 + band as u8 * 9, 230, 250 - band as u8 * 20]) }
    });
    encode(image.into(), image::ImageFormat::Png)
}

fn photo(seed: u32) -> io::Result<Vec<u8>> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(2400, 1600, |x, y| {
        // xorshift: noise, which JPEG keeps as detail.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 40) as u8;
        image::Rgb([(x / 10) as u8 / 2 + noise, (y / 7) as u8 / 2 + noise, 120 + noise])
    });
    encode(image.into(), image::ImageFormat::Jpeg)
}

fn encode(image: image::DynamicImage, format: image::ImageFormat) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), format).map_err(io::Error::other)?;
    Ok(bytes)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (site, count) = match args.as_slice() {
        [site, count] => match count.parse::<usize>() {
            Ok(count) => (site, count),
            Err(e) => {
                eprintln!("N: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: gen_pictures SITE N");
            return ExitCode::from(2);
        }
    };
    match picture(Path::new(site), count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_pictures: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Makes the first `count` reviews of `site` folders with their pictures.
fn picture(site: &Path, count: usize) -> io::Result<()> {
    let reviews = site.join("content/reviews");
    let mut names: Vec<String> = fs::read_dir(&reviews)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().filter(|n| n.ends_with(".md")).map(str::to_string))
        .collect();
    names.sort();
    for (i, name) in names.iter().take(count).enumerate() {
        let folder = reviews.join(name.trim_end_matches(".md"));
        fs::create_dir_all(&folder)?;
        let text = fs::read_to_string(reviews.join(name))?;
        let body = format!(
            "{}\n\n![Median cost per month, by axis](chart.png \"Costs since launch\")\n\nThe operator's dashboard, as photographed: ![The dashboard at 2 a.m.](photo.jpg)\n",
            text.trim_end()
        );
        fs::write(folder.join("index.md"), body)?;
        fs::remove_file(reviews.join(name))?;
        let seed = u32::try_from(i).unwrap_or(0);
        fs::write(folder.join("chart.png"), chart(seed)?)?;
        fs::write(folder.join("photo.jpg"), photo(seed)?)?;
    }
    Ok(())
}
