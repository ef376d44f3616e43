//! Front matter: split a file into its YAML (`---`) or TOML (`+++`) block and its Markdown
//! body, keeping line offsets so that every error is reported at its line in the whole file,
//! and deserialize the block into a typed struct with unknown keys named and corrected.

mod every;
pub mod help;

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, line_col, unknown_key_hint};
use crate::locate::toml_find_string;
use crate::text;
use help::plain_words;

/// The language of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

/// A file split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML or TOML.
    pub format: Format,
    /// The text between the delimiters.
    pub matter: &'a str,
    /// 1-based line of the file on which `matter` starts.
    pub matter_line: usize,
    /// The Markdown after the closing delimiter.
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

/// Splits `text` (the whole file at `path`) into front matter and body.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::file(path, "empty file: expected front matter between `---` lines, then Markdown"));
    }
    let first_line = text.lines().next().unwrap_or_default();
    let (format, fence) = match first_line.trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        other => {
            let hint = if other.trim() == "---" || other.trim() == "+++" {
                "the opening delimiter must start at the first column of the first line".to_string()
            } else if text.lines().any(|l| l.trim_end() == "---") {
                "the file must start with the `---` line; move anything above it below the front matter".to_string()
            } else if other.contains(':') {
                "add a `---` line above the front matter and another below it".to_string()
            } else {
                "start the file with `---`, the front-matter fields, and another `---`".to_string()
            };
            return Err(Diagnostic::at(
                path,
                1,
                1,
                "no front matter: expected the file to start with a `---` (YAML) or `+++` (TOML) line",
            )
            .with_hint(hint));
        }
    };
    let matter_start = first_line.len() + usize::from(text[first_line.len()..].starts_with("\r\n")) + 1;
    let mut offset = matter_start.min(text.len());
    for (line, raw) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if raw.trim_end() == fence {
            let body_offset = offset + raw.len();
            return Ok(Split {
                format,
                matter: &text[matter_start.min(text.len())..offset],
                matter_line: 2,
                body: &text[body_offset..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(Diagnostic::at(path, 1, 1, format!("front matter is never closed: expected a `{fence}` line after the fields")))
}

/// The keys a kind of front matter cannot do without: each key, a stand-in value that reads
/// (so that the problems after a bad one are still found), and what to write.
pub type Required = &'static [(&'static str, &'static str, &'static str)];

/// Deserializes the front matter of `split` into `T`, reporting errors at their line in the
/// whole file and suggesting the closest known key for a misspelt one. A YAML block's every
/// problem is reported at once (see [`every`]), with the keys in `required` named when absent.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, path: &Path, required: Required) -> Result<T, Vec<Diagnostic>> {
    let offset = split.matter_line - 1;
    match split.format {
        Format::Yaml => serde_saphyr::from_str(split.matter).map_err(|e| {
            every::yaml_errors::<T>(split.matter, &e, required)
                .into_iter()
                .map(|f| {
                    Diagnostic::at(path, f.line + offset, f.col, format!("invalid front matter: {}", f.message))
                        .with_optional_hint(f.hint)
                })
                .collect()
        }),
        Format::Toml => {
            if let Some(at) = past_toml_budget(split.matter) {
                let (line, col) = line_col(split.matter, at);
                let message = format!("invalid front matter: more than {MAX_TOML_NODES} values, keys and tables");
                return Err(vec![
                    Diagnostic::at(path, line + offset, col, message)
                        .with_hint("shorten the long lists, or move them into files of their own"),
                ]);
            }
            toml::from_str(split.matter).map_err(|e| {
                let (line, col) = e.span().map_or((1, 1), |s| line_col(split.matter, s.start));
                let message = e.message().trim();
                let hint = unknown_key_hint(message);
                vec![
                    Diagnostic::at(path, line + offset, col, format!("invalid front matter: {}", plain_words(message)))
                        .with_optional_hint(hint),
                ]
            })
        }
    }
}

/// An error at the first string of the front matter of `split`, a value or a key, that holds
/// a control character ([`text::find_control`]). The file's own characters are checked before
/// this (`text::check_file`), so such a character came from an escape (`"\0"`, `"\u0007"`):
/// reported at the value that holds it, naming its key.
pub fn check_escapes(split: &Split<'_>, path: &Path) -> Result<(), Diagnostic> {
    // Only an escape can put one there, and every escape starts with a backslash.
    if !split.matter.contains('\\') {
        return Ok(());
    }
    let has_control = |s: &str| text::find_control(s).is_some();
    let found = match split.format {
        Format::Yaml => yaml_find_string(split.matter, &has_control),
        Format::Toml => toml_find_string(split.matter, has_control)
            .map(|(key, span, value)| (key, line_col(split.matter, span.start), value)),
    };
    match found {
        Some((key, (line, col), value)) => {
            Err(text::escaped_control(path, line + split.matter_line - 1, col, &key, &value))
        }
        None => Ok(()),
    }
}

