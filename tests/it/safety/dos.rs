//! Work linear in the input: what a hostile file can hold within the size limit either builds
//! (headings with unique ids, huge code shown plain, every broken link reported at its line)
//! or fails at once with an error at the `path:line:col` where a bound was passed. Inputs are
//! scaled by count, not size, so that the debug build stays quick; `bench/hostile.sh` times
//! the 8 MB forms.

use critique::diagnostic::Diagnostic;
use critique::markdown::{MAX_DEPTH, MAX_LISTED_HEADINGS, MAX_MARKS};

use crate::support::SiteTest;

const R: &str = "content/reviews/hostile.md";

/// A review of the basic fixture's `widget` whose body is `body`, from line 9.
fn review(body: &str) -> String {
    format!(
        "---\ntitle: Hostile\nproject: widget\nauthor: Mallory\ndate: 2026-11-20\nverdict: good\nscores: {{ cost: 5 }}\n---\n{body}"
    )
}

/// The line the body of [`review`] starts on.
const BODY_LINE: usize = 9;

/// The basic fixture with `file` as `R`.
fn site_with(file: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.write(R, file);
    site
}

/// The errors of a build of the basic fixture with `file` as `R`.
fn errors_of(file: &str) -> Vec<Diagnostic> {
    site_with(file).errors()
}

fn location(d: &Diagnostic) -> (String, usize, usize) {
    (d.path.to_string_lossy().replace('\\', "/"), d.line, d.col)
}

#[test]
fn a_heading_flood_builds_with_unique_stable_ids() {
    let n = 20_000;
    let site = site_with(&review(&"## Same\n\n".repeat(n)));
    site.build();
    let page = site.html("reviews/hostile/index.html");
    let ids = page.attrs("section.prose h2[id]", "id");
    let expected: Vec<String> =
        std::iter::once("same".to_string()).chain((1..n).map(|i| format!("same-{i}"))).collect();
    assert_eq!(ids.len(), n, "one id a heading");
    assert!(ids == expected, "ids run same, same-1, … in order; first difference at {:?}", {
        ids.iter().zip(&expected).position(|(a, b)| a != b)
    });
    let anchors = page.attrs("section.prose h2 a.anchor", "href");
    assert!(anchors.iter().zip(&expected).all(|(href, id)| *href == format!("#{id}")), "self-links match");
    // The table of contents lists the first headings, not all of them.
    let toc = page.attrs("nav.toc a", "href");
    assert!(toc.len() <= MAX_LISTED_HEADINGS, "{} entries", toc.len());
}

#[test]
fn a_fenced_block_too_costly_to_highlight_is_shown_escaped_and_whole() {
    let code: String =
        (0..3_000).map(|i| format!("let v{i}: Vec<u64> = (0..{i}).map(|x| x * 2).collect(); // \"<&>\"\n")).collect();
    let small = "fn main() {}\n";
    let site = site_with(&review(&format!("```rust\n{small}```\n\n```rust\n{code}```\n")));
    site.build();
    let page = site.html("reviews/hostile/index.html");
    let blocks = page.texts("section.prose pre");
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let plain = page.attrs("section.prose pre > code.language-rust", "class");
    assert_eq!(plain.len(), 1, "only the large block is left plain");
    let html = site.read("reviews/hostile/index.html");
    let start = html.find("<pre><code class=\"language-rust\">").expect("the plain block");
    let end = start + html[start..].find("</code></pre>").expect("its end");
    let inner = &html[start + "<pre><code class=\"language-rust\">".len()..end];
    assert!(!inner.contains("<span"), "no highlighting inside the large block");
    let unescaped = inner.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    assert_eq!(unescaped, code, "the code is intact");
    assert!(html[..start].contains("hl-"), "the small block before it is highlighted");
}

#[test]
fn every_broken_link_is_reported_at_its_line() {
    let n = 2_000;
    let body: String = (0..n).map(|i| format!("See [page {i}](/nowhere-{i}/).\n")).collect();
    let errors = errors_of(&review(&body));
    let broken: Vec<&Diagnostic> = errors.iter().filter(|d| d.rule.as_deref() == Some("broken-link")).collect();
    assert_eq!(broken.len(), n, "all reported");
    let mut lines: Vec<usize> = broken.iter().map(|d| d.line).collect();
    lines.sort_unstable();
    assert_eq!(lines, (BODY_LINE..BODY_LINE + n).collect::<Vec<_>>(), "each at its own line");
    let d = broken.iter().find(|d| d.message.contains("/nowhere-1234/")).expect("link 1234");
    assert_eq!(d.line, BODY_LINE + 1234);
}

