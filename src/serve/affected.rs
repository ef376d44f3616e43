//! Which pages an edit of review files can change, so that only those are rendered again.
//! Edits of projects or pages change names and navigation everywhere, and templates, static
//! files and the configuration change everything: those rebuild all pages.
//!
//! A listing page (all reviews, a term's reviews, the questions) shows each entry from its
//! own review alone, so it changes only when its entries changed (which reviews, in which
//! order, how many pages) or one of them is an edited review; the questions pages also show
//! the site's count of questions by status.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::edit::{review_edit, same_medians};
use crate::hash::FastMap;
use crate::load;
use crate::model::Site;
use crate::model::taxonomy::term_slug;
use crate::render::{HOME_REVIEWS, Job, TaxonomyKind, Views, page_count};
use crate::serve::memo::Versions;

/// What reviews contribute to other pages: their positions, projects, tags, authors and verdicts.
#[derive(Default)]
struct Reach {
    projects: BTreeSet<String>,
    tags: BTreeSet<String>,
    authors: BTreeSet<String>,
    verdicts: BTreeSet<String>,
    /// The positions of the reviews added from the site after the edit.
    positions: BTreeSet<usize>,
}

impl Reach {
    /// Adds the reviews of `site` whose files lie at or under `path` (a file or a folder).
    fn add(&mut self, site: &Site, path: &Path, after: bool) {
        for (i, review) in site.reviews.iter().enumerate().filter(|(_, r)| load::is_under(&r.source.path, path)) {
            if after {
                self.positions.insert(i);
            }
            self.projects.insert(site.projects[review.project].slug.clone());
            self.tags.extend(review.tags.iter().map(|t| term_slug(t)));
            self.authors.extend(review.authors.iter().map(|a| term_slug(a)));
            self.verdicts.insert(review.verdict.clone());
        }
    }
}

fn section_of(path: &Path) -> Option<String> {
    path.components().nth(1).map(|c| c.as_os_str().to_string_lossy().into_owned())
}

