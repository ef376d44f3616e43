//! The project's right of reply: each response checked (its project, its source, the form of
//! its targets) on its own, then its targets against the site's reviews, which serve does
//! again after an edit that may renumber a review's questions.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, closest};
use crate::locate::Step;
use crate::markdown::Rendered;
use crate::parse::matter::{ResponseMatter, ResponseTarget};
use crate::parse::{Located, Parsed};

use super::{Project, ProjectIndex, Review, Site};

/// A project's reply to reviews and questions, published where `published_at` says.
#[derive(Debug, Clone)]
pub struct Response {
    /// File name: the anchor `response-<slug>` where it is shown.
    pub slug: String,
    /// Index into [`Site::projects`] of the project replying.
    pub project: usize,
    /// When the project published it.
    pub date: crate::date::Date,
    /// Who speaks for the project.
    pub by: String,
    /// Where the project published it (its `source`).
    pub published_at: Option<crate::parse::matter::Evidence>,
    /// What it answers, as written.
    pub to: Vec<Target>,
    /// The reply.
    pub body: Arc<Rendered>,
    /// Its file.
    pub source: Located,
}

/// One thing a response answers: a review, or one of its questions.
#[derive(Debug, Clone)]
pub struct Target {
    /// The review's slug.
    pub review: String,
    /// The question's number (`q-<n>`), or the whole review.
    pub question: Option<usize>,
    /// The value as written, for errors at its position.
    written: Spanned<String>,
    /// Its position in `to`, and whether it was given as `review` or `question`.
    at: (usize, &'static str),
}

impl Response {
    /// Whether it answers question `number` of the review `slug`.
    pub fn answers_question(&self, slug: &str, number: usize) -> bool {
        self.to.iter().any(|t| t.review == slug && t.question == Some(number))
    }

    /// Whether it was published on one of `project`'s channels (its `channels`, or its
    /// `homepage`): whether readers can trace it to the project.
    pub fn is_traced(&self, project: &Project) -> bool {
        self.published_at.as_ref().is_some_and(|source| {
            project.homepage.iter().chain(&project.channels).any(|c| crate::scheme::on_channel(&source.url, c))
        })
    }

    /// The reply as written (Markdown): the file after its front matter.
    pub fn text(&self) -> &str {
        let text = &*self.source.text;
        let start: usize = text.split_inclusive('\n').take(self.source.body_line - 1).map(str::len).sum();
        text.get(start..).unwrap_or_default()
    }
}

/// A response checked on its own: a known project, a web `source`, targets of the right form.
pub(super) fn response(
    parsed: Parsed<ResponseMatter>,
    index: &ProjectIndex<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Response> {
    let Parsed { slug, source, mut matter, body, cover: _ } = parsed;
    let before = errors.len();
    let wanted = &matter.project.value;
    let project = index.slugs.get(wanted.as_str()).copied();
    // A project file that failed to parse has its own error; do not call it unknown.
    if project.is_none() && !index.files.contains(wanted) {
        let hint = closest(wanted, index.slugs.keys().copied())
            .map(|p| format!("did you mean `{p}`?"))
            .unwrap_or_else(|| "name a file of content/projects/ without `.md`".to_string());
        let message = format!("unknown project `{wanted}`: expected the slug of the project replying");
        errors.push(source.error(&matter.project, &[Step::Key("project")], message).with_hint(hint));
    }
    super::fields::response(&mut matter, &source, errors);
    if matter.by.trim().is_empty() {
        errors.push(source.error_at_key("by", "empty `by`: expected who speaks for the project"));
    }
    if matter.to.is_empty() {
        let message = "no `to`: expected what the response answers";
        let hint =
            "as in `to: [{ review: who-controls-upgrades }]`, or `- question: who-controls-upgrades#q-2` in a list";
        errors.push(Diagnostic::at(&source.path, source.matter_line, 1, message).with_hint(hint));
    }
    let mut to: Vec<Target> = Vec::with_capacity(matter.to.len());
    let mut seen = BTreeSet::new();
    for (i, target) in matter.to.into_iter().enumerate() {
        let target = match target {
            ResponseTarget::Review(written) => {
                Target { review: written.value.clone(), question: None, written, at: (i, "review") }
            }
            ResponseTarget::Question(written) => match question_ref(&written.value) {
                Some((review, number)) => {
                    Target { review: review.to_string(), question: Some(number), written, at: (i, "question") }
                }
                None => {
                    let message = format!(
                        "`{}` is not a question: expected `<review slug>#q-<number>`, as on the review's page",
                        written.value
                    );
                    let hint = "as in `question: who-controls-upgrades#q-2` for the second question of that review";
                    let at = [Step::Key("to"), Step::Index(i), Step::Key("question")];
                    errors.push(source.error(&written, &at, message).with_hint(hint));
                    continue;
                }
            },
        };
        if !seen.insert((target.review.clone(), target.question)) {
            let at = [Step::Key("to"), Step::Index(i), Step::Key(target.at.1)];
            let message = format!("`{}` is named twice in `to`: expected each once", target.written.value);
            errors.push(source.error(&target.written, &at, message));
        }
        to.push(target);
    }
    let project = project?;
    (errors.len() == before).then(|| Response {
        slug,
        project,
        date: matter.date.value,
        by: matter.by,
        published_at: matter.source.map(|s| s.value),
        to,
        body,
        source,
    })
}

/// `<review>#q-<n>` as the review's slug and the question's number (from 1).
pub(super) fn question_ref(written: &str) -> Option<(&str, usize)> {
    let (review, anchor) = written.trim().split_once('#')?;
    let digits = anchor.strip_prefix("q-").filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))?;
    let number: usize = digits.parse().ok()?;
    (!review.is_empty() && number >= 1).then_some((review, number))
}

