//! Publishing: feeds, sitemap, robots.txt, structured data, the dataset, llms.txt,
//! subpath hosting, a self-contained output, and scaffolding.

use std::collections::BTreeSet;

use critique::SiteOptions;
use critique::cmd::{init, new};
use critique::date::Date;
use serde_json::Value;

use crate::support::{SiteTest, tree};

#[test]
fn atom_and_json_feeds_parse_and_list_the_latest_reviews() {
    let site = SiteTest::built("basic");
    let atom = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).expect("Atom parses");
    let titles: Vec<String> =
        atom.entries.iter().map(|e| e.title.as_ref().map(|t| t.content.clone()).unwrap_or_default()).collect();
    assert_eq!(titles, ["A glance at Gadget", "Third look at Widget", "Second look at Widget", "First look at Widget"]);
    let first = &atom.entries[3];
    assert_eq!(first.links[0].href, "https://reviews.test/reviews/first-look/");
    assert_eq!(first.authors[0].name.as_deref(), Some("Ada Reviewer"));
    assert_eq!(first.published.map(|d| d.to_rfc3339()), Some("2026-11-10T00:00:00+00:00".into()));
    let content = first.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(content.contains("<h2 id=\"method\">"), "full content: {content}");

    let json = feed_rs::parser::parse(site.read("feed.json").as_bytes()).expect("JSON Feed parses");
    assert_eq!(json.entries.len(), 4);
    let raw: Value = serde_json::from_str(&site.read("feed.json")).expect("JSON");
    assert_eq!(raw["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(raw["items"][0]["url"], "https://reviews.test/reviews/gadget-glance/");

    let widget = feed_rs::parser::parse(site.read("projects/widget/feed.xml").as_bytes()).expect("project feed");
    assert_eq!(widget.entries.len(), 3, "only the project's reviews");
    let page = site.html("projects/widget/index.html");
    assert_eq!(
        page.attrs("link[rel=alternate]", "href"),
        ["/feed.xml", "/feed.json", "/projects/widget/feed.xml"],
        "site feeds and the project's own, linked from <head>"
    );
}

#[test]
fn the_sitemap_lists_every_page_with_lastmod_and_robots_points_to_it() {
    let site = SiteTest::built("basic");
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let locs: BTreeSet<String> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap_or_default().to_string()).collect();
    let pages: BTreeSet<String> = tree(&site.public())
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("https://reviews.test/{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, pages, "every page, and nothing else");
    let review = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .find(|u| u.descendants().any(|n| n.text() == Some("https://reviews.test/reviews/second-look/")))
        .expect("the review is listed");
    assert!(review.descendants().any(|n| n.has_tag_name("lastmod") && n.text() == Some("2026-11-12")));
    assert_eq!(site.read("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://reviews.test/sitemap.xml\n");
}

fn json_ld(page: &crate::support::Page) -> Value {
    let texts = page.texts("script[type='application/ld+json']");
    assert_eq!(texts.len(), 1);
    serde_json::from_str(&texts[0]).expect("JSON-LD parses")
}

#[test]
fn pages_carry_json_ld_opengraph_and_canonical_links() {
    let site = SiteTest::built("basic");
    let review = site.html("reviews/first-look/index.html");
    let ld = json_ld(&review);
    assert_eq!(ld["@type"], "Review");
    assert_eq!(ld["itemReviewed"]["name"], "Widget");
    assert_eq!(ld["author"]["name"], "Ada Reviewer");
    assert_eq!(ld["datePublished"], "2026-11-10");
    // (8 × 1 + 6 × 2) / 3 = 6.67
    assert_eq!(
        ld["reviewRating"],
        serde_json::json!({"@type": "Rating", "ratingValue": "6.7", "bestRating": "10", "worstRating": "0"})
    );
    assert_eq!(review.attrs("meta[property='og:type']", "content"), ["article"]);
    assert_eq!(review.attrs("meta[property='og:url']", "content"), ["https://reviews.test/reviews/first-look/"]);
    assert_eq!(review.attrs("meta[name='twitter:card']", "content"), ["summary_large_image"]);
    let project = json_ld(&site.html("projects/widget/index.html"));
    assert_eq!(project["aggregateRating"]["@type"], "AggregateRating");
    assert_eq!(project["aggregateRating"]["ratingValue"], "5.7");
    assert_eq!(project["aggregateRating"]["reviewCount"], 3);
    assert!(json_ld(&site.html("projects/gadget/index.html")).get("aggregateRating").is_none(), "too few reviews");
}

#[test]
fn front_matter_text_cannot_break_out_of_the_json_ld_script() {
    let site = SiteTest::fixture("basic");
    let path = site.root.join("content/reviews/first-look.md");
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("title: First look at Widget", "title: \"</script><script>alert(1)</script> & more\"");
    site.write("content/reviews/first-look.md", text);
    site.build();
    let html = site.read("reviews/first-look/index.html");
    assert_eq!(html.matches("<script").count(), 1, "only the JSON-LD script element");
    let ld = json_ld(&site.html("reviews/first-look/index.html"));
    assert_eq!(ld["name"], "</script><script>alert(1)</script> & more");
}

/// The `required` fields of one record kind in the published schema.
fn required(schema: &Value, kind: &str) -> Vec<String> {
    schema["$defs"][kind]["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

fn assert_has(record: &Value, fields: &[String], what: &str) {
    for f in fields {
        assert!(record.get(f).is_some(), "{what} lacks `{f}`: {record}");
    }
    assert_eq!(record["version"], 3);
}

#[test]
fn the_dataset_follows_its_published_schema() {
    let site = SiteTest::built("basic");
    let schema: Value = serde_json::from_str(&site.read("data/schema.json")).expect("schema");
    let reviews: Vec<Value> =
        site.read("data/reviews.jsonl").lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    assert_eq!(reviews.len(), 4);
    for r in &reviews {
        assert_has(r, &required(&schema, "review"), "review record");
        for q in r["questions"].as_array().expect("questions") {
            assert_has(&serde_json::json!({"version": 3, "q": q}), &[], "question");
            for f in required(&schema, "question") {
                assert!(q.get(&f).is_some(), "question lacks {f}");
            }
        }
    }
    let claims: Vec<Value> =
        site.read("data/claims.jsonl").lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    assert_eq!(claims.len(), 3);
    for c in &claims {
        assert_has(c, &required(&schema, "claim"), "claim record");
    }
    let fast = claims.iter().find(|c| c["id"] == "fast").expect("fast");
    assert_eq!(
        (fast["open"].as_u64(), fast["answered"].as_u64(), fast["disputed"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let first = reviews.iter().find(|r| r["slug"] == "first-look").expect("first look");
    assert_eq!((first["status"].as_str(), first["disclosure"].is_null()), (Some("published"), true));
    assert_eq!(first["fresh_until"], "2027-11-13", "a year after its revision");
    let project: Value = serde_json::from_str(&site.read("projects/widget/index.json")).expect("project JSON");
    assert_has(&project, &required(&schema, "project"), "project document");
    assert_eq!((project["stale_reviews"].as_u64(), project["recommend"].is_null()), (Some(0), true));
    assert_eq!(project["overall"], 5.67);
    assert_eq!(project["scores"]["cost"]["median"], 5.0);
    assert_eq!(project["reviews"].as_array().map(Vec::len), Some(3));
    let llms = site.read("llms.txt");
    assert!(llms.starts_with("# Basic fixture\n"));
    assert!(llms.contains("- [Widget](https://reviews.test/projects/widget/)"), "{llms}");
    assert!(llms.contains("(https://reviews.test/data/reviews.jsonl)"));
}

#[test]
fn a_subpath_site_keeps_feeds_sitemap_and_data_under_its_path_and_is_self_contained() {
    let site = SiteTest::fixture("basic");
    let options = SiteOptions { base_url: Some("https://host.example/reviews/".into()), ..SiteTest::options() };
    site.build_with(options, None).expect("build");
    let atom = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).expect("Atom");
    assert!(atom.entries.iter().all(|e| e.links[0].href.starts_with("https://host.example/reviews/reviews/")));
    let doc_text = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&doc_text).expect("sitemap");
    assert!(
        doc.descendants()
            .filter(|n| n.has_tag_name("loc"))
            .all(|n| n.text().unwrap_or_default().starts_with("https://host.example/reviews/"))
    );
    let review: Value =
        serde_json::from_str(site.read("data/reviews.jsonl").lines().next().expect("line")).expect("record");
    assert!(review["url"].as_str().unwrap_or_default().starts_with("https://host.example/reviews/reviews/"));
    // Nothing of the build machine, and no request to another host.
    let root = site.root.to_string_lossy().to_string();
    for (path, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&root), "{path} contains the build machine's path");
        if path.ends_with(".html") {
            let page = crate::support::Page(scraper::Html::parse_document(&text));
            for src in page
                .attrs("script[src], img[src], link[rel=stylesheet]", "src")
                .into_iter()
                .chain(page.attrs("link[rel=stylesheet]", "href"))
            {
                assert!(src.starts_with("/reviews/"), "{path} loads {src} from elsewhere");
            }
        }
    }
}

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let site = SiteTest::empty();
    let today = Date::parse("2026-11-25").expect("date");
    let files = init::run(&site.root, today).expect("init");
    assert_eq!(files.len(), 8);
    let summary = site.build();
    assert_eq!(
        (summary.projects, summary.reviews, summary.pages),
        (1, 1, 4),
        "about, methodology, corrections, funding"
    );
    assert_eq!(
        site.html("methodology/index.html").texts("h2"),
        ["How projects are chosen #", "How claims are tested #", "How scores are given #"]
    );
    assert!(site.html("reviews/a-first-look/index.html").text("h1").contains("A first look"));
    assert!(matches!(init::run(&site.root, today), Err(init::InitError::Exists(_))), "never over an existing site");
    assert_eq!(site.read_source(".gitignore"), "/public\n/.critique/\n", "the output and the link check's cache");
}

#[test]
fn init_adds_to_a_gitignore_only_the_lines_it_lacks() {
    let site = SiteTest::empty();
    site.write(".gitignore", "target\npublic/");
    init::run(&site.root, Date::parse("2026-11-25").expect("date")).expect("init");
    assert_eq!(site.read_source(".gitignore"), "target\npublic/\n/.critique/\n");
}

#[test]
fn new_scaffolds_files_that_build_and_never_overwrites() {
    let site = SiteTest::fixture("basic");
    let today = Date::parse("2026-11-25").expect("date");
    let project = new::project(&site.root, "Fancy Chain").expect("new project");
    assert!(project.ends_with("content/projects/fancy-chain.md"));
    let review = new::review(&site.root, "widget", "Widget, again?", Some("Di Writer"), today).expect("new review");
    let text = std::fs::read_to_string(&review).expect("read");
    assert!(text.contains("date: 2026-11-25\n"), "{text}");
    assert!(text.contains("#   fast — Widget is the fastest widget.\n"), "the project's claims, listed: {text}");
    assert!(text.contains("draft: true"));
    assert!(matches!(new::project(&site.root, "Fancy Chain"), Err(new::NewError::Exists(_))));
    assert!(matches!(
        new::review(&site.root, "widget", "Widget, again?", Some("X"), today),
        Err(new::NewError::Exists(_))
    ));
    let unknown = new::review(&site.root, "widgt", "T", Some("X"), today).expect_err("unknown project");
    assert_eq!(
        unknown.to_string(),
        "unknown project `widgt` (did you mean `widget`?): known projects are fancy-chain, gadget, widget"
    );
    site.build_with(SiteOptions { drafts: true, ..SiteTest::options() }, None).expect("the new files build");
    assert!(site.public().join("reviews/widget-again/index.html").is_file());
}
