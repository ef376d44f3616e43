//! The review page's data: scores beside the project's median, questions linked to claims,
//! the change log.

use serde::Serialize;

use crate::markdown::Heading;
use crate::model::Project;
use crate::model::scores::format_score;

use serde_json::json;

use super::{DateView, DisclosureView, LinkView, StandingView, VerdictView, Views, json_ld};

/// How many other reviews of the same project a review page shows: a page per review times
/// every other review would grow with the square of a project's reviews.
pub const OTHER_REVIEWS: usize = 6;

/// One axis of a review's scores, beside the project's median.
#[derive(Debug, Serialize)]
pub struct ReviewScore {
    label: String,
    ask: String,
    value: Option<String>,
    percent: Option<String>,
    /// Only once the project has enough reviews for a median.
    project_median: Option<String>,
    /// What the score means, from the axis' bands.
    band: Option<String>,
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
    /// What the ledger keeps of the evidence.
    evidence_ledger: Option<super::LedgerView>,
    asked: Option<DateView>,
    answered: Option<DateView>,
    /// The project's replies to it.
    replies: Vec<super::responses::ReplyLink>,
    /// Asked for a reply that has not come.
    reply_requested: Option<super::responses::RequestedView>,
}

/// One score a revision changed.
#[derive(Debug, Serialize)]
pub struct ScoreChange {
    label: String,
    before: String,
    after: String,
}

/// One entry of the change log.
#[derive(Debug, Serialize)]
pub struct RevisionView {
    date: DateView,
    note: String,
    changes: Vec<ScoreChange>,
}

/// Everything the review page shows.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    title: String,
    /// The first of `authors` (for templates written when reviews had one).
    author: LinkView,
    authors: Vec<LinkView>,
    date: DateView,
    updated: Option<DateView>,
    verdict: VerdictView,
    project: LinkView,
    project_summary: String,
    project_aggregate: bool,
    scores: Vec<ReviewScore>,
    overall: Option<String>,
    scale: String,
    tags: Vec<LinkView>,
    questions: Vec<QuestionView>,
    revisions: Vec<RevisionView>,
    body: String,
    toc: Vec<Heading>,
    reading_minutes: usize,
    word_count: usize,
    /// The newest other reviews of the project, at most [`OTHER_REVIEWS`].
    others: Vec<tera::Value>,
    /// How many other reviews the project has in all.
    others_total: usize,
    draft: bool,
    /// Dated after the day built for (only present with `--future`, and in serve).
    future: bool,
    /// When it is past its revisit date: its age in whole months (from its last date).
    stale_months: Option<i64>,
    /// Why it is stale: its author's `revisit_by`, else the site's period.
    stale_by_author: bool,
    /// Under review or retracted.
    standing: Option<StandingView>,
    /// What its author disclosed (`None`: "No disclosure given").
    disclosure: Option<DisclosureView>,
    /// The project's replies to it and its questions, oldest first.
    responses: Vec<super::responses::ResponseView>,
    /// schema.org `Review` with `itemReviewed` and `reviewRating`.
    json_ld: String,
    /// Its `cover:` picture.
    cover: Option<super::CoverView>,
}

