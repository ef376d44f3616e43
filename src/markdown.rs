//! Markdown: pure conversion of a Markdown body to HTML, returning the headings (with unique
//! slugged ids and self-links), a summary for listings, and word count and reading time as data.

mod body;
mod fences;
mod html_links;
mod ids;
mod images;
mod limits;
mod summary;

use std::cell::Cell;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, html};
use serde::Serialize;

use crate::urls::rebase_url;

pub use limits::{MAX_DEPTH, MAX_MARKS, StructureError, check as check_structure};
pub use summary::{SUMMARY_MAX, SUMMARY_TEXT_CHARS};

mod browser;
mod placing;
mod raw_html;
mod references;
mod safety;

pub use images::{ImageError, PageImages, not_beside, unreadable};
pub use raw_html::RawHazard;
pub use safety::{Hazard, HazardKind};

/// Words read per minute, for the reading time.
const WORDS_PER_MINUTE: usize = 220;

/// Ids the theme's pages use around a rendered body; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "site-search-q",
    "project-scores",
    "project-claims",
    "project-cards",
    "project-about",
    "project-reviews",
    "review-scores",
    "review-questions",
    "review-changes",
    "review-others",
    "review-responses",
    "project-responses",
    "project-timeline",
    "claim-none",
    "strips-title",
    "strips-desc",
    "history-title",
    "history-desc",
];

/// Id prefixes the theme uses for claims, questions and replies (`claim-fast`, `q-2`,
/// `response-x`); a heading whose slug starts with one is given a `section-` prefix.
const RESERVED_PREFIXES: &[&str] = &["claim-", "q-", "response-"];

/// The most headings a body lists for its table of contents.
pub const MAX_LISTED_HEADINGS: usize = 200;

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
    /// The headings in document order, the first [`MAX_LISTED_HEADINGS`] of them: what a
    /// table of contents can show (every review page pastes it).
    pub headings: Vec<Heading>,
    /// Words in the text (code and markup excluded).
    pub word_count: usize,
    /// Minutes to read, at least 1.
    pub reading_minutes: usize,
    /// Every link and image target, with its position: Markdown's and raw HTML's `href` and
    /// `src`.
    pub links: Vec<Link>,
    /// What could run script: unsafe links and images (rendered as their text), heading
    /// attributes (left out), and what raw HTML holds (passed through).
    pub hazards: Vec<Hazard>,
    /// Images the page cannot show: missing beside it, or unreadable.
    pub image_errors: Vec<ImageError>,
    /// Where images without a text alternative (`![](x.png)`) start: line and column.
    pub images_without_alt: Vec<(usize, usize)>,
    /// The output paths (by the pages' file names: `reviews/x/chart.png`) of the images it
    /// shows with narrower copies, which the build makes.
    pub images_with_copies: Vec<String>,
}

/// A link or image target in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The target (`/reviews/x/#scores`, `../y/`, `https://…`), a link to a content file
    /// (`../x.md`) as the page it names, without the base path.
    pub url: String,
    /// 1-based line in the body (in the file, once [`check`](crate::check) places it).
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub col: usize,
    /// The target as written, when the link named a content file.
    pub written: Option<String>,
}

impl Link {
    /// A link to `written`, as it leads from a file in the content folder `source_dir`.
    pub fn new(written: &str, source_dir: &str, line: usize, col: usize) -> Self {
        match crate::urls::source_file_link(written, source_dir) {
            Some(url) => Link { url, line, col, written: Some(written.to_string()) },
            None => Link { url: written.to_string(), line, col, written: None },
        }
    }
}

/// What rendering needs to know about the site.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Prefix for root-relative links (`/reviews/x/` becomes `/sub/reviews/x/`), from the
    /// site's base path; `/` leaves them as they are.
    pub base_path: &'a str,
    /// The content folder of the file rendered (`reviews`), which its links to other content
    /// files (`../x.md`) start from; empty when unknown.
    pub source_dir: &'a str,
    /// Put before every element id the body makes (headings, footnotes) and every link to
    /// one of them (`#part`): a body shown on pages with other bodies (a project's reply)
    /// must not take their ids. Empty for a body that has its page to itself.
    pub id_prefix: &'a str,
    /// The site's images, for a body whose images are to be sized and checked; `None` leaves
    /// images as Markdown writes them.
    pub images: Option<PageImages<'a>>,
}

impl MarkdownOptions<'static> {
    /// Links under the root, no content folder, no id prefix, images left as they are.
    pub const ROOT: MarkdownOptions<'static> =
        MarkdownOptions { base_path: "/", source_dir: "", id_prefix: "", images: None };
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

