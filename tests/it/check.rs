//! `critique check`: editorial findings on a fixture written for them, the JSON report's
//! shape, exit codes, and `build` failing on the same errors.

use critique::cmd::check::{self, CheckArgs, CheckOutcome};
use critique::diagnostic::{Diagnostic, Severity};

use crate::support::SiteTest;

fn check_site(site: &SiteTest, strict: bool) -> CheckOutcome {
    check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict, external: None })
}

fn findings_of<'a>(outcome: &'a CheckOutcome, file: &str) -> Vec<&'a Diagnostic> {
    outcome.findings.diagnostics.iter().filter(|d| d.path.to_string_lossy() == file).collect()
}

fn rules(found: &[&Diagnostic]) -> Vec<String> {
    found.iter().map(|d| d.rule.as_deref().unwrap_or_default().to_string()).collect()
}

#[test]
fn promotional_posts_are_flagged_with_line_phrase_and_rule() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let found = findings_of(&outcome, "content/reviews/ticker-posts.md");
    let tickers: Vec<(usize, usize, &str)> = found
        .iter()
        .filter(|d| d.rule.as_deref() == Some("promotion-ticker"))
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(tickers[0], (12, 3, "`$IN USDT` is a price read-out, not critique"));
    assert_eq!(tickers.len(), 8, "{tickers:#?}");
    let phrases: Vec<&str> = found
        .iter()
        .filter(|d| d.rule.as_deref() == Some("promotion-phrase"))
        .map(|d| d.message.split('"').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        phrases,
        [
            "continues its bullish",
            "Momentum is building",
            "buyers remain active",
            "next breakout",
            "top performers",
            "Keep this pair on your watchlist"
        ]
    );
    let density: Vec<&&Diagnostic> = found.iter().filter(|d| d.rule.as_deref() == Some("promotion-density")).collect();
    assert_eq!(density.len(), 1);
    assert_eq!(density[0].message, "reads as promotion: 4 hashtags (at most 1), 8 emoji (at most 2)");
    assert!(found.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn an_honest_critique_that_names_a_token_and_prices_is_not_flagged() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    assert!(findings_of(&outcome, "content/reviews/honest-token.md").is_empty());
}

#[test]
fn a_lightly_edited_copy_is_a_near_duplicate_of_its_original() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let found = findings_of(&outcome, "content/reviews/lightly-edited.md");
    assert_eq!(rules(&found), ["near-duplicate"]);
    assert!(found[0].message.starts_with("largely repeats content/reviews/original.md (similarity 0."), "{}", found[0]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(findings_of(&outcome, "content/reviews/original.md").is_empty(), "reported once, on the later review");
}

#[test]
fn a_catchphrase_shared_by_three_authors_is_one_stock_phrase() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let stock: Vec<&Diagnostic> =
        outcome.findings.diagnostics.iter().filter(|d| d.rule.as_deref() == Some("stock-phrase")).collect();
    assert_eq!(stock.len(), 1, "{stock:#?}");
    assert_eq!(stock[0].location(), "content/reviews/catch-1.md:13");
    assert_eq!(
        stock[0].message,
        "stock phrase \"the hype has outrun the evidence\" is also in content/reviews/catch-2.md (Dee South), content/reviews/catch-3.md (Eve West)"
    );
}

#[test]
fn broken_links_and_anchors_are_errors_at_their_lines() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let found: Vec<String> = findings_of(&outcome, "content/reviews/links.md")
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "15: broken link `/projects/nope/`: no page `/projects/nope/` in the site",
            "16: broken link `/reviews/original/#no-such-heading`: no `#no-such-heading` on `/reviews/original/`",
            "17: broken link `../missing/`: no page `/reviews/missing/` in the site",
        ]
    );
    let external: Vec<(usize, &str)> = outcome.findings.external.iter().map(|l| (l.line, l.url.as_str())).collect();
    assert_eq!(external, [(19, "https://cloud.example.com/pricing")]);
}

