//! `critique serve`'s live-reload script in headless Chromium, driven over WebDriver.

use crate::server::Server;
use crate::support::SiteTest;
use crate::webdriver::{Browser, wait_for};

/// `serve --follow`: the open page goes to the page of the review just saved.
#[test]
fn serve_follow_takes_the_open_page_to_the_file_saved() {
    if !crate::support::tools_present(
        "serve_follow_takes_the_open_page_to_the_file_saved",
        &["chromium", "chromedriver"],
    ) {
        return;
    }
    let site = SiteTest::fixture("basic");
    let server = Server::start_with(&site, &["--follow"]);
    let browser = Browser::start();
    browser.goto(&format!("http://127.0.0.1:{}/", server.port));
    // The page's event stream is open once its script ran.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let path = "content/reviews/second-look.md";
    let text = std::fs::read_to_string(site.root.join(path)).expect("read");
    site.write(path, text.replace("\n---\n", "\nupdated: 2026-11-24\n---\n"));
    let followed = wait_for(|| browser.url().ends_with("/reviews/second-look/").then_some(()));
    assert!(followed.is_some(), "the page followed the save: {}", browser.url());
}
