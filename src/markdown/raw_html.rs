//! What in raw HTML could run script or take over the page: `<script>` elements, attributes
//! that hold script (`on…` event handlers, `srcdoc`), URL attributes whose value is a script
//! or a document (`javascript:`, `vbscript:`, `data:`), `<base>`, `<meta http-equiv>` and SVG
//! animations of a link's target. [`scan`] is a small tokenizer that finds them in one piece
//! of raw HTML at their offsets; it reads generously (comments and the content of `<style>` or
//! `<title>` are read as markup too), since what counts is decided by a browser's reading of
//! the whole page ([`super::browser`]), and the scan only says where each one is. One pass,
//! each byte looked at a bounded number of times: it never backs up.

use crate::scheme;

use super::references::decode_references;

/// What in raw HTML could run script.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum RawHazard {
    /// A `<script>` element.
    Script,
    /// An attribute that holds script or a page (`onclick`, `onerror`, `srcdoc`).
    ScriptAttribute {
        /// Its name, lowercased.
        name: String,
    },
    /// A URL attribute (`href`, `src`, `action`, `formaction`, `xlink:href`, …) whose value
    /// could run script.
    UnsafeUrl {
        /// Its name, lowercased.
        name: String,
        /// Its value, character references decoded (the start of a long one).
        url: String,
    },
    /// An element that takes over the page without a script: `<base>` re-points every
    /// relative link, `<meta http-equiv>` redirects, an SVG `<set>` or `<animate>` of `href`
    /// swaps a link's target.
    Element {
        /// Its name, lowercased.
        name: String,
        /// What it does.
        why: &'static str,
    },
    /// A tag, quoted value, comment or element (`<textarea>`, `<table>`, `<svg>`) still open
    /// at the end of the text, or the text's container closed: the page's own HTML after it
    /// would be read differently.
    LeftOpen,
    /// Raw HTML in a text too large to read as a browser does (see `browser::MAX_BROWSER_READ`).
    TooLarge,
}

impl RawHazard {
    /// What two findings share when they are one thing read two ways (the scan and the
    /// browser may decode a URL differently).
    pub(super) fn key(&self) -> (u8, &str) {
        match self {
            RawHazard::Script => (0, "script"),
            RawHazard::ScriptAttribute { name } => (1, name),
            RawHazard::UnsafeUrl { name, .. } => (2, name),
            RawHazard::Element { name, .. } => (3, name),
            RawHazard::LeftOpen => (4, ""),
            RawHazard::TooLarge => (5, ""),
        }
    }
}

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "manifest",
    "ping",
    "icon",
    "srcset",
];

/// Of [`URL_ATTRIBUTES`], those that load an image (where a raster `data:` image is fine).
const IMAGE_ATTRIBUTES: &[&str] = &["src", "srcset", "poster", "lowsrc", "dynsrc", "background"];

/// The longest URL shown in a finding.
const SHOWN_URL_CHARS: usize = 80;

/// Whether an attribute of this (lowercased) name holds script or a page of HTML.
pub(super) fn is_script_attribute(name: &str) -> bool {
    (name.len() > 2 && name.starts_with("on")) || name == "srcdoc"
}

/// Whether an attribute of this (lowercased) name is followed or loaded as a URL, and with
/// `value`, could run script.
pub(super) fn is_unsafe_url_attribute(name: &str, value: &str) -> bool {
    URL_ATTRIBUTES.contains(&name) && scheme::is_unsafe(value, IMAGE_ATTRIBUTES.contains(&name))
}

/// Why the element `name` (lowercased) takes over the page, given its attributes by name
/// (`attribute` looks them up, case-blind), if it does.
pub(super) fn element_hazard<'v>(name: &str, attribute: impl Fn(&str) -> Option<&'v str>) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "base" => Some("re-points every relative link of the page"),
        "form" => Some("sends what readers type elsewhere, and takes over the page's later forms"),
        "meta" if attribute("http-equiv").is_some() => Some("can redirect or reload the page"),
        "set" | "animate" => attribute("attributename")
            .filter(|target| target.trim().to_ascii_lowercase().ends_with("href"))
            .map(|_| "changes a link's target as the page runs"),
        name if UNCHECKABLE.contains(&name) => Some(UNCHECKABLE_WHY),
        _ => None,
    }
}

/// Elements that browsers (and the parser the check reads with) parse differently from one
/// another, in ways that turn text into markup: `<select>` (its parsing changed in 2025),
/// `<template>`, obsolete elements with parsing rules of their own, and SVG and MathML
/// elements that hold HTML. A critique needs none of them; after one, nothing can be checked.
const UNCHECKABLE: &[&str] = &[
    "template",
    "select",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "basefont",
    "bgsound",
    "isindex",
    "keygen",
    "frameset",
    "frame",
    "foreignobject",
    "desc",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "annotation-xml",
];

