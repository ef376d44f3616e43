//! What a shared link shows: descriptions for search engines, OpenGraph, Twitter and feeds.

use crate::support::SiteTest;

/// The description a page gives in each of the places that read it, which must agree.
fn descriptions(site: &SiteTest, rel: &str) -> String {
    let page = site.html(rel);
    let meta = page.attrs("meta[name=description]", "content");
    let og = page.attrs("meta[property='og:description']", "content");
    let twitter = page.attrs("meta[name='twitter:description']", "content");
    assert_eq!(meta.len(), 1, "{rel}: one description");
    assert_eq!((&og, &twitter), (&meta, &meta), "{rel}: OpenGraph and Twitter say what the description says");
    meta[0].clone()
}

#[test]
fn a_description_replaces_the_boilerplate_and_else_the_summary_is_cut_at_a_word() {
    let site = SiteTest::fixture("basic");
    site.edit(
        "content/reviews/second-look.md",
        "title: ",
        "description: |\n  Fees hidden\n  in the fine print.\ntitle: ",
    );
    // A summary under a heading, long enough to be cut.
    let long = "The ledger is audited by nobody it does not pay, ".repeat(5);
    let third = site.read_source("content/reviews/third-look.md");
    let end = third.match_indices("+++").nth(1).unwrap().0;
    let matter = &third[..end];
    site.write(
        "content/reviews/third-look.md",
        format!("{matter}+++\n## Why *now*\n\n{long}\n\n<!-- more -->\n\nThe rest.\n"),
    );
    site.edit("content/projects/widget.md", "summary: ", "description: Widget, as its critics see it.\nsummary: ");
    site.write(
        "content/pages/colophon.md",
        "---\ntitle: Colophon\n---\nSet in *system* fonts &amp; built by critique.\n\nMore.\n",
    );
    site.build();

    assert_eq!(descriptions(&site, "reviews/second-look/index.html"), "Fees hidden in the fine print.");
    assert_eq!(descriptions(&site, "reviews/first-look/index.html"), "The first paragraph of the first look.");
    let cut = descriptions(&site, "reviews/third-look/index.html");
    assert!(cut.starts_with("Why now The ledger is audited"), "headings' text without their `#`: {cut}");
    assert!(cut.ends_with('…') && cut.chars().count() <= 161, "cut to 160 characters: {cut}");
    let kept = cut.trim_end_matches('…');
    assert!(long.contains(kept.trim_start_matches("Why now ")), "cut after a whole word: {cut}");
    assert!(!cut.contains("critical review of"), "no boilerplate");

    assert_eq!(descriptions(&site, "projects/widget/index.html"), "Widget, as its critics see it.");
    assert_eq!(
        descriptions(&site, "projects/gadget/index.html"),
        site.html("projects/gadget/index.html").text(".lead")
    );
    assert_eq!(descriptions(&site, "about/index.html"), "About the fixture.");
    assert_eq!(descriptions(&site, "colophon/index.html"), "Set in system fonts & built by critique.");

    // Feeds carry the description as the entry's summary (plain text), the prose as content.
    let feed = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).unwrap();
    let entry = feed.entries.iter().find(|e| e.links[0].href.ends_with("/reviews/second-look/")).unwrap();
    assert_eq!(entry.summary.as_ref().unwrap().content, "Fees hidden in the fine print.");
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let item = json["items"].as_array().unwrap().iter().find(|i| i["url"].as_str().unwrap().ends_with("/second-look/"));
    assert_eq!(item.unwrap()["summary"], "Fees hidden in the fine print.");
}

#[test]
fn an_empty_description_falls_back_and_one_with_markup_stays_text() {
    let site = SiteTest::fixture("basic");
    site.edit("content/reviews/second-look.md", "title: ", "description: \"  \"\ntitle: ");
    site.edit("content/reviews/first-look.md", "title: ", "description: \"<b>bold</b> & \\\"quoted\\\"\"\ntitle: ");
    site.build();
    assert_eq!(descriptions(&site, "reviews/second-look/index.html"), "Second look, summary paragraph.");
    assert_eq!(descriptions(&site, "reviews/first-look/index.html"), "<b>bold</b> & \"quoted\"");
    let raw = site.read("reviews/first-look/index.html");
    assert!(raw.contains("content=\"&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;\""), "escaped in attributes");
}

