//! What in a Markdown text could run script on the site's pages. Links and images whose
//! target is a script or a document never reach an attribute: they are rendered as their
//! text. Heading attributes (`## T {onclick=…}`) that are event handlers or unsafe URLs are
//! dropped. Raw HTML passes through as written (writers are trusted), and what in it could
//! run script is noted. Each is a [`Hazard`] at its line, for `critique check` and `build`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::raw_html::{self, RawHazard};
use super::{browser, placing};
use crate::diagnostic::LineIndex;
use crate::text;

/// Something in a Markdown text that could run script, at its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    /// 1-based line in the text.
    pub line: usize,
    /// What it is.
    pub kind: HazardKind,
}

/// What could run script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum HazardKind {
    /// A Markdown link or image to a `javascript:`, `vbscript:` or `data:` URL: rendered as
    /// its text, without the link.
    Link {
        /// The target, as the parser decoded it.
        url: String,
        /// Whether it is an image.
        image: bool,
    },
    /// A heading attribute that is an event handler or an unsafe URL: dropped.
    Attribute {
        /// Its name.
        name: String,
    },
    /// Something in raw HTML, passed through as written.
    RawHtml(RawHazard),
}

impl Hazard {
    /// What a report says of it.
    pub fn describe(&self) -> String {
        match &self.kind {
            HazardKind::Link { url, image } => format!(
                "{} to `{}` could run script: it is shown as {}, without the link",
                if *image { "image" } else { "link" },
                url.escape_debug(),
                if *image { "its alt text" } else { "its text" }
            ),
            HazardKind::Attribute { name } => {
                format!("heading attribute `{}` could run script: it is left out", name.escape_debug())
            }
            HazardKind::RawHtml(RawHazard::Script) => "`<script>` in raw HTML".to_string(),
            HazardKind::RawHtml(RawHazard::ScriptAttribute { name }) if name == "srcdoc" => {
                "`srcdoc` attribute (a page of HTML inside the tag) in raw HTML".to_string()
            }
            HazardKind::RawHtml(RawHazard::ScriptAttribute { name }) => {
                format!("event handler `{}` in raw HTML", name.escape_debug())
            }
            HazardKind::RawHtml(RawHazard::UnsafeUrl { name, url }) => {
                format!("`{}=\"{}\"` in raw HTML could run script", name.escape_debug(), url.escape_debug())
            }
            HazardKind::RawHtml(RawHazard::Element { name, why }) if name.starts_with('!') => {
                format!("`<{}` in raw HTML {why}", name.escape_debug())
            }
            HazardKind::RawHtml(RawHazard::Element { name, why }) => {
                format!("`<{}>` in raw HTML {why}", name.escape_debug())
            }
            HazardKind::RawHtml(RawHazard::LeftOpen) => "raw HTML leaves something open at the end of the text (a tag, a quoted value, a comment, or an element such as `<table>`, `<svg>`, `<select>` or `<b>`) or closes what holds it: the page's HTML after it would be read differently".to_string(),
            HazardKind::RawHtml(RawHazard::TooLarge) => format!(
                "raw HTML in a text of over {} KB, {} tags or {} attributes, or a tag of over {} attributes, cannot be checked as a browser reads it",
                browser::MAX_BROWSER_READ / 1024,
                browser::MAX_TAGS,
                browser::MAX_TEXT_ATTRIBUTES,
                raw_html::MAX_ATTRIBUTES
            ),
        }
    }

    /// A text of the source that the hazard's line holds, for finding the line again where the
    /// text was given without its position (an answer in the front matter).
    pub fn needle(&self) -> &str {
        match &self.kind {
            HazardKind::Link { url, .. } | HazardKind::RawHtml(RawHazard::UnsafeUrl { url, .. }) => url,
            HazardKind::Attribute { name } | HazardKind::RawHtml(RawHazard::ScriptAttribute { name }) => name,
            HazardKind::RawHtml(RawHazard::Script) => "<script",
            HazardKind::RawHtml(RawHazard::Element { name, .. }) => name,
            HazardKind::RawHtml(RawHazard::LeftOpen | RawHazard::TooLarge) => "<",
        }
    }
}

