//! What readers see at a glance: score charts, the comparison, the questions index,
//! taxonomies and score history.

use crate::support::SiteTest;

#[test]
fn the_strip_chart_has_one_row_per_axis_with_every_score_and_the_median() {
    let site = SiteTest::built("basic");
    let page = site.html("projects/widget/index.html");
    assert_eq!(page.attrs(".strip-chart .axis", "data-axis"), ["cost", "speed"]);
    assert_eq!(page.attrs(".strip-chart [data-axis=cost] .dot", "data-value"), ["5", "2", "8"]);
    assert_eq!(page.attrs(".strip-chart [data-axis=speed] .dot", "data-value"), ["9", "4", "6"]);
    assert_eq!(page.attrs(".strip-chart .median", "data-value"), ["5", "6"], "one median mark per axis");
    assert_eq!(
        page.texts(".strip-chart [data-axis=cost] .dot title"),
        ["Cy Skeptic: 5", "Bo Critic: 2", "Ada Reviewer: 8"]
    );
    assert_eq!(page.texts(".strip-chart .note"), ["median 5, contested", "median 6, contested"]);
    assert_eq!(page.texts(".strip-chart > title"), ["Scores of Widget per axis"]);
}

#[test]
fn below_min_reviews_there_is_no_aggregate_only_the_scores() {
    let site = SiteTest::built("basic");
    let page = site.html("projects/gadget/index.html");
    assert!(page.text(".overall").starts_with("Not enough reviews yet for an aggregate"), "{}", page.text(".overall"));
    assert!(page.attrs(".strip-chart .median", "data-value").is_empty());
    assert_eq!(page.attrs(".strip-chart .dot", "data-value"), ["7"]);
    assert_eq!(page.texts(".axis-table tbody tr"), ["Cheaper 7 7–7 —", "Faster not scored — —"]);
    let review = site.html("reviews/gadget-glance/index.html");
    assert_eq!(review.texts(".axis-table tbody tr"), ["Cheaper 7 —", "Faster Not scored —"]);
}

#[test]
fn the_comparison_orders_by_overall_score_with_verdicts_and_open_questions() {
    let site = SiteTest::built("basic");
    let page = site.html("projects/index.html");
    assert_eq!(page.texts("tbody th[scope=row] a"), ["Widget", "Gadget"], "best overall first, not by name");
    assert_eq!(page.texts("tbody tr:first-child td"), ["5.7", "5", "6", "3", "3", "Good × 1 Bad × 2"]);
    assert_eq!(page.texts("tbody tr:nth-child(2) td"), ["too few reviews", "7", "—", "1", "1", "Good × 1"]);
    assert_eq!(page.attrs("table[data-sortable] tbody tr:first-child td", "data-sort")[0], "5.7");
    assert_eq!(page.attrs("script", "src"), ["/sort.js"]);
    assert!(site.read("sort.js").contains("aria-sort"));
}

#[test]
fn the_questions_index_groups_by_project_and_claim_with_counts() {
    let site = SiteTest::built("basic");
    let all = site.html("questions/index.html");
    assert_eq!(all.texts(".filters a"), ["All (6)", "Open (4)", "Answered (1)", "Disputed (1)"]);
    assert_eq!(all.texts(".question-group h2"), ["Gadget", "Widget"]);
    assert_eq!(
        all.texts(".question-group:nth-of-type(2) .claim-text"),
        ["Widget is the fastest widget.", "Widget costs nothing to run.", "Questions about no single claim"]
    );
    assert_eq!(all.texts(".question").len(), 6);
    let open = site.html("questions/open/index.html");
    assert_eq!(open.texts(".question .status"), ["Open", "Open", "Open", "Open"]);
    assert_eq!(open.attrs(".filters a[aria-current=page]", "href"), ["/questions/open/"]);
    let disputed = site.html("questions/disputed/index.html");
    assert_eq!(disputed.texts(".question .ask"), ["Disputed Is the benchmark reproducible?"]);
    assert_eq!(site.html("questions/answered/index.html").texts(".question").len(), 1);
}

#[test]
fn open_questions_show_how_long_they_have_waited() {
    let site = SiteTest::built("basic");
    let page = site.html("projects/gadget/index.html");
    assert_eq!(page.texts(".waited"), ["Waiting 20 days for an answer."], "asked 5 Nov, built 25 Nov");
}