/// A `#fragment` in the site's own static HTML is found by `check` and by `build` alike
/// (a build keeps ids only of the files links point into, static files included).
#[test]
fn fragments_in_static_html_are_link_targets() {
    let site = SiteTest::fixture("basic");
    site.write("static/guide.html", "<!doctype html><title>Guide</title><h2 id=\"install\">Install</h2>");
    let review = std::fs::read_to_string(site.root.join("content/reviews/third-look.md")).expect("review");
    let linked = review.clone() + "\nSee [the guide](/guide.html#install).\n";
    site.write("content/reviews/third-look.md", linked);
    assert!(check_site(&site, false).passed);
    site.build();
    let broken = review + "\nSee [the guide](/guide.html#uninstall).\n";
    site.write("content/reviews/third-look.md", broken);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("no `#uninstall` on `/guide.html`"), "{}", errors[0].message);
}

#[test]
fn unquestioned_claims_and_unreviewed_projects_are_warnings() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let token = findings_of(&outcome, "content/projects/token-net.md");
    assert_eq!(rules(&token), ["unquestioned-claim"]);
    assert_eq!((token[0].line, token[0].message.as_str()), (9, "no review questions the claim `unasked`"));
    assert_eq!(rules(&findings_of(&outcome, "content/projects/lonely.md")), ["unreviewed-project"]);
}

#[test]
fn rules_can_be_switched_off_per_site_and_per_file() {
    let site = SiteTest::fixture("editorial");
    let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
    site.write("critique.toml", format!("{config}\n[check]\ndisabled = [\"stock-phrase\", \"unreviewed-project\"]\n"));
    let post = std::fs::read_to_string(site.root.join("content/reviews/ticker-posts.md")).expect("post");
    site.write("content/reviews/ticker-posts.md", format!("{post}\n<!-- critique-ignore: promotion -->\n"));
    let outcome = check_site(&site, false);
    let all = rules(&outcome.findings.diagnostics.iter().collect::<Vec<_>>());
    assert!(
        !all.iter().any(|r| r.starts_with("promotion") || r == "stock-phrase" || r == "unreviewed-project"),
        "{all:?}"
    );
    assert!(all.iter().any(|r| r == "near-duplicate"));
    site.write("critique.toml", format!("{config}\n[check]\ndisabled = [\"stock-phrases\"]\n"));
    let outcome = check_site(&site, false);
    let d = &outcome.findings.diagnostics[0];
    assert_eq!(d.location(), "critique.toml:6:13");
    assert!(d.message.starts_with("unknown rule `stock-phrases` in check.disabled"), "{d}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `stock-phrase`?"));
}

#[test]
fn the_json_report_has_a_stable_shape() {
    let site = SiteTest::fixture("editorial");
    let output = site.run_cli(&["check", "--format", "json", "--list-external"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["version"], 4);
    let findings = report["findings"].as_array().expect("findings");
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(report["errors"].as_u64(), Some(errors as u64));
    assert_eq!(report["warnings"].as_u64(), Some((findings.len() - errors) as u64));
    for f in findings {
        let object = f.as_object().expect("object");
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, ["column", "hint", "line", "message", "path", "related", "rule", "severity"], "{f}");
        assert!(f["path"].is_string() && f["message"].is_string());
        // A position not known is null, never 0.
        assert!(f["line"].as_u64().is_some_and(|l| l > 0) || f["line"].is_null(), "{f}");
        assert!(f["column"].as_u64().is_some_and(|c| c > 0) || f["column"].is_null(), "{f}");
        assert!(!f["line"].is_null() || f["column"].is_null(), "{f}");
        assert!(f["severity"] == "error" || f["severity"] == "warning");
        assert!(f["rule"].is_string(), "every finding names its rule, build errors too: {f}");
        assert!(f["related"].as_array().is_some_and(|r| r.iter().all(serde_json::Value::is_string)), "{f}");
        assert!(f["hint"].is_string() || f["hint"].is_null());
    }
    assert!(findings.iter().any(|f| f["line"].is_null()), "a finding about a whole file");
    assert!(findings.iter().any(|f| !f["line"].is_null() && f["column"].is_null()), "one placed by its line");
    let external = report["external_links"].as_array().expect("external links");
    assert_eq!(external[0]["url"], "https://cloud.example.com/pricing");
    assert_eq!(external[0]["path"], "content/reviews/links.md");
}

