//! The site model: projects, reviews (with their questions), claims and free pages, linked
//! and validated against the configuration. Built once from parsed files, immutable after,
//! and free of I/O, so that any single page can be rendered from it on its own.

mod addresses;
mod assemble;
mod fields;
mod findings;
mod link;
mod responses;
mod reviews;
pub mod scores;
pub mod taxonomy;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::date::Date;
use crate::markdown::{Hazard, Rendered};
use crate::parse::Located;
use crate::parse::matter::{Accountability, Evidence, Governance, QuestionStatus, Token};
use scores::AxisSummary;
use taxonomy::Term;

pub use assemble::{Checked, RESERVED_PAGE_SLUGS, Unreviewed, assemble, assemble_with, disclosed};
pub use findings::{Basis, Finding, finding_errors};
pub use link::{Summary, refile_questions, resummarize, summarize, verdict_order};
pub use responses::{Response, Target, target_errors};
pub use reviews::{ProjectIndex, review};

/// The whole site, linked.
#[derive(Debug, Clone)]
pub struct Site {
    /// The validated configuration (with any `--base-url` applied).
    pub config: Config,
    /// Projects, sorted by slug (shared: a model copied for an edit in place copies only the
    /// projects the edit changes).
    pub projects: Vec<Arc<Project>>,
    /// Reviews, newest first (then by slug).
    pub reviews: Vec<Arc<Review>>,
    /// Free pages, sorted by slug.
    pub pages: Vec<Page>,
    /// The day the site is built for: how long open questions have waited is counted to it.
    pub today: Date,
    /// Tags of reviews and projects (shared: a model copied for an edit in place copies only
    /// the taxonomies the edit changes).
    pub tags: Arc<Vec<Term>>,
    /// Authors of reviews.
    pub authors: Arc<Vec<Term>>,
    /// Verdicts reached, in configuration order.
    pub verdicts: Arc<Vec<Term>>,
    /// The review files left out (drafts, reviews dated after `today`), for the build to say.
    pub left_out: Vec<(std::path::PathBuf, crate::parse::LeftOut)>,
    /// Reviewers' profiles, by slug (the slug of the name reviews give as `author`).
    pub profiles: Vec<Arc<Profile>>,
    /// The projects' replies, newest first.
    pub responses: Vec<Arc<Response>>,
}

/// A reviewer's profile: who they are, where else they write, what they disclose for every
/// review that gives no disclosure of its own.
#[derive(Debug, Clone)]
pub struct Profile {
    /// File name: the slug of the author's name, as the author's page has it.
    pub slug: String,
    /// The name reviews give as `author`.
    pub name: String,
    /// Web addresses.
    pub links: Vec<String>,
    /// Employers, institutions, collectives.
    pub affiliations: Vec<String>,
    /// The standing disclosure.
    pub disclosure: Option<Box<crate::parse::matter::Disclosure>>,
    /// The bio.
    pub body: Arc<Rendered>,
    /// Its file.
    pub source: Located,
}

impl Site {
    /// The slugs of the review files the run left out (drafts, reviews dated later): what
    /// names one is no error, since it is answered once it is published.
    pub fn left_out_slugs(&self) -> std::collections::BTreeSet<&str> {
        self.left_out.iter().filter_map(|(path, _)| path.file_stem()?.to_str()).collect()
    }

    /// The review of `project` named `slug`, if it has one (findings rest on them).
    pub fn review_of(&self, project: &Project, slug: &str) -> Option<&Review> {
        project.reviews.iter().map(|&r| &*self.reviews[r]).find(|r| r.slug == slug)
    }

    /// The replies of `project` (one of [`Site::projects`]), newest first.
    pub fn responses_of<'s>(&'s self, project: &'s Project) -> impl Iterator<Item = &'s Response> + 's {
        self.responses.iter().filter(move |r| self.projects[r.project].slug == project.slug).map(|r| &**r)
    }

    /// The profile of the author named `author`, if there is one.
    pub fn profile(&self, author: &str) -> Option<&Profile> {
        profile_of(&self.profiles, author)
    }
}