#[test]
fn taxonomies_have_an_index_and_a_page_per_term() {
    let site = SiteTest::built("basic");
    assert_eq!(site.html("tags/index.html").texts(".terms a"), ["Speed", "widgets"]);
    let speed = site.html("tags/speed/index.html");
    assert_eq!(speed.text("h1"), "Tag: Speed");
    assert_eq!(
        speed.texts(".review-card h3"),
        ["A glance at Gadget", "First look at Widget"],
        "`Speed` and `speed` are one tag, named after the first spelling in sort order when equally used"
    );
    assert_eq!(site.html("tags/widgets/index.html").texts("#term-projects + ul a"), ["Widget"]);
    assert_eq!(site.html("authors/index.html").texts(".terms a"), ["Ada Reviewer", "Bo Critic", "Cy Skeptic"]);
    assert_eq!(site.html("authors/ada-reviewer/index.html").texts(".review-card h3").len(), 2);
    assert_eq!(site.html("verdicts/index.html").texts(".terms a"), ["Good", "Bad"], "configuration order");
    let bad = site.html("verdicts/bad/index.html");
    assert_eq!(bad.texts(".review-card h3"), ["Third look at Widget", "Second look at Widget"]);
    let review = site.html("reviews/first-look/index.html");
    assert_eq!(review.attrs(".tags a", "href"), ["/tags/speed/"]);
    assert_eq!(review.attrs(".page-header .byline a", "href"), ["/authors/ada-reviewer/"]);
}

#[test]
fn revisions_make_a_change_log_and_a_score_history() {
    let site = SiteTest::built("basic");
    let review = site.html("reviews/first-look/index.html");
    assert_eq!(review.texts(".changes > li"), ["13 Nov 2026 : Re-ran the benchmark on the new release. Faster: 3 → 6"]);
    let project = site.html("projects/widget/index.html");
    // 12 Nov: cost 8, 2 → 5; speed 3, 4 → 3.5; overall (5 + 2 × 3.5) / 3 = 4.
    // 13 Nov: the revision lifts speed to 6, 4 → 5; overall 5. 14 Nov: the third review: 5.7.
    assert_eq!(project.texts(".history-table tbody tr"), ["12 Nov 2026 4 2", "13 Nov 2026 5 2", "14 Nov 2026 5.7 3"]);
    assert_eq!(project.attrs(".history-chart .point", "data-value"), ["4", "5", "5.7"]);
}

#[test]
fn long_listings_are_paginated() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
    site.write("critique.toml", config.replace("min_reviews = 2", "min_reviews = 2\npaginate = 1"));
    site.build();
    let first = site.html("reviews/index.html");
    assert_eq!(first.texts(".review-card h3"), ["A glance at Gadget"]);
    assert_eq!(
        first.attrs(".pager a", "href"),
        ["/reviews/", "/reviews/page/2/", "/reviews/page/3/", "/reviews/page/4/", "/reviews/page/2/"]
    );
    assert_eq!(first.attrs(".pager a[aria-current=page]", "href"), ["/reviews/"]);
    let last = site.html("reviews/page/4/index.html");
    assert_eq!(last.texts(".review-card h3"), ["First look at Widget"]);
    assert_eq!(last.attrs(".pager a[rel=prev]", "href"), ["/reviews/page/3/"]);
    assert!(last.attrs(".pager a[rel=next]", "href").is_empty());
    assert!(!site.public().join("reviews/page/5").exists());
    let tag = site.html("tags/speed/page/2/index.html");
    assert_eq!(tag.texts(".review-card h3"), ["First look at Widget"]);
    assert_eq!(tag.text("h1"), "Tag: Speed (page 2)");
    // Questions pages hold whole projects, about 4 × paginate questions each.
    assert_eq!(site.html("questions/index.html").texts(".question-group h2"), ["Gadget"]);
    assert_eq!(site.html("questions/page/2/index.html").texts(".question-group h2"), ["Widget"]);
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://reviews.test/reviews/page/4/</loc>"));
}

