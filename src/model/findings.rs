//! What the site finds of a claim: a rating from `[[claim_ratings]]`, when and by whom, why,
//! and the questions whose answers it rests on, which must be questions of reviews of the
//! claim's project (checked against the reviews, again by serve after an edit in place).

use std::collections::BTreeSet;

use serde_saphyr::Spanned;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, closest};
use crate::locate::Step;
use crate::markdown::{Hazard, Link};
use crate::parse::Located;
use crate::parse::matter::FindingMatter;

use super::Site;
use super::responses::question_ref;

/// A claim's finding, checked.
#[derive(Debug, Clone)]
pub struct Finding {
    /// A key of `[[claim_ratings]]`.
    pub rating: String,
    /// When the site reached it.
    pub date: Date,
    /// Who reached it; `None`: the site.
    pub by: Option<String>,
    /// Why, as written (Markdown).
    pub summary_source: Option<String>,
    /// Why, as HTML.
    pub summary_html: Option<String>,
    /// The targets of the summary's links, for the link check.
    pub summary_links: Vec<Link>,
    /// What in the summary could run script, for the checks.
    pub summary_hazards: Vec<Hazard>,
    /// The questions it rests on.
    pub based_on: Vec<Basis>,
}

/// A question a finding rests on.
#[derive(Debug, Clone)]
pub struct Basis {
    /// The review's slug.
    pub review: String,
    /// The question's number in it.
    pub number: usize,
    /// As written, for errors at its position, with its place in `based_on`.
    written: Spanned<String>,
    at: usize,
}

/// The finding of claim `claim` (its index) as written, checked on its own: a known rating,
/// question references of the right form.
pub(super) fn finding(
    matter: FindingMatter,
    claim: usize,
    config: &Config,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) -> Option<Finding> {
    let before = errors.len();
    let path = |key| [Step::Key("claims"), Step::Index(claim), Step::Key("finding"), Step::Key(key)];
    if config.claim_rating(&matter.rating.value).is_none() {
        let keys = config.claim_ratings.iter().map(|r| r.key.as_str());
        let hint = closest(&matter.rating.value, keys.clone()).map(|k| format!("did you mean `{k}`?"));
        let message = format!(
            "unknown rating `{}`: expected one of {} (the configuration's [[claim_ratings]])",
            matter.rating.value,
            keys.collect::<Vec<_>>().join(", ")
        );
        errors.push(source.error(&matter.rating, &path("rating"), message).with_optional_hint(hint));
    }
    let mut based_on = Vec::with_capacity(matter.based_on.len());
    let mut seen = BTreeSet::new();
    for (i, written) in matter.based_on.into_iter().enumerate() {
        let at = [Step::Key("claims"), Step::Index(claim), Step::Key("finding"), Step::Key("based_on"), Step::Index(i)];
        match question_ref(&written.value) {
            Some((review, number)) if seen.insert((review.to_string(), number)) => {
                based_on.push(Basis { review: review.to_string(), number, written, at: i })
            }
            Some(_) => {
                let message = format!("`{}` is named twice in `based_on`: expected each once", written.value);
                errors.push(source.error(&written, &at, message));
            }
            None => {
                let message = format!(
                    "`{}` is not a question: expected `<review slug>#q-<number>`, as on the review's page",
                    written.value
                );
                errors.push(source.error(&written, &at, message));
            }
        }
    }
    (errors.len() == before).then(|| Finding {
        rating: matter.rating.value,
        date: matter.date,
        by: matter.by.map(crate::text::one_line).filter(|b| !b.trim().is_empty()),
        summary_source: matter.summary.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        summary_html: matter.summary_html,
        summary_links: matter.summary_links,
        summary_hazards: matter.summary_hazards,
        based_on,
    })
}

/// An error at every question a finding rests on that no review of its project asks. A
/// review the run left out (a draft) is no error.
pub fn finding_errors(site: &Site) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let left_out = site.left_out_slugs();
    for project in &site.projects {
        for (c, claim) in project.claims.iter().enumerate() {
            for basis in claim.finding.iter().flat_map(|f| &f.based_on) {
                let path = [
                    Step::Key("claims"),
                    Step::Index(c),
                    Step::Key("finding"),
                    Step::Key("based_on"),
                    Step::Index(basis.at),
                ];
                let review = site.review_of(project, &basis.review);
                let message = match review {
                    None if left_out.contains(basis.review.as_str()) => continue,
                    None => {
                        let hint =
                            closest(&basis.review, project.reviews.iter().map(|&r| site.reviews[r].slug.as_str()))
                                .map(|s| format!("did you mean `{s}`?"));
                        let message = format!("no review of {} is named `{}`", project.name, basis.review);
                        errors.push(project.source.error(&basis.written, &path, message).with_optional_hint(hint));
                        continue;
                    }
                    Some(r) if basis.number > r.questions.len() => {
                        format!("`{}` has no question {}: it asks {}", r.slug, basis.number, r.questions.len())
                    }
                    Some(_) => continue,
                };
                errors.push(project.source.error(&basis.written, &path, message));
            }
        }
    }
    errors
}
