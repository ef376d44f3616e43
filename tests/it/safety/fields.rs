//! Hostile field values: control characters in every field that reaches a feed are errors at
//! their position, raw or escaped, in YAML, TOML and the configuration; whatever is accepted
//! gives well-formed XML and no control character in any output; `llms.txt` keeps its
//! structure. Links (URL fields, Markdown, raw HTML) are in `links`.

mod links;
mod raw_html;

use std::path::Path;

use critique::diagnostic::Diagnostic;
use critique::load::{Section, SiteFiles, SourceFile};
use critique::{SiteOptions, render_site};
use proptest::prelude::*;

use crate::support::SiteTest;

/// Control characters of every kind: C0, ESC, DEL, C1 (NEL, the last), the XML-illegal
/// noncharacter U+FFFE, and a carriage return that ends no line.
const CONTROLS: [char; 8] = ['\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{fffe}', '\r'];

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    (line, col)
}

/// `text` as a double-quoted string, which YAML and TOML read alike: control characters as
/// `\uXXXX` escapes.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A project `hostile` whose `name` is `name` (already written as YAML or TOML).
fn project(toml: bool, name: &str) -> String {
    if toml {
        format!("+++\nname = {name}\nsummary = \"S\"\n+++\nBody.\n")
    } else {
        format!("---\nname: {name}\nsummary: S\n---\nBody.\n")
    }
}

/// A review of `hostile` with this `title` and `author` (already written as YAML or TOML).
fn review(toml: bool, title: &str, author: &str) -> String {
    if toml {
        format!(
            "+++\ntitle = {title}\nproject = \"hostile\"\nauthor = {author}\ndate = 2026-11-10\nverdict = \"good\"\n[scores]\ncost = 8\n+++\nBody.\n"
        )
    } else {
        format!(
            "---\ntitle: {title}\nproject: hostile\nauthor: {author}\ndate: 2026-11-10\nverdict: good\nscores: {{ cost: 8 }}\n---\nBody.\n"
        )
    }
}

/// The errors of building the basic fixture with these files added or replaced, about `path`.
fn errors_in(files: &[(&str, &str)], path: &str) -> Vec<Diagnostic> {
    let site = SiteTest::fixture("basic");
    for (rel, text) in files {
        site.write(rel, text);
    }
    let errors = site.errors();
    errors.into_iter().filter(|e| e.path == Path::new(path)).collect()
}

#[test]
fn control_characters_in_content_fields_are_errors_at_their_position() {
    const PROJECT: &str = "content/projects/hostile.md";
    const REVIEW: &str = "content/reviews/hostile.md";
    for toml in [false, true] {
        for c in CONTROLS {
            let raw = format!("\"Bad{c}name\"");
            let escaped = quoted(&format!("Bad{c}name"));
            let plain = quoted("Fine");
            // (field, file, its text, where the error must be)
            let cases = [
                ("name", PROJECT, project(toml, &raw), true),
                ("name", PROJECT, project(toml, &escaped), false),
                ("title", REVIEW, review(toml, &raw, &plain), true),
                ("title", REVIEW, review(toml, &escaped, &plain), false),
                ("author", REVIEW, review(toml, &plain, &raw), true),
                ("author", REVIEW, review(toml, &plain, &escaped), false),
            ];
            for (field, path, text, is_raw) in cases {
                let other = if path == PROJECT {
                    (REVIEW, review(toml, &plain, &plain))
                } else {
                    (PROJECT, project(toml, &plain))
                };
                let errors = errors_in(&[(path, &text), (other.0, &other.1)], path);
                let expected = if is_raw { position(&text, &c.to_string()) } else { position(&text, &escaped) };
                let case = format!(
                    "{field} with U+{:04X}, {}, {}",
                    u32::from(c),
                    if toml { "TOML" } else { "YAML" },
                    if is_raw { "raw" } else { "escaped" }
                );
                assert_eq!(errors.len(), 1, "{case}: {errors:#?}");
                let e = &errors[0];
                assert_eq!((e.line, e.col), expected, "{case}: {e}");
                // A raw NUL makes the file binary, which loading already refuses, at the byte.
                let named = match (c, is_raw) {
                    ('\r', true) => "carriage return".to_string(),
                    ('\0', true) => "NUL".to_string(),
                    _ => format!("U+{:04X}", u32::from(c)),
                };
                assert!(e.message.contains(&named), "{case}: {e}");
                if !is_raw {
                    assert!(e.message.contains(&format!("in `{field}`")), "{case}: {e}");
                }
            }
        }
    }
}

