//! Markdown: pure conversion of a Markdown body to HTML, returning the headings (with unique
//! slugged ids and self-links), a summary for listings, and word count and reading time as data.

mod ids;
mod limits;
mod summary;

use std::cell::Cell;
use std::collections::VecDeque;
use std::ops::Range;
use std::time::{Duration, Instant};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostic::LineIndex;
use crate::highlight;
use ids::HeadingIds;
pub use limits::{MAX_DEPTH, MAX_MARKS, StructureError, check as check_structure};
use summary::{Capture, Slot};
pub use summary::{SUMMARY_MAX, SUMMARY_TEXT_CHARS};

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
    /// Every link and image target, as written, with its line.
    pub links: Vec<Link>,
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

/// Renders a Markdown body, in one pass over the parser's events (none is kept but those of
/// the summary, a heading's text, and a code block being highlighted), so that memory beyond
/// the parser's own stays in proportion to the HTML made. An error, before any parsing, when
/// the body holds more structure than [`check_structure`] allows.
pub fn render(source: &str, options: MarkdownOptions<'_>) -> Result<Rendered, StructureError> {
    limits::check(source)?;
    let written = Cell::new(0);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    let mut body = Body::new(source, options, &written);
    // Writing into a `String` cannot fail.
    let _ = html::write_html_fmt(Counted { out: &mut html, written: &written }, &mut body);
    Ok(body.finish(html))
}

/// A `fmt::Write` into a `String` that shares how much it has written, so that the events'
/// source can tell where the HTML of each event it handed out begins and ends.
struct Counted<'s> {
    out: &'s mut String,
    written: &'s Cell<usize>,
}

impl std::fmt::Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        self.written.set(self.out.len());
        Ok(())
    }
}

/// The self-link a heading ends with.
fn anchor_html(id: &str) -> String {
    format!("{ANCHOR_START}{}{ANCHOR_END}", html_escape(id))
}

const ANCHOR_START: &str = "<a class=\"anchor\" href=\"#";
const ANCHOR_END: &str = "\" aria-label=\"Link to this section\">#</a>";
/// The self-link before its id is known: the id goes after [`ANCHOR_START`].
const ANCHOR_EMPTY: &str = "<a class=\"anchor\" href=\"#\" aria-label=\"Link to this section\">#</a>";

/// A heading as read: its level, its own `{#id}`, its text.
struct HeadingRead<'a> {
    level: HeadingLevel,
    explicit: Option<CowStr<'a>>,
    text: String,
}

/// The body's events, changed on their way to the HTML writer: links recorded and rebased,
/// fenced code highlighted, headings given a place for their id and a self-link, words
/// counted, the summary kept.
struct Body<'a, 'w> {
    source: &'a str,
    options: MarkdownOptions<'a>,
    events: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// Events made ahead of their turn, with the heading each stands for.
    queue: VecDeque<(Event<'a>, Option<Slot>)>,
    /// How much HTML the writer has made.
    written: &'w Cell<usize>,
    /// The heading event handed out last and where its HTML began.
    open_slot: Option<(Slot, usize)>,
    /// Each heading event's HTML, as a range of the output.
    slots: Vec<(Slot, Range<usize>)>,
    lines: Option<LineIndex>,
    links: Vec<Link>,
    highlight_left: u64,
    /// What is left of [`highlight::BODY_TIME_LIMIT`].
    highlight_time_left: Duration,
    headings: Vec<HeadingRead<'a>>,
    /// Whether the events are inside a heading (whose text is being read).
    in_heading: bool,
    /// Footnote names and explicit heading ids: no heading takes them.
    taken: Vec<CowStr<'a>>,
    words: Words,
    /// The events before `<!-- more -->`, while there may be one and it has not been met.
    before_more: Option<Capture<'a>>,
    more_found: bool,
    first_paragraph: Capture<'a>,
    /// 0 before the first top-level paragraph, 1 inside it, 2 after.
    paragraph_state: u8,
    depth: usize,
}

impl<'a, 'w> Body<'a, 'w> {
    fn new(source: &'a str, options: MarkdownOptions<'a>, written: &'w Cell<usize>) -> Self {
        // The marker is an HTML event, whose text is the source's: no marker in the source,
        // no marker in the events.
        let may_have_more = memchr::memmem::find(source.as_bytes(), MORE_MARKER.as_bytes()).is_some();
        Self {
            source,
            options,
            events: Parser::new_ext(source, parser_options()).into_offset_iter(),
            queue: VecDeque::new(),
            written,
            open_slot: None,
            slots: Vec::new(),
            lines: None,
            links: Vec::new(),
            highlight_left: highlight::PAGE_BUDGET,
            highlight_time_left: highlight::BODY_TIME_LIMIT,
            headings: Vec::new(),
            in_heading: false,
            taken: Vec::new(),
            words: Words::default(),
            before_more: may_have_more.then(Capture::default),
            more_found: false,
            first_paragraph: Capture::default(),
            paragraph_state: 0,
            depth: 0,
        }
    }

