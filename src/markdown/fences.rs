//! Fenced code as the bounds on Markdown structure see it ([`super::limits`]): guessed line
//! by line, then confirmed by the parser on the text with each guessed block's content replaced
//! by one line.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// The lines of `text` as CommonMark reads them (a line ends at `\n`, `\r\n` or `\r`): each
/// line's range, without its ending, and where the next line starts.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let (end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(i) => {
                let end = start + i;
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                (end, end + if crlf { 2 } else { 1 })
            }
            None => (bytes.len(), bytes.len()),
        };
        let line = (start..end, next);
        start = next;
        Some(line)
    })
}

/// The content of what look like fenced code blocks: the lines after an opening fence (up to
/// three spaces, then three or more `` ` `` or `~`, and for backticks no backtick after) up to
/// the first line that could close it (any indent, then at least as many of the same
/// character), or to the end. Blocks with no content are left out.
pub(super) fn guess_fenced_code(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    let mut open: Option<(u8, usize, usize)> = None;
    for (range, next) in lines(text) {
        let line = &bytes[range.clone()];
        match open {
            None => {
                let indent = line.iter().take_while(|&&b| b == b' ').count();
                let Some(&fence) = line.get(indent).filter(|&&b| b == b'`' || b == b'~') else { continue };
                let run = line[indent..].iter().take_while(|&&b| b == fence).count();
                let info = &line[indent + run..];
                // A `|` might make the line a table's header instead: no guess.
                if indent <= 3 && run >= 3 && !(fence == b'`' && info.contains(&b'`')) && !info.contains(&b'|') {
                    open = Some((fence, run, next));
                }
            }
            Some((fence, run, content_start)) => {
                let trimmed = line.iter().position(|&b| b != b' ' && b != b'\t').map_or(&[][..], |i| &line[i..]);
                if trimmed.iter().take_while(|&&b| b == fence).count() >= run {
                    if range.start > content_start {
                        blocks.push(content_start..range.start);
                    }
                    open = None;
                }
            }
        }
    }
    if let Some((_, _, content_start)) = open
        && content_start < bytes.len()
    {
        blocks.push(content_start..bytes.len());
    }
    blocks
}

/// The guessed blocks the parser confirms: `text` with each guess's content replaced by the
/// line `x` is parsed, and a guess holds when a fenced code block outside every container
/// starts on its opening line and holds its `x`.
pub(super) fn confirm(text: &str, guessed: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut skeleton = String::with_capacity(text.len().min(64 * 1024));
    // Per guess: the skeleton's range of the line before its content (the opening fence),
    // and the offset of its `x`.
    let mut places = Vec::with_capacity(guessed.len());
    let mut copied = 0;
    for block in guessed {
        skeleton.push_str(&text[copied..block.start]);
        let opening_start = skeleton[..skeleton.len().saturating_sub(1)].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        places.push((opening_start..skeleton.len(), skeleton.len()));
        skeleton.push_str("x\n");
        copied = block.end;
    }
    skeleton.push_str(&text[copied..]);
    let mut confirmed = Vec::new();
    let mut next = 0;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(&skeleton, super::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if depth == 0 => {
                while places.get(next).is_some_and(|(opening, _)| opening.end <= range.start) {
                    next += 1;
                }
                if let Some((opening, x)) = places.get(next)
                    && opening.contains(&range.start)
                    && range.contains(x)
                {
                    confirmed.push(guessed[next].clone());
                    next += 1;
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    confirmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_newlines_and_carriage_returns() {
        let found: Vec<&str> = lines("a\r\nb\rc\nd").map(|(r, _)| &"a\r\nb\rc\nd"[r]).collect();
        assert_eq!(found, ["a", "b", "c", "d"]);
    }

    #[test]
    fn guesses_run_to_the_first_line_that_could_close_them() {
        let text = "```rust\na\n  ```` x\nb\n~~~\nc\n~~~~\n";
        let guessed: Vec<&str> = guess_fenced_code(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(guessed, ["a\n", "c\n"]);
        assert_eq!(confirm(text, &guess_fenced_code(text)).len(), 1, "the ```` line with text after it closes nothing");
    }
}
