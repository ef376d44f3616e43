//! Diagnostics: one error record with the file, line and column it is about, a message
//! saying what was found and what was expected, and an optional hint. Every stage of the
//! pipeline collects these instead of stopping at the first, and the command line reports
//! them all once, at the top.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file, positioned by 1-based line and column in the whole file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible (`content/reviews/x.md`).
    pub path: PathBuf,
    /// 1-based line in the whole file; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub col: usize,
    /// Whether it fails the build or only informs.
    pub severity: Severity,
    /// The rule that found it: a check's (`promotion-phrase`), or the stage of the build that
    /// refused the content (`front-matter`, `markdown`, `content`, `config`, `file`,
    /// `template`, `output`; see [`BUILD_RULES`]).
    pub rule: Option<Box<str>>,
    /// What is wrong, including what was expected.
    pub message: String,
    /// How to fix it, when there is a likely fix. (Boxed, as `related` is: diagnostics are
    /// returned as errors everywhere, and are kept small for it.)
    pub hint: Option<Box<str>>,
    /// Other files the problem involves (the review a near-duplicate repeats, the file that
    /// took a slug first), for tools that show them beside it.
    pub related: Box<[PathBuf]>,
}

/// The rules of build errors, by the stage that finds them: not switches (a build error
/// cannot be switched off), names for tools and for the reader.
pub const BUILD_RULES: &[&str] = &["file", "config", "front-matter", "markdown", "content", "template", "output"];

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `build` and `check`.
    Error,
    /// Reported; fails `check --strict` only.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

impl Diagnostic {
    /// A problem with a whole file (no line).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }

    /// A problem at `line:col` of `path`.
    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            rule: None,
            message: message.into(),
            hint: None,
            related: Box::default(),
        }
    }

    /// The same diagnostic as a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The same diagnostic attributed to an editorial rule.
    #[must_use]
    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into().into_boxed_str());
        self
    }

    /// The same diagnostic attributed to `rule` unless it already is to one: the stage that
    /// found a build error names it (`front-matter`, `config`), where a check names its own.
    #[must_use]
    pub fn or_rule(mut self, rule: &str) -> Self {
        if self.rule.is_none() {
            self.rule = Some(rule.into());
        }
        self
    }

    /// The same diagnostic naming the other files it involves.
    #[must_use]
    pub fn with_related(mut self, related: impl IntoIterator<Item = PathBuf>) -> Self {
        self.related = self.related.iter().cloned().chain(related).collect();
        self
    }

    /// The same diagnostic with a hint attached.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// The same diagnostic with a hint attached when there is one.
    #[must_use]
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        if let Some(hint) = hint {
            self.hint = Some(hint.into_boxed_str());
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.severity)?;
        if let Some(rule) = &self.rule {
            write!(f, "[{rule}]")?;
        }
        write!(f, ": {}", terminal_safe(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {}", terminal_safe(hint))?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// `path:line:col`, `path:line` or `path`, as far as the position is known.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => path,
            (line, 0) => format!("{path}:{line}"),
            (line, col) => format!("{path}:{line}:{col}"),
        }
    }
}

/// `text` as it may be printed on a terminal or into a CI log: a control character that a
/// file's content put in a message (an escape sequence, a carriage return, a backspace) is
/// shown escaped, so that it cannot rewrite what is shown; a line break is kept but the line
/// after it starts with `  | `, so that it can pass neither for a diagnostic of its own nor
/// for a CI runner's command (`::error …`, which runners read after leading spaces).
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape_controls(text, true)
}

/// Forward slashes on every platform, so messages and tests read the same everywhere; a
/// control character in a name is shown escaped, so that it cannot rewrite the terminal.
/// Elsewhere than on Windows, `\\` is a character of a name, not a separator, and stays.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = if cfg!(windows) { text.replace('\\', "/") } else { text.into_owned() };
    escape_controls(&text, false).into_owned()
}

