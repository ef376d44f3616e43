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
/// and holds that path.
pub fn toml_span(text: &str, path: &[Step<'_>]) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = root.get_ref();
    let mut span = root.span();
    let mut value: Option<&DeValue<'_>> = None;
    for step in path {
        let next = match (step, value) {
            (Step::Key(key), None) | (Step::Key(key), Some(DeValue::Table(_))) => {
                if let Some(DeValue::Table(t)) = value {
                    table = t;
                }
                table.iter().find(|(k, _)| k.get_ref().as_ref() == *key).map(|(_, v)| v)?
            }
            (Step::Index(i), Some(DeValue::Array(items))) => items.get(*i)?,
            _ => return None,
        };
        span = next.span();
        value = Some(next.get_ref());
    }
    Some(span)
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
}
