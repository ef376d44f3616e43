//! The search page in headless Chromium, driven over WebDriver: a fixture site served under
//! a `/sub/` base path from 127.0.0.1; typing, facets, score ranges, keyboard, the URL and
//! the back button.

use serde_json::json;

use crate::support::SiteTest;
use crate::webdriver::{ARROW_DOWN, Browser, ENTER, ESCAPE, StaticServer};

/// The result titles (without their kind label), in order, once the status has settled.
const TITLES: &str = "return Array.from(document.querySelectorAll('#search-results .search-result a')).map(a => a.textContent.replace(/^(Review|Question|Project)\\s*/, ''))";
/// The same, sorted, for results whose order is a matter of ranking.
const SORTED: &str = "return Array.from(document.querySelectorAll('#search-results .search-result a')).map(a => a.textContent.replace(/^(Review|Question|Project)\\s*/, '')).sort()";
const STATUS: &str = "return document.getElementById('search-status').textContent";

fn titles(expected: &[&str]) -> serde_json::Value {
    json!(expected)
}

fn sorted(expected: &[&str]) -> serde_json::Value {
    let mut titles = expected.to_vec();
    titles.sort();
    json!(titles)
}

#[test]
fn search_finds_narrows_follows_and_lives_in_the_url() {
    if !crate::support::tools_present(
        "search_finds_narrows_follows_and_lives_in_the_url",
        &["chromium", "chromedriver"],
    ) {
        return;
    }
    let site = SiteTest::fixture("search");
    site.build();
    let server = StaticServer::start(site.public(), "/sub/");
    let browser = Browser::start();
    let search = format!("{}search/", server.base);

    // Typing shows results as they come, best first, with an announced count.
    browser.goto(&search);
    browser.wait_until(STATUS, &json!("Type to search 4 reviews, 3 questions and 2 projects, or choose a filter."));
    browser.type_into("#search-q", "upgrade");
    browser.wait_until(STATUS, &json!("6 results"));
    browser.wait_until(
        SORTED,
        &sorted(&[
            "Fees after the upgrade",
            "Harbor's storage migration went badly",
            "Lumen",
            "Upgrade keys held by three people",
            "Who can upgrade the contracts today?",
            "Why were files unavailable for a day during the upgrade?",
        ]),
    );
    assert_eq!(browser.eval("return document.querySelector('#search-results mark').textContent"), json!("upgrade"));
    browser.wait_until("return location.search", &json!("?q=upgrade"));

    // A verdict narrows to that verdict's reviews and their questions, and counts follow.
    browser.click("#search-facets input[name=verdict][value=unproven]");
    browser.wait_until(STATUS, &json!("2 results"));
    browser.wait_until(SORTED, &sorted(&["Who can upgrade the contracts today?", "Upgrade keys held by three people"]));
    assert_eq!(browser.url(), format!("{search}?q=upgrade&verdict=unproven"));
    let counts =
        "return Array.from(document.querySelectorAll('[data-facet=verdict] li')).map(li => li.textContent.trim())";
    assert_eq!(
        browser.eval(counts),
        json!(["Delivers (0)", "Promising (1)", "Unproven (2)", "Overstated (2)", "Misleading (0)"])
    );

    // A score range (reliability ≥ 7) instead of the verdict.
    browser.click("#search-facets input[name=verdict][value=unproven]");
    browser.wait_until(STATUS, &json!("6 results"));
    browser.click("[data-facet=scores] summary");
    let select_min = "const s = document.querySelector('select[name=reliability-min]'); if (!s) return false; \
                      s.value = '7'; s.dispatchEvent(new Event('change')); return true";
    browser.wait_until(select_min, &json!(true));
    browser.wait_until(STATUS, &json!("1 result"));
    browser.wait_until(TITLES, &titles(&["Fees after the upgrade"]));
    assert_eq!(browser.url(), format!("{search}?q=upgrade&reliability=7-10"));

    // Arrow keys reach the result, Enter follows it.
    browser.click("#search-q");
    browser.keys(ARROW_DOWN);
    browser.wait_until("return document.activeElement.textContent.includes('Fees after the upgrade')", &json!(true));
    browser.keys(ENTER);
    browser.wait_until("return location.pathname", &json!("/sub/reviews/lumen-fees/"));

    // Back restores the search from the URL.
    browser.back();
    browser.wait_until(STATUS, &json!("1 result"));
    assert_eq!(browser.eval("return document.getElementById('search-q').value"), json!("upgrade"));

    // Escape clears the query.
    browser.click("#search-q");
    browser.keys(ESCAPE);
    browser.wait_until("return document.getElementById('search-q').value", &json!(""));
    browser.wait_until(STATUS, &json!("3 results"));
    browser.wait_until(TITLES, &titles(&["Fees after the upgrade", "Are fees capped?", "Harbor stays online"]));

    // A linked search, browsing by tag and a score range with no query.
    browser.goto(&format!("{search}?tag=governance&reliability=0-5"));
    browser.wait_until(STATUS, &json!("4 results"));
    // The status facet is fetched when the URL names it; a question shows its status.
    browser.goto(&format!("{search}?status=disputed"));
    browser.wait_until(STATUS, &json!("1 result"));
    browser.wait_until(TITLES, &titles(&["Why were files unavailable for a day during the upgrade?"]));
    let statuses =
        "return Array.from(document.querySelectorAll('[data-facet=status] li')).map(li => li.textContent.trim())";
    browser.wait_until(statuses, &json!(["Open (1)", "Answered (1)", "Disputed (1)"]));
    let meta = "return document.querySelector('#search-results .meta').textContent";
    browser.wait_until(&format!("{meta}.split(' · ').includes('Disputed')"), &json!(true));
    browser.goto(&format!("{search}?q=upgrading&verdict=overstated"));
    browser.wait_until(
        SORTED,
        &sorted(&["Why were files unavailable for a day during the upgrade?", "Harbor's storage migration went badly"]),
    );

    // The header's search box on any page is a plain form to the search page.
    browser.goto(&format!("{}reviews/", server.base));
    browser.type_into("#site-search-q", &format!("timelock{ENTER}"));
    browser.wait_until("return location.pathname + location.search", &json!("/sub/search/?q=timelock"));
    browser.wait_until(SORTED, &sorted(&["Lumen", "Upgrade keys held by three people"]));
}
