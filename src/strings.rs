//! The theme's interface text in the site's language: one table per language shipped in the
//! binary (`strings/*.toml`, a file translators can edit), chosen by `language` (`de-AT` reads
//! `de`, a language without a table reads `en`), with `[strings]` of `critique.toml` replacing
//! any entry. Templates see the table as `site.t`; text made in Rust reads it here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::date::Date;

/// The languages with a table, each with its file.
const BUILT_IN: [(&str, &str); 4] = [
    ("en", include_str!("strings/en.toml")),
    ("de", include_str!("strings/de.toml")),
    ("fr", include_str!("strings/fr.toml")),
    ("es", include_str!("strings/es.toml")),
];

/// One entry of a table: a text, or a text whose words follow a count (`{n}` in it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
// Unknown forms (`zero = …`) are refused rather than dropped: a writer's text would vanish.
#[serde(untagged, deny_unknown_fields)]
pub enum Text {
    /// The same words whatever the count.
    Plain(String),
    /// The words for one, and for any other count.
    Counted {
        /// For one thing (and, in French, none).
        one: String,
        /// For any other count.
        other: String,
    },
}

/// The interface text of one site: its language's table with the site's overrides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Strings {
    texts: BTreeMap<String, Text>,
    /// Whether no things take the singular (French: `0 jour`), as one does.
    zero_is_one: bool,
}

impl Default for Strings {
    fn default() -> Self {
        Strings::for_language("en")
    }
}

/// The built-in table of `base` (a language without its region), parsed once.
fn built_in(base: &str) -> Option<&'static BTreeMap<String, Text>> {
    static TABLES: OnceLock<Vec<(&'static str, BTreeMap<String, Text>)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        // A table that does not parse is a bug the unit tests catch; an empty one only shows keys.
        BUILT_IN.iter().map(|(lang, text)| (*lang, toml::from_str(text).unwrap_or_default())).collect()
    });
    tables.iter().find(|(lang, _)| *lang == base).map(|(_, table)| table)
}

/// The language part of a BCP 47 tag, lowercased (`de-AT` → `de`).
fn base_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

impl Strings {
    /// The built-in table for `language`: its own language's, else English.
    pub fn for_language(language: &str) -> Self {
        let base = base_language(language);
        let (texts, base) = match built_in(&base) {
            Some(table) => (table.clone(), base),
            None => (built_in("en").cloned().unwrap_or_default(), "en".to_string()),
        };
        Self { texts, zero_is_one: base == "fr" }
    }

    /// Every key a table has (the English one's: every table has the same).
    pub fn keys() -> impl Iterator<Item = &'static str> {
        built_in("en").into_iter().flat_map(|t| t.keys().map(String::as_str))
    }

    /// Whether `key` is counted (has `one` and `other` forms).
    pub fn is_counted(key: &str) -> bool {
        built_in("en").and_then(|t| t.get(key)).is_some_and(|t| matches!(t, Text::Counted { .. }))
    }

    /// This table with `key` replaced by `text` (a plain text for a counted key is both forms).
    pub fn with(mut self, key: &str, text: &Text) -> Self {
        let text = match (self.texts.get(key), text) {
            (Some(Text::Counted { .. }), Text::Plain(s)) => Text::Counted { one: s.clone(), other: s.clone() },
            _ => text.clone(),
        };
        self.texts.insert(key.to_string(), text);
        self
    }

    /// The text of `key` (a counted one's form for several); the key itself when missing, so
    /// that a gap shows where it is.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.texts.get(key) {
            Some(Text::Plain(s) | Text::Counted { other: s, .. }) => s,
            None => key,
        }
    }

    /// The text of `key` with each `{name}` replaced by its value (plain text: escape the
    /// result where it goes into HTML).
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// The form of counted `key` for `n`, with `{n}` and each `{name}` replaced.
    pub fn count(&self, key: &str, n: usize, values: &[(&str, &str)]) -> String {
        let form = match self.texts.get(key) {
            Some(Text::Counted { one, other }) => {
                if n == 1 || (n == 0 && self.zero_is_one) {
                    one
                } else {
                    other
                }
            }
            Some(Text::Plain(s)) => s,
            None => key,
        };
        let n = n.to_string();
        let values: Vec<(&str, &str)> = std::iter::once(("n", n.as_str())).chain(values.iter().copied()).collect();
        fill(form, &values)
    }

    /// `names` joined as a sentence does: `A`, `A and B`, `A, B and C`.
    pub fn names(&self, names: &[String]) -> String {
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{}{last}", rest.join(", "), self.get("separator_and")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }

    /// `date` as the language writes it (`5 Dec 2026`, `5. Dezember 2026`, `1er décembre 2026`).
    pub fn date(&self, date: Date) -> String {
        let day = date.0.day();
        let day = if day == 1 { self.get("date_day_one").to_string() } else { day.to_string() };
        let month = format!("month_{}", date.0.month());
        let year = date.0.year().to_string();
        self.fill("date", &[("day", &day), ("month", self.get(&month)), ("year", &year)])
    }
}

