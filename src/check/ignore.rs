//! A file's own switches: `<!-- critique-ignore: stock-phrase, promotion -->` turns rules off
//! for that file, a prefix such as `promotion` covering every promotion rule, and
//! `<!-- critique-ignore-next: promotion-phrase -->` for the block that follows it only (the
//! lines up to the next blank line). Read once per file, in one pass however many markers,
//! commas and spaces it holds.

use crate::config::RULES;

/// The marker that switches rules off for one file.
const IGNORE_MARKER: &str = "critique-ignore:";
/// The marker that switches rules off for the next block.
const IGNORE_NEXT_MARKER: &str = "critique-ignore-next:";

/// What a file switches off: rules for the whole file, and rules for some of its lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Switches {
    /// Rules off in the whole file.
    file: Vec<&'static str>,
    /// Rules off from a first to a last line (1-based, inclusive).
    blocks: Vec<(Vec<&'static str>, usize, usize)>,
}

impl Switches {
    /// The switches of the file `text`.
    pub(super) fn read(text: &str) -> Self {
        // A marker shown in code (a review explaining the switches) is text, not a switch.
        let text = super::promotion::without_code(text);
        Switches { file: read(&text, IGNORE_MARKER).0, blocks: next_blocks(&text) }
    }

    /// Whether `rule` is off at `line` (0 when the finding has none: only the file's count).
    pub(super) fn ignores(&self, rule: &str, line: usize) -> bool {
        self.file.contains(&rule)
            || self.blocks.iter().any(|(rules, first, last)| (*first..=*last).contains(&line) && rules.contains(&rule))
    }
}

/// The rules of [`RULES`] that `text` switches off for the whole file.
#[cfg(test)]
fn ignored_rules(text: &str) -> Vec<&'static str> {
    read(text, IGNORE_MARKER).0
}

/// Each `critique-ignore-next` marker's rules, with the lines of the block after it: from the
/// first line after the comment that is not blank (or the rest of the comment's own line) to
/// the last before a blank line. A marker inside an earlier one's list or block is part of it.
fn next_blocks(text: &str) -> Vec<(Vec<&'static str>, usize, usize)> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    // Up to where the text was read, and the line there.
    let (mut read_to, mut line) = (0, 1);
    for (at, _) in text.match_indices(IGNORE_NEXT_MARKER) {
        if at < read_to {
            continue;
        }
        let start = at + IGNORE_NEXT_MARKER.len();
        let Some(close) = memchr::memmem::find(&bytes[start..], b"-->").map(|i| start + i) else { break };
        let items: Vec<&str> = text[start..close]
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty() && !i.contains(char::is_whitespace))
            .collect();
        let rules: Vec<&'static str> =
            RULES.iter().copied().filter(|rule| items.iter().any(|item| rule.starts_with(item))).collect();
        line += memchr::memchr_iter(b'\n', &bytes[read_to..close]).count();
        let mut lines = text[close + 3..].split_inclusive('\n');
        let tail = lines.next().unwrap_or_default();
        let (mut n, mut offset) = (line, close + 3 + tail.len());
        let mut block = (!tail.trim().is_empty()).then_some((line, line));
        for l in lines {
            n += 1;
            if !l.trim().is_empty() {
                block = Some((block.map_or(n, |(first, _)| first), n));
            } else if block.is_some() {
                break;
            }
            offset += l.len();
        }
        line += memchr::memchr_iter(b'\n', &bytes[close..offset.min(bytes.len())]).count();
        read_to = offset.min(bytes.len());
        if let Some((first, last)) = block {
            blocks.push((rules, first, last));
        }
    }
    blocks
}

/// The rules `text` switches off with `marker`, and how many bytes were looked at to find them
/// (each byte a bounded number of times).
fn read(text: &str, marker: &str) -> (Vec<&'static str>, usize) {
    let bytes = text.as_bytes();
    // No item longer than the longest rule can be the prefix of one.
    let longest = RULES.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    let mut items: Vec<&str> = Vec::new();
    let mut looked = 0;
    // The list a marker starts ends at the next `-->`: the same for every marker before it.
    let mut list_end = 0;
    // Commas already read, in an earlier marker's list (which ends where this one's does).
    let mut commas_read = 0;
    for (at, _) in text.match_indices(marker) {
        let start = at + marker.len();
        if list_end < start {
            list_end = memchr::memmem::find(&bytes[start..], b"-->").map_or(bytes.len(), |i| start + i);
            looked += list_end - start;
        }
        items.extend(item(&text[start..list_end], longest, &mut looked));
        let from = commas_read.max(start);
        for comma in memchr::memchr_iter(b',', &bytes[from..list_end]) {
            items.extend(item(&text[from + comma + 1..list_end], longest, &mut looked));
        }
        commas_read = commas_read.max(list_end);
    }
    let rules = RULES.iter().copied().filter(|rule| items.iter().any(|item| rule.starts_with(item))).collect();
    (rules, looked)
}

