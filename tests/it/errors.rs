//! Failed builds: every problem named at its exact `path:line:col`, all reported together,
//! and the previous output left untouched.

use critique::diagnostic::Diagnostic;

use crate::support::{SiteTest, tree};

/// A review of `widget` with `extra` front-matter lines after the required ones (lines 2–6).
fn review(extra: &str) -> String {
    format!("---\ntitle: T\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n{extra}---\nBody.\n")
}

/// The only error of a build of the basic fixture with `file` written to `rel`.
fn only_error(rel: &str, file: &str) -> Diagnostic {
    let site = SiteTest::fixture("basic");
    site.write(rel, file);
    let errors = site.errors();
    assert_eq!(
        errors.len(),
        1,
        "expected one error, got:\n{}",
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
    errors.into_iter().next().unwrap_or_else(|| unreachable!())
}

fn assert_error(d: &Diagnostic, path: &str, line: usize, col: usize, message: &str) {
    assert_eq!(
        (d.path.to_string_lossy().replace('\\', "/").as_str(), d.line, d.col),
        (path, line, col),
        "position of: {d}"
    );
    assert!(d.message.contains(message), "expected `{message}` in: {d}");
}

const R: &str = "content/reviews/x.md";

#[test]
fn unknown_project_is_named_with_the_closest_slug() {
    let text = review("").replace("project: widget", "project: widgit");
    let d = only_error(R, &text);
    assert_error(&d, R, 3, 10, "unknown project `widgit`: expected one of gadget, widget");
    assert_eq!(d.hint.as_deref(), Some("did you mean `widget`?"));
}

#[test]
fn unknown_claim_is_named_at_its_line() {
    let d = only_error(R, &review("questions:\n  - ask: Why?\n    claim: fats\n"));
    assert_error(&d, R, 9, 12, "unknown claim `fats` in the reviewed project: expected one of fast, cheap");
    assert_eq!(d.hint.as_deref(), Some("did you mean `fast`?"));
}

#[test]
fn scores_must_be_configured_axes_within_the_scale() {
    let d = only_error(R, &review("scores: { cost: 11, speed: 4 }\n"));
    assert_error(&d, R, 7, 17, "score `cost` (Cheaper) is 11: expected a number from 0 to 10");
    let d = only_error(R, &review("scores: { cots: 3 }\n"));
    assert_error(&d, R, 7, 17, "unknown score axis `cots`: expected one of cost, speed");
    assert_eq!(d.hint.as_deref(), Some("did you mean `cost`?"));
    let d = only_error(R, &review("scores: { cost: high }\n"));
    assert_eq!((d.line, d.col), (7, 17), "{d}");
}

#[test]
fn verdict_must_be_configured() {
    let d = only_error(R, &review("").replace("verdict: good", "verdict: gud"));
    assert_error(&d, R, 6, 10, "unknown verdict `gud`: expected one of good, bad");
    assert_eq!(d.hint.as_deref(), Some("did you mean `good`?"));
}

#[test]
fn answered_and_disputed_questions_need_an_answer() {
    let d = only_error(R, &review("questions:\n  - ask: Why?\n    status: answered\n"));
    assert_error(&d, R, 9, 13, "question 1 is `answered` but has no `answer`");
    let d = only_error(R, &review("questions:\n  - ask: Why?\n    status: closed\n"));
    assert_error(&d, R, 9, 13, "unknown value `closed`");
}

#[test]
fn dates_must_be_real() {
    let d = only_error(R, &review("").replace("2026-11-10", "2026-02-30"));
    assert_error(&d, R, 5, 7, "invalid date `2026-02-30`: expected a real date written YYYY-MM-DD");
    let d = only_error(R, &review("updated: 2026-11-01\n"));
    assert_error(&d, R, 7, 10, "`updated` (2026-11-01) is before `date` (2026-11-10)");
}

#[test]
fn unknown_keys_suggest_the_closest_known_key() {
    let d = only_error(R, &review("auther: B\n"));
    assert_error(&d, R, 7, 1, "unknown key `auther`");
    // `author` is already given: the key left to mean is `authors`.
    assert_eq!(d.hint.as_deref(), Some("did you mean `authors`?"));
    let d = only_error("content/projects/p.md", "---\nname: P\nsumary: S\n---\n");
    assert_error(&d, "content/projects/p.md", 3, 1, "unknown key `sumary`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `summary`?"));
}

