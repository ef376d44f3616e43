//! What happened and what the site did about it, newest first: a project's timeline (its
//! `events`, and the reviews, revisions, standings, questions put and answered, replies and
//! findings about it) and the site's log of changes (`/changes/`: the same across projects,
//! but events and questions put, which change nothing the site says).
//!
//! Both are gathered as [`Change`]s, positions in the model without a word of text, so that
//! the log is sorted and paginated cheaply and only the entries of a page shown are written.

use serde::Serialize;

use crate::date::Date;
use crate::model::{Site, Standing};
use crate::parse::matter::QuestionStatus;

use super::{DateView, LedgerView, Views};

/// One thing that happened, as a position in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// When.
    pub date: Date,
    /// What.
    pub what: Changed,
}

/// What a [`Change`] is, by indices into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changed {
    /// One of a project's `events`.
    Event {
        /// The project.
        project: usize,
        /// The event.
        event: usize,
    },
    /// A review published.
    Review(usize),
    /// A review revised.
    Revision {
        /// The review.
        review: usize,
        /// The revision.
        revision: usize,
    },
    /// A review put under review or retracted.
    Standing(usize),
    /// A question put to the project.
    Asked {
        /// The review.
        review: usize,
        /// The question.
        question: usize,
    },
    /// A question answered (or its answer disputed).
    Answered {
        /// The review.
        review: usize,
        /// The question.
        question: usize,
    },
    /// A reply from the project.
    Reply(usize),
    /// A finding on a claim.
    Finding {
        /// The project.
        project: usize,
        /// The claim.
        claim: usize,
    },
}

impl Changed {
    /// On one day, what happened before what was said about it.
    fn rank(self) -> u8 {
        match self {
            Changed::Event { .. } => 0,
            Changed::Review(_) => 1,
            Changed::Revision { .. } | Changed::Standing(_) => 2,
            Changed::Asked { .. } => 3,
            Changed::Answered { .. } => 4,
            Changed::Reply(_) => 5,
            Changed::Finding { .. } => 6,
        }
    }

    /// The review it is about, if any.
    pub fn review(self) -> Option<usize> {
        match self {
            Changed::Review(r) | Changed::Standing(r) => Some(r),
            Changed::Revision { review, .. } | Changed::Asked { review, .. } | Changed::Answered { review, .. } => {
                Some(review)
            }
            Changed::Event { .. } | Changed::Reply(_) | Changed::Finding { .. } => None,
        }
    }
}

impl Change {
    /// What names it in any model of the site (slugs, not positions), to tell whether two
    /// models' logs hold the same entries in the same places.
    pub fn key<'s>(&self, site: &'s Site) -> (Date, u8, &'s str, usize, usize) {
        let (name, a, b) = match self.what {
            Changed::Event { project, event } => (&site.projects[project].slug, event, 0),
            Changed::Review(r) => (&site.reviews[r].slug, 0, 0),
            Changed::Revision { review, revision } => (&site.reviews[review].slug, revision, 0),
            Changed::Standing(r) => (&site.reviews[r].slug, 0, 0),
            Changed::Asked { review, question } | Changed::Answered { review, question } => {
                (&site.reviews[review].slug, question, 0)
            }
            Changed::Reply(r) => (&site.responses[r].slug, 0, 0),
            Changed::Finding { project, claim } => (&site.projects[project].slug, claim, 1),
        };
        (self.date, self.what.rank(), name.as_str(), a, b)
    }
}

