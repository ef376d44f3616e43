//! `critique check --external` against hosts on loopback: what each kind of answer means,
//! the per-host limit and delay, retries, HEAD refused, redirects across hosts, the cache, and
//! what is never fetched. No test needs the internet.

use serde_json::Value;

use crate::loopback::{Behaviour, Host};
use crate::support::SiteTest;

/// The basic fixture with `body` as a review's text and `[check.external]` set to `settings`
/// (loopback allowed, the fixture's own `.test` links skipped).
fn site_with(body: &str, settings: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = site.read_source("critique.toml");
    site.write(
        "critique.toml",
        format!(
            "{config}\n[check.external]\nallow_private = true\nbackoff_ms = 50\n{settings}\n{}",
            skip_fixture(settings)
        ),
    );
    site.write(
        "content/reviews/links.md",
        format!("---\ntitle: Links\nproject: widget\nauthor: Ada Reviewer\ndate: 2026-11-11\nverdict: good\nscores: {{ cost: 5, speed: 5 }}\n---\n{body}\n"),
    );
    site
}

/// The basic fixture's own links are on `.test` hosts, which do not resolve: skipped, unless
/// `settings` has skip patterns of its own.
fn skip_fixture(settings: &str) -> &'static str {
    if settings.contains("skip =") { "" } else { "skip = ['\\.test/']\n" }
}

/// `check --external --format json` on `site` with `more` arguments: its exit code and report.
fn check_json(site: &SiteTest, more: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--external", "--format", "json"];
    args.extend(more);
    let output = site.run_cli(&args);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    });
    (output.status.code().unwrap_or(-1), report)
}

