//! The published dataset against its JSON Schema, keyword by keyword: a small validator for
//! the part of draft 2020-12 that `data/schema.json` uses (no vetted crate, no new
//! dependency), its own tests, and every record of built sites checked with it.

use std::collections::HashMap;

use regex::Regex;
use serde_json::{Value, json};

use crate::support::SiteTest;

/// Keywords that only annotate: they never make an instance fail. `format` is one of them in
/// 2020-12 unless a vocabulary asserts it.
const ANNOTATIONS: [&str; 6] = ["$schema", "$id", "title", "description", "$comment", "format"];

/// The type names of JSON Schema's `type`.
const TYPES: [&str; 7] = ["null", "boolean", "object", "array", "number", "integer", "string"];

/// A schema document, audited once: every keyword known, every `$ref` resolvable, every
/// `pattern` compiled, so that validation itself never meets a schema it cannot read.
struct Validator<'a> {
    root: &'a Value,
    patterns: HashMap<String, Regex>,
}

impl<'a> Validator<'a> {
    /// Audits `root`; panics naming the first keyword or value it does not support, so that
    /// the schema cannot grow past this validator silently.
    fn new(root: &'a Value) -> Self {
        if let Some(dialect) = root.get("$schema") {
            assert_eq!(dialect, "https://json-schema.org/draft/2020-12/schema", "only draft 2020-12 is supported");
        }
        let mut validator = Validator { root, patterns: HashMap::new() };
        validator.audit(root, "#");
        validator
    }

    /// Walks the schema at `path` and everything below it, checking each keyword's value.
    fn audit(&mut self, schema: &Value, path: &str) {
        let keywords = match schema {
            Value::Bool(_) => return,
            Value::Object(keywords) => keywords,
            other => panic!("the schema at {path} is neither an object nor a boolean: {other}"),
        };
        for (keyword, value) in keywords {
            let here = format!("{path}/{}", escape(keyword));
            match keyword.as_str() {
                k if ANNOTATIONS.contains(&k) => {}
                "$defs" | "properties" => {
                    let map = value.as_object().unwrap_or_else(|| panic!("{here} is not an object"));
                    for (name, sub) in map {
                        self.audit(sub, &format!("{here}/{}", escape(name)));
                    }
                }
                "additionalProperties" => self.audit(value, &here),
                // 2020-12's `items` is one schema; the array form is `prefixItems`, unsupported.
                "items" => {
                    assert!(!value.is_array(), "{here}: tuple `items` is not 2020-12 (prefixItems is unsupported)");
                    self.audit(value, &here);
                }
                "oneOf" | "anyOf" => {
                    let branches = value.as_array().filter(|b| !b.is_empty());
                    let branches = branches.unwrap_or_else(|| panic!("{here} is not a non-empty array"));
                    for (i, sub) in branches.iter().enumerate() {
                        self.audit(sub, &format!("{here}/{i}"));
                    }
                }
                "$ref" => _ = self.resolve(value.as_str().unwrap_or_else(|| panic!("{here} is not a string"))),
                "type" => {
                    for name in names(value) {
                        assert!(name.as_str().is_some_and(|n| TYPES.contains(&n)), "{here}: unknown type {name}");
                    }
                }
                "required" => {
                    let names = value.as_array().filter(|a| a.iter().all(Value::is_string));
                    assert!(names.is_some(), "{here} is not an array of strings");
                }
                "enum" => assert!(value.is_array(), "{here} is not an array"),
                "const" => {}
                "pattern" => {
                    let source = value.as_str().unwrap_or_else(|| panic!("{here} is not a string"));
                    // Rust's `\d` also takes non-ASCII digits where ECMA 262's does not: more
                    // lenient, never stricter, and the dataset writes its dates in ASCII.
                    let regex = Regex::new(source).unwrap_or_else(|e| panic!("{here}: bad pattern: {e}"));
                    self.patterns.insert(source.to_string(), regex);
                }
                "minimum" | "maximum" => assert!(value.is_number(), "{here} is not a number"),
                "minItems" => assert!(value.is_u64(), "{here} is not a non-negative integer"),
                other => panic!("unsupported JSON Schema keyword `{other}` at {path}: teach json_schema.rs"),
            }
        }
    }

