//! Hostile links: URL fields take only web and mail links; Markdown links and images that
//! could run script never reach an attribute and fail `check` and `build`; raw HTML that could
//! is reported unless the site allows it.

use std::path::{Path, PathBuf};

use critique::SiteOptions;
use critique::cmd::check::{self, CheckArgs};
use critique::diagnostic::Diagnostic;
use critique::load::{Section, SiteFiles, SourceFile};
use critique::render_site;
use scraper::{Html, Selector};

use super::{errors_in, position};
use crate::support::SiteTest;

/// Every URL value a page must not link to, as written in YAML or TOML (double-quoted), with
/// the hint expected.
const BAD_URLS: [(&str, &str); 8] = [
    ("\"javascript:alert(1)\"", "only http, https and mailto links are allowed"),
    ("\"JavaScript:alert(1)\"", "only http, https and mailto links are allowed"),
    ("\" javascript:alert(1)\"", "only http, https and mailto links are allowed"),
    ("\"java\\tscript:alert(1)\"", "only http, https and mailto links are allowed"),
    ("\"vbscript:msgbox(1)\"", "only http, https and mailto links are allowed"),
    ("\"data:text/html,<script>alert(1)</script>\"", "only http, https and mailto links are allowed"),
    ("\"file:///etc/passwd\"", "only http, https and mailto links are allowed"),
    ("\"www.x.org\"", "add https://"),
];

/// A project with every URL field set to `url`, and a review of it whose question's evidence
/// is `url`, in YAML or TOML.
fn url_files(toml: bool, url: &str) -> (String, String) {
    if toml {
        (
            format!(
                "+++\nname = \"Hostile\"\nsummary = \"S\"\nhomepage = {url}\n[[claims]]\nid = \"a\"\ntext = \"A\"\nsource = {url}\n[accountability]\nstatus_page = {url}\npostmortems = {url}\n+++\nBody.\n"
            ),
            format!(
                "+++\ntitle = \"T\"\nproject = \"hostile\"\nauthor = \"A\"\ndate = 2026-11-10\nverdict = \"good\"\n[[questions]]\nask = \"Q?\"\nevidence = {url}\n+++\nBody.\n"
            ),
        )
    } else {
        (
            format!(
                "---\nname: Hostile\nsummary: S\nhomepage: {url}\nclaims:\n  - id: a\n    text: A\n    source: {url}\naccountability:\n  status_page: {url}\n  postmortems: {url}\n---\nBody.\n"
            ),
            format!(
                "---\ntitle: T\nproject: hostile\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    evidence: {url}\n---\nBody.\n"
            ),
        )
    }
}

#[test]
fn every_url_field_refuses_every_script_scheme_and_bare_host_at_its_value() {
    for toml in [false, true] {
        for (url, hint) in BAD_URLS {
            let (project, review) = url_files(toml, url);
            let site = SiteTest::fixture("basic");
            site.write("content/projects/hostile.md", &project).write("content/reviews/hostile.md", &review);
            let errors = site.errors();
            let case = format!("{url} in {}", if toml { "TOML" } else { "YAML" });
            let (assign, indent) = if toml { (" = ", "") } else { (": ", "    ") };
            let expected = [
                ("content/projects/hostile.md", "homepage", format!("homepage{assign}")),
                ("content/projects/hostile.md", "claims[0].source", format!("{indent}source{assign}")),
                ("content/projects/hostile.md", "accountability.status_page", format!("status_page{assign}")),
                ("content/projects/hostile.md", "accountability.postmortems", format!("postmortems{assign}")),
                ("content/reviews/hostile.md", "questions[0].evidence", format!("evidence{assign}")),
            ];
            for (path, field, key) in expected {
                let text = if path.contains("projects") { &project } else { &review };
                let (line, key_col) = position(text, &format!("{key}{url}"));
                let col = key_col + key.chars().count();
                let found: Vec<&Diagnostic> = errors
                    .iter()
                    .filter(|e| e.path == Path::new(path) && e.message.starts_with(&format!("`{field}` ")))
                    .collect();
                assert_eq!(found.len(), 1, "{case}, {field}: {errors:#?}");
                assert_eq!((found[0].line, found[0].col), (line, col), "{case}, {field}: {}", found[0]);
                let found_hint = found[0].hint.as_deref().unwrap_or_default();
                assert!(found_hint.starts_with(hint), "{case}, {field}: {found_hint}");
            }
            assert_eq!(
                errors.iter().filter(|e| e.path.to_string_lossy().contains("hostile")).count(),
                5,
                "{case}: {errors:#?}"
            );
        }
    }
}

