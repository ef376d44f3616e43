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
