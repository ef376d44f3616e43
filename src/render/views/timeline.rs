//! A project's timeline: what happened to it (its `events`) and what the site did about it
//! (reviews published, revised, put under review or retracted; questions put to the project
//! and answered; the project's replies; findings on its claims), newest first.

use serde::Serialize;

use crate::model::{Project, Standing};
use crate::parse::matter::QuestionStatus;

use super::{DateView, LedgerView, Views};

/// One entry of the timeline.
#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    date: DateView,
    /// What kind of entry (a CSS class too): `event`, `review`, `revision`, `under-review`,
    /// `retraction`, `asked`, `answered`, `disputed`, `reply`, `finding`.
    kind: &'static str,
    /// The kind, as readers see it.
    label: &'static str,
    text: String,
    /// Where the entry leads on this site.
    url: Option<String>,
    /// An event's source, and what the ledger keeps of it.
    source: Option<String>,
    source_ledger: Option<LedgerView>,
    /// Sorts entries of one day: events first, as what happened comes before what was said.
    #[serde(skip)]
    rank: u8,
}

impl Views<'_> {
    /// The timeline of `project`, newest first.
    pub(super) fn timeline(&self, project: &Project) -> Vec<TimelineEntry> {
        let mut entries = Vec::new();
        let entry = |date: crate::date::Date, kind, label, text: String, url: Option<String>, rank| TimelineEntry {
            date: date.into(),
            kind,
            label,
            text,
            url,
            source: None,
            source_ledger: None,
            rank,
        };
        for event in &project.events {
            let (source, source_ledger) = self.evidence(event.source.as_ref());
            entries.push(TimelineEntry {
                source,
                source_ledger,
                ..entry(event.date, "event", "Event", event.text.clone(), None, 0)
            });
        }
        let project_url = self.urls.project(&project.slug);
        for claim in &project.claims {
            let Some(finding) = claim.finding.as_deref() else { continue };
            let label = self.config().claim_rating_label(&finding.rating);
            let url = Some(format!("{project_url}#claim-{}", claim.id));
            entries.push(entry(finding.date, "finding", "Finding", format!("“{}”: {label}", claim.text), url, 6));
        }
        for &r in &project.reviews {
            let review = &self.site.reviews[r];
            let url = self.urls.review(&review.slug);
            let verdict = self.config().verdict(&review.verdict).map_or(review.verdict.as_str(), |v| v.label.as_str());
            let text = format!("{}, by {}: {verdict}", review.title, review.byline());
            entries.push(entry(review.date, "review", "Review", text, Some(url.clone()), 1));
            for revision in &review.revisions {
                let text = format!("{}: {}", review.title, revision.note);
                entries.push(entry(revision.date, "revision", "Revised", text, Some(url.clone()), 2));
            }
            match &review.standing {
                Standing::Published => {}
                Standing::UnderReview { since, reason } => {
                    let text = with_reason(&review.title, reason);
                    entries.push(entry(*since, "under-review", "Under review", text, Some(url.clone()), 2));
                }
                Standing::Retracted { date, reason } => {
                    let text = with_reason(&review.title, reason);
                    entries.push(entry(*date, "retraction", "Retracted", text, Some(url.clone()), 2));
                }
            }
            for q in &review.questions {
                let at = Some(format!("{url}#{}", q.anchor()));
                if let Some(asked) = q.asked {
                    entries.push(entry(asked, "asked", "Put to the project", q.ask.clone(), at.clone(), 3));
                }
                if let Some(answered) = q.answered {
                    let (kind, label) = match q.status {
                        QuestionStatus::Disputed => ("disputed", "Disputed"),
                        _ => ("answered", "Answered"),
                    };
                    entries.push(entry(answered, kind, label, q.ask.clone(), at, 4));
                }
            }
        }
        for response in self.site.responses_of(project) {
            let url = Some(format!("{project_url}#response-{}", response.slug));
            entries.push(entry(response.date, "reply", "Reply", format!("{} replied", response.by), url, 5));
        }
        // Newest first; on one day, in the order things happen.
        entries.sort_by(|a, b| b.date.iso.cmp(&a.date.iso).then(a.rank.cmp(&b.rank)));
        entries
    }
}

/// `title`, and why, when a reason is given.
fn with_reason(title: &str, reason: &str) -> String {
    if reason.is_empty() { title.to_string() } else { format!("{title}: {reason}") }
}
