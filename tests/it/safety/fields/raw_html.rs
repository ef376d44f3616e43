//! Raw HTML judged as a browser reads the page: what the pieces of a text hide when read one
//! by one (comments that end early, `<svg>`, `<noscript>`, a tag left open into the Markdown
//! after it, a fragment shown alone as a summary), and what a text leaves open for the page
//! after it; each an `unsafe-html` error at its line that fails `check` and `build`.

use critique::cmd::check::{self, CheckArgs};
use critique::diagnostic::Diagnostic;

use super::position;
use crate::support::SiteTest;

/// The `unsafe-html` findings of `check` on the basic site with `rel` written as `text`.
fn unsafe_html(rel: &str, text: &str) -> Vec<Diagnostic> {
    let site = SiteTest::fixture("basic");
    site.write(rel, text);
    let outcome =
        check::run(&CheckArgs { root: site.root.clone(), site: SiteTest::options(), strict: false, external: None });
    assert_eq!(site.run_cli(&["build"]).status.code() == Some(1), !outcome.passed, "build and check agree");
    outcome.findings.diagnostics.into_iter().filter(|d| d.rule.as_deref() == Some("unsafe-html")).collect()
}

/// A page whose body is `body`.
fn page(body: &str) -> String {
    format!("---\ntitle: T\n---\n{body}")
}

/// Raw HTML that a piece-by-piece reading misses but a browser runs, each with the text on
/// the line it must be reported at and what the report says.
const READ_AS_A_BROWSER: [(&str, &str, &str); 11] = [
    ("<!--><img src=x onerror=alert(1)>-->", "alert(1)", "`onerror`"),
    ("<!---><img src=x onerror=alert(2)>-->", "alert(2)", "`onerror`"),
    ("<!-- --!><img src=x onerror=alert(3)>-->", "alert(3)", "`onerror`"),
    ("<div><svg><title><img src=x onerror=alert(4)></title></svg></div>", "alert(4)", "`onerror`"),
    ("<div><math><xmp><img src=x onerror=alert(5)></xmp></math></div>", "alert(5)", "`onerror`"),
    ("<div><noscript><p title=\"</noscript><img src=x onerror=alert(6)>\"></noscript></div>", "alert(6)", "`onerror`"),
    ("<a href=\"javascript&#000000058;alert(7)\">x</a>", "alert(7)", "`href="),
    ("<svg><a><set attributeName=\"href\" to=\"javascript:alert(8)\"/></a></svg>", "alert(8)", "`<set>`"),
    ("<base href=\"https://evil.example/\">", "evil.example/\"", "`<base>`"),
    ("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", "refresh", "`<meta>`"),
    // A tag left open by an HTML block takes in the Markdown after it.
    ("<details open title='\n\n`' ontoggle=alert(9) x=`\n\n</details>", "ontoggle", "`ontoggle`"),
];

#[test]
fn raw_html_is_judged_as_a_browser_reads_the_page() {
    for (html, on_line, says) in READ_AS_A_BROWSER {
        let text = page(&format!("Some text.\n\n{html}\n\nMore text.\n"));
        let found = unsafe_html("content/pages/raw.md", &text);
        let hit = found.iter().find(|d| d.message.contains(says));
        assert_eq!(hit.map(|d| d.line), Some(position(&text, on_line).0), "{html}: {found:#?}");
    }
}

#[test]
fn what_a_text_leaves_open_for_the_page_after_it_is_reported() {
    // Each would take in the page's own HTML after the text: a tag the template's next `>`
    // closes, a comment a later part of the page ends, a text element.
    for end in ["<details open ontoggle=alert(1)", "<div title='x", "<textarea>", "<xmp>"] {
        let text = page(&format!("Intro.\n\n{end}\n"));
        let found = unsafe_html("content/pages/raw.md", &text);
        let open: Vec<&Diagnostic> = found.iter().filter(|d| d.message.contains("open at the end")).collect();
        assert_eq!(open.len(), 1, "{end}: {found:#?}");
        assert_eq!(open[0].line, position(&text, end).0, "{end}");
    }
    // An answer that opens a comment, and a body whose attribute that comment would end in.
    let text = "---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    status: answered\n    answer: |\n      See below.\n\n      <!-- nothing\n---\nBody.\n\n<a title=\"--><img src=x onerror=alert(1)>\">q</a>\n";
    let found = unsafe_html("content/reviews/raw.md", text);
    assert!(found.iter().any(|d| d.message.contains("open at the end")), "{found:#?}");
    // An answer that leaves an element open changes how the next text on the page is read
    // (a `<td>` ignored alone is live inside a table; CDATA is a section inside `<svg>`).
    for answer in ["<table>", "<svg><desc>", "<select>", "<b>"] {
        let text = format!(
            "---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    status: answered\n    answer: \"{answer}\"\n---\nBody.\n"
        );
        let found = unsafe_html("content/reviews/raw.md", &text);
        let open: Vec<&Diagnostic> = found.iter().filter(|d| d.message.contains("open at the end")).collect();
        assert_eq!(open.len(), 1, "{answer}: {found:#?}");
        assert_eq!(open[0].line, position(&text, "answer:").0, "{answer}");
    }
}

