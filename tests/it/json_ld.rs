//! Every page's JSON-LD (`<script type="application/ld+json">`) says only what schema.org's
//! vocabulary lets it say: known types, properties those types have, values in their ranges.
//! The vocabulary is `schemaorg.json` beside this file, a checked-in subset of a schema.org
//! release (its "about" says which, and how to regenerate it), so nothing is fetched here.
//!
//! Exceptions to "every value's type is in the property's range", each with its reason:
//! - a string may stand for a `Thing` subtype only where the range is an enumeration and the
//!   string is a member's `https://schema.org/…` URL, as schema.org writes enumeration values;
//! - an object with nothing but an absolute `@id` is a JSON-LD reference to a node described
//!   elsewhere, so it fits any range that is not a data type: its own type is not ours to see.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;
use scraper::{Html, Selector};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::support::SiteTest;

/// The subset of schema.org that `schemaorg.json` holds; its "about" is for readers only.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vocabulary {
    /// Each type, with its direct superclasses.
    types: BTreeMap<String, Vec<String>>,
    /// Each data type the checker knows the lexical form of, with its direct superclasses.
    data_types: BTreeMap<String, Vec<String>>,
    /// Range types whose values are schema.org enumeration members.
    enumerations: BTreeSet<String>,
    properties: BTreeMap<String, Property>,
}

/// A property: the types it belongs to (`domainIncludes`) and the types of its values
/// (`rangeIncludes`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Property {
    domain: Vec<String>,
    range: Vec<String>,
    superseded_by: Option<String>,
}

impl Vocabulary {
    /// The checked-in vocabulary.
    fn load() -> Self {
        serde_json::from_str(include_str!("schemaorg.json")).expect("tests/it/schemaorg.json parses")
    }

    /// Whether `ty` is `ancestor` or one of its subclasses (types and data types alike).
    fn is_a(&self, ty: &str, ancestor: &str) -> bool {
        ty == ancestor
            || self
                .types
                .get(ty)
                .or_else(|| self.data_types.get(ty))
                .is_some_and(|sup| sup.iter().any(|s| self.is_a(s, ancestor)))
    }

    /// Whether some type in `types` is one of `range` or a subclass of one.
    fn fits(&self, types: &[String], range: &[String]) -> bool {
        types.iter().any(|t| range.iter().any(|r| self.is_a(t, r)))
    }
}

/// Lexical forms of the data types a string can take, compiled once per checker.
struct Forms {
    url: Regex,
    date: Regex,
    time: Regex,
}

impl Forms {
    /// The patterns: an absolute http(s) URL; ISO 8601 dates and times as schema.org uses them.
    fn new() -> Self {
        let time = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?";
        Self {
            url: Regex::new(r"^https?://[^\s/?#@]+([/?#]\S*)?$").expect("url"),
            date: Regex::new(&format!(r"^([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})(T{time})?$")).expect("date"),
            time: Regex::new(&format!("^{time}$")).expect("time"),
        }
    }

    /// Whether `s` is written as a value of data type `ty` (false for types with no string form).
    fn matches(&self, s: &str, ty: &str) -> bool {
        // A real calendar day: the regex alone would take 2026-02-31.
        let day = |with_time: bool| {
            self.date.captures(s).is_some_and(|c| {
                let n = |i: usize| c[i].parse::<i16>().unwrap_or(0);
                c.get(4).is_some() == with_time && jiff::civil::Date::new(n(1), n(2) as i8, n(3) as i8).is_ok()
            })
        };
        match ty {
            "Text" => true,
            "URL" => self.url.is_match(s),
            "Date" => day(false),
            "DateTime" => day(true),
            "Time" => self.time.is_match(s),
            _ => false,
        }
    }
}

/// Checks JSON-LD documents against the vocabulary, gathering every problem rather than the first.
struct Checker {
    vocab: Vocabulary,
    forms: Forms,
}

impl Checker {
    /// A checker over the checked-in vocabulary.
    fn new() -> Self {
        Self { vocab: Vocabulary::load(), forms: Forms::new() }
    }

    /// The problems in one document, each as "<JSON path>: <what is wrong>".
    fn check(&self, doc: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(top) = doc.as_object() else {
            return vec!["$: the document is not an object".into()];
        };
        if top.get("@context") != Some(&Value::from("https://schema.org")) {
            problems.push(format!("$.@context: expected \"https://schema.org\", got {:?}", top.get("@context")));
        }
        match top.get("@graph") {
            Some(Value::Array(nodes)) => {
                // Beside a graph, the top-level object only sets the context.
                for key in top.keys().filter(|k| !["@context", "@graph"].contains(&k.as_str())) {
                    problems.push(format!("$.{key}: not expected beside @graph"));
                }
                for (i, node) in nodes.iter().enumerate() {
                    let path = format!("$.@graph[{i}]");
                    match node.as_object() {
                        Some(node) => {
                            self.node(node, &path, &mut problems);
                        }
                        None => problems.push(format!("{path}: not an object")),
                    }
                }
            }
            _ => {
                self.node(top, "$", &mut problems);
            }
        }
        problems
    }