#[test]
fn control_characters_in_the_configuration_are_errors_at_their_position() {
    const BASE: &str = "base_url = \"https://reviews.test/\"\nmin_reviews = 2\n[[axes]]\nkey = \"cost\"\nlabel = \"Cheaper\"\n[[verdicts]]\nkey = \"good\"\nlabel = \"Good\"\n[[verdicts]]\nkey = \"bad\"\nlabel = \"Bad\"\n";
    for c in CONTROLS {
        for field in ["title", "description", "language"] {
            for is_raw in [true, false] {
                // TOML refuses raw C0 controls and DEL itself; the message then is the parser's, at the character.
                let value = if is_raw { format!("\"en{c}x\"") } else { quoted(&format!("en{c}x")) };
                let config = format!("{field} = {value}\n{BASE}");
                let errors = errors_in(&[("critique.toml", &config)], "critique.toml");
                let case = format!("{field} with U+{:04X}, {}", u32::from(c), if is_raw { "raw" } else { "escaped" });
                assert_eq!(errors.len(), 1, "{case}: {errors:#?}");
                let expected = if is_raw { position(&config, &c.to_string()) } else { position(&config, &value) };
                assert_eq!((errors[0].line, errors[0].col), expected, "{case}: {}", errors[0]);
                if !is_raw {
                    let message = &errors[0].message;
                    assert!(message.contains(&format!("U+{:04X}", u32::from(c))), "{case}: {message}");
                    assert!(message.contains(&format!("in `{field}`")), "{case}: {message}");
                }
            }
        }
    }
}

#[test]
fn a_tag_or_author_too_long_to_name_a_folder_is_an_error_at_its_key() {
    // Each is the name of an output folder; past 255 bytes the build used to fail on the
    // staging path, naming no source, while `check` passed.
    const PROJECT: &str = "content/projects/hostile.md";
    const REVIEW: &str = "content/reviews/hostile.md";
    let long = "x".repeat(300);
    let tagged = |tag: &str| {
        format!(
            "---\ntitle: T\nproject: hostile\nauthor: A\ndate: 2026-11-10\nverdict: good\nscores: {{ cost: 8 }}\ntags: [fine, {tag}]\n---\nBody.\n"
        )
    };
    let cases = [
        (REVIEW, tagged(&long), "tags", "tag `xxxx"),
        (REVIEW, tagged(&"é ".repeat(100)), "tags", "bytes long as a URL"),
        (REVIEW, review(false, "T", &long), "author", "`author` is 300 bytes long"),
        (PROJECT, format!("---\nname: P\nsummary: S\ntags: [{long}]\n---\nBody.\n"), "tags", "tag `xxxx"),
    ];
    for (path, text, key, says) in cases {
        let other = if path == PROJECT { (REVIEW, review(false, "T", "A")) } else { (PROJECT, project(false, "P")) };
        let errors = errors_in(&[(path, &text), (other.0, &other.1)], path);
        assert_eq!(errors.len(), 1, "{key}: {errors:#?}");
        assert_eq!(errors[0].line, position(&text, &format!("{key}:")).0, "{key}: {}", errors[0]);
        assert!(errors[0].message.contains(says), "{key}: {}", errors[0]);
    }
    // A long name that is fine stays fine.
    let site = SiteTest::fixture("basic");
    site.write(REVIEW, tagged(&"y".repeat(120))).write(PROJECT, project(false, "P"));
    site.build();
    assert!(site.public().join(format!("tags/{}/index.html", "y".repeat(120))).is_file());
}

/// The words of `llms.txt` that say what structure it has: its lines, headings and links.
fn llms_structure(text: &str) -> (usize, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag};
    let tags = Parser::new_ext(text, pulldown_cmark::Options::all())
        .filter_map(|e| match e {
            Event::Start(
                tag @ (Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. } | Tag::Item | Tag::List(_)),
            ) => Some(format!("{tag:?}").split(['{', '(']).next().unwrap_or_default().to_string()),
            Event::Html(_) | Event::InlineHtml(_) => Some("html".to_string()),
            _ => None,
        })
        .collect();
    (text.lines().count(), tags)
}

