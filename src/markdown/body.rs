//! A body's events on their way from the parser to the HTML writer, in one pass: links
//! recorded and rebased, fenced code highlighted, headings given a place for their id (filled
//! in once every taken id is known) and a self-link, words counted, the summary kept.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::ids::{HeadingIds, own_fragment, prefixed};
use super::images::{ImageNotes, ImageRead, image_html};
use super::references::decode_references;
use super::safety::Guard;
use super::summary::{Capture, Slot};
use super::{
    Heading, Link, MAX_LISTED_HEADINGS, MORE_MARKER, MarkdownOptions, Rendered, WORDS_PER_MINUTE, heading_level,
    html_escape, html_links, parser_options, rebase_link, site_url,
};
use crate::diagnostic::Placer;
use crate::highlight;

/// A `fmt::Write` into a `String` that shares how much it has written, so that the events'
/// source can tell where the HTML of each event it handed out begins and ends.
pub(super) struct Counted<'s> {
    pub(super) out: &'s mut String,
    pub(super) written: &'s Cell<usize>,
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

pub(super) const ANCHOR_START: &str = "<a class=\"anchor\" href=\"#";
const ANCHOR_END: &str = "\" aria-label=\"Link to this section\">#</a>";
/// The self-link before its id is known: the id goes after [`ANCHOR_START`].
const ANCHOR_EMPTY: &str = "<a class=\"anchor\" href=\"#\" aria-label=\"Link to this section\">#</a>";
/// A task list's boxes (`- [x]`, `- [ ]`), named for assistive technology, which announces
/// their state after the name (a form control without a name fails WCAG's 4.1.2).
const TASK_DONE: &str = "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> ";
const TASK_OPEN: &str = "<input type=\"checkbox\" disabled aria-label=\"Done\"> ";

/// A heading as read: its level, its own `{#id}`, its text.
struct HeadingRead<'a> {
    level: HeadingLevel,
    explicit: Option<CowStr<'a>>,
    text: String,
}

