//! The project page's data: scores per axis (chart and table), claims with their questions,
//! the token / governance / accountability cards, the score's history.

use serde::Serialize;

use crate::config::StaleAggregates;
use crate::model::Project;
use crate::model::scores::format_score;
use crate::parse::matter::{Accountability, Governance, Token};
use crate::render::chart::{self, Strip};

use serde_json::json;

use super::{DateView, LinkView, StatusCounts, VerdictCount, Views, json_ld};

/// One axis of a project's scores.
#[derive(Debug, Serialize)]
pub struct AxisRow {
    key: String,
    label: String,
    ask: String,
    reviewers: usize,
    /// Every reviewer's score, ascending (`3, 5, 7`).
    scores: String,
    /// Only once the project has enough reviews.
    median: Option<String>,
    min: Option<String>,
    max: Option<String>,
    contested: bool,
}

/// A claim with the questions raised about it.
#[derive(Debug, Serialize)]
pub struct ClaimView {
    id: String,
    text: String,
    source: Option<String>,
    accessed: Option<DateView>,
    /// What the ledger keeps of the source.
    source_ledger: Option<super::LedgerView>,
    counts: StatusCounts,
    questions: Vec<tera::Value>,
    /// What the evidence shows of it.
    finding: Option<super::findings::FindingView>,
}

/// The overall score as of one date.
#[derive(Debug, Serialize)]
pub struct HistoryRow {
    date: DateView,
    overall: String,
    reviews: usize,
}

/// Everything the project page shows.
#[derive(Debug, Serialize)]
pub struct ProjectView {
    /// Its `cover:` picture.
    cover: Option<super::CoverView>,
    name: String,
    summary: String,
    homepage: Option<String>,
    category: Option<String>,
    tags: Vec<LinkView>,
    body: String,
    claims: Vec<ClaimView>,
    unclaimed: Vec<tera::Value>,
    scores: Vec<AxisRow>,
    /// Whether the project has `min_reviews` reviews, so medians and overall are shown.
    aggregate: bool,
    min_reviews: usize,
    overall: Option<String>,
    /// How many reviews the aggregates count.
    counted: usize,
    /// How many of them recommend it, with `recommend_from` set.
    recommend: Option<super::Recommendation>,
    /// How many of its reviews are stale, and whether the aggregates leave them out.
    stale: usize,
    stale_excluded: bool,
    /// The strip chart, inline SVG.
    chart: String,
    /// The score over time, inline SVG, when there are two points or more.
    history_chart: Option<String>,
    history: Vec<HistoryRow>,
    scale: String,
    token: Option<Token>,
    governance: Option<Governance>,
    accountability: Option<Accountability>,
    verdicts: Vec<VerdictCount>,
    reviews: Vec<tera::Value>,
    counts: StatusCounts,
    /// schema.org `Product` with its `AggregateRating`, for `<script type="application/ld+json">`.
    json_ld: String,
    /// The project's replies, newest first.
    responses: Vec<super::responses::ResponseView>,
    /// schema.org `ClaimReview` of each claim with a finding.
    claim_reviews: Vec<String>,
    /// What happened to it and what the site did about it, newest first.
    timeline: Vec<super::timeline::TimelineEntry>,
}

impl Views<'_> {
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
                let (source, source_ledger) = self.evidence(c.source.as_ref());
                ClaimView {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    source,
                    source_ledger,
                    accessed: c.accessed.map(|d| self.date(d)),
                    counts: claim_counts,
                    questions: c.questions.iter().map(|&at| self.question_item(at)).collect(),
                    finding: self.finding(project, c),
                }
            })
            .collect();
        for &at in &project.unclaimed_questions {
            counts.add(self.site.question(at).1.status);
        }
        let aggregate = project.has_aggregate();
        let axes = self.config().axes.iter().zip(&project.scores);
        let scores = axes
            .clone()
            .map(|(axis, s)| AxisRow {
                key: axis.key.clone(),
                label: axis.label.clone(),
                ask: axis.ask.clone(),
                reviewers: s.values.len(),
                scores: s.values.iter().map(|v| format_score(*v)).collect::<Vec<_>>().join(", "),
                median: s.median.filter(|_| aggregate).map(format_score),
                min: s.min.map(format_score),
                max: s.max.map(format_score),
                contested: s.contested,
            })
            .collect();
        let strips: Vec<Strip> = axes
            .map(|(axis, s)| Strip {
                key: axis.key.clone(),
                label: axis.label.clone(),
                // The scores the medians are of.
                dots: self
                    .counted(project)
                    .filter_map(|review| {
                        review.scores.get(&axis.key).map(|v| (self.strings().names(&review.authors), *v))
                    })
                    .collect(),
                median: s.median.filter(|_| aggregate),
                contested: s.contested,
            })
            .collect();
        let scale = self.config().scale;
        let t = self.strings();
        let json_ld = self.project_json_ld(project);
        let points: Vec<_> = project.history.iter().map(|h| (h.date, h.overall, h.reviews)).collect();
        ProjectView {
            cover: project.cover.as_ref().map(super::CoverView::new),
            name: project.name.clone(),
            summary: project.summary.clone(),
            homepage: project.homepage.clone(),
            category: project.category.clone(),
            tags: self.tag_links(&project.tags),
            body: project.body.html.clone(),
            claims,
            unclaimed: project.unclaimed_questions.iter().map(|&at| self.question_item(at)).collect(),
            scores,
            aggregate,
            min_reviews: self.config().min_reviews,
            overall: project.overall.map(format_score),
            counted: self.counted(project).count(),
            recommend: self.recommendation(project),
            stale: project.stale_reviews,
            stale_excluded: self.config().freshness.stale_aggregates == StaleAggregates::Exclude,
            chart: chart::strips(&t.fill("chart_strips_title", &[("project", &project.name)]), &strips, scale, t),
            history_chart: chart::history(
                &t.fill("chart_history_title", &[("project", &project.name)]),
                &points,
                &project.events.iter().map(|e| (e.date, e.text.as_str())).collect::<Vec<_>>(),
                scale,
                t,
            ),
            history: project
                .history
                .iter()
                .map(|h| HistoryRow { date: self.date(h.date), overall: format_score(h.overall), reviews: h.reviews })
                .collect(),
            scale: self.scale(),
            token: project.token.clone(),
            governance: project.governance.clone(),
            accountability: project.accountability.clone(),
            verdicts: self.verdict_mix(project),
            reviews: self.cards(&project.reviews),
            counts,
            json_ld,
            responses: self.project_responses(project),
            claim_reviews: self.claim_reviews(project),
            timeline: self.timeline(project),
        }
    }

    fn project_json_ld(&self, project: &Project) -> String {
        let scale = self.config().scale;
        let mut value = json!({
            "@context": "https://schema.org",
            "@type": "Product",
            "name": project.name,
            "description": project.description,
            "url": self.absolute_url(&self.urls.project(&project.slug)),
        });
        if let Some(category) = &project.category {
            value["category"] = json!(category);
        }
        if let Some(overall) = project.overall {
            value["aggregateRating"] = json!({
                "@type": "AggregateRating",
                "ratingValue": format_score(overall),
                "bestRating": format_score(scale.max),
                "worstRating": format_score(scale.min),
                "ratingCount": self.counted(project).count(),
                "reviewCount": self.counted(project).count(),
            });
        }
        json_ld(&value)
    }
}
