//! How many items each list of a file's front matter may hold. Every tag is a page, every
//! question a search document and an entry in the question listings, every claim, revision and
//! score is checked and shown: one file of 200,000 tags made 200,000 pages (33 s). Bounded
//! right after the front matter is read, before anything is made of it.

use super::matter::{AuthorMatter, PageMatter, ProjectMatter, ResponseMatter, ReviewMatter};
use crate::diagnostic::Diagnostic;

use super::Located;

/// The most tags a review or project may have.
pub const MAX_TAGS: usize = 64;
/// The most questions a review may raise, claims a project may make, or revisions a review
/// may list.
pub const MAX_ITEMS: usize = 500;
/// The most scores a review (or one of its revisions) may give: axes are few.
pub const MAX_SCORES: usize = 100;

/// Front matter whose lists are bounded.
pub trait Bounded {
    /// Each list with its key, its length and its bound.
    fn lists(&self) -> Vec<(&'static str, usize, usize)>;
}

impl Bounded for ReviewMatter {
    fn lists(&self) -> Vec<(&'static str, usize, usize)> {
        let revision_scores = self.revisions.iter().map(|r| r.scores.len()).max().unwrap_or(0);
        vec![
            ("tags", self.tags.len(), MAX_TAGS),
            // Each author, like each tag, has a page.
            ("authors", self.authors.len(), MAX_TAGS),
            ("questions", self.questions.len(), MAX_ITEMS),
            ("revisions", self.revisions.len(), MAX_ITEMS),
            ("scores", self.scores.len().max(revision_scores), MAX_SCORES),
        ]
    }
}

impl Bounded for ProjectMatter {
    fn lists(&self) -> Vec<(&'static str, usize, usize)> {
        let rights = self.token.as_ref().and_then(|t| t.rights.as_ref()).map_or(0, Vec::len);
        vec![
            ("tags", self.tags.len(), MAX_TAGS),
            ("claims", self.claims.len(), MAX_ITEMS),
            ("token", rights, MAX_TAGS),
            ("channels", self.channels.len(), MAX_TAGS),
            ("events", self.events.len(), MAX_ITEMS),
            // The questions all its findings rest on, together.
            (
                "based_on",
                self.claims.iter().filter_map(|c| c.finding.as_ref()).map(|f| f.based_on.len()).sum(),
                MAX_ITEMS,
            ),
        ]
    }
}

impl Bounded for PageMatter {
    fn lists(&self) -> Vec<(&'static str, usize, usize)> {
        Vec::new()
    }
}

impl Bounded for AuthorMatter {
    fn lists(&self) -> Vec<(&'static str, usize, usize)> {
        vec![("links", self.links.len(), MAX_ITEMS), ("affiliations", self.affiliations.len(), MAX_ITEMS)]
    }
}

impl Bounded for ResponseMatter {
    fn lists(&self) -> Vec<(&'static str, usize, usize)> {
        vec![("to", self.to.len(), MAX_ITEMS)]
    }
}

/// An error at each list of `matter` longer than its bound.
pub fn check(matter: &impl Bounded, source: &Located) -> Vec<Diagnostic> {
    matter
        .lists()
        .into_iter()
        .filter(|&(_, len, max)| len > max)
        .map(|(key, len, max)| {
            source
                .error_at_key(key, format!("`{key}` holds {len} items: expected at most {max}"))
                .with_hint("keep the ones that matter most; split the rest into another file")
        })
        .collect()
}
