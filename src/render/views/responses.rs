//! The project's replies as pages show them: in full under the review they answer and on
//! their project's page, as a line under each question they answer, and a question the
//! project was asked to reply to counting the days until one does.

use serde::Serialize;

use crate::hash::FastMap;
use crate::model::{Project, Question, Response, Review};

use super::{DateView, LinkView, Views};

/// A reply in full.
#[derive(Debug, Serialize)]
pub struct ResponseView {
    /// Its element id: `response-<slug>`.
    anchor: String,
    by: String,
    date: DateView,
    /// Where the project published it.
    source: Option<String>,
    /// That address's host, as its link's text.
    source_host: Option<String>,
    /// What the ledger keeps of the source.
    source_ledger: Option<super::LedgerView>,
    body: String,
    /// What it answers: reviews, and questions by their review (on the project's page).
    answers: Vec<LinkView>,
}

/// A line under a question its reply answers, linking to the reply.
#[derive(Debug, Serialize, Hash)]
pub struct ReplyLink {
    by: String,
    date: DateView,
    url: String,
    /// Where the project published it, and that address's host.
    source: Option<String>,
    source_host: Option<String>,
}

/// A question the project was asked to reply to, with no reply yet.
#[derive(Debug, Serialize, Hash)]
pub struct RequestedView {
    date: DateView,
    /// Days since, to the site's day.
    days: i64,
}

/// The responses naming each review (it or its questions), by the review's slug, oldest
/// first: made once for all the pages a rendering shows them on.
pub(super) type RepliesByReview = FastMap<String, Vec<usize>>;

/// [`RepliesByReview`] of `responses` (newest first, as the site keeps them).
pub(super) fn replies_by_review(responses: &[std::sync::Arc<Response>]) -> RepliesByReview {
    let mut by_review: RepliesByReview = FastMap::default();
    for (i, response) in responses.iter().enumerate().rev() {
        let mut named: Vec<&str> = response.to.iter().map(|t| t.review.as_str()).collect();
        named.sort_unstable();
        named.dedup();
        for review in named {
            by_review.entry(review.to_string()).or_default().push(i);
        }
    }
    // Oldest first, as a conversation reads; a day's replies by name.
    for replies in by_review.values_mut() {
        replies.sort_by(|&a, &b| (responses[a].date, &responses[a].slug).cmp(&(responses[b].date, &responses[b].slug)));
    }
    by_review
}

impl Views<'_> {
    /// The responses naming `review` or its questions, oldest first.
    fn replies_to(&self, review: &Review) -> impl Iterator<Item = &Response> {
        let table = self.replies.get_or_init(|| replies_by_review(&self.site.responses));
        let found = if self.site.responses.is_empty() { None } else { table.get(&review.slug) };
        found.into_iter().flatten().map(|&i| &*self.site.responses[i])
    }

    /// The responses to `review` (it, or any of its questions), in full, oldest first.
    pub(super) fn review_responses(&self, review: &Review) -> Vec<ResponseView> {
        self.replies_to(review).map(|r| self.response_view(r, Vec::new())).collect()
    }

    /// The replies answering question `q` of `review`, each a link to the reply in full.
    pub(super) fn question_replies(&self, review: &Review, q: &Question) -> Vec<ReplyLink> {
        self.replies_to(review)
            .filter(|r| r.answers_question(&review.slug, q.number))
            .map(|r| {
                let (source, source_host) = self.source_link(r);
                ReplyLink {
                    by: r.by.clone(),
                    date: self.date(r.date),
                    url: format!("{}#response-{}", self.urls.review(&review.slug), r.slug),
                    source,
                    source_host,
                }
            })
            .collect()
    }

    /// How long the project has left question `q` of `review` without the reply it was asked
    /// for (`response_requested`), until a response names it.
    pub(super) fn reply_requested(&self, review: &Review, q: &Question) -> Option<RequestedView> {
        let asked = q.response_requested?;
        let answered = self.replies_to(review).any(|r| r.answers_question(&review.slug, q.number));
        (!answered).then(|| RequestedView { date: self.date(asked), days: asked.days_until(self.site.today).max(0) })
    }

    /// The replies of `project`, newest first, each with what it answers.
    pub(super) fn project_responses(&self, project: &Project) -> Vec<ResponseView> {
        let reviews: FastMap<&str, &Review> =
            project.reviews.iter().map(|&i| (self.site.reviews[i].slug.as_str(), &*self.site.reviews[i])).collect();
        self.site
            .responses_of(project)
            .map(|r| {
                // A target the run left out (a draft, dated later) links nowhere yet.
                let answers =
                    r.to.iter()
                        .filter_map(|t| {
                            let review = reviews.get(t.review.as_str())?;
                            let url = self.urls.review(&review.slug);
                            Some(match t.question.and_then(|n| review.questions.get(n - 1)) {
                                Some(q) => LinkView {
                                    // By its number: a reply may answer hundreds of questions, each as
                                    // long as a writer made it.
                                    text: format!("{}, question {}", review.title, q.number),
                                    url: format!("{url}#{}", q.anchor()),
                                },
                                None => LinkView { text: review.title.clone(), url },
                            })
                        })
                        .collect();
                self.response_view(r, answers)
            })
            .collect()
    }

    /// Where `response` was published, as a link and its text (the address's host).
    fn source_link(&self, response: &Response) -> (Option<String>, Option<String>) {
        let source = response.published_at.as_ref().map(|e| e.url.as_str());
        (
            source.map(|s| self.urls.field(s)),
            source.map(|s| crate::scheme::web_address(s).map_or_else(|| s.to_string(), |(host, _)| host)),
        )
    }

    fn response_view(&self, response: &Response, answers: Vec<LinkView>) -> ResponseView {
        let (source, source_host) = self.source_link(response);
        let source_ledger = self.evidence(response.published_at.as_ref()).1;
        ResponseView {
            anchor: format!("response-{}", response.slug),
            by: response.by.clone(),
            date: self.date(response.date),
            source,
            source_host,
            source_ledger,
            body: response.body.html.clone(),
            answers,
        }
    }
}
