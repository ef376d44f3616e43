//! The evidence ledger's own rule: with `[check] archived_evidence`, every web address relied
//! on as evidence (a claim's source, a question's evidence, a reply's source) should say where
//! an archived copy is, so that the critique outlives the page it cites.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::parse::Located;
use crate::parse::matter::Evidence;
use crate::scheme::{Target, classify};

/// A warning at every web address relied on as evidence that has no `archived` copy, when the
/// site asks for them.
pub(super) fn unarchived(site: &Site) -> Vec<Diagnostic> {
    if !site.config.check.archived_evidence {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut report = |source: &Located, evidence: Vec<&Evidence>| {
        // A copy kept on this site, or a mail link, has nothing to archive.
        let bare = evidence.into_iter().filter(|e| e.archived.is_none() && classify(&e.url) == Target::Web);
        for e in bare {
            let ((line, col), url) = (e.at, &e.url);
            found.push(
                Diagnostic::at(&source.path, line, col, format!("`{url}` has no archived copy"))
                    .warning()
                    .with_rule("unarchived-evidence")
                    .with_hint(format!(
                        "save one (https://web.archive.org/save/{url}) and write the source as a block: `{{ url: …, archived: <the snapshot's address> }}`"
                    )),
            );
        }
    };
    for project in &site.projects {
        let claims = project.claims.iter().filter_map(|c| c.source.as_ref());
        report(&project.source, claims.chain(project.events.iter().filter_map(|e| e.source.as_ref())).collect());
    }
    for review in &site.reviews {
        report(&review.source, review.questions.iter().filter_map(|q| q.evidence.as_ref()).collect());
    }
    for response in &site.responses {
        report(&response.source, response.published_at.iter().collect());
    }
    found
}