/// The body's events, changed on their way to the HTML writer: links recorded and rebased,
/// fenced code highlighted, headings given a place for their id and a self-link, words
/// counted, the summary kept.
pub(super) struct Body<'a, 'w> {
    source: &'a str,
    options: MarkdownOptions<'a>,
    events: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// Events read ahead (a paragraph looked at for a lone image), past the safety check.
    ahead: VecDeque<(Event<'a>, Range<usize>)>,
    /// What the images came to.
    images: ImageNotes,
    /// Events made ahead of their turn, with the heading each stands for.
    queue: VecDeque<(Event<'a>, Option<Slot>)>,
    /// How much HTML the writer has made.
    written: &'w Cell<usize>,
    /// The heading event handed out last and where its HTML began.
    open_slot: Option<(Slot, usize)>,
    /// Each heading event's HTML, as a range of the output.
    slots: Vec<(Slot, Range<usize>)>,
    placer: Option<Placer<'a>>,
    links: Vec<Link>,
    /// What could run script: left out, and noted.
    guard: Guard,
    /// What the page may still spend on highlighting.
    highlighting: highlight::Budget,
    headings: Vec<HeadingRead<'a>>,
    /// Whether the events are inside a heading (whose text is being read).
    in_heading: bool,
    /// Footnote names and explicit heading ids: no heading takes them.
    taken: Vec<CowStr<'a>>,
    words: Words,
    /// The events before `<!-- more -->`, while there may be one and it has not been met.
    before_more: Option<Capture<'a>>,
    more_found: bool,
    /// Whether the top-level block being read is one a `<!-- more -->` in it may cut (an HTML
    /// block or a paragraph).
    top_level_may_cut: bool,
    first_paragraph: Capture<'a>,
    /// 0 before the first top-level paragraph, 1 inside it, 2 after.
    paragraph_state: u8,
    depth: usize,
}

impl<'a, 'w> Body<'a, 'w> {
    pub(super) fn new(source: &'a str, options: MarkdownOptions<'a>, written: &'w Cell<usize>) -> Self {
        // The marker is an HTML event, whose text is the source's: no marker in the source,
        // no marker in the events.
        let may_have_more = memchr::memmem::find(source.as_bytes(), MORE_MARKER.as_bytes()).is_some();
        Self {
            source,
            options,
            events: Parser::new_ext(source, parser_options()).into_offset_iter(),
            ahead: VecDeque::new(),
            images: ImageNotes::default(),
            queue: VecDeque::new(),
            written,
            open_slot: None,
            slots: Vec::new(),
            placer: None,
            links: Vec::new(),
            guard: Guard::default(),
            highlighting: highlight::Budget::default(),
            headings: Vec::new(),
            in_heading: false,
            taken: Vec::new(),
            words: Words::default(),
            before_more: may_have_more.then(Capture::default),
            more_found: false,
            top_level_may_cut: false,
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
        let (event, range) = self.next_passed()?;
        let event = match event {
            Event::Start(Tag::Paragraph) if self.options.images.is_some() => match self.figure(&range) {
                Some(figure) => figure,
                None => Event::Start(Tag::Paragraph),
            },
            Event::Start(Tag::Image { dest_url, title, .. }) if self.options.images.is_some() => {
                self.image(&dest_url, &title, range.start, false)
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let (line, col) = self.place(range.start);
                let event = own_fragment(event, self.options.id_prefix);
                if let Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) = event {
                    self.links.push(Link::new(dest_url, self.options.source_dir, line, col));
                }
                rebase_link(event, self.options)
            }
            Event::Start(Tag::HtmlBlock) => self.html_block(),
            Event::InlineHtml(html) => {
                // The tag as written, when the parser hands it over unchanged.
                let exact = self.source.get(range.start..range.start + html.len()) == Some(&*html);
                let at = range.start;
                Event::InlineHtml(self.html_links(html, &[(0, at)], exact))
            }
            other => other,
        };
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
                (Event::FootnoteReference(prefixed(name, self.options.id_prefix)), None)
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                self.taken.push(name.clone());
                (Event::Start(Tag::FootnoteDefinition(prefixed(name, self.options.id_prefix))), None)
            }
            Event::TaskListMarker(done) => {
                (Event::InlineHtml(CowStr::Borrowed(if done { TASK_DONE } else { TASK_OPEN })), None)
            }
            other => (other, None),
        })
    }

    /// The next event of the body that passed the safety check: links, images and attributes
    /// that could run script are left out here (and noted), before anything else sees them.
    fn next_passed(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        if let Some(ahead) = self.ahead.pop_front() {
            return Some(ahead);
        }
        loop {
            let (event, range) = self.events.next()?;
            if let Some(event) = self.guard.pass(event, range.start) {
                return Some((event, range));
            }
        }
    }

    /// The paragraph at `range` (its start just read) as a `<figure>`, when it is one image
    /// with a title and nothing else; else `None`, its events left to read as they were.
    fn figure(&mut self, range: &Range<usize>) -> Option<Event<'a>> {
        // Most paragraphs do not start with an image: no events are read ahead for them.
        if !self.source.get(range.clone()).is_some_and(|text| text.trim_start().starts_with("![")) {
            return None;
        }
        let mut held = Vec::new();
        while let Some((event, at)) = self.next_passed() {
            let end = matches!(event, Event::End(TagEnd::Paragraph));
            held.push((event, at));
            if end {
                break;
            }
        }
        let lone = match held.first() {
            Some((Event::Start(Tag::Image { title, .. }), _)) if !title.is_empty() => {
                // The image's end is the event before the paragraph's.
                let mut depth = 0usize;
                held.iter().position(|(e, _)| {
                    match e {
                        Event::Start(Tag::Image { .. }) => depth += 1,
                        Event::End(TagEnd::Image) => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                }) == Some(held.len().saturating_sub(2))
            }
            _ => false,
        };
        if !lone {
            self.ahead.extend(held);
            return None;
        }
        held.pop();
        let mut held = held.into_iter();
        let (Event::Start(Tag::Image { dest_url, title, .. }), at) = held.next()? else { return None };
        self.ahead.extend(held);
        Some(self.image(&dest_url, &title, at.start, true))
    }

    /// The image whose start (with `dest` and `title`) is at byte `at`, read to its end, as
    /// HTML: sized, lazy after the first, a `<figure>` when `figure`.
    fn image(&mut self, dest: &str, title: &str, at: usize, figure: bool) -> Event<'a> {
        let (line, col) = self.place(at);
        self.links.push(Link::new(dest, self.options.source_dir, line, col));
        let mut alt = String::new();
        let mut depth = 1;
        while let Some((event, _)) = self.next_passed() {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let Some(images) = self.options.images else { return Event::Text(CowStr::from(alt)) };
        let read = ImageRead { dest, title, alt: &alt, line, col };
        let html = image_html(&read, figure, self.options, images, &mut self.images);
        if figure { Event::Html(CowStr::from(html)) } else { Event::InlineHtml(CowStr::from(html)) }
    }

    /// The 1-based line and column (in characters) of byte `offset` of the body: offsets come
    /// in increasing order, so a long line's characters are counted once.
    fn place(&mut self, offset: usize) -> (usize, usize) {
        let source = self.source;
        self.placer.get_or_insert_with(|| Placer::new(source)).place(offset)
    }

    /// A raw HTML block, whose lines the parser hands over one event each, as one event: a tag
    /// may run over several lines. Its links are found and rebased as an inline tag's are.
    fn html_block(&mut self) -> Event<'a> {
        let mut joined = String::new();
        // Where each line starts, in `joined` and in the body.
        let mut starts: Vec<(usize, usize)> = Vec::new();
        let mut exact = true;
        let mut end = None;
        for (event, range) in self.events.by_ref() {
            let Some(event) = self.guard.pass(event, range.start) else { continue };
            match event {
                Event::Html(line) | Event::Text(line) => {
                    exact &= self.source.get(range.start..range.start + line.len()) == Some(&*line);
                    starts.push((joined.len(), range.start));
                    joined.push_str(&line);
                }
                other => {
                    end = Some(other);
                    break;
                }
            }
        }
        let html = self.html_links(CowStr::from(joined), &starts, exact);
        self.queue.push_back((Event::Html(html), None));
        if let Some(end) = end {
            self.queue.push_back((end, None));
        }
        Event::Start(Tag::HtmlBlock)
    }

    /// Raw HTML whose pieces start at the body offsets `starts` (offset in `html`, offset in
    /// the body; `exact` when each piece is the body's text as written), its `href` and `src`
    /// values recorded as links and made to lead where Markdown's do: a content file's page
    /// (`../x.md`), under the base path when root-relative.
    fn html_links(&mut self, html: CowStr<'a>, starts: &[(usize, usize)], exact: bool) -> CowStr<'a> {
        if !html.contains('=') {
            return html;
        }
        let values = html_links::url_values(&html);
        if values.is_empty() {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 16 * values.len());
        let mut copied = 0;
        for value in values {
            // Its piece, and its place in the body (the piece's start when the parser changed
            // the text, inside a quote or a list item).
            let piece = starts.partition_point(|&(at, _)| at <= value.start).saturating_sub(1);
            let (piece_start, body_start) = starts.get(piece).copied().unwrap_or((0, 0));
            let offset = if exact { body_start + (value.start - piece_start) } else { body_start };
            let (line, col) = self.place(offset);
            // Browsers strip the white space around a URL attribute's value.
            let written = decode_references(&html[value.clone()]);
            let written = written.trim_matches(|c: char| c.is_ascii_whitespace());
            // Script and inline data are the safety check's (`unsafe-html`), not links.
            if !matches!(crate::scheme::classify(written), crate::scheme::Target::Scheme(_)) {
                self.links.push(Link::new(written, self.options.source_dir, line, col));
            }
            // Rewritten as written (its character references kept), so that the value means
            // what it meant, under the base path or as a content file's page.
            let raw = &html[value.clone()];
            if let Some(url) = site_url(raw.trim_matches(|c: char| c.is_ascii_whitespace()), self.options) {
                out.push_str(&html[copied..value.start]);
                out.push_str(&url);
                copied = value.end;
            }
        }
        if copied == 0 {
            return html;
        }
        out.push_str(&html[copied..]);
        CowStr::from(out)
    }

    /// A fenced block in a language the highlighter knows, while the page's budget lasts, as
    /// one HTML event; otherwise its start, the rest following as the parser gives it.
    fn code_block(&mut self, info: CowStr<'a>, range: Range<usize>) -> Event<'a> {
        let language = info.split([' ', ',', '{']).next().unwrap_or_default();
        if !self.source.get(range).is_some_and(|block| self.highlighting.admit(block, language)) {
            return Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)));
        }
        let mut code = String::new();
        for (inner, _) in self.events.by_ref() {
            match inner {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        match self.highlighting.highlight(&code, language) {
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
            // Only at the top level (its own block, or a paragraph of the text itself): inside a
            // table, a list or a heading, the summary would end with them left open on listing
            // pages.
            let marker = matches!(event, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER);
            if marker && slot.is_none() && self.depth == 1 && self.top_level_may_cut {
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
            Event::Start(tag) => {
                if self.depth == 0 {
                    self.top_level_may_cut = matches!(tag, Tag::HtmlBlock | Tag::Paragraph);
                }
                self.depth += 1;
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    /// The rendered body, from the HTML the writer made of the events: each heading's id put
    /// in its place, now that every taken id is known.
    pub(super) fn finish(mut self, html: String) -> Rendered {
        self.close_slot();
        let mut ids = HeadingIds::new(self.taken.iter().map(|t| t.as_ref()));
        let prefix = self.options.id_prefix;
        let given: Vec<String> = self
            .headings
            .iter()
            .map(|h| ids.next(h.explicit.as_deref(), &h.text))
            .map(|id| if prefix.is_empty() { id } else { format!("{prefix}{id}") })
            .collect();
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
        let hazards = self.guard.finish(self.source, &[&out, &summary]);
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
            hazards,
            image_errors: self.images.errors,
            images_without_alt: self.images.without_alt,
            images_with_copies: self.images.with_copies,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_anchor_is_the_anchor_of_an_empty_id() {
        assert_eq!(anchor_html(""), ANCHOR_EMPTY);
    }
}
