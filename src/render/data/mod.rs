//! The site's facts for machines and hosts: JSON Feed, per-project JSON, the JSONL dataset
//! with its JSON Schema, `llms.txt`, `sitemap.xml` and `robots.txt`. Records carry a
//! `version`; field names are stable within it.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;

use crate::model::{Claim, Project, Question, Review, Site};
use crate::parse::matter::{Accountability, Disclosure, Governance, QuestionStatus, Token};

use super::jobs::Job;
use super::views::Views;
use crate::output::OutputFile;

mod csv;
mod people;
mod summaries;

use summaries::{llms, llms_line};
pub use summaries::{sitemap, sitemap_pages};

/// The version of every record's shape (2: reviews say where they stand, until when they are
/// current and what their author disclosed; questions when the project was asked to reply;
/// projects how many reviewers recommend them, how many of their reviews are stale, their
/// channels and their replies; 3: claims what the site found of them; earlier versions'
/// fields are unchanged).
pub const DATA_VERSION: u32 = 3;

/// The JSON Schema of the records.
const SCHEMA: &str = include_str!("schema.json");

#[derive(Serialize)]
struct QuestionRecord<'a> {
    number: usize,
    ask: &'a str,
    claim: Option<&'a str>,
    status: QuestionStatus,
    answer: Option<&'a str>,
    evidence: Option<Cow<'a, str>>,
    /// What the ledger keeps of the evidence.
    evidence_ledger: Option<LedgerRecord<'a>>,
    asked: Option<String>,
    answered: Option<String>,
    /// When the project was asked to reply to it.
    response_requested: Option<String>,
    review: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ReviewRecord<'a> {
    version: u32,
    slug: &'a str,
    url: String,
    project: &'a str,
    title: &'a str,
    /// The first of `authors` (as version 1 had it).
    author: &'a str,
    /// Everyone who wrote it.
    authors: &'a [String],
    date: String,
    updated: Option<String>,
    verdict: &'a str,
    scores: &'a std::collections::BTreeMap<String, f64>,
    overall: Option<f64>,
    tags: &'a [String],
    questions: Vec<QuestionRecord<'a>>,
    /// `published`, `under-review` or `retracted`.
    status: &'static str,
    /// Since when it is under review, or when it was retracted.
    status_date: Option<String>,
    /// Why.
    status_reason: Option<&'a str>,
    /// The last day it counts as current.
    fresh_until: String,
    /// What its author disclosed.
    disclosure: Option<&'a Disclosure>,
}

/// What the evidence ledger keeps of a source beside its address.
#[derive(Serialize)]
struct LedgerRecord<'a> {
    archived: Option<Cow<'a, str>>,
    accessed: Option<String>,
    quote: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimRecord<'a> {
    version: u32,
    project: &'a str,
    id: &'a str,
    text: &'a str,
    source: Option<Cow<'a, str>>,
    /// What the ledger keeps of the source.
    source_ledger: Option<LedgerRecord<'a>>,
    accessed: Option<String>,
    url: String,
    open: usize,
    answered: usize,
    disputed: usize,
    questions: Vec<QuestionRecord<'a>>,
    /// What the site found of it.
    finding: Option<FindingRecord<'a>>,
}

#[derive(Serialize)]
struct FindingRecord<'a> {
    rating: &'a str,
    /// The rating's label.
    label: &'a str,
    date: String,
    by: Option<&'a str>,
    /// Markdown.
    summary: Option<&'a str>,
    /// `<review slug>#q-<number>`.
    based_on: Vec<String>,
}

#[derive(Serialize)]
struct AxisRecord<'a> {
    /// The axis' name as pages show it.
    label: &'a str,
    reviewers: usize,
    values: &'a [f64],
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    contested: bool,
    /// What the rubric says a score in the median's band means (with a median and bands).
    band: Option<&'a str>,
}

#[derive(Serialize)]
struct ProjectRecord<'a> {
    version: u32,
    slug: &'a str,
    url: String,
    name: &'a str,
    summary: &'a str,
    homepage: Option<&'a str>,
    channels: &'a [String],
    category: Option<&'a str>,
    tags: &'a [String],
    overall: Option<f64>,
    scores: std::collections::BTreeMap<&'a str, AxisRecord<'a>>,
    claims: Vec<ClaimRecord<'a>>,
    reviews: Vec<ReviewRecord<'a>>,
    token: Option<&'a Token>,
    governance: Option<&'a Governance>,
    accountability: Option<&'a Accountability>,
    /// How many of its reviews are stale on the site's day.
    stale_reviews: usize,
    /// How many of its reviews its aggregates count (as the projects table says).
    counted_reviews: usize,
    /// How many questions of its reviews are open (as the projects table says).
    open_questions: usize,
    /// With `recommend_from`: how many of its counted reviews recommend it, of how many.
    recommend: Option<RecommendRecord>,
    /// Its replies, newest first.
    responses: Vec<people::ResponseRecord<'a>>,
    /// What happened to it, oldest first.
    events: Vec<EventRecord<'a>>,
}

