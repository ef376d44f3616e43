//! Markdown: pure conversion of a Markdown body to HTML, returning the headings (with unique
//! slugged ids and self-links), a summary for listings, and word count and reading time as data.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// Words read per minute, for the reading time.
const WORDS_PER_MINUTE: usize = 220;

/// The marker that ends a summary when a writer wants more than the first paragraph.
pub const MORE_MARKER: &str = "<!-- more -->";

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique id it carries in the HTML.
    pub id: String,
    /// Its text, without markup.
    pub text: String,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// HTML for listings: the part before `<!-- more -->`, or else the first paragraph.
    pub summary: String,
    /// The headings in document order.
    pub headings: Vec<Heading>,
    /// Words in the text (code and markup excluded).
    pub word_count: usize,
    /// Minutes to read, at least 1.
    pub reading_minutes: usize,
}

/// What rendering needs to know about the site.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Prefix for root-relative links (`/reviews/x/` becomes `/sub/reviews/x/`), from the
    /// site's base path; `/` leaves them as they are.
    pub base_path: &'a str,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders a Markdown body.
pub fn render(source: &str, options: MarkdownOptions<'_>) -> Rendered {
    let mut events: Vec<Event<'_>> =
        Parser::new_ext(source, parser_options()).map(|e| rebase_link(e, options.base_path)).collect();
    let headings = label_headings(&mut events);
    let word_count = events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.split_whitespace().count()),
            _ => None,
        })
        .sum();
    let summary = match source.find(MORE_MARKER) {
        Some(end) => {
            inline_html(Parser::new_ext(&source[..end], parser_options()).map(|e| rebase_link(e, options.base_path)))
        }
        None => first_paragraph(&events),
    };
    let mut html_out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    Rendered {
        html: html_out,
        summary,
        headings,
        word_count,
        reading_minutes: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
    }
}

/// Renders short inline Markdown (an answer, a claim) as HTML.
pub fn render_inline(source: &str, options: MarkdownOptions<'_>) -> String {
    inline_html(Parser::new_ext(source, parser_options()).map(|e| rebase_link(e, options.base_path)))
}

fn inline_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// Prefixes root-relative link and image targets with the site's base path.
fn rebase_link<'a>(event: Event<'a>, base_path: &str) -> Event<'a> {
    let rebase = |url: CowStr<'a>| -> CowStr<'a> {
        if base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
            CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), url))
        } else {
            url
        }
    };
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: rebase(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: rebase(dest_url), title, id })
        }
        other => other,
    }
}

/// Gives every heading a unique id (its own `{#id}`, or its slugged text) and a self-link.
fn label_headings(events: &mut Vec<Event<'_>>) -> Vec<Heading> {
    let mut used = BTreeSet::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let (level, explicit) = (*level, id.clone());
        let end = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let text: String = events[i + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = explicit.map(|c| c.to_string()).unwrap_or_else(|| {
            let s = slug::slugify(&text);
            if s.is_empty() { "section".to_string() } else { s }
        });
        let unique = unique_id(&base, &mut used);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        let anchor =
            format!("<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>", html_escape(&unique));
        events.insert(end, Event::InlineHtml(CowStr::from(anchor)));
        headings.push(Heading { level: heading_level(level), id: unique, text });
        i = end + 2;
    }
    headings
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The first top-level paragraph as HTML, or nothing.
fn first_paragraph(events: &[Event<'_>]) -> String {
    let mut depth = 0usize;
    let mut start = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 => start = Some(i),
            Event::End(TagEnd::Paragraph) if depth == 1 && start.is_some() => {
                let from = start.unwrap_or(i);
                // A footnote's definition is not in the summary: drop its dangling reference.
                let events = events[from..=i].iter().filter(|e| !matches!(e, Event::FootnoteReference(_)));
                return inline_html(events.cloned());
            }
            _ => {}
        }
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    String::new()
}

/// Escapes text for an HTML attribute or element.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).unwrap_or_default();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: MarkdownOptions<'static> = MarkdownOptions { base_path: "/" };

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let r = render("# Cost\n\n## Cost\n\n## Ünïcode & `code`\n\n### Custom {#mine}\n", ROOT);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["cost", "cost-1", "unicode-code", "mine"]);
        assert!(r.html.contains("<h2 id=\"cost-1\">Cost<a class=\"anchor\" href=\"#cost-1\""), "{}", r.html);
    }

    #[test]
    fn summary_is_first_paragraph_or_up_to_more() {
        let r = render("# T\n\nFirst *para*.\n\nSecond.\n", ROOT);
        assert_eq!(r.summary, "<p>First <em>para</em>.</p>");
        let r = render("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n", ROOT);
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>");
    }

    #[test]
    fn gfm_features_render() {
        let r = render("| a |\n|---|\n| b |\n\n~~x~~\n\n- [ ] todo\n\n> [!NOTE]\n> hi\n\nA[^1].\n\n[^1]: f\n", ROOT);
        for needle in ["<table>", "<del>x</del>", "type=\"checkbox\"", "markdown-alert-note", "footnote-definition"] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let r = render("[p](/projects/x/) [e](https://e.org/) [r](#a)", MarkdownOptions { base_path: "/sub/" });
        assert!(r.html.contains("href=\"/sub/projects/x/\""));
        assert!(r.html.contains("href=\"https://e.org/\""));
        assert!(r.html.contains("href=\"#a\""));
    }

    #[test]
    fn counts_words_and_minutes() {
        let r = render(&"word ".repeat(500), ROOT);
        assert_eq!((r.word_count, r.reading_minutes), (500, 3));
        assert_eq!(render("", ROOT).reading_minutes, 1);
    }
}
