//! `/compare/`: without JavaScript the projects table and a sentence saying why; in headless
//! Chromium (over WebDriver, the site served under `/sub/`) two to four projects chosen side by
//! side, the values those of their JSON, the choice kept in the URL.

use serde_json::{Value, json};

use crate::support::SiteTest;
use crate::webdriver::{Browser, StaticServer};

#[test]
fn the_compare_page_shows_the_projects_table_without_javascript() {
    let site = SiteTest::example();
    site.build();
    let compare = site.html("compare/index.html");
    let projects = site.html("projects/index.html");
    // The same table as /projects/, row for row and cell for cell.
    let cells = "table.scores-table tbody tr > *";
    assert_eq!(compare.texts(cells), projects.texts(cells));
    assert_eq!(compare.texts("table.scores-table thead th"), projects.texts("table.scores-table thead th"));
    assert_eq!(compare.texts("table.scores-table tbody th[scope=row] a").len(), 4);
    assert!(
        compare.text("#compare-all .compare-nojs").contains("needs JavaScript"),
        "a sentence says why the table is all there is"
    );
    // The form the script shows: hidden, a labelled checkbox per project, by name.
    assert_eq!(compare.attrs("#compare-form", "hidden"), [""]);
    assert_eq!(compare.text("#compare-form legend"), "Choose two to four projects");
    let names = compare.texts("#compare-form label");
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 4);
    for id in compare.attrs("#compare-form input[type=checkbox]", "id") {
        assert_eq!(compare.attrs(&format!("label[for={id}]"), "for").len(), 1, "{id} has a label");
    }
    assert_eq!(compare.attrs("#compare-status", "aria-live"), ["polite"]);
    assert_eq!(compare.attrs("#compare", "data-base"), ["/"]);
    assert_eq!(compare.attrs("#compare", "data-axes"), ["cost speed reliability ease decentralization accountability"]);
    assert_eq!(compare.attrs("script[src]", "src"), ["/sort.js", "/compare.js"]);
    assert!(site.public().join("compare.js").is_file());
    // Linked from the projects page, and listed in the sitemap.
    assert!(projects.attrs("main a", "href").contains(&"/compare/".to_string()));
    assert!(site.read("sitemap.xml").contains("<loc>https://critique.example.org/compare/</loc>"));
    // A free page cannot take its address.
    site.write("content/pages/compare.md", "---\ntitle: Compare\n---\nMine.\n");
    let errors: Vec<String> = site.errors().iter().map(ToString::to_string).collect();
    assert!(errors.iter().any(|e| e.contains("`/compare/` section")), "{errors:?}");
}

/// The text of each cell of the side-by-side table's row `row` (a CSS selector for the `tr`).
fn cells(browser: &Browser, row: &str) -> Value {
    browser.eval(&format!(
        "const r = document.querySelector('#compare-result {row}'); \
         return r ? Array.from(r.querySelectorAll('td')).map(td => td.textContent.trim()) : null"
    ))
}