/// The profile in `profiles` of the author named `author`: the one named after its slug.
pub fn profile_of<'p>(profiles: &'p [Arc<Profile>], author: &str) -> Option<&'p Profile> {
    // Most sites have none: no slug to make for each review on every rebuild.
    if profiles.is_empty() {
        return None;
    }
    let slug = taxonomy::term_slug(author);
    profiles.iter().find(|p| p.slug == slug).map(|p| &**p)
}

/// A reviewed project.
#[derive(Debug, Clone)]
pub struct Project {
    /// File name, and URL segment.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// One sentence.
    pub summary: String,
    /// What sharing and search engines show of it: its `description:`, else its summary.
    pub description: String,
    /// The picture shared links show instead of its card (`image:`).
    pub image: Option<String>,
    /// The picture of its folder at the top of its page (`cover:`).
    pub cover: Option<crate::parse::Cover>,
    /// Old addresses that redirect to it, as links below the base path (`reviews/old/`).
    pub aliases: Vec<String>,
    /// Its front matter's `extra`, for the site's own templates (`null` when it has none).
    pub extra: serde_json::Value,
    /// Its own site.
    pub homepage: Option<String>,
    /// Broad category.
    pub category: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// What it claims, each with the questions raised about it.
    pub claims: Vec<Claim>,
    /// Who profits.
    pub token: Option<Token>,
    /// Its official site and accounts, where its replies are published.
    pub channels: Vec<String>,
    /// What happened to it, oldest first.
    pub events: Vec<Event>,
    /// Who controls upgrades.
    pub governance: Option<Governance>,
    /// Who answers at 2 a.m.
    pub accountability: Option<Accountability>,
    /// Its description.
    pub body: Arc<Rendered>,
    /// Its file, for diagnostics and editorial checks.
    pub source: Located,
    /// Indices into [`Site::reviews`], newest first.
    pub reviews: Vec<usize>,
    /// Questions that test no particular claim.
    pub unclaimed_questions: Vec<QuestionRef>,
    /// One summary per configured axis, in configuration order.
    pub scores: Vec<AxisSummary>,
    /// The weighted mean of the axis medians, once the project has `min_reviews` reviews.
    pub overall: Option<f64>,
    /// The overall score each time a review was published or revised, oldest first.
    pub history: Vec<HistoryPoint>,
    /// How many of its reviews are stale on the site's day (counted in its aggregates, or
    /// left out of them, as `[freshness] stale_aggregates` says).
    pub stale_reviews: usize,
}

impl Project {
    /// Whether there are enough reviews to show aggregates.
    pub fn has_aggregate(&self) -> bool {
        self.overall.is_some()
    }
}

/// The project's overall score as of one date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryPoint {
    /// From this date on.
    pub date: Date,
    /// The weighted mean of the axis medians over the reviews published by then.
    pub overall: f64,
    /// How many reviews that was.
    pub reviews: usize,
}

/// One claim of a project.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Stable id, and anchor on the project page.
    pub id: String,
    /// The claim.
    pub text: String,
    /// Where the project makes it.
    pub source: Option<Evidence>,
    /// When the source was read.
    pub accessed: Option<Date>,
    /// What the evidence shows of it.
    pub finding: Option<Box<Finding>>,
    /// Every question any review raised about it, newest review first.
    pub questions: Vec<QuestionRef>,
}

/// One dated event in a project's life: a launch, an incident, an upgrade, a vote.
#[derive(Debug, Clone)]
pub struct Event {
    /// When it happened.
    pub date: Date,
    /// What happened.
    pub text: String,
    /// Where it is recorded.
    pub source: Option<Evidence>,
}

