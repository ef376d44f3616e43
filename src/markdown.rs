//! Markdown: pure conversion of a Markdown body to HTML, returning the headings (with unique
//! slugged ids and self-links), a summary for listings, and word count and reading time as data.

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::highlight;

mod raw_html;
mod safety;

pub use raw_html::RawHazard;
pub use safety::{Hazard, HazardKind};

/// Words read per minute, for the reading time.
const WORDS_PER_MINUTE: usize = 220;

/// Ids the theme's pages use around a rendered body; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "project-scores",
    "project-claims",
    "project-cards",
    "project-about",
    "project-reviews",
    "review-scores",
    "review-questions",
    "review-changes",
    "review-others",
    "claim-none",
    "strips-title",
    "strips-desc",
    "history-title",
    "history-desc",
];

/// Id prefixes the theme uses for claims and questions (`claim-fast`, `q-2`); a heading
/// whose slug starts with one is given a `section-` prefix.
const RESERVED_PREFIXES: &[&str] = &["claim-", "q-"];

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
    /// Every link and image target, as written, with its line.
    pub links: Vec<Link>,
    /// What could run script: unsafe links and images (rendered as their text), heading
    /// attributes (left out), and what raw HTML holds (passed through).
    pub hazards: Vec<Hazard>,
}

/// A link or image target in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The target as written (`/reviews/x/#scores`, `../y/`, `https://…`).
    pub url: String,
    /// 1-based line in the body.
    pub line: usize,
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
    let mut guard = safety::Guard::new(source);
    let mut links = Vec::new();
    let events: Vec<Event<'_>> = Parser::new_ext(source, parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
                links.push(Link { url: dest_url.to_string(), line: guard.line(range.start) });
            }
            guard.pass(event, range.start).map(|event| rebase_link(event, options.base_path))
        })
        .collect();
    let mut events = highlight_code(events);
    let headings = label_headings(&mut events);
    let word_count = count_words(&events);
    let more = events.iter().position(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => h.trim() == MORE_MARKER,
        _ => false,
    });
    let summary = match more {
        Some(end) => summary_html(&events[..end]),
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
        links,
        hazards: guard.hazards,
    }
}

/// Replaces fenced code blocks in a language the highlighter knows with highlighted HTML;
/// other blocks stay as they are (plain `<pre><code class="language-…">`).
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event else {
            out.push(event);
            continue;
        };
        let language = info.split([' ', ',', '{']).next().unwrap_or_default().to_string();
        let mut block = vec![event];
        let mut code = String::new();
        for inner in iter.by_ref() {
            if let Event::Text(t) = &inner {
                code.push_str(t);
            }
            let end = matches!(inner, Event::End(TagEnd::CodeBlock));
            block.push(inner);
            if end {
                break;
            }
        }
        match (!language.is_empty()).then(|| highlight::highlight(&code, &language)).flatten() {
            Some(html) => out.push(Event::Html(CowStr::from(html))),
            None => out.extend(block),
        }
    }
    out
}

