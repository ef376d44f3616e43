//! Positions of values in TOML text by key path. serde drops TOML spans once a struct is
//! deserialized, so checks made afterwards (an unknown project, a duplicate axis) find their
//! value's position again here.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One step of a path to a value: a table key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A key of a table (`scores`).
    Key(&'a str),
    /// An index into an array (`questions[2]`).
    Index(usize),
}

/// The byte range of the value at `path` in the TOML document `text`, if the document parses
/// and holds that path. For one look-up; [`TomlSpans`] keeps a document's positions for many.
pub fn toml_span(text: &str, path: &[Step<'_>]) -> Option<Range<usize>> {
    TomlSpans::parse(text)?.span(path)
}

/// The position of every value of a TOML document, read once: placing each of many values
/// walks a few steps instead of parsing the whole document again.
#[derive(Debug, Clone)]
pub struct TomlSpans {
    root: Range<usize>,
    node: Node,
}

/// What a value holds, as positions.
#[derive(Debug, Clone)]
enum Node {
    /// A table's values by key, sorted by key.
    Table(Vec<(String, Range<usize>, Node)>),
    /// An array's items.
    Array(Vec<(Range<usize>, Node)>),
    /// Anything else.
    Leaf,
}

impl Node {
    fn of(value: &DeValue<'_>) -> Self {
        match value {
            DeValue::Table(table) => Self::of_table(table),
            DeValue::Array(items) => Node::Array(items.iter().map(|v| (v.span(), Node::of(v.get_ref()))).collect()),
            _ => Node::Leaf,
        }
    }

    fn of_table(table: &DeTable<'_>) -> Self {
        let mut entries: Vec<(String, Range<usize>, Node)> =
            table.iter().map(|(k, v)| (k.get_ref().to_string(), v.span(), Node::of(v.get_ref()))).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Node::Table(entries)
    }
}

impl TomlSpans {
    /// The positions of `text`'s values, if it parses.
    pub fn parse(text: &str) -> Option<Self> {
        let root = DeTable::parse(text).ok()?;
        Some(Self { root: root.span(), node: Node::of_table(root.get_ref()) })
    }

    /// The byte range of the value at `path`, if the document holds it.
    pub fn span(&self, path: &[Step<'_>]) -> Option<Range<usize>> {
        let (mut span, mut node) = (&self.root, &self.node);
        for step in path {
            (span, node) = match (step, node) {
                (Step::Key(key), Node::Table(entries)) => {
                    let at = entries.binary_search_by(|(k, _, _)| k.as_str().cmp(key)).ok()?;
                    let (_, span, node) = &entries[at];
                    (span, node)
                }
                (Step::Index(i), Node::Array(items)) => {
                    let (span, node) = items.get(*i)?;
                    (span, node)
                }
                _ => return None,
            };
        }
        Some(span.clone())
    }
}

/// The first string of the TOML document `text`, a key or a value, for which `wanted` holds:
/// its key path (`questions[0].answer`), byte range and decoded text. `None` when there is
/// none, or the document does not parse.
pub fn toml_find_string(text: &str, wanted: impl Fn(&str) -> bool) -> Option<(String, Range<usize>, String)> {
    let root = DeTable::parse(text).ok()?;
    let mut found: Option<(String, Range<usize>, String)> = None;
    let mut keep = |path: String, span: Range<usize>, value: &str| {
        if found.as_ref().is_none_or(|(_, first, _)| span.start < first.start) {
            found = Some((path, span, value.to_string()));
        }
    };
    find_in_table(root.get_ref(), "", &wanted, &mut keep);
    found
}

fn find_in_table(
    table: &DeTable<'_>,
    prefix: &str,
    wanted: &impl Fn(&str) -> bool,
    keep: &mut impl FnMut(String, Range<usize>, &str),
) {
    for (key, value) in table {
        let name: &str = key.get_ref().as_ref();
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        if wanted(name) {
            keep(path.clone(), key.span(), name);
        }
        find_in_value(value, path, wanted, keep);
    }
}

fn find_in_value(
    value: &toml::Spanned<DeValue<'_>>,
    path: String,
    wanted: &impl Fn(&str) -> bool,
    keep: &mut impl FnMut(String, Range<usize>, &str),
) {
    match value.get_ref() {
        DeValue::String(s) if wanted(s) => keep(path, value.span(), s),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_in_value(item, format!("{path}[{i}]"), wanted, keep);
            }
        }
        DeValue::Table(table) => find_in_table(table, &path, wanted, keep),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_by_path() {
        let text = "title = \"cost matters\"\nscores = { speed = 3, cost = 11 }\n[[questions]]\nclaim = \"a\"\n[[questions]]\nclaim = \"b\"\n";
        let at = |path: &[Step<'_>]| toml_span(text, path).map(|r| &text[r]);
        assert_eq!(at(&[Step::Key("scores"), Step::Key("cost")]), Some("11"));
        assert_eq!(at(&[Step::Key("questions"), Step::Index(1), Step::Key("claim")]), Some("\"b\""));
        assert_eq!(at(&[Step::Key("title")]), Some("\"cost matters\""));
        assert_eq!(at(&[Step::Key("nope")]), None);
        assert_eq!(at(&[Step::Key("title"), Step::Index(0)]), None);
        assert_eq!(toml_span("not = [toml", &[Step::Key("not")]), None);
    }

    #[test]
    fn finds_the_first_string_that_matches() {
        let text = "a = 'x'\n[t]\nlist = ['y', 'bad 1']\n'bad key' = 1\n[[q]]\nanswer = \"bad 2\"\n";
        let found = toml_find_string(text, |s| s.contains("bad"));
        let (path, span, value) = found.expect("found");
        assert_eq!((path.as_str(), &text[span], value.as_str()), ("t.list[1]", "'bad 1'", "bad 1"));
        let (path, _, _) = toml_find_string(text, |s| s.contains("2")).expect("nested");
        assert_eq!(path, "q[0].answer");
        assert_eq!(toml_find_string(text, |s| s == "bad key").map(|(p, _, _)| p).as_deref(), Some("t.bad key"));
        assert_eq!(toml_find_string(text, |s| s == "nope"), None);
    }
}