/// Points at one question of one review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionRef {
    /// Index into [`Site::reviews`].
    pub review: usize,
    /// Index into that review's questions.
    pub question: usize,
}

/// One critique.
#[derive(Debug, Clone)]
pub struct Review {
    /// File name, and URL segment.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// What sharing, search engines and feeds show of it: its `description:`, else its
    /// summary's text cut after a word.
    pub description: String,
    /// The picture shared links show instead of its card (`image:`).
    pub image: Option<String>,
    /// The picture of its folder at the top of its page (`cover:`).
    pub cover: Option<crate::parse::Cover>,
    /// Old addresses that redirect to it, as links below the base path (`reviews/old/`).
    pub aliases: Vec<String>,
    /// Its front matter's `extra`, for the site's own templates (`null` when it has none).
    pub extra: serde_json::Value,
    /// Index into [`Site::projects`].
    pub project: usize,
    /// Who wrote it: one name or several, the first the lead.
    pub authors: Vec<String>,
    /// Published.
    pub date: Date,
    /// Last revised.
    pub updated: Option<Date>,
    /// A configured verdict key.
    pub verdict: String,
    /// Score per configured axis key; axes the reviewer did not score are absent.
    pub scores: BTreeMap<String, f64>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The questions it raises.
    pub questions: Vec<Question>,
    /// Its change log, oldest first.
    pub revisions: Vec<Revision>,
    /// Whether it is a draft (only present with `--drafts`).
    pub draft: bool,
    /// The last day it counts as current: `revisit_by`, else `[freshness] stale_after_days`
    /// after its last date. From the day after, it is stale.
    pub fresh_until: Date,
    /// Whether `fresh_until` is the `revisit_by` its author set (else it follows from
    /// `[freshness] stale_after_days`): what a stale notice says.
    pub revisit_set: bool,
    /// Where it stands: published, under review or retracted.
    pub standing: Standing,
    /// What its author disclosed, if anything.
    pub disclosure: Option<Box<crate::parse::matter::Disclosure>>,
    /// The critique.
    pub body: Arc<Rendered>,
    /// Its file, for diagnostics and editorial checks.
    pub source: Located,
}

/// Where a review stands, with what its status note says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Standing {
    /// As written.
    #[default]
    Published,
    /// Being looked at again since `since`: its scores still count, marked.
    UnderReview {
        /// Since when.
        since: Date,
        /// Why, when said.
        reason: String,
    },
    /// Withdrawn on `date`: the page stays, out of every aggregate.
    Retracted {
        /// When.
        date: Date,
        /// Why.
        reason: String,
    },
}

impl Standing {
    /// Whether its scores count in aggregates.
    pub fn counts(&self) -> bool {
        !matches!(self, Standing::Retracted { .. })
    }

    /// The word front matter, data and CSS classes use.
    pub fn key(&self) -> &'static str {
        match self {
            Standing::Published => "published",
            Standing::UnderReview { .. } => "under-review",
            Standing::Retracted { .. } => "retracted",
        }
    }

    /// Its note's day and reason: since when under review, or when retracted and why.
    pub fn note(&self) -> Option<(Date, &str)> {
        match self {
            Standing::Published => None,
            Standing::UnderReview { since: date, reason } | Standing::Retracted { date, reason } => {
                Some((*date, reason.as_str()))
            }
        }
    }
}

/// The site's order of reviews: the newer first, then by slug.
pub fn site_order(a: &Review, b: &Review) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
}

impl Review {
    /// The first of its authors: the one a single name stands for.
    pub fn lead_author(&self) -> &str {
        self.authors.first().map_or("", String::as_str)
    }

