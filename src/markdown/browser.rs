//! The rendered HTML of a text that holds raw HTML, read as a browser reads it (the HTML5
//! parsing algorithm, `html5ever`), for what could run script. The scan of each raw HTML
//! piece ([`super::raw_html`]) places what it finds at its line, but reads each piece alone;
//! a browser reads the whole page, where a tag left open by one piece takes in the Markdown
//! text after it (`<details title='` … `' ontoggle=…`), comments end early (`<!-->`), and
//! `<svg>` or `<noscript>` change what is text and what is markup. What the browser's reading
//! finds is what the page does.
//!
//! No tree is built: each element is seen once, with its attributes, as the parser creates it.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName, local_name, ns};

use super::raw_html::{self, RawHazard};

/// The most bytes of rendered HTML read this way: past it (a body far larger than any
/// critique), only the per-piece scan runs, which is linear whatever the markup.
pub(super) const MAX_BROWSER_READ: usize = 1024 * 1024;

/// The most elements looked at: a flood of tags is bounded in time and in what it reports.
const MAX_ELEMENTS: usize = 200_000;

/// What in `html` (a rendered body or answer) could run script, as a browser parses it in a
/// `<div>` of the page, in document order.
pub(super) fn hazards(html: &str) -> Vec<RawHazard> {
    let sink = Elements::default();
    let context = QualName::new(None, ns!(html), local_name!("div"));
    let parser = html5ever::parse_fragment(sink, Default::default(), context, Vec::new(), true);
    parser.one(StrTendril::from(html))
}

/// A tree sink that keeps no tree: a node is its name, and only what elements hold is noted.
#[derive(Default)]
struct Elements {
    found: RefCell<Vec<RawHazard>>,
    seen: Cell<usize>,
}

type Node = Rc<QualName>;

impl Elements {
    fn note(&self, name: &QualName, attrs: &[Attribute]) {
        self.seen.set(self.seen.get() + 1);
        if self.seen.get() > MAX_ELEMENTS {
            return;
        }
        let mut found = self.found.borrow_mut();
        let element: &str = &name.local;
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
    type Output = Vec<RawHazard>;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Vec<RawHazard> {
        self.found.into_inner()
    }

    fn parse_error(&self, _: Cow<'static, str>) {}

    fn get_document(&self) -> Node {
        Rc::new(QualName::new(None, ns!(), local_name!("")))
    }

    fn elem_name<'a>(&'a self, target: &'a Node) -> &'a QualName {
        target
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> Node {
        self.note(&name, &attrs);
        Rc::new(name)
    }

    fn create_comment(&self, _: StrTendril) -> Node {
        self.get_document()
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> Node {
        self.get_document()
    }

    fn append(&self, _: &Node, _: NodeOrText<Node>) {}

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
        self.note(target, &attrs);
    }

    fn remove_from_parent(&self, _: &Node) {}

    fn reparent_children(&self, _: &Node, _: &Node) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str) -> Vec<String> {
        hazards(html)
            .into_iter()
            .map(|h| match h {
                RawHazard::Script => "script".to_string(),
                RawHazard::ScriptAttribute { name } | RawHazard::UnsafeUrl { name, .. } => name,
                RawHazard::Element { name, .. } => name,
            })
            .collect()
    }

    #[test]
    fn reads_as_a_browser_does() {
        // A tag left open by raw HTML takes in the Markdown text rendered after it.
        assert_eq!(names("<details open title='\n<p><code>' ontoggle=alert(1) x=</code></p>"), ["ontoggle"]);
        // Comments that end early, and content that is markup in SVG.
        assert_eq!(names("<!--><img src=x onerror=a>-->"), ["onerror"]);
        assert_eq!(names("<!-- --!><img src=x onerror=a>-->"), ["onerror"]);
        assert_eq!(names("<svg><title><img src=x onerror=a></title></svg>"), ["onerror"]);
        assert_eq!(names("<noscript><p title=\"</noscript><img src=x onerror=a>\"></noscript>"), ["onerror"]);
        assert_eq!(names("<a href=\"javascript&#000000058;alert(1)\">x</a>"), ["href"]);
        assert_eq!(names("<svg><a><set attributeName=\"href\" to=\"javascript:a\"/></a></svg>"), ["set"]);
        assert_eq!(names("<base href=\"https://evil.example/\"><meta http-equiv=refresh content=0>"), ["base", "meta"]);
        // What a browser reads as text runs nothing.
        assert!(names("<p>&lt;img onerror=x&gt;</p><!-- <script> --><textarea><b onclick=x></textarea>").is_empty());
        assert!(names("<a href=\"https://e.org\" title=\"onclick\">x</a><img src=\"data:image/png,AA\">").is_empty());
    }

    #[test]
    fn a_flood_of_elements_is_bounded() {
        let html = "<br onclick=x>".repeat(MAX_ELEMENTS + 10);
        // The parser's own `<html>` and context elements count too.
        let found = hazards(&html).len();
        assert!((MAX_ELEMENTS - 2..=MAX_ELEMENTS).contains(&found), "{found}");
    }
}
