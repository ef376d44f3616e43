//! What can be found: every review, then each of its questions (landing on the question's
//! anchor), then every project; each with the text it is found by and what a result shows.
//!
//! Documents are numbered in *index order*: the reviews by slug (not by date, the site's own
//! order), so that a review keeps its documents' numbers when its date changes, and an edit of
//! a date changes no postings; the search page orders results by date itself
//! ([`super::facets`] gives each review's age).

use serde::Serialize;

use crate::model::{Project, Question, Review, Site};
use crate::text::plain_text;
use crate::urls::Urls;

/// How long a result's excerpt may be, in characters.
const EXCERPT_CHARS: usize = 280;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// A review.
    #[serde(rename = "r")]
    Review,
    /// One question of a review.
    #[serde(rename = "q")]
    Question,
    /// A project.
    #[serde(rename = "p")]
    Project,
}

/// One searchable document.
#[derive(Debug, Clone)]
pub struct Document {
    /// What it is.
    pub kind: Kind,
    /// Its title, which counts more in ranking.
    pub title: String,
    /// Everything else it is found by, as plain text.
    pub text: String,
    /// What a result shows.
    pub meta: Meta,
}

/// What a result shows: the record written into a metadata batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Kind.
    pub k: Kind,
    /// Title.
    pub t: String,
    /// Link below the base path (`reviews/x/#q-2`).
    pub u: String,
    /// The project's name.
    pub p: String,
    /// Date (reviews and questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// The verdict's index in the configuration (reviews and questions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<usize>,
    /// The review a question belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<String>,
    /// A question's status: 0 open, 1 answered, 2 disputed (the manifest's `statuses`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s: Option<usize>,
    /// The start of its text, for the snippet.
    pub x: String,
}

/// A part of the site whose documents are made together: a run of reviews in index order
/// (each review, then its questions), or every project.
pub enum Part<'a> {
    /// Consecutive reviews of the index order, by their positions in the site.
    Reviews(&'a [usize]),
    /// The projects, which come last.
    Projects,
}

/// The positions of the site's reviews in index order: by slug.
pub fn index_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.reviews.len()).collect();
    order.sort_unstable_by(|&a, &b| site.reviews[a].slug.cmp(&site.reviews[b].slug));
    order
}

/// The site's reviews in `order` (see [`index_order`]) in a few large parts, then the
/// projects, a few parts per thread: for a build, where fewer parts merge faster.
pub fn parts(order: &[usize]) -> Vec<Part<'_>> {
    let per_part = order.len().div_ceil(rayon::current_num_threads() * 4).max(64);
    let mut parts: Vec<Part<'_>> = order.chunks(per_part).map(Part::Reviews).collect();
    parts.push(Part::Projects);
    parts
}

/// The documents of one part, in index order.
pub fn documents(site: &Site, part: &Part<'_>) -> Vec<Document> {
    let urls = Urls::new("");
    match part {
        Part::Reviews(positions) => positions
            .iter()
            .map(|&at| &site.reviews[at])
            .flat_map(|review| {
                std::iter::once(review_doc(site, &urls, review))
                    .chain(review.questions.iter().map(|q| question_doc(site, &urls, review, q)))
                    .collect::<Vec<_>>()
            })
            .collect(),
        Part::Projects => site.projects.iter().map(|p| project_doc(&urls, p)).collect(),
    }
}

fn review_doc(site: &Site, urls: &Urls<'_>, review: &Review) -> Document {
    let project = &site.projects[review.project];
    let body = plain_text(&review.body.html);
    let mut text = String::with_capacity(body.len() + 256);
    for part in [body.as_str(), project.name.as_str(), review.byline().as_str()]
        .into_iter()
        .chain(review.tags.iter().map(String::as_str))
    {
        push_part(&mut text, part);
    }
    for q in &review.questions {
        push_part(&mut text, &q.ask);
        push_part(&mut text, q.answer_source.as_deref().unwrap_or_default());
    }
    let meta = Meta {
        k: Kind::Review,
        t: review.title.clone(),
        u: urls.review(&review.slug),
        p: project.name.clone(),
        d: Some(review.date.to_string()),
        v: verdict_index(site, review),
        r: None,
        s: None,
        x: excerpt(&body),
    };
    Document { kind: Kind::Review, title: review.title.clone(), text, meta }
}

fn question_doc(site: &Site, urls: &Urls<'_>, review: &Review, q: &Question) -> Document {
    let project = &site.projects[review.project];
    let answer = q.answer_html.as_deref().map(plain_text).unwrap_or_default();
    let claim = q.claim.as_deref().and_then(|id| project.claims.iter().find(|c| c.id == id));
    let mut text = answer.clone();
    push_part(&mut text, &project.name);
    let shown = match claim {
        Some(c) if answer.is_empty() => format!("Tests the claim: {}", c.text),
        _ => answer,
    };
    let meta = Meta {
        k: Kind::Question,
        t: q.ask.clone(),
        u: format!("{}#{}", urls.review(&review.slug), q.anchor()),
        p: project.name.clone(),
        d: Some(q.asked.unwrap_or(review.date).to_string()),
        v: verdict_index(site, review),
        r: Some(review.title.clone()),
        s: Some(q.status as usize),
        x: excerpt(&shown),
    };
    Document { kind: Kind::Question, title: q.ask.clone(), text, meta }
}

fn project_doc(urls: &Urls<'_>, project: &Project) -> Document {
    let mut text = project.summary.clone();
    for claim in &project.claims {
        push_part(&mut text, &claim.text);
    }
    let meta = Meta {
        k: Kind::Project,
        t: project.name.clone(),
        u: urls.project(&project.slug),
        p: project.name.clone(),
        d: None,
        v: None,
        r: None,
        s: None,
        x: excerpt(&text),
    };
    Document { kind: Kind::Project, title: project.name.clone(), text, meta }
}

fn verdict_index(site: &Site, review: &Review) -> Option<usize> {
    site.config.verdicts.iter().position(|v| v.key == review.verdict)
}

fn push_part(text: &mut String, part: &str) {
    if !part.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(part);
    }
}

/// The first `EXCERPT_CHARS` characters of `text`, cut after a whole word, with `…` when cut.
pub fn excerpt(text: &str) -> String {
    crate::text::cut_at_word(text, EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_after_a_word() {
        assert_eq!(excerpt("short"), "short");
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        let unbroken = "x".repeat(300);
        assert_eq!(excerpt(&unbroken).chars().count(), EXCERPT_CHARS + 1);
    }
}