    /// The schema a local `$ref` (`#`, `#/$defs/...`) names; panics on any other reference.
    fn resolve(&self, reference: &str) -> &'a Value {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("$ref {reference} is not local"));
        self.root.pointer(pointer).unwrap_or_else(|| panic!("$ref {reference} resolves to nothing"))
    }

    /// Every error of `instance` against the schema `reference` names (`#/$defs/review`), as
    /// `<instance pointer>: <what failed>`; empty when it is valid.
    fn validate(&self, reference: &str, instance: &Value) -> Vec<String> {
        self.check(self.resolve(reference), instance, "")
    }

    /// The errors of `instance`, found at pointer `at`, against `schema`.
    fn check(&self, schema: &Value, instance: &Value, at: &str) -> Vec<String> {
        let mut errors = Vec::new();
        let mut fail = |what: String| errors.push(format!("{}: {what}", if at.is_empty() { "(root)" } else { at }));
        let keywords = match schema {
            Value::Bool(true) => return errors,
            Value::Bool(false) => {
                fail("the schema `false` allows nothing".into());
                return errors;
            }
            Value::Object(keywords) => keywords,
            other => panic!("not a schema: {other}"),
        };
        let mut nested = Vec::new();
        for (keyword, value) in keywords {
            match keyword.as_str() {
                k if ANNOTATIONS.contains(&k) => {}
                // Definitions apply only through `$ref`.
                "$defs" => {}
                "$ref" => nested.extend(self.check(self.resolve(value.as_str().unwrap_or_default()), instance, at)),
                "type" => {
                    let names: Vec<&str> = names(value).iter().filter_map(Value::as_str).collect();
                    if !names.iter().any(|name| has_type(instance, name)) {
                        fail(format!("expected type {}, found {}", names.join(" or "), short(instance)));
                    }
                }
                "required" => {
                    let Some(object) = instance.as_object() else { continue };
                    for name in value.as_array().into_iter().flatten().filter_map(Value::as_str) {
                        if !object.contains_key(name) {
                            fail(format!("lacks the required property `{name}`"));
                        }
                    }
                }
                "properties" | "additionalProperties" => {
                    let Some(object) = instance.as_object() else { continue };
                    let declared = keywords.get("properties").and_then(Value::as_object);
                    for (name, item) in object {
                        // `properties` checks the names it lists, `additionalProperties` the rest.
                        let named = declared.and_then(|p| p.get(name));
                        let schema = if keyword == "properties" { named } else { named.xor(Some(value)) };
                        if let Some(schema) = schema {
                            nested.extend(self.check(schema, item, &format!("{at}/{}", escape(name))));
                        }
                    }
                }
                "enum" => {
                    let options = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    if !options.iter().any(|o| same(o, instance)) {
                        fail(format!("{} is not one of {value}", short(instance)));
                    }
                }
                "const" if !same(value, instance) => fail(format!("expected {value}, found {}", short(instance))),
                "const" => {}
                "oneOf" | "anyOf" => {
                    let branches = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    let outcomes: Vec<Vec<String>> = branches.iter().map(|b| self.check(b, instance, at)).collect();
                    let matched: Vec<usize> = (0..outcomes.len()).filter(|&i| outcomes[i].is_empty()).collect();
                    if matched.is_empty() {
                        let why: Vec<String> =
                            outcomes.iter().enumerate().map(|(i, e)| format!("branch {i}: {}", e.join("; "))).collect();
                        fail(format!("matches no branch of {keyword} [{}]", why.join(" | ")));
                    } else if keyword == "oneOf" && matched.len() > 1 {
                        fail(format!("matches {} branches of oneOf ({matched:?}), not exactly one", matched.len()));
                    }
                }
                "pattern" => {
                    let source = value.as_str().unwrap_or_default();
                    if let (Some(text), Some(regex)) = (instance.as_str(), self.patterns.get(source))
                        && !regex.is_match(text)
                    {
                        fail(format!("{} does not match the pattern {source}", short(instance)));
                    }
                }
                "minimum" | "maximum" => {
                    let (Some(n), Some(bound)) = (instance.as_f64(), value.as_f64()) else { continue };
                    if (keyword == "minimum" && n < bound) || (keyword == "maximum" && n > bound) {
                        fail(format!("{n} is beyond the {keyword} {bound}"));
                    }
                }
                "minItems" => {
                    let (Some(items), Some(min)) = (instance.as_array(), value.as_u64()) else { continue };
                    if (items.len() as u64) < min {
                        fail(format!("{} items, fewer than minItems {min}", items.len()));
                    }
                }
                "items" => {
                    for (i, item) in instance.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
                        nested.extend(self.check(value, item, &format!("{at}/{i}")));
                    }
                }
                other => panic!("unsupported JSON Schema keyword `{other}`: the audit should have caught it"),
            }
        }
        errors.append(&mut nested);
        errors
    }
}

