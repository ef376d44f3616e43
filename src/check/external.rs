//! What `check --external` found, as findings at the links: a dead link is an error, unless
//! it is evidence with an archived copy readers can fall back on (then a warning naming the
//! copy); a link that could not be told is a warning, asked about again next run.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::web::Verdict;
use crate::web::address::{wayback_copies, wayback_save};

use super::links::{ExternalLink, LinkRole};

/// The findings of the verdicts (by link as written) on the external links of the site.
pub(super) fn findings(links: &[ExternalLink], verdicts: &HashMap<String, Verdict>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for link in links {
        let url = &link.url;
        let at = |message: String| Diagnostic::at(&link.path, link.line, link.col, message);
        match verdicts.get(url) {
            Some(Verdict::Dead(why)) => found.push(match &link.role {
                // The copy is dead too: its own error says so, and this one has no copy.
                LinkRole::Evidence { archived: Some(copy) } if matches!(verdicts.get(copy), Some(Verdict::Dead(_))) => {
                    at(format!("dead evidence link `{url}`: {why}; its archived copy `{copy}` is dead too"))
                        .with_hint(format!("find another copy at {}", wayback_copies(url)))
                }
                LinkRole::Evidence { archived: Some(copy) } => {
                    at(format!("the source `{url}` is dead ({why}); readers are sent to its archived copy `{copy}`"))
                        .warning()
                }
                LinkRole::Evidence { archived: None } => at(format!("dead evidence link `{url}`: {why}")).with_hint(
                    format!(
                        "find an earlier copy at {} and add it as `archived:` in a block `{{ url: …, archived: … }}`; if the page is only down, save one at {} once it is back",
                        wayback_copies(url),
                        wayback_save(url)
                    ),
                ),
                LinkRole::Copy { of } => at(format!("the archived copy `{url}` of `{of}` is dead: {why}"))
                    .with_hint(format!("find another copy at {}", wayback_copies(of))),
                LinkRole::Link => at(format!("dead link `{url}`: {why}")).with_hint(format!(
                    "link to a copy (find one at {}) or to where the page moved, or remove the link",
                    wayback_copies(url)
                )),
            }
            .with_rule("dead-link")),
            Some(Verdict::Unreachable(why)) => found.push(
                at(format!("could not check `{url}`: {why}"))
                    .warning()
                    .with_rule("unreachable-link")
                    .with_hint("it is asked about again on the next run; a host that never answers checkers can be skipped with `skip` under [check.external]"),
            ),
            Some(Verdict::Live | Verdict::Skipped(_)) | None => {}
        }
    }
    found
}
