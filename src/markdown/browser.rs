//! The rendered HTML of a text that holds raw HTML, read as a browser reads it (the HTML5
//! parsing algorithm, `html5ever`), for what could run script. The scan of each raw HTML
//! piece ([`super::raw_html`]) places what it finds at its line, but reads each piece alone;
//! a browser reads the whole page, where a tag left open by one piece takes in the Markdown
//! text after it (`<details title='` … `' ontoggle=…`), comments end early (`<!-->`), and
//! `<svg>` or `<noscript>` change what is text and what is markup. What the browser's reading
//! finds is what the page does.
//!
//! The text is read as the body of a document, as on its page (so a `<body onload=…>` in it
//! gives the page's body its handler), inside a `<div>` and followed by a probe element, both
//! marked with a value no one can guess. The probe must be created as a child of that `<div>`:
//! if it is not created, the text left a tag, a quoted value, a comment or a `<textarea>` open;
//! if it lands elsewhere, the text left an element open (`<table>`, `<svg>`, `<select>`, `<b>`)
//! or closed its container. Either way the page's own HTML after the text, and the next text
//! on the page, would be read in a state no reading of this text alone can judge.
//!
//! No tree is built: each element is seen once, with its attributes, as the parser creates it.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::{Attribute, QualName, local_name, ns};

use super::raw_html::{self, RawHazard};

/// The most bytes of rendered HTML read this way: a body far larger than any critique, with
/// raw HTML in it, is refused rather than read in part.
pub(super) const MAX_BROWSER_READ: usize = 1024 * 1024;

/// The most tags read, start and end. The HTML5 algorithm is quadratic on some inputs (elements nested
/// thousands deep, formatting elements it compares with every one open: 50,000 nested `<div>`s
/// take 3.4 s, 3,500 nested `<b>`s with ten attributes each 12 s); a critique's rendered text
/// holds hundreds of tags.
pub(super) const MAX_TAGS: usize = 12_000;

/// The most attributes read in one text. The parser compares each new formatting element
/// (`<b>`, `<a>`, `<em>`…), attributes and all, with every one still open: 2,000 nested `<b>`s
/// with a dozen attributes each took 2.9 s. A critique's links and headings hold hundreds.
pub(super) const MAX_TEXT_ATTRIBUTES: usize = 2_500;

/// What a page may hold a text in (a theme puts bodies in `<main>`, `<article>` or `<section>`,
/// answers in a list's `<li>`…): an end tag in the text that closes one of these ends the
/// text's container too, so the probe lands outside it. Read in a bare `<div>`, `</main>`
/// would be ignored, while on the page it closes the `<main>` and whatever the text opened in it.
const PLACES: &str = "<main><article><section><aside><nav><header><footer><figure><blockquote><details>\
                      <ul><li><ol><li><dl><dd><div>";

/// How much of a text the parser is given at a time.
const CHUNK_BYTES: usize = 4096;

/// The most elements and attributes the parser may make of one text (counted together): the
/// tags written are bounded, but the parser makes more of them (it reopens formatting
/// elements, with their attributes, at each paragraph).
const MAX_MADE: usize = 100_000;

/// The probe's element name.
const PROBE: &str = "critique-end-of-text";

/// What a browser's reading of a text found.
pub(super) enum Reading {
    /// The text was read whole: what in it could run script or take over the page, in
    /// document order.
    Read(Vec<RawHazard>),
    /// The text is too large to read so (more bytes or elements than the bounds).
    TooLarge,
}

