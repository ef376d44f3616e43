//! Text fields: the control characters no page, feed or data file may carry, found the same
//! way in a whole file and in a value decoded from an escape, and the one form of a field
//! that must stay on one line.

use std::path::Path;

use crate::diagnostic::{Diagnostic, line_col};

/// Whether `c` is a control character that text may not hold wherever it is: C0 controls
/// but tab, line feed and carriage return (which [`find_control`] allows only before a line
/// feed), DEL, the C1 controls U+0080–U+009F, and U+FFFE/U+FFFF, which XML forbids.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// The byte offset and character of the first control character of `text` that is not a
/// tab, a line feed or a carriage return ending a line (`\r\n`), if any. One pass over the
/// bytes: every character it looks for starts with a byte it can tell at once.
pub fn find_control(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let bad = match b {
            b'\t' | b'\n' => false,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            0..0x20 | 0x7f => true,
            // U+0080–U+009F are C2 80–C2 9F; U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)),
            0xef => bytes.get(i + 1) == Some(&0xbf) && bytes.get(i + 2).is_some_and(|n| *n >= 0xbe),
            _ => false,
        };
        if bad {
            return text[i..].chars().next().map(|c| (i, c));
        }
        i += 1;
    }
    None
}

/// The character as a message names it (`U+0007`, `U+000D (carriage return)`).
pub fn describe(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// An error at the first control character of `text` (the whole file at `path`), if any.
pub fn check_file(text: &str, path: &Path) -> Result<(), Diagnostic> {
    let Some((offset, c)) = find_control(text) else { return Ok(()) };
    let (line, col) = line_col(text, offset);
    let (message, hint) = if c == '\r' {
        (
            "carriage return (U+000D) not followed by a line feed: expected line breaks as `\\n` or `\\r\\n`"
                .to_string(),
            "save the file with Unix (LF) or Windows (CRLF) line endings",
        )
    } else {
        (
            format!(
                "control character {} in the text: expected printable text (tabs and line breaks allowed)",
                describe(c)
            ),
            "delete it: most editors do not show it",
        )
    };
    Err(Diagnostic::at(path, line, col, message).with_hint(hint))
}

/// The error for a control character that an escape put into `value`, the value (or the
/// name) of `key`, at `line:col` of `path`.
pub fn escaped_control(path: &Path, line: usize, col: usize, key: &str, value: &str) -> Diagnostic {
    let c = find_control(value).map_or('\0', |(_, c)| c);
    let message = format!(
        "control character {} in `{key}`, written as an escape: expected printable text (tabs and line breaks allowed)",
        describe(c)
    );
    Diagnostic::at(path, line, col, message).with_hint("remove the escape sequence that writes it")
}

/// A single-line field (a title, a name, an author, a tag, a label) as every output shows
/// it: its lines joined by one space, without white space around them, as a browser shows
/// a title written on several lines. YAML block scalars (`title: |`) and `\n` escapes can
/// put line breaks there; this keeps them out of `<title>`, feeds and `llms.txt`.
pub fn one_line(text: String) -> String {
    if !text.contains(['\n', '\r']) && text.trim().len() == text.len() {
        return text;
    }
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The text of rendered HTML: tags dropped, the few entities Markdown produces decoded,
/// whitespace collapsed to single spaces. Block ends become spaces so that words of
/// adjacent paragraphs do not run together.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        push_collapsed(&mut out, &rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end = memchr::memchr(b'>', rest.as_bytes()).map_or(rest.len(), |e| e + 1);
            if !is_inline_tag(&rest[..end]) {
                push_collapsed(&mut out, " ");
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = entity(rest);
            push_collapsed(&mut out, decoded.encode_utf8(&mut [0; 4]));
            rest = &rest[used..];
        }
    }
    push_collapsed(&mut out, rest);
    out.truncate(out.trim_end().len());
    out
}

/// Tags inside a run of text, which must not split a word.
fn is_inline_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches(['<', '/']).split([' ', '>', '/']).next().unwrap_or_default();
    matches!(name, "a" | "em" | "strong" | "code" | "span" | "del" | "sup" | "sub" | "mark" | "abbr" | "b" | "i" | "s")
}