/// As pages write a score.
fn score(value: &Value) -> String {
    let rounded = (value.as_f64().expect("a number") * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// What the side-by-side table should say of `projects` (their JSON), row by row.
fn expected_rows(projects: &[Value], axes: &[&str]) -> Vec<(String, Value)> {
    let mut rows = Vec::new();
    let overall =
        |p: &Value| if p["overall"].is_null() { "no aggregate yet".to_string() } else { score(&p["overall"]) };
    rows.push(("tr.compare-overall".to_string(), json!(projects.iter().map(overall).collect::<Vec<_>>())));
    for axis in axes {
        let cell = |p: &Value| {
            let s = &p["scores"][*axis];
            let values: Vec<String> = s["values"].as_array().expect("values").iter().map(score).collect();
            match (p["overall"].is_null(), s["median"].is_null()) {
                _ if values.is_empty() => "not scored".to_string(),
                (true, _) => format!("no aggregate yet (scores: {})", values.join(" · ")),
                (false, true) => "no median".to_string(),
                (false, false) => {
                    let mut text = score(&s["median"]);
                    if let Some(band) = s["band"].as_str() {
                        text.push_str(&format!(" — {band}"));
                    }
                    if s["contested"] == true {
                        text.push_str(" (contested)");
                    }
                    text
                }
            }
        };
        rows.push((format!("tr[data-axis={axis}]"), json!(projects.iter().map(cell).collect::<Vec<_>>())));
    }
    let count = |key: &str| json!(projects.iter().map(|p| p[key].to_string()).collect::<Vec<_>>());
    rows.push(("tr.compare-reviews".to_string(), count("counted_reviews")));
    rows.push(("tr.compare-open".to_string(), count("open_questions")));
    rows
}

#[test]
fn compare_browser_shows_chosen_projects_side_by_side_from_their_json() {
    if !crate::support::tools_present(
        "compare_browser_shows_chosen_projects_side_by_side_from_their_json",
        &["chromium", "chromedriver"],
    ) {
        return;
    }
    let site = SiteTest::example();
    // A fifth project, so that a fifth choice can be refused.
    site.write(
        "content/projects/tallyline.md",
        "---\nname: Tallyline\nsummary: An invented ledger with no reviews yet.\nclaims:\n  - id: instant\n    text: Settles <b>instantly</b>.\n---\nA project without reviews.\n",
    );
    // What the rubric says a median of cost means.
    site.edit(
        "critique.toml",
        "label = \"Cheaper\"\n",
        "label = \"Cheaper\"\nbands = [{ from = 0, to = 4, means = \"dearer\" }, { from = 5, to = 10, means = \"no dearer\" }]\n",
    );
    let options = critique::SiteOptions { base_url: Some("http://127.0.0.1/sub/".into()), ..SiteTest::options() };
    if let Err(e) = site.build_with(options, None) {
        panic!("build failed:\n{e}");
    }
    let json = |slug: &str| -> Value {
        serde_json::from_str(&site.read(&format!("projects/{slug}/index.json"))).expect("project JSON")
    };
    let server = StaticServer::start(site.public(), "/sub/");
    let browser = Browser::start();
    let page = format!("{}compare/", server.base);
    let status = "return document.getElementById('compare-status').textContent";
    let axes = ["cost", "speed", "reliability", "ease", "decentralization", "accountability"];

    // The script shows the form and puts the table away.
    browser.goto(&page);
    browser.wait_until(status, &json!("Choose two to four projects to see them side by side."));
    assert_eq!(
        browser.eval(
            "return [document.getElementById('compare-form').hidden, document.getElementById('compare-all').hidden]"
        ),
        json!([false, true])
    );

    // Two projects chosen: side by side, in the order chosen, with their JSON's values.
    browser.click("#compare-p-opengradient");
    browser.wait_until(status, &json!("Choose at least one more project to compare with OpenGradient."));
    browser.click("#compare-p-proofholm");
    let chosen = [json("opengradient"), json("proofholm")];
    let names: Vec<&str> = chosen.iter().map(|p| p["name"].as_str().expect("name")).collect();
    browser.wait_until(status, &json!(format!("Comparing {} and {}.", names[0], names[1])));
    assert_eq!(browser.url(), format!("{page}?p=opengradient,proofholm"));
    let heads = "return Array.from(document.querySelectorAll('#compare-result thead th[scope=col] a')).map(a => [a.textContent, a.getAttribute('href')])";
    assert_eq!(
        browser.eval(heads),
        json!([[names[0], "/sub/projects/opengradient/"], [names[1], "/sub/projects/proofholm/"]])
    );
    let expected = expected_rows(&chosen, &axes);
    for (row, values) in &expected {
        assert_eq!(&cells(&browser, row), values, "row {row}");
    }
    assert_eq!(cells(&browser, "tr[data-axis=cost]")[0], json!("5 — no dearer"), "the band of OpenGradient's median");
    // Row headers name what each row holds.
    let row_heads =
        "return Array.from(document.querySelectorAll('#compare-result tbody th[scope=row]')).map(th => th.textContent)";
    let heads_now = browser.eval(row_heads);
    assert_eq!(heads_now[0], json!("Overall"));
    assert_eq!(heads_now[1], json!("Cheaper"));
    // Each claim with where it stands.
    let claims = "return Array.from(document.querySelectorAll('#compare-result tr.compare-claims-row td')).map(td => Array.from(td.querySelectorAll('li')).map(li => li.textContent))";
    let shown = browser.eval(claims);
    for (i, project) in chosen.iter().enumerate() {
        let texts = project["claims"].as_array().expect("claims");
        assert_eq!(shown[i].as_array().expect("a list").len(), texts.len());
        for (claim, li) in texts.iter().zip(shown[i].as_array().expect("a list")) {
            let li = li.as_str().expect("text");
            assert!(li.starts_with(claim["text"].as_str().expect("text")), "{li}");
            let status = match claim["finding"]["label"].as_str() {
                Some(label) => format!("(Found: {label})"),
                None if claim["questions"].as_array().is_none_or(Vec::is_empty) => "(Not questioned yet)".into(),
                None => {
                    format!("({} open, {} answered, {} disputed)", claim["open"], claim["answered"], claim["disputed"])
                }
            };
            assert!(li.ends_with(&status), "{li} ends with {status}");
        }
    }
    // The cards: Proofholm's token symbol and who can pause it.
    let token = cells(&browser, "tr.compare-token");
    assert!(token[1].as_str().expect("text").contains("HOLM"), "{token}");
    let accountability = cells(&browser, "tr.compare-accountability");
    assert!(accountability[1].as_str().expect("text").contains("can freeze new storage deals"), "{accountability}");
    let table_text = "return document.querySelector('#compare-result table').innerText";
    let before = browser.eval(table_text);

    // The address alone brings the same comparison back.
    browser.goto(&format!("{page}?p=opengradient,proofholm"));
    browser.wait_until(status, &json!(format!("Comparing {} and {}.", names[0], names[1])));
    assert_eq!(browser.eval(table_text), before);
    assert_eq!(
        browser.eval("return Array.from(document.querySelectorAll('#compare-form input:checked')).map(i => i.value)"),
        json!(["opengradient", "proofholm"])
    );

    // Back and forth through the choices.
    browser.click("#compare-p-ferrymesh");
    browser.wait_until(status, &json!(format!("Comparing {}, {} and Ferrymesh.", names[0], names[1])));
    assert_eq!(browser.url(), format!("{page}?p=opengradient,proofholm,ferrymesh"));
    browser.back();
    browser.wait_until(status, &json!(format!("Comparing {} and {}.", names[0], names[1])));
    assert_eq!(browser.eval(table_text), before);

    // Four at most: a fifth tick is undone and said so; the text of a project without
    // reviews goes in as text.
    browser.click("#compare-p-ferrymesh");
    browser.click("#compare-p-tallyline");
    browser.wait_until(status, &json!(format!("Comparing {}, {}, Ferrymesh and Tallyline.", names[0], names[1])));
    assert_eq!(cells(&browser, "tr.compare-claims-row")[3], json!("Settles <b>instantly</b>. (Not questioned yet)"));
    assert_eq!(cells(&browser, "tr.compare-overall")[3], json!("no aggregate yet"));
    browser.click("#compare-p-commons-inference");
    browser.wait_until(status, &json!("Four projects at most: uncheck one to choose another."));
    assert_eq!(browser.eval("return document.getElementById('compare-p-commons-inference').checked"), json!(false));
    assert_eq!(browser.url(), format!("{page}?p=opengradient,proofholm,ferrymesh,tallyline"));
    // An address naming five (or unknown) projects shows the first four it knows.
    browser.goto(&format!("{page}?p=nope,commons-inference,opengradient,proofholm,ferrymesh,tallyline"));
    browser.wait_until(
        status,
        &json!(format!("Comparing Commons Inference Cooperative, {}, {} and Ferrymesh.", names[0], names[1])),
    );
    assert_eq!(browser.url(), format!("{page}?p=commons-inference,opengradient,proofholm,ferrymesh"));
    assert_eq!(server.take_missing(), Vec::<String>::new(), "every file the page asked for was there");
}

#[test]
fn compare_browser_writes_the_sites_language_and_english_for_an_older_template() {
    if !crate::support::tools_present(
        "compare_browser_writes_the_sites_language_and_english_for_an_older_template",
        &["chromium", "chromedriver"],
    ) {
        return;
    }
    let site = SiteTest::example();
    site.edit("critique.toml", "language = \"en\"", "language = \"de\"");
    site.build();
    let name = |slug: &str| -> String {
        let project: Value =
            serde_json::from_str(&site.read(&format!("projects/{slug}/index.json"))).expect("project JSON");
        project["name"].as_str().expect("name").to_string()
    };
    let names = [name("opengradient"), name("proofholm")];
    let server = StaticServer::start(site.public(), "/");
    let browser = Browser::start();
    let page = format!("{}compare/", server.base);
    let status = "return document.getElementById('compare-status').textContent";
    let row_heads =
        "return Array.from(document.querySelectorAll('#compare-result tbody th[scope=row]')).map(th => th.textContent)";
    let fields = "return Array.from(document.querySelectorAll('#compare-result tr.compare-token dt, \
                  #compare-result tr.compare-governance dt, #compare-result tr.compare-accountability dt')) \
                  .map(dt => dt.textContent)";

    browser.goto(&page);
    browser.wait_until(status, &json!("Wählen Sie zwei bis vier Projekte, um sie nebeneinander zu sehen."));
    browser.click("#compare-p-opengradient");
    browser.wait_until(
        status,
        &json!(format!("Wählen Sie mindestens ein weiteres Projekt für den Vergleich mit {}.", names[0])),
    );
    browser.click("#compare-p-proofholm");
    browser.wait_until(status, &json!(format!("Im Vergleich: {} und {}.", names[0], names[1])));
    let heads = browser.eval(row_heads);
    let heads: Vec<&str> = heads.as_array().expect("headers").iter().map(|h| h.as_str().expect("text")).collect();
    // The axes' labels are the site's own; every other header is German.
    let (first, rest) = heads.split_first().expect("rows");
    assert_eq!(*first, "Gesamt");
    assert_eq!(
        rest[rest.len() - 6..],
        [
            "Rezensionen",
            "Offene Fragen",
            "Behauptungen",
            "Token: wer profitiert",
            "Governance: wer über Upgrades entscheidet",
            "Verantwortung: wer nachts um 2 Uhr antwortet",
        ]
    );
    assert_eq!(browser.eval("return document.querySelector('#compare-result thead th').textContent"), json!("Projekt"));
    let caption = browser.eval("return document.querySelector('#compare-result caption').textContent");
    assert!(caption.as_str().expect("text").starts_with("Die gewählten Projekte nebeneinander"), "{caption}");
    let fields = browser.eval(fields);
    for field in ["Rechte der Inhaber", "Zuteilung", "Zeitsperre", "Kontakt bei Störungen", "Wer es anhalten kann"] {
        assert!(fields.as_array().expect("fields").contains(&json!(field)), "{field} in {fields}");
    }
    assert_eq!(cells(&browser, "tr.compare-governance")[0], json!("Nicht offengelegt"), "OpenGradient says nothing");
    // Each claim's status: a finding, or its questions counted, in German.
    let statuses = browser
        .eval("return Array.from(document.querySelectorAll('#compare-result .claim-status')).map(s => s.textContent)");
    let statuses: Vec<&str> =
        statuses.as_array().expect("statuses").iter().map(|s| s.as_str().expect("text")).collect();
    assert!(!statuses.is_empty());
    for s in &statuses {
        let german = s.starts_with("(Befund: ") || s.starts_with("(Fragen: ") || *s == "(Noch nicht hinterfragt)";
        assert!(german, "{s}");
        assert!(!s.contains("open") && !s.contains("Found"), "{s}");
    }
    assert!(
        statuses.iter().any(|s| s.starts_with("(Fragen: ") && s.contains(" offen, ") && s.contains(" beantwortet, ")),
        "{statuses:?}"
    );

    // A site's own compare.html from before the translations, without data-t-* attributes:
    // the script writes English.
    site.write(
        "templates/compare.html",
        "{% extends \"base.html\" %}\n{% block head %}<script src=\"{{ site.base_path }}compare.js\" defer></script>{% endblock head %}\n\
         {% block content %}<div id=\"compare\" data-base=\"{{ site.base_path }}\" data-axes=\"{% for axis in axes %}{{ axis.key }} {% endfor %}\">\n\
         <form id=\"compare-form\" hidden>{% for choice in choices %}<span><input type=\"checkbox\" id=\"compare-p-{{ choice.slug }}\" name=\"p\" value=\"{{ choice.slug }}\"><label for=\"compare-p-{{ choice.slug }}\">{{ choice.name }}</label></span>{% endfor %}</form>\n\
         <p id=\"compare-status\"></p><div id=\"compare-result\"></div></div>{% endblock content %}\n",
    );
    site.build();
    browser.goto(&format!("{page}?p=opengradient,proofholm"));
    browser.wait_until(status, &json!(format!("Comparing {} and {}.", names[0], names[1])));
    let heads = browser.eval(row_heads);
    assert_eq!(heads[0], json!("Overall"));
    assert_eq!(heads[heads.as_array().expect("headers").len() - 1], json!("Accountability: who answers at 2 a.m."));
    assert_eq!(server.take_missing(), Vec::<String>::new(), "every file the page asked for was there");
}