impl Views<'_> {
    /// schema.org `author` of `review`: a `Person` with their page, or a list of them.
    fn json_ld_authors(&self, review: &crate::model::Review) -> serde_json::Value {
        let person = |name: &String| {
            let url = self.urls.author(&crate::model::taxonomy::term_slug(name));
            json!({ "@type": "Person", "name": name, "url": format!("{}{url}", self.origin()) })
        };
        match review.authors.as_slice() {
            [one] => person(one),
            several => several.iter().map(person).collect(),
        }
    }

    /// The review page.
    pub fn review(&self, index: usize) -> ReviewView {
        let review = &self.site.reviews[index];
        let project = &self.site.projects[review.project];
        let aggregate = project.has_aggregate();
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
                    project_median: summary.median.filter(|_| aggregate).map(format_score),
                    band: value.and_then(|v| axis.band(v)).map(|b| b.means.clone()),
                }
            })
            .collect();
        let questions = review
            .questions
            .iter()
            .map(|q| {
                let (evidence, evidence_ledger) = self.evidence(q.evidence.as_ref());
                QuestionView {
                    anchor: q.anchor(),
                    number: q.number,
                    ask: q.ask.clone(),
                    status: q.status.key(),
                    claim: q.claim.as_ref().and_then(|id| project.claims.iter().find(|c| &c.id == id)).map(|c| {
                        LinkView {
                            text: c.text.clone(),
                            url: format!("{}#claim-{}", self.urls.project(&project.slug), c.id),
                        }
                    }),
                    answer_html: q.answer_html.clone(),
                    evidence,
                    evidence_ledger,
                    asked: q.asked.map(|d| self.date(d)),
                    answered: q.answered.map(|d| self.date(d)),
                    replies: self.question_replies(review, q),
                    reply_requested: self.reply_requested(review, q),
                }
            })
            .collect();
        let states = review.score_states();
        let revisions = review
            .revisions
            .iter()
            .zip(states.windows(2))
            .map(|(revision, pair)| RevisionView {
                date: self.date(revision.date),
                note: revision.note.clone(),
                changes: self
                    .config()
                    .axes
                    .iter()
                    .filter_map(|axis| {
                        let (before, after) = (pair[0].1.get(&axis.key), pair[1].1.get(&axis.key));
                        (before != after).then(|| ScoreChange {
                            label: axis.label.clone(),
                            before: before.map_or_else(|| "not scored".into(), |v| format_score(*v)),
                            after: after.map_or_else(|| "not scored".into(), |v| format_score(*v)),
                        })
                    })
                    .collect(),
            })
            .collect();
        let toc = if review.body.headings.len() >= 3 { review.body.headings.clone() } else { Vec::new() };
        let (others, others_total) = others_shown(project, index);
        let overall = self.config().overall(&review.scores);
        let scale = self.config().scale;
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Review",
            "name": review.title,
            "description": review.description,
            "url": self.absolute_url(&self.urls.review(&review.slug)),
            "datePublished": review.date.to_string(),
            "author": self.json_ld_authors(review),
            "publisher": { "@type": "Organization", "name": self.config().title },
            "itemReviewed": {
                "@type": "Product",
                "name": project.name,
                "description": project.summary,
                "url": self.absolute_url(&self.urls.project(&project.slug)),
            },
        });
        if let Some(updated) = review.updated {
            ld["dateModified"] = json!(updated.to_string());
        }
        // A retracted review rates nothing.
        if let Some(value) = overall.filter(|_| review.standing.counts()) {
            ld["reviewRating"] = json!({
                "@type": "Rating",
                "ratingValue": format_score(value),
                "bestRating": format_score(scale.max),
                "worstRating": format_score(scale.min),
            });
        }
        let (author, authors) = self.credits(review);
        ReviewView {
            cover: review.cover.as_ref().map(super::CoverView::new),
            title: review.title.clone(),
            author,
            authors,
            date: self.date(review.date),
            updated: review.updated.map(|d| self.date(d)),
            verdict: self.verdict(&review.verdict),
            project: LinkView { text: project.name.clone(), url: self.urls.project(&project.slug) },
            project_summary: project.summary.clone(),
            project_aggregate: aggregate,
            scores,
            overall: overall.map(format_score),
            scale: self.scale(),
            tags: self.tag_links(&review.tags),
            questions,
            revisions,
            body: review.body.html.clone(),
            toc,
            reading_minutes: review.body.reading_minutes,
            word_count: review.body.word_count,
            others: self.cards(&others),
            others_total,
            draft: review.draft,
            future: review.date > self.site.today,
            standing: StandingView::of(&review.standing, self.strings()),
            disclosure: DisclosureView::of(review.disclosure.as_deref(), self.strings()),
            responses: self.review_responses(review),
            stale_by_author: review.revisit_set,
            stale_months: review
                .is_stale(self.site.today)
                .then(|| review.last_date().days_until(self.site.today) * 12 / 365),
            json_ld: json_ld(&ld),
        }
    }
}

/// The other reviews of `project` (review `index`'s) that the review's page shows, the newest
/// [`OTHER_REVIEWS`], and how many others the project has.
fn others_shown(project: &Project, index: usize) -> (Vec<usize>, usize) {
    let shown = project.reviews.iter().copied().filter(|&r| r != index).take(OTHER_REVIEWS).collect();
    (shown, project.reviews.len().saturating_sub(1))
}

impl Views<'_> {
    /// The other reviews review `index`'s page shows (the newest of its project's), and how
    /// many it has.
    pub fn others_shown(&self, index: usize) -> (Vec<usize>, usize) {
        others_shown(&self.site.projects[self.site.reviews[index].project], index)
    }

    /// Whether review `index`'s page shows review `other` among its project's other reviews.
    pub fn shows_other(&self, index: usize, other: usize) -> bool {
        index != other && self.others_shown(index).0.contains(&other)
    }
}
