//! Page data: for each kind of page, exactly the values its template shows, prepared from the
//! site model. A template never receives the whole site (Tera copies its context).

use serde::Serialize;

use crate::config::Config;
use crate::date::Date;
use crate::model::scores::{Fixed, format_score};
use crate::model::taxonomy::term_slug;
use crate::model::{Project, Site, Standing};
use crate::parse::matter::{Evidence, QuestionStatus};
use crate::strings::Strings;

use super::Renderer;
use super::fragments::{Fragments, Partial};
use crate::urls::Urls;

mod changes;
mod compare;
mod cover;
mod feed;
mod findings;
mod listing;
mod pager;
mod project;
mod questions;
mod responses;
mod review;
mod rubric;
mod taxonomy;
mod timeline;

pub use changes::CHANGES_PATH;
pub use cover::CoverView;
use listing::QuestionItems;
pub use pager::{Pager, page_count, paged_path};
pub use questions::StatusFilter;
pub use taxonomy::TaxonomyKind;
pub use timeline::{Change, Changed};

/// A date for a `<time>` element.
#[derive(Debug, Serialize, Hash)]
pub struct DateView {
    iso: String,
    human: String,
}

impl DateView {
    /// `d` for a `<time>` element, written as the site's language writes dates.
    fn new(d: Date, strings: &Strings) -> Self {
        Self { iso: d.to_string(), human: strings.date(d) }
    }
}

/// What the evidence ledger keeps of a source beside its address: an archived copy, the day
/// it was read, the words relied on.
#[derive(Debug, Serialize, Hash)]
pub struct LedgerView {
    archived: Option<String>,
    accessed: Option<DateView>,
    quote: Option<String>,
}

/// A link with its text.
#[derive(Debug, Serialize, Hash)]
pub struct LinkView {
    text: String,
    url: String,
}

/// A verdict as readers see it.
#[derive(Debug, Serialize, Hash)]
pub struct VerdictView {
    key: String,
    label: String,
    description: String,
    url: String,
}

/// A review's status note, for its page: under review since a day, or retracted on one.
#[derive(Debug, Serialize, Hash)]
pub struct StandingView {
    /// `under-review` or `retracted` (a CSS class too).
    kind: &'static str,
    /// "Under review" or "Retracted", in the site's language.
    label: String,
    date: DateView,
    reason: String,
}

impl StandingView {
    /// The view of `standing`, `None` for a published review.
    pub fn of(standing: &Standing, strings: &Strings) -> Option<Self> {
        let (kind, key, date, reason) = match standing {
            Standing::Published => return None,
            Standing::UnderReview { since, reason } => ("under-review", "standing_under_review", since, reason),
            Standing::Retracted { date, reason } => ("retracted", "standing_retracted", date, reason),
        };
        let label = strings.get(key).to_string();
        Some(Self { kind, label, date: DateView::new(*date, strings), reason: reason.clone() })
    }
}

/// What a review's author disclosed, as readers see it.
#[derive(Debug, Serialize, Hash)]
pub struct DisclosureView {
    /// `none`, `holds`, `held` or `short` (a CSS class too).
    holdings: &'static str,
    /// "No holdings", "Holds the project's token or equity"…, in the site's language.
    label: String,
    compensation: String,
    relationship: String,
    notes: String,
}

impl DisclosureView {
    /// The view of `disclosure`; `None` where the review gave none.
    pub fn of(disclosure: Option<&crate::parse::matter::Disclosure>, strings: &Strings) -> Option<Self> {
        disclosure.map(|d| Self {
            holdings: d.holdings.key(),
            label: d.holdings.label(strings).to_string(),
            compensation: d.compensation.trim().to_string(),
            relationship: d.relationship.trim().to_string(),
            notes: d.notes.trim().to_string(),
        })
    }
}

/// A column header of a score table.
#[derive(Debug, Serialize)]
pub struct AxisHead {
    key: String,
    label: String,
    ask: String,
}

