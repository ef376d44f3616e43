//! Feeds: the latest reviews as Atom (through the `atom.xml` template) and JSON Feed 1.1,
//! site-wide and per project. Links in entry content are made absolute, since feed readers
//! show entries away from the site.

use serde::Serialize;
use serde_json::json;

use crate::model::date::Date;
use crate::model::{Project, Review};

use super::Views;

/// One entry of a feed.
#[derive(Debug, Serialize)]
pub struct FeedEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    author: String,
    summary: String,
    content: String,
    project: String,
    verdict: String,
}

/// A whole feed.
#[derive(Debug, Serialize)]
pub struct FeedView {
    title: String,
    /// The feed's own URL.
    url: String,
    /// The page the feed belongs to.
    home: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// A date as an RFC 3339 timestamp at midnight UTC.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

impl Views<'_> {
    fn absolute(&self, html: &str) -> String {
        let origin = self.origin();
        html.replace("href=\"/", &format!("href=\"{origin}/")).replace("src=\"/", &format!("src=\"{origin}/"))
    }

    /// One entry; with `full`, the whole critique as content, else its summary.
    fn entry(&self, review: &Review, full: bool) -> FeedEntry {
        let project = &self.site.projects[review.project];
        let verdict =
            self.site.config.verdict(&review.verdict).map_or_else(|| review.verdict.clone(), |v| v.label.clone());
        FeedEntry {
            title: review.title.clone(),
            url: format!("{}{}", self.origin(), self.urls.review(&review.slug)),
            published: timestamp(review.date),
            updated: timestamp(review.updated.unwrap_or(review.date)),
            author: review.author.clone(),
            summary: self.absolute(&review.body.summary),
            content: if full { self.absolute(&review.body.html) } else { self.absolute(&review.body.summary) },
            project: project.name.clone(),
            verdict,
        }
    }

    /// The feed of the newest reviews of the site (full texts), or of one project (summaries).
    pub fn feed(&self, project: Option<&Project>) -> FeedView {
        let limit = self.site.config.feed_limit;
        let reviews: Vec<&Review> = match project {
            Some(p) => p.reviews.iter().take(limit).map(|&r| &self.site.reviews[r]).collect(),
            None => self.site.reviews.iter().take(limit).collect(),
        };
        let updated = reviews.iter().map(|r| r.updated.unwrap_or(r.date)).max();
        let (title, home) = match project {
            Some(p) => (format!("Reviews of {} — {}", p.name, self.site.config.title), self.urls.project(&p.slug)),
            None => (self.site.config.title.clone(), self.urls.home()),
        };
        FeedView {
            title,
            url: format!("{}{}feed.xml", self.origin(), home),
            home: format!("{}{home}", self.origin()),
            updated: updated.map(timestamp).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
            // Per-project feeds carry summaries: two hundred of them with full texts would
            // weigh more than the site itself.
            entries: reviews.into_iter().map(|r| self.entry(r, project.is_none())).collect(),
        }
    }

    /// The site's JSON Feed 1.1.
    pub fn json_feed(&self) -> serde_json::Value {
        let feed = self.feed(None);
        let items: Vec<serde_json::Value> = feed
            .entries
            .iter()
            .map(|e| {
                json!({
                    "id": e.url,
                    "url": e.url,
                    "title": e.title,
                    "content_html": e.content,
                    "summary": e.summary,
                    "date_published": e.published,
                    "date_modified": e.updated,
                    "authors": [{ "name": e.author }],
                    "tags": [e.project, e.verdict],
                })
            })
            .collect();
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": feed.home,
            "feed_url": format!("{}{}feed.json", self.origin(), self.urls.home()),
            "description": self.site.config.description,
            "language": self.site.config.language,
            "items": items,
        })
    }
}