/// Watches the events of one Markdown text as they are rendered: drops unsafe links, images
/// and heading attributes, replaces control characters that character references
/// (`&#1;`) put into text, and notes every hazard with its place.
#[derive(Default)]
pub(super) struct Guard {
    /// For each link (and image) open, whether it was dropped.
    links: Vec<bool>,
    images: Vec<bool>,
    /// The raw HTML block being read: its text so far, and where each piece of it starts in
    /// that text and in the source (a block in a list or quote is given without its indent).
    block: Option<(String, Vec<(usize, usize)>)>,
    /// What was found, at byte offsets of the source.
    found: Vec<(usize, HazardKind)>,
    /// What the scan of each raw HTML piece found, at byte offsets of the source.
    raw: Vec<(usize, RawHazard)>,
    /// Where the first and the last piece of raw HTML (but plain comments) start in the
    /// source, if there is one.
    raw_span: Option<(usize, usize)>,
}

impl Guard {
    /// What was found, each at its line of `source` (the text the events came from), given
    /// what was rendered of it: `htmls`, the text's HTML and any other fragment of it shown on
    /// its own (a summary), each read as a browser reads it.
    pub fn finish(mut self, source: &str, htmls: &[&str]) -> Vec<Hazard> {
        if let Some(span) = self.raw_span {
            let scanned = std::mem::take(&mut self.raw);
            let placed = placing::place_raw_hazards(source, htmls, span, &scanned);
            self.found.extend(placed.into_iter().map(|(offset, hazard)| (offset, HazardKind::RawHtml(hazard))));
            self.found.sort_by_key(|&(offset, _)| offset);
        }
        if self.found.is_empty() {
            return Vec::new();
        }
        // Only a text with hazards pays for an index of its lines.
        let lines = LineIndex::new(source);
        self.found.into_iter().map(|(offset, kind)| Hazard { line: lines.line(offset), kind }).collect()
    }

    fn note(&mut self, offset: usize, kind: HazardKind) {
        self.found.push((offset, kind));
    }

    /// Whether the link (or image) opened at `at` to `url` is left out, noted as a hazard; its
    /// end is left out with it.
    fn drops(&mut self, at: usize, url: &str, image: bool) -> bool {
        let unsafe_target = crate::scheme::is_unsafe(url, image);
        if image { &mut self.images } else { &mut self.links }.push(unsafe_target);
        if unsafe_target {
            self.note(at, HazardKind::Link { url: url.to_string(), image });
        }
        unsafe_target
    }

