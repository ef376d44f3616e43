//! A small tokenizer over the raw HTML of a Markdown text, enough to find what could run
//! script: `<script>` elements, attributes that hold script (`on…` event handlers, `srcdoc`)
//! and URL attributes whose value is a script or a document (`javascript:`, `vbscript:`,
//! `data:`). One pass, each byte looked at a bounded number of times: it never backs up.

use crate::scheme;

/// What in raw HTML could run script.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
        /// Its value, character references decoded.
        url: String,
    },
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

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"];

/// Whether an attribute of this (lowercased) name holds script or a page of HTML.
pub(super) fn is_script_attribute(name: &str) -> bool {
    (name.len() > 2 && name.starts_with("on")) || name == "srcdoc"
}

/// Whether an attribute of this (lowercased) name is followed or loaded as a URL, and with
/// `value`, could run script.
pub(super) fn is_unsafe_url_attribute(name: &str, value: &str) -> bool {
    URL_ATTRIBUTES.contains(&name) && scheme::is_unsafe(value, IMAGE_ATTRIBUTES.contains(&name))
}

/// Calls `found` with the byte offset in `html` and the kind of everything in it that could
/// run script.
pub(super) fn scan(html: &str, found: &mut impl FnMut(usize, RawHazard)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        let rest = &html[lt + 1..];
        i = if let Some(comment) = rest.strip_prefix("!--") {
            comment.find("-->").map_or(bytes.len(), |end| lt + 4 + end + 3)
        } else if rest.starts_with(['!', '?', '/']) {
            memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |end| lt + end + 1)
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (name, end) = start_tag(html, lt, found);
            if name == "script" {
                found(lt, RawHazard::Script);
            }
            if RAW_TEXT.contains(&name.as_str()) { end_of_raw_text(html, end, &name) } else { end }
        } else {
            lt + 1
        };
    }
}

/// Reads the start tag at `lt` (`<` then a letter): reports its attributes, and returns its
/// name (lowercased) and the offset after it.
fn start_tag(html: &str, lt: usize, found: &mut impl FnMut(usize, RawHazard)) -> (String, usize) {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = lt + 1;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[lt + 1..i].to_ascii_lowercase();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (name, (i + 1).min(bytes.len()));
        }
        let attribute_start = i;
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
            let (text, after) = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[j + 1..]) {
                    Some(end) => (&html[j + 1..j + 1 + end], j + 1 + end + 1),
                    None => (&html[j + 1..], bytes.len()),
                },
                _ => {
                    let end = bytes[j..].iter().position(|&b| is_space(b) || b == b'>').map_or(bytes.len(), |p| j + p);
                    (&html[j..end], end)
                }
            };
            value = Some(text);
            i = after;
        }
        if is_script_attribute(&attribute) {
            found(attribute_start, RawHazard::ScriptAttribute { name: attribute });
        } else if let Some(value) = value {
            let url = decode_references(value);
            if is_unsafe_url_attribute(&attribute, &url) {
                found(attribute_start, RawHazard::UnsafeUrl { name: attribute, url });
            }
        }
    }
}

/// The offset after the end tag `</name` of a raw-text element whose content starts at
/// `from` (or the end of `html`).
fn end_of_raw_text(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        let tag = bytes.get(lt + 2..lt + 2 + name.len());
        if bytes.get(lt + 1) == Some(&b'/') && tag.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes())) {
            return lt;
        }
        i = lt + 1;
    }
    bytes.len()
}

/// An attribute value with its character references decoded as a browser decodes them, as
/// far as they can hide a scheme: numeric ones (`&#106;`, `&#x6A`, the `;` optional) and the
/// named ones for `:`, tab, line feed and the characters around them.
fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        if let Some(number) = rest.strip_prefix('#') {
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
            let code = u32::from_str_radix(&digits[..len.min(8)], radix).ok();
            if len > 0 {
                out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                let consumed = number.len() - digits.len() + len;
                rest = &number[consumed..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else {
            let named =
                [("colon;", ':'), ("Tab;", '\t'), ("NewLine;", '\n'), ("amp;", '&'), ("lpar;", '('), ("rpar;", ')')];
            if let Some((entity, c)) = named.iter().find(|(entity, _)| rest.starts_with(entity)) {
                out.push(*c);
                rest = &rest[entity.len()..];
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(rest);
    out
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
        assert_eq!(found("<form><button formaction=JaVaScRiPt:x>"), [(14, url("formaction", "JaVaScRiPt:x"))]);
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
            "<!-- <script> onclick= -->",
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
    fn script_content_is_not_markup_and_unclosed_input_ends() {
        assert_eq!(
            found("<script>var a = '<img onerror=x>';</script><b onclick=y>"),
            [(0, RawHazard::Script), (46, handler("onclick"))]
        );
        for html in ["<a href=\"javascript:x", "<a", "<!--", "<script>", "<a b='", "&#"] {
            let _ = found(html);
        }
        assert_eq!(decode_references("a&#99999999999;b&#;&bogus;"), "a\u{fffd}b&#;&bogus;");
    }
}
