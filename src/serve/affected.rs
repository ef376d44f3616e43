//! Which pages an edit of review files can change, so that only those are rendered again.
//! Edits of projects or pages change names and navigation everywhere, and templates, static
//! files and the configuration change everything: those rebuild all pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::Site;
use crate::model::taxonomy::term_slug;
use crate::render::{Job, TaxonomyKind};

/// What a review contributes to other pages: its project, tags, author and verdict.
#[derive(Default)]
struct Reach {
    projects: BTreeSet<String>,
    tags: BTreeSet<String>,
    authors: BTreeSet<String>,
    verdicts: BTreeSet<String>,
}

impl Reach {
    /// Adds the reviews of `site` whose files lie at or under `path` (a file or a folder).
    fn add(&mut self, site: &Site, path: &Path) {
        for review in site.reviews.iter().filter(|r| r.source.path.starts_with(path)) {
            self.projects.insert(site.projects[review.project].slug.clone());
            self.tags.extend(review.tags.iter().map(|t| term_slug(t)));
            self.authors.insert(term_slug(&review.author));
            self.verdicts.insert(review.verdict.clone());
        }
    }
}

fn section_of(path: &Path) -> Option<String> {
    path.components().nth(1).map(|c| c.as_os_str().to_string_lossy().into_owned())
}

/// The jobs of `new` (listed in `all`) whose pages the edited content files can change,
/// judged from the site before (`old`) and after (`new`) the edit.
pub fn affected_jobs(old: &Site, new: &Site, changed: &BTreeSet<PathBuf>, all: &[Job]) -> Vec<Job> {
    if changed.iter().any(|p| section_of(p).as_deref() != Some("reviews")) {
        return all.to_vec();
    }
    let mut reach = Reach::default();
    for path in changed {
        reach.add(old, path);
        reach.add(new, path);
    }
    let views = crate::render::Views::new(new);
    all.iter()
        .copied()
        .filter(|job| match *job {
            Job::Home
            | Job::Projects
            | Job::Reviews(_)
            | Job::Questions(..)
            | Job::Taxonomy(_)
            | Job::Feed
            | Job::Search => true,
            Job::Review(i) => reach.projects.contains(&new.projects[new.reviews[i].project].slug),
            Job::Project(i) | Job::ProjectFeed(i) => reach.projects.contains(&new.projects[i].slug),
            Job::Term(kind, i, _) => {
                let slug = &views.terms(kind)[i].slug;
                match kind {
                    TaxonomyKind::Tags => reach.tags.contains(slug),
                    TaxonomyKind::Authors => reach.authors.contains(slug),
                    TaxonomyKind::Verdicts => reach.verdicts.contains(slug),
                }
            }
            Job::Page(_) | Job::NotFound => false,
        })
        .collect()
}