/// Words of prose: text outside code blocks, joined across the inline events that smart
/// punctuation and emphasis split words into.
fn count_words(events: &[Event<'_>]) -> usize {
    let mut text = String::new();
    let mut in_code = false;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => text.push_str(t),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().count()
}

/// Summary HTML from a run of events, without footnote references (their definitions are
/// not part of a summary).
fn summary_html(events: &[Event<'_>]) -> String {
    inline_html(events.iter().filter(|e| !matches!(e, Event::FootnoteReference(_))).cloned())
}

/// The link and image targets of a piece of Markdown, as written.
pub fn link_targets(source: &str) -> Vec<String> {
    Parser::new_ext(source, parser_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Short Markdown (an answer) rendered as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    /// The HTML.
    pub html: String,
    /// What could run script, as [`Rendered::hazards`].
    pub hazards: Vec<Hazard>,
}

/// Renders short inline Markdown (an answer) as HTML.
pub fn render_inline(source: &str, options: MarkdownOptions<'_>) -> Inline {
    let mut guard = safety::Guard::new(source);
    let events = Parser::new_ext(source, parser_options()).into_offset_iter();
    let html = inline_html(
        events.filter_map(|(e, range)| guard.pass(e, range.start)).map(|e| rebase_link(e, options.base_path)),
    );
    Inline { html, hazards: guard.hazards }
}

fn inline_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// A root-relative URL (`/static/x.pdf`) under the site's base path (`/sub/static/x.pdf`);
/// `None` when it stays as it is (another site's, a relative one, or a base path of `/`).
pub fn rebase_url(url: &str, base_path: &str) -> Option<String> {
    (base_path != "/" && url.starts_with('/') && !url.starts_with("//"))
        .then(|| format!("{}{}", base_path.trim_end_matches('/'), url))
}

/// Prefixes root-relative link and image targets with the site's base path.
fn rebase_link<'a>(event: Event<'a>, base_path: &str) -> Event<'a> {
    let rebase = |url: CowStr<'a>| -> CowStr<'a> { rebase_url(&url, base_path).map_or(url, CowStr::from) };
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
    // Ids already taken: the theme's own, footnotes', and every explicit `{#id}`, which
    // keeps its id even when an earlier heading's text slugs to the same.
    let mut used: BTreeSet<String> = RESERVED_IDS.iter().map(|s| (*s).to_string()).collect();
    for event in events.iter() {
        match event {
            Event::FootnoteReference(name) | Event::Start(Tag::FootnoteDefinition(name)) => {
                used.insert(name.to_string());
            }
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                used.insert(id.to_string());
            }
            _ => {}
        }
    }
    let mut explicit_taken = BTreeSet::new();
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
        let unique = match explicit {
            Some(id) if explicit_taken.insert(id.to_string()) => id.to_string(),
            Some(id) => unique_id(&id, &mut used),
            None => {
                let s = slug::slugify(&text);
                let base = if s.is_empty() {
                    "section".to_string()
                } else if RESERVED_PREFIXES.iter().any(|p| s.starts_with(p)) {
                    format!("section-{s}")
                } else {
                    s
                };
                unique_id(&base, &mut used)
            }
        };
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
                return summary_html(&events[start.unwrap_or(i)..=i]);
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
    fn headings_avoid_the_ids_of_the_page_and_footnotes() {
        let r = render(
            "# Main\n\n## Q 1\n\n## Claim fast\n\n## 1\n\n## Later {#method}\n\n## Method\n\nA[^1].\n\n[^1]: n\n",
            ROOT,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "section-q-1", "section-claim-fast", "1-1", "method", "method-1"]);
    }

    #[test]
    fn more_marker_in_code_is_text_not_a_marker() {
        let r = render("Put `<!-- more -->` on its own line.\n\nSecond.\n", ROOT);
        assert_eq!(r.summary, "<p>Put <code>&lt;!-- more --&gt;</code> on its own line.</p>");
        let r = render("One[^a].\n\n<!-- more -->\n\nTwo.\n\n[^a]: note\n", ROOT);
        assert_eq!(r.summary, "<p>One.</p>");
    }

    #[test]
    fn words_are_counted_in_prose_only() {
        let r = render(&format!("{}\n\n```\nlet code = 1;\n```\n", "don't a*b*c ".repeat(10)), ROOT);
        assert_eq!(r.word_count, 20);
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
    fn fenced_code_in_a_known_language_is_highlighted() {
        let r = render("```rust\nfn main() {}\n```\n\n```nope\nx < y\n```\n\n```\nplain\n```\n", ROOT);
        assert!(r.html.contains("hl-l-"), "{}", r.html);
        assert!(r.html.contains("<pre><code class=\"language-nope\">x &lt; y\n</code></pre>"), "{}", r.html);
        assert!(r.html.contains("<pre><code>plain\n</code></pre>"), "{}", r.html);
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let r = render("[p](/projects/x/) [e](https://e.org/) [r](#a)", MarkdownOptions { base_path: "/sub/" });
        assert!(r.html.contains("href=\"/sub/projects/x/\""));
        assert!(r.html.contains("href=\"https://e.org/\""));
        assert!(r.html.contains("href=\"#a\""));
    }

    #[test]
    fn links_are_data_with_their_lines() {
        let r = render(
            "Intro [a](/reviews/x/#top).\n\nMore\n![img](pic.png) and [b](https://e.org/)\n",
            MarkdownOptions { base_path: "/sub/" },
        );
        let links: Vec<(&str, usize)> = r.links.iter().map(|l| (l.url.as_str(), l.line)).collect();
        assert_eq!(links, [("/reviews/x/#top", 1), ("pic.png", 4), ("https://e.org/", 4)]);
    }

    #[test]
    fn counts_words_and_minutes() {
        let r = render(&"word ".repeat(500), ROOT);
        assert_eq!((r.word_count, r.reading_minutes), (500, 3));
        assert_eq!(render("", ROOT).reading_minutes, 1);
    }
}
