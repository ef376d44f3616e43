//! Page data: for each kind of page, exactly the values its template shows, prepared from the
//! site model. A template never receives the whole site (Tera copies its context).

use serde::Serialize;

use crate::config::Config;
use crate::markdown::Heading;
use crate::model::date::Date;
use crate::model::matter::{Accountability, Governance, QuestionStatus, Token};
use crate::model::scores::format_score;
use crate::model::{Project, QuestionRef, Review, Site};

use super::urls::Urls;

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

/// One axis of a project's scores.
#[derive(Debug, Serialize)]
pub struct AxisRow {
    key: String,
    label: String,
    ask: String,
    reviewers: usize,
    median: Option<String>,
    min: Option<String>,
    max: Option<String>,
    /// The median as a percentage of the scale, for a bar.
    percent: Option<String>,
}

/// A question as shown under a claim on the project page.
#[derive(Debug, Serialize)]
pub struct QuestionItem {
    ask: String,
    status: &'static str,
    answer_html: Option<String>,
    evidence: Option<String>,
    asked: Option<DateView>,
    answered: Option<DateView>,
    review: LinkView,
    author: String,
}

/// Counts of questions by status.
#[derive(Debug, Default, Serialize)]
pub struct StatusCounts {
    open: usize,
    answered: usize,
    disputed: usize,
}

impl StatusCounts {
    fn add(&mut self, status: QuestionStatus) {
        match status {
            QuestionStatus::Open => self.open += 1,
            QuestionStatus::Answered => self.answered += 1,
            QuestionStatus::Disputed => self.disputed += 1,
        }
    }
}

/// A claim with the questions raised about it.
#[derive(Debug, Serialize)]
pub struct ClaimView {
    id: String,
    text: String,
    source: Option<String>,
    accessed: Option<DateView>,
    counts: StatusCounts,
    questions: Vec<QuestionItem>,
}

/// A verdict and how many reviews reached it.
#[derive(Debug, Serialize)]
pub struct VerdictCount {
    key: String,
    label: String,
    count: usize,
}

/// Everything the project page shows.
#[derive(Debug, Serialize)]
pub struct ProjectView {
    name: String,
    summary: String,
    homepage: Option<String>,
    category: Option<String>,
    tags: Vec<String>,
    body: String,
    claims: Vec<ClaimView>,
    unclaimed: Vec<QuestionItem>,
    scores: Vec<AxisRow>,
    scale: String,
    token: Option<Token>,
    governance: Option<Governance>,
    accountability: Option<Accountability>,
    verdicts: Vec<VerdictCount>,
    reviews: Vec<ReviewCard>,
    counts: StatusCounts,
}

/// One axis of a review's scores, beside the project's median.
#[derive(Debug, Serialize)]
pub struct ReviewScore {
    label: String,
    ask: String,
    value: Option<String>,
    percent: Option<String>,
    project_median: Option<String>,
}

/// A question on its review's page.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    anchor: String,
    number: usize,
    ask: String,
    status: &'static str,
    claim: Option<LinkView>,
    answer_html: Option<String>,
    evidence: Option<String>,
    asked: Option<DateView>,
    answered: Option<DateView>,
}

