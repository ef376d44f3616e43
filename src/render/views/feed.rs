//! Feeds: the latest reviews as Atom (through the `atom.xml` template) and JSON Feed 1.1,
//! site-wide and per project. Links in entry content are made absolute, since feed readers
//! show entries away from the site.

use serde::Serialize;
use serde_json::json;

use crate::date::Date;
use crate::model::{Project, Review, Standing};

use super::Views;

/// One entry of a feed.
#[derive(Debug, Serialize)]
pub struct FeedEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    /// All of `authors` in one line (for templates written when reviews had one).
    author: String,
    /// One `<author>` each.
    authors: Vec<String>,
    /// Its description, as text.
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

/// Text without the characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE,
/// U+FFFF). Fields holding one are errors where they are read, and Markdown's character
/// references are replaced as it is rendered: this keeps a feed parseable whatever a
/// template or a later change lets through.
pub(super) fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// A date as an RFC 3339 timestamp at midnight UTC.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

impl Views<'_> {
    /// Root-relative `href`/`src` made absolute; protocol-relative ones (`//host/…`) kept.
    fn absolute(&self, html: &str) -> String {
        let origin = self.origin();
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find("=\"/") {
            let attribute_end = at + 3;
            let before = &rest[..at];
            let is_link = before.ends_with("href") || before.ends_with("src");
            out.push_str(&rest[..attribute_end - 1]);
            if is_link && !rest[attribute_end..].starts_with('/') {
                out.push_str(origin);
            }
            rest = &rest[attribute_end - 1..];
            out.push('/');
            rest = &rest[1..];
        }
        out.push_str(rest);
        out
    }

    /// One entry; with `full`, the whole critique as content, else its summary.
    fn entry(&self, review: &Review, full: bool) -> FeedEntry {
        let project = &self.site.projects[review.project];
        let verdict =
            self.site.config.verdict(&review.verdict).map_or_else(|| review.verdict.clone(), |v| v.label.clone());
        // A retraction is news: the entry says so first, dated the day it happened.
        let retraction = match &review.standing {
            Standing::Retracted { date, reason } => Some((*date, reason)),
            _ => None,
        };
        let notice = retraction.map_or_else(String::new, |(date, reason)| {
            format!("<p><strong>Retracted on {}:</strong> {}</p>", date.human(), crate::markdown::html_escape(reason))
        });
        let body = if full { &review.body.html } else { &review.body.summary };
        FeedEntry {
            title: xml_safe(&match retraction {
                Some(_) => format!("Retracted: {}", review.title),
                None => review.title.clone(),
            }),
            url: format!("{}{}", self.origin(), self.urls.review(&review.slug)),
            published: timestamp(review.date),
            updated: timestamp(activity(review)),
            author: xml_safe(&review.byline()),
            authors: review.authors.iter().map(|a| xml_safe(a)).collect(),
            summary: xml_safe(&match retraction {
                Some((date, _)) => format!("Retracted on {}. {}", date.human(), review.description),
                None => review.description.clone(),
            }),
            content: xml_safe(&format!("{notice}{}", self.absolute(body))),
            project: xml_safe(&project.name),
            verdict,
        }
    }

    /// The feed of the newest reviews of the site (full texts), or of one project (summaries).
    pub fn feed(&self, project: Option<&Project>) -> FeedView {
        let limit = self.site.config.feed_limit;
        let all: Vec<&Review> = match project {
            Some(p) => p.reviews.iter().map(|&r| &*self.site.reviews[r]).collect(),
            None => self.site.reviews.iter().map(|r| &**r).collect(),
        };
        let mut reviews: Vec<&Review> = all.iter().take(limit).copied().collect();
        // An older review retracted since the oldest entry is announced among them.
        if let Some(oldest) = reviews.last().map(|r| r.date) {
            let retracted_since: Vec<&Review> = all
                .iter()
                .skip(limit)
                .filter(|r| matches!(r.standing, Standing::Retracted { date, .. } if date >= oldest))
                .copied()
                .collect();
            if !retracted_since.is_empty() {
                reviews.extend(retracted_since);
                reviews.sort_by(|a, b| activity(b).cmp(&activity(a)).then_with(|| crate::model::site_order(a, b)));
                reviews.truncate(limit);
            }
        }
        let updated = reviews.iter().map(|r| activity(r)).max();
        let (title, home) = match project {
            Some(p) => (format!("Reviews of {} — {}", p.name, self.site.config.title), self.urls.project(&p.slug)),
            None => (self.site.config.title.clone(), self.urls.home()),
        };
        FeedView {
            title: xml_safe(&title),
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
                    "authors": e.authors.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
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

/// The last day something happened to `review`: published, updated or retracted.
fn activity(review: &Review) -> Date {
    let retracted = match review.standing {
        Standing::Retracted { date, .. } => Some(date),
        _ => None,
    };
    review.updated.into_iter().chain(retracted).fold(review.date, Date::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_drop_characters_xml_forbids() {
        assert_eq!(xml_safe("Honest \u{1} review\t\n"), "Honest  review\t\n");
    }
}
