//! The project's right of reply: responses shown under what they answer and on the project's
//! page, traced to the project's channels or warned about, refused when they name what does
//! not exist, and a question the project was asked about counting the days without a reply.

use critique::cmd::check::{self, CheckArgs};

use crate::support::SiteTest;

/// The basic fixture with Widget's channels, a reply to first-look and its second question,
/// and a reply to second-look's first question published elsewhere.
fn site_with_replies() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let widget = site.read_source("content/projects/widget.md");
    site.write(
        "content/projects/widget.md",
        widget.replacen(
            "category: Tools\n",
            "category: Tools\nchannels: [\"https://widget.test\", \"https://x.test/WidgetHQ\"]\n",
            1,
        ),
    );
    site.write(
        "content/responses/widget-on-costs.md",
        "---\nproject: widget\ndate: 2026-11-20\nby: Wim Widget, founder\nsource: https://blog.widget.test/costs\nto:\n  - review: first-look\n  - question: first-look#q-2\n---\nThe servers are paid by the **foundation** until 2028.\n",
    );
    site.write(
        "content/responses/widget-bench.md",
        "---\nproject: widget\ndate: 2026-11-21\nby: Widget team\nsource: https://x.test/mallory/status/1\nto:\n  - question: second-look#q-1\n---\nThe benchmark is in the repository.\n",
    );
    // Asked for a reply on second-look's second question, which no response names.
    let second = site.read_source("content/reviews/second-look.md");
    site.write(
        "content/reviews/second-look.md",
        second.replacen(
            "  - ask: Who runs the widget at night?\n",
            "  - ask: Who runs the widget at night?\n    response_requested: 2026-11-15\n",
            1,
        ),
    );
    site
}

/// A response is shown in full under the review it answers, as a link under each question it
/// answers (on the review's page and where questions are listed), and in full on its project's
/// page with what it answers; a question asked of the project counts the days without reply.
#[test]
fn replies_are_shown_beside_what_they_answer() {
    let site = site_with_replies();
    site.build();
    let first = site.html("reviews/first-look/index.html");
    assert_eq!(first.texts("#review-responses"), ["The project's reply"]);
    assert_eq!(first.attrs(".responses article.response", "id"), ["response-widget-on-costs"]);
    assert_eq!(first.texts(".response .prose p"), ["The servers are paid by the foundation until 2028."]);
    assert_eq!(
        first.texts(".response .response-meta"),
        ["From Wim Widget, founder for the project, 20 Nov 2026 , published at blog.widget.test ."]
    );
    assert_eq!(first.attrs(".response-meta a", "href"), ["https://blog.widget.test/costs"]);
    // Under its second question only.
    assert!(first.texts("#q-1 .reply-link").is_empty());
    // With where the project published it.
    assert_eq!(
        first.attrs("#q-2 .reply-link a", "href"),
        ["/reviews/first-look/#response-widget-on-costs", "https://blog.widget.test/costs"]
    );

    let second = site.html("reviews/second-look/index.html");
    assert_eq!(
        second.attrs("#q-1 .reply-link a", "href"),
        ["/reviews/second-look/#response-widget-bench", "https://x.test/mallory/status/1"]
    );
    assert_eq!(
        second.texts("#q-2 .reply-requested"),
        ["Asked the project for a reply on 15 Nov 2026 ; no reply after 10 days."]
    );
    assert_eq!(second.attrs(".responses article.response", "id"), ["response-widget-bench"]);

    let widget = site.html("projects/widget/index.html");
    assert_eq!(widget.texts("#project-responses"), ["Replies from the project"]);
    assert_eq!(
        widget.attrs(".responses article.response", "id"),
        ["response-widget-bench", "response-widget-on-costs"],
        "newest first"
    );
    assert_eq!(
        widget.attrs("#response-widget-on-costs .response-answers a", "href"),
        ["/reviews/first-look/", "/reviews/first-look/#q-2"]
    );
    // Questions listed under their claims carry the reply line too.
    let links = widget.attrs(".question .reply-link a", "href");
    assert!(links.contains(&"/reviews/first-look/#response-widget-on-costs".to_string()), "{links:?}");
    assert_eq!(widget.texts(".question .reply-requested").len(), 1);

    // The dataset carries the replies, whether each is traced, and the request.
    let data: serde_json::Value = serde_json::from_str(&site.read("projects/widget/index.json")).expect("JSON");
    let replies = data["responses"].as_array().expect("responses");
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[1]["slug"], "widget-on-costs");
    assert_eq!(replies[1]["traced"], true);
    assert_eq!(replies[0]["traced"], false);
    assert_eq!(replies[1]["to"][1], serde_json::json!({ "review": "first-look", "question": 2 }));
    assert_eq!(replies[1]["text"], "The servers are paid by the **foundation** until 2028.");
    assert_eq!(data["channels"][1], "https://x.test/WidgetHQ");
    let reviews = site.read("data/reviews.jsonl");
    assert!(reviews.contains("\"response_requested\":\"2026-11-15\""), "{reviews}");

    // Once a response names it, the question waits no more.
    site.write(
        "content/responses/widget-nights.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Widget team\nsource: https://x.test/widgethq/status/2\nto: [{ question: \"second-look#q-2\" }]\n---\nOur on-call rota is public.\n",
    );
    site.build();
    let second = site.html("reviews/second-look/index.html");
    assert!(second.texts(".reply-requested").is_empty());
    assert_eq!(second.attrs("#q-2 .reply-link a", "href")[0], "/reviews/second-look/#response-widget-nights");
}

