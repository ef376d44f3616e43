//! Bounds on the Markdown structure a text may hold, checked before the parser sees it.
//!
//! pulldown-cmark builds a tree of the whole text before its first event, of about one node
//! per line end and per punctuation mark (`*`, `_`, `[`, `<`, a smart quote…) outside code,
//! at 50 to 140 bytes a node: 8 MB of short lines or of `[` take 400 to 550 MB and 1 to 4 s
//! in the parser alone. Its work per line also grows with the depth of the block quotes and
//! list items still open (a line continuing a paragraph lazily is checked against each), so
//! `- - - - … x` followed by many lines takes time quadratic in the text. Fenced code costs
//! it almost nothing whatever it holds.
//!
//! So a text may hold at most [`MAX_MARKS`] marks and nest containers at most [`MAX_DEPTH`]
//! deep, both counted outside fenced code blocks. Which lines are fenced code is first guessed
//! line by line, then confirmed by the parser itself on the text with each guessed block's
//! content replaced by one line (a text the bounds already hold for): a guessed block counts as
//! code only where the parser opens a fenced block on the guessed opening line, outside every
//! container. Inside such a block the parser only looks for a closing fence, and every line that
//! could close one ends the guess, so the block holds the same lines in the whole text.

use std::ops::Range;

use super::fences::{confirm, guess_fenced_code, lines};

/// The most line ends and Markdown punctuation marks a text may hold outside fenced code
/// blocks: what keeps the parser's tree within about 50 MB (plus as much again while it
/// grows), while the longest review written in earnest stays well within it (a megabyte of the
/// example site's reviews holds 40,000 to 56,000).
pub const MAX_MARKS: usize = 500_000;

/// The deepest that block quotes and list items may nest.
pub const MAX_DEPTH: usize = 32;

/// What a heading counts for beyond its marks: its HTML (an id, a self-link) is about a
/// hundred bytes, whatever its text; so a body holds at most about 30,000 headings.
const HEADING_MARKS: usize = 16;

/// Bytes the parser may make a node of: line ends, and the punctuation it looks at with the
/// options [`super::parser_options`] sets (tables `|`, strikethrough `~`, smart punctuation
/// `.`, `-`, `"` and `'`).
const MARKS: &[u8] = b"\n\r*_&\\[]<!`|~.-\"'";

/// Why a text was not rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StructureError {
    /// Too many marks; the position of the first past the limit.
    #[error(
        "more Markdown structure than a text may hold: over {MAX_MARKS} line ends and punctuation marks \
         (`*`, `_`, `[`, `<`, `` ` ``, `|`, quotes…) outside fenced code blocks"
    )]
    TooManyMarks {
        /// 1-based line in the text.
        line: usize,
        /// 1-based column, in characters.
        col: usize,
    },
    /// Containers nested too deep; the position of the marker one level too deep.
    #[error("blocks nested more than {MAX_DEPTH} deep (block quotes and list items within each other)")]
    TooDeep {
        /// 1-based line in the text.
        line: usize,
        /// 1-based column, in characters.
        col: usize,
    },
}

impl StructureError {
    /// 1-based line and column in the text.
    pub fn position(&self) -> (usize, usize) {
        match *self {
            Self::TooManyMarks { line, col } | Self::TooDeep { line, col } => (line, col),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::TooManyMarks { .. } => {
                "split the text into several reviews or pages, or put long data in a fenced code block"
            }
            Self::TooDeep { .. } => "flatten the nesting, or put the text in a fenced code block",
        }
    }
}

/// Checks that `text` is within the bounds; returns how many marks it holds outside fenced
/// code, so that a caller can bound the texts of one file together.
pub fn check(text: &str) -> Result<usize, StructureError> {
    let first = match scan(text, &[]) {
        Ok(marks) => return Ok(marks),
        Err(error) => error,
    };
    // Over a bound counting everything: perhaps because of what fenced code holds.
    let guessed = guess_fenced_code(text);
    if guessed.is_empty() {
        return Err(first);
    }
    // The parser is only given a text the bounds hold for: with each guess as one line.
    scan(text, &guessed)?;
    let confirmed = confirm(text, &guessed);
    scan(text, &confirmed)
}

