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

/// Tags of reviews and projects, by slug.
pub fn tags(reviews: &[Arc<Review>], projects: &[Arc<Project>]) -> Vec<Term> {
    let mut b = Builder::default();
    for (i, r) in reviews.iter().enumerate() {
        for tag in &r.tags {
            b.term(tag).reviews.push(i);
        }
    }
    for (i, p) in projects.iter().enumerate() {
        for tag in &p.tags {
            b.term(tag).projects.push(i);
        }
    }
    b.finish()
}

/// Authors of reviews, by slug.
pub fn authors(reviews: &[Arc<Review>]) -> Vec<Term> {
    let mut b = Builder::default();
    for (i, r) in reviews.iter().enumerate() {
        b.term(&r.author).reviews.push(i);
    }
    b.finish()
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

/// The terms of a taxonomy made by [`tags`] or [`authors`], brought up to date after the
/// reviews at the positions of `edits` (each with the names it had) changed their names in
/// place, as if made again: only the terms those names reach are looked at. `review_names`
/// and `project_names` give what each review and project (by position) names now.
pub fn updated<'a>(
    mut terms: Vec<Term>,
    edits: &[(usize, Vec<String>)],
    review_names: &dyn Fn(usize) -> &'a [String],
    project_names: &dyn Fn(usize) -> &'a [String],
) -> Vec<Term> {
    let mut by_slug: HashMap<String, usize> = terms.iter().enumerate().map(|(i, t)| (t.slug.clone(), i)).collect();
    let mut touched = Vec::new();
    for (review, before) in edits {
        for name in before {
            if let Some(&at) = by_slug.get(&term_slug(name)) {
                let list = &mut terms[at].reviews;
                if let Ok(i) = list.binary_search(review) {
                    list.remove(i);
                }
                touched.push(at);
            }
        }
        for name in review_names(*review) {
            let slug = term_slug(name);
            let at = *by_slug.entry(slug.clone()).or_insert_with(|| {
                terms.push(Term { slug, name: String::new(), reviews: Vec::new(), projects: Vec::new() });
                terms.len() - 1
            });
            let list = &mut terms[at].reviews;
            if let Err(i) = list.binary_search(review) {
                list.insert(i, *review);
            }
            touched.push(at);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    for at in touched {
        let term = &mut terms[at];
        // The spellings of the term's name, counted as a fresh build counts them.
        let mut spellings: BTreeMap<&str, usize> = BTreeMap::new();
        let names = term
            .reviews
            .iter()
            .flat_map(|&r| review_names(r))
            .chain(term.projects.iter().flat_map(|&p| project_names(p)));
        for name in names.filter(|n| term_slug(n) == term.slug) {
            *spellings.entry(name.trim()).or_default() += 1;
        }
        term.name = most_used(spellings);
    }
    terms.retain(|t| !t.reviews.is_empty() || !t.projects.is_empty());
    terms.sort_by(|a, b| a.slug.cmp(&b.slug));
    terms
}

/// The most used spelling; among equals, the first in sort order.
fn most_used(spellings: BTreeMap<&str, usize>) -> String {
    spellings
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
        .unwrap_or_default()
}

/// The verdicts' terms made by [`verdicts`], brought up to date after the reviews at the
/// positions of `edits` (each with the verdict it had) changed verdicts in place.
pub fn verdicts_updated(
    mut terms: Vec<Term>,
    edits: &[(usize, String)],
    verdict_of: &dyn Fn(usize) -> String,
    order: &[(String, String)],
) -> Vec<Term> {
    for (review, before) in edits {
        if let Some(term) = terms.iter_mut().find(|t| t.slug == *before)
            && let Ok(i) = term.reviews.binary_search(review)
        {
            term.reviews.remove(i);
        }
        let now = verdict_of(*review);
        let term = match terms.iter().position(|t| t.slug == now) {
            Some(at) => &mut terms[at],
            None => {
                let Some((key, label)) = order.iter().find(|(key, _)| *key == now) else { continue };
                terms.push(Term { slug: key.clone(), name: label.clone(), reviews: Vec::new(), projects: Vec::new() });
                let at = terms.len() - 1;
                &mut terms[at]
            }
        };
        if let Err(i) = term.reviews.binary_search(review) {
            term.reviews.insert(i, *review);
        }
    }
    terms.retain(|t| !t.reviews.is_empty());
    terms.sort_by_key(|t| order.iter().position(|(key, _)| *key == t.slug));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Terms of reviews and projects named as given, as [`tags`] makes them.
    fn fresh(reviews: &[Vec<String>], projects: &[Vec<String>]) -> Vec<Term> {
        let mut b = Builder::default();
        for (i, names) in reviews.iter().enumerate() {
            for name in names {
                b.term(name).reviews.push(i);
            }
        }
        for (i, names) in projects.iter().enumerate() {
            for name in names {
                b.term(name).projects.push(i);
            }
        }
        b.finish()
    }

    fn names() -> impl Strategy<Value = Vec<String>> {
        let name = prop::sample::select(vec!["speed", "Speed", "cost", " cost", "trust", "Trust Me", "trust-me", "x"]);
        prop::collection::vec(name.prop_map(String::from), 0..4)
    }

    proptest! {
        #[test]
        fn updating_terms_equals_making_them_afresh(
            before in prop::collection::vec(names(), 1..8),
            projects in prop::collection::vec(names(), 0..3),
            edits in prop::collection::vec((0usize..8, names()), 1..4),
        ) {
            let mut after = before.clone();
            let mut changed: Vec<(usize, Vec<String>)> = Vec::new();
            for (at, names) in edits {
                let at = at % after.len();
                if changed.iter().all(|(r, _)| *r != at) {
                    changed.push((at, after[at].clone()));
                }
                after[at] = names;
            }
            let updated = updated(fresh(&before, &projects), &changed, &|r| &after[r], &|p| &projects[p]);
            prop_assert_eq!(updated, fresh(&after, &projects));
        }
    }

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