/// A YAML document read as a tree of strings, with the position of every node: for finding
/// a string wherever it is, whatever the struct it fills.
#[derive(Debug)]
enum Node {
    Text(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    Other,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Any;
        macro_rules! other {
            ($($name:ident: $t:ty),*) => {
                $(fn $name<E: de::Error>(self, _: $t) -> Result<Node, E> { Ok(Node::Other) })*
            };
        }
        impl<'de> Visitor<'de> for Any {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_char<E: de::Error>(self, v: char) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            other!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128,
                visit_f64: f64, visit_bytes: &[u8]);
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Node::Map(entries))
            }
        }
        deserializer.deserialize_any(Any)
    }
}

/// The first string of the YAML document `text`, a key or a value, for which `wanted` holds:
/// its key path, 1-based line and column, and the string. `None` when there is none (or the
/// document does not read as a tree, which a document that filled its struct always does).
fn yaml_find_string(text: &str, wanted: &dyn Fn(&str) -> bool) -> Option<(String, (usize, usize), String)> {
    fn walk(
        node: &Spanned<Node>,
        path: String,
        wanted: &dyn Fn(&str) -> bool,
        found: &mut Vec<(String, (usize, usize), String)>,
    ) {
        let at = (to_usize(node.referenced.line()), to_usize(node.referenced.column()));
        match &node.value {
            Node::Text(s) if wanted(s) => found.push((path, at, s.clone())),
            Node::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), wanted, found);
                }
            }
            Node::Map(entries) => {
                for (key, value) in entries {
                    let name = match &key.value {
                        Node::Text(k) => k.as_str(),
                        _ => "?",
                    };
                    let inner = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
                    walk(key, inner.clone(), wanted, found);
                    walk(value, inner, wanted, found);
                }
            }
            _ => {}
        }
    }
    let root: Spanned<Node> = serde_saphyr::from_str(text).ok()?;
    let mut found = Vec::new();
    walk(&root, String::new(), wanted, &mut found);
    found.into_iter().min_by_key(|(_, at, _)| *at)
}

/// The most values a TOML block may hold, as YAML's parser bounds its nodes (250,000): the
/// TOML parser has no such bound, and builds a table of every value first.
pub const MAX_TOML_NODES: usize = 250_000;

/// Where a TOML block passes [`MAX_TOML_NODES`], if it does: each value, key or table needs
/// a `=`, a `,`, a `[` or a `{` (in strings too, so this counts at least as many).
fn past_toml_budget(matter: &str) -> Option<usize> {
    matter
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'=' | b',' | b'[' | b'{'))
        .nth(MAX_TOML_NODES)
        .map(|(i, _)| i)
}

