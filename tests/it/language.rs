//! The interface in the site's language: the example site built in each built-in language
//! other than English shows none of the English interface text outside its content, dates are
//! written the language's way, and `[strings]` overrides any key (an unknown one is an error at
//! its line).

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{Html, Node, Selector};

use crate::support::{SiteTest, varied_basic};

/// Elements that hold a body's HTML (reviews, projects, answers, feeds' entries): content.
const CONTENT: &str = ".prose, .summary, .answer, .finding-summary, script, style, content, summary";

/// Attributes whose value readers see or hear.
const READ: [&str; 6] = ["aria-label", "title", "alt", "placeholder", "content", "label"];

/// `text` with its spaces and quotes made alike, for finding it in the sources.
fn normalized(text: &str) -> String {
    let text = text.replace(['’', '‘'], "'").replace(['“', '”'], "\"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text the site's own files hold (content and configuration, with its defaults), normalized: a text of a
/// page found in them is the site's, not the theme's.
fn sources(root: &Path) -> String {
    let files = walkdir::WalkDir::new(root.join("content")).into_iter().flatten().map(|e| e.into_path());
    let texts = files.chain([root.join("critique.toml")]).filter_map(|p| std::fs::read_to_string(p).ok());
    // The configuration's defaults (description, axes, verdicts) are the site's too.
    let config = critique::config::Config::default();
    let axes = config.axes.iter().flat_map(|a| [a.label.clone(), a.ask.clone()]);
    let judgements = config.verdicts.iter().chain(&config.claim_ratings);
    let labels = judgements.flat_map(|v| [v.label.clone(), v.description.clone()]);
    let defaults = [config.description.clone()].into_iter().chain(axes).chain(labels).collect::<Vec<_>>().join("\n");
    normalized(&texts.chain([defaults]).collect::<Vec<_>>().join("\n"))
}

/// Every form of every text of a language's table, by key.
fn table(language: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/strings/{language}.toml"));
    let text = std::fs::read_to_string(path).expect("table");
    let table: toml::Table = toml::from_str(&text).expect("a table");
    let mut texts = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::String(s) => texts.push((key, s)),
            toml::Value::Table(forms) => {
                texts.extend(forms.values().filter_map(|f| f.as_str()).map(|f| (key.clone(), f.to_string())));
            }
            other => panic!("{language}: {key} is {other:?}"),
        }
    }
    texts
}

/// The text of plain `key` in `language`'s table.
fn text(language: &str, key: &str) -> String {
    let mut forms = table(language).into_iter().filter(|(k, _)| k == key).map(|(_, t)| t);
    let text = forms.next().unwrap_or_else(|| panic!("{language}: no {key}"));
    assert!(forms.next().is_none(), "{language}: {key} is counted");
    text
}

/// The English interface text that `language` words differently: each text's literal parts
/// (between its `{placeholders}`), trimmed, that no text of `language` holds.
fn english_left(language: &str) -> BTreeSet<String> {
    let theirs: Vec<String> = table(language).into_iter().map(|(_, t)| t).collect();
    let mut left = BTreeSet::new();
    for (_, text) in table("en") {
        for part in text.split('{').map(|p| p.rsplit('}').next().unwrap_or(p)) {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            // Short words (`and`, `or the`) say nothing alone; names and numbers are not words.
            let letters = part.chars().filter(|c| c.is_alphabetic()).count();
            let short = if part.contains(' ') { letters < 10 } else { letters < 4 };
            if short || theirs.iter().any(|t| t.contains(part)) {
                continue;
            }
            left.insert(part.to_string());
        }
    }
    left
}