#[derive(Serialize)]
struct EventRecord<'a> {
    date: String,
    text: &'a str,
    source: Option<Cow<'a, str>>,
    /// What the ledger keeps of the source.
    source_ledger: Option<LedgerRecord<'a>>,
}

#[derive(Serialize)]
struct RecommendRecord {
    count: usize,
    of: usize,
}

/// Builds the records; every URL is absolute.
pub struct Records<'a> {
    site: &'a Site,
    views: &'a Views<'a>,
    origin: String,
}

impl<'a> Records<'a> {
    fn url(&self, link: &str) -> String {
        format!("{}{link}", self.origin)
    }

    /// A URL field's value, a path on this site made absolute like every URL of the records.
    fn field(&self, url: &'a str) -> Cow<'a, str> {
        if url.starts_with('/') && !url.starts_with("//") {
            Cow::Owned(self.url(&self.views.urls().field(url)))
        } else {
            Cow::Borrowed(url)
        }
    }

    /// What the ledger keeps of `evidence`, if anything (an archived copy on this site as an
    /// absolute URL).
    fn ledger(&self, evidence: Option<&'a crate::parse::matter::Evidence>) -> Option<LedgerRecord<'a>> {
        let e = evidence?;
        e.keeps_more().then(|| LedgerRecord {
            archived: e.archived.as_deref().map(|u| self.field(u)),
            accessed: e.accessed.map(|d| d.to_string()),
            quote: e.quote.as_deref(),
        })
    }

    fn question(&self, review: &'a Review, q: &'a Question) -> QuestionRecord<'a> {
        QuestionRecord {
            number: q.number,
            ask: &q.ask,
            claim: q.claim.as_deref(),
            status: q.status,
            answer: q.answer_source.as_deref(),
            evidence: q.evidence.as_ref().map(|e| self.field(&e.url)),
            evidence_ledger: self.ledger(q.evidence.as_ref()),
            asked: q.asked.map(|d| d.to_string()),
            answered: q.answered.map(|d| d.to_string()),
            response_requested: q.response_requested.map(|d| d.to_string()),
            review: &review.slug,
            url: format!("{}#{}", self.url(&self.views.urls().review(&review.slug)), q.anchor()),
        }
    }

    fn review(&self, review: &'a Review) -> ReviewRecord<'a> {
        ReviewRecord {
            version: DATA_VERSION,
            slug: &review.slug,
            url: self.url(&self.views.urls().review(&review.slug)),
            project: &self.site.projects[review.project].slug,
            title: &review.title,
            author: review.lead_author(),
            authors: &review.authors,
            date: review.date.to_string(),
            updated: review.updated.map(|d| d.to_string()),
            verdict: &review.verdict,
            scores: &review.scores,
            overall: self.site.config.overall(&review.scores).map(round),
            tags: &review.tags,
            questions: review.questions.iter().map(|q| self.question(review, q)).collect(),
            status: review.standing.key(),
            status_date: review.standing.note().map(|(date, _)| date.to_string()),
            status_reason: review.standing.note().map(|(_, reason)| reason).filter(|r| !r.is_empty()),
            fresh_until: review.fresh_until.to_string(),
            disclosure: review.disclosure.as_deref(),
        }
    }

    fn claim(&self, project: &'a Project, claim: &'a Claim) -> ClaimRecord<'a> {
        let questions: Vec<QuestionRecord<'a>> = claim
            .questions
            .iter()
            .map(|&at| {
                let (review, q) = self.site.question(at);
                self.question(review, q)
            })
            .collect();
        let count = |status| questions.iter().filter(|q| q.status == status).count();
        ClaimRecord {
            version: DATA_VERSION,
            project: &project.slug,
            id: &claim.id,
            text: &claim.text,
            source: claim.source.as_ref().map(|e| self.field(&e.url)),
            source_ledger: self.ledger(claim.source.as_ref()),
            accessed: claim.accessed.map(|d| d.to_string()),
            url: format!("{}#claim-{}", self.url(&self.views.urls().project(&project.slug)), claim.id),
            open: count(QuestionStatus::Open),
            answered: count(QuestionStatus::Answered),
            disputed: count(QuestionStatus::Disputed),
            questions,
            finding: claim.finding.as_deref().map(|f| FindingRecord {
                rating: &f.rating,
                label: self.site.config.claim_rating_label(&f.rating),
                date: f.date.to_string(),
                by: f.by.as_deref(),
                summary: f.summary_source.as_deref(),
                // A question of a review the run left out (a draft) is not published yet.
                based_on: f
                    .based_on
                    .iter()
                    .filter(|b| self.site.review_of(project, &b.review).is_some())
                    .map(|b| format!("{}#q-{}", b.review, b.number))
                    .collect(),
            }),
        }
    }

    fn project(&self, project: &'a Project) -> ProjectRecord<'a> {
        ProjectRecord {
            version: DATA_VERSION,
            slug: &project.slug,
            url: self.url(&self.views.urls().project(&project.slug)),
            name: &project.name,
            summary: &project.summary,
            homepage: project.homepage.as_deref(),
            channels: &project.channels,
            category: project.category.as_deref(),
            tags: &project.tags,
            overall: project.overall.map(round),
            scores: project
                .scores
                .iter()
                .map(|s| {
                    let aggregate = project.has_aggregate();
                    let median = s.median.filter(|_| aggregate);
                    let axis = self.site.config.axes.iter().find(|a| a.key == s.key);
                    let record = AxisRecord {
                        label: axis.map_or(s.key.as_str(), |a| a.label.as_str()),
                        reviewers: s.values.len(),
                        values: &s.values,
                        median,
                        min: s.min,
                        max: s.max,
                        contested: s.contested,
                        band: axis.zip(median).and_then(|(a, m)| a.band(m)).map(|b| b.means.as_str()),
                    };
                    (s.key.as_str(), record)
                })
                .collect(),
            claims: project.claims.iter().map(|c| self.claim(project, c)).collect(),
            reviews: project.reviews.iter().map(|&r| self.review(&self.site.reviews[r])).collect(),
            token: project.token.as_ref(),
            governance: project.governance.as_ref(),
            accountability: project.accountability.as_ref(),
            stale_reviews: project.stale_reviews,
            counted_reviews: self.views.counted(project).count(),
            open_questions: self.views.open_questions(project),
            recommend: self.views.recommendation(project).map(|r| RecommendRecord { count: r.count, of: r.of }),
            responses: self.responses(project),
            events: project
                .events
                .iter()
                .map(|e| EventRecord {
                    date: e.date.to_string(),
                    text: &e.text,
                    source: e.source.as_ref().map(|s| self.field(&s.url)),
                    source_ledger: self.ledger(e.source.as_ref()),
                })
                .collect(),
        }
    }
}

/// Two decimals: enough for a median or a weighted mean, and stable across platforms.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0 + 0.0
}

fn json_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What the data files take from one review, made from its file and its project's.
#[derive(Debug)]
pub struct ReviewData {
    /// Its record, a line of `data/reviews.jsonl`.
    pub record: Arc<str>,
    /// Its line of `llms.txt`.
    pub summary: Arc<str>,
    /// How many of its questions are open.
    pub open: usize,
    /// Its row of `data/reviews.csv`.
    pub csv: Arc<str>,
}

/// A project's JSON (`projects/<slug>/index.json`) and its claims' lines of
/// `data/claims.jsonl`, made from its file and those of its reviews.
#[derive(Debug)]
pub struct ProjectData {
    /// Its JSON.
    pub json: Bytes,
    /// Its claims' lines.
    pub claims: Arc<str>,
    /// Its row of `data/projects.csv`.
    pub csv: Arc<str>,
}

impl<'a> Records<'a> {
    /// The records of `site`, whose views are `views`.
    pub fn new(site: &'a Site, views: &'a Views<'a>) -> Self {
        Records { site, views, origin: views.origin().to_string() }
    }