    /// Its authors as one line of text: `Ada`, `Ada and Bo`, `Ada, Bo and Cy`.
    pub fn byline(&self) -> String {
        match self.authors.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => self.lead_author().to_string(),
        }
    }

    /// Whether it is stale on `today`.
    pub fn is_stale(&self, today: Date) -> bool {
        today > self.fresh_until
    }

    /// Whether its project's aggregates count it on `today`: not retracted, and not stale
    /// when the site leaves stale reviews out. The one rule for medians, counts and shares.
    pub fn counts_in_aggregates(&self, config: &Config, today: Date) -> bool {
        let stale_out = config.freshness.stale_aggregates == crate::config::StaleAggregates::Exclude;
        self.standing.counts() && !(stale_out && self.is_stale(today))
    }

    /// Its last date: published, updated or revised, whichever is latest.
    pub fn last_date(&self) -> Date {
        let revised = self.revisions.iter().map(|r| r.date);
        revised.chain(self.updated).fold(self.date, Date::max)
    }

    /// The scores the review gave over time, oldest first: each with the date from which
    /// they held (its publication, then each revision).
    pub fn score_states(&self) -> Vec<(Date, &BTreeMap<String, f64>)> {
        let first = self.revisions.first().map_or(&self.scores, |r| &r.previous);
        let mut states = vec![(self.date, first)];
        for (i, revision) in self.revisions.iter().enumerate() {
            let after = self.revisions.get(i + 1).map_or(&self.scores, |next| &next.previous);
            states.push((revision.date, after));
        }
        states
    }
}

/// One change to a published review.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// When it changed.
    pub date: Date,
    /// What changed and why.
    pub note: String,
    /// Every score as it was before this change.
    pub previous: BTreeMap<String, f64>,
}

/// One question of a review.
#[derive(Debug, Clone)]
pub struct Question {
    /// 1-based position in its review; its anchor is `q-<number>`.
    pub number: usize,
    /// The question.
    pub ask: String,
    /// The id of the claim it tests.
    pub claim: Option<String>,
    /// Where it stands.
    pub status: QuestionStatus,
    /// The answer as written (Markdown), for answered and disputed questions.
    pub answer_source: Option<String>,
    /// The targets of the answer's links and images, for the link check.
    pub answer_links: Vec<crate::markdown::Link>,
    /// What in the answer could run script (lines within the answer), for the checks.
    pub answer_hazards: Vec<Hazard>,
    /// The answer as HTML.
    pub answer_html: Option<String>,
    /// A link to the evidence.
    pub evidence: Option<Evidence>,
    /// When it was put to the project.
    pub asked: Option<Date>,
    /// When it was answered.
    pub answered: Option<Date>,
    /// When the project was asked to reply to it.
    pub response_requested: Option<Date>,
}

impl Question {
    /// The anchor id of the question on its review's page.
    pub fn anchor(&self) -> String {
        format!("q-{}", self.number)
    }
}

/// A free page (about, methodology).
#[derive(Debug, Clone)]
pub struct Page {
    /// File name, and URL segment.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// What sharing and search engines show of it: its `description:`, else its first
    /// paragraph's text cut after a word; empty when it has neither.
    pub description: String,
    /// The picture shared links show (`image:`).
    pub image: Option<String>,
    /// Its place in the navigation: lighter first.
    pub weight: i64,
    /// Whether the header links to it.
    pub in_menu: bool,
    /// Old addresses that redirect to it, as links below the base path (`old/`).
    pub aliases: Vec<String>,
    /// Its front matter's `extra`, for the site's own templates (`null` when it has none).
    pub extra: serde_json::Value,
    /// The page.
    pub body: Arc<Rendered>,
    /// Its file, for diagnostics and editorial checks.
    pub source: Located,
}

impl Site {
    /// The question a reference points at.
    pub fn question(&self, r: QuestionRef) -> (&Review, &Question) {
        let review = &self.reviews[r.review];
        (review, &review.questions[r.question])
    }

    /// The number of open questions across the site.
    pub fn open_questions(&self) -> usize {
        self.reviews.iter().flat_map(|r| &r.questions).filter(|q| q.status == QuestionStatus::Open).count()
    }
}