#[test]
fn toml_front_matter_errors_are_positioned_too() {
    let text = "+++\ntitle = \"T\"\nproject = \"nope\"\nauthor = \"A\"\ndate = 2026-11-10\nverdict = \"good\"\n+++\n";
    let d = only_error(R, text);
    assert_error(&d, R, 3, 11, "unknown project `nope`");
    assert_eq!(
        d.hint.as_deref(),
        Some("create it with `critique new project \"nope\"`"),
        "nothing close: not written yet?"
    );
    let d = only_error(R, &text.replace("project = \"nope\"", "project = \"widget\"\nscore = 3"));
    assert_error(&d, R, 4, 1, "unknown key `score`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `scores`?"));
}

#[test]
fn toml_positions_come_from_the_value_not_from_similar_text() {
    let text = "+++\ntitle = \"cost matters for widgets\"\nproject = \"widget\"\nauthor = \"A\"\ndate = 2026-11-10\nverdict = \"good\"\nscores = { speed = 3, cost = 11 }\n\n[[questions]]\nask = \"fast?\"\nclaim = \"fast\"\n\n[[questions]]\nask = \"really?\"\nclaim = \"fas\"\n+++\n";
    let site = SiteTest::fixture("basic");
    site.write(R, text);
    let errors = site.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_error(&errors[0], R, 7, 30, "score `cost` (Cheaper) is 11");
    assert_error(&errors[1], R, 15, 9, "unknown claim `fas`");
}

#[test]
fn a_review_of_a_broken_project_is_still_checked() {
    let site = SiteTest::fixture("basic");
    site.write("content/projects/widget.md", "---\nname: Widget\nsumary: x\n---\n");
    site.write(R, review("scores: { cost: 33 }\n").replace("verdict: good", "verdict: gud"));
    let shown: Vec<String> = site.errors().iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert!(shown[0].starts_with(
        "content/projects/widget.md:3:1: error[front-matter]: invalid front matter: unknown key `sumary`"
    ));
    assert!(shown[1].starts_with("content/reviews/x.md:6:10: error[content]: unknown verdict `gud`"), "{}", shown[1]);
    assert!(
        shown[2].starts_with("content/reviews/x.md:7:17: error[content]: score `cost` (Cheaper) is 33"),
        "{}",
        shown[2]
    );
}

#[test]
fn unreadable_files_get_clear_messages() {
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/latin1.md", b"---\ntitle: caf\xe9\n---\n");
    site.write("content/reviews/binary.md", b"\x89PNG\r\n\x1a\n\0\0\0");
    site.write("content/reviews/empty.md", "");
    site.write("content/reviews/bare.md", "title: no fences\n");
    site.write("content/reviews/open.md", "---\ntitle: never closed\n");
    let errors = site.errors();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 5, "{shown:#?}");
    assert!(shown[0].starts_with("content/reviews/bare.md:1:1: error[front-matter]: no front matter"), "{}", shown[0]);
    assert!(shown[1].starts_with("content/reviews/binary.md:3:1: error[file]: binary file"), "{}", shown[1]);
    assert!(shown[2].starts_with("content/reviews/empty.md: error[front-matter]: empty file"), "{}", shown[2]);
    assert!(shown[3].starts_with("content/reviews/latin1.md:2:11: error[file]: invalid UTF-8"), "{}", shown[3]);
    assert!(
        shown[4].starts_with("content/reviews/open.md:1:1: error[front-matter]: front matter is never closed"),
        "{}",
        shown[4]
    );
}

#[test]
fn file_names_and_slugs_are_checked() {
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/Bad Name.md", review(""));
    site.write("content/reviews/2026/first-look.md", review(""));
    site.write("content/pages/projects.md", "---\ntitle: Clash\n---\n");
    site.write("content/reviews/photo.png", "png");
    site.write("content/blog/post.md", review(""));
    let shown: Vec<String> = site.errors().iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 5, "{shown:#?}");
    let expected = [
        "content/blog/post.md: error[file]: file outside a content section",
        "content/pages/projects.md: error[content]: page name `projects` is taken",
        "content/reviews/Bad Name.md: error[file]: file name `Bad Name` is not a slug",
        "content/reviews/first-look.md: error[file]: duplicate slug `first-look`: content/reviews/2026/first-look.md already has it",
        "content/reviews/photo.png: error[file]: not a Markdown file",
    ];
    for (shown, expected) in shown.iter().zip(expected) {
        assert!(shown.starts_with(expected), "expected `{expected}` in:\n{shown}");
    }
    assert!(shown[2].ends_with("help: rename it to `bad-name.md`"), "{}", shown[2]);
}