#[test]
fn base_url_refuses_every_script_scheme_and_bare_host() {
    for (url, hint) in BAD_URLS {
        let config = format!("title = \"T\"\nbase_url = {url}\n");
        let errors = errors_in(&[("critique.toml", &config)], "critique.toml");
        assert_eq!(errors.len(), 1, "{url}: {errors:#?}");
        assert_eq!((errors[0].line, errors[0].col), position(&config, url), "{url}");
        assert!(errors[0].message.contains("base_url"), "{}", errors[0]);
        // The site itself is served from a web address: mailto is no option there.
        let hint = hint.replace("only http, https and mailto links are allowed", "only http and https are allowed");
        assert!(errors[0].hint.as_deref().unwrap_or_default().starts_with(&hint), "{url}: {}", errors[0]);
    }
}

#[test]
fn site_paths_are_accepted_where_they_make_sense_and_follow_the_base_path() {
    let site = SiteTest::fixture("basic");
    let (project, review) = url_files(false, "\"https://hostile.test/\"");
    let review = review.replace("evidence: \"https://hostile.test/\"", "evidence: /static/proof.pdf");
    let project = project.replace("source: \"https://hostile.test/\"", "source: /static/copy.html");
    site.write("content/projects/hostile.md", &project).write("content/reviews/hostile.md", &review);
    let options = SiteOptions { base_url: Some("https://host.test/sub/".into()), ..SiteTest::options() };
    site.build_with(options, None).unwrap_or_else(|e| panic!("{e}"));
    let evidence = site.html("reviews/hostile/index.html").attrs(".evidence a", "href");
    assert_eq!(evidence, ["/sub/static/proof.pdf"]);
    let sources = site.html("projects/hostile/index.html").attrs("a[href$='copy.html']", "href");
    assert_eq!(sources, ["/sub/static/copy.html"]);
    let homepage = project.replace("homepage: \"https://hostile.test/\"", "homepage: /static/x.html");
    site.write("content/projects/hostile.md", &homepage);
    let errors = site.errors();
    assert!(errors.iter().any(|e| e.message.starts_with("`homepage` is not an absolute URL")), "{errors:#?}");
}

/// Markdown links and images with every scheme that could run script, one a line from line
/// 10 of the review (its body starts on line 9), and one in an answer.
fn markdown_review() -> String {
    let targets = [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "&#32;javascript:alert(1)",
        "java&#9;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,x",
        "data:image/svg+xml,x",
    ];
    let mut body = String::from("Intro.\n");
    for t in targets {
        // The autolink's target differs, or its finding would be the link's, deduplicated.
        let autolink = t.replace("&#32;", "").replace("&#9;", "").replace(",x", ",y").replace("(1)", "(3)");
        body.push_str(&format!("[link]({t}) ![image]({t}) <{autolink}>\n"));
    }
    body.push_str("![fine](data:image/png;base64,AAAA) [fine](https://e.org/)\n");
    format!(
        "---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    status: answered\n    answer: \"see [it](javascript:alert(2))\"\n---\n{body}"
    )
}