/// Reads `html` (a rendered body, summary or answer) as the body of a page.
pub(super) fn read(html: &str) -> Reading {
    if html.len() > MAX_BROWSER_READ || tags(html) > MAX_TAGS || attributes(html) > MAX_TEXT_ATTRIBUTES {
        return Reading::TooLarge;
    }
    // Marks no text can guess, so that none can fake its own end.
    let nonce = crate::random::unguessable_hex();
    let page =
        format!("<!DOCTYPE html><html><head></head><body>{PLACES}<div n=\"{nonce}\">{html}<{PROBE} n=\"{nonce}\">");
    let sink = Elements { nonce, ..Elements::default() };
    let mut parser = html5ever::parse_document(sink, Default::default());
    // Fed a piece at a time, so that a text that makes the parser create element after
    // element (formatting elements reopened at each paragraph, each with its attributes) is
    // given up on, not read to its end.
    let mut rest = page.as_str();
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from(&rest[..cut]));
        rest = &rest[cut..];
        if parser.tokenizer.sink.sink.made.get() > MAX_MADE {
            return Reading::TooLarge;
        }
    }
    let sink = parser.finish();
    if sink.made.get() > MAX_MADE {
        return Reading::TooLarge;
    }
    let mut found = sink.found.into_inner();
    if !sink.probe_in_place.get() {
        found.push(RawHazard::LeftOpen);
    }
    Reading::Read(found)
}

/// Whether one piece of raw HTML (an HTML block) ends between tags, as a browser's tokenizer
/// reads it (`None` when it is too large to read: the tokenizer is quadratic in the
/// attributes of one tag, end tags' too): not inside a tag, a quoted value, a comment or a declaration. Markdown text after
/// a piece that does not would be read into what it left open (`<img title='` then a code
/// span `' onerror=…`), and no reading of the text can be trusted to see it as every browser
/// does.
pub(super) fn ends_between_tags(piece: &str) -> Option<bool> {
    if piece.len() > MAX_BROWSER_READ || attributes(piece) > MAX_TEXT_ATTRIBUTES {
        return None;
    }
    // Marks no text can guess, so that none can fake its own end.
    let nonce = crate::random::unguessable_hex();
    let tokenizer = Tokenizer::new(EndProbe { nonce: nonce.clone(), seen: Cell::new(false) }, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(format!("{piece}<{PROBE} n=\"{nonce}\">")));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    Some(tokenizer.sink.seen.get())
}

/// Sees whether the probe after a piece comes out as a start tag of its own.
struct EndProbe {
    nonce: String,
    seen: Cell<bool>,
}

impl TokenSink for EndProbe {
    type Handle = ();

    fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        if &*tag.name == PROBE && tag.attrs.len() == 1 && *tag.attrs[0].value == *self.nonce {
            self.seen.set(true);
        }
        // What a tree builder would tell the tokenizer: the content of these is text (in SVG
        // a `<style>` is not, but reading it as text can only find more left open).
        match &*tag.name {
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// How many attributes the tags of `html` hold, counted as a tokenizer would (a quoted value
/// is one), before any parsing.
fn attributes(html: &str) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Text,
        /// Just after `<`: a `/` here makes an end tag, and the name follows.
        Open,
        Tag {
            after_space: bool,
        },
        Equals,
        Quoted(u8),
        Unquoted,
    }
    let (mut count, mut at) = (0, At::Text);
    let bytes = html.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        at = match at {
            // End tags too: the tokenizer reads their attributes, and compares them.
            At::Text if b == b'<' && bytes.get(i + 1).is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/') => {
                At::Open
            }
            At::Open if b == b'/' => At::Open,
            At::Open => At::Tag { after_space: false },
            At::Text => At::Text,
            At::Quoted(q) if b == q => At::Tag { after_space: false },
            At::Quoted(q) => At::Quoted(q),
            At::Unquoted | At::Tag { .. } if b == b'>' => At::Text,
            At::Unquoted if space => At::Tag { after_space: true },
            At::Unquoted => At::Unquoted,
            At::Tag { .. } if space || b == b'/' => At::Tag { after_space: true },
            At::Tag { .. } if b == b'=' => At::Equals,
            At::Equals if space => At::Equals,
            At::Equals if b == b'"' || b == b'\'' => At::Quoted(b),
            At::Equals if b == b'>' => At::Text,
            At::Equals => At::Unquoted,
            At::Tag { after_space: true } => {
                count += 1;
                At::Tag { after_space: false }
            }
            at @ At::Tag { .. } => at,
        };
    }
    count
}