/// The type names a `type` keyword gives: one, or a list.
fn names(value: &Value) -> &[Value] {
    value.as_array().map_or(std::slice::from_ref(value), Vec::as_slice)
}

/// Whether `instance` is of the JSON Schema type `name`; an integer is any number without a
/// fractional part, so `2.0` is one.
fn has_type(instance: &Value, name: &str) -> bool {
    match name {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "number" => instance.is_number(),
        "integer" => instance.is_i64() || instance.is_u64() || instance.as_f64().is_some_and(|f| f.fract() == 0.0),
        "string" => instance.is_string(),
        other => panic!("unknown type {other}"),
    }
}

/// JSON equality for `enum` and `const`: numbers by value (`1` equals `1.0`), which
/// serde_json's `==` does not do.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A JSON Pointer reference token: `~` and `/` escaped.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// An instance for an error message, cut short so that a whole record does not flood it.
fn short(instance: &Value) -> String {
    let text = instance.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}

/// The errors of `instance` against `schema` as a whole.
fn errors_of(schema: Value, instance: Value) -> Vec<String> {
    Validator::new(&schema).validate("#", &instance)
}

#[test]
fn valid_instances_pass() {
    let schema = json!({
        "$defs": { "date": { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "format": "date" } },
        "type": "object",
        "required": ["n", "when"],
        "properties": {
            "n": { "type": "integer", "minimum": 1, "maximum": 3 },
            "when": { "oneOf": [{ "$ref": "#/$defs/date" }, { "type": "null" }] },
            "tags": { "type": "array", "items": { "type": "string" }, "minItems": 1 },
            "kind": { "enum": ["a", "b"] },
            "v": { "const": 2 },
            "either": { "anyOf": [{ "type": "number" }, { "type": ["string", "null"] }] }
        },
        "additionalProperties": { "type": "boolean" }
    });
    let good =
        json!({"n": 2.0, "when": "2026-01-02", "tags": ["x"], "kind": "b", "v": 2.0, "either": 1, "extra": true});
    assert_eq!(errors_of(schema.clone(), good), Vec::<String>::new());
    assert_eq!(errors_of(schema, json!({"n": 3, "when": null})), Vec::<String>::new());
}

#[test]
fn invalid_instances_fail_with_the_pointer_and_the_reason() {
    let object = |properties: Value| json!({"type": "object", "properties": properties});
    let cases = [
        (object(json!({"n": {"type": "integer"}})), json!({"n": 1.5}), "/n: expected type integer, found 1.5"),
        (object(json!({"n": {"type": ["string", "null"]}})), json!({"n": 1}), "/n: expected type string or null"),
        (json!({"required": ["a"]}), json!({}), "(root): lacks the required property `a`"),
        (json!({"properties": {"a": {}}, "additionalProperties": false}), json!({"a": 1, "b/c": 2}), "/b~1c: the"),
        (json!({"oneOf": [{"type": "number"}, {"type": "integer"}]}), json!(3), "matches 2 branches of oneOf"),
        (json!({"oneOf": [{"type": "number"}, {"type": "null"}]}), json!("x"), "matches no branch of oneOf"),
        (json!({"anyOf": [{"type": "number"}, {"type": "null"}]}), json!("x"), "matches no branch of anyOf"),
        (object(json!({"s": {"enum": ["open", "answered"]}})), json!({"s": "closed"}), "/s: \"closed\" is not one of"),
        (json!({"const": 2}), json!(1), "(root): expected 2, found 1"),
        (json!({"pattern": "^\\d{4}$"}), json!("20x6"), "does not match the pattern"),
        (json!({"minimum": 1}), json!(0), "0 is beyond the minimum 1"),
        (json!({"maximum": 1}), json!(2), "2 is beyond the maximum 1"),
        (json!({"minItems": 1}), json!([]), "0 items, fewer than minItems 1"),
        (json!({"items": {"type": "string"}}), json!(["a", 2]), "/1: expected type string"),
        (json!({"$defs": {"d": {"required": ["x"]}}, "items": {"$ref": "#/$defs/d"}}), json!([{}]), "/0: lacks"),
    ];
    for (schema, instance, expected) in cases {
        let errors = errors_of(schema.clone(), instance.clone());
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{instance} against {schema}: expected an error containing {expected:?}, got {errors:?}"
        );
    }
}

#[test]
#[should_panic(expected = "$ref #/$defs/missing resolves to nothing")]
fn a_dangling_ref_is_refused() {
    errors_of(json!({"properties": {"a": {"$ref": "#/$defs/missing"}}}), json!({}));
}

