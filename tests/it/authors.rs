//! Reviews written together: `authors: [..]` instead of `author`, each author credited and
//! linked, listed on each author's page, named in JSON-LD and the dataset, their standing
//! disclosures taken together.

use crate::support::SiteTest;

/// The basic fixture with first-look written by Ada Reviewer and Bo Critic, each with a
/// profile holding a standing disclosure.
fn site_written_together() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let first = site.read_source("content/reviews/first-look.md");
    assert!(first.contains("author: Ada Reviewer\n"), "the fixture's author");
    site.write(
        "content/reviews/first-look.md",
        first.replacen("author: Ada Reviewer\n", "authors: [Ada Reviewer, Bo Critic]\n", 1),
    );
    site.write(
        "content/authors/ada-reviewer.md",
        "---\nname: Ada Reviewer\ndisclosure: { holdings: none, compensation: none }\n---\nAda.\n",
    );
    site.write(
        "content/authors/bo-critic.md",
        "---\nname: Bo Critic\ndisclosure: { holdings: held, compensation: none, relationship: advised Widget in 2024 }\n---\nBo.\n",
    );
    site
}

#[test]
fn a_review_by_several_authors_credits_and_links_each() {
    let site = site_written_together();
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs("header .byline a", "href"), ["/authors/ada-reviewer/", "/authors/bo-critic/"]);
    assert!(
        page.text("header .byline").starts_with("By Ada Reviewer and Bo Critic ,"),
        "{}",
        page.text("header .byline")
    );
    assert_eq!(page.attrs("meta[property='article:author']", "content"), ["Ada Reviewer", "Bo Critic"]);
    let ld: serde_json::Value =
        serde_json::from_str(&page.text("script[type='application/ld+json']")).expect("JSON-LD");
    assert_eq!(ld["author"][1]["@type"], "Person");
    assert_eq!(ld["author"][1]["url"], "https://reviews.test/authors/bo-critic/");
    // Their standing disclosures together: the most conflicted holding, who said what.
    assert_eq!(
        page.texts(".disclosure p"),
        [
            "Disclosure: Held the project's token or equity. Compensation: Ada Reviewer: none; Bo Critic: none. Relationship: Bo Critic: advised Widget in 2024. Ada Reviewer: no holdings; Bo Critic: held the project's token or equity"
        ]
    );
    // Each author's page lists it, and every card credits both.
    for author in ["ada-reviewer", "bo-critic"] {
        let listed = site.html(&format!("authors/{author}/index.html")).attrs(".review-card h3 a", "href");
        assert!(listed.contains(&"/reviews/first-look/".to_string()), "{author}: {listed:?}");
    }
    let cards = site.html("reviews/index.html");
    let bylines = cards.texts(".review-card .byline");
    assert!(bylines.iter().any(|m| m.contains("Ada Reviewer and Bo Critic")), "{bylines:?}");
    // The dataset keeps version 1's `author` (the first) and lists them all.
    let line = site.read("data/reviews.jsonl");
    let record: serde_json::Value = line
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a record"))
        .find(|r| r["slug"] == "first-look")
        .expect("first-look's record");
    assert_eq!(record["author"], "Ada Reviewer");
    assert_eq!(record["authors"], serde_json::json!(["Ada Reviewer", "Bo Critic"]));
}

#[test]
fn author_and_authors_are_one_or_the_other() {
    let site = site_written_together();
    let first = site.read_source("content/reviews/first-look.md");
    site.write("content/reviews/first-look.md", first.replacen("authors:", "author: Ada Reviewer\nauthors:", 1));
    let errors: Vec<(String, String)> = site.errors().iter().map(|d| (d.location(), d.message.clone())).collect();
    assert_eq!(
        errors,
        [("content/reviews/first-look.md:5:1".into(), "both `author` and `authors`: expected one of them".into())]
    );
    site.write("content/reviews/first-look.md", first.replacen("authors: [Ada Reviewer, Bo Critic]\n", "", 1));
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    assert_eq!(errors, ["content/reviews/first-look.md:2:1 no `author`: expected who wrote it"]);
    site.write("content/reviews/first-look.md", first.replacen("Bo Critic]", "Ada reviewer]", 1));
    let errors: Vec<String> = site.errors().iter().map(|d| d.message.clone()).collect();
    assert_eq!(errors, ["`Ada reviewer` is named twice in `authors`: expected each once"]);
}
