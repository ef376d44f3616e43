//! Page data: for each kind of page, exactly the values its template shows, prepared from the
//! site model. A template never receives the whole site (Tera copies its context).

use serde::Serialize;

use crate::config::Config;
use crate::model::date::Date;
use crate::model::matter::QuestionStatus;
use crate::model::scores::format_score;
use crate::model::{Project, Review, Site};

use super::urls::Urls;

mod project;
mod review;

/// A date for a `<time>` element.
#[derive(Debug, Serialize)]
pub struct DateView {
    iso: String,
    human: String,
}

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        Self { iso: d.to_string(), human: d.human() }
    }
}

/// A link with its text.
#[derive(Debug, Serialize)]
pub struct LinkView {
    text: String,
    url: String,
}

/// A verdict as readers see it.
#[derive(Debug, Serialize)]
pub struct VerdictView {
    key: String,
    label: String,
    description: String,
}

/// A review in a listing.
#[derive(Debug, Serialize)]
pub struct ReviewCard {
    title: String,
    url: String,
    project: LinkView,
    author: String,
    date: DateView,
    verdict: VerdictView,
    summary: String,
    questions: usize,
    open_questions: usize,
    draft: bool,
}

/// A column header of a score table.
#[derive(Debug, Serialize)]
pub struct AxisHead {
    key: String,
    label: String,
    ask: String,
}

/// A project in the comparison table.
#[derive(Debug, Serialize)]
pub struct ProjectRow {
    name: String,
    url: String,
    category: Option<String>,
    reviews: usize,
    open_questions: usize,
    /// The median per axis, in axis order; `None` where nobody scored it.
    medians: Vec<Option<String>>,
}

/// Counts of questions by status.
#[derive(Debug, Default, Serialize)]
pub struct StatusCounts {
    open: usize,
    answered: usize,
    disputed: usize,
}

impl StatusCounts {
    pub(super) fn add(&mut self, status: QuestionStatus) {
        match status {
            QuestionStatus::Open => self.open += 1,
            QuestionStatus::Answered => self.answered += 1,
            QuestionStatus::Disputed => self.disputed += 1,
        }
    }
}

/// Prepares page data from one site.
pub struct Views<'a> {
    site: &'a Site,
    urls: Urls<'a>,
}

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Self {
        Self { site, urls: Urls::new(site.config.base_path()) }
    }

    /// The link builder of the site.
    pub fn urls(&self) -> Urls<'a> {
        self.urls
    }

    fn config(&self) -> &Config {
        &self.site.config
    }

    fn verdict(&self, key: &str) -> VerdictView {
        let v = self.config().verdict(key);
        VerdictView {
            key: key.to_string(),
            label: v.map_or_else(|| key.to_string(), |v| v.label.clone()),
            description: v.map(|v| v.description.clone()).unwrap_or_default(),
        }
    }

    fn percent(&self, value: f64) -> String {
        let scale = self.config().scale;
        format!("{:.0}", (value - scale.min) / (scale.max - scale.min) * 100.0)
    }

    fn scale(&self) -> String {
        let scale = self.config().scale;
        format!("{}–{}", format_score(scale.min), format_score(scale.max))
    }

    /// The axes as table headers.
    pub fn axes(&self) -> Vec<AxisHead> {
        self.config()
            .axes
            .iter()
            .map(|a| AxisHead { key: a.key.clone(), label: a.label.clone(), ask: a.ask.clone() })
            .collect()
    }

    /// A review as a listing card.
    pub fn card(&self, review: &Review) -> ReviewCard {
        let project = &self.site.projects[review.project];
        ReviewCard {
            title: review.title.clone(),
            url: self.urls.review(&review.slug),
            project: LinkView { text: project.name.clone(), url: self.urls.project(&project.slug) },
            author: review.author.clone(),
            date: review.date.into(),
            verdict: self.verdict(&review.verdict),
            summary: review.body.summary.clone(),
            questions: review.questions.len(),
            open_questions: review.questions.iter().filter(|q| q.status == QuestionStatus::Open).count(),
            draft: review.draft,
        }
    }

    /// Cards for the newest `limit` reviews.
    pub fn latest(&self, limit: usize) -> Vec<ReviewCard> {
        self.site.reviews.iter().take(limit).map(|r| self.card(r)).collect()
    }

    /// Cards for every review, newest first.
    pub fn all_reviews(&self) -> Vec<ReviewCard> {
        self.latest(usize::MAX)
    }

    fn open_questions(&self, project: &Project) -> usize {
        project
            .reviews
            .iter()
            .flat_map(|&r| &self.site.reviews[r].questions)
            .filter(|q| q.status == QuestionStatus::Open)
            .count()
    }

    /// Every project as a comparison row, by name.
    pub fn project_rows(&self) -> Vec<ProjectRow> {
        let mut rows: Vec<ProjectRow> = self
            .site
            .projects
            .iter()
            .map(|p| ProjectRow {
                name: p.name.clone(),
                url: self.urls.project(&p.slug),
                category: p.category.clone(),
                reviews: p.reviews.len(),
                open_questions: self.open_questions(p),
                medians: p.scores.iter().map(|s| s.median.map(format_score)).collect(),
            })
            .collect();
        rows.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.url.cmp(&b.url)));
        rows
    }
}
