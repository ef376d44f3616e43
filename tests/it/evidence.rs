//! The evidence ledger: a claim's `source`, a question's `evidence` and a reply's `source`
//! may be a block (`url`, `archived`, `accessed`, `quote`) as well as a bare URL; the page
//! shows the link, "archived copy", "read on DATE" and the words relied on.

use serde_json::Value;

use crate::support::SiteTest;

/// The basic fixture with a ledger on Widget's `fast` claim, on first-look's first question and
/// on a reply.
fn site_with_ledgers() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let edit = |rel: &str, from: &str, to: &str| {
        let text = site.read_source(rel);
        assert!(text.contains(from), "{rel}: {from:?}");
        site.write(rel, text.replacen(from, to, 1));
    };
    edit(
        "content/projects/widget.md",
        "    source: https://widget.test/fast\n    accessed: 2026-11-01\n",
        "    source:\n      url: https://widget.test/fast\n      archived: https://web.archive.org/web/20261101000000/https://widget.test/fast\n      accessed: 2026-11-01\n      quote: \"The fastest widget on the market.\"\n",
    );
    edit(
        "content/reviews/first-look.md",
        "    evidence: https://widget.test/bench\n",
        "    evidence: { url: https://widget.test/bench, archived: /archive/bench.html, accessed: 2026-11-04, quote: \"3.2 ms at p50\" }\n",
    );
    site.write(
        "content/responses/reply.md",
        "---\nproject: widget\ndate: 2026-11-20\nby: Widget team\nsource: { url: \"https://widget.test/reply\", archived: \"https://archive.ph/abcde\" }\nto: [{ review: first-look }]\n---\nOur reply.\n",
    );
    site
}

#[test]
fn a_source_kept_in_the_ledger_shows_its_copy_its_day_and_its_words() {
    let site = site_with_ledgers();
    site.build();
    let project = site.html("projects/widget/index.html");
    let claim = project.text("#claim-fast > .meta");
    assert!(claim.starts_with("Where the project says it (read 1 Nov 2026 ) · archived copy ·"), "{claim}");
    assert_eq!(
        project.attrs("#claim-fast > .meta a.archived", "href"),
        ["https://web.archive.org/web/20261101000000/https://widget.test/fast"]
    );
    assert_eq!(project.texts("#claim-fast > .meta q.quote"), ["The fastest widget on the market."]);
    assert_eq!(project.texts("#claim-fast > .meta time").len(), 1, "read once, not twice");

    let review = site.html("reviews/first-look/index.html");
    assert_eq!(review.attrs("#q-1 .evidence a", "href"), ["https://widget.test/bench", "/archive/bench.html"]);
    assert!(review.text("#q-1 .evidence").contains("read on 4 Nov 2026"), "{}", review.text("#q-1 .evidence"));
    assert_eq!(review.texts("#q-1 .evidence q.quote"), ["3.2 ms at p50"]);
    assert_eq!(review.attrs(".response .response-meta a.archived", "href"), ["https://archive.ph/abcde"]);
    // Questions listed on the project page carry it too; a bare URL keeps working.
    assert!(project.attrs(".question .evidence a.archived", "href").contains(&"/archive/bench.html".to_string()));
    let second = site.html("reviews/second-look/index.html");
    assert!(second.attrs(".evidence a.archived", "href").is_empty());

    let claims: Vec<Value> =
        site.read("data/claims.jsonl").lines().map(|l| serde_json::from_str(l).expect("a record")).collect();
    let fast = claims.iter().find(|c| c["id"] == "fast").expect("fast");
    assert_eq!(fast["source"], "https://widget.test/fast", "version 1's field unchanged");
    assert_eq!(fast["source_ledger"]["quote"], "The fastest widget on the market.");
    let q = &fast["questions"].as_array().expect("questions").iter().find(|q| q["review"] == "first-look").expect("q")
        ["evidence_ledger"];
    assert_eq!(q["archived"], "https://reviews.test/archive/bench.html", "absolute, as every URL of the records");
    assert_eq!(q["accessed"], "2026-11-04");
}

#[test]
fn a_ledger_with_a_bad_address_or_two_days_is_an_error_at_its_field() {
    let site = site_with_ledgers();
    let widget = site.read_source("content/projects/widget.md");
    site.write(
        "content/projects/widget.md",
        widget
            .replacen("archived: https://web.archive.org", "archived: javascript:alert(1)//web.archive.org", 1)
            .replacen("    accessed: 2026-11-01\n  - id: cheap", "  - id: cheap", 1),
    );
    let first = site.read_source("content/reviews/first-look.md");
    site.write(
        "content/reviews/first-look.md",
        first.replacen("accessed: 2026-11-04,", "accessed: 2026-11-04, date: x,", 1),
    );
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    assert!(errors.contains(&"content/projects/widget.md:10:7 `claims[0].source.archived` is a `javascript:` link (\"javascript:alert(1)//web.archive.org/web/20261101000000/https://widget.test/fast\"): expected an https://, http:// or mailto: URL, or a path on this site starting with `/`".to_string()), "{errors:#?}");
    assert!(errors.contains(&"content/reviews/first-look.md:14:102 invalid front matter: unknown key `date`: expected one of url, archived, accessed, quote".to_string()), "{errors:#?}");

    let site = site_with_ledgers();
    let widget = site.read_source("content/projects/widget.md");
    let two_days = widget.replacen("  - id: cheap", "    accessed: 2026-11-02\n  - id: cheap", 1);
    site.write("content/projects/widget.md", two_days);
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    assert_eq!(
        errors,
        [
            "content/projects/widget.md:10:7 `accessed` is 2026-11-02 on the claim and 2026-11-01 on its source: expected one day"
        ]
    );
}

/// With `[check] archived_evidence`, a web address relied on without an archived copy is a
/// warning naming the Wayback Machine's save address; one with a copy is not.
#[test]
fn evidence_without_an_archived_copy_is_warned_about_when_the_site_asks() {
    use critique::cmd::check::{self, CheckArgs};
    let site = site_with_ledgers();
    let second = site.read_source("content/reviews/second-look.md");
    let ask = "  - ask: Is the benchmark reproducible?\n";
    assert!(second.contains(ask));
    site.write(
        "content/reviews/second-look.md",
        second.replacen(ask, &format!("{ask}    evidence: https://widget.test/nope\n"), 1),
    );
    let run =
        || check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    let unarchived = |outcome: &check::CheckOutcome| -> Vec<(String, String, String)> {
        outcome
            .findings
            .diagnostics
            .iter()
            .filter(|d| d.rule.as_deref() == Some("unarchived-evidence"))
            .map(|d| (d.location(), d.message.clone(), d.hint.as_deref().unwrap_or_default().to_string()))
            .collect()
    };
    assert!(unarchived(&run()).is_empty(), "off by default");
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[check]\narchived_evidence = true\n"));
    let found = unarchived(&run());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "content/reviews/second-look.md:10:15");
    assert_eq!(found[0].1, "`https://widget.test/nope` has no archived copy");
    assert!(found[0].2.contains("https://web.archive.org/save/https://widget.test/nope"), "{found:#?}");
}
