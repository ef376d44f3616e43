//! A site made again after edits of reviews in place: the edited reviews swapped into a copy of
//! the last good model, which is brought up to date only as far as their edits reach (as
//! [`edit::review_edit`] classifies them), instead of assembling the whole site again.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::config::Config;
use crate::model::{self, ProjectIndex, Site};
use crate::parse::Parsed;
use crate::parse::matter::ReviewMatter;

use super::edit::{self, ReviewEdit};
use super::reorder::reorder;
use super::terms::{TermEdits, retaxonomize};

/// `old` with the reviews at the given positions made from their files parsed anew, when each
/// checks without a finding and stays the same review ([`edit::ReviewEdit::identity`]): then
/// only those reviews change, and, as their edits require, their projects' summaries and
/// claims' questions and the taxonomies; a review whose date changed then moves to its new
/// place, with every position that refers to a review. With what the edits changed, all
/// together. `None` when the site must be assembled afresh.
pub fn replace_reviews(
    old: &Site,
    config: &Config,
    replaced: Vec<(usize, Parsed<ReviewMatter>)>,
    project_files: &BTreeSet<String>,
) -> Option<(Site, ReviewEdit)> {
    if old.config != *config {
        return None;
    }
    let index = ProjectIndex::new(&old.projects, project_files);
    let mut site = old.clone();
    let (mut rescored, mut refiled) = (BTreeSet::new(), BTreeSet::new());
    let mut terms = TermEdits::default();
    let mut moved = Vec::new();
    let mut edits = ReviewEdit::default();
    // Whether an edited review asks another number of questions: what a reply or a finding
    // names by number may be gone.
    let mut renumbered = false;
    for (at, parsed) in replaced {
        let mut found = Vec::new();
        let mut review = Arc::new(model::review(parsed, config, &index, &mut found)?);
        // Its author's standing disclosure, as a full assembly gives it; a missing one that
        // the site requires is an error the full assembly reports.
        if model::disclosed(&mut review, &old.profiles, config).is_some() {
            return None;
        }
        let before = old.reviews.get(at)?;
        renumbered |= before.questions.len() != review.questions.len();
        let change = edit::review_edit(before, &review);
        if !found.is_empty() || change.identity {
            return None;
        }
        edits = edits.and(change);
        if change.date {
            moved.push(at);
        }
        if !change.keeps_place() {
            refiled.insert(review.project);
            if before.tags != review.tags {
                terms.tags.push((at, before.tags.clone()));
            }
            if before.authors != review.authors {
                terms.authors.push((at, before.authors.clone()));
            }
            if before.verdict != review.verdict {
                terms.verdicts.push((at, before.verdict.clone()));
            }
        } else if change.marks {
            rescored.insert(review.project);
        }
        site.reviews[at] = review;
    }
    for &p in &refiled {
        model::refile_questions(&mut site, p);
    }
    for &p in rescored.iter().chain(&refiled) {
        model::resummarize(&mut site, p);
    }
    retaxonomize(&mut site, &terms);
    // A review whose date changed is refiled above (its questions, its project's summary and
    // history, which do not depend on positions); it moves last.
    reorder(&mut site, &moved);
    // A response to a question the edit took away, or a finding resting on one, is an error
    // the full assembly reports.
    if renumbered && (!model::target_errors(&site).is_empty() || !model::finding_errors(&site).is_empty()) {
        return None;
    }
    Some((site, edits))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::replace_reviews;
    use crate::load::{Section, SiteFiles, SourceFile};
    use crate::markdown::MarkdownOptions;
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
            let markdown = MarkdownOptions::ROOT;
            let mut replaced = Vec::new();
            for which in moves.iter().map(|(which, _)| which % days.len()).collect::<std::collections::BTreeSet<_>>() {
                let slug = format!("r{which:02}");
                let at = old.reviews.iter().position(|r| r.slug == slug).expect("a review");
                let parsed = match parse_file(&files.content[which + 2], markdown, crate::parse::Publish { drafts: false, until: None }) {
                    Ok(ParsedFile::Review(parsed)) => parsed,
                    other => panic!("not a review: {other:?}"),
                };
                replaced.push((at, parsed));
            }
            let (patched, edits) =
                replace_reviews(&old, &old.config, replaced, &files.project_files).expect("replaced in place");
            let any_moved = days != moved_days;
            prop_assert_eq!(edits.date, any_moved);
            prop_assert_eq!(format!("{patched:?}"), format!("{fresh:?}"));
        }
    }
}