#[test]
fn nesting_past_the_bound_is_an_error_at_the_marker() {
    for (body, line, col) in [
        (format!("Intro.\n\n{}x\n", "- ".repeat(1_000)), BODY_LINE + 2, 2 * MAX_DEPTH + 1),
        (format!("{}x\n", "> ".repeat(1_000)), BODY_LINE, 2 * MAX_DEPTH + 1),
        (
            (0..=MAX_DEPTH).map(|i| format!("{}- x\n", "  ".repeat(i))).collect(),
            BODY_LINE + MAX_DEPTH,
            2 * MAX_DEPTH + 1,
        ),
    ] {
        let errors = errors_of(&review(&body));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(location(&errors[0]), (R.to_string(), line, col), "{}", errors[0]);
        assert!(errors[0].message.contains(&format!("nested more than {MAX_DEPTH} deep")), "{}", errors[0]);
        assert!(errors[0].hint.is_some());
    }
    // As deep as allowed, followed by lazy lines: built.
    let deepest = format!("{}x\n{}", "> ".repeat(MAX_DEPTH), "lazy\n".repeat(1_000));
    site_with(&review(&deepest)).build();
}

#[test]
fn too_much_structure_is_an_error_where_the_bound_is_passed() {
    let body = format!("Intro.\n\n{}\n", "[".repeat(MAX_MARKS + 10));
    let errors = errors_of(&review(&body));
    assert_eq!(errors.len(), 1, "{errors:?}");
    // `Intro.` holds two marks, the blank line one: the bound falls inside line 3.
    assert_eq!(location(&errors[0]), (R.to_string(), BODY_LINE + 2, MAX_MARKS - 3 + 1), "{}", errors[0]);
    assert!(errors[0].message.contains("more Markdown structure than a text may hold"), "{}", errors[0]);
    // Wide tables count their cells: 200 columns, 3,000 one-letter rows.
    let table = format!("{}|\n{}|\n{}", "|a".repeat(200), "|-".repeat(200), "x\n".repeat(3_000));
    let errors = errors_of(&review(&table));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("more Markdown structure"), "{}", errors[0]);
    // The same punctuation in fenced code is not Markdown: built.
    let code = format!("```\n{}\n```\n", "[".repeat(MAX_MARKS + 10));
    site_with(&review(&code)).build();
}

#[test]
fn a_long_summary_is_cut_to_its_text() {
    let paragraph = "A *long* first paragraph of [many](/about/) words.\n".repeat(5_000);
    let site = site_with(&review(&format!("{paragraph}\nSecond paragraph.\n")));
    site.build();
    let cards = site.html("index.html");
    let summary = cards
        .texts(".summary")
        .into_iter()
        .find(|s| s.starts_with("A long first paragraph"))
        .expect("the hostile review's card");
    assert!(summary.ends_with('…'), "{}", &summary[summary.len().saturating_sub(80)..]);
    assert!(summary.chars().count() <= critique::markdown::SUMMARY_TEXT_CHARS + 1, "{}", summary.len());
}

#[test]
fn long_front_matter_lists_are_errors_at_their_key() {
    let tags: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    let file =
        review("Body.\n").replacen("verdict: good\n", &format!("verdict: good\ntags: [{}]\n", tags.join(", ")), 1);
    let errors = errors_of(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(location(&errors[0]), (R.to_string(), 7, 1), "{}", errors[0]);
    assert!(errors[0].message.contains("`tags` holds 100 items: expected at most 64"), "{}", errors[0]);
    // TOML has its own bound on values, like YAML's node budget.
    let scores: String = (0..300_000).map(|i| format!("x{i} = 1\n")).collect();
    let toml = format!(
        "+++\ntitle = \"T\"\nproject = \"widget\"\nauthor = \"A\"\ndate = 2026-11-20\nverdict = \"good\"\n[scores]\n{scores}+++\nBody.\n"
    );
    let errors = errors_of(&toml);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("more than 250000 values"), "{}", errors[0]);
    // Five `=` and a `[` before `[scores]` ends on line 7: the value one past the bound is
    // the 249,995th score's `=`, on line 7 + 249,995.
    assert_eq!((errors[0].line, errors[0].col), (250_002, 9), "{}", errors[0]);
}

#[test]
fn a_template_is_bounded_more_tightly_than_content() {
    // A template is pasted into page after page: a megabyte is far past any theme's.
    let site = SiteTest::fixture("basic");
    site.write("templates/partials/review_card.html", "x".repeat(1024 * 1024 + 1));
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.path.ends_with("templates/partials/review_card.html")
            && e.message.contains("expected at most 1048576 bytes for a template")),
        "{errors:#?}"
    );
}

#[test]
fn the_configuration_is_bounded_like_a_template() {
    // Its parser takes about 75 bytes of memory a byte: 8 MB of it took 600 MB.
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("critique.toml")).expect("config");
    site.write("critique.toml", config + &"# padding\n".repeat(110_000));
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.path.ends_with("critique.toml") && e.message.contains("for the configuration")),
        "{errors:#?}"
    );
}
