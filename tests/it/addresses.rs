//! URLs that do not die: `aliases:` make redirect pages (and Netlify's `_redirects`), `slug:`
//! publishes a file under another name, and every old link keeps working.

use crate::support::SiteTest;

fn rename(site: &SiteTest, from: &str, to: &str) {
    let text = site.read_source(from);
    site.remove(from);
    site.write(to, text);
}

/// Where the redirect page at `rel` sends readers, and what it calls canonical.
fn redirect(site: &SiteTest, rel: &str) -> (String, String) {
    let page = site.html(rel);
    let refresh = page.attrs("meta[http-equiv=refresh]", "content");
    let canonical = page.attrs("link[rel=canonical]", "href");
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"], "{rel}");
    let link = page.attrs("a", "href");
    assert_eq!(refresh[0], format!("0; url={}", link[0]), "{rel}: a link for those whose browser does not follow");
    (link[0].clone(), canonical[0].clone())
}

#[test]
fn a_renamed_review_keeps_its_old_address_and_every_link_to_it_works() {
    let site = SiteTest::fixture("basic");
    rename(&site, "content/reviews/first-look.md", "content/reviews/first-impressions.md");
    site.edit(
        "content/reviews/first-impressions.md",
        "title: ",
        "aliases: [/reviews/first-look/, /2026/11/widget.html]\ntitle: ",
    );
    // Old links: in a page, and to the old file name, which the renamed file no longer has.
    site.edit(
        "content/pages/about.md",
        "See [the widget]",
        "Read [the first look](/reviews/first-look/) and [the old post](/2026/11/widget.html). See [the widget]",
    );
    site.build();
    let to = ("/reviews/first-impressions/".to_string(), "https://reviews.test/reviews/first-impressions/".to_string());
    assert_eq!(redirect(&site, "reviews/first-look/index.html"), to);
    assert_eq!(redirect(&site, "2026/11/widget.html"), to);
    assert!(site.public().join("reviews/first-impressions/index.html").is_file());
    assert!(!site.public().join("_redirects").exists(), "only when asked for");
    // The link checker finds every old link alive.
    let check = site.run_cli(&["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Redirect pages are in no listing, feed or sitemap.
    assert!(!site.read("sitemap.xml").contains("first-look"));
}

#[test]
fn a_slug_publishes_a_file_under_another_name_and_its_file_name_redirects() {
    let site = SiteTest::fixture("basic");
    site.edit("content/projects/widget.md", "name: ", "slug: widget-pro\nname: ");
    site.edit("content/pages/about.md", "title: ", "slug: about-us\ntitle: ");
    site.build();
    assert!(site.public().join("projects/widget-pro/index.html").is_file());
    assert!(site.public().join("about-us/index.html").is_file());
    assert_eq!(redirect(&site, "projects/widget/index.html").1, "https://reviews.test/projects/widget-pro/");
    assert_eq!(redirect(&site, "about/index.html").1, "https://reviews.test/about-us/");
    // Reviews name their project as they did; links go to its new address.
    let review = site.html("reviews/first-look/index.html");
    assert!(review.attrs("a", "href").contains(&"/projects/widget-pro/".to_string()));
    let check = site.run_cli(&["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn netlify_gets_a_rule_per_alias() {
    let site = SiteTest::fixture("basic");
    site.edit("content/reviews/first-look.md", "title: ", "aliases: [/old/first/, /old/first.html]\ntitle: ");
    let config = site.read_source("critique.toml");
    site.write(
        "critique.toml",
        config.replace("base_url = \"https://reviews.test/\"", "base_url = \"https://reviews.test/sub/\"")
            + "\n[redirects]\nnetlify = true\n",
    );
    site.build();
    assert_eq!(
        site.read("_redirects"),
        "/sub/old/first/ /sub/reviews/first-look/ 301\n/sub/old/first.html /sub/reviews/first-look/ 301\n"
    );
    assert_eq!(
        redirect(&site, "old/first/index.html"),
        ("/sub/reviews/first-look/".to_string(), "https://reviews.test/sub/reviews/first-look/".to_string())
    );
}

#[test]
fn addresses_taken_twice_and_bad_aliases_are_errors_at_their_lines() {
    let site = SiteTest::fixture("basic");
    site.edit("content/reviews/first-look.md", "title: ", "aliases: [\"https://e.org/x\", /a b/]\ntitle: ");
    site.edit("content/reviews/second-look.md", "title: ", "aliases: [/reviews/gadget-glance/]\ntitle: ");
    site.edit("content/projects/gadget.md", "name = ", "slug = \"widget\"\nname = ");
    site.edit("content/pages/about.md", "title: ", "slug: Not A Slug\ntitle: ");
    let errors = site.errors();
    let text: Vec<String> =
        errors.iter().map(|e| format!("{}:{}:{}: {}", e.path.display(), e.line, e.col, e.message)).collect();
    let has = |file: &str, what: &str| text.iter().any(|t| t.contains(file) && t.contains(what));
    assert!(has("second-look.md:2:", "alias /reviews/gadget-glance/ is already the address of"), "{text:#?}");
    assert!(has("first-look.md:2:", "invalid alias `https://e.org/x`"), "{text:#?}");
    assert!(has("first-look.md:2:", "invalid alias `/a b/`: it holds white space"), "{text:#?}");
    assert!(has("gadget.md:2:", "the address /projects/widget/ is taken by content/projects/widget.md"), "{text:#?}");
    assert!(has("about.md:2:", "invalid `slug` `Not A Slug`"), "{text:#?}");
}