/// The interface text of one output file: each text node outside [`CONTENT`], and each
/// [`READ`] or `data-t-*` attribute, but those the site's own files hold (`sources`).
fn interface_text(html: &str, sources: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let content = Selector::parse(CONTENT).expect("selector");
    let skipped: BTreeSet<_> = document.select(&content).flat_map(|e| e.descendants().map(|d| d.id())).collect();
    let mut texts = Vec::new();
    for node in document.root_element().descendants() {
        if skipped.contains(&node.id()) {
            continue;
        }
        match node.value() {
            Node::Text(text) => texts.push(text.split_whitespace().collect::<Vec<_>>().join(" ")),
            Node::Element(element) => {
                for (name, value) in element.attrs() {
                    if READ.contains(&name) || name.starts_with("data-t-") {
                        texts.push(value.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    // A summary is cut short with an ellipsis where its source goes on.
    texts.retain(|t| !t.is_empty() && !sources.contains(normalized(t).trim_end_matches('…')));
    texts
}

/// Every page and feed under `public`, with its interface text.
fn pages(public: &Path, sources: &str) -> Vec<(String, Vec<String>)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html" || x == "xml"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            (e.path().strip_prefix(public).expect("below").display().to_string(), interface_text(&text, sources))
        })
        .collect()
}

/// Whether `text` shows `english`: a single word as the whole text (a word alone says little
/// inside a sentence: `Open` in `OpenGradient`), several as words within it.
fn shows(text: &str, english: &str) -> bool {
    let bare = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    if !english.contains(' ') {
        return bare(text) == english;
    }
    text.match_indices(english).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + english.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// What of `left` the pages of `site` still show: (page, English, where).
fn leftovers(site: &SiteTest, left: &BTreeSet<String>) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (page, texts) in pages(&site.public(), &sources(&site.root)) {
        for text in texts {
            if let Some(english) = left.iter().find(|e| shows(&text, e)) {
                found.push((page.clone(), english.clone(), text));
            }
        }
    }
    found
}

fn in_language(site: &SiteTest, language: &str) {
    site.edit("critique.toml", "language = \"en\"", &format!("language = \"{language}\""));
}

#[test]
fn the_example_site_in_each_language_shows_no_english_interface_text() {
    for language in ["de", "fr", "es"] {
        let site = SiteTest::example();
        in_language(&site, language);
        site.build();
        let left = english_left(language);
        assert!(left.contains("Waiting") && left.contains("Skip to content"), "{left:?}");
        let found = leftovers(&site, &left);
        assert!(found.is_empty(), "{language}: English left in the interface:\n{found:#?}");
        let home = site.html("index.html");
        assert_eq!(home.attrs("html", "lang"), [language]);
        // The comparison's page, in the check above too: its title, form and the sentence
        // without JavaScript, and the words its script writes (`data-t-*`), in the language.
        let compare = site.html("compare/index.html");
        assert_eq!(compare.text("h1"), text(language, "compare_title"));
        assert_eq!(compare.text("title").split(" · ").next(), Some(text(language, "compare_title").as_str()));
        assert_eq!(compare.text("#compare-form legend"), text(language, "compare_legend"));
        let nojs = compare.text(".compare-nojs");
        assert!(!nojs.contains("needs JavaScript"), "{language}: {nojs}");
        assert_eq!(compare.texts(".compare-nojs a"), [text(language, "compare_nojs_projects")]);
        assert_eq!(compare.attrs("#compare", "data-t-overall"), [text(language, "col_overall")]);
        assert_eq!(compare.attrs("#compare", "data-t-prompt"), [text(language, "compare_prompt")]);
        assert_eq!(compare.attrs("#compare", "data-t-and"), [text(language, "separator_and")]);
    }
}

#[test]
fn every_part_of_the_theme_is_in_the_language_of_a_site_that_uses_them_all() {
    // Stale, future-dated, under review, retracted, disclosures, replies, aliases.
    let site = varied_basic();
    site.write("critique.toml", format!("language = \"de\"\n{}", site.read_source("critique.toml")));
    let options = critique::SiteOptions { drafts: true, future: true, ..SiteTest::options() };
    site.build_with(options, None).expect("build");
    let found = leftovers(&site, &english_left("de"));
    assert!(found.is_empty(), "English left in the interface:\n{found:#?}");
}

#[test]
fn the_english_check_finds_a_string_left_in_a_template() {
    // The check above is only as good as what it catches: a theme string left in English is
    // found, in a text node and in an attribute alike.
    let site = SiteTest::example();
    in_language(&site, "fr");
    site.write("templates/partials/pager.html", "<nav aria-label=\"Pages\"><a>Older</a></nav>");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p title=\"Skip to content\">Latest reviews</p>{% endblock content %}",
    );
    site.build();
    let found: BTreeSet<String> = leftovers(&site, &english_left("fr")).into_iter().map(|f| f.1).collect();
    assert!(found.contains("Skip to content") && found.contains("Latest reviews"), "{found:?}");
}

#[test]
fn dates_are_written_the_languages_way_with_iso_attributes() {
    for (language, written) in
        [("de", "5. November 2026"), ("fr", "5 novembre 2026"), ("es", "5 de noviembre de 2026"), ("en", "5 Nov 2026")]
    {
        let site = SiteTest::example();
        if language != "en" {
            in_language(&site, language);
        }
        site.build();
        let page = site.html("reviews/index.html");
        let times = page.texts("time[datetime=\"2026-11-05\"]");
        assert!(!times.is_empty() && times.iter().all(|t| t == written), "{language}: {times:?}");
    }
}

#[test]
fn strings_override_any_key_and_an_unknown_key_is_an_error_at_its_line() {
    let site = SiteTest::example();
    let config = site.read_source("critique.toml");
    let overrides = "\n[strings]\nlatest_reviews = \"Fresh <reviews>\"\nwaiting_days = \"Still {n} days\"\n";
    site.write("critique.toml", format!("{config}{overrides}"));
    site.build();
    let home = site.read("index.html");
    assert!(home.contains("<h2 id=\"latest-heading\">Fresh &lt;reviews&gt;</h2>"), "escaped, in place");
    let waited = site.html("projects/ferrymesh/index.html").texts(".waited");
    assert!(!waited.is_empty() && waited.iter().all(|w| w.starts_with("Still ") && w.ends_with(" days")), "{waited:?}");

    let line = config.lines().count() + 3;
    site.write("critique.toml", format!("{config}\n[strings]\nlatest_reviewz = \"x\"\n"));
    let errors = site.errors();
    let error = errors.iter().find(|e| e.message.contains("latest_reviewz")).expect("an error at the key");
    assert_eq!((error.path.as_path(), error.line, error.col), (Path::new("critique.toml"), line, 18), "{error:?}");
    assert!(error.message.contains("did you mean `latest_reviews`?"), "{}", error.message);
}