#[test]
fn a_summary_is_read_as_it_is_shown_alone() {
    // Inside `<xmp>` the first paragraph is text; listings show it alone, where it is markup.
    let text = page("<xmp>\n\nHello <img src=x onerror=alert(1)> world.\n\n</xmp>\n\nMore.\n");
    let found = unsafe_html("content/pages/raw.md", &text);
    assert!(
        found.iter().any(|d| d.message.contains("`onerror`") && d.line == position(&text, "Hello").0),
        "{found:#?}"
    );
}

#[test]
fn the_page_body_select_and_too_much_html_are_not_blind_spots() {
    // A `<body>` in a text gives the page's body its attributes.
    let found = unsafe_html("content/pages/raw.md", &page("<p>x</p>\n\n<body onload=alert(1)>\n"));
    assert!(found.iter().any(|d| d.message.contains("`onload`")), "{found:#?}");
    // `<select>` parsed the older way runs what html5ever reads as text.
    let found = unsafe_html("content/pages/raw.md", &page("<select><xmp><script>alert(1)</script></xmp></select>\n"));
    assert!(found.iter().any(|d| d.message.contains("`<script>`")), "{found:#?}");
    // Past the bounds of the reading, the text is refused, not read in part.
    let flood = page(&format!("Intro.\n\n{}\n<img src=x onerror=alert(1)>\n", "<br>".repeat(200_001)));
    let found = unsafe_html("content/pages/raw.md", &flood);
    assert!(found.iter().any(|d| d.message.contains("cannot be checked as a browser reads it")), "{found:#?}");
}

#[test]
fn heading_attributes_a_browser_would_split_are_dropped() {
    let text = "---\ntitle: T\n---\n## T {x/onmouseover=alert(1) data-note=fine}\n";
    let site = SiteTest::fixture("basic");
    site.write("content/pages/raw.md", text);
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.rule.as_deref() == Some("unsafe-link") && e.message.contains("x/onmouseover")),
        "{errors:#?}"
    );
}

#[test]
fn text_and_code_are_not_reported_but_markup_in_comments_is() {
    // Neither a value that reads like a handler, nor code, nor escaped markup, nor a plain
    // comment (`<!-- more -->`, which is not read at all).
    let text = "---\ntitle: T\n---\n<p title=\"a onclick=b\">x</p>\n\n`<img onerror=x>` and <code>&lt;script&gt;</code>\n\n<!-- more -->\n";
    let site = SiteTest::fixture("basic");
    site.write("content/pages/raw.md", text);
    site.build();
    // Markup is read wherever it is, even where a browser today makes text of it: parsers
    // disagree in corners (`<select>`, MathML), and a comment costs nothing to clean.
    for quiet in ["<!-- <script>old()</script> -->", "<textarea><b onclick=x></b></textarea>"] {
        let text = page(&format!("Intro.\n\n{quiet}\n"));
        assert_eq!(unsafe_html("content/pages/raw.md", &text).len(), 1, "{quiet}");
    }
}

#[test]
fn a_raw_html_block_must_end_between_tags() {
    // Markdown text after a block left inside a tag or value is read into it (a code span's
    // `' onerror=…` becomes an attribute); a browser that parses the rest otherwise than
    // html5ever would run it, so the block itself is refused, at its first line.
    for (block, then) in [
        ("<div>\n<img src=x title='", "`' onerror=alert(1) x='`"),
        // Only the block check sees this one: the code span's `'` and `</code>` close the tag.
        ("<div></div>\n<img src=x alt='", "`' onerror=alert(1) x='`"),
        ("<div></div>\n<style><!--</style><img src=x alt='x-->", "`' onerror=alert(1) x='`"),
        ("<div title=\"a", "\\\" onmouseover=alert(1) x=\\\""),
    ] {
        let text = page(&format!("Intro.\n\n{block}\n\n{then}\n\n'>\n"));
        let found = unsafe_html("content/pages/raw.md", &text);
        assert!(
            found.iter().any(|d| d.message.contains("open at the end") && d.line == position(&text, block).0),
            "{block}: {found:#?}"
        );
    }
}

