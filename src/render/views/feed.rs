//! Feeds: the latest reviews as Atom (through the `atom.xml` template) and JSON Feed 1.1,
//! site-wide and per project. Links in entry content are made absolute, since feed readers
//! show entries away from the site.

use serde::Serialize;
use serde_json::json;

use crate::date::Date;
use crate::model::scores::format_score;
use crate::model::taxonomy::Term;
use crate::model::{Project, Review, Standing};

use super::{TaxonomyKind, Views};

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
    /// Every `href` and `src` of `html` made absolute, as feed readers show entries away from
    /// the site: root-relative ones (`/x/`) on the site's origin, relative ones (`../x/`,
    /// `#part`) from `page`; those with a scheme, and protocol-relative ones, kept.
    fn absolute(&self, html: &str, page: &str) -> String {
        let origin = self.origin();
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find("=\"") {
            let value_start = at + 2;
            let before = &rest[..at];
            let named = |name: &str| before.strip_suffix(name).is_some_and(|b| b.ends_with(char::is_whitespace));
            let is_link = named("href") || named("src");
            out.push_str(&rest[..value_start]);
            rest = &rest[value_start..];
            let value = &rest[..rest.find('"').unwrap_or(rest.len())];
            // An image's copies (`/reviews/x/chart-w480.png 480w, …`), root-relative as Markdown
            // writes them.
            if named("srcset") {
                let candidates = value.split(", ").map(|candidate| match candidate.strip_prefix('/') {
                    Some(path) if !path.starts_with('/') => format!("{origin}/{path}"),
                    _ => candidate.to_string(),
                });
                out.push_str(&candidates.collect::<Vec<_>>().join(", "));
                rest = &rest[value.len()..];
                continue;
            }
            if !is_link {
                continue;
            }
            // Another site's, a mail address, a script: kept as written (never made ours).
            if crate::scheme::classify(value) != crate::scheme::Target::Relative {
                continue;
            }
            if value.starts_with('/') {
                out.push_str(origin);
            } else if value.starts_with(['#', '?']) || value.is_empty() {
                out.push_str(page);
            } else {
                // `../x/` from the page: its dot segments resolved, as a reader would.
                let end = value.find(['?', '#']).unwrap_or(value.len());
                let path = format!("{}{}", &page[origin.len()..], &value[..end]);
                match crate::urls::normalize(&path) {
                    Some(path) => {
                        out.push_str(origin);
                        out.push('/');
                        out.push_str(&path);
                        out.push_str(&value[end..]);
                        rest = &rest[value.len()..];
                    }
                    None => out.push_str(page),
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A review's verdict, overall score, scores per axis and questions, as HTML for a feed.
    fn essentials(&self, review: &Review, verdict: &str) -> String {
        use crate::markdown::html_escape;
        let config = &self.site.config;
        let t = &config.interface;
        let scale = format_score(config.scale.max);
        let mut html = format!("<p><strong>{}</strong> {}", html_escape(t.get("verdict_label")), html_escape(verdict));
        if let Some(overall) = config.overall(&review.scores) {
            let of = t.fill("feed_score_of", &[("score", &format_score(overall)), ("max", &scale)]);
            html.push_str(&format!(" · <strong>{}</strong> {}", html_escape(t.get("feed_overall")), html_escape(&of)));
        }
        html.push_str("</p>\n<ul>");
        for axis in &config.axes {
            let score = review
                .scores
                .get(&axis.key)
                .map_or_else(|| t.get("not_scored_lower").to_string(), |s| format_score(*s));
            html.push_str(&format!("<li>{}: {}</li>", html_escape(&axis.label), html_escape(&score)));
        }
        html.push_str("</ul>\n");
        if !review.questions.is_empty() {
            html.push_str(&format!("<p><strong>{}</strong></p>\n<ol>", html_escape(t.get("feed_questions"))));
            for q in &review.questions {
                let status = t.get(&format!("status_{}", q.status.key())).to_lowercase();
                html.push_str(&format!("<li>{} ({})</li>", html_escape(&q.ask), html_escape(&status)));
            }
            html.push_str("</ol>\n");
        }
        html
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
            let label = self.strings().fill("retracted_on", &[("date", &self.strings().date(date))]);
            let (label, reason) = (crate::markdown::html_escape(&label), crate::markdown::html_escape(reason));
            format!("<p><strong>{label}</strong> {reason}</p>")
        });
        let body = if full { &review.body.html } else { &review.body.summary };
        let page = format!("{}{}", self.origin(), self.urls.review(&review.slug));
        // What a reader of the feed sees without the page: the verdict, the scores and the
        // questions, before the prose (whose headings' `#` links lead nowhere in a reader).
        let content = format!(
            "{notice}{}{}",
            self.essentials(review, &verdict),
            self.absolute(&crate::markdown::without_anchors(body), &page)
        );
        FeedEntry {
            title: xml_safe(&match retraction {
                Some(_) => self.strings().fill("retracted_title", &[("title", &review.title)]),
                None => review.title.clone(),
            }),
            url: page,
            published: timestamp(review.date),
            updated: timestamp(activity(review)),
            author: xml_safe(&review.byline()),
            authors: review.authors.iter().map(|a| xml_safe(a)).collect(),
            summary: xml_safe(&match retraction {
                Some((date, _)) => self.strings().fill(
                    "retracted_summary",
                    &[("date", &self.strings().date(date)), ("summary", &review.description)],
                ),
                None => review.description.clone(),
            }),
            content: xml_safe(&content),
            project: xml_safe(&project.name),
            verdict,
        }
    }

    /// The feed of the newest reviews of the site (full texts), or of one project (summaries).
    pub fn feed(&self, project: Option<&Project>) -> FeedView {
        let (all, title, home): (Vec<&Review>, String, String) = match project {
            Some(p) => (
                p.reviews.iter().map(|&r| &*self.site.reviews[r]).collect(),
                self.strings().fill("feed_project_title", &[("project", &p.name), ("site", &self.site.config.title)]),
                self.urls.project(&p.slug),
            ),
            None => {
                (self.site.reviews.iter().map(|r| &**r).collect(), self.site.config.title.clone(), self.urls.home())
            }
        };
        // Per-project feeds carry summaries: two hundred of them with full texts would weigh
        // more than the site itself.
        self.feed_of(all, title, home, project.is_none())
    }

    /// The feed of one tag's or author's newest reviews (summaries).
    pub fn term_feed(&self, kind: TaxonomyKind, term: &Term) -> FeedView {
        let all = term.reviews.iter().map(|&r| &*self.site.reviews[r]).collect();
        let what = match kind {
            TaxonomyKind::Authors => self.strings().fill("feed_author", &[("name", &term.name)]),
            TaxonomyKind::Tags | TaxonomyKind::Verdicts => self.strings().fill("feed_term", &[("name", &term.name)]),
        };
        let title = format!("{what} — {}", self.site.config.title);
        self.feed_of(all, title, self.urls.at(&self.term_path(kind, term)), false)
    }

    /// The feed of the newest of `all` (newest first), at `home`'s `feed.xml`.
    fn feed_of(&self, all: Vec<&Review>, title: String, home: String, full: bool) -> FeedView {
        let limit = self.site.config.feed_limit;
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
        FeedView {
            title: xml_safe(&title),
            url: format!("{}{}feed.xml", self.origin(), home),
            home: format!("{}{home}", self.origin()),
            updated: updated.map(timestamp).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
            entries: reviews.into_iter().map(|r| self.entry(r, full)).collect(),
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