/// Counts the marks of `text` and the depth of its containers, leaving out the byte ranges
/// in `skipped` (whole lines, in order), each of which counts as one line holding `x`.
fn scan(text: &str, skipped: &[Range<usize>]) -> Result<usize, StructureError> {
    let bytes = text.as_bytes();
    let mut is_mark = [false; 256];
    for &b in MARKS {
        is_mark[usize::from(b)] = true;
    }
    let mut marks = 0usize;
    let mut depth = Depth::default();
    let mut table = Table::default();
    let mut skipped = skipped.iter().peekable();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(skip) = skipped.next_if(|s| s.start <= at) {
            // The line `x` a skipped block stands for: one line end.
            marks += 1;
            at = skip.end.max(at);
            continue;
        }
        let Some((range, next)) = lines(&text[at..]).next() else { break };
        let (range, next) = (at + range.start..at + range.end, at + next);
        let line = &bytes[range.clone()];
        let content = match depth.line(line) {
            Ok(prefix) => &line[prefix..],
            Err(i) => {
                let (line, col) = place(text, range.start + i);
                return Err(StructureError::TooDeep { line, col });
            }
        };
        let extra = table.line(content) + if is_heading(content) { HEADING_MARKS } else { 0 };
        let own = &bytes[range.start..next];
        let line_marks = extra + own.iter().filter(|&&b| is_mark[usize::from(b)]).count();
        if marks + line_marks > MAX_MARKS {
            let over = match (MAX_MARKS - marks).checked_sub(extra) {
                Some(left) => own.iter().enumerate().filter(|&(_, &b)| is_mark[usize::from(b)]).nth(left),
                None => None,
            };
            let (line, col) = place(text, range.start + over.map_or(0, |(i, _)| i));
            return Err(StructureError::TooManyMarks { line, col });
        }
        marks += line_marks;
        at = next;
    }
    Ok(marks)
}

