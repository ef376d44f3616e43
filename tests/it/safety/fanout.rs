//! One file cannot make a build's work grow without bound through a list whose entries each
//! make pages or rows: tags, questions, revisions, claims. Past the limit, the build fails
//! with an error at the list's key, and the entries beyond are not worked on.

use crate::support::SiteTest;

/// A review of `widget` whose front matter ends with `extra`.
fn review(extra: &str) -> String {
    format!("---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n{extra}---\nBody.\n")
}

/// The build's only error, as `path:line:col: message`.
fn only_error(site: &SiteTest) -> String {
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    format!("{}:{}:{}: {}", errors[0].path.display(), errors[0].line, errors[0].col, errors[0].message)
}

#[test]
fn lists_that_make_pages_or_rows_are_bounded_per_file() {
    let tags: Vec<String> = (0..65).map(|i| format!("t{i}")).collect();
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/x.md", review(&format!("tags: [{}]\n", tags.join(", "))));
    assert_eq!(
        only_error(&site),
        "content/reviews/x.md:7:1: `tags` has 65 entries: expected at most 64 (each tag makes a page)"
    );

    let questions: String = (0..1001).map(|i| format!("  - ask: Question {i}?\n")).collect();
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/x.md", review(&format!("questions:\n{questions}")));
    assert!(
        only_error(&site).starts_with("content/reviews/x.md:7:1: `questions` has 1001 entries: expected at most 1000")
    );

    let claims: String = (0..1001).map(|i| format!("  - id: c{i}\n    text: Claim {i}.\n")).collect();
    let site = SiteTest::fixture("basic");
    site.write("content/projects/many.md", "---\nname: Many\nsummary: S.\nclaims:\n".to_string() + &claims + "---\n");
    assert!(only_error(&site).starts_with("content/projects/many.md:4:1: `claims` has 1001 entries"));
}

#[test]
fn lists_at_the_limit_build() {
    let tags: Vec<String> = (0..64).map(|i| format!("t{i}")).collect();
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/x.md", review(&format!("tags: [{}]\n", tags.join(", "))));
    site.build();
    assert!(site.public().join("tags/t63/index.html").is_file());
}