/// A reply published off the project's channels (or with no source) is a warning that names
/// the channels; one published on a channel (an account's path, any case) is not.
#[test]
fn replies_off_the_projects_channels_are_warned_about() {
    let site = site_with_replies();
    site.write(
        "content/responses/by-mail.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Someone\nto: [{ review: second-look }]\n---\nSent by mail.\n",
    );
    site.write(
        "content/responses/on-account.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Widget team\nsource: https://x.test/widgethq/status/9\nto: [{ review: second-look }]\n---\nOn our account.\n",
    );
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    let untraced: Vec<(String, String)> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("untraced-response"))
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    assert_eq!(
        untraced,
        [
            (
                "content/responses/by-mail.md:4:1".to_string(),
                "no `source`: this reply cannot be traced to the project".to_string()
            ),
            (
                "content/responses/widget-bench.md:5:1".to_string(),
                "`https://x.test/mallory/status/1` cannot be traced to the project: not on Widget's channels (https://widget.test, https://x.test/WidgetHQ)".to_string()
            ),
        ]
    );
    assert!(outcome.findings.diagnostics.iter().all(|d| d.severity != critique::diagnostic::Severity::Error));
}

/// A response naming a review or question that does not exist, a review of another project, or
/// an unknown project is an error at its line; one to a draft the build leaves out is not.
#[test]
fn replies_to_what_does_not_exist_are_errors_at_their_line() {
    let site = site_with_replies();
    site.write(
        "content/responses/wrong.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Widget team\nto:\n  - review: first-lok\n  - question: first-look#q-3\n  - review: gadget-glance\n  - question: first-look#3\n  - review: unfinished\n---\nReply.\n",
    );
    site.write(
        "content/responses/nobody.md",
        "---\nproject: widgit\ndate: 2026-11-22\nby: Widget team\nto: [{ review: first-look }]\n---\nReply.\n",
    );
    let errors: Vec<(String, String)> = site.errors().iter().map(|d| (d.location(), d.message.clone())).collect();
    let at = |loc: &str| errors.iter().find(|(l, _)| l == loc).map(|(_, m)| m.as_str()).unwrap_or_default();
    assert!(at("content/responses/nobody.md:2:10").starts_with("unknown project `widgit`"), "{errors:#?}");
    assert!(at("content/responses/wrong.md:9:15").contains("is not a question"), "{errors:#?}");
    // The rest are checked once the response's form is right.
    site.write(
        "content/responses/wrong.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Widget team\nto:\n  - review: first-lok\n  - question: first-look#q-3\n  - review: gadget-glance\n  - review: unfinished\n---\nReply.\n",
    );
    site.remove("content/responses/nobody.md");
    let errors: Vec<(String, String)> = site.errors().iter().map(|d| (d.location(), d.message.clone())).collect();
    assert_eq!(
        errors,
        [
            ("content/responses/wrong.md:6:13".to_string(), "unknown review `first-lok`".to_string()),
            (
                "content/responses/wrong.md:7:15".to_string(),
                "`first-look` has no question 3: it asks 2: `#q-1` to `#q-2`".to_string()
            ),
            (
                "content/responses/wrong.md:8:13".to_string(),
                "`gadget-glance` reviews Gadget, not Widget: a response answers reviews of its own project".to_string()
            ),
        ],
        "the draft `unfinished` is no error"
    );
}