/// `text` with each `{name}` replaced by its value, in one pass: a value holding `{other}` (a
/// project named so) is not filled in again. A placeholder without a value stays as written.
fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(n, _)| *n == name).map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// As templates see it (`site.t`): each key's text, a counted one as `zero`, `one` and `other`
/// forms for the `fill` filter to choose from.
impl Serialize for Strings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Forms<'a> {
            zero: &'a str,
            one: &'a str,
            other: &'a str,
        }
        let mut map = serializer.serialize_map(Some(self.texts.len()))?;
        for (key, text) in &self.texts {
            match text {
                Text::Plain(s) => map.serialize_entry(key, s)?,
                Text::Counted { one, other } => {
                    let zero = if self.zero_is_one { one } else { other };
                    map.serialize_entry(key, &Forms { zero, one, other })?;
                }
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_one_and_other_and_nothing_else() {
        let read = |text: &str| toml::from_str::<BTreeMap<String, Text>>(text);
        assert!(read("a = { one = \"x\", other = \"y\" }").is_ok());
        assert!(read("a = { one = \"x\", other = \"y\", zero = \"z\" }").is_err(), "an unknown form");
        assert!(read("a = \"x\"").is_ok());
    }

    #[test]
    fn values_are_filled_in_once() {
        assert_eq!(fill("{a} and {b}, {c}", &[("a", "{b}"), ("b", "x")]), "{b} and x, {c}");
        assert_eq!(fill("{ unclosed", &[("a", "x")]), "{ unclosed");
    }

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    #[test]
    fn every_table_parses_and_has_every_key_in_the_same_shape() {
        let english = built_in("en").expect("en");
        assert!(english.len() > 100, "{}", english.len());
        for (lang, text) in BUILT_IN {
            let table: BTreeMap<String, Text> = toml::from_str(text).expect(lang);
            let keys: Vec<_> = table.keys().collect();
            assert_eq!(keys, english.keys().collect::<Vec<_>>(), "{lang}");
            for (key, text) in &table {
                let same_shape = matches!(
                    (text, &english[key]),
                    (Text::Plain(_), Text::Plain(_)) | (Text::Counted { .. }, Text::Counted { .. })
                );
                assert!(same_shape, "{lang}: {key}");
            }
        }
    }

    #[test]
    fn regions_fall_back_to_their_language_and_unknown_languages_to_english() {
        assert_eq!(Strings::for_language("de-AT"), Strings::for_language("de"));
        assert_eq!(Strings::for_language("pt-BR"), Strings::for_language("en"));
        assert_ne!(Strings::for_language("fr").get("nav_reviews"), Strings::for_language("en").get("nav_reviews"));
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let d = date("2026-12-05");
        assert_eq!(Strings::for_language("en").date(d), "5 Dec 2026");
        assert_eq!(Strings::for_language("de").date(d), "5. Dezember 2026");
        assert_eq!(Strings::for_language("fr").date(d), "5 décembre 2026");
        assert_eq!(Strings::for_language("fr").date(date("2026-12-01")), "1er décembre 2026");
        assert_eq!(Strings::for_language("es").date(d), "5 de diciembre de 2026");
    }

    #[test]
    fn counts_choose_their_form_french_taking_zero_as_one() {
        let (en, fr) = (Strings::for_language("en"), Strings::for_language("fr"));
        assert_eq!(en.count("waiting_days", 0, &[]), "Waiting 0 days for an answer.");
        assert_eq!(en.count("waiting_days", 1, &[]), "Waiting 1 day for an answer.");
        assert_eq!(fr.count("waiting_days", 0, &[]), "En attente d’une réponse depuis 0 jour.");
        let plain = en.with("waiting_days", &Text::Plain("Still waiting ({n})".into()));
        assert_eq!(plain.count("waiting_days", 2, &[]), "Still waiting (2)");
    }
}