/// The 1-based line (counted by `\n`, as editors count) and column in characters of a byte
/// offset at a character boundary; found once, for the one error a text gets.
fn place(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.bytes().filter(|&b| b == b'\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// An upper bound on the containers open at each line, from the markers that open them: a
/// block quote's `>` (one column), a list item's marker (at least two columns, with its space).
/// The list items that may still be open are kept by the least column their content can
/// start at: a marker left of that column cannot be inside the item, so the item is dropped;
/// nothing else drops one, so no item really open is ever forgotten.
#[derive(Default)]
struct Depth {
    /// The least content column of each list item that may be open, innermost last.
    items: Vec<usize>,
}

impl Depth {
    /// Reads a line's leading markers: where they (and the white space among them) end, or
    /// the byte offset of the marker that goes too deep.
    fn line(&mut self, line: &[u8]) -> Result<usize, usize> {
        let mut col = 0;
        let mut quotes = 0;
        let mut i = 0;
        while i < line.len() {
            let b = line[i];
            let marker_end = match b {
                b' ' => {
                    col += 1;
                    i += 1;
                    continue;
                }
                b'\t' => {
                    col = (col / 4 + 1) * 4;
                    i += 1;
                    continue;
                }
                b'>' => {
                    quotes += 1;
                    if quotes + self.items.len() > MAX_DEPTH {
                        return Err(i);
                    }
                    col += 1;
                    i += 1;
                    continue;
                }
                b'-' | b'+' | b'*' => i + 1,
                b'0'..=b'9' => {
                    let digits = line[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    match line.get(i + digits) {
                        Some(b'.' | b')') => i + digits + 1,
                        _ => break,
                    }
                }
                _ => break,
            };
            // A marker is followed by white space or the line's end.
            if !matches!(line.get(marker_end), None | Some(b' ' | b'\t')) {
                break;
            }
            let width = marker_end - i;
            while self.items.last().is_some_and(|&content| content > col) {
                self.items.pop();
            }
            self.items.push(col + width + 1);
            if quotes + self.items.len() > MAX_DEPTH {
                return Err(i);
            }
            col += width;
            i = marker_end;
        }
        Ok(i)
    }
}

/// Whether a line (after its containers' markers) may be a heading: `#` first, or a setext
/// underline of `=` or `-` alone.
fn is_heading(content: &[u8]) -> bool {
    let trimmed = content.trim_ascii();
    content.first() == Some(&b'#')
        || (!trimmed.is_empty() && (trimmed.iter().all(|&b| b == b'=') || trimmed.iter().all(|&b| b == b'-')))
}

/// The cells a table will have: the parser gives every row as many cells as the table's
/// delimiter row has columns (up to 262,144 added a table), so a wide table of short rows makes
/// far more HTML than its text (2 MB of text, 950 MB of HTML). Any line of `|`, `-`, `:` and
/// spaces with a `-` and a `|` is taken for a delimiter row, and every line after it up to a
/// blank one for a row of the table.
#[derive(Default)]
struct Table {
    /// The columns of the table being read, if any.
    columns: Option<usize>,
}

impl Table {
    /// The marks a line adds as part of a table: its cells (a delimiter row adds its header's).
    fn line(&mut self, content: &[u8]) -> usize {
        let delimiter = content.contains(&b'|')
            && content.contains(&b'-')
            && content.iter().all(|&b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
        if delimiter {
            let columns = content.iter().filter(|&&b| b == b'|').count() + 1;
            self.columns = Some(columns);
            return columns;
        }
        match self.columns {
            Some(_) if content.iter().all(|&b| b == b' ' || b == b'\t') => {
                self.columns = None;
                0
            }
            Some(columns) => columns,
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_within_bounds() {
        let text = "# T\n\nSome *text*, a [link](/x/) and `code`.\n\n- a\n  - b\n    > c\n";
        assert_eq!(check(text), Ok(text.bytes().filter(|b| MARKS.contains(b)).count() + HEADING_MARKS));
    }

    #[test]
    fn too_many_marks_are_placed_at_the_first_past_the_limit() {
        let text = format!("{}\n{}", "x\n".repeat(10), "[".repeat(MAX_MARKS));
        // Eleven line ends before line 12, so its `[` at column MAX_MARKS - 10 is one too many.
        assert_eq!(check(&text), Err(StructureError::TooManyMarks { line: 12, col: MAX_MARKS - 10 }));
    }

    #[test]
    fn headings_and_table_cells_count_for_the_html_they_make() {
        let n = MAX_MARKS / (HEADING_MARKS + 1);
        assert!(check(&"#\n".repeat(n)).is_ok());
        assert!(
            matches!(check(&"#\n".repeat(n + 1)), Err(StructureError::TooManyMarks { line, col: 1 }) if line == n + 1)
        );
        assert_eq!(check("Title\n=====\n> ## Quoted\n"), Ok(3 + 2 * HEADING_MARKS));
        // A table 1,000 columns wide (counted as 1,002: a column more than its pipes): each
        // short row is as many cells.
        let table = format!("{}|\n{}|\n{}", "|a".repeat(1000), "|-".repeat(1000), "x\n".repeat(300));
        let (header, delimiter, row) = (1001 + 1, 1001 + 1000 + 1 + 1002, 1 + 1002);
        assert_eq!(check(&table), Ok(header + delimiter + 300 * row));
        let ended = format!("{table}\n{}", "x\n".repeat(2000));
        assert_eq!(check(&ended), Ok(header + delimiter + 300 * row + 1 + 2000), "a blank line ends it");
    }

    #[test]
    fn nesting_is_bounded_on_one_line_and_across_lines() {
        let one_line = format!("{}x\n", "- ".repeat(MAX_DEPTH + 5));
        assert_eq!(check(&one_line), Err(StructureError::TooDeep { line: 1, col: 2 * MAX_DEPTH + 1 }));
        let quotes = format!("{}x\n", ">".repeat(MAX_DEPTH + 1));
        assert_eq!(check(&quotes), Err(StructureError::TooDeep { line: 1, col: MAX_DEPTH + 1 }));
        let indented: String = (0..=MAX_DEPTH).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert_eq!(check(&indented), Err(StructureError::TooDeep { line: MAX_DEPTH + 1, col: 2 * MAX_DEPTH + 1 }));
    }

    #[test]
    fn long_flat_lists_and_quotes_are_not_deep() {
        let flat = "- a\n  - b\n- c\n> d\n> - e\n".repeat(10_000);
        assert!(check(&flat).is_ok());
        let mixed: String = (0..MAX_DEPTH / 2).map(|i| format!("{}> - x\n", "  ".repeat(i))).collect();
        assert!(check(&mixed).is_ok(), "{:?}", check(&mixed));
    }

    #[test]
    fn fenced_code_does_not_count_once_the_parser_confirms_it() {
        let code = "[(x)]\n".repeat(MAX_MARKS / 2);
        let text = format!("Intro.\n\n```rust\n{code}```\n\nAfter.\n");
        // `Intro.` 2, the blank line 1, the fences 4 each, the block as one line 1, the blank
        // line 1, `After.` 2.
        assert_eq!(check(&text), Ok(15));
        // Deep indentation in code is not nesting.
        let yaml: String = (0..100).map(|i| format!("{}- k\n", "  ".repeat(i))).collect();
        assert!(check(&format!("~~~yaml\n{yaml}~~~\n")).is_ok());
    }

    #[test]
    fn what_only_looks_like_fenced_code_counts() {
        let brackets = "[".repeat(MAX_MARKS);
        // In an HTML block up to the blank line, then a paragraph: not code.
        let text = format!("<div>\n```\n\n{brackets}\n```\n");
        assert!(matches!(check(&text), Err(StructureError::TooManyMarks { line: 4, .. })), "{:?}", check(&text));
        // In a list item: the item, and the block, end at the unindented line.
        let text = format!("- a\n  ```\n{brackets}\n  ```\n");
        assert!(matches!(check(&text), Err(StructureError::TooManyMarks { line: 3, .. })));
        // Closed by a longer fence of the same character, or left open to the end.
        let text = format!("````\n{brackets}\n`````\n");
        assert!(check(&text).is_ok());
        let text = format!("```\n{brackets}\n");
        assert!(check(&text).is_ok());
        // A backtick in the info string: no fence.
        let text = format!("``` a`b\n{brackets}\n```\n");
        assert!(check(&text).is_err());
    }
}