/// Every URL in an attribute of an HTML page.
fn attribute_urls(html: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    page.select(&all)
        .flat_map(|e| {
            e.value()
                .attrs()
                .filter(|(name, _)| ["href", "src", "action", "formaction", "srcset", "poster"].contains(name))
                .map(|(_, v)| v.to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn markdown_links_and_images_that_could_run_script_never_reach_an_attribute_and_fail_the_build() {
    let text = markdown_review();
    let files = SiteFiles {
        config: Some(
            std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic/critique.toml"))
                .expect("config"),
        ),
        content: vec![
            SourceFile::new(Section::Projects, "widget", "---\nname: Widget\nsummary: S\n---\nBody.\n"),
            SourceFile::new(Section::Reviews, "hostile", text.as_str()),
        ],
        ..SiteFiles::default()
    };
    let (_, outputs) = render_site(&files, &SiteOptions::default(), critique::cache_store::Stores::NONE)
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let mut pages = 0;
    for file in outputs.iter().filter(|f| f.path.ends_with(".html")) {
        pages += 1;
        for url in attribute_urls(std::str::from_utf8(&file.bytes).expect("UTF-8")) {
            assert!(!critique::scheme::is_unsafe(&url, true), "{url:?} in {}", file.path);
            assert!(
                !url.to_ascii_lowercase().contains("script:") && !url.starts_with("data:text"),
                "{url:?} in {}",
                file.path
            );
        }
    }
    assert!(pages > 5);
    let review_page = outputs.iter().find(|f| f.path == "reviews/hostile/index.html").expect("review page");
    let review_html = std::str::from_utf8(&review_page.bytes).expect("UTF-8");
    assert!(review_html.contains("src=\"data:image/png;base64,AAAA\""), "a raster image stays");
    assert!(review_html.contains("see it"), "the answer's link text stays");

    let site = SiteTest::fixture("basic");
    site.write("content/reviews/hostile.md", &text);
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    assert!(!outcome.passed);
    let found: Vec<(usize, &str)> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("unsafe-link"))
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    let body_start = position(&text, "Intro.").0;
    let mut expected: Vec<usize> = (1..=7).flat_map(|i| [body_start + i; 3]).collect();
    expected.insert(0, position(&text, "answer:").0);
    assert_eq!(found.iter().map(|(line, _)| *line).collect::<Vec<_>>(), expected, "{found:#?}");
    assert!(found.iter().all(|(_, m)| m.contains("could run script")), "{found:#?}");
    let errors = site.errors();
    let unsafe_links = errors.iter().filter(|d| d.rule.as_deref() == Some("unsafe-link")).count();
    assert_eq!(unsafe_links, expected.len(), "the build fails on them too: {errors:#?}");
    assert!(!site.public().exists(), "nothing was published");
}

const RAW_HTML: &str = "---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    status: answered\n    answer: \"see <b onclick='x()'>this</b>\"\n---\nIntro.\n\n<script>alert(1)</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\nA <a href=\"&#106;avascript:alert(1)\">link</a> and <a href=' vbscript:x'>another</a>.\n\n<iframe src=\"data:text/html,<script>x</script>\"></iframe>\n\n<form><button formaction=\"JavaScript:x\">go</button></form>\n\n<svg><a xlink:href=\"javascript:x\"><text>t</text></a></svg>\n\n<img src=\"data:image/png;base64,AAAA\" alt=\"fine\"> <a href=\"https://e.org/\">fine</a>\n\n<!-- critique-ignore: unsafe-html -->\n";

#[test]
fn raw_html_that_could_run_script_is_reported_unless_the_site_allows_it() {
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/raw.md", RAW_HTML);
    // Raw HTML's links are checked as Markdown's are: the image must be there.
    site.write("static/reviews/raw/x.png", "");
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    let found: Vec<(usize, String)> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("unsafe-html"))
        .map(|d| (d.line, d.message.clone()))
        .collect();
    let line = |needle: &str| position(RAW_HTML, needle).0;
    let expected = [
        (line("answer:"), "event handler `onclick`"),
        (line("<script>"), "`<script>`"),
        (line("onerror"), "event handler `onerror`"),
        // Two on one line: sorted by message.
        (line("vbscript"), "`href=\" vbscript:x\"`"),
        (line("&#106;"), "`href=\"javascript:alert(1)\"`"),
        // The value's markup is read too (where a browser reads the tag as text, it is markup).
        (line("<iframe"), "`<script>`"),
        (line("<iframe"), "`src=\"data:text/html,<script>x</script>\"`"),
        (line("formaction"), "`<form>`"),
        (line("formaction"), "`formaction=\"JavaScript:x\"`"),
        (line("xlink"), "`xlink:href=\"javascript:x\"`"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((line, message), (want_line, want)) in found.iter().zip(expected) {
        assert_eq!(*line, want_line, "{message}");
        assert!(message.contains(want), "{message} lacks {want}");
    }
    assert!(!outcome.passed, "errors, which the file's own ignore marker cannot switch off");
    assert!(site.run_cli(&["build"]).status.code() == Some(1), "the build fails on them");

    // A switch in `check.disabled` is no way out; the documented key is.
    let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
    site.write("critique.toml", format!("{config}\n[check]\ndisabled = [\"unsafe-html\"]\n"));
    let errors = site.errors();
    assert!(errors.iter().any(|e| e.message.contains("unknown rule `unsafe-html`")), "{errors:#?}");
    site.write("critique.toml", format!("{config}\n[check]\nallow_unsafe_html = true\n"));
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    assert!(
        outcome.findings.diagnostics.iter().all(|d| d.rule.as_deref() != Some("unsafe-html")),
        "{:#?}",
        outcome.findings.diagnostics
    );
    site.build();
    assert!(site.read("reviews/raw/index.html").contains("<script>alert(1)</script>"), "raw HTML passes as written");
}

#[test]
fn a_flood_of_hazards_lists_a_hundred_per_rule_and_counts_the_rest() {
    let mut text = String::from("---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n---\n");
    for i in 0..150 {
        text.push_str(&format!("[x](javascript:f({i})) <b onclick=\"g({i})\">b</b>\n\n"));
    }
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/flood.md", &text);
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    for rule in ["unsafe-link", "unsafe-html"] {
        let found: Vec<&Diagnostic> =
            outcome.findings.diagnostics.iter().filter(|d| d.rule.as_deref() == Some(rule)).collect();
        assert_eq!(found.len(), 101, "{rule}");
        let more: Vec<&&Diagnostic> = found.iter().filter(|d| d.message.contains("more like these")).collect();
        assert_eq!(more.len(), 1, "{rule}");
        assert!(more[0].message.starts_with("50 more"), "{}", more[0]);
        assert_eq!(more[0].line, position(&text, "f(100)").0, "at the first left out");
    }
}
