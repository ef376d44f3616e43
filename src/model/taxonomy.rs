//! Taxonomies: tags (of reviews and projects), authors and verdicts, each term with a slug
//! for its URL and the content filed under it. Terms whose names slug alike are one term.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{Project, Review};
use crate::diagnostic::Diagnostic;
use crate::parse::Located;

/// One term of a taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// URL segment (`developer-experience`).
    pub slug: String,
    /// The name as most often written (ties: the first in sort order).
    pub name: String,
    /// Indices into `Site::reviews`, newest first.
    pub reviews: Vec<usize>,
    /// Indices into `Site::projects`, by slug.
    pub projects: Vec<usize>,
}

/// The slug of a term's name: `slug::slugify`, which never panics and may be empty.
pub fn term_slug(name: &str) -> String {
    slug::slugify(name)
}

/// The longest slug a term may have, in bytes: the slug names a folder of the output, and file
/// systems refuse names past 255 bytes (a build would fail on a path no source names).
pub const MAX_TERM_SLUG: usize = 120;

/// Why `name` cannot be a term (its page is named after its slug), if it cannot.
pub fn term_problem(name: &str) -> Option<String> {
    let slug = term_slug(name);
    if slug.is_empty() {
        return Some("has no letters or digits: expected a word".into());
    }
    (slug.len() > MAX_TERM_SLUG)
        .then(|| format!("is {} bytes long as a URL: expected at most {MAX_TERM_SLUG}", slug.len()))
}

/// A tag must have letters or digits and a short slug: its page is named after it.
pub(super) fn check_tags(tags: &[String], source: &Located, errors: &mut Vec<Diagnostic>) {
    for (tag, problem) in tags.iter().filter_map(|t| Some((t, term_problem(t)?))) {
        let shown: String = tag.chars().take(40).collect();
        let more = if shown.len() < tag.len() { "…" } else { "" };
        let message = format!("tag `{shown}{more}` {problem}, since a tag's page is named after it");
        errors.push(source.error_at_key("tags", message));
    }
}

/// Collects terms by slug, counting each spelling so the name does not depend on order.
#[derive(Default)]
struct Builder<'a> {
    /// Terms with the count of each spelling, in order of first use.
    terms: Vec<(Term, BTreeMap<&'a str, usize>)>,
    by_slug: HashMap<String, usize>,
    /// The term of each name met: a name recurs on many reviews, and slugging is not cheap.
    by_name: HashMap<&'a str, usize>,
}

impl<'a> Builder<'a> {
    fn term(&mut self, name: &'a str) -> &mut Term {
        let at = match self.by_name.get(name) {
            Some(&at) => at,
            None => {
                let slug = term_slug(name);
                let at = *self.by_slug.entry(slug.clone()).or_insert_with(|| {
                    let term = Term { slug, name: String::new(), reviews: Vec::new(), projects: Vec::new() };
                    self.terms.push((term, BTreeMap::new()));
                    self.terms.len() - 1
                });
                self.by_name.insert(name, at);
                at
            }
        };
        let (term, spellings) = &mut self.terms[at];
        *spellings.entry(name.trim()).or_default() += 1;
        term
    }

    fn finish(mut self) -> Vec<Term> {
        self.terms.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
        self.terms
            .into_iter()
            .map(|(mut t, spellings)| {
                // The most used spelling; among equals, the first in sort order.
                t.name = most_used(spellings);
                t.reviews.dedup();
                t.projects.dedup();
                t
            })
            .collect()
    }
}

/// The terms that reviews and projects name (each review's names, then each project's, in
/// order), by slug, each named by its most used spelling.
pub fn terms<'a>(
    review_names: impl Iterator<Item = &'a [String]>,
    project_names: impl Iterator<Item = &'a [String]>,
) -> Vec<Term> {
    let mut b = Builder::default();
    for (i, names) in review_names.enumerate() {
        for name in names {
            b.term(name).reviews.push(i);
        }
    }
    for (i, names) in project_names.enumerate() {
        for name in names {
            b.term(name).projects.push(i);
        }
    }
    b.finish()
}

/// Tags of reviews and projects, by slug.
pub fn tags(reviews: &[Arc<Review>], projects: &[Arc<Project>]) -> Vec<Term> {
    terms(reviews.iter().map(|r| &r.tags[..]), projects.iter().map(|p| &p.tags[..]))
}

/// Authors of reviews, by slug.
pub fn authors(reviews: &[Arc<Review>]) -> Vec<Term> {
    terms(reviews.iter().map(|r| &r.authors[..]), std::iter::empty())
}

/// Verdicts in configuration order (keys are already slugs), only those reached.
pub fn verdicts(reviews: &[Arc<Review>], order: &[(String, String)]) -> Vec<Term> {
    order
        .iter()
        .map(|(key, label)| Term {
            slug: key.clone(),
            name: label.clone(),
            reviews: reviews.iter().enumerate().filter(|(_, r)| &r.verdict == key).map(|(i, _)| i).collect(),
            projects: Vec::new(),
        })
        .filter(|t| !t.reviews.is_empty())
        .collect()
}

/// The most used spelling; among equals, the first in sort order.
pub fn most_used(spellings: BTreeMap<&str, usize>) -> String {
    spellings
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_slug_alike_are_one_term() {
        let mut b = Builder::default();
        b.term("Developer Experience").reviews.push(0);
        b.term("developer-experience").reviews.push(1);
        b.term("developer-experience").reviews.push(3);
        b.term("Ünïcode").reviews.push(2);
        let terms = b.finish();
        assert_eq!(terms.len(), 2);
        assert_eq!((terms[0].slug.as_str(), terms[0].name.as_str()), ("developer-experience", "developer-experience"));
        assert_eq!(terms[0].reviews, [0, 1, 3]);
        assert_eq!(terms[1].slug, "unicode");
    }
}
