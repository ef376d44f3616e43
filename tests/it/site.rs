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
