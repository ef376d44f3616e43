//! Successful builds: what readers see on each page, drafts, overrides, determinism, subpaths.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use critique::SiteOptions;

use crate::support::{Page, SiteTest, tree};

#[test]
fn project_page_pairs_each_claim_with_every_review_question() {
    let site = SiteTest::fixture("basic");
    site.build();
    let page = site.html("projects/widget/index.html");
    let fast = page.texts("#claim-fast .question .ask");
    assert_eq!(
        fast,
        [
            "Open Does fast survive load?",
            "Disputed Is the benchmark reproducible?",
            "Answered Fastest compared to what?",
        ],
        "newest review first, with status"
    );
    let links = page.attrs("#claim-fast .question .meta a[href*='/reviews/']", "href");
    assert_eq!(links, ["/reviews/third-look/#q-1", "/reviews/second-look/#q-1", "/reviews/first-look/#q-1"]);
    assert_eq!(page.texts("#claim-cheap .question .ask"), ["Open Who pays for the servers?"]);
    assert_eq!(page.texts("#claim-none .question .ask"), ["Open Who runs the widget at night?"]);
    assert!(page.text("#claim-fast > .meta").contains("1 open, 1 answered, 1 disputed"));
    assert_eq!(
        page.texts("#claim-fast .answer"),
        ["The vendor says yes; nobody has reproduced it.", "Compared to Gizmo , per the benchmark."]
    );
}

#[test]
fn project_page_shows_median_range_and_reviewer_count_per_axis() {
    let site = SiteTest::fixture("basic");
    site.build();
    let page = site.html("projects/widget/index.html");
    // cost: 8, 2, 5 → median 5, range 2–8; speed: 6, 4, 9 → median 6, range 4–9; both
    // spreads reach the default contested spread of 4.
    let rows = page.texts(".axis-table tbody tr");
    assert_eq!(rows, ["Cheaper 2, 5, 8 5 2–8 Contested", "Faster 4, 6, 9 6 4–9 Contested"]);
    // Overall: (5 × 1 + 6 × 2) / 3.
    assert!(page.text(".overall").starts_with("Overall: 5.7 on a 0–10 scale"), "{}", page.text(".overall"));
}

#[test]
fn review_page_links_questions_to_claims_and_compares_scores() {
    let site = SiteTest::fixture("basic");
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.text("h1"), "First look at Widget");
    assert_eq!(page.attrs("#q-1 .meta a", "href"), ["/projects/widget/#claim-fast"]);
    assert_eq!(page.attrs("#q-2 .meta a", "href"), ["/projects/widget/#claim-cheap"]);
    assert_eq!(page.texts("#review-scores + table tbody tr"), ["Cheaper 8 5", "Faster 6 6"]);
    assert_eq!(page.texts(".toc li"), ["Method", "Results", "Verdict"]);
    assert_eq!(page.attrs(".prose h2", "id"), ["method", "results", "verdict"]);
    assert_eq!(page.texts("#review-others + .cards h3"), ["Third look at Widget", "Second look at Widget"]);
}

#[test]
fn listings_show_summaries_newest_first() {
    let site = SiteTest::fixture("basic");
    site.build();
    let home = site.html("index.html");
    assert_eq!(
        home.texts(".review-card h3"),
        ["A glance at Gadget", "Third look at Widget", "Second look at Widget", "First look at Widget"]
    );
    assert_eq!(
        home.texts(".review-card .summary"),
        [
            "Gadget, briefly.",
            "Third look, in TOML.",
            "Second look, summary paragraph.",
            "The first paragraph of the first look."
        ]
    );
    assert!(home.text(".stats").contains("4 open questions"));
    let about = site.html("about/index.html");
    assert_eq!(about.attrs(".prose a", "href"), ["/projects/widget/"]);
    assert_eq!(site.html("404.html").text("h1"), "Page not found");
}

