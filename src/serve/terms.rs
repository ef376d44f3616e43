//! The site's taxonomies brought up to date after edits of reviews in place, looking only at
//! the terms the edited names reach, as if they were made afresh.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::taxonomy::{self, Term, term_slug};
use crate::model::{self, Site};

/// How reviews edited in place changed their terms: each edited review's position with the
/// tags, author or verdict it had, for the taxonomies it changed in.
#[derive(Debug, Default)]
pub struct TermEdits {
    /// Reviews whose tags changed, with their tags before.
    pub tags: Vec<(usize, Vec<String>)>,
    /// Reviews whose author changed, with their author before.
    pub authors: Vec<(usize, Vec<String>)>,
    /// Reviews whose verdict changed, with their verdict before.
    pub verdicts: Vec<(usize, String)>,
}

/// The site's taxonomies brought up to date after `edits` of reviews in place.
pub fn retaxonomize(site: &mut Site, edits: &TermEdits) {
    let (reviews, projects) = (&site.reviews, &site.projects);
    let none: &[String] = &[];
    // Only the taxonomies the edits touch are copied out of the last model's.
    let own = |terms: &mut Arc<Vec<Term>>| Arc::unwrap_or_clone(std::mem::take(terms));
    if !edits.tags.is_empty() {
        let tags = own(&mut site.tags);
        site.tags = Arc::new(updated(tags, &edits.tags, &|r| &reviews[r].tags, &|p| &projects[p].tags));
    }
    if !edits.authors.is_empty() {
        let authors = own(&mut site.authors);
        let author = |r: usize| &reviews[r].authors[..];
        site.authors = Arc::new(updated(authors, &edits.authors, &author, &|_| none));
    }
    if !edits.verdicts.is_empty() {
        let verdicts = own(&mut site.verdicts);
        let verdict_of = |r: usize| reviews[r].verdict.clone();
        let order = model::verdict_order(&site.config);
        site.verdicts = Arc::new(verdicts_updated(verdicts, &edits.verdicts, &verdict_of, &order));
    }
}

/// The terms of a taxonomy made by [`taxonomy::tags`] or [`taxonomy::authors`], brought up to date after the
/// reviews at the positions of `edits` (each with the names it had) changed their names in
/// place, as if made again: only the terms those names reach are looked at. `review_names`
/// and `project_names` give what each review and project (by position) names now.
fn updated<'a>(
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
        term.name = taxonomy::most_used(spellings);
    }
    terms.retain(|t| !t.reviews.is_empty() || !t.projects.is_empty());
    terms.sort_by(|a, b| a.slug.cmp(&b.slug));
    terms
}

/// The verdicts' terms made by [`taxonomy::verdicts`], brought up to date after the reviews at the
/// positions of `edits` (each with the verdict it had) changed verdicts in place.
fn verdicts_updated(
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

    /// Terms of reviews and projects named as given, as [`taxonomy::tags`] makes them.
    fn fresh(reviews: &[Vec<String>], projects: &[Vec<String>]) -> Vec<Term> {
        taxonomy::terms(reviews.iter().map(|r| &r[..]), projects.iter().map(|p| &p[..]))
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
}