#[test]
fn a_static_file_cannot_take_a_generated_folder() {
    let d = only_error("static/projects", "a file where a folder of pages goes");
    assert_error(&d, "static/projects", 0, 0, "`projects` would be both a file and a folder of the output");
}

/// A static file that takes a data file's path fails the build before anything is written,
/// even when its bytes equal the previous output's file (which staging hard-links).
#[test]
fn a_static_file_taking_a_data_file_path_leaves_the_previous_output_as_it_was() {
    let site = SiteTest::fixture("basic");
    site.build();
    let before = tree(&site.public());
    site.write("static/robots.txt", site.read("robots.txt"));
    let other = critique::SiteOptions { base_url: Some("https://other.test/".into()), ..SiteTest::options() };
    let errors = match site.build_with(other, None) {
        Err(critique::cmd::build::BuildError::Content(d)) => d.0,
        other => panic!("expected a clash, got {other:?}"),
    };
    assert!(errors.iter().any(|e| e.message.contains("same path as a generated page")), "{errors:?}");
    assert_eq!(tree(&site.public()), before, "the previous output is untouched");
}

#[test]
fn duplicate_claim_ids_are_errors() {
    let d = only_error(
        "content/projects/p.md",
        "---\nname: P\nsummary: S\nclaims:\n  - id: a\n    text: A\n  - id: a\n    text: B\n---\n",
    );
    assert_error(&d, "content/projects/p.md", 7, 9, "claim id `a` is used twice");
}

#[test]
fn config_errors_name_the_key() {
    let site = SiteTest::fixture("basic");
    site.write("critique.toml", "title = \"x\"\nbase_ulr = \"https://a.test/\"\n");
    let errors = site.errors();
    assert_error(&errors[0], "critique.toml", 2, 1, "unknown key `base_ulr`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `base_url`?"));
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let d = only_error(
        "templates/review.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ review.title | }}\n{% endblock content %}\n",
    );
    assert_error(&d, "templates/review.html", 3, 19, "template error");
    let d = only_error(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n  {{ page_title_typo }}\n{% endblock content %}\n",
    );
    assert_error(&d, "templates/page.html", 4, 6, "template error");
    // A listing partial is rendered once per review or question: its failure is told once.
    let d = only_error("templates/partials/review_card.html", "<article>\n  {{ card.no_such_field }}\n</article>\n");
    assert_error(&d, "templates/partials/review_card.html", 2, 11, "Field `no_such_field` is not defined");
}

#[test]
fn template_load_errors_name_the_template_too() {
    let cases = [
        (
            "{% extends \"base.html\" %}\n{% block content %}\n\n  {{ review.title | nosuchfilter }}\n{% endblock content %}\n",
            4,
            21,
            "Unknown filter `nosuchfilter`",
        ),
        ("\n{% include \"partials/nope.html\" %}\n", 2, 12, "Unknown template `partials/nope.html`"),
        ("{% extends \"nope.html\" %}\n", 1, 1, "extends `nope.html`, which is not a template"),
    ];
    for (text, line, col, message) in cases {
        let d = only_error("templates/review.html", text);
        assert_error(&d, "templates/review.html", line, col, message);
    }
}