/// Renders a Markdown body, in one pass over the parser's events (none is kept but those of
/// the summary, a heading's text, and a code block being highlighted), so that memory beyond
/// the parser's own stays in proportion to the HTML made. An error, before any parsing, when
/// the body holds more structure than [`check_structure`] allows.
pub fn render(source: &str, options: MarkdownOptions<'_>) -> Result<Rendered, StructureError> {
    limits::check(source)?;
    let written = Cell::new(0);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    let mut body = body::Body::new(source, options, &written);
    // Writing into a `String` cannot fail.
    let _ = html::write_html_fmt(body::Counted { out: &mut html, written: &written }, &mut body);
    Ok(body.finish(html))
}

/// The link and image targets of a piece of Markdown (an answer), links to content files as
/// their pages, with no position.
pub fn link_targets(source: &str, options: MarkdownOptions<'_>) -> Vec<Link> {
    Parser::new_ext(source, parser_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(Link::new(&dest_url, options.source_dir, 0, 0))
            }
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
    let mut guard = safety::Guard::default();
    let events = Parser::new_ext(source, parser_options()).into_offset_iter();
    // Shown on pages with other bodies and fields: a heading here takes no id (`{#claim-x}`
    // would take a claim's anchor), and its footnotes' ids are its own.
    let own = format!("fn-{:016x}-", crate::hash::hash_str(source));
    let passed = events.filter_map(|(e, range)| guard.pass(e, range.start));
    let html = inline_html(passed.map(|e| inline_ids(e, &own)).map(|e| rebase_link(e, options)));
    let hazards = guard.finish(source, &[&html]);
    Inline { html, hazards }
}

/// `event` of an inline field with ids of its own: a heading's taken away, a footnote's
/// prefixed with `own`.
fn inline_ids<'a>(event: Event<'a>, own: &str) -> Event<'a> {
    match event {
        Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
            Event::Start(Tag::Heading { level, id: None, classes, attrs })
        }
        Event::FootnoteReference(name) => Event::FootnoteReference(format!("{own}{name}").into()),
        Event::Start(Tag::FootnoteDefinition(name)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{own}{name}").into()))
        }
        other => other,
    }
}

fn inline_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// A link's or image's target as the page holds it: a content file's page for a link to the
/// file (`../x.md`), under the base path when it is root-relative.
fn site_url(url: &str, options: MarkdownOptions<'_>) -> Option<String> {
    match crate::urls::source_file_link(url, options.source_dir) {
        Some(page) => Some(rebase_url(&page, options.base_path).unwrap_or(page)),
        None => rebase_url(url, options.base_path),
    }
}

/// Link and image targets as the page holds them (see [`site_url`]).
fn rebase_link<'a>(event: Event<'a>, options: MarkdownOptions<'_>) -> Event<'a> {
    let rebase = |url: CowStr<'a>| -> CowStr<'a> { site_url(&url, options).map_or(url, CowStr::from) };
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

/// Escapes text for an HTML attribute or element.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).unwrap_or_default();
    out
}

