//! Claim findings: a rating from `[[claim_ratings]]` with its date, author, summary and the
//! answers it rests on, shown with the claim, on the questions page, in the rubric, the
//! dataset, the search facets and as schema.org `ClaimReview`; refused at their line when they
//! name what does not exist.

use serde_json::Value;

use crate::support::SiteTest;

/// The basic fixture with a finding on Widget's `fast` claim.
fn site_with_finding(finding: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    let widget = site.read_source("content/projects/widget.md");
    let anchor = "    accessed: 2026-11-01\n";
    assert!(widget.contains(anchor), "the fixture's claim");
    site.write("content/projects/widget.md", widget.replacen(anchor, &format!("{anchor}{finding}"), 1));
    site
}

const FINDING: &str = "    finding:\n      rating: partly-supported\n      date: 2026-11-20\n      by: Ada Reviewer\n      summary: Fast against *Gizmo*, [not yet](/reviews/second-look/) against the rest.\n      based_on: [\"first-look#q-1\", \"second-look#q-1\"]\n";

#[test]
fn a_finding_is_shown_with_its_claim_and_as_a_claim_review() {
    let site = site_with_finding(FINDING);
    site.build();
    let page = site.html("projects/widget/index.html");
    assert_eq!(page.attrs("#claim-fast .finding", "class"), ["finding rating-partly-supported"]);
    assert_eq!(page.texts("#claim-fast .finding .rating"), ["Partly supported"]);
    assert_eq!(page.texts("#claim-fast .finding-summary"), ["Fast against Gizmo , not yet against the rest."]);
    assert_eq!(
        page.attrs("#claim-fast .finding a", "href"),
        ["/reviews/second-look/", "/reviews/first-look/#q-1", "/reviews/second-look/#q-1"]
    );
    assert!(page.text("#claim-fast .finding").contains("found by Ada Reviewer on 20 Nov 2026"));
    // A claim without a finding shows how its questions stand, as before.
    assert!(page.texts("#claim-cheap .finding").is_empty());
    assert_eq!(page.texts("#claim-cheap > .meta")[0], "1 open, 0 answered, 0 disputed");

    // One ClaimReview, for the claim with a finding only.
    let reviews: Vec<Value> = page
        .texts("script[type='application/ld+json']")
        .iter()
        .map(|t| serde_json::from_str(t).expect("JSON-LD"))
        .filter(|v: &Value| v["@type"] == "ClaimReview")
        .collect();
    assert_eq!(reviews.len(), 1);
    let review = &reviews[0];
    assert_eq!(review["claimReviewed"], "Widget is the fastest widget.");
    assert_eq!(review["reviewRating"]["alternateName"], "Partly supported");
    assert_eq!(review["itemReviewed"]["@type"], "Claim");
    assert_eq!(review["itemReviewed"]["appearance"]["url"], "https://widget.test/fast");
    assert_eq!(review["author"]["name"], "Ada Reviewer");
    assert_eq!(review["datePublished"], "2026-11-20");
    assert_eq!(review["url"], "https://reviews.test/projects/widget/#claim-fast");

    // The questions page, the rubric, the dataset and the search facet say it too.
    let questions = site.html("questions/index.html");
    assert_eq!(questions.texts(".claim-text .rating-partly-supported"), ["Found: Partly supported"]);
    let rubric = site.html("rubric/index.html");
    assert_eq!(rubric.texts(".claim-ratings dt").len(), 5);
    let claims: Vec<Value> =
        site.read("data/claims.jsonl").lines().map(|l| serde_json::from_str(l).expect("a record")).collect();
    let fast = claims.iter().find(|c| c["id"] == "fast").expect("the fast claim");
    assert_eq!(fast["version"], 3);
    assert_eq!(fast["finding"]["rating"], "partly-supported");
    assert_eq!(fast["finding"]["label"], "Partly supported");
    assert_eq!(fast["finding"]["based_on"], serde_json::json!(["first-look#q-1", "second-look#q-1"]));
    assert!(claims.iter().find(|c| c["id"] == "cheap").is_some_and(|c| c["finding"].is_null()));
    let facet: Value = serde_json::from_str(&site.read("search/facets/finding.json")).expect("facet");
    assert_eq!(facet["values"][1], serde_json::json!(["partly-supported", "Partly supported"]));
}

#[test]
fn a_finding_naming_what_does_not_exist_is_an_error_at_its_line() {
    let site = site_with_finding(
        "    finding:\n      rating: partly\n      date: 2026-11-20\n      based_on: [\"first-look#q-1\", \"first-look#1\"]\n",
    );
    let errors: Vec<(String, String, Option<String>)> =
        site.errors().iter().map(|d| (d.location(), d.message.clone(), d.hint.as_deref().map(String::from))).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].0, "content/projects/widget.md:12:15");
    assert!(errors[0].1.starts_with("unknown rating `partly`: expected one of supported, partly-supported"));
    assert_eq!(errors[0].2.as_deref(), Some("did you mean `partly-supported`?"));
    assert!(errors[1].1.contains("`first-look#1` is not a question"), "{errors:#?}");

    let site = site_with_finding(
        "    finding:\n      rating: unsupported\n      date: 2026-11-20\n      based_on:\n        - first-lok#q-1\n        - first-look#q-7\n        - gadget-glance#q-1\n        - unfinished#q-1\n",
    );
    let errors: Vec<(String, String)> = site.errors().iter().map(|d| (d.location(), d.message.clone())).collect();
    assert_eq!(
        errors,
        [
            ("content/projects/widget.md:15:11".into(), "no review of Widget is named `first-lok`".into()),
            ("content/projects/widget.md:16:11".into(), "`first-look` has no question 7: it asks 2".into()),
            ("content/projects/widget.md:17:11".into(), "no review of Widget is named `gadget-glance`".into()),
        ],
        "a draft (unfinished) is no error"
    );
}