#[test]
fn every_error_of_every_file_is_reported_together() {
    let site = SiteTest::fixture("basic");
    site.write("content/reviews/a.md", review("").replace("widget", "nothing"));
    site.write("content/reviews/b.md", review("scores: { cost: -1 }\n"));
    site.write("content/reviews/c.md", "no front matter");
    site.write("content/projects/p.md", "---\nname: P\n---\n");
    let errors = site.errors();
    let files: Vec<String> = errors.iter().map(|d| d.path.to_string_lossy().into_owned()).collect();
    assert_eq!(
        files,
        ["content/projects/p.md", "content/reviews/a.md", "content/reviews/b.md", "content/reviews/c.md"]
    );
    let summary = &errors[0];
    assert!(summary.message.contains("missing `summary`"), "{summary}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::fixture("basic");
    site.build();
    let before = tree(&site.public());
    site.write("content/reviews/first-look.md", review("").replace("verdict: good", "verdict: ???"));
    site.errors();
    assert_eq!(tree(&site.public()), before);
    let leftovers: Vec<String> = std::fs::read_dir(&site.root)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".critique")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Each of the usual YAML mistakes gets its own `help:` line, at the line of the mistake.
#[test]
fn every_yaml_mistake_gets_a_help_line() {
    let cases: [(&str, &str, usize, &str); 8] = [
        (
            "unquoted colon",
            &review("").replace("title: T", "title: Arweave: a long bet"),
            2,
            "must be quoted: `title: \"Arweave: a long bet\"`",
        ),
        ("indented too far", &review("scores:\n  cost: 3\n   speed: 4\n"), 9, "`speed` is indented more than `cost`"),
        (
            "indented too little",
            &review("scores:\n   cost: 3\n  speed: 4\n"),
            9,
            "`speed` lines up with no key above it",
        ),
        ("a tab", &review("scores:\n\tcost: 3\n"), 8, "indent with spaces"),
        ("text for a score", &review("scores: { cost: high }\n"), 7, "write it as `cost: 5`"),
        (
            "a question as a string",
            &review("questions:\n  - Who controls upgrades?\n"),
            8,
            "`- ask: Who controls upgrades?`",
        ),
        ("a word for a list", &review("tags: speed\n"), 7, "`tags: [speed]`"),
        ("a word for a block", "---\nname: P\nsummary: S\ngovernance: a DAO\n---\n", 4, "`governance: { upgrades:"),
    ];
    for (mistake, text, line, help) in cases {
        let path = if text.contains("name: P") { "content/projects/p.md" } else { R };
        let d = only_error(path, text);
        assert_eq!(d.line, line, "{mistake}: {d}");
        assert!(d.hint.as_deref().is_some_and(|h| h.contains(help)), "{mistake}: expected help `{help}` in:\n{d}");
    }
    let d = only_error(R, &review("scores: { cost: high }\n"));
    assert_eq!(
        d.message, "score `cost` (Cheaper) is not a number: expected a number from 0 to 10",
        "the axis and the scale"
    );
}

/// `token: OPG` reads as `token: { symbol: OPG }`.
#[test]
fn a_bare_token_is_its_symbol() {
    let site = SiteTest::fixture("basic");
    site.write("content/projects/p.md", "---\nname: P\nsummary: S\ntoken: OPG\n---\n");
    site.build();
    assert!(site.read("projects/p/index.html").contains("OPG"));
}

/// Every unknown, misspelt and missing key of a file is reported by one build, and a missing
/// `verdict` lists the verdicts.
#[test]
fn every_key_problem_of_a_file_is_reported_at_once() {
    let site = SiteTest::fixture("basic");
    site.write(R, "---\ntitel: T\nproject: widget\nauthr: A\ndate: tomorrow\nshiny: yes\nquestions:\n  - ask: Q\n    statsu: open\n---\nBody.\n");
    let shown: Vec<String> = site.errors().iter().map(ToString::to_string).collect();
    let all = shown.join("\n");
    for expected in [
        "x.md:2:1: error[front-matter]: invalid front matter: unknown key `titel`",
        "help: did you mean `title`?",
        "x.md:4:1: error[front-matter]: invalid front matter: unknown key `authr`",
        "help: did you mean `author`?",
        "x.md:5:7: error[front-matter]: invalid front matter: invalid date `tomorrow`",
        "x.md:6:1: error[front-matter]: invalid front matter: unknown key `shiny`",
        "x.md:9:5: error[front-matter]: invalid front matter: unknown key `statsu`",
        "help: did you mean `status`?",
        "x.md:2:1: error[front-matter]: invalid front matter: missing `verdict`",
    ] {
        assert!(all.contains(expected), "expected `{expected}` in:\n{all}");
    }
    assert_eq!(shown.len(), 6, "{all}");
    site.write(R, review("").replace("verdict: good\n", ""));
    let d = site.errors().into_iter().next().expect("an error");
    assert_eq!(d.message, "missing `verdict`: expected one of good, bad", "{d}");
}

/// No error a writer sees names a Rust type or a serde term.
#[test]
fn no_rust_or_serde_words_reach_a_writer() {
    let site = SiteTest::fixture("basic");
    let bad_values = [
        "draft: maybe\n",
        "scores: [1, 2]\n",
        "scores: { cost: [1] }\n",
        "tags: { a: b }\n",
        "questions: { ask: Q }\n",
        "questions:\n  - ask: [Q]\n",
        "questions:\n  - ask: Q\n    status: closed\n",
        "revisions:\n  - date: 2026-11-12\n",
        "revisions: 3\n",
        "updated: 7\n",
        "title: [a]\n",
    ];
    for (i, extra) in bad_values.iter().enumerate() {
        site.write(&format!("content/reviews/bad-{i}.md"), review(extra).replace("title: T\n", ""));
    }
    site.write("content/projects/bad.md", "---\nname: [P]\nsummary: 3\nclaims: { id: x }\ntoken: [1]\n---\n");
    site.write("critique.toml", "title = 1\nmin_reviews = -1\nfeed_limit = \"many\"\n");
    let errors = site.errors();
    assert!(errors.len() >= 2, "{errors:#?}");
    site.write("critique.toml", "");
    let errors: Vec<String> = [errors, site.errors()].concat().iter().map(ToString::to_string).collect();
    let all = errors.join("\n");
    for word in [
        "usize",
        "u32",
        "u64",
        "i64",
        "f64",
        "variant",
        "serde",
        "struct",
        "sequence",
        "floating point",
        "invalid type",
        "field `",
        "map,",
        "a map",
        "boolean",
        "unit value",
    ] {
        assert!(!all.contains(word), "`{word}` reached a writer:\n{all}");
    }
}

/// A link to a review the build leaves out (dated in the future, or a draft) is broken in
/// that output, and the error says why and what to do rather than guess at a typo.
#[test]
fn a_link_to_a_review_left_out_says_why() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/reviews/later.md",
        review("").replace("title: T", "title: Later").replace("2026-11-10", "2026-12-24"),
    );
    site.write(R, format!("{}See [the later one](later.md) and [the draft](unfinished.md).\n", review("")));
    let errors = site.errors();
    let hints: Vec<&str> = errors.iter().filter_map(|d| d.hint.as_deref()).collect();
    assert_eq!(
        hints,
        [
            "content/reviews/later.md is dated in the future, and published on its day: link to it once it is published, or build with `--future`",
            "content/reviews/unfinished.md is a draft, left out of this build: link to it once it is published, or build with `--drafts`",
        ],
        "{errors:#?}"
    );
    let all = critique::SiteOptions { drafts: true, future: true, ..SiteTest::options() };
    site.build_with(all, None).expect("with both included, the links lead somewhere");
}