#[test]
fn exit_codes_and_build_follow_the_errors_not_the_warnings() {
    let site = SiteTest::fixture("editorial");
    let text = site.run_cli(&["check"]);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("content/reviews/ticker-posts.md\n"), "grouped by file:\n{stdout}");
    assert!(stdout.ends_with("18 errors, 4 warnings in 6 files.\n"), "{stdout}");
    let build = site.run_cli(&["build"]);
    assert_eq!(build.status.code(), Some(1), "build fails on the same errors");
    assert!(String::from_utf8_lossy(&build.stderr).contains("error[promotion-ticker]"));
    for file in ["content/reviews/ticker-posts.md", "content/reviews/links.md"] {
        site.remove(file);
    }
    assert_eq!(site.run_cli(&["check"]).status.code(), Some(0), "warnings alone pass");
    assert_eq!(site.run_cli(&["check", "--strict"]).status.code(), Some(1), "--strict fails on warnings");
    assert!(site.run_cli(&["build"]).status.success(), "warnings do not fail a build");
    assert_eq!(site.run_cli(&["check", "--format", "yaml"]).status.code(), Some(2), "usage error");
}

#[test]
fn the_example_site_has_no_findings() {
    let site = SiteTest::example();
    let outcome = check_site(&site, true);
    assert!(outcome.passed && outcome.findings.diagnostics.is_empty(), "{:#?}", outcome.findings.diagnostics);
}

#[test]
fn links_in_answers_are_checked_too() {
    let site = SiteTest::fixture("editorial");
    let review = "---\ntitle: Answered\nproject: token-net\nauthor: Gil Answers\ndate: 2026-11-09\nverdict: unproven\nscores: { cost: 4 }\nquestions:\n  - ask: Where are the numbers?\n    claim: cheaper\n    status: answered\n    answer: See [the numbers](/reviews/does-not-exist/) and [the claim](/projects/token-net/#claim-cheaper).\n---\nBody.\n";
    site.write("content/reviews/answered.md", review);
    let outcome = check_site(&site, false);
    let found: Vec<String> = findings_of(&outcome, "content/reviews/answered.md")
        .iter()
        .filter(|d| d.rule.as_deref() == Some("broken-link"))
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(found, ["12: broken link `/reviews/does-not-exist/`: no page `/reviews/does-not-exist/` in the site"]);
}

#[test]
fn stock_phrases_are_found_whatever_surrounds_them() {
    let site = SiteTest::fixture("editorial");
    for (slug, author, text) in [
        ("ann", "Ann Able", "Zebra alpha bravo charlie delta echo foxtrot yankee."),
        ("bob", "Bob Baker", "Quokka alpha bravo charlie delta echo foxtrot walrus."),
        ("cat", "Cat Cole", "Iguana alpha bravo charlie delta echo narwhal."),
        ("dan", "Dan Dale", "Ocelot lemur bravo charlie delta echo foxtrot gecko."),
    ] {
        let review = format!(
            "---\ntitle: {slug}\nproject: token-net\nauthor: {author}\ndate: 2026-11-09\nverdict: unproven\nscores: {{ cost: 4 }}\n---\n{text}\n"
        );
        site.write(&format!("content/reviews/{slug}.md"), review);
    }
    let outcome = check_site(&site, false);
    let phrases: Vec<String> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("stock-phrase"))
        .filter_map(|d| d.message.split('"').nth(1).map(str::to_string))
        .filter(|p| p.contains("charlie"))
        .collect();
    assert!(phrases.iter().any(|p| p.contains("alpha bravo charlie delta")), "{phrases:?}");
    assert!(phrases.iter().any(|p| p.contains("charlie delta echo foxtrot")), "{phrases:?}");
}