/// The jobs of the site after the edit (listed in `all`) whose pages the edited content files
/// can change, judged from the views of the site before (`old_views`) and after (`views`) the
/// edit, and from the numbers of the two models (`versions`, before and after: see
/// [`Versions`]): with the same structure, only reviews' prose changed, so every listing holds
/// the same entries and pages of structure alone stay; with the same order, a position names
/// the same review before and after.
pub fn affected_jobs(
    old_views: &Views<'_>,
    views: &Views<'_>,
    changed: &BTreeSet<PathBuf>,
    all: &[Job],
    versions: (Versions, Versions),
) -> Affected {
    let (old, new) = (old_views.site(), views.site());
    if changed.iter().any(|p| section_of(p).as_deref() != Some("reviews")) {
        return Affected { jobs: all.to_vec(), same_log: false };
    }
    let same_structure = versions.0.structure == versions.1.structure;
    let same_order = versions.0.order == versions.1.order;
    let mut reach = Reach::default();
    for path in changed {
        reach.add(old, path, false);
        reach.add(new, path, true);
    }
    let per = new.config.paginate;
    // The edited reviews' positions in `new`.
    let edited = std::mem::take(&mut reach.positions);
    // The reviews whose pages show an edited one among their project's other reviews.
    let showing_edited: BTreeSet<usize> = edited
        .iter()
        .flat_map(|&e| new.projects[new.reviews[e].project].reviews.iter().map(move |&i| (i, e)))
        .filter(|&(i, e)| views.shows_other(i, e))
        .map(|(i, _)| i)
        .collect();
    // Whether the reviews at positions `was` in `old` and `is` in `new` are the same, in order.
    let same_reviews = |was: &[usize], is: &[usize]| {
        was.iter().map(|&r| old.reviews[r].slug.as_str()).eq(is.iter().map(|&r| new.reviews[r].slug.as_str()))
    };
    let all_old: Vec<usize> = (0..old.reviews.len()).collect();
    let all_new: Vec<usize> = (0..new.reviews.len()).collect();
    // Whether page `page` of a listing of `before` and `after` (review indices) differs.
    let listing = |before: &[usize], after: &[usize], page: usize| {
        let shows_edited = after.iter().skip(page * per).take(per).any(|r| edited.contains(r));
        if same_structure || shows_edited {
            return shows_edited;
        }
        let (was, is) = (on_page(before, page, per), on_page(after, page, per));
        let moved = match same_order {
            // A position names the same review before and after.
            true => was != is,
            false => !same_reviews(was, is),
        };
        page_count(before.len(), per) != page_count(after.len(), per) || moved
    };
    // Projects the edit reached, by position in `new` (an edit of reviews keeps the projects in
    // their places); those whose aggregates as review pages show them (each axis' median,
    // whether there is one) stayed.
    let reached: Vec<bool> = new.projects.iter().map(|p| reach.projects.contains(&p.slug)).collect();
    let aggregates_moved: Vec<bool> = new
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| old.projects.get(i).is_none_or(|before| before.slug != p.slug || !same_medians(before, p)))
        .collect();
    // The reached projects' reviews' positions in `old`, by slug (made when first needed).
    let old_positions = std::cell::OnceCell::new();
    // Whether review `i`'s page (of `new`) shows other reviews of its project than before, or
    // another count of them: when the reviews moved, their projects' lists may have.
    let others_moved = |i: usize| {
        let review = &new.reviews[i];
        let positions = old_positions.get_or_init(|| {
            let reached_old = old.projects.iter().filter(|p| reach.projects.contains(&p.slug));
            reached_old.flat_map(|p| &p.reviews).map(|&r| (old.reviews[r].slug.as_str(), r)).collect::<FastMap<_, _>>()
        });
        positions.get(review.slug.as_str()).is_none_or(|&b| {
            let ((was, was_total), (is, is_total)) = (old_views.others_shown(b), views.others_shown(i));
            was_total != is_total || !same_reviews(&was, &is)
        })
    };
    // The feeds announce a retraction wherever the review is: an edited review retracted now
    // or before reaches them.
    // The old version found by its slug: an edit may have moved it too.
    let retraction_edited = |e: usize| {
        new.reviews.get(e).is_some_and(|now| {
            !now.standing.counts()
                || old.reviews.iter().find(|before| before.slug == now.slug).is_some_and(|b| !b.standing.counts())
        })
    };
    // Whether the first `count` reviews (the newest) are others than before.
    let head_moved = |count: usize| !same_reviews(on_page(&all_old, 0, count), on_page(&all_new, 0, count));
    // With the reviews in place, the questions pages show an edited review only through its
    // slug, title, author, project and questions: its tags, verdict and scores are not on them.
    let questions_shown = !same_order
        || edited
            .iter()
            .any(|&e| old.reviews.get(e).is_none_or(|before| review_edit(before, &new.reviews[e]).questions_shown));
    // The log of changes shows an edited review only through what `logged` names; with the
    // reviews in place, an edit that changed none of it leaves every page of the log.
    let logged = !same_order
        || edited.iter().any(|&e| old.reviews.get(e).is_none_or(|before| review_edit(before, &new.reviews[e]).logged));
    // Whether the first `count` entries of the log from `page` on (of the model after the edit)
    // differ: other entries, or entries of an edited review (its words may have changed).
    let log_moved = |from: usize, count: usize| {
        let (was, is) = (old_views.changes(), views.changes());
        was.len() != is.len()
            || is.iter().skip(from).take(count).any(|c| c.what.review().is_some_and(|r| edited.contains(&r)))
            || !was.iter().skip(from).take(count).map(|c| c.key(old)).eq(is
                .iter()
                .skip(from)
                .take(count)
                .map(|c| c.key(new)))
    };
    // Whether the projects table (a row per project, ordered by overall score) changed: only rows
    // of projects the edit reached can.
    let rows_changed = !same_structure
        && new.projects.iter().enumerate().filter(|(i, _)| reached[*i]).any(|(i, p)| {
            old.projects.get(i).is_none_or(|before| old_views.project_row(before) != views.project_row(p))
        });
    // Whether a taxonomy's index (each term's name and counts) changed.
    let terms_changed = |kind: TaxonomyKind| {
        fn shown(t: &crate::model::taxonomy::Term) -> (&str, &str, usize, usize) {
            (&t.slug, &t.name, t.reviews.len(), t.projects.len())
        }
        !old_views.terms(kind).iter().map(shown).eq(views.terms(kind).iter().map(shown))
    };
    // The questions pages' counts are the site's: they stand while the edited reviews' questions do.
    let counts_changed = questions_shown && !same_structure && old_views.question_counts() != views.question_counts();
    let jobs = all
        .iter()
        .copied()
        .filter(|job| match *job {
            // The newest reviews (the same ones while the order stands), the projects table and
            // the counts of reviews and open questions.
            Job::Home => {
                old.reviews.len() != new.reviews.len()
                    || (!same_order && head_moved(HOME_REVIEWS))
                    || rows_changed
                    || counts_changed
                    || edited.iter().any(|&e| e < HOME_REVIEWS)
            }
            Job::Feed => {
                let limit = new.config.feed_limit;
                (!same_order && head_moved(limit)) || edited.iter().any(|&e| e < limit || retraction_edited(e))
            }
            Job::ProjectFeed(i) if same_order => {
                let limit = new.config.feed_limit;
                new.projects[i]
                    .reviews
                    .iter()
                    .enumerate()
                    .any(|(at, r)| edited.contains(r) && (at < limit || retraction_edited(*r)))
            }
            // The comparison shows the projects table without JavaScript, and its choices are the
            // projects' names, which only an edit of a project (remaking every page) changes.
            Job::Projects | Job::Compare => rows_changed,
            Job::Taxonomy(kind) => !same_structure && terms_changed(kind),
            // The search page shows nothing of the reviews (the index is fetched); the rubric is
            // the configuration's.
            Job::Search => false,
            // Its verdicts link to the pages of those some review reached.
            Job::Rubric => !same_structure && terms_changed(TaxonomyKind::Verdicts),
            Job::Reviews(page) => old.reviews.len() != new.reviews.len() || listing(&all_old, &all_new, page),
            Job::Questions(..) if !questions_shown => false,
            Job::Questions(filter, page) => {
                let after = views.question_pages(filter);
                let moved = || {
                    let before = old_views.question_pages(filter);
                    counts_changed || before.len() != after.len() || before.get(page) != after.get(page)
                };
                after.get(page).is_some_and(|on| on.iter().any(|&p| reach.projects.contains(&new.projects[p].slug)))
                    || (!same_structure && moved())
            }
            // With the structure unchanged, a review's page changes if it is an edited review or
            // shows one among its project's other reviews; else one of its project's changes if
            // the project's medians moved, or (the reviews moved) it shows other others.
            Job::Review(i) if same_structure => edited.contains(&i) || showing_edited.contains(&i),
            Job::Review(i) => {
                let project = new.reviews[i].project;
                reached[project]
                    && (aggregates_moved[project]
                        || edited.contains(&i)
                        || showing_edited.contains(&i)
                        || (!same_order && others_moved(i)))
            }
            Job::Project(i) | Job::ProjectFeed(i) => reach.projects.contains(&new.projects[i].slug),
            // Made again whenever an edit reaches the term: a few feeds, at most one per tag and
            // author of the edited reviews.
            Job::TermFeed(kind, i) => {
                let term = &views.terms(kind)[i];
                match kind {
                    TaxonomyKind::Tags => reach.tags.contains(&term.slug),
                    TaxonomyKind::Authors => reach.authors.contains(&term.slug),
                    TaxonomyKind::Verdicts => reach.verdicts.contains(&term.slug),
                }
            }
            Job::Term(kind, i, page) => {
                let term = &views.terms(kind)[i];
                let reached = match kind {
                    TaxonomyKind::Tags => reach.tags.contains(&term.slug),
                    TaxonomyKind::Authors => reach.authors.contains(&term.slug),
                    TaxonomyKind::Verdicts => reach.verdicts.contains(&term.slug),
                };
                reached
                    && match old_views.terms(kind).iter().find(|t| t.slug == term.slug) {
                        Some(before) => {
                            before.name != term.name
                                || (page == 0 && before.projects != term.projects)
                                || listing(&before.reviews, &term.reviews, page)
                        }
                        None => true,
                    }
            }
            Job::Changes(page) => {
                let per = views.changes_per_page();
                logged && log_moved(page.saturating_mul(per), per)
            }
            Job::ChangesFeed => logged && log_moved(0, new.config.feed_limit),
            Job::Page(_) | Job::NotFound => false,
        })
        .collect();
    Affected { jobs, same_log: !logged }
}

/// What an edit reaches.
pub struct Affected {
    /// The pages to render again.
    pub jobs: Vec<Job>,
    /// Whether the site's log of changes is as it was, entry for entry (positions included):
    /// the last model's, if kept, serves the new one.
    pub same_log: bool,
}

/// The entries of page `page` (of `per` entries) of a listing.
fn on_page(list: &[usize], page: usize, per: usize) -> &[usize] {
    let start = page.saturating_mul(per).min(list.len());
    &list[start..start.saturating_add(per).min(list.len())]
}
