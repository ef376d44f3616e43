//! A project's timeline: its events, marked on the score-over-time chart, listed newest first
//! with its reviews, revisions, standings, questions put and answered, replies and findings.

use crate::support::SiteTest;

#[test]
fn a_projects_timeline_lists_what_happened_and_what_was_said_newest_first() {
    let site = SiteTest::fixture("basic");
    let widget = site.read_source("content/projects/widget.md");
    let events = "events:\n  - date: 2026-11-13\n    text: Mainnet launch\n    source: { url: https://widget.test/launch, archived: https://archive.ph/launch }\n  - date: 2026-10-01\n    text: Testnet opens\n";
    site.write("content/projects/widget.md", widget.replacen("claims:\n", &format!("{events}claims:\n"), 1));
    site.write(
        "content/responses/reply.md",
        "---\nproject: widget\ndate: 2026-11-21\nby: Widget team\nsource: https://widget.test/reply\nto: [{ review: first-look }]\n---\nOur reply.\n",
    );
    site.build();
    let page = site.html("projects/widget/index.html");
    let entries = page.texts(".timeline li");
    assert_eq!(entries.first().map(String::as_str), Some("21 Nov 2026 Reply Widget team replied"), "{entries:#?}");
    assert_eq!(entries.last().map(String::as_str), Some("1 Oct 2026 Event Testnet opens"), "{entries:#?}");
    let kinds = page.attrs(".timeline li", "class");
    for kind in [
        "timeline-event",
        "timeline-review",
        "timeline-revision",
        "timeline-asked",
        "timeline-answered",
        "timeline-reply",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind}: {kinds:?}");
    }
    // What happened on a day comes before what was said about it.
    let launch = entries.iter().position(|e| e.contains("Mainnet launch")).expect("the launch");
    assert!(entries[launch].starts_with("13 Nov 2026 Event"), "{entries:#?}");
    assert_eq!(page.attrs(".timeline-event a", "href"), ["https://widget.test/launch", "https://archive.ph/launch"]);
    // The chart marks the event while there were scores (the testnet came before any).
    assert_eq!(page.attrs(".history-chart line.event", "x1").len(), 1);
    // And the dataset lists them, oldest first.
    let data: serde_json::Value = serde_json::from_str(&site.read("projects/widget/index.json")).expect("JSON");
    assert_eq!(data["events"][0]["text"], "Testnet opens");
    assert_eq!(data["events"][1]["source_ledger"]["archived"], "https://archive.ph/launch");
}

#[test]
fn an_event_without_text_is_an_error_at_its_line() {
    let site = SiteTest::fixture("basic");
    let widget = site.read_source("content/projects/widget.md");
    site.write(
        "content/projects/widget.md",
        widget.replacen("claims:\n", "events:\n  - date: 2026-11-11\n    text: \"  \"\nclaims:\n", 1),
    );
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    assert_eq!(errors, ["content/projects/widget.md:8:11 empty event `text`: expected what happened"]);
}

/// The basic fixture with a finding, a reply, a retraction and an event: every kind of change.
fn site_with_every_change() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let widget = site.read_source("content/projects/widget.md");
    let finding = "    finding:\n      rating: partly-supported\n      date: 2026-11-20\n";
    let widget = widget.replacen("    accessed: 2026-11-01\n", &format!("    accessed: 2026-11-01\n{finding}"), 1);
    let events = "events:\n  - date: 2026-11-13\n    text: Mainnet launch\n";
    site.write("content/projects/widget.md", widget.replacen("claims:\n", &format!("{events}claims:\n"), 1));
    site.write(
        "content/responses/reply.md",
        "---\nproject: widget\ndate: 2026-11-21\nby: Widget team\nsource: https://widget.test/reply\nto: [{ review: first-look }]\n---\nOur reply.\n",
    );
    let second = site.read_source("content/reviews/second-look.md");
    let retracted = "status: retracted\nretraction: { date: 2026-11-22, reason: wrong build }\n";
    site.write(
        "content/reviews/second-look.md",
        second.replacen("verdict: bad\n", &format!("verdict: bad\n{retracted}"), 1),
    );
    site
}

#[test]
fn the_log_of_changes_lists_every_projects_changes_newest_first_with_a_feed() {
    let site = site_with_every_change();
    site.build();
    let page = site.html("changes/index.html");
    assert_eq!(
        page.texts(".changes li"),
        [
            "22 Nov 2026 Retracted Widget : Second look at Widget: wrong build",
            "21 Nov 2026 Reply Widget : Widget team replied",
            "20 Nov 2026 Finding Widget : “Widget is the fastest widget.”: Partly supported",
            "15 Nov 2026 Review Gadget : A glance at Gadget, by Ada Reviewer: Good",
            "14 Nov 2026 Review Widget : Third look at Widget, by Cy Skeptic: Bad",
            "13 Nov 2026 Revised Widget : First look at Widget: Re-ran the benchmark on the new release.",
            "12 Nov 2026 Review Widget : Second look at Widget, by Bo Critic: Bad",
            "10 Nov 2026 Review Widget : First look at Widget, by Ada Reviewer: Good",
            "5 Nov 2026 Answered Widget : Fastest compared to what?",
        ],
        "no events, no questions put: they change nothing the site says"
    );
    assert_eq!(page.attrs(".changes li", "id")[0], "change-retraction-second-look");
    assert_eq!(page.attrs(".changes .timeline-answered a:not(.project)", "href"), ["/reviews/first-look/#q-1"]);
    assert_eq!(
        page.attrs("link[type='application/atom+xml'][href$='changes/feed.xml']", "href"),
        ["/changes/feed.xml"]
    );
    assert!(site.html("index.html").attrs("footer a", "href").contains(&"/changes/".to_string()));

    let feed = feed_rs::parser::parse(site.read("changes/feed.xml").as_bytes()).expect("an Atom feed");
    assert_eq!(feed.entries.len(), 9);
    let first = &feed.entries[0];
    assert_eq!(first.id, "https://reviews.test/changes/#change-retraction-second-look");
    assert_eq!(first.title.as_ref().unwrap().content, "Retracted — Widget: Second look at Widget: wrong build");
    assert_eq!(first.links[0].href, "https://reviews.test/reviews/second-look/");
    assert_eq!(first.updated.unwrap().to_rfc3339(), "2026-11-22T00:00:00+00:00");
    let ids: std::collections::BTreeSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 9, "every entry its own id");
    // The sitemap dates the log by its newest entry, the retraction.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://reviews.test/changes/</loc><lastmod>2026-11-22</lastmod>"), "{sitemap}");
}

#[test]
fn a_long_log_is_paginated() {
    let site = site_with_every_change();
    let config = site.read_source("critique.toml");
    site.write("critique.toml", config.replace("min_reviews = 2", "min_reviews = 2\npaginate = 2"));
    site.build();
    // Four entries a page (twice a listing's reviews): nine entries, three pages.
    let first = site.html("changes/index.html");
    assert_eq!(first.texts(".changes li").len(), 4);
    assert!(first.text("h2").ends_with("9 changes — page 1 of 3"), "{}", first.text("h2"));
    let last = site.html("changes/page/3/index.html");
    assert_eq!(last.texts(".changes li"), ["5 Nov 2026 Answered Widget : Fastest compared to what?"]);
    assert_eq!(last.attrs("a[rel='prev']", "href"), ["/changes/page/2/"]);
}