/// The findings of `rule` in `report`, as `line: severity: message`.
fn findings(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| format!("{}: {}: {}", f["line"], f["severity"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect()
}

fn count(requests: &[String], wanted: &str) -> usize {
    requests.iter().filter(|r| *r == wanted).count()
}

#[test]
fn each_kind_of_answer_has_its_meaning() {
    let host = Host::start(Behaviour::default());
    let u = |p: &str| host.url(p);
    let body = format!(
        "[ok]({})\n[chain]({})\n[loop]({})\n[missing]({})\n[gone]({})\n[busy]({})\n[flaky]({})\n[down]({})\n[slow]({})\n<a href=\"{}\">raw</a>\n\n![pic]({})\n[file]({})\n[mail](mailto:a@b.c)\n",
        u("/ok"),
        u("/moved/3"),
        u("/loop"),
        u("/missing"),
        u("/gone"),
        u("/busy"),
        u("/flaky"),
        u("/down"),
        u("/slow"),
        u("/ok-raw-html"),
        u("/ok-image.png"),
        u("/tofile"),
    );
    let site = site_with(&body, "timeout_secs = 1\nretries = 2\ndelay_ms = 0");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 1, "dead links fail the check: {report:#}");
    let dead = findings(&report, "dead-link");
    let line = |path: &str| body.lines().position(|l| l.contains(&u(path))).unwrap() + 9;
    assert_eq!(
        dead,
        [
            format!("{}: error: dead link `{}`: it redirects more than 10 times", line("/loop"), u("/loop")),
            format!("{}: error: dead link `{}`: 404 Not Found", line("/missing"), u("/missing")),
            format!("{}: error: dead link `{}`: 410 Gone", line("/gone"), u("/gone")),
            format!(
                "{}: error: dead link `{}`: it redirects to `file:///etc/passwd`, which is not a web address",
                line("/tofile"),
                u("/tofile")
            ),
        ]
    );
    let unsure = findings(&report, "unreachable-link");
    assert_eq!(
        unsure,
        [
            format!(
                "{}: warning: could not check `{}`: 503 Service Unavailable after 4 requests",
                line("/down"),
                u("/down")
            ),
            format!("{}: warning: could not check `{}`: no answer within 1 s", line("/slow"), u("/slow")),
        ]
    );
    let requests = host.requests();
    // 429 with Retry-After, then 200; 500 then 200: each asked twice, and live.
    assert_eq!(count(&requests, "HEAD /busy"), 2, "{requests:?}");
    assert_eq!(count(&requests, "HEAD /flaky"), 2, "{requests:?}");
    // A 503 to the end: the first try and two retries with HEAD, a last one with GET.
    assert_eq!((count(&requests, "HEAD /down"), count(&requests, "GET /down")), (3, 1), "{requests:?}");
    // A 404 to HEAD is asked again with GET (servers mishandle HEAD); a chain is followed.
    assert_eq!((count(&requests, "HEAD /missing"), count(&requests, "GET /missing")), (1, 1));
    assert_eq!(count(&requests, "HEAD /moved/1"), 1);
    assert_eq!(count(&requests, "HEAD /loop"), 11, "the first and ten redirects");
    // Raw HTML and images are checked; what is not on the web is not fetched.
    assert_eq!(count(&requests, "HEAD /ok-raw-html") + count(&requests, "HEAD /ok-image.png"), 2);
    let tally = &report["external_check"];
    assert_eq!(tally["checked"], 12, "{tally}");
    assert_eq!(tally["cached"], 0);
    assert_eq!(tally["skipped"], 3, "the fixture's two .test links and mailto: {tally}");
    assert_eq!(report["version"], 4);
}

#[test]
fn a_dead_source_with_an_archived_copy_is_a_warning_naming_the_copy() {
    let host = Host::start(Behaviour::default());
    let site = SiteTest::fixture("basic");
    let text = site.read_source("content/reviews/first-look.md");
    let evidence =
        format!("    evidence: {{ url: \"{}\", archived: \"{}\" }}\n", host.url("/gone"), host.url("/ok-copy"));
    let text = text.replacen("    evidence: https://widget.test/bench\n", &evidence, 1);
    let second = format!("  - ask: And the rest?\n    claim: cheap\n    evidence: {}\n", host.url("/missing"));
    let text = text.replacen("revisions:\n", &format!("{second}revisions:\n"), 1);
    site.write("content/reviews/first-look.md", text);
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[check.external]\nallow_private = true\ndelay_ms = 0\n"));
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 1);
    let all = report["findings"].as_array().unwrap();
    let warning = all.iter().find(|f| f["message"].as_str().unwrap().contains("/gone")).unwrap();
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["line"], 14);
    assert_eq!(
        warning["message"],
        format!(
            "the source `{}` is dead (410 Gone); readers are sent to its archived copy `{}`",
            host.url("/gone"),
            host.url("/ok-copy")
        )
    );
    let error = all.iter().find(|f| f["message"].as_str().unwrap().contains("/missing")).unwrap();
    assert_eq!(error["severity"], "error");
    assert_eq!(error["message"], format!("dead evidence link `{}`: 404 Not Found", host.url("/missing")));
    let hint = error["hint"].as_str().unwrap();
    assert!(hint.contains(&format!("https://web.archive.org/save/{}", host.url("/missing"))), "{hint}");
    assert!(host.requests().contains(&"HEAD /ok-copy".to_string()), "the copy is checked too");
}