/// Everything the review page shows.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    title: String,
    author: String,
    date: DateView,
    updated: Option<DateView>,
    verdict: VerdictView,
    project: LinkView,
    project_summary: String,
    scores: Vec<ReviewScore>,
    scale: String,
    tags: Vec<String>,
    questions: Vec<QuestionView>,
    body: String,
    toc: Vec<Heading>,
    reading_minutes: usize,
    word_count: usize,
    others: Vec<ReviewCard>,
    draft: bool,
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

    fn question_item(&self, at: QuestionRef) -> QuestionItem {
        let (review, q) = self.site.question(at);
        QuestionItem {
            ask: q.ask.clone(),
            status: q.status.key(),
            answer_html: q.answer_html.clone(),
            evidence: q.evidence.clone(),
            asked: q.asked.map(Into::into),
            answered: q.answered.map(Into::into),
            review: LinkView {
                text: review.title.clone(),
                url: format!("{}#{}", self.urls.review(&review.slug), q.anchor()),
            },
            author: review.author.clone(),
        }
    }

    /// The project page.
    pub fn project(&self, project: &Project) -> ProjectView {
        let mut counts = StatusCounts::default();
        let claims = project
            .claims
            .iter()
            .map(|c| {
                let mut claim_counts = StatusCounts::default();
                for &at in &c.questions {
                    let status = self.site.question(at).1.status;
                    claim_counts.add(status);
                    counts.add(status);
                }
                ClaimView {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    source: c.source.clone(),
                    accessed: c.accessed.map(Into::into),
                    counts: claim_counts,
                    questions: c.questions.iter().map(|&at| self.question_item(at)).collect(),
                }
            })
            .collect();
        for &at in &project.unclaimed_questions {
            counts.add(self.site.question(at).1.status);
        }
        let scores = self
            .config()
            .axes
            .iter()
            .zip(&project.scores)
            .map(|(axis, s)| AxisRow {
                key: axis.key.clone(),
                label: axis.label.clone(),
                ask: axis.ask.clone(),
                reviewers: s.values.len(),
                median: s.median.map(format_score),
                min: s.min.map(format_score),
                max: s.max.map(format_score),
                percent: s.median.map(|m| self.percent(m)),
            })
            .collect();
        let verdicts = self
            .config()
            .verdicts
            .iter()
            .map(|v| VerdictCount {
                key: v.key.clone(),
                label: v.label.clone(),
                count: project.reviews.iter().filter(|&&r| self.site.reviews[r].verdict == v.key).count(),
            })
            .filter(|v| v.count > 0)
            .collect();
        ProjectView {
            name: project.name.clone(),
            summary: project.summary.clone(),
            homepage: project.homepage.clone(),
            category: project.category.clone(),
            tags: project.tags.clone(),
            body: project.body.html.clone(),
            claims,
            unclaimed: project.unclaimed_questions.iter().map(|&at| self.question_item(at)).collect(),
            scores,
            scale: self.scale(),
            token: project.token.clone(),
            governance: project.governance.clone(),
            accountability: project.accountability.clone(),
            verdicts,
            reviews: project.reviews.iter().map(|&r| self.card(&self.site.reviews[r])).collect(),
            counts,
        }
    }

    /// The review page.
    pub fn review(&self, index: usize) -> ReviewView {
        let review = &self.site.reviews[index];
        let project = &self.site.projects[review.project];
        let scores = self
            .config()
            .axes
            .iter()
            .zip(&project.scores)
            .map(|(axis, summary)| {
                let value = review.scores.get(&axis.key).copied();
                ReviewScore {
                    label: axis.label.clone(),
                    ask: axis.ask.clone(),
                    value: value.map(format_score),
                    percent: value.map(|v| self.percent(v)),
                    project_median: summary.median.map(format_score),
                }
            })
            .collect();
        let questions = review
            .questions
            .iter()
            .map(|q| QuestionView {
                anchor: q.anchor(),
                number: q.number,
                ask: q.ask.clone(),
                status: q.status.key(),
                claim: q.claim.as_ref().and_then(|id| project.claims.iter().find(|c| &c.id == id)).map(|c| LinkView {
                    text: c.text.clone(),
                    url: format!("{}#claim-{}", self.urls.project(&project.slug), c.id),
                }),
                answer_html: q.answer_html.clone(),
                evidence: q.evidence.clone(),
                asked: q.asked.map(Into::into),
                answered: q.answered.map(Into::into),
            })
            .collect();
        let toc = if review.body.headings.len() >= 3 { review.body.headings.clone() } else { Vec::new() };
        ReviewView {
            title: review.title.clone(),
            author: review.author.clone(),
            date: review.date.into(),
            updated: review.updated.map(Into::into),
            verdict: self.verdict(&review.verdict),
            project: LinkView { text: project.name.clone(), url: self.urls.project(&project.slug) },
            project_summary: project.summary.clone(),
            scores,
            scale: self.scale(),
            tags: review.tags.clone(),
            questions,
            body: review.body.html.clone(),
            toc,
            reading_minutes: review.body.reading_minutes,
            word_count: review.body.word_count,
            others: project
                .reviews
                .iter()
                .filter(|&&r| r != index)
                .map(|&r| self.card(&self.site.reviews[r]))
                .collect(),
            draft: review.draft,
        }
    }
}