    /// The next event for the writer, from the queue or the parser.
    fn pull(&mut self) -> Option<(Event<'a>, Option<Slot>)> {
        if let Some(queued) = self.queue.pop_front() {
            return Some(queued);
        }
        let (event, range) = self.events.next()?;
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
            let line = self.lines.get_or_insert_with(|| LineIndex::new(self.source)).line(range.start);
            self.links.push(Link { url: dest_url.to_string(), line });
        }
        let event = rebase_link(event, self.options.base_path);
        if self.in_heading
            && let Event::Text(t) | Event::Code(t) = &event
            && let Some(heading) = self.headings.last_mut()
        {
            heading.text.push_str(t);
        }
        Some(match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => (self.code_block(info, range), None),
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                if let Some(id) = &id {
                    self.taken.push(id.clone());
                }
                self.headings.push(HeadingRead { level, explicit: id, text: String::new() });
                self.in_heading = true;
                let slot = Slot::Start(self.headings.len() - 1);
                (Event::Start(Tag::Heading { level, id: Some(CowStr::Borrowed("")), classes, attrs }), Some(slot))
            }
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = false;
                self.queue.push_back((Event::End(TagEnd::Heading(level)), None));
                let slot = Slot::Anchor(self.headings.len().saturating_sub(1));
                (Event::InlineHtml(CowStr::Borrowed(ANCHOR_EMPTY)), Some(slot))
            }
            Event::FootnoteReference(name) => {
                self.taken.push(name.clone());
                (Event::FootnoteReference(name), None)
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.taken.push(name.clone());
                (Event::Start(Tag::FootnoteDefinition(name)), None)
            }
            other => (other, None),
        })
    }

    /// A fenced block in a language the highlighter knows, while the page's budget lasts, as
    /// one HTML event; otherwise its start, the rest following as the parser gives it.
    fn code_block(&mut self, info: CowStr<'a>, range: Range<usize>) -> Event<'a> {
        let language = info.split([' ', ',', '{']).next().unwrap_or_default();
        let cost = (!language.is_empty() && highlight::knows(language))
            .then(|| self.source.get(range).and_then(highlight::cost))
            .flatten()
            .filter(|&cost| cost <= self.highlight_left);
        let Some(cost) = cost else {
            return Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)));
        };
        let mut code = String::new();
        for (inner, _) in self.events.by_ref() {
            match inner {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        self.highlight_left -= cost;
        let started = Instant::now();
        let html = highlight::highlight_within(&code, language, self.highlight_time_left);
        self.highlight_time_left = self.highlight_time_left.saturating_sub(started.elapsed());
        match html {
            Some(html) => Event::Html(CowStr::from(html)),
            None => {
                self.queue.push_back((Event::Text(CowStr::from(code)), None));
                self.queue.push_back((Event::End(TagEnd::CodeBlock), None));
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            }
        }
    }

    /// Counts the words of an event on its way out and keeps it for the summary.
    fn observe(&mut self, event: &Event<'a>, slot: Option<Slot>) {
        self.words.push(event);
        if let Some(capture) = &mut self.before_more {
            let marker = matches!(event, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER);
            if marker && slot.is_none() {
                self.more_found = true;
                self.first_paragraph = Capture::default();
                self.paragraph_state = 2;
            } else if !self.more_found {
                capture.push(event, slot);
            }
        }
        if self.paragraph_state == 0 && self.depth == 0 && matches!(event, Event::Start(Tag::Paragraph)) {
            self.paragraph_state = 1;
        }
        if self.paragraph_state == 1 {
            self.first_paragraph.push(event, slot);
            if self.depth == 1 && matches!(event, Event::End(TagEnd::Paragraph)) {
                self.paragraph_state = 2;
            }
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    /// The rendered body, from the HTML the writer made of the events: each heading's id put
    /// in its place, now that every taken id is known.
    fn finish(mut self, html: String) -> Rendered {
        self.close_slot();
        let mut ids = HeadingIds::new(self.taken.iter().map(|t| t.as_ref()));
        let given: Vec<String> = self.headings.iter().map(|h| ids.next(h.explicit.as_deref(), &h.text)).collect();
        let mut out = String::with_capacity(html.len() + given.iter().map(|id| 2 * id.len()).sum::<usize>());
        let mut copied = 0;
        for (slot, range) in &self.slots {
            let (at, n) = match *slot {
                Slot::Start(n) => (html[range.clone()].find(" id=\"").map(|i| range.start + i + 5), n),
                Slot::Anchor(n) => (Some(range.start + ANCHOR_START.len()), n),
            };
            let Some(at) = at.filter(|&at| at <= html.len() && at >= copied) else { continue };
            out.push_str(&html[copied..at]);
            out.push_str(&html_escape(given.get(n).map_or("", String::as_str)));
            copied = at;
        }
        out.push_str(&html[copied..]);
        let summary = match (self.more_found, self.before_more) {
            (true, Some(before)) => before.html(&given, anchor_html),
            _ => self.first_paragraph.html(&given, anchor_html),
        };
        let word_count = self.words.count;
        let headings = self
            .headings
            .into_iter()
            .zip(given)
            .take(MAX_LISTED_HEADINGS)
            .map(|(h, id)| Heading { level: heading_level(h.level), id, text: h.text })
            .collect();
        Rendered {
            html: out,
            summary,
            headings,
            word_count,
            reading_minutes: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            links: self.links,
        }
    }

    /// The writer has made the HTML of the last event handed out: its range is known.
    fn close_slot(&mut self) {
        if let Some((slot, start)) = self.open_slot.take() {
            self.slots.push((slot, start..self.written.get()));
        }
    }
}

impl<'a> Iterator for Body<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        self.close_slot();
        let (event, slot) = self.pull()?;
        self.observe(&event, slot);
        if let Some(slot) = slot {
            self.open_slot = Some((slot, self.written.get()));
        }
        Some(event)
    }
}