/// How many tags (`<` and a letter, or `</`) `html` holds, counted before any parsing: end
/// tags cost the parser a walk of the open elements too.
fn tags(html: &str) -> usize {
    let bytes = html.as_bytes();
    let is_tag = |at: usize| bytes.get(at + 1).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/');
    memchr::memchr_iter(b'<', bytes).filter(|&at| is_tag(at)).count()
}

/// A tree sink that keeps no tree: a node is its name, and only what elements hold is noted.
#[derive(Default)]
struct Elements {
    found: RefCell<Vec<RawHazard>>,
    /// The value that marks the `<div>` the text is read in and the probe after it.
    nonce: String,
    /// That `<div>` and the probe, once created.
    container: RefCell<Option<Node>>,
    probe: RefCell<Option<Node>>,
    /// Whether the probe was put into the `<div>`.
    probe_in_place: Cell<bool>,
    /// Elements and attributes made so far.
    made: Cell<usize>,
}

/// An element as the sink keeps it.
type Node = Rc<Element>;

/// An element's name, whether it is a MathML `annotation-xml` that holds HTML (the parser
/// asks: inside one, `<img>` is HTML, not MathML), and the element it was put into.
struct Element {
    name: QualName,
    holds_html: bool,
    parent: RefCell<Option<Node>>,
}

impl Element {
    fn new(name: QualName, holds_html: bool) -> Node {
        Rc::new(Element { name, holds_html, parent: RefCell::new(None) })
    }
}

impl Elements {
    /// Whether an element with `attrs` is marked as the container or the probe.
    fn marked(&self, attrs: &[Attribute]) -> bool {
        attrs.iter().any(|a| &*a.name.local == "n" && *a.value == *self.nonce)
    }

    fn note(&self, name: &QualName, attrs: &[Attribute]) {
        self.made.set(self.made.get() + 1 + attrs.len());
        if self.made.get() > MAX_MADE {
            return;
        }
        let element: &str = &name.local;
        let mut found = self.found.borrow_mut();
        if element == "script" {
            found.push(RawHazard::Script);
        }
        let attribute =
            |wanted: &str| attrs.iter().find(|a| str::eq_ignore_ascii_case(&a.name.local, wanted)).map(|a| &*a.value);
        if let Some(why) = raw_html::element_hazard(element, attribute) {
            found.push(RawHazard::Element { name: element.to_string(), why });
        }
        for attr in attrs {
            // As written (`xlink:href`), so that it is found where the scan found it.
            let name = match &attr.name.prefix {
                Some(prefix) => format!("{}:{}", &**prefix, &*attr.name.local),
                None => attr.name.local.to_string(),
            };
            let name = &name.to_ascii_lowercase();
            if raw_html::is_script_attribute(name) {
                found.push(RawHazard::ScriptAttribute { name: name.to_string() });
            } else if raw_html::is_unsafe_url_attribute(name, &attr.value) {
                found.push(RawHazard::UnsafeUrl { name: name.to_string(), url: raw_html::shown_url(&attr.value) });
            }
        }
    }
}

impl TreeSink for Elements {
    type Handle = Node;
    type Output = Self;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _: Cow<'static, str>) {}

    fn get_document(&self) -> Node {
        Element::new(QualName::new(None, ns!(), local_name!("")), false)
    }

