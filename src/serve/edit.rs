//! What an edit changed, decided in one place: two versions of a review (of its questions and
//! revisions, of a project's aggregates) are destructured field by field, without `..`, so that
//! a field added to the model does not compile until it is classified here. Every decision of
//! serve about what it keeps after an edit of reviews is derived from these results.

use crate::model::scores::AxisSummary;
use crate::model::{Project, Question, Review, Revision};
use crate::serve::memo::Versions;

/// What changed between two versions of a review, by what each change reaches. Each flag says
/// whether something of that kind differs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewEdit {
    /// Its slug, old addresses, project or draft flag: another review, so the site is
    /// assembled afresh.
    pub identity: bool,
    /// Its date: it moves among the site's reviews and its project's.
    pub date: bool,
    /// What linking and the taxonomies read of it: its terms (author, verdict, tags), update, its
    /// revisions' dates and notes, its questions' number, claims and statuses.
    pub place: bool,
    /// Its scores, now or before a revision (to the bit: `-0` is written apart from `0`): its
    /// project's aggregates are computed again.
    pub marks: bool,
    /// What the questions pages show of it: its slug, title, author and project, and its
    /// questions as asked, placed and answered.
    pub questions_shown: bool,
    /// What the site's log of changes shows of it: its date, title, authors, verdict,
    /// revisions, standing, and its questions' numbers, asks, statuses and days answered.
    pub logged: bool,
}

impl ReviewEdit {
    /// Whether it keeps its place in the site: only what its own pages show changed (prose,
    /// title, answers, evidence) and perhaps its scores.
    pub fn keeps_place(self) -> bool {
        !self.identity && !self.date && !self.place
    }

    /// What this edit and `other` changed together.
    pub fn and(self, other: ReviewEdit) -> ReviewEdit {
        let ReviewEdit { identity, date, place, marks, questions_shown, logged } = other;
        ReviewEdit {
            identity: self.identity || identity,
            date: self.date || date,
            place: self.place || place,
            marks: self.marks || marks,
            questions_shown: self.questions_shown || questions_shown,
            logged: self.logged || logged,
        }
    }

    /// The numbers of a model made from one (numbered `last`) by edits of reviews in place
    /// that changed this: what the edits left keeps its number, the rest gets a new one from
    /// `made` (see [`Versions`]). A date moves reviews (a new order, the same reviews); a place
    /// changes the structure and the layout; scores the structure alone.
    pub fn versions_after(self, last: Versions, made: &mut Versions) -> Versions {
        let next = |count: &mut u64| {
            *count += 1;
            *count
        };
        let mut versions = last;
        if self.marks || self.place || self.date || self.identity {
            versions.structure = next(&mut made.structure);
        }
        if self.place || self.date || self.identity {
            versions.layout = next(&mut made.layout);
        }
        if self.date || self.identity {
            versions.order = next(&mut made.order);
        }
        if self.identity {
            versions.reviews = next(&mut made.reviews);
        }
        versions
    }
}

/// What changed between versions `a` and `b` of a review.
pub fn review_edit(a: &Review, b: &Review) -> ReviewEdit {
    let Review {
        slug,
        // Old addresses are checked against every other address as the site is assembled.
        aliases,
        title,
        project,
        authors,
        date,
        updated,
        verdict,
        scores,
        tags,
        questions,
        revisions,
        draft,
        fresh_until,
        // What its stale notice says, on its page and cards alone (made again for an edit).
        revisit_set: _,
        standing,
        // Shown on its page and its cards alone, which an edit of it makes again (as its body).
        disclosure: _,
        // Not classified: the description and image (its page's head, its feed entries), the body (on
        // its pages, cards, feeds, in search) and the file (the
        // checks, the data files) are read wherever the review is shown, and every such page
        // and file is made again for an edited review, by its position or its file's text.
        description: _,
        image: _,
        // At the top of its page and in its head alone. A picture that changes re-parses and
        // renders every page (the session compares the site's pictures).
        cover: _,
        extra: _,
        body: _,
        source: _,
    } = a;
    let identity = *slug != b.slug || *project != b.project || *draft != b.draft || *aliases != b.aliases;
    let terms = *authors != b.authors || *verdict != b.verdict || *tags != b.tags;
    let revision_edits: Vec<RevisionEdit> =
        revisions.iter().zip(&b.revisions).map(|(x, y)| revision_edit(x, y)).collect();
    let question_edits: Vec<QuestionEdit> =
        questions.iter().zip(&b.questions).map(|(x, y)| question_edit(x, y)).collect();
    let revisions_differ = revisions.len() != b.revisions.len();
    let questions_differ = questions.len() != b.questions.len();
    ReviewEdit {
        identity,
        date: *date != b.date,
        place: terms
            || *updated != b.updated
            || revisions_differ
            || revision_edits.iter().any(|e| e.date_or_note)
            || questions_differ
            || question_edits.iter().any(|e| e.place),
        // When it goes stale: its project's count of stale reviews, and perhaps its medians.
        marks: !same_scores(scores, &b.scores)
            || revisions_differ
            || revision_edits.iter().any(|e| e.previous)
            || *fresh_until != b.fresh_until
            // Retracted, it leaves its project's aggregates; under review, its scores are marked.
            || *standing != b.standing,
        questions_shown: identity
            || *title != b.title
            || *authors != b.authors
            || questions_differ
            || question_edits.iter().any(|e| e.place || e.shown),
        logged: identity
            || *date != b.date
            || *title != b.title
            || *authors != b.authors
            || *verdict != b.verdict
            || revisions_differ
            || revision_edits.iter().any(|e| e.date_or_note)
            || *standing != b.standing
            || questions_differ
            || question_edits.iter().any(|e| e.logged),
    }
}