/// The changes about project `p` of `site`, each handed to `take`; with `timeline`, its events
/// and the questions put to it too.
fn project_changes(site: &Site, p: usize, timeline: bool, take: &mut impl FnMut(Change)) {
    let project = &site.projects[p];
    let mut add = |date, what| take(Change { date, what });
    if timeline {
        for (event, e) in project.events.iter().enumerate() {
            add(e.date, Changed::Event { project: p, event });
        }
    }
    for (claim, c) in project.claims.iter().enumerate() {
        if let Some(finding) = c.finding.as_deref() {
            add(finding.date, Changed::Finding { project: p, claim });
        }
    }
    for &r in &project.reviews {
        let review = &site.reviews[r];
        add(review.date, Changed::Review(r));
        for (revision, rev) in review.revisions.iter().enumerate() {
            add(rev.date, Changed::Revision { review: r, revision });
        }
        match &review.standing {
            Standing::Published => {}
            Standing::UnderReview { since: date, .. } | Standing::Retracted { date, .. } => {
                add(*date, Changed::Standing(r));
            }
        }
        for (question, q) in review.questions.iter().enumerate() {
            if let Some(asked) = q.asked.filter(|_| timeline) {
                add(asked, Changed::Asked { review: r, question });
            }
            if let Some(answered) = q.answered {
                add(answered, Changed::Answered { review: r, question });
            }
        }
    }
    for (i, response) in site.responses.iter().enumerate().filter(|(_, r)| r.project == p) {
        add(response.date, Changed::Reply(i));
    }
}

/// Newest first; on one day, in the order things happen, then in the model's order.
fn sort(changes: &mut [Change]) {
    changes
        .sort_unstable_by(|a, b| b.date.cmp(&a.date).then(a.what.rank().cmp(&b.what.rank())).then(a.what.cmp(&b.what)));
}

/// The site's log of changes, every project's: what [`Views::changes`] holds.
pub(super) fn site_changes(site: &Site) -> Vec<Change> {
    let mut changes = Vec::new();
    for p in 0..site.projects.len() {
        project_changes(site, p, false, &mut |c| changes.push(c));
    }
    sort(&mut changes);
    changes
}

/// The day of the newest entry of the site's log of changes.
pub(super) fn newest_change(site: &Site) -> Option<Date> {
    let mut newest = None;
    for p in 0..site.projects.len() {
        project_changes(site, p, false, &mut |c| newest = newest.max(Some(c.date)));
    }
    newest
}

/// How many entries the site's log of changes has.
pub(super) fn change_count(site: &Site) -> usize {
    let mut count = 0;
    for p in 0..site.projects.len() {
        project_changes(site, p, false, &mut |_| count += 1);
    }
    count
}

/// One entry of a timeline or of the log of changes, as pages show it.
#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub(super) date: DateView,
    /// What kind of entry (a CSS class too): `event`, `review`, `revision`, `under-review`,
    /// `retraction`, `asked`, `answered`, `disputed`, `reply`, `finding`.
    pub(super) kind: &'static str,
    /// The kind, as readers see it (in the site's language).
    pub(super) label: String,
    pub(super) text: String,
    /// Where the entry leads on this site.
    pub(super) url: Option<String>,
    /// An event's source, and what the ledger keeps of it.
    pub(super) source: Option<String>,
    pub(super) source_ledger: Option<LedgerView>,
    /// Its id in the log of changes (`change-revision-first-look-1`), also its feed entry's.
    pub(super) id: String,
    /// The project it is about (the log names it; a timeline is on its page).
    pub(super) project: ProjectLink,
}

/// A project, as an entry names it.
#[derive(Debug, Serialize)]
pub(super) struct ProjectLink {
    pub(super) name: String,
    pub(super) url: String,
}