/// The message without the trailing ` at line L, column C` saphyr appends (that position is
/// relative to the block; ours is in the whole file).
fn strip_position(rendered: &str) -> &str {
    let trimmed = rendered.trim();
    match trimmed.rsplit_once(" at line ") {
        Some((message, place))
            if place.split_once(", column ").is_some_and(|(l, c)| {
                l.bytes().all(|b| b.is_ascii_digit()) && c.bytes().all(|b| b.is_ascii_digit())
            }) =>
        {
            message
        }
        _ => trimmed,
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Matter {
        title: String,
        count: Option<u32>,
    }

    fn p(text: &str) -> Result<Matter, Diagnostic> {
        let path = Path::new("a.md");
        parse(&split(text, path)?, path, &[]).map_err(|mut e| e.remove(0))
    }

    fn escapes(text: &str) -> Result<(), Diagnostic> {
        let path = Path::new("a.md");
        check_escapes(&split(text, path)?, path)
    }

    #[test]
    fn control_characters_from_escapes_are_found_at_their_value() {
        let e = escapes("---\ntitle: ok\nquestions:\n  - ask: x\n    answer: \"a\\x07\"\n---\n").expect_err("yaml");
        assert_eq!((e.line, e.col), (5, 13));
        assert!(e.message.contains("U+0007 in `questions[0].answer`"), "{}", e.message);
        let e = escapes("---\ntitle: \"\\0\"\nauthor: \"\\e\"\n---\n").expect_err("first of two");
        assert_eq!((e.line, e.col, e.message.contains("`title`")), (2, 8, true), "{}", e.message);
        let e = escapes("---\nt: &a \"\\N\"\nu: *a\n---\n").expect_err("NEL, an alias");
        assert!(e.message.contains("U+0085"), "{}", e.message);
        let e = escapes("+++\ntitle = 'ok'\n[x]\nname = \"a\\u0000\"\n+++\n").expect_err("toml");
        assert_eq!((e.line, e.col), (4, 8));
        assert!(e.message.contains("U+0000 (NUL) in `x.name`"), "{}", e.message);
        let e = escapes("+++\n\"k\\u007f\" = 1\n+++\n").expect_err("a key");
        assert_eq!(e.line, 2);
        for fine in [
            "---\ntitle: \"tab\\t and \\n line\\r\\n, \\\\ and \\u00e9\"\nn: 1\nd: 2024-01-01\n---\n",
            "---\ntitle: 'a \\0 in single quotes is text'\n---\n",
            "+++\ntitle = 'a \\u0000 in a literal string is text'\nn = 1\n+++\n",
        ] {
            assert!(escapes(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn only_a_trailing_position_is_stripped() {
        assert_eq!(strip_position("bad at line 3, column 4"), "bad");
        assert_eq!(strip_position("budget exceeded (used at line 3 of 5)"), "budget exceeded (used at line 3 of 5)");
    }

    #[test]
    fn toml_blocks_are_bounded_before_they_are_parsed() {
        let long = format!("tags = [{}\"t\"]\n", "\"t\", ".repeat(MAX_TOML_NODES));
        let text = format!("+++\ntitle = \"x\"\n{long}+++\nbody\n");
        let parts = split(&text, Path::new("r.md")).expect("split");
        let error = parse::<toml::Table>(&parts, Path::new("r.md"), &[]).expect_err("too many values").remove(0);
        // `title =` is the first, `tags =` and `[` the next two: the one past the bound is
        // the comma after item MAX - 2, at column 8 + 5 (MAX - 3) + 4.
        assert_eq!((error.line, error.col), (3, 5 * MAX_TOML_NODES - 3), "{error}");
        assert!(error.message.contains("more than 250000 values"), "{error}");
        let within = format!("+++\ntags = [{}\"t\"]\n+++\n", "\"t\", ".repeat(1000));
        assert!(
            parse::<toml::Table>(&split(&within, Path::new("r.md")).expect("split"), Path::new("r.md"), &[]).is_ok()
        );
    }

    #[test]
    fn splits_yaml_and_toml_with_lines() {
        let s = split("---\ntitle: a\n---\nbody\n", Path::new("a.md")).expect("split");
        assert_eq!((s.format, s.matter, s.body, s.body_line), (Format::Yaml, "title: a\n", "body\n", 4));
        let s = split("+++\r\ntitle = 'a'\r\n+++\r\n", Path::new("a.md")).expect("split");
        assert_eq!((s.format, s.matter, s.body), (Format::Toml, "title = 'a'\r\n", ""));
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_explained() {
        let e = split("title: a\n", Path::new("a.md")).expect_err("none");
        assert!(e.message.contains("no front matter"));
        assert!(e.hint.as_deref().unwrap_or_default().contains("`---` line above"));
        let e = split("---\ntitle: a\n", Path::new("a.md")).expect_err("unclosed");
        assert!(e.message.contains("never closed"));
        assert!(split("  \n", Path::new("a.md")).expect_err("empty").message.contains("empty file"));
    }

    #[test]
    fn errors_are_at_their_line_in_the_file() {
        let e = p("---\ntitle: a\ncont: 2\n---\n").expect_err("unknown");
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(e.hint.as_deref(), Some("did you mean `count`?"));
        let e = p("---\ntitle: a\ncount: x\n---\n").expect_err("type");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("expected a whole number"), "{}", e.message);
        let e = p("---\n---\nbody\n").expect_err("empty");
        assert!(e.message.contains("no fields"), "{}", e.message);
        let e = p("---\ntitle:\n---\n").expect_err("null");
        assert!(e.message.contains("empty value"), "{}", e.message);
        let e = p("+++\ntitle = 'a'\ncount = 'x'\n+++\n").expect_err("toml type");
        assert_eq!(e.line, 3);
        assert_eq!(p("+++\ntitle = 'a'\n+++\n").expect("toml").title, "a");
    }
}