/// A project in the comparison table.
#[derive(Debug, PartialEq, Serialize)]
pub struct ProjectRow {
    name: String,
    url: String,
    category: Option<String>,
    reviews: usize,
    open_questions: usize,
    /// The weighted overall score, once there are enough reviews.
    overall: Option<String>,
    /// The median per axis, in axis order; `None` where nobody scored it or there are too
    /// few reviews to aggregate.
    medians: Vec<Option<String>>,
    /// Per axis, in axis order, while there are too few reviews to aggregate: each reviewer's
    /// score, lowest first (`None` where nobody scored the axis), so that a new site shows
    /// readers the scores it has rather than a table of dashes.
    each: Vec<Option<String>>,
    /// Each verdict reached and how often, best first.
    verdicts: Vec<VerdictCount>,
    /// How many of its reviews recommend it, with `recommend_from` set.
    recommend: Option<Recommendation>,
}

/// How many of a project's counted reviews (not retracted) reach `recommend_from` or better.
#[derive(Debug, PartialEq, Serialize)]
pub struct Recommendation {
    /// Reviews recommending it.
    pub count: usize,
    /// Reviews counted (not retracted).
    pub of: usize,
    /// The share, as a whole percentage.
    pub percent: usize,
}

/// A verdict and how many reviews reached it.
#[derive(Debug, PartialEq, Serialize)]
pub struct VerdictCount {
    key: String,
    label: String,
    count: usize,
}

/// Counts of questions by status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    open: usize,
    answered: usize,
    disputed: usize,
    total: usize,
}

impl std::iter::Sum for StatusCounts {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |a, b| Self {
            open: a.open + b.open,
            answered: a.answered + b.answered,
            disputed: a.disputed + b.disputed,
            total: a.total + b.total,
        })
    }
}

impl StatusCounts {
    fn add(&mut self, status: QuestionStatus) {
        match status {
            QuestionStatus::Open => self.open += 1,
            QuestionStatus::Answered => self.answered += 1,
            QuestionStatus::Disputed => self.disputed += 1,
        }
        self.total += 1;
    }

    /// How many of the questions `filter` admits.
    fn admitted(&self, filter: questions::StatusFilter) -> usize {
        match filter {
            questions::StatusFilter::All => self.total,
            questions::StatusFilter::Only(QuestionStatus::Open) => self.open,
            questions::StatusFilter::Only(QuestionStatus::Answered) => self.answered,
            questions::StatusFilter::Only(QuestionStatus::Disputed) => self.disputed,
        }
    }
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are escaped
/// so that no text from the front matter can close the element.
pub fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Prepares page data from one site.
pub struct Views<'a> {
    site: &'a Site,
    urls: Urls<'a>,
    /// The projects on each questions page, per status filter, computed once: every
    /// questions page needs them, and recomputing them per page grew with the square.
    question_pages: std::sync::OnceLock<Vec<Vec<Vec<usize>>>>,
    /// Each project's questions counted by status, and every question, computed once for the
    /// same reason.
    project_question_counts: std::sync::OnceLock<Vec<StatusCounts>>,
    question_counts: std::sync::OnceLock<StatusCounts>,
    /// Each review's card as a template value, made on first use: a card shows on a dozen
    /// pages, and Tera passes values on by reference count instead of copying them.
    cards: Vec<std::sync::OnceLock<tera::Value>>,
    /// Each question as listed, the same way: a question is listed on its project's page and
    /// on two questions pages (all of them, and those of its status). The table is made on
    /// first use, as many rebuilds of `serve` list none.
    question_items: std::sync::OnceLock<QuestionItems>,
    /// The responses naming each review, made on first use.
    replies: std::sync::OnceLock<responses::RepliesByReview>,
    /// The site's log of changes, made on first use (most rebuilds of `serve` need none).
    changes: std::sync::OnceLock<Vec<timeline::Change>>,
    /// The day of its newest entry, which each of its pages' sitemap entries needs.
    newest_change: std::sync::OnceLock<Option<crate::date::Date>>,
    /// What renders cards and question listings into their `html`, for views that pages are
    /// rendered from ([`Views::rendering`]).
    fragments: Option<Fragments<'a>>,
}

/// The values views made as pages asked for them (cards, question listings), without the
/// site they are views of: many small values, which take a while to free (see
/// [`Views::into_made`]).
pub struct Made {
    _cards: Vec<std::sync::OnceLock<tera::Value>>,
    _question_items: std::sync::OnceLock<QuestionItems>,
    changes: std::sync::OnceLock<Vec<timeline::Change>>,
}

