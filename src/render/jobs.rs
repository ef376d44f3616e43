//! The pages of a site as independent jobs, and what each job puts in its template's
//! context: only the data of that page.

use serde::Serialize;
use tera::Context;

use crate::date::Date;
use crate::model::Site;

use super::views::{CHANGES_PATH, StatusFilter, TaxonomyKind, Views, page_count, paged_path};

/// How many reviews the home page lists.
pub const HOME_REVIEWS: usize = 10;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `/`.
    Home,
    /// `/projects/`: the comparison table.
    Projects,
    /// `/compare/`: a reader's comparison of the projects they choose, made in the browser
    /// (the projects table without JavaScript).
    Compare,
    /// `/reviews/` and `/reviews/page/<n>/`: every review, by page (0-based).
    Reviews(usize),
    /// `/projects/<slug>/`, by index.
    Project(usize),
    /// `/reviews/<slug>/`, by index.
    Review(usize),
    /// `/questions/` and one listing per status, by page (0-based).
    Questions(StatusFilter, usize),
    /// `/tags/`, `/authors/`, `/verdicts/`.
    Taxonomy(TaxonomyKind),
    /// One term's listing, by index into its taxonomy and page (0-based).
    Term(TaxonomyKind, usize, usize),
    /// `/<slug>/`, by index.
    Page(usize),
    /// `/search/`: full-text search with facets, run in the browser.
    Search,
    /// `/rubric/`: how reviews score, and how scores add up.
    Rubric,
    /// `/404.html`.
    NotFound,
    /// `/feed.xml`: the newest reviews, as Atom.
    Feed,
    /// `/projects/<slug>/feed.xml`: one project's reviews, as Atom.
    ProjectFeed(usize),
    /// `/tags/<slug>/feed.xml`, `/authors/<slug>/feed.xml`: one term's reviews, as Atom, by
    /// index into its taxonomy.
    TermFeed(TaxonomyKind, usize),
    /// `/changes/` and `/changes/page/<n>/`: the site's log of changes, by page (0-based).
    Changes(usize),
    /// `/changes/feed.xml`: the newest changes, as Atom.
    ChangesFeed,
}

/// Every page of the site, given its views (which keep the questions' pages once made).
pub fn jobs_in(site: &Site, views: &Views<'_>) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Projects,
        Job::Compare,
        Job::Search,
        Job::Rubric,
        Job::NotFound,
        Job::Feed,
        Job::ChangesFeed,
    ];
    jobs.extend((0..views.changes_page_count()).map(Job::Changes));
    jobs.extend((0..page_count(site.reviews.len(), site.config.paginate)).map(Job::Reviews));
    jobs.extend((0..site.projects.len()).map(Job::ProjectFeed));
    for filter in StatusFilter::PAGES {
        jobs.extend((0..views.question_pages(filter).len()).map(|page| Job::Questions(filter, page)));
    }
    jobs.extend(TaxonomyKind::ALL.map(Job::Taxonomy));
    for kind in TaxonomyKind::ALL {
        for (i, term) in views.terms(kind).iter().enumerate() {
            jobs.extend((0..views.term_page_count(term)).map(|page| Job::Term(kind, i, page)));
        }
        if kind.has_feed() {
            jobs.extend((0..views.terms(kind).len()).map(|i| Job::TermFeed(kind, i)));
        }
    }
    jobs.extend((0..site.projects.len()).map(Job::Project));
    jobs.extend((0..site.reviews.len()).map(Job::Review));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// Where a page goes and how it is introduced.
pub(super) struct Page {
    /// Path below the base: a folder (`reviews/x/`) or a file (`404.html`, `feed.xml`).
    pub path: String,
    /// The template that renders it.
    pub template: &'static str,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// The picture shared links show.
    pub image: Option<ShareImage>,
}

/// The picture a shared link shows (`og:image`, `twitter:image`).
#[derive(Debug, Clone, Serialize)]
pub(super) struct ShareImage {
    /// Absolute.
    url: String,
    /// In pixels, when known (a card's).
    width: Option<u32>,
    /// In pixels, when known.
    height: Option<u32>,
    /// What it shows, for those who cannot see it.
    alt: String,
}

impl ShareImage {
    /// The `image:` of a page's front matter: a web URL as written, a path on this site under
    /// the base path, made absolute.
    fn given(url: &str, alt: &str, views: &Views<'_>) -> Self {
        let url = if url.starts_with('/') && !url.starts_with("//") {
            format!("{}{}", views.origin(), views.urls().field(url))
        } else {
            url.to_string()
        };
        ShareImage { url, width: None, height: None, alt: alt.to_string() }
    }

    /// The `cover:` of the page at `page` (a link under the base path).
    fn cover(page: &str, cover: &crate::parse::Cover, alt: &str, views: &Views<'_>) -> Self {
        ShareImage {
            url: format!("{}{page}{}", views.origin(), crate::urls::percent_encode_path(&cover.name)),
            width: Some(cover.picture.width),
            height: Some(cover.picture.height),
            alt: alt.to_string(),
        }
    }