#[test]
fn drafts_build_only_when_asked() {
    let site = SiteTest::fixture("basic");
    site.build();
    assert!(!site.public().join("reviews/unfinished").exists());
    site.build_with(SiteOptions { drafts: true, ..SiteTest::options() }, None).expect("build with drafts");
    let page = site.html("reviews/unfinished/index.html");
    assert!(page.text(".kicker").contains("Draft"));
    site.write(
        "critique.toml",
        fs::read_to_string(site.root.join("critique.toml"))
            .expect("config")
            .replace("title =", "drafts = true\ntitle ="),
    );
    site.build();
    assert!(site.public().join("reviews/unfinished/index.html").exists());
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = SiteTest::fixture("basic");
    site.write("templates/review.html", "{% extends \"base.html\" %}{% block content %}<p id=\"mine\">{{ review.title }} by {{ review.author.text }}</p>{% endblock content %}");
    site.write("static/style.css", "body { color: red; }");
    site.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("static/.well-known/security.txt", "Contact: mailto:security@reviews.test");
    site.write("static/.nojekyll", "");
    site.write("static/logo.svg~", "editor backup");
    site.build();
    assert!(site.public().join(".well-known/security.txt").is_file(), "dotfiles in static/ are copied");
    assert!(site.public().join(".nojekyll").is_file());
    assert!(!site.public().join("logo.svg~").exists(), "editor leftovers are not");
    assert_eq!(site.html("reviews/first-look/index.html").text("#mine"), "First look at Widget by Ada Reviewer");
    assert!(site.html("projects/widget/index.html").texts("#claim-fast").len() == 1, "other templates stay embedded");
    assert_eq!(site.read("style.css"), "body { color: red; }");
    assert!(site.public().join("img/logo.svg").exists());
}

#[test]
fn listing_partials_override_every_listing_and_see_the_site() {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/partials/review_card.html",
        "<article class=\"mine\">{{ card.title }} · {{ site.title }}</article>\n",
    );
    site.write("templates/partials/question.html", "<li class=\"mine-q\">{{ q.ask }}</li>\n");
    site.build();
    let reviews = site.html("reviews/index.html").texts(".mine");
    assert_eq!(reviews.len(), 4, "{reviews:?}");
    assert!(reviews.iter().all(|t| t.ends_with(" · Basic fixture")), "{reviews:?}");
    assert!(reviews.contains(&"First look at Widget · Basic fixture".to_string()), "{reviews:?}");
    for page in ["index.html", "tags/speed/index.html", "projects/widget/index.html", "reviews/first-look/index.html"] {
        let html = site.html(page);
        assert!(!html.texts(".mine").is_empty(), "{page} lists cards from the site's partial");
        assert!(html.texts(".review-card").is_empty(), "{page} keeps none of the theme's cards");
    }
    for page in ["questions/index.html", "projects/widget/index.html"] {
        let html = site.html(page);
        assert!(!html.texts(".mine-q").is_empty(), "{page} lists questions from the site's partial");
        assert!(html.texts("li.question").is_empty(), "{page} keeps none of the theme's questions");
    }
}

#[test]
fn two_builds_are_byte_identical_and_a_rebuild_rewrites_nothing() {
    let site = SiteTest::fixture("basic");
    let a = site.root.join("out-a");
    let b = site.root.join("out-b");
    site.build_with(SiteTest::options(), Some(a.clone())).expect("first");
    site.build_with(SiteTest::options(), Some(b.clone())).expect("second");
    assert_eq!(tree(&a), tree(&b));
    let again = site.build_with(SiteTest::options(), Some(a.clone())).expect("rebuild");
    assert_eq!(again.files.written, 0);
    assert_eq!(tree(&a), tree(&b));
    site.remove("content/reviews/third-look.md");
    site.build_with(SiteTest::options(), Some(a.clone())).expect("after a removal");
    assert!(!a.join("reviews/third-look").exists(), "a removed review's page is gone");
}