    /// The site's origin, which every URL of the records starts with.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// What the data files take from review `i`.
    pub fn review_data(&self, i: usize) -> ReviewData {
        let review = &self.site.reviews[i];
        ReviewData {
            record: Arc::from(json_line(&self.review(review)) + "\n"),
            summary: Arc::from(llms_line(self.site, self, review)),
            open: review.questions.iter().filter(|q| q.status == QuestionStatus::Open).count(),
            csv: Arc::from(self.review_row(review)),
        }
    }

    /// What the data files take from project `i`.
    pub fn project_data(&self, i: usize) -> ProjectData {
        let project = &self.site.projects[i];
        let json = serde_json::to_string_pretty(&self.project(project)).unwrap_or_default() + "\n";
        let claims: String = project.claims.iter().map(|c| json_line(&self.claim(project, c)) + "\n").collect();
        ProjectData { json: Bytes::from(json), claims: Arc::from(claims), csv: Arc::from(self.project_row(project)) }
    }

    /// The JSON Feed of the newest reviews.
    pub fn json_feed(&self) -> Bytes {
        Bytes::from(serde_json::to_string_pretty(&self.views.json_feed()).unwrap_or_default() + "\n")
    }
}

/// The machine-readable files of a site, from its parts: each project's data (`projects`, in
/// site order), each review's (`reviews`), the JSON Feed, the sitemap and `data/authors.jsonl`
/// ([`Records::authors_file`]); the dataset files and `llms.txt` as joined from `join` (their
/// parts in order).
pub fn assembled(
    records: &Records<'_>,
    projects: &[Arc<ProjectData>],
    reviews: &[Arc<ReviewData>],
    json_feed: Bytes,
    sitemap: Bytes,
    authors: Bytes,
    join: &mut dyn FnMut(JoinedFile, Vec<Arc<str>>) -> Bytes,
) -> Vec<OutputFile> {
    let site = records.site;
    let shared = |path: &str, bytes: Bytes| OutputFile::new(path.to_string(), bytes);
    let mut files: Vec<OutputFile> = site
        .projects
        .iter()
        .zip(projects)
        .map(|(project, made)| shared(&format!("projects/{}/index.json", project.slug), made.json.clone()))
        .collect();
    files.push(shared(
        "data/reviews.jsonl",
        join(JoinedFile::Reviews, reviews.iter().map(|r| r.record.clone()).collect()),
    ));
    files.push(shared(
        "data/claims.jsonl",
        join(JoinedFile::Claims, projects.iter().map(|p| p.claims.clone()).collect()),
    ));
    files.push(shared("data/authors.jsonl", authors));
    let header = |text: String| std::iter::once(Arc::from(text));
    let rows = header(csv::projects_header(&site.config)).chain(projects.iter().map(|p| p.csv.clone()));
    files.push(shared(csv::PROJECTS_CSV, join(JoinedFile::ProjectsCsv, rows.collect())));
    let rows = header(csv::reviews_header(&site.config)).chain(reviews.iter().map(|r| r.csv.clone()));
    files.push(shared(csv::REVIEWS_CSV, join(JoinedFile::ReviewsCsv, rows.collect())));
    files.push(shared("data/schema.json", Bytes::from_static(SCHEMA.as_bytes())));
    files.push(shared("feed.json", json_feed));
    files.push(shared("sitemap.xml", sitemap));
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.base_url);
    files.push(shared("robots.txt", Bytes::from(robots)));
    files.push(shared("llms.txt", join(JoinedFile::Llms, llms(site, records, reviews))));
    files
}

