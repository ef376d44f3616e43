//! The site around the reviews: `extra` for the site's own templates.

use crate::support::SiteTest;

#[test]
fn extra_tables_reach_the_sites_own_templates_unchecked() {
    let site = SiteTest::fixture("basic");
    let config = site.read_source("critique.toml");
    site.write(
        "critique.toml",
        format!("{config}\n[extra]\nhandle = \"@fixture\"\nlinks = [\"a\", \"b\"]\n[extra.deep]\nn = 3\n"),
    );
    let about = site.read_source("content/pages/about.md");
    site.write(
        "content/pages/about.md",
        about.replacen("title: ", "extra: { mood: calm, list: [1, 2], nested: { x: deep } }\ntitle: ", 1),
    );
    let review = site.read_source("content/reviews/first-look.md");
    site.write("content/reviews/first-look.md", review.replacen("title: ", "extra:\n  sponsor: none\ntitle: ", 1));
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"x\">{{ extra.mood }} {{ extra.list | length }} {{ extra.nested.x }} {{ site.extra.handle }} {{ site.extra.deep.n }}</p>{% endblock content %}",
    );
    site.write(
        "templates/review.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"x\">{% if extra.sponsor %}{{ extra.sponsor }}{% else %}none given{% endif %} {{ site.extra.links | join(sep=\"+\") }}</p>{% endblock content %}",
    );
    site.build();
    assert_eq!(site.html("about/index.html").text("#x"), "calm 2 deep @fixture 3");
    assert_eq!(site.html("reviews/first-look/index.html").text("#x"), "none a+b");
    assert_eq!(site.html("reviews/second-look/index.html").text("#x"), "none given a+b", "an empty table without one");
}

#[test]
fn the_theme_ships_a_favicon_that_a_site_can_replace_and_every_icon_a_page_names_is_there() {
    let site = SiteTest::fixture("basic");
    site.build();
    let home = site.html("index.html");
    let icons = home.attrs("link[rel=icon]", "href");
    assert_eq!(icons, ["/favicon.svg", "/favicon.png"]);
    assert!(site.read("favicon.svg").starts_with("<svg"));
    let png = std::fs::read(site.public().join("favicon.png")).unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (32, 32));
    // Every icon and stylesheet every page names is a file of the output.
    for entry in walkdir::WalkDir::new(site.public()).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let page =
                crate::support::Page(scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap()));
            for href in page.attrs("link[rel=icon], link[rel=apple-touch-icon], link[rel=stylesheet]", "href") {
                assert!(
                    site.public().join(href.trim_start_matches('/')).is_file(),
                    "{}: {href}",
                    entry.path().display()
                );
            }
        }
    }
    // The site's own replaces the theme's.
    site.write("static/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>mine</title></svg>");
    site.build();
    assert!(site.read("favicon.svg").contains("mine"));
}

fn nav(site: &SiteTest, rel: &str) -> Vec<String> {
    site.html(rel).texts("nav[aria-label=Main] a")
}

#[test]
fn pages_order_the_menu_by_weight_and_a_menu_table_replaces_it() {
    let site = SiteTest::fixture("basic");
    site.write("content/pages/method.md", "---\ntitle: Method\nweight: -1\n---\nHow.\n");
    site.write("content/pages/imprint.md", "---\ntitle: Imprint\nmenu: false\n---\nWho.\n");
    site.build();
    assert_eq!(nav(&site, "index.html"), ["Projects", "Reviews", "Questions", "Tags", "Method", "About"]);
    assert!(site.public().join("imprint/index.html").is_file(), "out of the menu, still published");
    let current = site.html("about/index.html").attrs("nav[aria-label=Main] a[aria-current=page]", "href");
    assert_eq!(current, ["/about/"]);

    let config = site.read_source("critique.toml");
    let menu = "\n[[menu]]\nname = \"Reviews\"\nurl = \"/reviews/\"\n\n[[menu]]\nname = \"Imprint\"\nurl = \"/imprint/\"\n\n[[menu]]\nname = \"Code\"\nurl = \"https://code.example/\"\n";
    site.write("critique.toml", format!("{config}{menu}"));
    site.build();
    assert_eq!(nav(&site, "reviews/first-look/index.html"), ["Reviews", "Imprint", "Code"]);
    let current = site.html("reviews/first-look/index.html").attrs("nav[aria-label=Main] a[aria-current=page]", "href");
    assert_eq!(current, ["/reviews/"]);

    site.write("critique.toml", format!("{config}\n[[menu]]\nname = \"Bad\"\nurl = \"javascript:alert(1)\"\n"));
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.path.ends_with("critique.toml") && e.line > 0 && e.message.contains("javascript")),
        "{errors:?}"
    );
}