#[test]
fn a_build_of_the_same_inputs_into_an_intact_output_does_nothing() {
    let site = SiteTest::fixture("basic");
    let first = site.build();
    let rendered = |summary: &critique::cmd::build::BuildSummary| summary.timings.0.iter().any(|(s, _)| *s == "parse");
    assert!(rendered(&first));
    let again = site.build();
    assert!(!rendered(&again), "nothing parsed or rendered: {:?}", again.timings);
    assert_eq!(again.files.written, 0);
    assert_eq!(again.files.unchanged, first.files.written + first.files.unchanged);
    assert_eq!((again.projects, again.reviews, again.pages), (first.projects, first.reviews, first.pages));
    // A file removed from the output, or edited there, is put back by the next build.
    let page = site.public().join("reviews/third-look/index.html");
    let original = fs::read(&page).expect("page");
    fs::remove_file(&page).expect("remove");
    assert!(rendered(&site.build()));
    assert_eq!(fs::read(&page).expect("restored"), original);
    fs::write(site.public().join("index.html"), "tampered").expect("tamper");
    assert!(rendered(&site.build()));
    assert!(site.read("index.html").contains("<html"));
    assert!(!rendered(&site.build()));
    // Other inputs or options build again.
    let review = fs::read_to_string(site.root.join("content/reviews/third-look.md")).expect("review");
    site.write("content/reviews/third-look.md", review + "\nA new line.\n");
    assert!(rendered(&site.build()));
    assert!(site.read("reviews/third-look/index.html").contains("A new line."));
    let drafts = SiteOptions { drafts: true, ..SiteTest::options() };
    assert!(rendered(&site.build_with(drafts, None).expect("drafts")));
    assert!(rendered(&site.build()), "and back without drafts");
}

#[test]
fn a_site_with_nothing_but_a_folder_builds() {
    let site = SiteTest::empty();
    let summary = site.build();
    assert_eq!((summary.projects, summary.reviews), (0, 0));
    assert_eq!(site.html("index.html").text("h1"), "critique");
    assert!(site.read("style.css").contains("prefers-color-scheme"));
}

#[test]
fn a_subpath_base_url_prefixes_every_internal_link() {
    let site = SiteTest::fixture("basic");
    let options = SiteOptions { base_url: Some("https://host.test/reviews".into()), ..SiteTest::options() };
    site.build_with(options, None).expect("build");
    let page = site.html("projects/widget/index.html");
    assert_eq!(page.attrs("link[rel=canonical]", "href"), ["https://host.test/reviews/projects/widget/"]);
    assert_eq!(page.attrs("link[rel=stylesheet]", "href"), ["/reviews/style.css", "/reviews/highlight.css"]);
    assert_broken_links(&site.public(), "/reviews/");
    assert_eq!(site.html("about/index.html").attrs(".prose a", "href"), ["/reviews/projects/widget/"]);
}

#[test]
fn the_example_site_builds_with_no_broken_internal_link() {
    let site = SiteTest::example();
    let summary = site.build();
    assert!(summary.projects >= 3 && summary.reviews >= 3, "{summary:?}");
    assert_broken_links(&site.public(), "/");
    let og = site.html("projects/opengradient/index.html");
    assert!(og.texts(".claim").len() >= 4);
    assert!(og.texts(".claim .question").len() >= 6, "the seed's questions are tied to claims");
}

