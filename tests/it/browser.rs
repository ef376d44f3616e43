//! JavaScript in a real browser: headless Chromium loads a built page, the test's script
//! clicks through it after the page's own scripts ran, and the DOM Chromium prints is parsed.

use std::fs;
use std::process::Command;

use crate::support::{Page, SiteTest};

/// Loads `page` (a file in the site's output) in headless Chromium with `script` run once
/// the page's deferred scripts have run, and returns the resulting DOM.
fn run_in_chromium(site: &SiteTest, page: &str, script: &str) -> Page {
    // Root-relative assets resolve against the output folder, not the file system's root.
    let root = format!("file://{}/", site.public().display());
    let html = site.read(page).replace("=\"/", &format!("=\"{root}")).replace(
        "</body>",
        &format!("<script>addEventListener('DOMContentLoaded', () => {{ {script} }});</script></body>"),
    );
    let path = site.public().join(page).with_file_name("browser-test.html");
    fs::write(&path, html).expect("write the test page");
    let profile = tempfile::tempdir().expect("profile");
    let output = Command::new("chromium")
        .args(crate::support::CHROMIUM_FLAGS)
        .args(["--allow-file-access-from-files", "--virtual-time-budget=2000"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("chromium must be installed (apt-get install chromium) for browser tests");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    Page(scraper::Html::parse_document(&String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn clicking_a_column_header_sorts_the_comparison() {
    if !crate::support::tools_present("clicking_a_column_header_sorts_the_comparison", &["chromium"]) {
        return;
    }
    let site = SiteTest::example();
    site.build();
    let rows = |page: &Page| page.texts("table[data-sortable] tbody th[scope=row] a");
    let before = run_in_chromium(&site, "projects/index.html", "");
    let by_overall = rows(&before);
    assert_eq!(by_overall.len(), 4);
    assert_eq!(
        before.attrs("table[data-sortable] thead button.sort", "type").len(),
        11,
        "every header became a button"
    );

    let by_name = run_in_chromium(
        &site,
        "projects/index.html",
        "document.querySelector('thead th:nth-child(1) button').click();",
    );
    let mut sorted = by_overall.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(rows(&by_name), sorted, "ascending by name");
    assert_eq!(by_name.attrs("thead th:nth-child(1)", "aria-sort"), ["ascending"]);

    let reversed = run_in_chromium(
        &site,
        "projects/index.html",
        "const b = document.querySelector('thead th:nth-child(1) button'); b.click(); b.click();",
    );
    sorted.reverse();
    assert_eq!(rows(&reversed), sorted, "a second click reverses");

    let by_reviews = run_in_chromium(
        &site,
        "projects/index.html",
        "document.querySelector('thead th:nth-child(9) button').click();",
    );
    let counts: Vec<usize> =
        by_reviews.texts("tbody td:nth-child(9)").iter().map(|c| c.parse().expect("count")).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "numbers sort descending first: {counts:?}");
}
