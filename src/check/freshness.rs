//! Freshness: a review past its revisit date (`revisit_by`, or `[freshness] stale_after_days`
//! after its last date) is reported, so an editor sees what is due for another look.

use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// A warning for every review stale on the site's day.
pub(super) fn stale_reviews(site: &Site) -> Vec<Diagnostic> {
    site.reviews
        .iter()
        .filter(|r| r.is_stale(site.today))
        .map(|review| {
            let key = if review.source.matter.contains("revisit_by") { "revisit_by" } else { "date" };
            let days = review.fresh_until.days_until(site.today);
            let message = format!(
                "stale since {} ({days} day{} ago): the review may no longer match the project",
                review.fresh_until,
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