#[test]
fn the_binary_reports_and_exits() {
    let site = SiteTest::fixture("basic");
    let ok = site.run_cli(&["build"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Built 2 projects, 4 reviews and 1 pages"));
    site.write("content/reviews/bad.md", "no front matter\n");
    let failed = site.run_cli(&["build", "--output", "elsewhere"]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("content/reviews/bad.md:1:1: error[front-matter]: no front matter"), "{stderr}");
    assert!(stderr.contains("build failed with 1 error"), "{stderr}");
    assert!(!site.root.join("elsewhere").exists());
}

/// Every `href`/`src` that points into the site resolves to a file, and every `#fragment`
/// to an element id on the target page.
fn assert_broken_links(public: &Path, base_path: &str) {
    let pages: Vec<(String, Page)> = tree(public)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, Page(scraper::Html::parse_document(&String::from_utf8(bytes).expect("utf-8")))))
        .collect();
    let ids = |page: &Page| page.attrs("[id]", "id").into_iter().collect::<BTreeSet<_>>();
    let mut broken = Vec::new();
    for (path, page) in &pages {
        for link in page.attrs("[href]", "href").into_iter().chain(page.attrs("[src]", "src")) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let file = if target.is_empty() {
                path.clone()
            } else {
                let Some(rel) = target.strip_prefix(base_path) else {
                    broken.push(format!("{path}: {link} is outside {base_path}"));
                    continue;
                };
                if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
            };
            if !public.join(&file).is_file() {
                broken.push(format!("{path}: {link} (no {file})"));
            } else if !fragment.is_empty() {
                let target_page = pages.iter().find(|(p, _)| *p == file).map(|(_, page)| page);
                if !target_page.is_some_and(|t| ids(t).contains(fragment)) {
                    broken.push(format!("{path}: {link} (no #{fragment} in {file})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// A file the output cannot take is a write failure, told apart from the site's problems: the
/// site is fine, and `critique build` says so rather than listing a "content" error.
#[test]
fn a_failed_write_is_not_a_content_error() {
    let site = SiteTest::fixture("basic");
    let (files, errors) = critique::load::load_site(&site.root);
    assert!(errors.is_empty(), "{errors:?}");
    let refuse = |file: critique::output::OutputFile| match file.path.as_str() {
        "reviews/first-look/index.html" => Err(std::io::Error::other("disk full")),
        _ => Ok(()),
    };
    let mut timings = critique::Timings::default();
    match critique::render_site_into(
        &files,
        &SiteOptions::default(),
        critique::cache_store::Stores::NONE,
        &mut timings,
        &refuse,
    ) {
        Err(critique::render::Failure::Sink(e)) => assert_eq!(e.to_string(), "disk full"),
        Err(critique::render::Failure::Content(d)) => panic!("reported as content: {d:?}"),
        Ok(_) => panic!("the write failure went unnoticed"),
    }
}

/// Editors' and systems' leftovers are nothing to a build, whatever they hold, and a review
/// may be a `.markdown` file.
#[test]
fn leftovers_are_ignored_and_markdown_files_are_read() {
    let site = SiteTest::fixture("basic");
    let review = std::fs::read_to_string(site.root.join("content/reviews/second-look.md")).expect("review");
    site.write("content/reviews/long-form.markdown", review.replace("title:", "title: Long form,"));
    for leftover in [
        "content/reviews/second-look.md.tmp",
        "content/reviews/second-look.md___jb_tmp___",
        "content/reviews/second-look.md___jb_old___",
        "content/reviews/4913",
        "content/reviews/old.bak",
        "content/reviews/Thumbs.db",
        "static/.DS_Store",
        "static/Thumbs.db",
        "static/style.css.tmp",
    ] {
        site.write(leftover, "---\nnot: [valid\n");
    }
    site.build();
    assert!(site.public().join("reviews/long-form/index.html").is_file(), "a .markdown review is published");
    let published = tree(&site.public());
    for (path, _) in &published {
        assert!(!["Thumbs.db", ".DS_Store", ".tmp", "4913"].iter().any(|l| path.ends_with(l)), "{path} published");
    }
}

/// `extra_css` and `extra_head` reach every page's head (the site's own stylesheet under the
/// base path), so a site restyles itself without overriding `base.html`; a stylesheet that is
/// not a web URL or a path on the site is an error at its key.
#[test]
fn extra_css_and_extra_head_reach_every_page() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
    let config = config.replace("base_url = \"https://reviews.test/\"", "base_url = \"https://reviews.test/sub/\"");
    site.write(
        "critique.toml",
        format!("extra_css = [\"/custom.css\", \"https://fonts.example/face.css\"]\nextra_head = '<meta name=\"theme-color\" content=\"#123456\">'\n{config}"),
    );
    site.write("static/custom.css", "body { color: #123456; }");
    site.build();
    for page in ["index.html", "reviews/first-look/index.html", "about/index.html"] {
        let html = site.html(page);
        let sheets = html.attrs("link[rel=stylesheet]", "href");
        assert!(sheets.contains(&"/sub/custom.css".to_string()), "{page}: {sheets:?}");
        assert!(sheets.contains(&"https://fonts.example/face.css".to_string()), "{page}");
        assert_eq!(html.attrs("meta[name=theme-color]", "content"), ["#123456"], "{page}");
    }
    site.write("critique.toml", "extra_css = [\"javascript:alert(1)\"]\n");
    let failed = site.build_with(SiteTest::options(), None).expect_err("refused");
    assert!(failed.to_string().contains("critique.toml:1"), "{failed}");
}

/// A project with fewer than `min_reviews` reviews shows readers each reviewer's score in the
/// projects table (and on the home page), labelled as too few for a median, not dashes.
#[test]
fn projects_with_too_few_reviews_show_each_score() {
    let site = SiteTest::fixture("basic");
    site.build();
    for page in ["projects/index.html", "index.html"] {
        let html = site.html(page);
        let gadget: Vec<String> = html.texts("tr:has(a[href$='/projects/gadget/']) td .each");
        assert!(!gadget.is_empty(), "{page}: {gadget:?}");
        assert!(gadget.iter().all(|s| s.split(" · ").all(|n| n.parse::<f64>().is_ok())), "{page}: {gadget:?}");
        let widget: Vec<String> = html.texts("tr:has(a[href$='/projects/widget/']) td .each");
        assert!(widget.is_empty(), "{page}: widget has its medians: {widget:?}");
    }
}

/// Links to content files (`first-look.md`, `../projects/widget.md`, Zola's `@/reviews/x.md`)
/// lead to their pages; raw HTML's `href` and `src` (a `<figure>`'s image and caption link)
/// get the base path as Markdown's links do.
#[test]
fn links_to_source_files_and_in_raw_html_follow_the_site() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/reviews/links.md",
        "---\ntitle: Links\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n---\n\
         See [first](first-look.md), [second](@/reviews/second-look.md) and [widget](../projects/widget.md#claim-fast).\n\n\
         <figure><a href=\"/projects/widget/\"><img src=\"/style.css\" alt=\"x\"></a>\
         <figcaption><a href='/projects/gadget/'>G</a> <a href=\"https://e.org/\">e</a></figcaption></figure>\n\n\
         <p><img\n  src=\"/style.css?v=1&amp;x=&quot;\"\n  alt=\"over lines\"><!-- <a href=\"/gone/\">old</a> --></p>\n",
    );
    let options = SiteOptions { base_url: Some("https://host.test/sub/".into()), ..SiteTest::options() };
    site.build_with(options, None).expect("build");
    let page = site.html("reviews/links/index.html");
    assert_eq!(
        page.attrs(".prose p a", "href"),
        ["/sub/reviews/first-look/", "/sub/reviews/second-look/", "/sub/projects/widget/#claim-fast"]
    );
    assert_eq!(page.attrs("figure a", "href"), ["/sub/projects/widget/", "/sub/projects/gadget/", "https://e.org/"]);
    assert_eq!(page.attrs("figure img", "src"), ["/sub/style.css"]);
    // A tag over several lines, its character references meaning what they meant.
    assert_eq!(page.attrs("img[alt='over lines']", "src"), ["/sub/style.css?v=1&x=\""]);
}