/// The PNG at `rel` of the output: its width and height.
fn png_size(site: &SiteTest, rel: &str) -> (u32, u32) {
    let bytes = std::fs::read(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    (reader.info().width, reader.info().height)
}

fn cached_cards(site: &SiteTest) -> Vec<std::path::PathBuf> {
    let dir = site.root.join(".critique/cache/cards");
    let mut files: Vec<_> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_review_and_project_gets_a_card_named_as_its_og_image() {
    let site = SiteTest::built("basic");
    for (page, card) in [
        ("reviews/first-look/index.html", "reviews/first-look/social-card.png"),
        ("projects/widget/index.html", "projects/widget/social-card.png"),
    ] {
        assert_eq!(png_size(&site, card), (1200, 630), "{card}");
        let html = site.html(page);
        assert_eq!(html.attrs("meta[property='og:image']", "content"), [format!("https://reviews.test/{card}")]);
        assert_eq!(html.attrs("meta[name='twitter:image']", "content"), [format!("https://reviews.test/{card}")]);
        assert_eq!(html.attrs("meta[property='og:image:width']", "content"), ["1200"]);
        assert_eq!(html.attrs("meta[property='og:image:height']", "content"), ["630"]);
        assert_eq!(html.attrs("meta[name='twitter:card']", "content"), ["summary_large_image"]);
        assert!(!html.attrs("meta[property='og:image:alt']", "content")[0].is_empty());
    }
    // Pages other than reviews and projects name no picture they do not have.
    let about = site.html("about/index.html");
    assert!(about.attrs("meta[property='og:image']", "content").is_empty());
    assert_eq!(about.attrs("meta[name='twitter:card']", "content"), ["summary"]);
    let reviews = std::fs::read_dir(site.root.join("content/reviews")).unwrap().count() - 1; // one draft
    assert_eq!(cached_cards(&site).len(), reviews + 2, "one card kept per review and project");
}

#[test]
fn an_image_replaces_the_card_and_cards_can_be_turned_off() {
    let site = SiteTest::fixture("basic");
    site.edit("content/reviews/first-look.md", "title: ", "image: /pictures/widget.png\ntitle: ");
    site.edit("content/projects/widget.md", "summary: ", "image: https://cdn.example.net/w.jpg\nsummary: ");
    site.edit("content/pages/about.md", "title: ", "image: /pictures/about.png\ntitle: ");
    site.write("static/pictures/widget.png", b"not looked at");
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[social_cards]\nenabled = false\n"));
    site.build();
    let og = |page: &str| site.html(page).attrs("meta[property='og:image']", "content");
    assert_eq!(og("reviews/first-look/index.html"), ["https://reviews.test/pictures/widget.png"]);
    assert_eq!(og("projects/widget/index.html"), ["https://cdn.example.net/w.jpg"]);
    assert_eq!(og("about/index.html"), ["https://reviews.test/pictures/about.png"]);
    assert!(og("reviews/second-look/index.html").is_empty(), "no card, no image");
    assert!(!site.public().join("reviews/second-look/social-card.png").exists());
    assert!(!site.public().join("projects/gadget/social-card.png").exists());
    assert!(cached_cards(&site).is_empty());
    let given = site.html("reviews/first-look/index.html");
    assert!(given.attrs("meta[property='og:image:width']", "content").is_empty(), "its size is not known");
}

#[test]
fn an_image_that_is_not_a_picture_address_is_an_error_at_its_line() {
    let site = SiteTest::fixture("basic");
    site.edit("content/reviews/first-look.md", "title: ", "image: mailto:a@b.org\ntitle: ");
    site.edit("content/projects/widget.md", "summary: ", "image: javascript:alert(1)\nsummary: ");
    site.edit("content/pages/about.md", "title: ", "image: \" /lead.png\"\ntitle: ");
    site.write("content/pages/colophon.md", "---\ntitle: Colophon\nimage: /a/../../x.png\n---\nText.\n");
    let errors = site.errors();
    let text: Vec<String> = errors.iter().map(|e| format!("{}:{}: {}", e.path.display(), e.line, e.message)).collect();
    assert!(text.iter().any(|t| t.contains("first-look.md:2:") && t.contains("is a mail address")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("widget.md:3:") && t.contains("image")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("about.md:2:") && t.contains("holds white space")), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("colophon.md:3:") && t.contains("`..` segment")), "{text:#?}");
}

#[test]
fn cards_are_drawn_again_only_when_what_they_show_changed() {
    let site = SiteTest::built("basic");
    let card = |rel: &str| std::fs::read(site.public().join(rel)).unwrap();
    let before = cached_cards(&site);
    let (first, second, widget) = (
        card("reviews/first-look/social-card.png"),
        card("reviews/second-look/social-card.png"),
        card("projects/widget/social-card.png"),
    );
    // A planted card in the cache is taken for the card it is named after: the cache is read.
    // A file that is not a card of the right size is drawn over.
    let planted = before.iter().find(|p| std::fs::read(p).unwrap() == second).unwrap();
    std::fs::write(planted, &widget).unwrap();
    let other = before.iter().find(|p| std::fs::read(p).unwrap() == first).unwrap();
    std::fs::write(other, b"\x89PNG\r\n\x1a\nshort").unwrap();
    site.edit("content/reviews/third-look.md", "title = \"Third look at Widget\"", "title = \"Third look, retitled\"");
    site.build();
    assert_eq!(card("reviews/second-look/social-card.png"), widget, "taken from the cache");
    assert_eq!(card("reviews/first-look/social-card.png"), first, "a damaged one is drawn again");
    let after = cached_cards(&site);
    assert_eq!(after.len(), before.len(), "the retitled review's old card is pruned: {after:?}");
    assert_eq!(before.iter().filter(|p| !after.contains(p)).count(), 1, "one card drawn anew");
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
    let site = SiteTest::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root.join(".critique")).unwrap();
    let summary = site.build();
    assert_eq!(png_size(&site, "reviews/first-look/social-card.png"), (1200, 630));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "nothing written through the link");
    assert!(summary.warnings.iter().any(|w| w.message.contains("not a folder")), "{:?}", summary.warnings);
}