    /// Checks a node's types and properties; returns its known types, for the caller's range check.
    fn node(&self, node: &Map<String, Value>, path: &str, problems: &mut Vec<String>) -> Vec<String> {
        let types: Vec<String> = match node.get("@type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) if ts.iter().all(Value::is_string) => {
                ts.iter().filter_map(Value::as_str).map(String::from).collect()
            }
            other => {
                problems.push(format!("{path}: @type must be a type name or a list of them, got {other:?}"));
                Vec::new()
            }
        };
        for ty in types.iter().filter(|t| !self.vocab.types.contains_key(*t)) {
            problems.push(format!(
                "{path}.@type: unknown type {ty:?} (not in tests/it/schemaorg.json; if schema.org defines it, add it there)"
            ));
        }
        let known: Vec<String> = types.into_iter().filter(|t| self.vocab.types.contains_key(t)).collect();
        for (key, value) in node {
            let at = format!("{path}.{key}");
            match key.as_str() {
                "@type" => {}
                // `check` judged the top-level context; a nested one would re-scope names, so is refused.
                "@context" if path == "$" => {}
                "@id" => {
                    if !value.as_str().is_some_and(|s| self.forms.matches(s, "URL")) {
                        problems.push(format!("{at}: @id must be an absolute http(s) URL, got {value}"));
                    }
                }
                k if k.starts_with('@') => problems.push(format!("{at}: JSON-LD keyword not expected here")),
                name => self.property(&known, name, value, &at, problems),
            }
        }
        known
    }

    /// Checks that property `name` belongs to one of `types` and that each of its values fits.
    fn property(&self, types: &[String], name: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
        let Some(prop) = self.vocab.properties.get(name) else {
            problems.push(format!("{path}: unknown property {name:?} (no type in tests/it/schemaorg.json has it)"));
            return;
        };
        // With no known type, the unknown type was reported already; the domain cannot be judged.
        if !types.is_empty() && !self.vocab.fits(types, &prop.domain) {
            problems.push(format!("{path}: {name:?} is not a property of {types:?} (schema.org: {:?})", prop.domain));
        }
        if let Some(newer) = &prop.superseded_by {
            problems.push(format!("{path}: {name:?} is superseded by {newer:?}"));
        }
        match value {
            Value::Array(values) => {
                for (i, v) in values.iter().enumerate() {
                    self.value(name, &prop.range, v, &format!("{path}[{i}]"), problems);
                }
            }
            v => self.value(name, &prop.range, v, path, problems),
        }
    }

    /// Checks that one value of property `name` fits its `range`, recursing into nested nodes.
    fn value(&self, name: &str, range: &[String], value: &Value, path: &str, problems: &mut Vec<String>) {
        let any = |p: &dyn Fn(&str) -> bool| range.iter().any(|r| p(r));
        let fits = match value {
            Value::String(s) => {
                any(&|r| self.vocab.data_types.contains_key(r) && self.forms.matches(s, r))
                    || (any(&|r| self.vocab.enumerations.contains(r))
                        && s.strip_prefix("https://schema.org/")
                            .is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_alphanumeric())))
            }
            Value::Number(n) => any(&|r| match r {
                "Number" | "Float" => true,
                "Integer" => n.is_i64() || n.is_u64(),
                _ => false,
            }),
            Value::Bool(_) => any(&|r| r == "Boolean"),
            Value::Object(node) if node.len() == 1 && node.contains_key("@id") => {
                if !node["@id"].as_str().is_some_and(|s| self.forms.matches(s, "URL")) {
                    problems.push(format!("{path}.@id: @id must be an absolute http(s) URL, got {}", node["@id"]));
                }
                any(&|r| !self.vocab.data_types.contains_key(r))
            }
            Value::Object(node) => {
                let types = self.node(node, path, problems);
                // An unknown type was reported by `node`; saying it is out of range too adds nothing.
                types.is_empty() || self.vocab.fits(&types, range)
            }
            Value::Null | Value::Array(_) => false,
        };
        if !fits {
            problems.push(format!("{path}: {value} does not fit {name:?}, whose range is {range:?}"));
        }
    }
}

