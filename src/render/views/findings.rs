//! A claim's finding as pages show it (its rating, who reached it and when, why, the questions
//! it rests on) and as schema.org `ClaimReview` for fact-check readers.

use serde::Serialize;
use serde_json::json;

use crate::model::{Claim, Finding, Project};

use super::{DateView, LinkView, Views, json_ld};

/// A claim's finding, beside the claim.
#[derive(Debug, Serialize, Hash)]
pub struct FindingView {
    /// The rating's key (a CSS class too).
    rating: String,
    label: String,
    /// What the rating means.
    description: String,
    date: DateView,
    /// Who reached it; `None`: the site.
    by: Option<String>,
    summary: Option<String>,
    /// The questions it rests on, each linked on its review's page.
    based_on: Vec<LinkView>,
}

impl Views<'_> {
    /// The finding of `claim` of `project`, if it has one.
    pub(super) fn finding(&self, project: &Project, claim: &Claim) -> Option<FindingView> {
        let finding = claim.finding.as_deref()?;
        let rating = self.config().claim_rating(&finding.rating);
        let based_on = finding
            .based_on
            .iter()
            .filter_map(|b| {
                // A question of a review the run left out links nowhere yet.
                let review = self.site.review_of(project, &b.review)?;
                Some(LinkView {
                    text: format!("{}, question {}", review.title, b.number),
                    url: format!("{}#q-{}", self.urls.review(&review.slug), b.number),
                })
            })
            .collect();
        Some(FindingView {
            rating: finding.rating.clone(),
            label: self.config().claim_rating_label(&finding.rating).to_string(),
            description: rating.map(|r| r.description.clone()).unwrap_or_default(),
            date: self.date(finding.date),
            by: finding.by.clone(),
            summary: finding.summary_html.clone(),
            based_on,
        })
    }

    /// schema.org `ClaimReview` of each claim of `project` with a finding (never of one
    /// without), each for its own `<script type="application/ld+json">`.
    pub(super) fn claim_reviews(&self, project: &Project) -> Vec<String> {
        project
            .claims
            .iter()
            .filter_map(|claim| Some((claim, claim.finding.as_deref()?)))
            .map(|(claim, finding)| json_ld(&self.claim_review(project, claim, finding)))
            .collect()
    }

    fn claim_review(&self, project: &Project, claim: &Claim, finding: &Finding) -> serde_json::Value {
        let label = self.config().claim_rating_label(&finding.rating);
        let site = json!({ "@type": "Organization", "name": self.config().title, "url": self.absolute_url(&self.urls.home()) });
        let author = match &finding.by {
            Some(name) => json!({ "@type": "Person", "name": name }),
            None => site.clone(),
        };
        let mut claimed = json!({
            "@type": "Claim",
            "author": { "@type": "Organization", "name": project.name },
        });
        // Where the project says it: a web page, or a copy kept on this site.
        let appearance =
            claim.source.as_ref().map(|e| e.url.as_str()).and_then(|source| match crate::scheme::classify(source) {
                crate::scheme::Target::Web => Some(source.to_string()),
                crate::scheme::Target::Relative if source.starts_with('/') => {
                    Some(self.absolute_url(&self.urls.field(source)))
                }
                _ => None,
            });
        if let Some(url) = appearance {
            claimed["appearance"] = json!({ "@type": "CreativeWork", "url": url });
        }
        json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": format!("{}#claim-{}", self.absolute_url(&self.urls.project(&project.slug)), claim.id),
            "claimReviewed": claim.text,
            "datePublished": finding.date.to_string(),
            "author": author,
            "publisher": site,
            "reviewRating": { "@type": "Rating", "alternateName": label },
            "itemReviewed": claimed,
        })
    }
}
