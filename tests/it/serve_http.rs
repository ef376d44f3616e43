//! `critique serve` as a writer uses it: the binary on a free loopback port, edits on disk,
//! pages over HTTP, reload events over the event stream, the error overlay, and requests that
//! try to leave the output directory.

use std::time::{Duration, Instant};

use crate::server::{Response, Server, WAIT, wait_for};
use crate::support::SiteTest;

/// Polls `path` until its body satisfies `accept`.
fn eventually(server: &Server, path: &str, accept: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + WAIT;
    loop {
        let response = server.get(path);
        if accept(response.status, &response.body) || Instant::now() > deadline {
            return (response.status, response.body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_show_up_over_http_with_reload_events_and_errors_as_an_overlay() {
    let site = SiteTest::fixture("basic");
    site.write("static/extra.css", "body { margin: 1px; }");
    let server = Server::start(&site);
    let Response { status, head, body } = server.get("/");
    assert_eq!(status, 200);
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.contains("__critique/events"), "the live-reload script is injected");
    let Response { head: css_head, body: css, .. } = server.get("/style.css");
    assert!(css_head.contains("content-type: text/css") && !css.contains("EventSource"));
    let events = server.events();
    std::thread::sleep(Duration::from_millis(200));

    // Modify.
    let path = site.root.join("content/reviews/first-look.md");
    let text = std::fs::read_to_string(&path).expect("read");
    site.write(
        "content/reviews/first-look.md",
        text.replace("title: First look at Widget", "title: Widget, looked at again"),
    );
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some(), "a reload event");
    // The rebuild's line names the file that changed and the time of day.
    let said = server.said(|l| l.starts_with("Rebuilt ")).expect("a rebuild line");
    assert!(said.starts_with("Rebuilt content/reviews/first-look.md at "), "{said}");
    assert!(said.split(" at ").nth(1).is_some_and(|t| t.len() > 8 && t.as_bytes()[2] == b':'), "{said}");
    let (_, page) = eventually(&server, "/reviews/first-look/", |_, b| b.contains("Widget, looked at again"));
    assert!(page.contains("<h1>Widget, looked at again</h1>"));

    // Create.
    let new = "---\ntitle: Brand new\nproject: widget\nauthor: New Author\ndate: 2026-11-20\nverdict: good\nscores: { cost: 3 }\n---\nNew.\n";
    site.write("content/reviews/brand-new.md", new);
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some());
    assert_eq!(eventually(&server, "/reviews/brand-new/", |s, _| s == 200).0, 200);

    // Break, then fix: the overlay appears with the diagnostic, the last good site stays.
    site.write("content/reviews/brand-new.md", "title: no fences\n");
    let error = wait_for(&events, |e| e.contains("\"error\"")).expect("an error event");
    assert!(error.contains("content/reviews/brand-new.md:1:1: error[front-matter]: no front matter"), "{error}");
    assert_eq!(server.get("/reviews/brand-new/").status, 200, "the last good build is still served");
    let late = server.events();
    assert!(wait_for(&late, |e| e.contains("\"error\"")).is_some(), "a page opened now shows the error too");
    site.write("content/reviews/brand-new.md", new.replace("Brand new", "Brand new, fixed"));
    assert!(wait_for(&events, |e| e.contains("\"reload\"")).is_some(), "fixing clears the overlay");

    // Delete: the site's 404 page, with status 404.
    site.remove("content/reviews/brand-new.md");
    let (status, body) = eventually(&server, "/reviews/brand-new/", |s, _| s == 404);
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));

    // A stylesheet alone is swapped, not reloaded.
    site.write("static/extra.css", "body { margin: 0; }");
    assert!(wait_for(&events, |e| e.contains("\"kind\":\"css\"")).is_some(), "a css event");
}

#[test]
fn polling_sees_a_file_edited_in_place() {
    let site = SiteTest::fixture("basic");
    let server = Server::start_with(&site, &["--poll"]);
    // Polling sees a change as a later modification time, in whole seconds (notify's poller),
    // after at most one interval (250 ms): edit in a later second than the fixture was made.
    std::thread::sleep(Duration::from_millis(1200));
    let path = site.root.join("content/reviews/first-look.md");
    let text = std::fs::read_to_string(&path).expect("read");
    site.write("content/reviews/first-look.md", text.replace("title: First look at Widget", "title: Polled again"));
    let (_, page) = eventually(&server, "/reviews/first-look/", |_, b| b.contains("Polled again"));
    assert!(page.contains("<h1>Polled again</h1>"), "the edit was seen by polling");
}

#[test]
fn only_files_under_the_output_are_served() {
    let site = SiteTest::fixture("basic");
    let server = Server::start(&site);
    for path in [
        "/../critique.toml",
        "/%2e%2e/critique.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/reviews/..%2f..%2fcritique.toml",
        "/..%5ccritique.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/reviews/../../critique.toml",
    ] {
        let Response { status, body, .. } = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url") && !body.contains("root:"), "{path} leaked a file");
    }
    let Response { status, head, body } = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(head.contains("cache-control: no-store"));
    assert!(body.contains("Page not found"), "the site's own 404 page");
}

/// `serve` shows drafts and reviews dated in the future, each marked; `--no-drafts` leaves
/// drafts out as `build` does.
#[test]
fn serve_shows_drafts_marked_unless_told_not_to() {
    let site = SiteTest::fixture("basic");
    let future =
        "---\ntitle: Next year\nproject: widget\nauthor: Ada Reviewer\ndate: 2999-01-01\nverdict: good\n---\nLater.\n";
    site.write("content/reviews/next-year.md", future);
    let server = Server::start(&site);
    let Response { status, body, .. } = server.get("/reviews/unfinished/");
    assert_eq!(status, 200, "the draft is served");
    assert!(body.contains(">Draft</span>"), "marked as a draft");
    let Response { status, body, .. } = server.get("/reviews/next-year/");
    assert_eq!(status, 200, "the review dated in the future is served");
    assert!(body.contains(">Future-dated</span>"), "marked as dated in the future");
    assert!(server.get("/reviews/").body.contains(">Future-dated</span>"), "and on its card");
    drop(server);
    let without = Server::start_with(&site, &["--no-drafts"]);
    assert_eq!(without.get("/reviews/unfinished/").status, 404);
}

/// With `--follow`, the reload after a content file's save names that file's page (the open
/// page goes there); a template's save names none, and without the flag no page is named.
#[test]
fn follow_names_the_page_of_the_file_just_saved() {
    let site = SiteTest::fixture("basic");
    let server = Server::start_with(&site, &["--follow"]);
    let events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    let path = "content/reviews/second-look.md";
    let text = std::fs::read_to_string(site.root.join(path)).expect("read");
    site.write(path, text.replace("\n---\n", "\nupdated: 2026-11-24\n---\n"));
    let reload = wait_for(&events, |e| e.contains("\"reload\"")).expect("a reload event");
    assert!(reload.contains("\"follow\":\"/reviews/second-look/\""), "{reload}");
    drop(server);
    let plain = Server::start(&site);
    let events = plain.events();
    std::thread::sleep(Duration::from_millis(200));
    site.write(path, text);
    let reload = wait_for(&events, |e| e.contains("\"reload\"")).expect("a reload event");
    assert!(!reload.contains("follow"), "{reload}");
}