#[test]
fn markup_inside_attribute_values_is_read_too() {
    // Where a browser reads the tag as text (inside `<xmp>`, or a CDATA section of `<svg>`),
    // what its quoted value holds is markup.
    for html in [
        "<xmp><b title='</xmp><img src=x onerror=alert(1)>'>x</b></xmp>",
        "<div>\n<b title=<img/src/onerror=alert(1)>x</b>",
    ] {
        let text = page(&format!("Intro.\n\n{html}\n"));
        let found = unsafe_html("content/pages/raw.md", &text);
        assert!(found.iter().any(|d| d.message.contains("`onerror`")), "{html}: {found:#?}");
    }
}

#[test]
fn what_browsers_parse_differently_is_refused() {
    // After these, browsers (and the parser the check reads with) disagree on what is text
    // and what is markup; a critique needs none of them.
    for (html, says) in [
        ("<svg><desc>d</desc></svg>", "`<desc>`"),
        ("<p>x <![CDATA[ y ]]></p>", "`<![CDATA[`"),
        ("<template><p>t</p></template>", "`<template>`"),
        ("<select><option>a</option></select>", "`<select>`"),
        ("<xmp>x</xmp>", "`<xmp>`"),
    ] {
        let text = page(&format!("Intro.\n\n<div>\n{html}\n</div>\n"));
        let found = unsafe_html("content/pages/raw.md", &text);
        assert!(
            found.iter().any(|d| d.message.contains(says) && d.message.contains("parsed differently")),
            "{html}: {found:#?}"
        );
    }
    // One tag with too many attributes is refused before any parser sees it.
    let many: String = (0..300).map(|i| format!(" a{i}")).collect();
    let found = unsafe_html("content/pages/raw.md", &page(&format!("<div{many}>\nx\n</div>\n")));
    assert!(found.iter().any(|d| d.message.contains("attributes, cannot be checked")), "{found:#?}");
}

#[test]
fn an_end_tag_for_what_the_page_holds_the_text_in_is_refused() {
    // Read alone, `</main>` closes nothing; on the page it closes the `<main>` and the `<svg>`
    // opened in it, and `<style>` becomes text that hides a tag the Markdown then completes.
    let body = "Yes <svg></main><style><g title='</style><img src=x title='></g></style></svg> `' onerror=alert(1) x='` and `'`.\n";
    let found = unsafe_html("content/pages/raw.md", &page(body));
    assert!(found.iter().any(|d| d.message.contains("open at the end")), "{found:#?}");
    let text = "---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\nquestions:\n  - ask: Q?\n    status: answered\n    answer: \"a </li><i>b</i>\"\n---\nBody.\n";
    let found = unsafe_html("content/reviews/raw.md", text);
    assert!(found.iter().any(|d| d.message.contains("open at the end")), "{found:#?}");
}

#[test]
fn the_html_writers_use_is_not_refused() {
    // Keys, sub- and superscripts, a collapsed method, a figure, a table with markup, an
    // embedded talk, a video, ruby, an accessible SVG chart, a note block with Markdown in it.
    let site = SiteTest::fixture("basic");
    site.write("content/pages/html.md", WRITERS_HTML);
    // Raw HTML's links are checked as Markdown's are: the figure's image must be there.
    site.write("static/img/dot.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build();
    let html = site.read("html/index.html");
    for kept in
        ["<kbd>Ctrl</kbd>", "<summary>Method</summary>", "<figcaption>", "allowfullscreen", "<title>bar</title>"]
    {
        assert!(html.contains(kept), "{kept}");
    }
}

/// A page using the raw HTML a critique may well hold.
const WRITERS_HTML: &str = r#"---
title: HTML a writer might use
---
Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; water is H<sub>2</sub>O and E = mc<sup>2</sup>.

<details>
<summary>Method</summary>

We measured **twice** with [the script](https://example.org/s).

</details>

<figure>
  <img src="/img/dot.svg" alt="a dot">
  <figcaption>A dot.</figcaption>
</figure>

<table>
  <tr><th>Run</th><th>ms</th></tr>
  <tr><td>1</td><td><b>12</b></td></tr>
</table>

<iframe src="https://www.youtube-nocookie.com/embed/xyz" title="talk" allowfullscreen></iframe>

<video controls src="https://example.org/v.mp4"></video>

<ruby>漢<rt>kan</rt></ruby> and <abbr title="Proof of stake">PoS</abbr>, <mark>noted</mark>.

<svg width="100" height="20" role="img" aria-label="bar"><title>bar</title><rect width="60" height="20"/></svg>

<div class="note">

A note with a list:

- one
- two

</div>

<!-- more -->

<ul><li>a</li><li>b</li></ul>
"#;