/// `text` with its control characters but tabs (and, with `line_breaks`, newlines, the next
/// line starting with `  | `) written as `\u{..}` escapes.
fn escape_controls(text: &str, line_breaks: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if line_breaks => out.push_str("\n  | "),
            c if c.is_control() && c != '\t' => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out.into()
}

/// Every diagnostic of a failed stage, sorted by file and position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Sorts the records so that output is deterministic whatever order threads found them in.
    pub fn new(mut records: Vec<Diagnostic>) -> Self {
        records.sort();
        records.dedup();
        Self(records)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
/// Offsets past the end or inside a character clamp to the nearest valid position.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Where each line of a text starts: many offsets of one text placed by line and column
/// without counting from its start for each ([`line_col`] does, which is fine for one).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`'s lines (ended by `\n`).
    pub fn new(text: &str) -> Self {
        Self { starts: std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect() }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The byte offset at which a 1-based line starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
}

/// Places offsets of one text by line and column (in characters), counting the characters
/// of a line only once for offsets that come in increasing order on it: placing every
/// match of a pattern in an 8 MB line costs one pass over the line, not one per match.
pub struct Placer<'t> {
    text: &'t str,
    lines: LineIndex,
    /// The last offset placed, its line, and its column.
    last: (usize, usize, usize),
    /// Bytes whose characters were counted, for tests that bound the work.
    pub counted: usize,
}

impl<'t> Placer<'t> {
    /// A placer for `text`.
    pub fn new(text: &'t str) -> Self {
        Self { text, lines: LineIndex::new(text), last: (0, 1, 1), counted: 0 }
    }

    /// The 1-based line and column of a byte offset (clamped to the text, and back to a
    /// character boundary).
    pub fn place(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line(offset);
        let (last_offset, last_line, last_col) = self.last;
        let (from, col) = if line == last_line && offset >= last_offset {
            (last_offset, last_col)
        } else {
            (self.lines.line_start(line).unwrap_or(0), 1)
        };
        let col = col + self.text[from..offset].chars().count();
        self.counted += offset - from;
        self.last = (offset, line, col);
        (line, col)
    }
}

/// For serde's "unknown field (or variant) `x`, expected one of …" messages (from YAML or TOML), the known
/// key closest to the one written, as a hint; `None` when nothing is close.
pub fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (found, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of ").map(|(_, list)| list)?;
    let known: Vec<&str> = expected.split(", ").map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
    closest(found, known.iter().copied()).map(|k| format!("did you mean `{k}`?"))
}

/// The longest word [`closest`] guesses at.
const MAX_GUESSED_CHARS: usize = 200;

/// How many times each ASCII byte occurs in `text`; `None` for text that is not ASCII.
fn ascii_counts(text: &str) -> Option<[u16; 128]> {
    let mut counts = [0u16; 128];
    for b in text.bytes() {
        let slot = counts.get_mut(usize::from(b))?;
        *slot = slot.saturating_add(1);
    }
    Some(counts)
}