#[test]
fn each_host_gets_at_most_its_limit_at_once_and_its_delay() {
    let slow = Behaviour { latency: std::time::Duration::from_millis(80), ..Behaviour::default() };
    let (a, b) = (Host::start(slow), Host::start(slow));
    let links: String = (0..12)
        .map(|i| format!("[a{i}]({}) [b{i}]({})\n", a.url(&format!("/ok{i}")), b.url(&format!("/ok{i}"))))
        .collect();
    let site = site_with(&links, "per_host = 2\ndelay_ms = 0");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "{report:#}");
    for host in [&a, &b] {
        assert_eq!(host.requests().len(), 12);
        assert_eq!(host.most_in_flight(), 2, "two at a time, and never more");
    }
    // One at a time, 60 ms apart at least.
    let (c, d) = (Host::start(Behaviour::default()), Host::start(Behaviour::default()));
    let links: String = (0..6)
        .map(|i| format!("[c{i}]({}) [d{i}]({})\n", c.url(&format!("/ok{i}")), d.url(&format!("/ok{i}"))))
        .collect();
    let site = site_with(&links, "per_host = 1\ndelay_ms = 60");
    assert_eq!(check_json(&site, &[]).0, 0);
    for host in [&c, &d] {
        assert_eq!(host.most_in_flight(), 1);
        let gap = host.least_gap().unwrap();
        // Arrival times jitter a little around the starts the check spaced.
        assert!(gap >= std::time::Duration::from_millis(50), "{gap:?}");
    }
}

#[test]
fn a_host_refusing_head_is_asked_with_get_and_redirects_count_on_their_own_host() {
    let no_head = Host::start(Behaviour { refuses_head: true, ..Behaviour::default() });
    let other = Host::start(Behaviour::default());
    let links: String = (0..5).map(|i| format!("[n{i}]({})\n", no_head.url(&format!("/ok{i}")))).collect();
    let links = format!("{links}[away]({})\n", other.url(&format!("/away/{}:{}", no_head.ip, no_head.port)));
    let site = site_with(&links, "per_host = 1\ndelay_ms = 0\nuser_agent = \"test-checker/1.0\"");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "{report:#}");
    let requests = no_head.requests();
    let heads = requests.iter().filter(|r| r.starts_with("HEAD")).count();
    assert_eq!(heads, 1, "after a 405, the host is asked with GET alone: {requests:?}");
    assert_eq!(requests.iter().filter(|r| r.starts_with("GET /ok")).count(), 6, "five links and the redirect");
    assert_eq!(other.requests(), [format!("HEAD /away/{}:{}", no_head.ip, no_head.port)]);
    assert!(no_head.agents().iter().chain(&other.agents()).all(|a| a == "test-checker/1.0"));
}