    /// The event at byte offset `at` of the source as it may be rendered, or `None` when it
    /// must be left out.
    pub fn pass<'a>(&mut self, event: Event<'a>, at: usize) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => (!self.drops(at, &dest_url, false))
                .then(|| Event::Start(Tag::Link { link_type, dest_url, title: scrub(title), id })),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => (!self.drops(at, &dest_url, true))
                .then(|| Event::Start(Tag::Image { link_type, dest_url, title: scrub(title), id })),
            Event::End(TagEnd::Link) => (!self.links.pop().unwrap_or(false)).then_some(event),
            Event::End(TagEnd::Image) => (!self.images.pop().unwrap_or(false)).then_some(event),
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let mut kept = Vec::with_capacity(attrs.len());
                for (name, value) in attrs {
                    let lower = name.to_ascii_lowercase();
                    let unsafe_url = value.as_deref().is_some_and(|v| raw_html::is_unsafe_url_attribute(&lower, v));
                    // A browser splits `x/onclick` into two attributes: only plain names pass.
                    if raw_html::is_script_attribute(&lower) || unsafe_url || !is_plain_attribute_name(&name) {
                        self.note(at, HazardKind::Attribute { name: name.to_string() });
                    } else {
                        kept.push((name, value.map(scrub)));
                    }
                }
                Some(Event::Start(Tag::Heading { level, id, classes, attrs: kept }))
            }
            Event::Start(Tag::HtmlBlock) => {
                self.block = Some((String::new(), Vec::new()));
                Some(event)
            }
            Event::Html(ref html) => {
                match &mut self.block {
                    Some((text, pieces)) => {
                        pieces.push((text.len(), at));
                        text.push_str(html);
                    }
                    None => self.scan(html, &[(0, at)]),
                }
                Some(event)
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((text, pieces)) = self.block.take() {
                    self.scan(&text, &pieces);
                    let too_large = self.raw.iter().any(|(_, h)| *h == RawHazard::TooLarge);
                    let start = pieces.first().map_or(at, |&(_, source)| source);
                    let found = match browser::ends_between_tags(&text) {
                        _ if too_large => None,
                        Some(true) => None,
                        Some(false) => Some(RawHazard::LeftOpen),
                        None => Some(RawHazard::TooLarge),
                    };
                    if let Some(hazard) = found {
                        self.raw.push((start, hazard));
                        self.raw_span.get_or_insert((start, start));
                    }
                }
                Some(event)
            }
            Event::InlineHtml(ref html) => {
                self.scan(html, &[(0, at)]);
                Some(event)
            }
            Event::Text(t) => Some(Event::Text(scrub(t))),
            Event::Code(t) => Some(Event::Code(scrub(t))),
            other => Some(other),
        }
    }

    /// Notes the hazards of raw HTML `html`, made of pieces that start at the given offsets of
    /// `html` and of the source.
    fn scan(&mut self, html: &str, pieces: &[(usize, usize)]) {
        // `<!-- more -->` and `<!-- critique-ignore: … -->` are in many texts; a closed comment
        // like them changes nothing of how a browser reads the rest, and costs no reading.
        if is_plain_comment(html) {
            return;
        }
        let first = pieces.first().map_or(0, |&(_, source)| source);
        let last = pieces.last().map_or(0, |&(_, source)| source);
        self.raw_span = Some(self.raw_span.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
        let mut found = Vec::new();
        raw_html::scan(html, &mut |offset, hazard| found.push((offset, hazard)));
        for (offset, hazard) in found {
            let piece = pieces.partition_point(|&(start, _)| start <= offset).saturating_sub(1);
            let (start, source) = pieces.get(piece).copied().unwrap_or_default();
            self.raw.push((source + (offset - start), hazard));
        }
    }
}

/// Whether `name` is an attribute name a browser reads as one plain name (`data-x`,
/// `aria-label`, `xml:lang`), not one it would split (`x/onclick`) or misread.
fn is_plain_attribute_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Whether raw HTML `html` is one comment, closed where it says, that holds no `<`, `>` or
/// `--` (and does not end in `-`): nothing of it can end early, run on, or hold a hazard.
fn is_plain_comment(html: &str) -> bool {
    let inner = html.trim().strip_prefix("<!--").and_then(|rest| rest.strip_suffix("-->"));
    inner.is_some_and(|inner| !inner.contains(['<', '>']) && !inner.contains("--") && !inner.ends_with('-'))
}