/// A lower bound of the edit distance of two ASCII texts: what one has that the other lacks.
fn bag_distance(a: &[u16; 128], b: &[u16; 128]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo; ties
/// go to the longer common prefix, since typos rarely hit the first letters. Failing that, the
/// one candidate that starts with `word` (`fancy` for `fancy-chain`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let length = word.chars().count();
    // A guess at something that long is no help, and would cost more than it is worth.
    if length > MAX_GUESSED_CHARS {
        return None;
    }
    let limit = (length / 3).max(2);
    let prefix = |c: &str| word.chars().zip(c.chars()).take_while(|(a, b)| a == b).count();
    // Cheap bounds first (lengths, then letters counted): most candidates of a large site
    // are ruled out before an edit distance is computed.
    let letters = ascii_counts(word);
    let may_be_close = |c: &str| {
        c.chars().count().abs_diff(length) <= limit
            && match (&letters, ascii_counts(c)) {
                (Some(a), Some(b)) => bag_distance(a, &b) <= limit,
                _ => true,
            }
    };
    let by_distance = candidates
        .iter()
        .filter(|c| may_be_close(c))
        .map(|c| (strsim::damerau_levenshtein(word, c), std::cmp::Reverse(prefix(c)), *c))
        .filter(|(distance, _, _)| *distance <= limit)
        .min()
        .map(|(_, _, c)| c);
    by_distance.or_else(|| {
        let mut starting = candidates.iter().filter(|c| !word.is_empty() && c.starts_with(word));
        match (starting.next(), starting.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_diagnostics_cannot_rewrite_the_terminal_or_forge_a_line() {
        let d = Diagnostic::at(
            "content/reviews/a\u{1b}[2J.md",
            1,
            2,
            "unknown claim `\u{7f}\u{8}x`\nb.md:1:1: error: fake",
        )
        .with_hint("red \u{1b}[31m\r");
        let shown = d.to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert_eq!(
            shown,
            "content/reviews/a\\u{1b}[2J.md:1:2: error: unknown claim `\\u{7f}\\u{8}x`\n  | b.md:1:1: error: fake\n  help: red \\u{1b}[31m\\u{d}"
        );
        assert_eq!(terminal_safe("plain\ttext"), "plain\ttext");
        assert_eq!(terminal_safe("a\n::error file=x::forged"), "a\n  | ::error file=x::forged", "no CI command");
    }

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 6), (2, 3), "inside é clamps back");
        assert_eq!(line_col(text, 100), (3, 2));
    }

    #[test]
    fn placer_agrees_with_line_col_and_counts_each_line_once() {
        let text = "ab\ncdé\nf";
        let mut placer = Placer::new(text);
        for offset in [0, 3, 7, 6, 100, 1, 8] {
            assert_eq!(placer.place(offset), line_col(text, offset), "{offset}");
        }
        // 10,000 offsets in one long line, in order: each character is counted once.
        let line = "é".repeat(20_000);
        let mut placer = Placer::new(&line);
        for i in 0..10_000 {
            assert_eq!(placer.place(i * 4), (1, i * 2 + 1));
        }
        assert_eq!(placer.counted, 9_999 * 4);
        assert_eq!(LineIndex::new("a\nb\n").line_start(3), Some(4));
    }

    #[test]
    fn unknown_key_hint_reads_yaml_and_toml_messages() {
        let yaml = "unknown field `titel`, expected one of title, n, d";
        let toml = "unknown field `titel`, expected one of `title`, `n`, `d`";
        assert_eq!(unknown_key_hint(yaml).as_deref(), Some("did you mean `title`?"));
        assert_eq!(unknown_key_hint(toml).as_deref(), Some("did you mean `title`?"));
        assert_eq!(unknown_key_hint("unknown field `zzzzzz`, expected one of a, b"), None);
        assert_eq!(unknown_key_hint("invalid type"), None);
    }

    #[test]
    fn closest_prefers_typos_then_a_unique_prefix() {
        assert_eq!(closest("gud", ["good", "bad"]), Some("good"));
        assert_eq!(closest("fancy", ["example-network", "fancy-chain"]), Some("fancy-chain"));
        assert_eq!(closest("fancy", ["fancy-aaa", "fancy-bbb"]), None, "two prefixes: no guess");
        assert_eq!(closest("zzz", ["good"]), None);
    }

    #[test]
    fn display_includes_position_and_hint() {
        let d = Diagnostic::at("content/reviews/a.md", 3, 1, "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "content/reviews/a.md:3:1: error: bad\n  help: fix it");
        assert_eq!(Diagnostic::file("x.md", "empty").to_string(), "x.md: error: empty");
        let w = Diagnostic::at("a.md", 2, 0, "dup").warning().with_rule("near-duplicate");
        assert_eq!(w.to_string(), "a.md:2: warning[near-duplicate]: dup");
    }
}
