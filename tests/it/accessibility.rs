//! Every page of two built sites (the example site and the varied basic fixture) passes
//! axe-core, Deque's accessibility engine, for the WCAG 2.0 and 2.1 A and AA rules, in
//! headless Chromium driven over WebDriver, once in the light colour scheme and once in the
//! dark one (the theme has both palettes, and contrast must hold in each). axe-core comes from
//! npm: the first run installs it under Cargo's target directory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::support::SiteTest;
use crate::webdriver::{Browser, StaticServer};

/// The axe-core release npm installs: pinned, so that a new rule cannot fail a build unasked.
const AXE_VERSION: &str = "4.14.1";

/// Runs axe on the open page and hands back each violation in short: the rule, its impact,
/// what it asks for, how many elements fail it, and the first few of them with axe's reason.
/// axe itself is prepended to this script, since every page load forgets it; the block keeps
/// these names from meeting axe's own.
const AUDIT: &str = r"{
const done = arguments[arguments.length - 1];
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
window.axe.run(document, { runOnly: { type: 'tag', values: tags } }).then(
  (results) => done(results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map((n) => ({
      target: n.target.join(' '),
      why: [...n.any, ...n.all, ...n.none].map((c) => c.message)[0] || '',
    })),
  }))),
  (error) => done({ error: String(error) }),
);
}";

/// axe-core's browser bundle: `$AXE_JS`, or installed from npm on first use.
fn axe_js() -> PathBuf {
    if let Some(js) = std::env::var_os("AXE_JS") {
        return PathBuf::from(js);
    }
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("axe-{AXE_VERSION}"));
    let js = prefix.join("node_modules/axe-core/axe.min.js");
    if !js.is_file() {
        let status = Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("axe-core@{AXE_VERSION}"))
            .status()
            .expect("npm must be installed to fetch axe-core");
        assert!(status.success(), "npm install axe-core failed");
    }
    js
}

/// Every HTML page under `public`, relative and sorted.
fn pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(|entry| entry.expect("walk output"))
        .filter(|entry| entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html"))
        .map(|entry| entry.path().strip_prefix(public).expect("below").to_string_lossy().into_owned())
        .collect();
    pages.sort();
    pages
}

/// The address `server` gives `page`: a folder's index by the folder, as links name it.
fn address(server: &StaticServer, page: &str) -> String {
    let path = page.strip_suffix("index.html").unwrap_or(page);
    format!("{}{path}", server.base)
}

/// The violations axe reports on the page at `url`, one line each, empty when there are none.
fn audit(browser: &Browser, script: &str, url: &str) -> Vec<String> {
    browser.goto(url);
    // A comparison is built after the projects' data came: audited once it is there.
    if url.contains("compare/?p=") {
        let built = "return document.getElementById('compare-status').textContent.startsWith('Comparing')";
        browser.wait_until(built, &serde_json::json!(true));
    }
    let result = browser.eval_async(script);
    let Some(violations) = result.as_array() else {
        return vec![format!("axe did not run: {result}")];
    };
    violations.iter().map(describe).collect()
}

/// One violation as a line: `rule (impact): help; N element(s): `target` (why) | …`.
fn describe(violation: &Value) -> String {
    let text = |key: &str| violation[key].as_str().unwrap_or("?").to_string();
    let mut line =
        format!("{} ({}): {}; {} element(s): ", text("id"), text("impact"), text("help"), violation["count"]);
    let nodes = violation["nodes"].as_array().map(Vec::as_slice).unwrap_or_default();
    for (i, node) in nodes.iter().enumerate() {
        let separator = if i == 0 { "" } else { " | " };
        let _ = write!(
            line,
            "{separator}`{}` ({})",
            node["target"].as_str().unwrap_or("?"),
            node["why"].as_str().unwrap_or("")
        );
    }
    line
}

#[test]
fn every_page_is_axe_clean() {
    // npm fetches axe-core unless `AXE_JS` names a copy.
    let tools: &[&str] = if std::env::var_os("AXE_JS").is_some() {
        &["chromium", "chromedriver"]
    } else {
        &["chromium", "chromedriver", "npm"]
    };
    if !crate::support::tools_present("every_page_is_axe_clean", tools) {
        return;
    }
    let axe = std::fs::read_to_string(axe_js()).expect("read axe.min.js");
    let script = format!("{axe}\n{AUDIT}");
    let example = SiteTest::example();
    example.build();
    let basic = crate::support::varied_basic();
    // Served over http from the root, so that root-relative links, styles and scripts load.
    let sites = [("example", &example), ("varied basic", &basic)];
    let mut served: Vec<(&str, StaticServer, Vec<String>)> = sites
        .iter()
        .map(|(name, site)| (*name, StaticServer::start(site.public(), "/"), pages(&site.public())))
        .collect();
    // The comparison as the script builds it, beside the page as served.
    served[0].2.push("compare/?p=commons-inference,ferrymesh,opengradient,proofholm".into());
    // Every kind of page the theme has is among them, so that none drops out unnoticed.
    let kinds = [
        "404.html",
        "index.html",
        "search/",
        "rubric/",
        "authors/",
        "tags/",
        "verdicts/",
        "questions/",
        "changes/",
        "compare/",
    ];
    for (name, _, pages) in &served {
        for kind in kinds.iter().chain(&["reviews/", "projects/", "about/"]) {
            assert!(pages.iter().any(|p| p.starts_with(kind)), "{name} has no {kind} page to check: {pages:?}");
        }
    }
    let browser = Browser::start();
    let started = Instant::now();
    // Page → its violations, each with the colour schemes it showed in.
    let mut found: BTreeMap<String, Vec<(String, Vec<&str>)>> = BTreeMap::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        // The scheme took, and the theme's style sheet with it: else contrast would be
        // judged on the browser's defaults.
        browser.goto(&served[0].1.base);
        let applied = "return [matchMedia('(prefers-color-scheme: dark)').matches, document.styleSheets.length > 0 \
            && getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)']";
        assert_eq!(browser.eval(applied), serde_json::json!([scheme == "dark", true]), "{scheme} scheme not applied");
        for (name, server, pages) in &served {
            for page in pages {
                for line in audit(&browser, &script, &address(server, page)) {
                    let lines = found.entry(format!("{name}/{page}")).or_default();
                    match lines.iter_mut().find(|(seen, _)| *seen == line) {
                        Some((_, schemes)) => schemes.push(scheme),
                        None => lines.push((line, vec![scheme])),
                    }
                }
            }
        }
    }
    let counts: Vec<String> = served.iter().map(|(name, _, pages)| format!("{} of {name}", pages.len())).collect();
    eprintln!("axe-core {AXE_VERSION}: {} pages, light and dark, in {:.1?}", counts.join(" and "), started.elapsed());
    let report: Vec<String> = found
        .iter()
        .map(|(page, lines)| {
            let lines: Vec<String> =
                lines.iter().map(|(line, schemes)| format!("[{}] {line}", schemes.join(", "))).collect();
            format!("{page}:\n  {}", lines.join("\n  "))
        })
        .collect();
    assert!(report.is_empty(), "axe found violations on {} pages:\n{}", report.len(), report.join("\n"));
}