impl Views<'_> {
    /// The timeline of `project` (one of the site's), newest first.
    pub(super) fn timeline(&self, project: &crate::model::Project) -> Vec<TimelineEntry> {
        let Some(p) = self.site.projects.iter().position(|x| std::ptr::eq(&**x, project)) else { return Vec::new() };
        let mut changes = Vec::new();
        project_changes(self.site, p, true, &mut |c| changes.push(c));
        sort(&mut changes);
        changes.iter().map(|c| self.change_entry(c)).collect()
    }

    /// `change` as a page shows it.
    pub(super) fn change_entry(&self, change: &Change) -> TimelineEntry {
        let site = self.site;
        let project_of = |p: usize| {
            let project = &site.projects[p];
            ProjectLink { name: project.name.clone(), url: self.urls.project(&project.slug) }
        };
        let entry = |kind, label: &str, text: String, url: Option<String>, id: String, project: usize| TimelineEntry {
            date: self.date(change.date),
            kind,
            label: self.strings().get(label).to_string(),
            text,
            url,
            source: None,
            source_ledger: None,
            id: format!("change-{kind}-{id}"),
            project: project_of(project),
        };
        match change.what {
            Changed::Event { project, event } => {
                let e = &site.projects[project].events[event];
                let (source, source_ledger) = self.evidence(e.source.as_ref());
                let id = format!("{}-{event}", site.projects[project].slug);
                TimelineEntry {
                    source,
                    source_ledger,
                    ..entry("event", "event_event", e.text.clone(), None, id, project)
                }
            }
            Changed::Finding { project, claim } => {
                let p = &site.projects[project];
                let c = &p.claims[claim];
                let rating = c.finding.as_deref().map_or("", |f| self.config().claim_rating_label(&f.rating));
                let url = Some(format!("{}#claim-{}", self.urls.project(&p.slug), c.id));
                let id = format!("{}-{}", p.slug, c.id);
                entry("finding", "event_finding", format!("“{}”: {rating}", c.text), url, id, project)
            }
            Changed::Review(r) => {
                let review = &site.reviews[r];
                let verdict =
                    self.config().verdict(&review.verdict).map_or(review.verdict.as_str(), |v| v.label.as_str());
                let text = self.strings().fill(
                    "event_review_text",
                    &[
                        ("title", &review.title),
                        ("authors", &self.strings().names(&review.authors)),
                        ("verdict", verdict),
                    ],
                );
                let url = Some(self.urls.review(&review.slug));
                entry("review", "event_review", text, url, review.slug.clone(), review.project)
            }
            Changed::Revision { review: r, revision } => {
                let review = &site.reviews[r];
                let text = format!("{}: {}", review.title, review.revisions[revision].note);
                let (url, id) = (Some(self.urls.review(&review.slug)), format!("{}-{}", review.slug, revision + 1));
                entry("revision", "event_revised", text, url, id, review.project)
            }
            Changed::Standing(r) => {
                let review = &site.reviews[r];
                let url = Some(self.urls.review(&review.slug));
                let (kind, label, reason) = match &review.standing {
                    Standing::UnderReview { reason, .. } => ("under-review", "event_under_review", reason.as_str()),
                    Standing::Retracted { reason, .. } => ("retraction", "event_retracted", reason.as_str()),
                    Standing::Published => ("review", "event_review", ""),
                };
                let text = if reason.is_empty() { review.title.clone() } else { format!("{}: {reason}", review.title) };
                entry(kind, label, text, url, review.slug.clone(), review.project)
            }
            Changed::Asked { review: r, question } | Changed::Answered { review: r, question } => {
                let review = &site.reviews[r];
                let q = &review.questions[question];
                let url = Some(format!("{}#{}", self.urls.review(&review.slug), q.anchor()));
                let (kind, label) = match (change.what, q.status) {
                    (Changed::Asked { .. }, _) => ("asked", "event_asked"),
                    (_, QuestionStatus::Disputed) => ("disputed", "event_disputed"),
                    _ => ("answered", "event_answered"),
                };
                let id = format!("{}-{}", review.slug, q.anchor());
                entry(kind, label, q.ask.clone(), url, id, review.project)
            }
            Changed::Reply(i) => {
                let response = &site.responses[i];
                let url = Some(format!(
                    "{}#response-{}",
                    self.urls.project(&site.projects[response.project].slug),
                    response.slug
                ));
                entry(
                    "reply",
                    "event_reply",
                    self.strings().fill("event_replied", &[("by", &response.by)]),
                    url,
                    response.slug.clone(),
                    response.project,
                )
            }
        }
    }
}