/// Rendered HTML without the headings' self-links (`#`), for where they lead nowhere or
/// read as noise: a feed reader's view, a description made from a summary.
pub fn without_anchors(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(body::ANCHOR_START) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(body::ANCHOR_START) {
        out.push_str(&rest[..start]);
        // The self-link's id is escaped: its end is the first `</a>` after it.
        let after = &rest[start..];
        rest = after.find("</a>").map_or("", |end| &after[end + "</a>".len()..]);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: MarkdownOptions<'static> = MarkdownOptions::ROOT;

    /// `source` rendered under the root, within the bounds.
    fn md(source: &str) -> Rendered {
        md_at(source, ROOT)
    }

    fn md_at(source: &str, options: MarkdownOptions<'_>) -> Rendered {
        render(source, options).expect("within the bounds")
    }

    #[test]
    fn self_links_can_be_left_out() {
        let r = md("## Costs *now*\n\nText with [a link](/x/).\n\n## Costs *now*\n");
        let html = without_anchors(&r.html);
        assert_eq!(
            html,
            "<h2 id=\"costs-now\">Costs <em>now</em></h2>\n<p>Text with <a href=\"/x/\">a link</a>.</p>\n<h2 id=\"costs-now-1\">Costs <em>now</em></h2>\n"
        );
        assert!(matches!(without_anchors("<p>plain</p>"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let r = md("# Cost\n\n## Cost\n\n## Ünïcode & `code`\n\n### Custom {#mine}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["cost", "cost-1", "unicode-code", "mine"]);
        assert!(r.html.contains("<h2 id=\"cost-1\">Cost<a class=\"anchor\" href=\"#cost-1\""), "{}", r.html);
    }

    #[test]
    fn headings_avoid_the_ids_of_the_page_and_footnotes() {
        let r = md_at(
            "# Main\n\n## Q 1\n\n## Claim fast\n\n## 1\n\n## Later {#method}\n\n## Method\n\nA[^1].\n\n[^1]: n\n",
            ROOT,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "section-q-1", "section-claim-fast", "1-1", "method", "method-1"]);
    }

    #[test]
    fn more_marker_in_code_is_text_not_a_marker() {
        let r = md("Put `<!-- more -->` on its own line.\n\nSecond.\n");
        assert_eq!(r.summary, "<p>Put <code>&lt;!-- more --&gt;</code> on its own line.</p>");
        let r = md("One[^a].\n\n<!-- more -->\n\nTwo.\n\n[^a]: note\n");
        assert_eq!(r.summary, "<p>One.</p>");
    }

    #[test]
    fn words_are_counted_in_prose_only() {
        let r = md(&format!("{}\n\n```\nlet code = 1;\n```\n", "don't a*b*c ".repeat(10)));
        assert_eq!(r.word_count, 20);
    }

    #[test]
    fn summary_is_first_paragraph_or_up_to_more() {
        let r = md("# T\n\nFirst *para*.\n\nSecond.\n");
        assert_eq!(r.summary, "<p>First <em>para</em>.</p>");
        let r = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>");
        // Inside a table or a list the marker is not one: the summary would leave them open.
        for nested in [
            "| a |\n|---|\n| x <!-- more --> |\n\nAfter.\n",
            "- x\n\n  <!-- more -->\n\nAfter.\n",
            "# T <!-- more -->\n\nAfter.\n",
        ] {
            let r = md(nested);
            assert!(!["<table", "<li", "<h1"].iter().any(|t| r.summary.contains(t)), "{nested}: {}", r.summary);
        }
    }

    /// An inline field (an answer, a finding's summary) is shown beside other bodies: its
    /// headings take no id (not a claim's anchor), its footnotes ids of their own.
    #[test]
    fn inline_fields_take_no_ids_from_the_page() {
        let one = render_inline("# Intro {#claim-cheap}\n\nText[^1].\n\n[^1]: A note.", ROOT).html;
        assert!(!one.contains("id=\"claim-cheap\""), "{one}");
        assert!(!one.contains("id=\"1\""), "{one}");
        let two = render_inline("Other[^1].\n\n[^1]: Another.", ROOT).html;
        let ids = |html: &str| {
            html.split("id=\"").skip(1).filter_map(|r| r.split('"').next()).map(str::to_string).collect::<Vec<_>>()
        };
        assert!(ids(&one).iter().all(|id| !ids(&two).contains(id)), "{one}\n{two}");
    }

    #[test]
    fn gfm_features_render() {
        let r = md("| a |\n|---|\n| b |\n\n~~x~~\n\n- [ ] todo\n\n> [!NOTE]\n> hi\n\nA[^1].\n\n[^1]: f\n");
        for needle in [
            "<table>",
            "<del>x</del>",
            "type=\"checkbox\" disabled aria-label=\"Done\"",
            "markdown-alert-note",
            "footnote-definition",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn fenced_code_in_a_known_language_is_highlighted() {
        let r = md("```rust\nfn main() {}\n```\n\n```nope\nx < y\n```\n\n```\nplain\n```\n");
        assert!(r.html.contains("hl-l-"), "{}", r.html);
        assert!(r.html.contains("<pre><code class=\"language-nope\">x &lt; y\n</code></pre>"), "{}", r.html);
        assert!(r.html.contains("<pre><code>plain\n</code></pre>"), "{}", r.html);
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let r = md_at(
            "[p](/projects/x/) [e](https://e.org/) [r](#a)",
            MarkdownOptions { base_path: "/sub/", ..MarkdownOptions::ROOT },
        );
        assert!(r.html.contains("href=\"/sub/projects/x/\""));
        assert!(r.html.contains("href=\"https://e.org/\""));
        assert!(r.html.contains("href=\"#a\""));
    }

    #[test]
    fn links_are_data_with_their_lines() {
        let r = md_at(
            "Intro [a](/reviews/x/#top).\n\nMore\n![img](pic.png) and [b](https://e.org/)\n",
            MarkdownOptions { base_path: "/sub/", ..MarkdownOptions::ROOT },
        );
        let links: Vec<(&str, usize)> = r.links.iter().map(|l| (l.url.as_str(), l.line)).collect();
        assert_eq!(links, [("/reviews/x/#top", 1), ("pic.png", 4), ("https://e.org/", 4)]);
    }

    #[test]
    fn counts_words_and_minutes() {
        let r = md(&"word ".repeat(500));
        assert_eq!((r.word_count, r.reading_minutes), (500, 3));
        assert_eq!(md("").reading_minutes, 1);
    }
}