/// A tag written two ways is one term shown under its most used spelling; each file that
/// writes it otherwise gets a warning at the tag's line naming the spelling to use.
#[test]
fn tags_written_two_ways_are_reported() {
    // first-look writes `speed`, gadget-glance `Speed`: a second `speed` makes it the name.
    let site = SiteTest::fixture("basic");
    let text = std::fs::read_to_string(site.root.join("content/reviews/second-look.md")).expect("review");
    site.write("content/reviews/second-look.md", text.replacen("---\n", "---\ntags: [speed]\n", 1));
    let outcome = check_site(&site, false);
    let found: Vec<&Diagnostic> =
        outcome.findings.diagnostics.iter().filter(|d| d.rule.as_deref() == Some("tag-spelling")).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].path.to_string_lossy().as_ref(), found[0].line), ("content/reviews/gadget-glance.md", 8));
    assert_eq!(found[0].message, "tag `Speed` is written `speed` elsewhere");
    assert_eq!(found[0].severity, Severity::Warning);
}

/// `check` checks drafts too (a draft must be valid before it is published), though `build`
/// leaves them out and does not fail on them.
#[test]
fn drafts_are_checked_by_default() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/unfinished.md";
    let text = std::fs::read_to_string(site.root.join(path)).expect("draft");
    let verdict = text.lines().find(|l| l.starts_with("verdict:")).expect("a verdict").to_string();
    site.write(path, text.replace(&verdict, "verdict: splendid"));
    let outcome = check_site(&site, false);
    assert!(!outcome.passed);
    let found = findings_of(&outcome, path);
    assert!(found.iter().any(|d| d.message.starts_with("unknown verdict `splendid`")), "{found:#?}");
    site.build();
}

/// Every promotion finding's help names the way out: what to write instead, and the switch
/// that keeps a passage on purpose.
#[test]
fn every_promotion_finding_names_the_way_out() {
    let site = SiteTest::fixture("editorial");
    let outcome = check_site(&site, false);
    let promotion: Vec<&Diagnostic> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref().is_some_and(|r| r.starts_with("promotion")))
        .collect();
    assert!(!promotion.is_empty());
    for d in promotion {
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("critique-ignore") || hint.contains("check.max_"), "{d:?}");
    }
}

/// A broken link is placed at its column and gets the closest page, heading or claim id; a
/// link to a missing content file is named as written; raw HTML's links are checked too.
#[test]
fn broken_links_have_a_column_and_a_did_you_mean() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/links.md";
    site.write(
        path,
        "---\ntitle: Links\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n---\n\
         A [typo](/reviews/first-lok/) and [anchor](/reviews/first-look/#methd) and [claim](/projects/widget/#claim-fats).\n\n\
         [gone](../reviews/nope.md)\n\n<p><a href=\"/projects/gadgte/\">g</a></p>\n",
    );
    let outcome = check_site(&site, false);
    let found: Vec<(usize, usize, &str, Option<&str>)> = findings_of(&outcome, path)
        .into_iter()
        .filter(|d| d.rule.as_deref() == Some("broken-link"))
        .map(|d| (d.line, d.col, d.message.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                8,
                3,
                "broken link `/reviews/first-lok/`: no page `/reviews/first-lok/` in the site",
                Some("did you mean `/reviews/first-look/`?")
            ),
            (
                8,
                35,
                "broken link `/reviews/first-look/#methd`: no `#methd` on `/reviews/first-look/`",
                Some("did you mean `/reviews/first-look/#method`?")
            ),
            (
                8,
                76,
                "broken link `/projects/widget/#claim-fats`: no `#claim-fats` on `/projects/widget/`",
                Some("did you mean `/projects/widget/#claim-fast`?")
            ),
            (10, 1, "broken link `../reviews/nope.md`: no page `/reviews/nope/` in the site", None),
            (
                12,
                13,
                "broken link `/projects/gadgte/`: no page `/projects/gadgte/` in the site",
                Some("did you mean `/projects/gadget/`?")
            ),
        ]
    );
}

