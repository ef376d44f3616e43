//! Freshness: a review past its revisit date (`revisit_by`, or `[freshness] stale_after_days`
//! after its last date) is reported, so an editor sees what is due for another look.

use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// A warning for every review stale on the site's day.
pub(super) fn stale_reviews(site: &Site) -> Vec<Diagnostic> {
    site.reviews
        .iter()
        // A retracted review is past looking at again.
        .filter(|r| r.is_stale(site.today) && r.standing.counts())
        .map(|review| {
            let key = if review.revisit_set { "revisit_by" } else { "date" };
            let since = review.fresh_until.plus_days(1);
            let days = since.days_until(site.today);
            let why = if review.revisit_set {
                "past the date its author set to look again".to_string()
            } else {
                format!("more than {} days after its last date", site.config.freshness.stale_after_days)
            };
            let message = format!(
                "stale since {since} ({days} day{} ago, {why}): the review may no longer match the project",
                if days == 1 { "" } else { "s" }
            );
            review
                .source
                .error_at_key(key, message)
                .warning()
                .with_rule("stale-review")
                .with_hint("look again: revise it (`updated:`, a `revisions:` entry) or set a later `revisit_by:`")
        })
        .collect()
}