/// A review past its revisit date says so on its page and its cards; its project's aggregates
/// say how many stale reviews they count, or leave them out when the site says so; `check`
/// warns about it.
#[test]
fn a_stale_review_is_marked_and_counted_or_left_out() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/first-look.md";
    let text = site.read_source(path);
    site.write(path, text.replacen("date: 2026-11-10\n", "date: 2026-11-10\nrevisit_by: 2026-11-20\n", 1));
    site.build();
    let review = site.html("reviews/first-look/index.html");
    assert_eq!(
        review.texts(".notice.stale"),
        [
            "This review is less than a month old and may be out of date: it is past the date its author set to look again."
        ]
    );
    assert_eq!(site.html("reviews/index.html").texts(".badge.stale"), ["May be out of date"], "one card marked");
    let project = site.html("projects/widget/index.html");
    assert_eq!(
        project.texts(".stale-note"),
        ["1 of these reviews is past its revisit date and may be out of date; its scores still count."]
    );
    assert!(project.text(".overall").contains("over 3 reviews"), "{}", project.text(".overall"));
    assert_eq!(project.attrs(".strip-chart .median", "data-value"), ["5", "6"]);

    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[freshness]\nstale_aggregates = \"exclude\"\n"));
    site.build();
    let project = site.html("projects/widget/index.html");
    assert_eq!(project.texts(".stale-note"), ["1 review past its revisit date is left out of these aggregates."]);
    assert_eq!(project.attrs(".strip-chart .median", "data-value"), ["3.5", "6.5"], "the medians of the other two");

    let outcome = critique::cmd::check::run(&critique::cmd::check::CheckArgs {
        root: site.root.clone(),
        site: SiteTest::options(),
        strict: false,
        external: None,
    });
    let stale: Vec<String> = outcome
        .findings
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_deref() == Some("stale-review"))
        .map(|d| format!("{} {} {}", d.location(), d.severity, d.message))
        .collect();
    assert_eq!(
        stale,
        [
            "content/reviews/first-look.md:6:1 warning stale since 2026-11-21 (4 days ago, past the date its author set to look again): the review may no longer match the project"
        ]
    );
}

/// Under review: a banner with the day it began, its scores still counted but marked.
/// Retracted: the page stays with the notice and reason, it leaves the aggregates, listings
/// mark it, the feed announces it.
#[test]
fn reviews_under_review_and_retracted() {
    let site = SiteTest::fixture("basic");
    let set = |path: &str, lines: &str| {
        let text = site.read_source(path);
        site.write(path, text.replacen("date: 2026-11-10\n", &format!("date: 2026-11-10\n{lines}"), 1));
    };
    set(
        "content/reviews/first-look.md",
        "status: under-review\nunder_review: { date: 2026-11-21, reason: new benchmark figures }\n",
    );
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(
        page.texts(".notice.standing"),
        ["Under review since 21 Nov 2026 : new benchmark figures. Its scores may change; they still count, marked."]
    );
    assert_eq!(page.attrs("table.axis-table.standing-under-review", "class").len(), 1);
    assert!(site.html("projects/widget/index.html").text(".overall").contains("over 3 reviews"));

    let text = site.read_source("content/reviews/first-look.md");
    site.write(
        "content/reviews/first-look.md",
        text.replace(
            "status: under-review\nunder_review: { date: 2026-11-21, reason: new benchmark figures }\n",
            "status: retracted\nretraction: { date: 2026-11-22, reason: the benchmark measured the wrong build }\n",
        ),
    );
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(
        page.texts(".notice.standing"),
        [
            "Retracted on 22 Nov 2026 : the benchmark measured the wrong build. This review is withdrawn: its scores no longer count in Widget's aggregates."
        ]
    );
    let project = site.html("projects/widget/index.html");
    assert!(project.text(".overall").contains("over 2 reviews"), "{}", project.text(".overall"));
    assert_eq!(project.attrs(".strip-chart .median", "data-value"), ["3.5", "6.5"], "the other two reviews' medians");
    assert_eq!(site.html("reviews/index.html").texts(".badge.standing-retracted"), ["Retracted"]);
    let feed = site.read("feed.xml");
    assert!(feed.contains("<title>Retracted: First look at Widget</title>"), "{feed}");
    assert!(feed.contains("Retracted on 22 Nov 2026:"), "{feed}");
}

/// A status needs its note, and a note needs its status.
#[test]
fn a_status_and_its_note_go_together() {
    let site = SiteTest::fixture("basic");
    let text = site.read_source("content/reviews/first-look.md");
    site.write(
        "content/reviews/first-look.md",
        text.replacen("date: 2026-11-10\n", "date: 2026-11-10\nstatus: retracted\n", 1),
    );
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{}:{} {}", d.line, d.col, d.message)).collect();
    assert_eq!(errors, ["6:1 a review whose `status` says so needs `retraction`"]);
    site.write(
        "content/reviews/first-look.md",
        text.replacen("date: 2026-11-10\n", "date: 2026-11-10\nretraction: { date: 2026-11-01, reason: x }\n", 1),
    );
    let errors: Vec<String> = site.errors().iter().map(|d| d.message.clone()).collect();
    assert_eq!(
        errors,
        [
            "`retraction` is given, but the review's `status` is not `retracted`",
            "`retraction` date (2026-11-01) is before `date` (2026-11-10): expected a later date",
        ]
    );
}