/// An error at every target of `responses` that names no review of `reviews`, a review of
/// another project, or a question its review does not have. A review the run left out (a
/// draft, dated later: `left_out`) is no error: it is answered once it is published.
pub fn target_errors(site: &Site) -> Vec<Diagnostic> {
    if site.responses.is_empty() {
        return Vec::new();
    }
    let named: BTreeSet<&str> = site.responses.iter().flat_map(|r| r.to.iter().map(|t| t.review.as_str())).collect();
    let found: crate::hash::FastMap<&str, &Review> =
        site.reviews.iter().filter(|r| named.contains(r.slug.as_str())).map(|r| (r.slug.as_str(), &**r)).collect();
    let left_out = site.left_out_slugs();
    let mut errors = Vec::new();
    for response in site.responses.iter() {
        let project = &site.projects[response.project];
        for target in &response.to {
            let at = [Step::Key("to"), Step::Index(target.at.0), Step::Key(target.at.1)];
            let error = |message: String| response.source.error(&target.written, &at, message);
            match found.get(target.review.as_str()) {
                None if left_out.contains(target.review.as_str()) => {}
                None => {
                    let reviews_of = site.reviews.iter().filter(|r| r.project == response.project);
                    let hint = closest(&target.review, reviews_of.map(|r| r.slug.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            format!("name a review of {} by its file name, without `.md`", project.name)
                        });
                    errors.push(error(format!("unknown review `{}`", target.review)).with_hint(hint));
                }
                Some(review) if review.project != response.project => {
                    let message = format!(
                        "`{}` reviews {}, not {}: a response answers reviews of its own project",
                        review.slug, site.projects[review.project].name, project.name
                    );
                    errors.push(error(message));
                }
                Some(review) => {
                    let count = review.questions.len();
                    if let Some(number) = target.question.filter(|&n| n > count) {
                        let expected = match count {
                            0 => "it asks none: answer the whole review (`review:`)".to_string(),
                            1 => format!("it asks one: `{}#q-1`", review.slug),
                            _ => format!("it asks {count}: `#q-1` to `#q-{count}`"),
                        };
                        errors.push(error(format!("`{}` has no question {number}: {expected}", review.slug)));
                    }
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_refs_name_a_review_and_a_question_from_one() {
        assert_eq!(question_ref("who-controls#q-2"), Some(("who-controls", 2)));
        assert_eq!(question_ref(" r#q-10 "), Some(("r", 10)));
        for bad in ["r", "r#2", "r#q-0", "#q-1", "r#q-", "r#q-x", "r#q--1", "r#q-+1", "r#q- 1"] {
            assert_eq!(question_ref(bad), None, "{bad}");
        }
    }
}
