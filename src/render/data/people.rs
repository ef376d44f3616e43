//! The records of who speaks on the site: each author (a line of `data/authors.jsonl`, with
//! their profile when they have one) and each project's replies (in its project's document).

use bytes::Bytes;
use serde::Serialize;

use crate::model::Project;
use crate::parse::matter::Disclosure;

use super::{DATA_VERSION, Records, json_line};

/// A project's reply, in its project's document.
#[derive(Serialize)]
pub(super) struct ResponseRecord<'a> {
    slug: &'a str,
    date: String,
    by: &'a str,
    source: Option<&'a str>,
    /// What the ledger keeps of the source.
    source_ledger: Option<super::LedgerRecord<'a>>,
    /// Published on one of the project's channels.
    traced: bool,
    to: Vec<TargetRecord<'a>>,
    /// Markdown.
    text: &'a str,
}

#[derive(Serialize)]
struct TargetRecord<'a> {
    review: &'a str,
    question: Option<usize>,
}

/// An author, with their profile's facts when they have one.
#[derive(Serialize)]
struct AuthorRecord<'a> {
    version: u32,
    slug: &'a str,
    url: String,
    name: &'a str,
    /// Whether `content/authors/<slug>.md` describes them.
    profile: bool,
    links: &'a [String],
    affiliations: &'a [String],
    /// Their standing disclosure.
    disclosure: Option<&'a Disclosure>,
    /// The slugs of their reviews, newest first.
    reviews: Vec<&'a str>,
}

impl<'a> Records<'a> {
    /// The replies of `project`, newest first.
    pub(super) fn responses(&self, project: &'a Project) -> Vec<ResponseRecord<'a>> {
        self.site
            .responses_of(project)
            .map(|r| ResponseRecord {
                slug: &r.slug,
                date: r.date.to_string(),
                by: &r.by,
                source: r.published_at.as_ref().map(|e| e.url.as_str()),
                source_ledger: self.ledger(r.published_at.as_ref()),
                traced: r.is_traced(project),
                to: r.to.iter().map(|t| TargetRecord { review: &t.review, question: t.question }).collect(),
                // Blank lines around it are the file's; indentation is Markdown's.
                text: r.text().trim_matches(['\n', '\r']),
            })
            .collect()
    }

    /// `data/authors.jsonl`: a line per author, in the order of their slugs. Made whole each
    /// time: a few hundred short lines, from the taxonomy and the profiles.
    pub fn authors_file(&self) -> Bytes {
        let site = self.site;
        let lines: String = site
            .authors
            .iter()
            .map(|term| {
                let profile = site.profile(&term.name);
                let record = AuthorRecord {
                    version: DATA_VERSION,
                    slug: &term.slug,
                    url: self.url(&self.views.urls().author(&term.slug)),
                    name: profile.map_or(&term.name, |p| &p.name),
                    profile: profile.is_some(),
                    links: profile.map_or(&[][..], |p| &p.links),
                    affiliations: profile.map_or(&[][..], |p| &p.affiliations),
                    disclosure: profile.and_then(|p| p.disclosure.as_deref()),
                    reviews: term.reviews.iter().map(|&r| site.reviews[r].slug.as_str()).collect(),
                };
                json_line(&record) + "\n"
            })
            .collect();
        Bytes::from(lines)
    }
}