    fn elem_name<'a>(&'a self, target: &'a Node) -> &'a QualName {
        &target.name
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Node {
        let marked = self.marked(&attrs);
        let (is_container, is_probe) = (marked && &*name.local == "div", marked && &*name.local == PROBE);
        if !is_container && !is_probe {
            self.note(&name, &attrs);
        }
        let node = Element::new(name, flags.mathml_annotation_xml_integration_point);
        if is_container && self.container.borrow().is_none() {
            *self.container.borrow_mut() = Some(Rc::clone(&node));
        } else if is_probe {
            *self.probe.borrow_mut() = Some(Rc::clone(&node));
        }
        node
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Node) -> bool {
        handle.holds_html
    }

    fn create_comment(&self, _: StrTendril) -> Node {
        self.get_document()
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> Node {
        self.get_document()
    }

    fn append(&self, parent: &Node, child: NodeOrText<Node>) {
        let NodeOrText::AppendNode(node) = child else { return };
        if self.probe.borrow().as_ref().is_some_and(|probe| Rc::ptr_eq(probe, &node)) {
            // In the container, or in a paragraph of it left unclosed (`<p>a`), which the
            // page's next end tag closes and which changes nothing of how the page reads on.
            let container = self.container.borrow();
            let is_container = |n: &Node| container.as_ref().is_some_and(|c| Rc::ptr_eq(c, n));
            let in_open_paragraph = parent.name.ns == ns!(html)
                && &*parent.name.local == "p"
                && parent.parent.borrow().as_ref().is_some_and(is_container);
            self.probe_in_place.set(is_container(parent) || in_open_paragraph);
        }
        // Only what the probe's parent needs: whose child it is.
        if node.name.ns == ns!(html) && &*node.name.local == "p" {
            *node.parent.borrow_mut() = Some(Rc::clone(parent));
        }
    }

    fn append_based_on_parent_node(&self, _: &Node, _: &Node, _: NodeOrText<Node>) {}

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Node) -> Node {
        Rc::clone(target)
    }

    fn same_node(&self, x: &Node, y: &Node) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, _: &Node, _: NodeOrText<Node>) {}

    fn add_attrs_if_missing(&self, target: &Node, attrs: Vec<Attribute>) {
        // A second `<body onload=…>` gives its attributes to the first.
        self.note(&target.name, &attrs);
    }

    fn remove_from_parent(&self, _: &Node) {}