/// Words of prose: text outside code blocks, joined across the inline events that smart
/// punctuation and emphasis split words into, counted as the events pass (as
/// `split_whitespace` would count the text they make).
#[derive(Default)]
struct Words {
    count: usize,
    in_word: bool,
    in_code: bool,
}

impl Words {
    fn push(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(t) | Event::Code(t) if !self.in_code => {
                for c in t.chars() {
                    let space = c.is_whitespace();
                    if !space && !self.in_word {
                        self.count += 1;
                    }
                    self.in_word = !space;
                }
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => self.in_word = false,
            _ => {}
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_anchor_is_the_anchor_of_an_empty_id() {
        assert_eq!(anchor_html(""), ANCHOR_EMPTY);
    }

    const ROOT: MarkdownOptions<'static> = MarkdownOptions { base_path: "/" };

    /// `source` rendered under the root, within the bounds.
    fn md(source: &str) -> Rendered {
        md_at(source, ROOT)
    }

    fn md_at(source: &str, options: MarkdownOptions<'_>) -> Rendered {
        render(source, options).expect("within the bounds")
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
    }

    #[test]
    fn gfm_features_render() {
        let r = md("| a |\n|---|\n| b |\n\n~~x~~\n\n- [ ] todo\n\n> [!NOTE]\n> hi\n\nA[^1].\n\n[^1]: f\n");
        for needle in ["<table>", "<del>x</del>", "type=\"checkbox\"", "markdown-alert-note", "footnote-definition"] {
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
        let r = md_at("[p](/projects/x/) [e](https://e.org/) [r](#a)", MarkdownOptions { base_path: "/sub/" });
        assert!(r.html.contains("href=\"/sub/projects/x/\""));
        assert!(r.html.contains("href=\"https://e.org/\""));
        assert!(r.html.contains("href=\"#a\""));
    }

    #[test]
    fn links_are_data_with_their_lines() {
        let r = md_at(
            "Intro [a](/reviews/x/#top).\n\nMore\n![img](pic.png) and [b](https://e.org/)\n",
            MarkdownOptions { base_path: "/sub/" },
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
