//! No page requests a file that is not there: headless Chromium loads a page of each kind of
//! the built example site (served from the root and under a `/sub/` base path), waits for its
//! scripts' fetches (the search index, the projects' JSON), then asks for every file the page
//! names (icons, style sheets, scripts, feeds); the server records each request it answers 404.

use serde_json::json;

use crate::support::SiteTest;
use crate::webdriver::{Browser, StaticServer};

/// Requests every file on the page's own origin that its `<link>`s, scripts and images name,
/// so that those a browser fetches lazily or not at all headless (icons, feeds) are asked for
/// too; calls back once all have been answered.
const NAMED: &str = r"{
const done = arguments[arguments.length - 1];
const urls = new Set();
document.querySelectorAll('link[href], script[src], img[src], source[src]').forEach((e) => {
  const url = new URL(e.getAttribute('href') || e.getAttribute('src'), location.href);
  if (url.origin === location.origin) urls.add(url.href);
});
Promise.all([...urls].map((u) => fetch(u, { cache: 'no-store' }).catch(() => null))).then(() => done(urls.size));
}";

/// The first folder below `dir` of the built site (a tag's, an author's), as a page path.
fn first_below(site: &SiteTest, dir: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(site.public().join(dir))
        .expect("read the output")
        .flatten()
        .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    format!("{dir}{}/", names.first().unwrap_or_else(|| panic!("no page under {dir}")))
}

#[test]
fn no_page_requests_a_missing_file() {
    if !crate::support::tools_present("no_page_requests_a_missing_file", &["chromium", "chromedriver"]) {
        return;
    }
    let browser = Browser::start();
    let mut missing = Vec::new();
    for base_path in ["/", "/sub/"] {
        let site = SiteTest::example();
        let options =
            critique::SiteOptions { base_url: Some(format!("http://127.0.0.1{base_path}")), ..SiteTest::options() };
        if let Err(e) = site.build_with(options, None) {
            panic!("build failed:\n{e}");
        }
        let server = StaticServer::start(site.public(), base_path);
        let mut pages = vec![
            String::new(),
            "projects/".to_string(),
            "projects/opengradient/".to_string(),
            "reviews/".to_string(),
            "reviews/who-is-paid-first-opengradient/".to_string(),
            "questions/".to_string(),
            "rubric/".to_string(),
            "changes/".to_string(),
            "about/".to_string(),
            "search/?q=upgrade".to_string(),
            "compare/?p=opengradient,proofholm".to_string(),
        ];
        pages.push(first_below(&site, "tags/"));
        pages.push(first_below(&site, "authors/"));
        for page in &pages {
            browser.goto(&format!("{}{page}", server.base));
            browser.wait_until("return document.readyState", &json!("complete"));
            // The scripts' own fetches, done or failed (a failure's 404 is reported below).
            let settled = match page.split('/').next() {
                Some("search") => Some(
                    "return /(\\d+ results?|unavailable.*)$/.test(document.getElementById('search-status').textContent)",
                ),
                Some("compare") => Some(
                    "return /^(Comparing|The projects' data could not)/.test(document.getElementById('compare-status').textContent)",
                ),
                _ => None,
            };
            if let Some(script) = settled {
                browser.wait_until(script, &json!(true));
            }
            let named = browser.eval_async(NAMED);
            assert!(named.as_u64().is_some_and(|n| n >= 4), "{page} names its icons and styles: {named}");
            missing.extend(server.take_missing().into_iter().map(|path| format!("{base_path} {page}: {path}")));
        }
    }
    assert!(missing.is_empty(), "pages requested files that are not there:\n{}", missing.join("\n"));
}