    fn reparent_children(&self, _: &Node, _: &Node) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str) -> Vec<String> {
        let Reading::Read(found) = read(html) else { panic!("too large: {html}") };
        found
            .into_iter()
            .map(|h| match h {
                RawHazard::Script => "script".to_string(),
                RawHazard::LeftOpen => "left open".to_string(),
                RawHazard::TooLarge => "too large".to_string(),
                RawHazard::ScriptAttribute { name } | RawHazard::UnsafeUrl { name, .. } => name,
                RawHazard::Element { name, .. } => name,
            })
            .collect()
    }

    #[test]
    fn reads_as_a_browser_does() {
        // A tag left open by raw HTML takes in the Markdown text rendered after it.
        assert_eq!(names("<details open title='\n<p><code>' ontoggle=alert(1) x=</code></p></details>"), ["ontoggle"]);
        // Comments that end early, and content that is markup in SVG.
        assert_eq!(names("<!--><img src=x onerror=a>-->"), ["onerror"]);
        assert_eq!(names("<!-- --!><img src=x onerror=a>-->"), ["onerror"]);
        assert_eq!(names("<svg><title><img src=x onerror=a></title></svg>"), ["onerror"]);
        assert_eq!(names("<noscript><p title=\"</noscript><img src=x onerror=a>\"></noscript>"), ["onerror"]);
        assert_eq!(names("<a href=\"javascript&#000000058;alert(1)\">x</a>"), ["href"]);
        assert_eq!(names("<svg><a><set attributeName=\"href\" to=\"javascript:a\"/></a></svg>"), ["set"]);
        assert_eq!(names("<base href=\"https://evil.example/\"><meta http-equiv=refresh content=0>"), ["base", "meta"]);
        // The page's own body and root take these attributes.
        assert_eq!(names("<p>x</p><body onload=a()>"), ["onload"]);
        assert_eq!(names("<html onclick=a()>"), ["onclick"]);
        // What a browser reads as text runs nothing.
        assert!(names("<p>&lt;img onerror=x&gt;</p><!-- <script> --><textarea><b onclick=x></textarea>").is_empty());
        assert!(names("<a href=\"https://e.org\" title=\"onclick\">x</a><img src=\"data:image/png,AA\">").is_empty());
        // HTML inside MathML's `annotation-xml encoding="text/html"` is HTML.
        let math = "<math><annotation-xml encoding=\"text/html\"><foo><![CDATA[ ><img src=x onerror=a> ]]></foo></annotation-xml></math>";
        assert_eq!(names(math), ["annotation-xml", "onerror"]);
    }

    #[test]
    fn what_is_left_open_at_the_end_is_found() {
        for open in ["<details open ontoggle=alert(1)", "<a title='x", "<!-- a", "<textarea>", "<xmp>x", "<plaintext>"]
        {
            assert_eq!(names(open).last().map(String::as_str), Some("left open"), "{open}");
        }
        // Faking the probe does not help: its attribute is new every time.
        assert_eq!(names(&format!("<{PROBE} n=0000000000000000><a title='x")), ["left open"]);
        // An element left open, or the container closed, changes how the page reads on.
        for open in [
            "<table>",
            "<table><td>x",
            "<svg><desc>",
            "<select>",
            "<template>",
            "<b>x",
            "</div>x",
            "<div><svg><g>",
            // An end tag for what the page holds the text in closes it on the page.
            "<svg></main><style><g title='</style>'>",
            "</li>",
            "</section>",
            "<li>",
        ] {
            assert_eq!(names(open).last().map(String::as_str), Some("left open"), "{open}");
        }
        for closed in
            ["<p>a", "<p>a<p>b", "<div>a</div>", "<table><td>x</td></table>", "<svg><g></g></svg>", "<ul><li>a</ul>"]
        {
            assert!(names(closed).is_empty(), "{closed}");
        }
    }

    #[test]
    fn a_piece_must_end_between_tags() {
        for open in ["<img src=x title='", "<div title=\"a", "<b x", "<!-- a", "<!doctype", "</b title='x"] {
            assert_eq!(ends_between_tags(open), Some(false), "{open}");
        }
        // Inside text elements, what looks like a tag is text: the piece ends inside them.
        for open in ["<style><!--</style><img src=x alt='x-->", "<textarea>a", "<xmp>", "<script>x"] {
            assert_eq!(ends_between_tags(open), Some(false), "{open}");
        }
        for closed in ["<div>", "<img src=x title='a'>", "<!-- a -->", "<style>a</style>", "text < 3", "</b>", ""] {
            assert_eq!(ends_between_tags(closed), Some(true), "{closed}");
        }
    }

    #[test]
    fn too_much_is_refused_not_read_in_part() {
        let html = "<br>".repeat(MAX_TAGS + 1) + "<img src=x onerror=a>";
        assert!(matches!(read(&html), Reading::TooLarge));
        let nested: String = (0..1_000).map(|i| format!("<b id={i} a b c d e f g h i j>")).collect();
        assert!(matches!(read(&nested), Reading::TooLarge), "attributes the parser compares");
        assert_eq!(attributes("<a href=\"x y\" title='a b' hidden>t</a x> x=y <b\tc=d/e>"), 5);
        let end_tag: String = format!("</b{}>", (0..3_000).map(|i| format!(" a{i}")).collect::<String>());
        assert_eq!(ends_between_tags(&end_tag), None, "end tags' attributes count");
        let ends = "<q>".repeat(MAX_TAGS / 2) + &"</p>".repeat(MAX_TAGS / 2 + 1);
        assert!(matches!(read(&ends), Reading::TooLarge), "end tags count too");
        assert!(matches!(read(&"x".repeat(MAX_BROWSER_READ + 1)), Reading::TooLarge));
    }
}