    /// A drawn card at `link` (under the base path), when the site draws cards.
    fn card(link: String, alt: String, site: &Site, views: &Views<'_>) -> Option<Self> {
        site.config.social_cards.enabled.then(|| ShareImage {
            url: format!("{}{link}", views.origin()),
            width: Some(crate::cards::WIDTH),
            height: Some(crate::cards::HEIGHT),
            alt,
        })
    }
}

/// A page's front matter `extra` as the template's `extra` (an empty table stays when it has
/// none).
fn insert_extra(context: &mut Context, extra: &serde_json::Value) {
    if !extra.is_null() {
        context.insert("extra", extra);
    }
}

impl Job {
    /// Where the page goes, below the base: a folder (`reviews/x/`) or a file (`feed.xml`).
    pub fn path(self, site: &Site, views: &Views<'_>) -> String {
        match self {
            Job::Home => String::new(),
            Job::Projects => "projects/".into(),
            Job::Compare => "compare/".into(),
            Job::Reviews(page) => paged_path("reviews/", page),
            Job::Project(i) => format!("projects/{}/", site.projects[i].slug),
            Job::Review(i) => format!("reviews/{}/", site.reviews[i].slug),
            Job::Questions(filter, page) => paged_path(&filter.path(), page),
            Job::Taxonomy(kind) => kind.path().into(),
            Job::Term(kind, i, page) => paged_path(&views.term_path(kind, &views.terms(kind)[i]), page),
            Job::Page(i) => format!("{}/", site.pages[i].slug),
            Job::Search => "search/".into(),
            Job::Rubric => "rubric/".into(),
            Job::NotFound => "404.html".into(),
            Job::Feed => "feed.xml".into(),
            Job::ProjectFeed(i) => format!("projects/{}/feed.xml", site.projects[i].slug),
            Job::TermFeed(kind, i) => format!("{}feed.xml", views.term_path(kind, &views.terms(kind)[i])),
            Job::Changes(page) => paged_path(CHANGES_PATH, page),
            Job::ChangesFeed => format!("{CHANGES_PATH}feed.xml"),
        }
    }

    /// The output file the page is written to (`reviews/x/index.html`, `feed.xml`).
    pub fn output_file(self, site: &Site, views: &Views<'_>) -> String {
        super::file_of(self.path(site, views))
    }

    /// When the page last changed, as far as its reviews tell, for the sitemap: `changed` has
    /// each review's date (or update), and `latest` is the newest of them, which pages listing
    /// across the site take.
    pub fn last_modified(self, site: &Site, views: &Views<'_>, changed: &[Date], latest: Option<Date>) -> Option<Date> {
        let newest = |reviews: &[usize]| reviews.iter().map(|&r| changed[r]).max();
        match self {
            Job::Review(i) => changed.get(i).copied(),
            Job::Project(i) | Job::ProjectFeed(i) => newest(&site.projects[i].reviews),
            Job::Term(kind, i, _) | Job::TermFeed(kind, i) => newest(&views.terms(kind)[i].reviews),
            // What the configuration alone says.
            Job::Page(_) | Job::NotFound | Job::Rubric => None,
            // Listings across the site: named one by one, so that a new kind of page must say
            // what its date is.
            Job::Home
            | Job::Projects
            | Job::Compare
            | Job::Reviews(_)
            | Job::Questions(..)
            | Job::Taxonomy(_)
            | Job::Search
            | Job::Feed
            | Job::ChangesFeed => latest,
            // Its newest entry's day: the log changes with more than the reviews.
            Job::Changes(_) => views.newest_change().max(latest),
        }
    }

    /// Whether the page's path follows from the reviews' slugs (in whatever order), the
    /// projects and the free pages alone: listings of questions by status, of terms and of
    /// changes have as many pages as their entries fill, and terms come and go with the reviews'
    /// tags, authors and verdicts.
    pub fn placed_by_reviews(self) -> bool {
        // Every kind named, so that a new kind of page must say which it is.
        match self {
            Job::Questions(..) | Job::Term(..) | Job::TermFeed(..) | Job::Changes(_) | Job::ChangesFeed => false,
            Job::Home
            | Job::Projects
            | Job::Compare
            | Job::Reviews(_)
            | Job::Project(_)
            | Job::Review(_)
            | Job::Taxonomy(_)
            | Job::Page(_)
            | Job::Search
            | Job::Rubric
            | Job::NotFound
            | Job::Feed
            | Job::ProjectFeed(_) => true,
        }
    }

    /// Whether the page is an HTML page for readers (not a feed, not the 404 page).
    pub fn is_page(self) -> bool {
        !matches!(self, Job::NotFound | Job::Feed | Job::ProjectFeed(_) | Job::TermFeed(..) | Job::ChangesFeed)
    }

