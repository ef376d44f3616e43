//! The review page's data: scores beside the project's median, questions linked to claims.

use serde::Serialize;

use crate::markdown::Heading;
use crate::model::scores::format_score;

use super::{DateView, LinkView, ReviewCard, VerdictView, Views};

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

impl Views<'_> {
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