/// The item at the start of `list` (up to its first comma), trimmed, when it could name a
/// rule: not empty, no longer than `longest` characters, without white space inside.
fn item<'t>(list: &'t str, longest: usize, looked: &mut usize) -> Option<&'t str> {
    let rest = list.trim_start();
    *looked += list.len() - rest.len();
    for (i, c) in rest.char_indices() {
        *looked += c.len_utf8();
        if c == ',' {
            return Some(&rest[..i]).filter(|item| !item.is_empty());
        }
        if c.is_whitespace() {
            // Only white space may follow, up to a comma or the list's end.
            let after = rest[i..].trim_start();
            *looked += rest.len() - i - after.len();
            return (after.is_empty() || after.starts_with(',')).then_some(&rest[..i]);
        }
        if i >= longest {
            return None;
        }
    }
    Some(rest).filter(|item| !item.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as first written: every marker's list split at its commas.
    fn ignores_by_splitting(text: &str, rule: &str) -> bool {
        text.match_indices(IGNORE_MARKER).any(|(i, _)| {
            let rest = &text[i + IGNORE_MARKER.len()..];
            let list = rest.split("-->").next().unwrap_or_default();
            list.split(',').map(str::trim).any(|r| !r.is_empty() && rule.starts_with(r))
        })
    }

    #[test]
    fn rules_are_switched_off_by_name_or_prefix() {
        let text = "body\n<!-- critique-ignore: stock-phrase, promotion -->\n";
        assert_eq!(ignored_rules(text), ["promotion-ticker", "promotion-phrase", "promotion-density", "stock-phrase"]);
        assert!(ignored_rules("no marker").is_empty());
        assert!(ignored_rules("<!-- critique-ignore: stock phrase, -->").is_empty(), "a space inside");
    }

    #[test]
    fn ignore_next_covers_the_next_block_only() {
        let text = "intro\n<!-- critique-ignore-next: promotion-phrase -->\n\nquoted one\nquoted two\n\nafter\n";
        let switches = Switches::read(text);
        assert_eq!(switches.blocks, [(vec!["promotion-phrase"], 4, 5)]);
        assert!(switches.ignores("promotion-phrase", 4) && switches.ignores("promotion-phrase", 5));
        assert!(!switches.ignores("promotion-phrase", 7), "after the blank line");
        assert!(!switches.ignores("promotion-ticker", 4), "another rule");
        let same_line = Switches::read(
            "<!-- critique-ignore-next: stock -->to the moon\nnext\n\nlater\n<!-- critique-ignore-next: promotion -->\n> q\n",
        );
        assert_eq!(
            same_line.blocks,
            [(vec!["stock-phrase"], 1, 2), (vec!["promotion-ticker", "promotion-phrase", "promotion-density"], 6, 6)]
        );
        assert_eq!(Switches::read("<!-- critique-ignore-next: promotion -->\n\n").blocks, []);
        let shown = Switches::read(
            "```\n<!-- critique-ignore: promotion -->\n```\n`<!-- critique-ignore-next: stock -->`\nx\n",
        );
        assert_eq!(shown, Switches::default(), "markers in code are text");
        let many = "<!-- critique-ignore-next: x -->".repeat(1000);
        assert!(Switches::read(&many).blocks.len() <= 1, "markers in a marker's block are part of it");
    }

    #[test]
    fn the_same_as_splitting_every_list() {
        let parts =
            ["critique-ignore:", ",", " ", "-->", "stock-phrase", "promotion", "near", "x", "\u{a0}", "broken-link"];
        let mut seed = 7u64;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                text.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let expected: Vec<&str> = RULES.iter().copied().filter(|r| ignores_by_splitting(&text, r)).collect();
            assert_eq!(ignored_rules(&text), expected, "{text:?}");
        }
    }

    /// Markers with no end, commas, and long runs of spaces: each byte is looked at a
    /// bounded number of times, where splitting each marker's list looked at the rest of the
    /// file once per marker.
    #[test]
    fn each_byte_is_read_a_bounded_number_of_times() {
        for unit in ["critique-ignore:", "critique-ignore: x,", "critique-ignore:          ", ", , ,"] {
            let text = format!("{} stock-phrase{}", unit.repeat(2_000), " ".repeat(10_000));
            let (rules, looked) = read(&text, IGNORE_MARKER);
            assert!(looked <= 4 * text.len(), "{unit:?}: {looked} for {}", text.len());
            assert_eq!(rules.contains(&"stock-phrase"), ignores_by_splitting(&text, "stock-phrase"));
        }
    }
}