/// Re-reading a block after an entry is set aside neither invents errors (a value that goes
/// on at the first column) nor stops at a key given twice.
#[test]
fn setting_entries_aside_keeps_to_what_was_written() {
    let site = SiteTest::fixture("basic");
    site.write(R, review("bogus: [a,\nb]\ndraft: 7\n"));
    let shown: Vec<String> = site.errors().iter().map(|d| format!("{}:{} {}", d.line, d.col, d.message)).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    assert!(shown[0].starts_with("7:1 invalid front matter: unknown key `bogus`"), "{shown:#?}");
    assert!(shown[1].starts_with("9:8 invalid front matter: invalid value: expected true or false"), "{shown:#?}");
    site.write(R, review("verdict: bad\nbogus: 1\ndraft: 7\n"));
    let shown: Vec<String> = site.errors().iter().map(|d| d.message.clone()).collect();
    assert_eq!(shown.len(), 3, "the duplicate and what follows it: {shown:#?}");
}

/// `revisit_by` before the review's own date is a mistake, not a review stale from the start.
#[test]
fn revisit_by_is_not_before_the_date() {
    let d = only_error(R, &review("revisit_by: 2026-11-01\n"));
    assert_error(&d, R, 7, 13, "`revisit_by` (2026-11-01) is before `date` (2026-11-10)");
}