/// Every JSON-LD block of every HTML page under `public`, as (page, block text), sorted by page.
fn blocks(public: &Path) -> Vec<(String, String)> {
    let selector = Selector::parse(r#"script[type="application/ld+json"]"#).expect("selector");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.expect("walk output");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry.path().strip_prefix(public).expect("below").to_string_lossy().into_owned();
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).expect("read page"));
        for script in html.select(&selector) {
            found.push((page.clone(), script.text().collect()));
        }
    }
    found
}

#[test]
fn every_pages_json_ld_fits_the_schema_org_vocabulary() {
    let example = SiteTest::example();
    example.build();
    // Drafts, future, retracted and under-review reviews, author profiles, replies: all of it.
    let basic = crate::support::varied_basic();
    let checker = Checker::new();
    let (mut problems, mut seen) = (Vec::new(), BTreeSet::new());
    for (site, public) in [("basic", basic.public()), ("example", example.public())] {
        for (page, text) in blocks(&public) {
            let doc: Value = match serde_json::from_str(&text) {
                Ok(doc) => doc,
                Err(e) => {
                    problems.push(format!("{site}/{page}: JSON-LD does not parse: {e}"));
                    continue;
                }
            };
            collect_types(&doc, &mut seen);
            problems.extend(checker.check(&doc).into_iter().map(|p| format!("{site}/{page} {p}")));
        }
    }
    // Were the review and project pages to lose their JSON-LD, this test would pass on nothing.
    for ty in [
        "Review",
        "Product",
        "Rating",
        "AggregateRating",
        "Person",
        "Organization",
        "ClaimReview",
        "Claim",
        "CreativeWork",
    ] {
        assert!(seen.contains(ty), "no page's JSON-LD has a {ty}; saw {seen:?}");
    }
    assert!(problems.is_empty(), "JSON-LD that schema.org does not define:\n{}", problems.join("\n"));
}

/// Adds every `@type` name in `value`, at any depth, to `seen`.
fn collect_types(value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            match map.get("@type") {
                Some(Value::String(t)) => {
                    seen.insert(t.clone());
                }
                Some(Value::Array(ts)) => seen.extend(ts.iter().filter_map(Value::as_str).map(String::from)),
                _ => {}
            }
            map.values().for_each(|v| collect_types(v, seen));
        }
        Value::Array(values) => values.iter().for_each(|v| collect_types(v, seen)),
        _ => {}
    }
}

/// The checker's problems with `doc`.
fn problems(doc: Value) -> Vec<String> {
    Checker::new().check(&doc)
}

#[test]
fn a_schema_org_review_passes() {
    let doc = serde_json::json!({
        "@context": "https://schema.org", "@type": "ClaimReview", "datePublished": "2026-11-10",
        "dateModified": "2026-11-12T09:30:00+01:00", "url": "https://reviews.test/r/",
        "author": [{ "@type": "Person", "name": "Ada", "url": "https://reviews.test/a/" }, { "@id": "https://x.test/#o" }],
        "itemReviewed": { "@type": "Claim", "text": "Fast." },
        "reviewRating": { "@type": "AggregateRating", "ratingValue": 7.5, "bestRating": "10", "ratingCount": 3 },
    });
    assert_eq!(problems(doc), Vec::<String>::new());
}

#[test]
fn an_unknown_type_fails() {
    let found = problems(serde_json::json!({ "@context": "https://schema.org", "@type": "Gizmo", "name": "x" }));
    assert!(found.len() == 1 && found[0].starts_with("$.@type: unknown type \"Gizmo\""), "{found:?}");
}

#[test]
fn a_property_of_another_type_fails() {
    let found = problems(serde_json::json!({
        "@context": "https://schema.org", "@type": "Product", "name": "Widget",
        "reviewRating": { "@type": "Rating", "ratingValue": "7" },
    }));
    assert!(
        found.len() == 1 && found[0].starts_with("$.reviewRating: \"reviewRating\" is not a property of"),
        "{found:?}"
    );
}

#[test]
fn a_value_out_of_range_fails() {
    let found = problems(serde_json::json!({
        "@context": "https://schema.org", "@type": "Review", "author": 5,
        "itemReviewed": { "@type": "Product", "aggregateRating": { "@type": "Person" } },
    }));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("$.author: 5 does not fit \"author\""), "{found:?}");
    assert!(found[1].starts_with("$.itemReviewed.aggregateRating: "), "{found:?}");
}

#[test]
fn malformed_dates_and_relative_urls_fail() {
    let found = problems(serde_json::json!({
        "@context": "https://schema.org", "@type": "Review", "datePublished": "2026-02-31",
        "dateModified": "12 Nov 2026", "url": "/reviews/first-look/", "author": "Ada",
    }));
    let mut paths: Vec<&str> = found.iter().filter_map(|p| p.split(':').next()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["$.author", "$.dateModified", "$.datePublished", "$.url"], "{found:?}");
}