/// What an [`UNCHECKABLE`] element (or a CDATA section) does to the check.
const UNCHECKABLE_WHY: &str = "is parsed differently by different browsers, so what follows it cannot be checked";

/// The most attributes a tag may have: html5ever compares each new attribute's name with
/// every earlier one (120,000 distinct names in one tag took 10 s).
pub(super) const MAX_ATTRIBUTES: usize = 256;

/// A URL as a finding shows it: its start, if long.
pub(super) fn shown_url(url: &str) -> String {
    let mut chars = url.chars();
    let mut shown: String = chars.by_ref().take(SHOWN_URL_CHARS).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

/// Calls `found` with the byte offset in `html` and the kind of everything in it that could
/// run script.
pub(super) fn scan(html: &str, found: &mut impl FnMut(usize, RawHazard)) {
    scan_in(html, 0, 0, found);
}

/// How deep the scan reads markup inside attribute values: quotes of two kinds nest no
/// deeper than this, and the bound keeps the scan linear.
const MAX_VALUE_DEPTH: usize = 4;

/// [`scan`] of `html`, which starts at offset `base` of what is scanned and lies `depth`
/// attribute values deep.
fn scan_in(html: &str, base: usize, depth: usize, found: &mut dyn FnMut(usize, RawHazard)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        let rest = &html[lt + 1..];
        // Inside a comment, a declaration or an end tag, whatever looks like a tag is read
        // too: a browser may end a comment early (`<!-->`, `--!>`), and what is in one costs
        // nothing to clean.
        i = if rest.len() >= 8 && rest.as_bytes()[..8].eq_ignore_ascii_case(b"![cdata[") {
            found(base + lt, RawHazard::Element { name: "![CDATA[".into(), why: UNCHECKABLE_WHY });
            lt + 2
        } else if rest.starts_with(['!', '?', '/']) {
            lt + 2
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (name, end) = start_tag(html, lt, base, depth, found);
            if name == "script" {
                found(base + lt, RawHazard::Script);
            }
            end
        } else {
            lt + 1
        };
    }
}