/// `/rubric/` lists every axis with its definition and bands, every verdict, and the rules of
/// aggregation as configured; a review's score shows its band's meaning; with
/// `recommend_from`, projects say how many reviewers recommend them.
#[test]
fn the_rubric_bands_and_the_recommend_share() {
    let site = SiteTest::fixture("basic");
    let config = site.read_source("critique.toml");
    let config = config
        .replace("label = \"Cheaper\"\n", "label = \"Cheaper\"\ndefinition = \"What a user pays per call, all in.\"\nbands = [{ from = 0, to = 4, means = \"dearer than today\" }, { from = 4.5, to = 10, means = \"as cheap or cheaper\" }]\n")
        .replace("min_reviews = 2\n", "min_reviews = 2\nrecommend_from = \"good\"\n");
    site.write("critique.toml", config);
    site.build();
    let rubric = site.html("rubric/index.html");
    assert_eq!(rubric.texts(".rubric-axis h3"), ["Cheaper", "Faster"]);
    assert_eq!(rubric.texts("#axis-cost p:not(.meta)"), ["What a user pays per call, all in."]);
    assert_eq!(rubric.texts("#axis-cost .bands tbody tr"), ["0–4 dearer than today", "4.5–10 as cheap or cheaper"]);
    assert_eq!(rubric.texts("#axis-speed .meta"), ["Weight 2 in the overall score."]);
    assert_eq!(rubric.texts(".verdicts dt"), ["Good", "Bad"]);
    assert_eq!(rubric.attrs(".verdicts dt a", "href"), ["/verdicts/good/", "/verdicts/bad/"], "both reached");
    let rules = rubric.text("#rubric-aggregation ~ ul");
    assert!(rules.contains("once it has 2 reviews") && rules.contains("differ by 4 or more"), "{rules}");
    assert!(rubric.text("#rubric-verdicts ~ p").contains("Good or better"));

    let review = site.html("reviews/first-look/index.html");
    assert_eq!(review.texts(".axis-table .band"), ["as cheap or cheaper"], "cost 8 in its band; speed has none");
    assert_eq!(review.attrs(".axis-table caption a", "href"), ["/rubric/"]);

    let project = site.html("projects/widget/index.html");
    assert_eq!(project.texts(".recommend"), ["1 of 3 reviewers recommend it (a verdict of Good or better)."]);
    let table = site.html("projects/index.html");
    assert_eq!(table.texts(".scores-table thead th[title^='Reviews whose verdict']"), ["Recommend"]);
}

/// Bands outside the scale or overlapping, and a `recommend_from` that is no verdict, are
/// errors at their line of the configuration.
#[test]
fn rubric_settings_are_checked() {
    let site = SiteTest::fixture("basic");
    let config = site.read_source("critique.toml");
    site.write(
        "critique.toml",
        config
            .replace("label = \"Cheaper\"\n", "label = \"Cheaper\"\nbands = [{ from = 0, to = 6, means = \"a\" }, { from = 5, to = 12, means = \"b\" }]\n")
            .replace("min_reviews = 2\n", "min_reviews = 2\nrecommend_from = \"god\"\n"),
    );
    let errors: Vec<String> = site.errors().iter().map(|d| format!("{} {}", d.location(), d.message)).collect();
    let all = errors.join("\n");
    assert!(all.contains("band 5–12 of `cost`: expected from ≤ to, both within the scale 0–10"), "{all}");
    assert!(all.contains("bands 0–6 and 5–12 of `cost` overlap"), "{all}");
    assert!(
        all.contains("critique.toml:4:18 unknown verdict `god` in recommend_from: expected one of good, bad"),
        "{all}"
    );
}