#[test]
#[should_panic(expected = "unsupported JSON Schema keyword `maxLength`")]
fn an_unknown_keyword_is_refused_even_where_no_instance_reaches() {
    errors_of(json!({"$defs": {"unused": {"maxLength": 3}}}), json!(null));
}

#[test]
#[should_panic(expected = "unknown type \"int\"")]
fn an_unknown_type_name_is_refused() {
    errors_of(json!({"type": "int"}), json!(1));
}

/// Every record `site` published, each with where it came from and the `$defs` entry it
/// must follow.
fn published(site: &SiteTest) -> Vec<(String, &'static str, Value)> {
    let mut records = Vec::new();
    for (file, kind) in
        [("data/reviews.jsonl", "review"), ("data/claims.jsonl", "claim"), ("data/authors.jsonl", "author")]
    {
        for (i, line) in site.read(file).lines().enumerate() {
            let record = serde_json::from_str(line).unwrap_or_else(|e| panic!("{file} line {}: {e}", i + 1));
            records.push((format!("{file} line {}", i + 1), kind, record));
        }
    }
    let mut projects: Vec<_> = std::fs::read_dir(site.public().join("projects"))
        .expect("projects/")
        .map(|entry| entry.expect("entry").path().join("index.json"))
        .filter(|path| path.is_file())
        .collect();
    projects.sort();
    for path in projects {
        let from = path.strip_prefix(site.public()).expect("in public/").display().to_string();
        let text = std::fs::read_to_string(&path).expect("read project JSON");
        let record = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{from}: {e}"));
        records.push((from, "project", record));
    }
    records
}

#[test]
fn every_published_record_follows_the_published_schema() {
    let example = SiteTest::example();
    example.build();
    let sites =
        [("basic", SiteTest::built("basic")), ("varied basic", crate::support::varied_basic()), ("example", example)];
    let mut errors = Vec::new();
    let mut seen: Vec<(String, &str, Value)> = Vec::new();
    for (name, site) in &sites {
        let schema: Value = serde_json::from_str(&site.read("data/schema.json")).expect("schema parses");
        let validator = Validator::new(&schema);
        let records = published(site);
        for kind in ["review", "claim", "project", "author"] {
            assert!(records.iter().any(|(_, k, _)| *k == kind), "{name} published no {kind} record");
        }
        for (from, kind, record) in records {
            for error in validator.validate(&format!("#/$defs/{kind}"), &record) {
                errors.push(format!("{name}: {from} ({kind}) {error}"));
            }
            seen.push((from, kind, record));
        }
    }
    assert!(errors.is_empty(), "{} schema violations:\n{}", errors.len(), errors.join("\n"));
    // The optional parts the schema describes were really published, so their branches ran.
    let reviews = || seen.iter().filter(|(_, k, _)| *k == "review").map(|(_, _, r)| r);
    for status in ["published", "under-review", "retracted"] {
        assert!(reviews().any(|r| r["status"] == status), "no {status} review was validated");
    }
    assert!(reviews().any(|r| r["disclosure"].is_object()), "no disclosure was validated");
    assert!(seen.iter().any(|(_, k, c)| *k == "claim" && c["finding"].is_object()), "no finding was validated");
    assert!(
        seen.iter().any(|(_, k, p)| *k == "project" && p["events"][1]["source_ledger"].is_object()),
        "no event was validated"
    );
    assert!(
        reviews()
            .any(|r| r["questions"].as_array().is_some_and(|q| q.iter().any(|q| q["evidence_ledger"].is_object()))),
        "no ledger was validated"
    );
    let authors = || seen.iter().filter(|(_, k, _)| *k == "author").map(|(_, _, a)| a);
    assert!(authors().any(|a| a["profile"] == true && a["disclosure"].is_object()), "no profile was validated");
    assert!(authors().any(|a| a["profile"] == false), "no author without a profile was validated");
    assert!(seen.iter().any(|(_, k, r)| *k == "project" && r["recommend"].is_object()), "no recommend was validated");
    assert!(
        reviews().any(|r| r["authors"].as_array().is_some_and(|a| a.len() == 2)),
        "no co-authored review was validated"
    );
    assert!(
        reviews()
            .any(|r| r["questions"].as_array().is_some_and(|q| q.iter().any(|q| q["response_requested"].is_string()))),
        "no requested reply was validated"
    );
    let replies =
        seen.iter().filter(|(_, k, _)| *k == "project").flat_map(|(_, _, p)| p["responses"].as_array()).flatten();
    assert!(replies.clone().any(|r| r["to"][1]["question"] == 1), "no response was validated");
}