    /// Puts this page's data into `context` and says where the page goes.
    pub(super) fn prepare(self, site: &Site, views: &Views<'_>, context: &mut Context) -> Page {
        let config = &site.config;
        let t = &*config.interface;
        let path = self.path(site, views);
        let page =
            |template, title: String, description: String| Page { path, template, title, description, image: None };
        match self {
            Job::Home => {
                context.insert("latest", &views.latest(HOME_REVIEWS));
                context.insert("projects", &views.project_rows());
                context.insert("axes", &views.axes());
                context.insert("open_questions", &site.open_questions());
                context.insert("review_count", &site.reviews.len());
                page("home.html", config.title.clone(), config.description.clone())
            }
            Job::Projects => {
                context.insert("projects", &views.project_rows());
                context.insert("axes", &views.axes());
                context.insert("min_reviews", &config.min_reviews);
                page("projects.html", t.get("projects_title").into(), t.get("projects_description").into())
            }
            Job::Compare => {
                context.insert("projects", &views.project_rows());
                context.insert("axes", &views.axes());
                context.insert("choices", &views.compare_choices());
                page("compare.html", t.get("compare_title").into(), t.get("compare_description").into())
            }
            Job::Reviews(p) => {
                context.insert("reviews", &views.reviews_page(p));
                let total = page_count(site.reviews.len(), config.paginate);
                context.insert("pager", &views.pager("reviews/", p, total));
                context.insert("review_count", &site.reviews.len());
                page("reviews.html", t.get("all_reviews").into(), t.get("reviews_description").into())
            }
            Job::Project(i) => {
                let p = &site.projects[i];
                insert_extra(context, &p.extra);
                context.insert("project", &views.project(p));
                let image = match (&p.image, &p.cover) {
                    (Some(url), _) => Some(ShareImage::given(url, &p.name, views)),
                    (None, Some(cover)) => {
                        Some(ShareImage::cover(&views.urls().project(&p.slug), cover, &p.name, views))
                    }
                    (None, None) => {
                        let alt = format!("{}: {}", p.name, p.summary);
                        ShareImage::card(views.urls().project_card(&p.slug), alt, site, views)
                    }
                };
                Page { image, ..page("project.html", p.name.clone(), p.description.clone()) }
            }
            Job::Review(i) => {
                let r = &site.reviews[i];
                insert_extra(context, &r.extra);
                context.insert("review", &views.review(i));
                let image = match (&r.image, &r.cover) {
                    (Some(url), _) => Some(ShareImage::given(url, &r.title, views)),
                    (None, Some(cover)) => {
                        Some(ShareImage::cover(&views.urls().review(&r.slug), cover, &r.title, views))
                    }
                    (None, None) => {
                        let verdict = config.verdict(&r.verdict).map_or(r.verdict.as_str(), |v| v.label.as_str());
                        let project = &site.projects[r.project].name;
                        let alt = t.fill(
                            "card_alt_review",
                            &[("title", &r.title), ("project", project), ("verdict", verdict)],
                        );
                        ShareImage::card(views.urls().review_card(&r.slug), alt, site, views)
                    }
                };
                Page { image, ..page("review.html", r.title.clone(), r.description.clone()) }
            }
            Job::Questions(filter, p) => {
                context.insert("questions", &views.questions(filter, p));
                page("questions.html", filter.title(t), t.get("questions_description").into())
            }
            Job::Taxonomy(kind) => {
                context.insert("taxonomy", &views.taxonomy(kind));
                let description = t.fill("taxonomy_description", &[("kind", &kind.title(t).to_lowercase())]);
                page("taxonomy.html", kind.title(t), description)
            }
            Job::Term(kind, i, p) => {
                let term = &views.terms(kind)[i];
                context.insert("term", &views.term(kind, term, p));
                let description = t.fill("term_description", &[("name", &term.name)]);
                page("term.html", term.name.clone(), description)
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                insert_extra(context, &p.extra);
                context.insert("body", &p.body.html);
                let description =
                    if p.description.is_empty() { config.description.clone() } else { p.description.clone() };
                let image = p.image.as_ref().map(|url| ShareImage::given(url, &p.title, views));
                Page { image, ..page("page.html", p.title.clone(), description) }
            }
            Job::Search => page("search.html", t.get("search_title").into(), t.get("search_description").into()),
            Job::Rubric => {
                context.insert("rubric", &views.rubric());
                page("rubric.html", t.get("rubric_title").into(), t.get("rubric_description").into())
            }
            Job::NotFound => page("404.html", t.get("not_found_title").into(), config.description.clone()),
            Job::Feed => {
                context.insert("feed", &views.feed(None));
                page("atom.xml", config.title.clone(), config.description.clone())
            }
            Job::ProjectFeed(i) => {
                let p = &site.projects[i];
                context.insert("feed", &views.feed(Some(p)));
                page("atom.xml", p.name.clone(), p.summary.clone())
            }
            Job::TermFeed(kind, i) => {
                let term = &views.terms(kind)[i];
                context.insert("feed", &views.term_feed(kind, term));
                page("atom.xml", term.name.clone(), config.description.clone())
            }
            Job::Changes(p) => {
                context.insert("changes", &views.changes_page(p));
                context.insert("pager", &views.pager(CHANGES_PATH, p, views.changes_page_count()));
                page("changes.html", t.get("changes_title").into(), t.get("changes_description").into())
            }
            Job::ChangesFeed => {
                context.insert("feed", &views.changes_feed());
                page("changes.xml", config.title.clone(), config.description.clone())
            }
        }
    }
}