/// Text with every control character replaced by U+FFFD, as CommonMark does for `&#0;`: the
/// file's own characters were checked when it was read, so only a character reference
/// (`&#1;`) can put one here, and no page or feed may carry it.
fn scrub(text: CowStr<'_>) -> CowStr<'_> {
    if text::find_control(&text).is_none() {
        return text;
    }
    let clean: String = text.chars().map(|c| if text::is_control(c) { '\u{fffd}' } else { c }).collect();
    CowStr::from(clean)
}

#[cfg(test)]
mod tests {
    use super::super::{MarkdownOptions, render, render_inline};
    use super::*;

    const ROOT: MarkdownOptions<'static> = MarkdownOptions::ROOT;

    #[test]
    fn unsafe_links_and_images_are_shown_as_text_and_noted() {
        let source = "[a](javascript:alert(1)) [b](java&#9;script:x)\n\n<JavaScript:alert(2)>\n\n\
                      ![c](data:text/html,x) ![d](data:image/svg+xml,x) [e](data:image/png,x)\n\n\
                      ![ok](data:image/png;base64,AAAA) [ok](https://e.org/) [ref][r]\n\n[r]: vbscript:x\n";
        let r = render(source, ROOT).expect("within bounds");
        let lines: Vec<(usize, bool)> = r
            .hazards
            .iter()
            .map(|h| match &h.kind {
                HazardKind::Link { image, .. } => (h.line, *image),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lines, [(1, false), (1, false), (3, false), (5, true), (5, true), (5, false), (7, false)]);
        for gone in ["javascript", "script:", "data:text", "svg", "vbscript", "href=\"data:image/png,x"] {
            assert!(!r.html.contains(gone), "{gone} in {}", r.html);
        }
        assert!(r.html.contains("<p>a b</p>"), "the text stays: {}", r.html);
        assert!(r.html.contains("<p>c d e</p>"), "alt texts stay: {}", r.html);
        assert!(r.html.contains("src=\"data:image/png;base64,AAAA\""), "{}", r.html);
        let inline = render_inline("see [x](JAVASCRIPT:x) <img src=x onerror=y>", ROOT);
        assert_eq!(inline.html, "<p>see x <img src=x onerror=y></p>");
        assert_eq!(inline.hazards.len(), 2, "{:?}", inline.hazards);
    }

    #[test]
    fn heading_attributes_cannot_run_script() {
        let r = render("## T {#t .c onclick=alert(1) data-x=y href=javascript:x}\n", ROOT).expect("within bounds");
        assert!(r.html.starts_with("<h2 id=\"t\" class=\"c\" data-x=\"y\">T"), "{}", r.html);
        let names: Vec<String> = r.hazards.iter().map(|h| h.describe()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].contains("`onclick`"), "{names:?}");
    }

    #[test]
    fn only_a_plain_closed_comment_skips_the_browser_reading() {
        for plain in ["<!-- more -->", "<!-- critique-ignore: stock-phrase, promotion -->\n", "<!---->"] {
            assert!(is_plain_comment(plain), "{plain}");
        }
        for not in
            ["<!-->", "<!--->", "<!-- a --!> b -->", "<!-- <b> -->", "<!-- a -- b -->", "<!-- a", "<b>", "<!-- a--->"]
        {
            assert!(!is_plain_comment(not), "{not}");
        }
    }

    #[test]
    fn raw_html_hazards_are_noted_at_their_lines_and_kept() {
        let source = "Text\n\n> <div\n> onclick=\"x\">\n> </div>\n\nA <a href='vbscript:x'>b</a>\n\n<script>\nalert(1)\n</script>\n";
        let r = render(source, ROOT).expect("within bounds");
        let found: Vec<(usize, String)> = r.hazards.iter().map(|h| (h.line, h.describe())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((found[0].0, found[1].0, found[2].0), (4, 7, 9), "{found:?}");
        assert!(r.html.contains("onclick=\"x\"") && r.html.contains("<script>"), "raw HTML passes: {}", r.html);
    }

    #[test]
    fn character_references_put_no_control_character_into_text() {
        let r = render("a &#1; b &#x7f; c [&#27;](/x \"&#8;\")\n", ROOT).expect("within bounds");
        assert_eq!(crate::text::find_control(&r.html), None, "{:?}", r.html);
        assert!(r.html.contains("a \u{fffd} b \u{fffd} c"), "{:?}", r.html);
    }
}