/// Reads the start tag at `lt` (`<` then a letter): reports its attributes, and the markup
/// inside their values (where a browser that reads the tag as text, in `<xmp>` or a CDATA
/// section, finds it); returns its name (lowercased) and the offset after it.
fn start_tag(
    html: &str,
    lt: usize,
    base: usize,
    depth: usize,
    found: &mut dyn FnMut(usize, RawHazard),
) -> (String, usize) {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = lt + 1;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[lt + 1..i].to_ascii_lowercase();
    let mut attributes: Vec<(String, &str)> = Vec::new();
    let mut count = 0;
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            let attribute = |wanted: &str| attributes.iter().find(|(n, _)| n == wanted).map(|(_, v)| *v);
            if let Some(why) = element_hazard(&name, attribute) {
                found(base + lt, RawHazard::Element { name: name.clone(), why });
            }
            return (name, (i + 1).min(bytes.len()));
        }
        let attribute_start = i;
        count += 1;
        if count == MAX_ATTRIBUTES + 1 {
            found(base + lt, RawHazard::TooLarge);
        }
        // A name runs to white space, `/`, `>` or `=` (a leading `=` belongs to it).
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute = html[attribute_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let mut value = None;
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            let (start, text, after) = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[j + 1..]) {
                    Some(end) => (j + 1, &html[j + 1..j + 1 + end], j + 1 + end + 1),
                    None => (j + 1, &html[j + 1..], bytes.len()),
                },
                _ => {
                    let end = bytes[j..].iter().position(|&b| is_space(b) || b == b'>').map_or(bytes.len(), |p| j + p);
                    (j, &html[j..end], end)
                }
            };
            if depth < MAX_VALUE_DEPTH && text.contains('<') {
                scan_in(text, base + start, depth + 1, found);
            }
            value = Some(text);
            i = after;
        }
        if is_script_attribute(&attribute) {
            found(base + attribute_start, RawHazard::ScriptAttribute { name: attribute.clone() });
        } else if let Some(value) = value {
            let url = decode_references(value);
            if is_unsafe_url_attribute(&attribute, &url) {
                found(base + attribute_start, RawHazard::UnsafeUrl { name: attribute.clone(), url: shown_url(&url) });
            }
        }
        // Only the few attributes an element hazard looks at are kept.
        if matches!(attribute.as_str(), "http-equiv" | "attributename") {
            attributes.push((attribute, value.unwrap_or("")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<(usize, RawHazard)> {
        let mut out = Vec::new();
        scan(html, &mut |at, hazard| out.push((at, hazard)));
        out
    }

    fn handler(name: &str) -> RawHazard {
        RawHazard::ScriptAttribute { name: name.into() }
    }

    fn url(name: &str, url: &str) -> RawHazard {
        RawHazard::UnsafeUrl { name: name.into(), url: url.into() }
    }

    #[test]
    fn finds_scripts_handlers_and_unsafe_urls() {
        assert_eq!(found("<p>a</p><SCRIPT src=x.js></script>"), [(8, RawHazard::Script)]);
        assert_eq!(found("<img src=x onerror=alert(1)>"), [(11, handler("onerror"))]);
        assert_eq!(found("<a\nOnClick = 'x'>"), [(3, handler("onclick"))]);
        assert_eq!(found("<iframe srcdoc=\"&lt;script&gt;\"></iframe>"), [(8, handler("srcdoc"))]);
        assert_eq!(found("<a href=\"javascript:alert(1)\">x</a>"), [(3, url("href", "javascript:alert(1)"))]);
        assert_eq!(found("<p><button formaction=JaVaScRiPt:x>"), [(11, url("formaction", "JaVaScRiPt:x"))]);
        assert_eq!(found("<svg><a xlink:href='data:text/html,x'>"), [(8, url("xlink:href", "data:text/html,x"))]);
        assert_eq!(found("<object data=\"vbscript:x\">"), [(8, url("data", "vbscript:x"))]);
    }

    #[test]
    fn references_and_spacing_do_not_hide_a_scheme() {
        let decoded = "javascript:x";
        for value in ["&#106;avascript:x", "&#x6A;avascript:x", "&#106avascript:x", "javascript&colon;x"] {
            assert_eq!(found(&format!("<a href=\"{value}\">")), [(3, url("href", decoded))], "{value}");
        }
        assert_eq!(found("<a href=\"java&Tab;script:x\">"), [(3, url("href", "java\tscript:x"))]);
        assert_eq!(found("<a href=' &#10;javascript:x'>"), [(3, url("href", " \njavascript:x"))]);
    }

    #[test]
    fn safe_markup_text_and_comments_find_nothing() {
        for html in [
            "<a href=\"https://e.org\" title=\"onclick\">x</a>",
            "<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
            "<details open><summary>s</summary></details>",
            "<p>1 < 2</p>",
            "</a onclick=x>",
            "<a href=/x>x</a> a < b",
            "<style>a[onclick=x] { color: red }</style><p>",
        ] {
            assert_eq!(found(html), [], "{html}");
        }
        assert_eq!(found("<a href=\"data:image/png,x\">"), [(3, url("href", "data:image/png,x"))], "a data: link");
    }

    #[test]
    fn reads_generously_and_unclosed_input_ends() {
        // The browser's reading decides what counts; the scan only has to find each place.
        assert_eq!(
            found("<script>var a = '<img onerror=x>';</script><b onclick=y>"),
            [(0, RawHazard::Script), (22, handler("onerror")), (46, handler("onclick"))]
        );
        assert_eq!(found("<!--><img src=x onerror=a>-->"), [(16, handler("onerror"))]);
        assert_eq!(found("<!-- <script>old()</script> -->"), [(5, RawHazard::Script)]);
        // Markup inside a value, which a browser reading the tag as text (in `<xmp>`) finds.
        assert_eq!(found("<b title='</xmp><img onerror=a>'>"), [(21, handler("onerror"))]);
        assert_eq!(found("<b title=<img/src/onerror=a>"), [(18, handler("onerror"))]);
        assert_eq!(found("<!-- --!><img src=x onerror=a>"), [(20, handler("onerror"))]);
        assert_eq!(found("<svg><title><img onerror=a></title>"), [(17, handler("onerror"))]);
        let base = RawHazard::Element { name: "base".into(), why: "re-points every relative link of the page" };
        assert_eq!(found("<svg><desc></desc></svg>").len(), 1, "an element that holds HTML in SVG");
        assert_eq!(found("x <![CDATA[ y ]]>").len(), 1, "a CDATA section");
        let many: String = (0..=MAX_ATTRIBUTES).map(|i| format!(" a{i}")).collect();
        assert_eq!(found(&format!("<b{many}>")), [(0, RawHazard::TooLarge)]);
        assert_eq!(found("<base href=/x>"), [(0, base)]);
        assert_eq!(found("<set attributeName=href to=x>").len(), 1);
        assert_eq!(found("<meta http-equiv=refresh content=0>").len(), 1);
        assert_eq!(found("<meta name=viewport>"), []);
        for html in ["<a href=\"javascript:x", "<a", "<!--", "<script>", "<a b='", "&#"] {
            let _ = found(html);
        }
        assert_eq!(decode_references("a&#99999999999;b&#;&bogus;"), "a\u{fffd}b&#;&bogus;");
        assert_eq!(decode_references("javascript&#000000058;x&#x00000006a;"), "javascript:xj");
    }
}
