//! The social cards kept between rebuilds: each review's card by its file and its project's,
//! each project's by its file, its reviews' and the day (its aggregates follow the day), so
//! that an edit draws again only the cards it changed. The cards the last `build` kept on disk
//! are taken as they are (serve writes nothing in the site: what it draws stays in memory).

use std::path::Path;
use std::sync::Arc;

use crate::cache_store::DiskStore;
use crate::cards::{self, RasterError};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::serve::memo::Memo;

/// What the cards keep between rebuilds.
pub struct CardCache {
    reviews: Memo<Result<OutputFile, Arc<RasterError>>>,
    projects: Memo<Result<OutputFile, Arc<RasterError>>>,
    disk: DiskStore,
    /// The day the projects' cards were drawn for, as a text their keys hold.
    day: Option<(crate::date::Date, Arc<str>)>,
    /// The configuration the kept cards were drawn with: cards show its title, labels and
    /// interface text, which no content file's text holds.
    drawn_with: Option<crate::config::Config>,
}

impl CardCache {
    /// The cards of the site at `root`.
    pub fn new(root: &Path) -> Self {
        CardCache {
            reviews: Memo::default(),
            projects: Memo::default(),
            disk: DiskStore::read_only(root, cards::CACHED),
            day: None,
            drawn_with: None,
        }
    }

    /// Every card of `site`, those of files unchanged since the last rebuild as they were.
    pub fn files(&mut self, site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        if !site.config.social_cards.enabled {
            return Ok(Vec::new());
        }
        let CardCache { reviews, projects, disk, day, drawn_with } = self;
        if drawn_with.as_ref() != Some(&site.config) {
            (*reviews, *projects) = (Memo::default(), Memo::default());
            *drawn_with = Some(site.config.clone());
        }
        let day = match day {
            Some((made_for, text)) if *made_for == site.today => Arc::clone(text),
            _ => Arc::clone(&day.insert((site.today, Arc::from(site.today.to_string()))).1),
        };
        let review_keys: Vec<_> =
            site.reviews.iter().map(|r| Some(vec![&r.source.text, &site.projects[r.project].source.text])).collect();
        let project_keys: Vec<_> = site
            .projects
            .iter()
            .map(|p| {
                let texts = p.reviews.iter().map(|&r| &site.reviews[r].source.text);
                Some([&day, &p.source.text].into_iter().chain(texts).collect())
            })
            .collect();
        let disk = &*disk;
        // An edit draws its review's card and its project's: side by side.
        let (reviews, projects) = rayon::join(
            || reviews.refresh(review_keys, |i| cards::review_card_file(site, i, disk).map_err(Arc::new)),
            || projects.refresh(project_keys, |i| cards::project_card_file(site, i, disk).map_err(Arc::new)),
        );
        reviews
            .into_iter()
            .chain(projects)
            .map(|card| card.map_err(|e| vec![Diagnostic::file(crate::config::CONFIG_FILE, e.to_string())]))
            .collect()
    }
}
