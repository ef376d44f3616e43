//! Social cards: the picture a shared link shows (`og:image`), one per review and project,
//! drawn at build time as SVG (the title, the project, the verdict, the scores as the site's
//! strip chart, the site's name) and rasterised to a 1200×630 PNG with the font shipped in
//! the binary. Each card is keyed by a hash of its SVG (what it shows), and a [`Store`]
//! keeps drawn cards by that key between runs.

mod draw;
mod fonts;
mod raster;

use std::hash::Hasher;

use bytes::Bytes;
use rayon::prelude::*;

use crate::cache_store::{Kind, Store};
use crate::hash::ContentHasher;
use crate::model::scores::format_score;
use crate::model::{Project, Review, Site, Standing};
use crate::output::OutputFile;
use crate::urls::Urls;

pub use draw::{Card, CardStrip, HEIGHT, WIDTH};
pub use raster::RasterError;

/// Cards as the cache keeps them: PNGs of the cards' size.
pub const CACHED: Kind = Kind { folder: "cards", extension: "png", max_bytes: 4 << 20, looks_right: is_card };

/// Whether `bytes` look like a card: a PNG of the cards' size.
fn is_card(bytes: &[u8]) -> bool {
    let size = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes);
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") && size(16) == Some(WIDTH) && size(20) == Some(HEIGHT)
}

/// Changes whenever the same SVG would be drawn differently (the fonts, the PNG encoding),
/// so that cards cached by an earlier version are not taken for this one's.
const DRAWING: &str = "critique cards 1 (resvg 0.49, DejaVu Sans 2.37, RGB)";

/// What the card of review `index` of `site` shows.
pub fn review_card(site: &Site, index: usize) -> Card {
    let review: &Review = &site.reviews[index];
    let config = &site.config;
    let project = &site.projects[review.project];
    let verdict = config.verdict(&review.verdict).map_or_else(|| review.verdict.clone(), |v| v.label.clone());
    let t = &config.interface;
    let warning = match review.standing {
        Standing::Retracted { .. } => Some(t.get("standing_retracted").to_string()),
        Standing::UnderReview { .. } => Some(t.get("standing_under_review").to_string()),
        Standing::Published => None,
    };
    Card {
        site: config.title.clone(),
        kind: t.get("card_kind_review").to_string(),
        title: review.title.clone(),
        subtitle: t.fill("card_subtitle", &[("project", &project.name), ("authors", &t.names(&review.authors))]),
        badge: Some(verdict),
        warning,
        scale: (config.scale.min, config.scale.max),
        strips: config
            .axes
            .iter()
            .map(|axis| CardStrip {
                label: axis.label.clone(),
                dots: review.scores.get(&axis.key).copied().into_iter().collect(),
                median: None,
            })
            .collect(),
    }
}

/// What the card of project `index` of `site` shows.
pub fn project_card(site: &Site, index: usize) -> Card {
    let project: &Project = &site.projects[index];
    let config = &site.config;
    let count = project.reviews.len();
    let t = &config.interface;
    let reviews = t.count("term_counts", count, &[]);
    let badge = match project.overall {
        Some(overall) => t.fill(
            "card_overall",
            &[("score", &format_score(overall)), ("max", &format_score(config.scale.max)), ("reviews", &reviews)],
        ),
        None => reviews,
    };
    Card {
        site: config.title.clone(),
        kind: t.get("card_kind_project").to_string(),
        title: project.name.clone(),
        subtitle: project.summary.clone(),
        badge: Some(badge),
        warning: None,
        scale: (config.scale.min, config.scale.max),
        strips: config
            .axes
            .iter()
            .zip(&project.scores)
            .map(|(axis, summary)| CardStrip {
                label: axis.label.clone(),
                dots: summary.values.clone(),
                median: summary.median.filter(|_| project.has_aggregate()),
            })
            .collect(),
    }
}

/// The key a card is kept by: a hash of its SVG and of how SVG is drawn.
pub fn key(svg: &str) -> u128 {
    let mut hasher = ContentHasher::default();
    hasher.write(DRAWING.as_bytes());
    hasher.write(svg.as_bytes());
    hasher.finish128()
}

/// The PNG of `card`: kept in `store` under its key, else drawn and kept there.
pub fn png(card: &Card, store: &dyn Store) -> Result<Bytes, RasterError> {
    let svg = card.svg();
    let key = key(&svg);
    if let Some(png) = store.get(key) {
        return Ok(png);
    }
    let png = Bytes::from(raster::png(&svg)?);
    store.put(key, &png);
    Ok(png)
}

/// The output file of the card of review `index`.
pub fn review_card_file(site: &Site, index: usize, store: &dyn Store) -> Result<OutputFile, RasterError> {
    let path = Urls::new("").review_card(&site.reviews[index].slug);
    Ok(OutputFile::new(path, png(&review_card(site, index), store)?))
}

/// The output file of the card of project `index`.
pub fn project_card_file(site: &Site, index: usize, store: &dyn Store) -> Result<OutputFile, RasterError> {
    let path = Urls::new("").project_card(&site.projects[index].slug);
    Ok(OutputFile::new(path, png(&project_card(site, index), store)?))
}

/// The output paths of every card of `site` (none when `[social_cards]` is off).
pub fn paths(site: &Site) -> Vec<String> {
    if !site.config.social_cards.enabled {
        return Vec::new();
    }
    let urls = Urls::new("");
    let reviews = site.reviews.iter().map(|r| urls.review_card(&r.slug));
    reviews.chain(site.projects.iter().map(|p| urls.project_card(&p.slug))).collect()
}

/// Why the cards were not all made.
#[derive(Debug)]
pub enum CardFailure<E> {
    /// A card could not be drawn.
    Draw(RasterError),
    /// What took the files failed.
    Sink(E),
}

/// Every card of `site` (none when `[social_cards]` is off), drawn in parallel or taken
/// from `store`, each handed to `sink` as soon as it is made.
pub fn write_cards<E: Send>(
    site: &Site,
    store: &dyn Store,
    sink: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<(), CardFailure<E>> {
    if !site.config.social_cards.enabled {
        return Ok(());
    }
    let reviews = (0..site.reviews.len()).into_par_iter().map(|i| review_card_file(site, i, store));
    let projects = (0..site.projects.len()).into_par_iter().map(|i| project_card_file(site, i, store));
    reviews.chain(projects).try_for_each(|file| sink(file.map_err(CardFailure::Draw)?).map_err(CardFailure::Sink))
}
