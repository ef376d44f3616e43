//! The project page's data: scores per axis, claims with their questions, the cards.

use serde::Serialize;

use crate::model::matter::{Accountability, Governance, Token};
use crate::model::scores::format_score;
use crate::model::{Project, QuestionRef};

use super::{DateView, LinkView, ReviewCard, StatusCounts, Views};

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

impl Views<'_> {
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
}
