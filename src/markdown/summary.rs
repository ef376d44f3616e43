//! A body's summary for listings: the part before `<!-- more -->`, or else the first
//! paragraph, kept as events while the body streams by.
//!
//! Every listing that shows a review (the home page, the reviews, its project's, tag, author
//! and verdict pages, the other reviews of its project, the feeds) pastes its summary, so one
//! file's summary is written a dozen times: a summary is kept to [`SUMMARY_MAX`], and one that
//! would be longer is cut to the start of its text, [`SUMMARY_TEXT_CHARS`] characters at most.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::html_escape;

/// The most a summary may hold: the bytes of its events' texts, HTML and link targets, plus
/// one for each event (the HTML it makes is at most a few times this).
pub const SUMMARY_MAX: usize = 64 * 1024;

/// The most characters of text a summary cut to its text keeps.
pub const SUMMARY_TEXT_CHARS: usize = 1000;

/// What a heading's event in a summary stands for, to be given its id at the end.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot {
    /// The start of heading number `n`: its id goes in the tag.
    Start(usize),
    /// The self-link of heading number `n`.
    Anchor(usize),
}

/// A summary being kept.
#[derive(Default)]
pub(super) struct Capture<'a> {
    events: Vec<Event<'a>>,
    /// Positions in `events` of headings' events, for their ids.
    slots: Vec<(usize, Slot)>,
    size: usize,
    /// The summary's text, once its events would have passed [`SUMMARY_MAX`].
    text: Option<Text>,
}

/// The text of a summary cut short.
#[derive(Default)]
struct Text {
    text: String,
    chars: usize,
    in_code_block: bool,
}

impl Text {
    fn push(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Text(t) | Event::Code(t) if !self.in_code_block => self.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => self.push_str(" "),
            _ => {}
        }
    }

    /// Adds text, white space folded, up to one character past the limit (which says it was
    /// cut).
    fn push_str(&mut self, text: &str) {
        for c in text.chars() {
            if self.chars > SUMMARY_TEXT_CHARS {
                return;
            }
            if c.is_whitespace() {
                if self.text.is_empty() || self.text.ends_with(' ') {
                    continue;
                }
                self.text.push(' ');
            } else {
                self.text.push(c);
            }
            self.chars += 1;
        }
    }

    /// The text as a paragraph, cut at the last space before the limit and ended with `…`.
    fn html(mut self) -> String {
        if self.chars > SUMMARY_TEXT_CHARS {
            let end = self.text.char_indices().nth(SUMMARY_TEXT_CHARS).map_or(self.text.len(), |(i, _)| i);
            let cut = self.text[..end].rfind(' ').filter(|&i| i > 0).unwrap_or(end);
            self.text.truncate(cut);
            self.text.push('…');
        }
        format!("<p>{}</p>", html_escape(self.text.trim_end()))
    }
}

/// What an event adds to a summary's size.
fn size(event: &Event<'_>) -> usize {
    1 + match event {
        Event::Text(t)
        | Event::Code(t)
        | Event::Html(t)
        | Event::InlineHtml(t)
        | Event::InlineMath(t)
        | Event::DisplayMath(t) => t.len(),
        Event::Start(Tag::Link { dest_url, title, .. } | Tag::Image { dest_url, title, .. }) => {
            dest_url.len() + title.len()
        }
        Event::Start(Tag::Heading { classes, attrs, .. }) => {
            classes.iter().map(|c| c.len()).sum::<usize>()
                + attrs.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, |v| v.len())).sum::<usize>()
        }
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => info.len(),
        _ => 0,
    }
}

impl<'a> Capture<'a> {
    /// Keeps `event` (a heading's when `slot` says so); footnote references are left out,
    /// since their definitions are not part of a summary.
    pub(super) fn push(&mut self, event: &Event<'a>, slot: Option<Slot>) {
        if matches!(event, Event::FootnoteReference(_)) {
            return;
        }
        if let Some(text) = &mut self.text {
            text.push(event);
            return;
        }
        self.size += size(event);
        if self.size > SUMMARY_MAX {
            let mut text = Text::default();
            for kept in self.events.drain(..) {
                text.push(&kept);
            }
            text.push(event);
            self.text = Some(text);
            self.slots = Vec::new();
            return;
        }
        if let Some(slot) = slot {
            self.slots.push((self.events.len(), slot));
        }
        self.events.push(event.clone());
    }

    /// The summary's HTML, given the ids of the body's headings and the self-link HTML each
    /// id makes.
    pub(super) fn html(mut self, ids: &[String], anchor: impl Fn(&str) -> String) -> String {
        if let Some(text) = self.text {
            return text.html();
        }
        for (at, slot) in self.slots {
            match (slot, &mut self.events[at]) {
                (Slot::Start(n), Event::Start(Tag::Heading { id, .. })) => {
                    *id = ids.get(n).map(|given| CowStr::from(given.clone()));
                }
                (Slot::Anchor(n), event) => {
                    *event = Event::InlineHtml(CowStr::from(anchor(ids.get(n).map_or("", String::as_str))));
                }
                _ => {}
            }
        }
        super::inline_html(self.events.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_past_the_limit_becomes_the_start_of_its_text() {
        let mut capture = Capture::default();
        capture.push(&Event::Start(Tag::Paragraph), None);
        let word = Event::Text(CowStr::from("word <b> "));
        for _ in 0..SUMMARY_MAX {
            capture.push(&word, None);
        }
        assert!(capture.events.is_empty(), "events are dropped once cut to text");
        let html = capture.html(&[], |_| String::new());
        assert!(html.starts_with("<p>word &lt;b&gt; word"), "{html}");
        assert!(html.ends_with("word…</p>") || html.ends_with("&lt;b&gt;…</p>"), "cut between words: {html}");
        let text = html.replace("&lt;", "<").replace("&gt;", ">");
        assert!(text.chars().count() <= SUMMARY_TEXT_CHARS + "<p>…</p>".len(), "{}", text.len());
    }
}
