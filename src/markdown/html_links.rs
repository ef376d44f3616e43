//! The `href` and `src` values of raw HTML's start tags (`<a href="/projects/x/">`, `<img
//! src="/img/c.png">` in a `<figure>`), found at their offsets, so that they follow the base
//! path and are link-checked as Markdown's links are.

use std::ops::Range;

/// The byte ranges, in `html`, of the values of every `href` and `src` attribute of its start
/// tags (quoted or not; an empty value has none).
pub(super) fn url_values(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut found = Vec::new();
    let mut i = 0;
    let after = |from: usize, needle: &[u8]| {
        memchr::memmem::find(&bytes[from..], needle).map_or(bytes.len(), |p| from + p + needle.len())
    };
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        i = lt + 1;
        if bytes[i..].starts_with(b"!--") {
            // A comment's links are not links.
            i = after(i + 3, b"-->");
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
            i += 1;
        }
        let name = &html[lt + 1..i];
        // What a script or style holds is not markup.
        let raw_text_end: Option<&[u8]> = if name.eq_ignore_ascii_case("script") {
            Some(b"</script")
        } else if name.eq_ignore_ascii_case("style") {
            Some(b"</style")
        } else {
            None
        };
        loop {
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                if let Some(end) = raw_text_end {
                    i = find_ignoring_case(bytes, i, end);
                }
                break;
            }
            let name_start = i;
            i += 1;
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let name = &html[name_start..i];
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let value = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                    let value = i + 1..end;
                    i = (end + 1).min(bytes.len());
                    value
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    start..i
                }
            };
            if (name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src")) && !value.is_empty() {
                found.push(value);
            }
        }
    }
    found
}

/// The offset of `needle` (ASCII, lowercase) in `bytes` from `from` on, in any case; the end
/// when it is not there.
fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let Some(&first) = needle.first() else { return from };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &bytes[from..])
        .map(|p| from + p)
        .find(|&at| bytes.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)))
        .unwrap_or(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(html: &str) -> Vec<&str> {
        url_values(html).into_iter().map(|r| &html[r]).collect()
    }

    #[test]
    fn finds_href_and_src_however_quoted() {
        assert_eq!(values(r#"<a href="/projects/x/">x</a>"#), ["/projects/x/"]);
        assert_eq!(values(r#"<figure><img alt="a>b" SRC='/img/c.png'></figure>"#), ["/img/c.png"]);
        assert_eq!(values("<a title=x href=/y/ class=z>"), ["/y/"]);
        assert_eq!(values(r#"<a data-href="/no/" href = "/yes/">"#), ["/yes/"]);
        assert_eq!(values("</a> < a href=x> <a href=\"\">"), Vec::<&str>::new());
        assert_eq!(values(r#"<a href="/open"#), ["/open"], "an unclosed value runs to the end");
        assert_eq!(values(r#"<!-- <a href="/old/"> --><a href="/new/">"#), ["/new/"], "comments hold no links");
        assert_eq!(values(r#"<script>x = '<a href="/no/">'</SCRIPT><img src="/yes.png">"#), ["/yes.png"]);
        assert_eq!(values("<img\n  src=\"/img/c.png\"\n  alt=\"c\">"), ["/img/c.png"], "over lines");
    }
}
