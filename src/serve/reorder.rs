//! Moving reviews whose dates changed to their places in the site's order (newest first, then
//! by slug), with every position the site keeps of its reviews: its projects' reviews and
//! questions, and its taxonomies' terms. A date edit then patches the last model instead of
//! assembling the site afresh.

use std::sync::Arc;

use crate::model::taxonomy::Term;
use crate::model::{QuestionRef, Site, site_order};

/// Moves the reviews at the positions `moved` (their dates changed; every other review is in
/// its place) to their places, and brings every position that refers to a review along: lists
/// that held a moved review are sorted again. Nothing else of the site depends on positions.
pub fn reorder(site: &mut Site, moved: &[usize]) {
    if moved.is_empty() {
        return;
    }
    let count = site.reviews.len();
    // The old position of each review, in the new order.
    let mut order: Vec<usize> = (0..count).filter(|i| !moved.contains(i)).collect();
    for &m in moved {
        let review = &site.reviews[m];
        let at = order.partition_point(|&i| site_order(&site.reviews[i], review).is_lt());
        order.insert(at, m);
    }
    let mut new_of = vec![0; count];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = new;
    }
    let Some(low) = (0..count).find(|&i| new_of[i] != i) else { return };
    let high = (low..count).rev().find(|&i| new_of[i] != i).unwrap_or(low);
    // Only positions in low..=high moved: lists without one stay as they are (and shared).
    let shifted = |list: &[usize]| list.iter().any(|r| (low..=high).contains(r));
    let old = std::mem::take(&mut site.reviews);
    site.reviews = order.iter().map(|&o| Arc::clone(&old[o])).collect();
    for project in site.projects.iter_mut().filter(|p| shifted(&p.reviews)) {
        let project = Arc::make_mut(project);
        remap(&mut project.reviews, &new_of);
        for claim in &mut project.claims {
            remap_questions(&mut claim.questions, &new_of);
        }
        remap_questions(&mut project.unclaimed_questions, &new_of);
    }
    for terms in [&mut site.tags, &mut site.authors, &mut site.verdicts] {
        if terms.iter().any(|t| shifted(&t.reviews)) {
            Arc::make_mut(terms).iter_mut().filter(|t| shifted(&t.reviews)).for_each(|t: &mut Term| {
                remap(&mut t.reviews, &new_of);
            });
        }
    }
}

/// Positions of reviews, ascending, moved to `new_of` theirs.
fn remap(list: &mut [usize], new_of: &[usize]) {
    for r in list.iter_mut() {
        *r = new_of[*r];
    }
    if !list.is_sorted() {
        list.sort_unstable();
    }
}

/// Questions by their reviews' positions (then their own), moved to `new_of` theirs.
fn remap_questions(list: &mut [QuestionRef], new_of: &[usize]) {
    for q in list.iter_mut() {
        q.review = new_of[q.review];
    }
    if !list.is_sorted_by_key(|q| (q.review, q.question)) {
        list.sort_unstable_by_key(|q| (q.review, q.question));
    }
}