/// RFC 4180 records: fields split at commas outside quotes, `""` inside quotes one quote;
/// every record ends with CRLF.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    assert!(text.ends_with("\r\n"), "records end with CRLF");
    let (mut records, mut record, mut field, mut quoted, mut chars) =
        (Vec::new(), Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {
                assert_eq!(chars.next(), Some('\n'), "CR only before LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && record.is_empty(), "complete records");
    records
}

#[test]
fn the_dataset_comes_as_csv_for_spreadsheets() {
    let site = SiteTest::fixture("basic");
    let text = site.read_source("content/reviews/second-look.md");
    let title = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    site.write("content/reviews/second-look.md", text.replace(title, "title: '=HYPERLINK(\"x\"), \"quoted\"'"));
    site.build();
    let projects = csv_records(&site.read("data/projects.csv"));
    assert_eq!(
        projects[0],
        [
            "slug",
            "name",
            "url",
            "category",
            "reviews",
            "overall",
            "median_cost",
            "median_speed",
            "open_questions",
            "recommend_share"
        ]
    );
    let widget = projects.iter().find(|r| r[0] == "widget").unwrap();
    assert_eq!(widget[1..8], ["Widget", "https://reviews.test/projects/widget/", "Tools", "3", "5.67", "5", "6"]);
    let gadget = projects.iter().find(|r| r[0] == "gadget").unwrap();
    assert_eq!(gadget[5..8], ["", "", ""], "no aggregate below min_reviews");
    assert_eq!(projects.len(), 3);
    assert!(projects.iter().all(|r| r.len() == projects[0].len()));

    let reviews = csv_records(&site.read("data/reviews.csv"));
    assert_eq!(
        reviews[0][..10],
        ["slug", "title", "url", "project", "authors", "date", "updated", "verdict", "status", "overall"]
    );
    assert_eq!(reviews[0][10..], ["cost", "speed", "questions", "open_questions"]);
    let first = reviews.iter().find(|r| r[0] == "first-look").unwrap();
    assert_eq!(
        first[3..],
        ["widget", "Ada Reviewer", "2026-11-10", "", "good", "published", "6.67", "8", "6", "2", "1"]
    );
    let second = reviews.iter().find(|r| r[0] == "second-look").unwrap();
    assert_eq!(second[1], "'=HYPERLINK(\"x\"), \"quoted\"", "quoted, and kept from running as a formula");
    assert!(reviews.iter().all(|r| r.len() == reviews[0].len()));
    // The same rows as the JSON lines.
    assert_eq!(reviews.len() - 1, site.read("data/reviews.jsonl").lines().count());
}

#[test]
fn tags_and_authors_have_feeds_whose_entries_carry_the_verdict_scores_and_questions() {
    let site = SiteTest::fixture("basic");
    site.edit(
        "content/reviews/first-look.md",
        "The first paragraph of the first look.",
        "The first paragraph of the [first look](second-look.md), [here](#method) and [there](../../about/).",
    );
    site.build();
    let tag = site.html("tags/speed/index.html");
    assert_eq!(
        tag.attrs("link[rel=alternate][type='application/atom+xml']", "href").last().unwrap(),
        "/tags/speed/feed.xml"
    );
    assert_eq!(tag.attrs("a[type='application/atom+xml']", "href"), ["/tags/speed/feed.xml"]);
    let author = site.html("authors/ada-reviewer/index.html");
    assert!(author.attrs("link[rel=alternate]", "href").contains(&"/authors/ada-reviewer/feed.xml".to_string()));
    assert!(!site.public().join("verdicts/good/feed.xml").exists(), "verdicts have their pages only");

    let feed = feed_rs::parser::parse(site.read("authors/ada-reviewer/feed.xml").as_bytes()).unwrap();
    assert_eq!(feed.title.unwrap().content, "Reviews by Ada Reviewer — Basic fixture");
    let entry = feed.entries.iter().find(|e| e.links[0].href.ends_with("/first-look/")).unwrap();
    assert_eq!(entry.links[0].href, "https://reviews.test/reviews/first-look/");
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    let html = scraper::Html::parse_fragment(&content);
    let texts = |css: &str| -> Vec<String> {
        html.select(&scraper::Selector::parse(css).unwrap()).map(|e| e.text().collect::<String>()).collect()
    };
    assert_eq!(texts("p strong")[..2], ["Verdict:".to_string(), "Overall:".to_string()]);
    assert_eq!(texts("ul li"), ["Cheaper: 8", "Faster: 6"]);
    assert_eq!(texts("ol li"), ["Fastest compared to what? (answered)", "Who pays for the servers? (open)"]);
    let hrefs: Vec<&str> =
        html.select(&scraper::Selector::parse("a").unwrap()).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(
        hrefs,
        [
            "https://reviews.test/reviews/second-look/",
            "https://reviews.test/reviews/first-look/#method",
            "https://reviews.test/about/"
        ],
        "every link absolute"
    );
    let tag_feed = feed_rs::parser::parse(site.read("tags/speed/feed.xml").as_bytes()).unwrap();
    assert!(!tag_feed.entries.is_empty());
    // The site's feed carries whole texts, without the headings' self-links.
    let site_feed = site.read("feed.xml");
    assert!(site_feed.contains("Method") && !site_feed.contains("class=&quot;anchor&quot;"), "no `#` links");
}
