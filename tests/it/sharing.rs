//! What a shared link shows: descriptions for search engines, OpenGraph, Twitter and feeds.

use crate::support::SiteTest;

/// The description a page gives in each of the places that read it, which must agree.
fn descriptions(site: &SiteTest, rel: &str) -> String {
    let page = site.html(rel);
    let meta = page.attrs("meta[name=description]", "content");
    let og = page.attrs("meta[property='og:description']", "content");
    let twitter = page.attrs("meta[name='twitter:description']", "content");
    assert_eq!(meta.len(), 1, "{rel}: one description");
    assert_eq!((&og, &twitter), (&meta, &meta), "{rel}: OpenGraph and Twitter say what the description says");
    meta[0].clone()
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let text = site.read_source(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, text.replacen(from, to, 1));
}

#[test]
fn a_description_replaces_the_boilerplate_and_else_the_summary_is_cut_at_a_word() {
    let site = SiteTest::fixture("basic");
    edit(
        &site,
        "content/reviews/second-look.md",
        "title: ",
        "description: |\n  Fees hidden\n  in the fine print.\ntitle: ",
    );
    // A summary under a heading, long enough to be cut.
    let long = "The ledger is audited by nobody it does not pay, ".repeat(5);
    let third = site.read_source("content/reviews/third-look.md");
    let end = third.match_indices("+++").nth(1).unwrap().0;
    let matter = &third[..end];
    site.write(
        "content/reviews/third-look.md",
        format!("{matter}+++\n## Why *now*\n\n{long}\n\n<!-- more -->\n\nThe rest.\n"),
    );
    edit(&site, "content/projects/widget.md", "summary: ", "description: Widget, as its critics see it.\nsummary: ");
    site.write(
        "content/pages/colophon.md",
        "---\ntitle: Colophon\n---\nSet in *system* fonts &amp; built by critique.\n\nMore.\n",
    );
    site.build();

    assert_eq!(descriptions(&site, "reviews/second-look/index.html"), "Fees hidden in the fine print.");
    assert_eq!(descriptions(&site, "reviews/first-look/index.html"), "The first paragraph of the first look.");
    let cut = descriptions(&site, "reviews/third-look/index.html");
    assert!(cut.starts_with("Why now The ledger is audited"), "headings' text without their `#`: {cut}");
    assert!(cut.ends_with('…') && cut.chars().count() <= 161, "cut to 160 characters: {cut}");
    let kept = cut.trim_end_matches('…');
    assert!(long.contains(kept.trim_start_matches("Why now ")), "cut after a whole word: {cut}");
    assert!(!cut.contains("critical review of"), "no boilerplate");

    assert_eq!(descriptions(&site, "projects/widget/index.html"), "Widget, as its critics see it.");
    assert_eq!(
        descriptions(&site, "projects/gadget/index.html"),
        site.html("projects/gadget/index.html").text(".lead")
    );
    assert_eq!(descriptions(&site, "about/index.html"), "About the fixture.");
    assert_eq!(descriptions(&site, "colophon/index.html"), "Set in system fonts & built by critique.");

    // Feeds carry the description as the entry's summary (plain text), the prose as content.
    let feed = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).unwrap();
    let entry = feed.entries.iter().find(|e| e.links[0].href.ends_with("/reviews/second-look/")).unwrap();
    assert_eq!(entry.summary.as_ref().unwrap().content, "Fees hidden in the fine print.");
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let item = json["items"].as_array().unwrap().iter().find(|i| i["url"].as_str().unwrap().ends_with("/second-look/"));
    assert_eq!(item.unwrap()["summary"], "Fees hidden in the fine print.");
}

#[test]
fn an_empty_description_falls_back_and_one_with_markup_stays_text() {
    let site = SiteTest::fixture("basic");
    edit(&site, "content/reviews/second-look.md", "title: ", "description: \"  \"\ntitle: ");
    edit(&site, "content/reviews/first-look.md", "title: ", "description: \"<b>bold</b> & \\\"quoted\\\"\"\ntitle: ");
    site.build();
    assert_eq!(descriptions(&site, "reviews/second-look/index.html"), "Second look, summary paragraph.");
    assert_eq!(descriptions(&site, "reviews/first-look/index.html"), "<b>bold</b> & \"quoted\"");
    let raw = site.read("reviews/first-look/index.html");
    assert!(raw.contains("content=\"&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;\""), "escaped in attributes");
}