/// `--list-external` lists the web addresses of the front matter too: a claim's source, a
/// question's evidence.
#[test]
fn external_links_include_front_matter_urls() {
    let site = SiteTest::fixture("basic");
    let outcome = check_site(&site, false);
    let listed: Vec<(String, usize, &str)> = outcome
        .findings
        .external
        .iter()
        .map(|l| (l.path.to_string_lossy().replace('\\', "/"), l.line, l.url.as_str()))
        .collect();
    assert!(listed.contains(&("content/projects/widget.md".into(), 9, "https://widget.test/fast")), "{listed:?}");
    assert!(listed.contains(&("content/reviews/first-look.md".into(), 14, "https://widget.test/bench")), "{listed:?}");
}

/// A critic quoting hype to question it (a blockquote, or quotation marks saying who said
/// it) is not promoting; a ticker read-out counts even quoted; `critique-ignore-next` covers
/// the next block only.
#[test]
fn quoted_hype_is_not_promotion_but_tickers_still_count() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/quoting.md";
    site.write(
        path,
        "---\ntitle: Quoting\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n---\n\
         > Momentum is building, the next breakout is near.\n\n\
         The team calls it \"the next breakout\" and gives no figures.\n\n\
         > Price: 0.05 USDT\n\n\
         <!-- critique-ignore-next: promotion-phrase -->\n\
         Fans say we go to the moon\nand this line is in the same block: to the moon.\n\n\
         This one is mine: to the moon.\n",
    );
    let outcome = check_site(&site, false);
    let found: Vec<(usize, &str)> = findings_of(&outcome, path)
        .into_iter()
        .filter(|d| d.rule.as_deref().is_some_and(|r| r.starts_with("promotion")))
        .map(|d| (d.line, d.rule.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(found, [(12, "promotion-ticker"), (18, "promotion-phrase")]);
}

/// Stock phrases are sentences, not headings, and never words from two blocks; the text
/// `critique new` writes never counts.
#[test]
fn stock_phrases_skip_headings_scaffold_and_block_boundaries() {
    let site = SiteTest::fixture("basic");
    for (i, author) in ["Ann", "Bob", "Cy"].iter().enumerate() {
        site.write(
            &format!("content/reviews/stock-{i}.md"),
            format!(
                "---\ntitle: Stock {i}\nproject: widget\nauthor: {author}\ndate: 2026-11-1{i}\nverdict: good\n---\n\
                 The first paragraph is the summary shown in listings.\n\n\
                 ## What would change my mind about governance\n\n\
                 Review {i} by {author} asks who verifies\n\nNobody answered review {i}.\n\n\
                 - costs money to verify every call\n\nOwn closing {i}.\n"
            ),
        );
    }
    let outcome = check_site(&site, false);
    let stock: Vec<&Diagnostic> =
        outcome.findings.diagnostics.iter().filter(|d| d.rule.as_deref() == Some("stock-phrase")).collect();
    assert_eq!(stock.len(), 1, "{stock:#?}");
    assert_eq!(stock[0].message.split('"').nth(1), Some("costs money to verify every call"), "{stock:#?}");
}

/// Build errors name their rule (the stage that refused them) and findings that involve
/// other files list them as `related`.
#[test]
fn build_errors_name_their_rule_and_findings_their_related_files() {
    let site = SiteTest::fixture("editorial");
    site.write("content/reviews/broken.md", "---\ntitle: [x]\n---\n");
    site.write("content/reviews/broken.markdown", "---\ntitle: twin\n---\n");
    let output = site.run_cli(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    let of = |path: &str| -> Vec<&serde_json::Value> { findings.iter().filter(|f| f["path"] == path).collect() };
    assert!(of("content/reviews/broken.markdown").iter().all(|f| f["rule"] == "front-matter"), "{findings:#?}");
    let twin = of("content/reviews/broken.md");
    let related = serde_json::json!(["content/reviews/broken.markdown"]);
    assert!(twin.iter().any(|f| f["rule"] == "file" && f["related"] == related), "{twin:#?}");
    site.remove("content/reviews/broken.md").remove("content/reviews/broken.markdown");
    let output = site.run_cli(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let near = report["findings"].as_array().expect("findings").iter().find(|f| f["rule"] == "near-duplicate").cloned();
    assert_eq!(near.expect("a near-duplicate")["related"], serde_json::json!(["content/reviews/original.md"]));
}