impl Made {
    /// The log of changes, if the views made it: `serve` keeps it for the next rebuild's view
    /// of this model ([`Views::with_changes`]).
    pub fn take_changes(&mut self) -> Option<Vec<timeline::Change>> {
        self.changes.take()
    }
}

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Self {
        Self {
            site,
            urls: Urls::new(site.config.base_path()),
            question_pages: std::sync::OnceLock::new(),
            project_question_counts: std::sync::OnceLock::new(),
            question_counts: std::sync::OnceLock::new(),
            cards: site.reviews.iter().map(|_| std::sync::OnceLock::new()).collect(),
            question_items: std::sync::OnceLock::new(),
            replies: std::sync::OnceLock::new(),
            changes: std::sync::OnceLock::new(),
            newest_change: std::sync::OnceLock::new(),
            fragments: None,
        }
    }

    /// Views of `site` for rendering its pages with `renderer`: cards and question listings
    /// come with their fragment rendered, as `html` (see `render::fragments`).
    pub fn rendering(site: &'a Site, renderer: &'a Renderer) -> Self {
        let views = Self::new(site);
        Self { fragments: Some(renderer.fragments(site, &views.urls)), ..views }
    }

    /// The partials that failed to render, each with its first failure.
    pub fn fragment_failures(&self) -> Vec<crate::diagnostic::Diagnostic> {
        self.fragments.as_ref().map(Fragments::failures).unwrap_or_default()
    }

    /// `item`, what `partial` shows, as a template value (with its fragment when rendering).
    fn listed<T: Serialize + std::hash::Hash>(&self, partial: Partial, item: &T) -> tera::Value {
        match &self.fragments {
            Some(fragments) => fragments.listed(partial, item),
            None => super::to_value(item),
        }
    }

    /// The values these views made, to be freed apart from the site: after a listing-heavy
    /// rebuild, tens of thousands of them, whose freeing `serve` keeps off the way to the
    /// browser (about a tenth of the CPU time of adding a review at 10,000 reviews).
    pub fn into_made(self) -> Made {
        Made { _cards: self.cards, _question_items: self.question_items, changes: self.changes }
    }

    /// The site these are views of.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The link builder of the site.
    pub fn urls(&self) -> Urls<'a> {
        self.urls
    }

    fn config(&self) -> &Config {
        &self.site.config
    }

    /// The interface text in the site's language.
    fn strings(&self) -> &Strings {
        &self.site.config.interface
    }

    /// `d` for a `<time>` element, as the site's language writes dates.
    fn date(&self, d: Date) -> DateView {
        DateView::new(d, self.strings())
    }

    fn verdict(&self, key: &str) -> VerdictView {
        let v = self.config().verdict(key);
        VerdictView {
            key: key.to_string(),
            label: v.map_or_else(|| key.to_string(), |v| v.label.clone()),
            description: v.map(|v| v.description.clone()).unwrap_or_default(),
            url: self.urls.verdict(key),
        }
    }

    /// The address of `evidence` as a link, and what the ledger keeps of it (`None` when it
    /// keeps nothing: a bare URL).
    fn evidence(&self, evidence: Option<&Evidence>) -> (Option<String>, Option<LedgerView>) {
        let Some(e) = evidence else { return (None, None) };
        let ledger = e.keeps_more().then(|| LedgerView {
            archived: e.archived.as_deref().map(|u| self.urls.field(u)),
            accessed: e.accessed.map(|d| self.date(d)),
            quote: e.quote.clone(),
        });
        (Some(self.urls.field(&e.url)), ledger)
    }

    fn author(&self, name: &str) -> LinkView {
        LinkView { text: name.to_string(), url: self.urls.author(&term_slug(name)) }
    }

    /// Links to the pages of the authors of `review`: the first's, and everyone's.
    fn credits(&self, review: &crate::model::Review) -> (LinkView, Vec<LinkView>) {
        let authors: Vec<LinkView> = review.authors.iter().map(|a| self.author(a)).collect();
        let lead =
            authors.first().map_or_else(|| self.author(""), |a| LinkView { text: a.text.clone(), url: a.url.clone() });
        (lead, authors)
    }

    fn tag_links(&self, tags: &[String]) -> Vec<LinkView> {
        tags.iter().map(|t| LinkView { text: t.clone(), url: self.urls.tag(&term_slug(t)) }).collect()
    }

    fn percent(&self, value: f64) -> String {
        let scale = self.config().scale;
        Fixed((value - scale.min) / (scale.max - scale.min) * 100.0 + 0.0, 0).to_string()
    }

    fn scale(&self) -> String {
        let scale = self.config().scale;
        format!("{}–{}", format_score(scale.min), format_score(scale.max))
    }

    /// `scheme://host` of the base URL, for making root-relative links absolute.
    pub fn origin(&self) -> &str {
        self.site.config.origin()
    }

    /// An absolute URL for a link built by [`Urls`] (which already holds the base path).
    fn absolute_url(&self, link: &str) -> String {
        format!("{}{link}", self.origin())
    }

    /// The axes as table headers.
    pub fn axes(&self) -> Vec<AxisHead> {
        self.config()
            .axes
            .iter()
            .map(|a| AxisHead { key: a.key.clone(), label: a.label.clone(), ask: a.ask.clone() })
            .collect()
    }

    /// How many questions of `project`'s reviews are open (the projects table's count).
    pub(super) fn open_questions(&self, project: &Project) -> usize {
        project
            .reviews
            .iter()
            .flat_map(|&r| &self.site.reviews[r].questions)
            .filter(|q| q.status == QuestionStatus::Open)
            .count()
    }

    fn verdict_mix(&self, project: &Project) -> Vec<VerdictCount> {
        self.config()
            .verdicts
            .iter()
            .map(|v| VerdictCount {
                key: v.key.clone(),
                label: v.label.clone(),
                count: self.counted(project).filter(|r| r.verdict == v.key).count(),
            })
            .filter(|v| v.count > 0)
            .collect()
    }

    /// Every project as a comparison row: best overall score first, then projects with too
    /// few reviews for one, by name.
    pub fn project_rows(&self) -> Vec<ProjectRow> {
        let mut projects: Vec<&Project> = self.site.projects.iter().map(|p| &**p).collect();
        projects.sort_by(|a, b| {
            let by_score = match (a.overall, b.overall) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_score.then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())).then_with(|| a.slug.cmp(&b.slug))
        });
        projects.into_iter().map(|p| self.project_row(p)).collect()
    }

    /// The row of the projects table for `project` (the table orders rows by overall score).
    pub fn project_row(&self, p: &Project) -> ProjectRow {
        ProjectRow {
            name: p.name.clone(),
            url: self.urls.project(&p.slug),
            category: p.category.clone(),
            reviews: self.counted(p).count(),
            open_questions: self.open_questions(p),
            overall: p.overall.map(format_score),
            medians: p.scores.iter().map(|s| s.median.filter(|_| p.has_aggregate()).map(format_score)).collect(),
            each: p
                .scores
                .iter()
                .map(|s| {
                    let scores: Vec<String> = s.values.iter().map(|&v| format_score(v)).collect();
                    (!p.has_aggregate() && !scores.is_empty()).then(|| scores.join(" · "))
                })
                .collect(),
            verdicts: self.verdict_mix(p),
            recommend: self.recommendation(p),
        }
    }

    /// The reviews of `project` its aggregates count: not the retracted ones, nor the stale
    /// ones when the site leaves them out.
    pub fn counted<'p>(&'p self, project: &'p Project) -> impl Iterator<Item = &'p crate::model::Review> + 'p {
        let (config, today) = (self.config(), self.site.today);
        project.reviews.iter().map(|&r| &*self.site.reviews[r]).filter(move |r| r.counts_in_aggregates(config, today))
    }

    /// How many of `p`'s reviews recommend it; `None` without `recommend_from` or reviews.
    pub fn recommendation(&self, p: &Project) -> Option<Recommendation> {
        let recommending = self.config().recommending();
        if recommending.is_empty() {
            return None;
        }
        let counted: Vec<&str> = self.counted(p).map(|r| r.verdict.as_str()).collect();
        let count = counted.iter().filter(|v| recommending.iter().any(|r| r.key == **v)).count();
        let of = counted.len();
        (of > 0).then(|| Recommendation { count, of, percent: (count * 100 + of / 2) / of })
    }
}