#[test]
fn the_cache_spares_links_checked_recently_and_refresh_ignores_it() {
    let host = Host::start(Behaviour::default());
    let links = format!(
        "[a]({}) [b]({}) [c]({}#part) [dead]({})\n",
        host.url("/ok1"),
        host.url("/ok2"),
        host.url("/ok1"),
        host.url("/missing")
    );
    let site = site_with(&links, "delay_ms = 0");
    let (code, first) = check_json(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        (first["external_check"]["checked"].as_u64(), first["external_check"]["cached"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(host.requests().len(), 4, "ok1 (once, fragment or not), ok2, and the 404 twice: {:?}", host.requests());
    assert!(site.root.join(".critique/cache/external-links.json").is_file());

    let (code, second) = check_json(&site, &[]);
    assert_eq!(code, 1, "a dead link is not cached");
    assert_eq!(
        (second["external_check"]["checked"].as_u64(), second["external_check"]["cached"].as_u64()),
        (Some(1), Some(2))
    );
    let requests = host.requests();
    assert_eq!(requests.len(), 6, "only the dead link again: {requests:?}");
    assert_eq!(count(&requests[4..], "HEAD /missing"), 1);

    check_json(&site, &["--refresh"]);
    assert_eq!(host.requests().len(), 10, "everything again");
    // A cache too old is not used.
    let config = site.read_source("critique.toml");
    site.write("critique.toml", config.replace("delay_ms = 0", "delay_ms = 0\ncache_days = 0"));
    check_json(&site, &[]);
    assert_eq!(host.requests().len(), 14);
    // The text report says what was done.
    let text = String::from_utf8(site.run_cli(&["check", "--external"]).stdout).unwrap();
    assert!(text.contains("External links: 3 checked, 0 cached, 2 skipped (4 requests) in "), "{text}");
}

#[test]
fn a_429_holds_back_its_whole_host_for_as_long_as_it_asks() {
    let host = Host::start(Behaviour::default());
    // Fetched in the order of their addresses: /busy first, then /ok-later on the same host.
    let links = format!("[a]({}) [b]({})\n", host.url("/busy"), host.url("/ok-later"));
    let site = site_with(&links, "per_host = 1\ndelay_ms = 0");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "{report:#}");
    let busy = host.arrivals_of("/busy");
    let later = host.arrivals_of("/ok-later");
    assert_eq!((busy.len(), later.len()), (2, 1), "{:?}", host.requests());
    let second = busy[1].duration_since(busy[0]);
    let other = later[0].duration_since(busy[0]);
    // Retry-After: 1, give or take the clocks' grain.
    assert!(second >= std::time::Duration::from_millis(900), "the retry came after {second:?}");
    assert!(other >= std::time::Duration::from_millis(900), "another link on the host came after {other:?}");
}

#[test]
fn a_public_name_for_a_private_address_is_refused_after_the_lookup() {
    let host = Host::start(Behaviour::default());
    // 127.0.0.N written as one number: no name test sees it as private, the lookup does.
    let decimal = u32::from(host.ip);
    let site = SiteTest::fixture("basic");
    site.write("content/pages/links.md", format!("---\ntitle: Links\n---\n[n](http://{decimal}:{}/ok)\n", host.port));
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[check.external]\nskip = ['\\.test/']\n"));
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(host.requests().is_empty(), "{:?}", host.requests());
    assert_eq!(report["external_check"]["skipped"], 3, "{report:#}");
    assert_eq!(report["external_check"]["checked"], 0, "{report:#}");
}

#[test]
fn private_addresses_skip_patterns_and_accepted_codes() {
    let host = Host::start(Behaviour::default());
    let links = format!("[a]({}) [b]({}) [c]({})\n", host.url("/ok"), host.url("/gone"), host.url("/missing"));
    // Without allow_private, nothing on loopback is fetched: a pull request cannot make CI
    // probe its own network.
    let site = SiteTest::fixture("basic");
    site.write(
        "content/pages/links.md",
        format!(
            "---\ntitle: Links\n---\n{links}\n[local](http://localhost:9/x) [meta](http://169.254.169.254/latest/)\n"
        ),
    );
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[check.external]\nskip = ['\\.test/']\n"));
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["external_check"]["skipped"], 7, "five on loopback or private, two .test");
    assert_eq!(report["external_check"]["checked"], 0);
    assert!(host.requests().is_empty());

    let site = site_with(&links, "accepted_status = [410]\nskip = ['\\.test/', '/missing$']\ndelay_ms = 0");
    let (code, report) = check_json(&site, &[]);
    assert_eq!(code, 0, "410 accepted, the 404 skipped: {report:#}");
    assert_eq!(report["external_check"]["skipped"], 3);
    assert!(!host.requests().iter().any(|r| r.contains("/missing")));
}

#[test]
fn bad_settings_are_errors_at_their_key() {
    let site = site_with(
        "text",
        "skip = ['(unclosed']\nper_host = 0\nuser_agent = \"a\\nb\"\ntimeout_secs = 18446744073709551615",
    );
    let output = site.run_cli(&["check", "--external"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("skip pattern `(unclosed` is not a regular expression"), "{text}");
    assert!(text.contains("per_host is 0: expected 1 to 64"), "{text}");
    assert!(text.contains("timeout_secs is 18446744073709551615: expected 1 to 600"), "{text}");
    assert!(text.contains("user_agent must be printable ASCII"), "{text}");
    assert!(!site.root.join(".critique").exists(), "nothing fetched, nothing written");
    // --refresh needs --external.
    assert_eq!(site.run_cli(&["check", "--refresh"]).status.code(), Some(2));
}