/// What changed between two versions of a revision.
struct RevisionEdit {
    /// When or why: the change log, and the dates of the score history.
    date_or_note: bool,
    /// The scores before it.
    previous: bool,
}

fn revision_edit(a: &Revision, b: &Revision) -> RevisionEdit {
    let Revision { date, note, previous } = a;
    RevisionEdit { date_or_note: *date != b.date || *note != b.note, previous: !same_scores(previous, &b.previous) }
}

/// What changed between two versions of a question.
struct QuestionEdit {
    /// Where it is filed: its number, claim and status.
    place: bool,
    /// What listings show of it besides: the question, its answer, evidence and dates.
    shown: bool,
    /// What the log of changes shows of it: its number, the question, its status and days.
    logged: bool,
}

fn question_edit(a: &Question, b: &Question) -> QuestionEdit {
    let Question {
        number,
        ask,
        claim,
        status,
        answer_html,
        evidence,
        asked,
        answered,
        response_requested,
        // Not classified: the answer as written (data files, search), its links and hazards
        // (the checks) are made again from the edited review's file, by its text.
        answer_source: _,
        answer_links: _,
        answer_hazards: _,
    } = a;
    QuestionEdit {
        place: *number != b.number || *claim != b.claim || *status != b.status,
        shown: *ask != b.ask
            || *answer_html != b.answer_html
            || *evidence != b.evidence
            || *asked != b.asked
            || *answered != b.answered
            || *response_requested != b.response_requested,
        logged: *number != b.number
            || *ask != b.ask
            || *status != b.status
            || *asked != b.asked
            || *answered != b.answered,
    }
}

/// Whether a project shows review pages the same aggregates before and after: whether it has
/// them, and each axis' median (to the bit).
pub fn same_medians(a: &Project, b: &Project) -> bool {
    let Project {
        scores,
        overall,
        // Shown on its own pages, in listings and data files, which an edit of its reviews
        // renders again whenever it reaches the project.
        slug: _,
        name: _,
        summary: _,
        description: _,
        image: _,
        cover: _,
        aliases: _,
        extra: _,
        homepage: _,
        category: _,
        tags: _,
        claims: _,
        token: _,
        channels: _,
        events: _,
        governance: _,
        accountability: _,
        body: _,
        source: _,
        reviews: _,
        unclaimed_questions: _,
        history: _,
        stale_reviews: _,
    } = a;
    let median = |s: &AxisSummary| {
        let AxisSummary { median, key: _, values: _, min: _, max: _, contested: _ } = s;
        median.map(f64::to_bits)
    };
    overall.is_some() == b.overall.is_some()
        && scores.len() == b.scores.len()
        && scores.iter().zip(&b.scores).all(|(x, y)| median(x) == median(y))
}

/// Whether two sets of scores are the same to the bit: `-0` and `0` compare equal as numbers,
/// but the data files write them apart.
fn same_scores(a: &std::collections::BTreeMap<String, f64>, b: &std::collections::BTreeMap<String, f64>) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && va.to_bits() == vb.to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Which numbers an edit renews: each kind of change renews what depends on it, and no more.
    #[test]
    fn versions_follow_what_an_edit_changed() {
        let last = Versions { structure: 1, layout: 1, order: 1, reviews: 1 };
        let renewed = |edit: ReviewEdit| {
            let mut made = last;
            let after = edit.versions_after(last, &mut made);
            [after.structure != 1, after.layout != 1, after.order != 1, after.reviews != 1]
        };
        let none = ReviewEdit::default();
        assert_eq!(renewed(none), [false; 4], "prose");
        assert_eq!(renewed(ReviewEdit { marks: true, ..none }), [true, false, false, false]);
        assert_eq!(renewed(ReviewEdit { place: true, ..none }), [true, true, false, false]);
        assert_eq!(renewed(ReviewEdit { date: true, ..none }), [true, true, true, false]);
        assert_eq!(renewed(ReviewEdit { identity: true, ..none }), [true; 4]);
        assert_eq!(
            ReviewEdit { marks: true, ..none }
                .and(ReviewEdit { date: true, ..none })
                .versions_after(last, &mut last.clone())
                .order,
            2
        );
    }

    #[test]
    fn scores_are_the_same_only_to_the_bit() {
        let zero = BTreeMap::from([("cost".to_string(), 0.0)]);
        let negative_zero = BTreeMap::from([("cost".to_string(), -0.0)]);
        assert!(same_scores(&zero, &zero.clone()));
        assert!(!same_scores(&zero, &negative_zero), "-0 is written apart from 0 in the data files");
        assert!(!same_scores(&zero, &BTreeMap::from([("speed".to_string(), 0.0)])));
        assert!(!same_scores(&zero, &BTreeMap::new()));
    }
}
