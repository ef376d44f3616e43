//! Moving reviews whose dates changed to their places in the site's order (newest first, then
//! by slug), with every position the site keeps of its reviews: its projects' reviews and
//! questions, and its taxonomies' terms. For `serve`, where a date edit then patches the last
//! model instead of assembling the site afresh.

use std::cmp::Ordering;
use std::sync::Arc;

use super::taxonomy::Term;
use super::{QuestionRef, Review, Site};

/// The site's order of reviews: the newer first, then by slug.
pub(super) fn site_order(a: &Review, b: &Review) -> Ordering {
    b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
}

/// Moves the reviews at the positions `moved` (their dates changed; every other review is in
/// its place) to their places, and brings every position that refers to a review along: lists
/// that held a moved review are sorted again. Nothing else of the site depends on positions.
pub(super) fn reorder(site: &mut Site, moved: &[usize]) {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::load::{Section, SiteFiles, SourceFile};
    use crate::markdown::MarkdownOptions;
    use crate::model::{Kept, replace_reviews};
    use crate::parse::{ParsedFile, parse_file};
    use crate::{SiteOptions, site_model};

    const VERDICTS: [&str; 3] = ["delivers", "unproven", "misleading"];

    /// Two projects, and a review per day of `days` (of one project or the other, with tags,
    /// authors, verdicts and questions on claims or none that overlap).
    fn site(days: &[u8]) -> SiteFiles {
        let project = |name: &str| {
            format!(
                "---\nname: {name}\nsummary: S.\nclaims:\n  - id: fast\n    text: Fast.\n  - id: cheap\n    text: Cheap.\n---\nBody.\n"
            )
        };
        let mut content = vec![
            SourceFile::new(Section::Projects, "gadget", project("Gadget")),
            SourceFile::new(Section::Projects, "widget", project("Widget")),
        ];
        for (i, day) in days.iter().enumerate() {
            let text = format!(
                "---\ntitle: Review {i}\nproject: {}\nauthor: Author {}\ndate: 2026-10-{day:02}\nverdict: {}\nscores: {{ cost: {}, speed: {} }}\ntags: [t{}, t{}]\nquestions:\n  - ask: Q{i}?\n    claim: {}\n  - ask: R{i}?\n---\nBody {i}.\n",
                if i % 3 == 0 { "gadget" } else { "widget" },
                i % 3,
                VERDICTS[i % 3],
                i % 11,
                (i * 7) % 11,
                i % 3,
                (i + 1) % 4,
                if i % 2 == 0 { "fast" } else { "cheap" },
            );
            content.push(SourceFile::new(Section::Reviews, &format!("r{i:02}"), text));
        }
        SiteFiles { content, project_files: ["gadget", "widget"].map(String::from).into(), ..SiteFiles::default() }
    }

    proptest! {
        #[test]
        fn moving_reviews_equals_assembling_afresh(
            days in prop::collection::vec(1..6u8, 2..12),
            moves in prop::collection::vec((0..12usize, 1..7u8), 1..3),
        ) {
            let options = SiteOptions::default();
            let old = site_model(&site(&days), &options).expect("builds");
            let mut moved_days = days.clone();
            for &(which, day) in &moves {
                moved_days[which % days.len()] = day;
            }
            let files = site(&moved_days);
            let fresh = site_model(&files, &options).expect("builds");
            let markdown = MarkdownOptions { base_path: "/" };
            let mut replaced = Vec::new();
            for which in moves.iter().map(|(which, _)| which % days.len()).collect::<std::collections::BTreeSet<_>>() {
                let slug = format!("r{which:02}");
                let at = old.reviews.iter().position(|r| r.slug == slug).expect("a review");
                let parsed = match parse_file(&files.content[which + 2], markdown, false) {
                    Ok(ParsedFile::Review(parsed)) => parsed,
                    other => panic!("not a review: {other:?}"),
                };
                replaced.push((at, parsed));
            }
            let (patched, kept) =
                replace_reviews(&old, &old.config, replaced, &files.project_files).expect("replaced in place");
            let any_moved = days != moved_days;
            prop_assert_eq!(kept == Kept::Nothing, any_moved);
            prop_assert_eq!(format!("{patched:?}"), format!("{fresh:?}"));
        }
    }
}
