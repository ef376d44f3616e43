//! What listings show of each review and question: a review's card and a question as
//! listed under its claim, each made once per rendering (with its fragment when rendering).

use serde::Serialize;

use crate::model::QuestionRef;
use crate::parse::matter::QuestionStatus;

use super::{DateView, DisclosureView, LedgerView, LinkView, StandingView, VerdictView, Views, responses};
use crate::render::fragments::Partial;

/// A review in a listing.
#[derive(Debug, Serialize, Hash)]
pub struct ReviewCard {
    title: String,
    url: String,
    project: LinkView,
    /// The first of `authors` (for templates written when reviews had one).
    author: LinkView,
    authors: Vec<LinkView>,
    date: DateView,
    verdict: VerdictView,
    summary: String,
    questions: usize,
    open_questions: usize,
    draft: bool,
    /// Dated after the day built for (only present with `--future`, and in serve).
    future: bool,
    /// Past its revisit date.
    stale: bool,
    /// Under review or retracted.
    standing: Option<StandingView>,
    /// What its author disclosed (`None`: "No disclosure given").
    disclosure: Option<DisclosureView>,
}

/// A question as listed under a claim (project page, questions index).
#[derive(Debug, Serialize, Hash)]
struct QuestionItem {
    ask: String,
    status: &'static str,
    answer_html: Option<String>,
    evidence: Option<String>,
    /// What the ledger keeps of the evidence.
    evidence_ledger: Option<LedgerView>,
    asked: Option<DateView>,
    answered: Option<DateView>,
    /// For an open question put to the project: days since `asked`, to the build's date.
    waited_days: Option<i64>,
    review: LinkView,
    /// The first of `authors` (for templates written when reviews had one).
    author: LinkView,
    authors: Vec<LinkView>,
    /// The project's replies to it.
    replies: Vec<responses::ReplyLink>,
    /// Asked for a reply that has not come.
    reply_requested: Option<responses::RequestedView>,
}

/// Each question's listing, by review then question: `items[starts[review] + question]`.
pub(super) struct QuestionItems {
    starts: Vec<usize>,
    items: Vec<std::sync::OnceLock<tera::Value>>,
}

impl Views<'_> {
    /// The card of the review at `index`, as a template value (made once).
    pub fn card(&self, index: usize) -> tera::Value {
        let make = || {
            let review = &self.site.reviews[index];
            let project = &self.site.projects[review.project];
            let (author, authors) = self.credits(review);
            self.listed(
                Partial::Card,
                &ReviewCard {
                    title: review.title.clone(),
                    url: self.urls.review(&review.slug),
                    project: LinkView { text: project.name.clone(), url: self.urls.project(&project.slug) },
                    author,
                    authors,
                    date: self.date(review.date),
                    verdict: self.verdict(&review.verdict),
                    summary: review.body.summary.clone(),
                    questions: review.questions.len(),
                    open_questions: review.questions.iter().filter(|q| q.status == QuestionStatus::Open).count(),
                    draft: review.draft,
                    future: review.date > self.site.today,
                    stale: review.is_stale(self.site.today),
                    standing: StandingView::of(&review.standing, self.strings()),
                    disclosure: DisclosureView::of(review.disclosure.as_deref(), self.strings()),
                },
            )
        };
        self.cards.get(index).map_or_else(make, |card| card.get_or_init(make).clone())
    }

    /// Cards for the reviews at `indices`.
    pub fn cards(&self, indices: &[usize]) -> Vec<tera::Value> {
        indices.iter().map(|&r| self.card(r)).collect()
    }

    /// Cards for page `page` (0-based) of every review, newest first.
    pub fn reviews_page(&self, page: usize) -> Vec<tera::Value> {
        let per = self.config().paginate;
        (0..self.site.reviews.len()).skip(page * per).take(per).map(|r| self.card(r)).collect()
    }

    /// Cards for the newest `limit` reviews.
    pub fn latest(&self, limit: usize) -> Vec<tera::Value> {
        (0..self.site.reviews.len()).take(limit).map(|r| self.card(r)).collect()
    }

    /// The question at `at` as listed, as a template value (made once).
    pub(super) fn question_item(&self, at: QuestionRef) -> tera::Value {
        let make = || {
            let (review, q) = self.site.question(at);
            let waited_days = q
                .asked
                .filter(|_| q.status == QuestionStatus::Open)
                .map(|asked| asked.days_until(self.site.today).max(0));
            let (author, authors) = self.credits(review);
            let (evidence, evidence_ledger) = self.evidence(q.evidence.as_ref());
            self.listed(
                Partial::Question,
                &QuestionItem {
                    ask: q.ask.clone(),
                    status: q.status.key(),
                    answer_html: q.answer_html.clone(),
                    evidence,
                    evidence_ledger,
                    asked: q.asked.map(|d| self.date(d)),
                    answered: q.answered.map(|d| self.date(d)),
                    waited_days,
                    review: LinkView {
                        text: review.title.clone(),
                        url: format!("{}#{}", self.urls.review(&review.slug), q.anchor()),
                    },
                    author,
                    authors,
                    replies: self.question_replies(review, q),
                    reply_requested: self.reply_requested(review, q),
                },
            )
        };
        let table = self.question_items.get_or_init(|| {
            // Where each review's questions start, and how many there are in all.
            let mut count = 0;
            let mut starts = Vec::with_capacity(self.site.reviews.len());
            for review in self.site.reviews.iter() {
                starts.push(count);
                count += review.questions.len();
            }
            QuestionItems { starts, items: (0..count).map(|_| std::sync::OnceLock::new()).collect() }
        });
        let slot = table.starts.get(at.review).and_then(|start| table.items.get(start + at.question));
        slot.map_or_else(make, |item| item.get_or_init(make).clone())
    }
}