/// Appends `text` with each run of whitespace as one space (none at the start of `out`).
/// Whole words are copied at once, and only non-ASCII characters are decoded (to ask whether
/// they are white space).
fn push_collapsed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b if b.is_ascii() => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            // `i` is always at a character's start: it moves by whole characters.
            _ => text[i..].chars().next().map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        if space {
            if let Some(start) = word.take() {
                out.push_str(&text[start..i]);
            }
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if word.is_none() {
            word = Some(i);
        }
        i += len;
    }
    if let Some(start) = word {
        out.push_str(&text[start..]);
    }
}

/// The character an entity at the start of `text` stands for, and its length; an unknown
/// or unterminated `&` stands for itself.
fn entity(text: &str) -> (char, usize) {
    let Some(end) = text.bytes().take(12).position(|b| b == b';') else {
        return ('&', 1);
    };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32),
    };
    decoded.map_or(('&', 1), |c| (c, end + 1))
}

/// The first `max_chars` characters of `text`, cut after a whole word when one ends in the
/// second half, with `…` when cut.
pub fn cut_at_word(text: &str, max_chars: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text.to_string();
    };
    let head = &text[..cut];
    let end = head.rfind(char::is_whitespace).filter(|&i| i > cut / 2).unwrap_or(cut);
    format!("{}…", head[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let html = "<h2 id=\"a\">Cost<a class=\"anchor\" href=\"#a\">#</a></h2>\n<p>Fees &amp; <em>hidden</em> co<strong>sts</strong>&#39;s &lt;3 &bogus; &#x1F600;</p><ul><li>one</li><li>two</li></ul>";
        assert_eq!(plain_text(html), "Cost# Fees & hidden costs's <3 &bogus; 😀 one two");
        assert_eq!(plain_text("<p>a</p>\n\n<p>b</p>"), "a b");
        assert_eq!(plain_text("x &"), "x &");
    }

    #[test]
    fn whitespace_runs_collapse_to_one_space_whatever_the_characters() {
        // What splitting on `char::is_whitespace` gives, the slow way.
        let expected = |out: &str, text: &str| {
            let mut out = out.to_string();
            for (i, part) in text.split(char::is_whitespace).enumerate() {
                if i > 0 && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(part);
            }
            out
        };
        let pieces =
            ["a", "bc", " ", "\t", "\n\n", "\u{0b}", "\u{a0}", "\u{2003}", "é", "—", "😀", "\u{3000}", "x\u{85}y"];
        for out in ["", "w", "w "] {
            for a in pieces {
                for b in pieces {
                    for c in pieces {
                        let text = format!("{a}{b}{c}");
                        let mut got = out.to_string();
                        push_collapsed(&mut got, &text);
                        assert_eq!(got, expected(out, &text), "{out:?} + {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn finds_every_control_character_and_no_other() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let text = format!("ab{c}");
            // A carriage return is a control only when no line feed follows, as here.
            let expected = is_control(c) || c == '\r';
            assert_eq!(find_control(&text), expected.then_some((2, c)), "U+{:04X}", u32::from(c));
        }
        for allowed in ['\t', '\n', '\u{a0}', '\u{fffd}', '\u{2028}', 'é'] {
            assert!(!is_control(allowed), "{allowed:?}");
        }
    }

    #[test]
    fn a_carriage_return_is_allowed_only_before_a_line_feed() {
        assert_eq!(find_control("a\r\nb\r\n"), None);
        assert_eq!(find_control("a\rb"), Some((1, '\r')));
        assert_eq!(find_control("a\r"), Some((1, '\r')));
        assert_eq!(find_control("é\u{85}"), Some((2, '\u{85}')), "a C1 control after a multi-byte character");
    }

    #[test]
    fn errors_are_at_the_character() {
        let e = check_file("---\ntitle: a\u{7}b\n", Path::new("a.md")).expect_err("BEL");
        assert_eq!((e.line, e.col), (2, 9));
        assert!(e.message.contains("U+0007"), "{}", e.message);
        let e = check_file("a\r\nb\rc", Path::new("a.md")).expect_err("lone CR");
        assert_eq!((e.line, e.col), (2, 2));
        assert!(check_file("a\r\n\tb\n", Path::new("a.md")).is_ok());
    }

    #[test]
    fn single_line_fields_join_their_lines() {
        assert_eq!(one_line("A title".into()), "A title");
        assert_eq!(one_line("  A\n  title \r\n\n".into()), "A title");
        assert_eq!(one_line("tab\tkept".into()), "tab\tkept");
        assert_eq!(one_line("\n".into()), "");
    }
}