/// The files joined from many parts (which `serve` joins again only where parts changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinedFile {
    /// `data/reviews.jsonl`: a line per review.
    Reviews,
    /// `data/claims.jsonl`: the lines of each project's claims.
    Claims,
    /// `llms.txt`: the site, each project, each review.
    Llms,
    /// `data/projects.csv`: a header, a row per project.
    ProjectsCsv,
    /// `data/reviews.csv`: a header, a row per review.
    ReviewsCsv,
}

/// Every machine-readable file of the site, whose pages are `jobs`.
pub fn files(site: &Site, views: &Views<'_>, jobs: &[Job]) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let records = Records::new(site, views);
    let projects: Vec<Arc<ProjectData>> =
        (0..site.projects.len()).into_par_iter().map(|i| Arc::new(records.project_data(i))).collect();
    let reviews: Vec<Arc<ReviewData>> =
        (0..site.reviews.len()).into_par_iter().map(|i| Arc::new(records.review_data(i))).collect();
    let placed = sitemap_pages(site, views, jobs, true);
    let listed = sitemap_pages(site, views, jobs, false);
    let sitemap = sitemap(site, views, &placed, &listed, records.origin());
    let (feed, authors) = (records.json_feed(), records.authors_file());
    assembled(&records, &projects, &reviews, feed, sitemap, authors, &mut |_, parts| Bytes::from(parts.concat()))
}