/// A reply's headings, footnotes and links to them are its own: shown on pages with other
/// bodies (its review's, which has a `## Method` too), no id is there twice, and the link
/// check finds them.
#[test]
fn a_replys_ids_are_its_own() {
    let site = site_with_replies();
    site.write(
        "content/responses/widget-on-costs.md",
        "---\nproject: widget\ndate: 2026-11-20\nby: Wim Widget\nsource: https://widget.test/costs\nto:\n  - review: first-look\n  - review: first-look\n---\nA.\n",
    );
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    assert_eq!(
        errors,
        ["content/responses/widget-on-costs.md:8:13 `first-look` is named twice in `to`: expected each once"]
    );
    site.write(
        "content/responses/widget-on-costs.md",
        "---\nproject: widget\ndate: 2026-11-20\nby: Wim Widget\nsource: https://widget.test/costs\nto: [{ review: first-look }]\n---\n## Method\n\nWe measured it [our way](#method)[^1].\n\n[^1]: On the new release.\n",
    );
    site.build();
    for page in ["reviews/first-look/index.html", "projects/widget/index.html"] {
        let html = site.html(page);
        let mut ids = html.attrs("[id]", "id");
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "{page}: an id twice");
        assert_eq!(html.attrs("#response-widget-on-costs h2", "id"), ["response-widget-on-costs_method"], "{page}");
        let hrefs = html.attrs("#response-widget-on-costs a", "href");
        assert!(hrefs.contains(&"#response-widget-on-costs_method".to_string()), "{page}: {hrefs:?}");
    }
    assert_eq!(site.html("reviews/first-look/index.html").attrs(".prose h2", "id")[0], "method", "the review's own");
}

/// `critique new response REVIEW` writes a reply to it for its project, with the review's
/// questions listed; `check` reports what is still the scaffold's until the editor writes it.
#[test]
fn a_new_reply_is_scaffolded_for_a_review_and_reported_until_written() {
    let site = SiteTest::fixture("basic");
    let today = critique::date::Date::parse("2026-11-24").expect("date");
    let path = critique::cmd::new::response(&site.root, "first-look", today).expect("scaffolded");
    assert!(path.ends_with("content/responses/widget-on-first-look.md"), "{}", path.display());
    let text = site.read_source("content/responses/widget-on-first-look.md");
    assert!(text.contains("  - review: first-look\n"), "{text}");
    assert!(text.contains("  # - question: \"first-look#q-2\"   # Who pays for the servers?\n"), "{text}");
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    let placeholders: Vec<String> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("placeholder") && d.path.starts_with("content/responses"))
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(placeholders.len(), 2, "`by` and the body: {placeholders:#?}");
    let written = text.replace("Who speaks for the project", "Wim Widget").replace(
        "The project's reply, in its own words, as it published it.",
        "We pay for the servers from the foundation's treasury.",
    );
    site.write(
        "content/responses/widget-on-first-look.md",
        written.replace("  # - question: \"first-look#q-2\"", "  - question: \"first-look#q-2\""),
    );
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs("#q-2 .reply-link a", "href"), ["/reviews/first-look/#response-widget-on-first-look"]);
    assert!(
        critique::cmd::new::response(&site.root, "first-lok", today)
            .is_err_and(|e| e.to_string().contains("did you mean `first-look`?"))
    );
}