/// A review's disclosure is shown at its top and as a badge on every card listing it, with
/// "No disclosure given" where it has none; a site that requires one refuses a review without
/// it, at its front matter; `new review` takes `default_author`.
#[test]
fn disclosures_are_shown_and_may_be_required() {
    let site = SiteTest::fixture("basic");
    let path = "content/reviews/first-look.md";
    let text = site.read_source(path);
    site.write(
        path,
        text.replacen(
            "date: 2026-11-10\n",
            "date: 2026-11-10\ndisclosure: { holdings: holds, compensation: none, relationship: \"ran a node in the testnet\" }\n",
            1,
        ),
    );
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(
        page.texts(".disclosure p"),
        [
            "Disclosure: Holds the project's token or equity. Compensation: none. Relationship: ran a node in the testnet."
        ]
    );
    assert_eq!(site.html("reviews/second-look/index.html").texts(".disclosure p"), ["No disclosure given."]);
    let cards = site.html("reviews/index.html");
    assert_eq!(cards.texts(".review-card .badge.disclosure-holds"), ["Holds the project's token or equity"]);
    assert_eq!(cards.texts(".review-card .badge.disclosure-missing").len(), 3, "every other card says it has none");

    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("default_author = \"Di Writer\"\n{config}\n[disclosure]\nrequired = true\n"));
    let errors: Vec<String> =
        site.errors().iter().map(|d| format!("{} {}", d.location(), d.rule.as_deref().unwrap_or(""))).collect();
    assert_eq!(
        errors,
        [
            "content/reviews/gadget-glance.md:2:1 content",
            "content/reviews/second-look.md:2:1 content",
            "content/reviews/third-look.md:2:1 content"
        ],
        "each review without one, at its front matter"
    );
    let made = critique::cmd::new::review(
        &site.root,
        "widget",
        "Again",
        None,
        critique::date::Date::parse("2026-11-25").expect("date"),
    )
    .expect("new review");
    let text = std::fs::read_to_string(made).expect("read");
    assert!(text.contains("author: \"Di Writer\"\n") && text.contains("# disclosure: {"), "{text}");
}

/// A reviewer's profile (`content/authors/<slug>.md`) heads their page; its standing
/// disclosure holds for each of their reviews that gives none (and satisfies a site that
/// requires one), while a review's own overrides it; JSON-LD names the author as a `Person`
/// with that page.
#[test]
fn author_profiles_and_standing_disclosures() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/authors/ada-reviewer.md",
        "---\nname: Ada Reviewer\nlinks: [\"https://ada.example/\"]\naffiliations: [Independent]\ndisclosure: { holdings: none, compensation: none }\n---\nAda has run inference clusters for ten years.\n",
    );
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[disclosure]\nrequired = true\n"));
    for (path, own) in [
        ("content/reviews/second-look.md", "disclosure: { holdings: holds }\n"),
        ("content/reviews/third-look.md", "disclosure = { holdings = \"none\" }\n"),
        ("content/reviews/gadget-glance.md", "disclosure: { holdings: held }\n"),
    ] {
        let text = site.read_source(path);
        let fence = if text.starts_with("+++") { "+++\n" } else { "---\n" };
        site.write(path, text.replacen(fence, &format!("{fence}{own}"), 1));
    }
    site.build();
    let ada = site.html("authors/ada-reviewer/index.html");
    assert_eq!(ada.texts(".profile .prose p"), ["Ada has run inference clusters for ten years."]);
    assert_eq!(ada.texts(".profile .meta"), ["Independent"]);
    assert_eq!(ada.attrs(".profile .links a", "href"), ["https://ada.example/"]);
    assert!(ada.text(".profile .disclosure").starts_with("Standing disclosure: No holdings."));
    // first-look (Ada's) gives none: it takes her standing one.
    let first = site.html("reviews/first-look/index.html");
    assert_eq!(first.texts(".disclosure p"), ["Disclosure: No holdings. Compensation: none."]);
    let ld: serde_json::Value =
        serde_json::from_str(&first.text("script[type='application/ld+json']")).expect("JSON-LD");
    assert_eq!(ld["author"]["@type"], "Person");
    assert_eq!(ld["author"]["url"], "https://reviews.test/authors/ada-reviewer/");

    site.write("content/authors/ada-reviewer.md", "---\nname: Ada Reviewer\n---\nBio.\n");
    let errors: Vec<String> = site.errors().iter().map(|d| d.location()).collect();
    assert_eq!(errors, ["content/reviews/first-look.md:2:1"], "without the standing disclosure, hers is missing");
    site.write("content/authors/ada.md", "---\nname: Ada Reviewer\n---\nBio.\n");
    let errors: Vec<String> = site.errors().iter().map(|d| d.message.clone()).collect();
    assert!(errors.iter().any(|m| m.contains("expected ada-reviewer.md")), "{errors:#?}");
}