#[test]
fn a_hostile_title_or_name_changes_nothing_of_llms_txt_and_keeps_to_one_line_everywhere() {
    let build = |name: &str, title: &str, author: &str| {
        let site = SiteTest::fixture("basic");
        site.write("content/projects/hostile.md", project(false, name));
        site.write("content/reviews/hostile.md", review(false, title, author));
        site.build();
        site
    };
    let plain = build("Plain", "Plain", "Plain");
    let hostile_title = "\"Title\\n## Injected section\\n- [a link](https://evil.example/) <b>x</b>\\n\\n# Top\"";
    let hostile = build("|\n  Name\n  ## Also\n  [x](https://evil.example/)", hostile_title, "\"Au\\nthor [y](/z)\"");
    assert_eq!(llms_structure(&hostile.read("llms.txt")), llms_structure(&plain.read("llms.txt")));
    let page = hostile.html("reviews/hostile/index.html");
    let title = page.text("title");
    assert!(title.starts_with("Title ## Injected section - [a link](https://evil.example/) <b>x</b> # Top"), "{title}");
    assert!(!hostile.read("reviews/hostile/index.html").contains("<b>x</b>"), "escaped in the page");
    let feed = hostile.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed parses");
    let titles: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Title ## Injected")), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains('\n')), "{titles:?}");
}

// Every field that reaches an XML output, from arbitrary text: the site either builds, every
// XML output then parsing and no output holding a control character, or reports positioned
// errors.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "\\PC{0,12}",
        2 => prop::collection::vec(prop_oneof![
            Just("<".to_string()), Just("&".to_string()), Just("]]>".to_string()), Just("\"".to_string()),
            Just("'".to_string()), Just("&amp;".to_string()), Just("\n".to_string()), Just("\r\n".to_string()),
            Just("\u{0}".to_string()), Just("\u{b}".to_string()), Just("\u{85}".to_string()), Just("\u{fffe}".to_string()),
            Just("\u{ffff}".to_string()), Just("\u{feff}".to_string()), Just("<![CDATA[".to_string()), Just("x".to_string()),
            Just("--".to_string()), Just("&#1;".to_string()), Just("\u{1F600}".to_string()),
        ], 0..8).prop_map(|parts| parts.concat()),
    ]
}

fn language() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-z]{2}(-[A-Z]{2})?", 1 => any::<String>()]
}

/// A TOML basic string, as `toml` writes one.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_accepted_field_makes_well_formed_xml(
        title in field(), description in field(), language in language(), label in field(),
        name in field(), review_title in field(), author in field(), body in field(), toml_review in any::<bool>(),
    ) {
        let config = format!(
            "title = {}\ndescription = {}\nlanguage = {}\nbase_url = \"https://x.test/sub/\"\n[[verdicts]]\nkey = \"good\"\nlabel = {}\n",
            toml_string(&title), toml_string(&description), toml_string(&language), toml_string(&label)
        );
        let project = format!("---\nname: {}\nsummary: S\n---\nBody.\n", serde_json::to_string(&name).expect("json"));
        let review = if toml_review {
            format!("+++\ntitle = {}\nproject = \"p\"\nauthor = {}\ndate = 2026-11-10\nverdict = \"good\"\n+++\n{body}\n", toml_string(&review_title), toml_string(&author))
        } else {
            format!("---\ntitle: {}\nproject: p\nauthor: {}\ndate: 2026-11-10\nverdict: good\n---\n{body}\n", serde_json::to_string(&review_title).expect("json"), serde_json::to_string(&author).expect("json"))
        };
        let files = SiteFiles {
            config: Some(config),
            content: vec![
                SourceFile::new(Section::Projects, "p", project),
                SourceFile::new(Section::Reviews, "r", review),
            ],
            ..SiteFiles::default()
        };
        match render_site(&files, &SiteOptions::default(), critique::cache_store::Stores::NONE) {
            Ok((_, outputs)) => {
                let xml: Vec<_> = outputs.iter().filter(|f| f.path.ends_with(".xml")).collect();
                prop_assert!(xml.len() >= 3, "feed, project feed and sitemap: {:?}", xml.iter().map(|f| &f.path).collect::<Vec<_>>());
                for file in xml {
                    let text = std::str::from_utf8(&file.bytes).expect("UTF-8");
                    let parsed = roxmltree::Document::parse(text);
                    prop_assert!(parsed.is_ok(), "{} is not well-formed: {:?}\n{}", file.path, parsed.err(), text);
                }
                for file in &outputs {
                    if let Ok(text) = std::str::from_utf8(&file.bytes) {
                        prop_assert_eq!(critique::text::find_control(text).map(|(_, c)| c), None, "{}", file.path);
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    prop_assert!(e.line > 0, "every error is positioned: {}", e);
                }
            }
        }
    }
}
