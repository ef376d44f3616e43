//! The command line as a writer meets it: which site a command works on.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::SiteTest;

/// `critique ARGS` run in `dir`.
fn critique_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_critique")).args(args).current_dir(dir).output().expect("run critique")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Run from a folder inside the site, each command finds the site above it: the output goes
/// into the site's `public/`, never into the content.
#[test]
fn commands_run_inside_a_site_work_on_the_site_above() {
    let site = SiteTest::fixture("basic");
    let reviews = site.root.join("content/reviews");
    let built = critique_in(&reviews, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(site.public().join("index.html").is_file());
    assert!(!reviews.join("public").exists(), "no output inside the content");
    let checked = critique_in(&reviews, &["check"]);
    assert_ne!(checked.status.code(), Some(2), "{}", stderr(&checked));
    assert!(!stderr(&checked).contains("no critique site"), "{}", stderr(&checked));
    let created = critique_in(&reviews, &["new", "project", "Found Upward"]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(site.root.join("content/projects/found-upward.md").is_file());
}

/// Outside any site, every command that needs one refuses and says how to make or name one;
/// nothing is written.
#[test]
fn commands_run_outside_a_site_refuse_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    if empty.ancestors().skip(1).any(|a| a.join("critique.toml").is_file() || a.join("content").is_dir()) {
        eprintln!(
            "skipped commands_run_outside_a_site_refuse_and_write_nothing: a folder above the temp folder is a site"
        );
        return;
    }
    for args in [&["build"][..], &["check"], &["new", "project", "X"], &["new", "review", "x", "T"]] {
        let output = critique_in(&empty, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains("no critique site in"), "{args:?}: {message}");
        assert!(message.contains("critique init"), "{args:?}: {message}");
    }
    assert_eq!(std::fs::read_dir(&empty).expect("read").count(), 0, "nothing written");
}

/// A site can be named: `critique build SITE`, or `--root SITE` before or after the command; a
/// folder named must be a site, and one site is named once.
#[test]
fn a_site_is_named_positionally_or_with_root_anywhere() {
    let site = SiteTest::fixture("basic");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let root = site.root.to_string_lossy().into_owned();
    for args in [vec!["build", root.as_str()], vec!["--root", &root, "build"], vec!["build", "--root", &root]] {
        std::fs::remove_dir_all(site.public()).ok();
        let output = critique_in(elsewhere.path(), &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(site.public().join("index.html").is_file(), "{args:?}");
    }
    let checked = critique_in(elsewhere.path(), &["check", &root]);
    assert!(!stderr(&checked).contains("not a critique site"), "{}", stderr(&checked));
    let not_a_site = critique_in(site.root.as_path(), &["build", &elsewhere.path().to_string_lossy()]);
    assert_eq!(not_a_site.status.code(), Some(1));
    assert!(stderr(&not_a_site).contains("is not a critique site"), "{}", stderr(&not_a_site));
    let twice = critique_in(elsewhere.path(), &["--root", &root, "build", "content"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("named twice"), "{}", stderr(&twice));
}

/// `serve` outside a site refuses at once rather than serving an empty site.
#[cfg(feature = "serve")]
#[test]
fn serve_outside_a_site_refuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    if dir.path().ancestors().skip(1).any(|a| a.join("critique.toml").is_file() || a.join("content").is_dir()) {
        eprintln!("skipped serve_outside_a_site_refuses: a folder above the temp folder is a site");
        return;
    }
    let output = critique_in(dir.path(), &["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no critique site in"), "{}", stderr(&output));
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The flags people know from other tools: short forms, `--version`, `--quiet`, `--verbose`.
#[test]
fn short_flags_version_quiet_and_verbose() {
    let site = SiteTest::fixture("basic");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let root = site.root.to_string_lossy().into_owned();
    let out = elsewhere.path().join("out");
    let built = critique_in(elsewhere.path(), &["-r", &root, "build", "-o", &out.to_string_lossy(), "-D", "-q"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stdout(&built).is_empty(), "quiet: {}", stdout(&built));
    assert!(out.join("index.html").is_file());
    let verbose = critique_in(&site.root, &["build", "-v"]);
    assert!(stdout(&verbose).contains("Built ") && stdout(&verbose).contains("parse"), "{}", stdout(&verbose));
    let checked = critique_in(&site.root, &["-v", "check"]);
    assert!(stderr(&checked).starts_with("Checked "), "{}", stderr(&checked));
    let version = critique_in(elsewhere.path(), &["--version"]);
    assert!(stdout(&version).starts_with("critique "), "{}", stdout(&version));
    let both = critique_in(&site.root, &["build", "-q", "-v"]);
    assert_eq!(both.status.code(), Some(2), "quiet and verbose at once is a usage error");
}

/// `critique completions SHELL` prints a script that completes the commands.
#[test]
fn completions_are_printed_for_each_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = critique_in(dir.path(), &["completions", shell]);
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        assert!(script.contains("critique") && script.contains("build") && script.contains("check"), "{shell}");
        assert_eq!(script.contains("serve"), cfg!(feature = "serve"), "{shell}");
    }
}

/// `new page`, `new review` naming the project as the writer knows it, and `init` naming the
/// next steps.
#[test]
fn new_page_review_by_name_and_inits_next_steps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = critique_in(dir.path(), &["init", "site"]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stdout(&made).contains("critique serve site"), "{}", stdout(&made));
    let site = dir.path().join("site");
    let page = critique_in(&site, &["new", "page", "How We Score"]);
    assert!(page.status.success(), "{}", stderr(&page));
    assert!(site.join("content/pages/how-we-score.md").is_file());
    let taken = critique_in(&site, &["new", "page", "Projects"]);
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr(&taken).contains("/projects/"), "{}", stderr(&taken));
    let project = critique_in(&site, &["new", "project", "Commons Inference"]);
    assert!(project.status.success(), "{}", stderr(&project));
    let review = critique_in(&site, &["new", "review", "Commons Inference", "Counting its servers"]);
    assert!(review.status.success(), "{}", stderr(&review));
    let text = std::fs::read_to_string(site.join("content/reviews/counting-its-servers.md")).expect("review");
    assert!(text.contains("project: commons-inference\n"), "{text}");
    // `init` requires a disclosure: the writer says it before the draft builds.
    let said = text.replace("# disclosure: ", "disclosure: ");
    std::fs::write(site.join("content/reviews/counting-its-servers.md"), said).expect("write");
    let built = critique_in(&site, &["build", "-D"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(site.join("public/how-we-score/index.html").is_file());
}

/// A build for this machine's address warns (its feeds and sitemap would lead there once
/// deployed); one for a real address does not.
#[test]
fn building_for_a_local_base_url_warns() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(critique_in(dir.path(), &["init", "site"]).status.success());
    let site = dir.path().join("site");
    for _ in 0..2 {
        // The second build finds its output up to date, and still says so.
        let built = critique_in(&site, &["build"]);
        assert!(built.status.success(), "{}", stderr(&built));
        assert!(
            stderr(&built).contains("warning: base_url `http://127.0.0.1:1111/` is this machine"),
            "{}",
            stderr(&built)
        );
    }
    let real = critique_in(&site, &["build", "--base-url", "https://reviews.example.org/"]);
    assert!(real.status.success() && !stderr(&real).contains("warning"), "{}", stderr(&real));
}

/// A date with a time, as Hugo and Zola front matter has it, is the day written.
#[test]
fn dates_with_a_time_are_the_day_written() {
    let site = SiteTest::fixture("basic");
    let path = site.root.join("content/reviews/second-look.md");
    let text = std::fs::read_to_string(&path).expect("review");
    let date = text.lines().find(|l| l.starts_with("date:")).expect("a date line").to_string();
    site.write("content/reviews/second-look.md", text.replace(&date, &format!("{date}T10:00:00+02:00")));
    let built = critique_in(&site.root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let day = date.trim_start_matches("date:").trim();
    let page = std::fs::read_to_string(site.public().join("reviews/second-look/index.html")).expect("page");
    assert!(page.contains(day), "the page shows {day}");
}

/// A build says how many drafts it left out and which, and how to include them.
#[test]
fn a_build_says_which_drafts_it_left_out() {
    let site = SiteTest::fixture("basic");
    let built = critique_in(&site.root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stdout(&built)
            .contains("Left out 1 draft (content/reviews/unfinished.md); `critique build --drafts` includes it."),
        "{}",
        stdout(&built)
    );
    let with_drafts = critique_in(&site.root, &["build", "--drafts"]);
    assert!(!stdout(&with_drafts).contains("Left out"), "{}", stdout(&with_drafts));
}

/// `theme eject` copies the built-in templates and stylesheets into the site, which then builds
/// byte for byte as before; named files alone, never over the site's own, nothing for an
/// unknown name.
#[test]
fn an_ejected_theme_builds_the_same_site() {
    let site = SiteTest::fixture("basic");
    let before = critique_in(&site.root, &["build", "-o", "../before"]);
    assert!(before.status.success(), "{}", stderr(&before));
    let ejected = critique_in(&site.root, &["theme", "eject"]);
    assert!(ejected.status.success(), "{}", stderr(&ejected));
    assert!(site.root.join("templates/review.html").is_file() && site.root.join("static/style.css").is_file());
    assert!(site.root.join("templates/partials/review_card.html").is_file());
    let after = critique_in(&site.root, &["build", "-o", "../after"]);
    assert!(after.status.success(), "{}", stderr(&after));
    let parent = site.root.parent().expect("parent");
    let (a, b) = (crate::support::tree(&parent.join("before")), crate::support::tree(&parent.join("after")));
    let differ: Vec<&String> = a.iter().zip(&b).filter(|(x, y)| x != y).map(|(x, _)| &x.0).collect();
    assert!(a.len() == b.len() && differ.is_empty(), "{differ:?}");
    let again = critique_in(&site.root, &["theme", "eject", "review.html"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let fresh = SiteTest::fixture("basic");
    let one = critique_in(&fresh.root, &["theme", "eject", "search.js", "templates/home.html", "home.html"]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert!(fresh.root.join("static/search.js").is_file() && fresh.root.join("templates/home.html").is_file());
    assert!(!fresh.root.join("templates/review.html").exists());
    let unknown = critique_in(&fresh.root, &["theme", "eject", "nope.html"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("not a file of the built-in theme"), "{}", stderr(&unknown));
}

/// `init` inside a site (its content, say) refuses rather than making a site inside a site.
#[test]
fn init_inside_a_site_refuses() {
    let site = SiteTest::fixture("basic");
    let inside = site.root.join("content/reviews");
    let output = critique_in(&inside, &["init"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("this is inside the site at"), "{}", stderr(&output));
    assert!(!inside.join("critique.toml").exists());
    let named = critique_in(&site.root, &["init", "content/new-site"]);
    assert_eq!(named.status.code(), Some(1), "{}", stderr(&named));
}

/// A review dated in the future: `build` leaves it out and says so (`--future` includes it),
/// `check` checks it, and `list future` names it.
#[test]
fn a_review_dated_in_the_future_waits_for_its_day() {
    let site = SiteTest::fixture("basic");
    let future =
        "---\ntitle: Next year\nproject: widget\nauthor: Ada Reviewer\ndate: 2999-01-01\nverdict: good\n---\nLater.\n";
    site.write("content/reviews/next-year.md", future);
    let built = critique_in(&site.root, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stdout(&built).contains(
            "Left out 1 review dated in the future (content/reviews/next-year.md); `critique build --future` includes it."
        ),
        "{}",
        stdout(&built)
    );
    assert!(!site.public().join("reviews/next-year/index.html").exists(), "not published");
    let with_future = critique_in(&site.root, &["build", "-F"]);
    assert!(with_future.status.success(), "{}", stderr(&with_future));
    assert!(!stdout(&with_future).contains("in the future"), "{}", stdout(&with_future));
    let page = site.html("reviews/next-year/index.html");
    assert_eq!(page.texts(".kicker .badge"), ["Future-dated"], "marked on its page");

    let listed = critique_in(&site.root, &["list", "future"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(stdout(&listed), "2999-01-01  content/reviews/next-year.md  future  Next year\n");
    let drafts = critique_in(&site.root, &["list", "drafts"]);
    assert_eq!(stdout(&drafts), "2026-11-20  content/reviews/unfinished.md  draft  Unfinished thoughts\n");
    // The site named, with or without a listing.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let root = site.root.to_string_lossy().into_owned();
    let named = critique_in(elsewhere.path(), &["list", "drafts", &root]);
    assert_eq!(stdout(&named), stdout(&drafts), "{}", stderr(&named));
    let all = critique_in(elsewhere.path(), &["list", &root]);
    assert!(stdout(&all).contains("  published  "), "{}", stderr(&all));
    assert_eq!(critique_in(elsewhere.path(), &["list", "drafs", &root]).status.code(), Some(2));

    site.write("content/reviews/next-year.md", future.replace("verdict: good", "verdict: splendid"));
    assert!(critique_in(&site.root, &["build"]).status.success(), "build leaves it out");
    let checked = critique_in(&site.root, &["check"]);
    assert!(!checked.status.success(), "check checks it");
    assert!(stdout(&checked).contains("unknown verdict `splendid`"), "{}", stdout(&checked));
    assert!(stdout(&checked).contains("dated in the future"), "{}", stdout(&checked));
}

/// `list stale` names the reviews past `revisit_by`, or `[freshness] stale_after_days` after
/// their last date (an update or revision counts).
#[test]
fn list_stale_names_the_reviews_due_for_another_look() {
    let site = SiteTest::fixture("basic");
    let review = |slug: &str, extra: &str| {
        let text = format!(
            "---\ntitle: {slug}\nproject: widget\nauthor: Ada Reviewer\ndate: 2020-01-01\nverdict: good\n{extra}---\nOld.\n"
        );
        site.write(&format!("content/reviews/{slug}.md"), text);
    };
    review("old", "");
    review("updated", "updated: 2026-11-01\n");
    review("revisit-soon", "updated: 2026-11-01\nrevisit_by: 2026-11-02\n");
    // On 2026-12-01, whatever the clock says.
    let listed = Command::new(env!("CARGO_BIN_EXE_critique"))
        .args(["list", "stale"])
        .current_dir(&site.root)
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .output()
        .expect("run critique");
    assert!(listed.status.success(), "{}", stderr(&listed));
    let out = stdout(&listed);
    assert!(out.contains("content/reviews/old.md  stale after 2020-12-31  old"), "{out}");
    assert!(out.contains("content/reviews/revisit-soon.md  stale after 2026-11-02"), "{out}");
    assert!(!out.contains("updated.md"), "updated within a year: {out}");
}

/// `check` reports the text `init` and `new` wrote for the writer to replace (`placeholder`
/// warnings, failing `--strict`), and stops once it is replaced.
#[test]
fn placeholders_left_by_init_and_new_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(critique_in(dir.path(), &["init", "site"]).status.success());
    let site = dir.path().join("site");
    assert!(critique_in(&site, &["new", "project", "Commons Inference"]).status.success());
    assert!(
        critique_in(&site, &["new", "review", "commons-inference", "Counting servers", "--author", "Bo"])
            .status
            .success()
    );
    // Published as it was scaffolded (a draft's own warnings wait until it is published).
    let review = site.join("content/reviews/counting-servers.md");
    let text = std::fs::read_to_string(&review).expect("review");
    std::fs::write(&review, text.replace("draft: true", "draft: false").replace("# disclosure: ", "disclosure: "))
        .expect("write");
    let checked = critique_in(&site, &["check", "--strict", "--format", "json"]);
    assert!(!checked.status.success(), "placeholders fail a strict check");
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).expect("json");
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "placeholder")
        .map(|f| {
            (f["path"].as_str().unwrap_or_default().to_string(), f["message"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let has = |path: &str, message: &str| found.iter().any(|(p, m)| p == path && m.contains(message));
    assert!(has("content/projects/example-network.md", "example project"), "{found:#?}");
    assert!(has("content/reviews/a-first-look.md", "`author` is still the placeholder `Your Name`"), "{found:#?}");
    assert!(
        has("content/reviews/a-first-look.md", "\"Quote the claims, then test them.\" is placeholder text"),
        "{found:#?}"
    );
    assert!(has("content/projects/commons-inference.md", "`summary` is still the placeholder"), "{found:#?}");
    for page in ["methodology", "corrections", "funding"] {
        assert!(has(&format!("content/pages/{page}.md"), "is placeholder text"), "{page}: {found:#?}");
    }
    assert!(has("content/projects/commons-inference.md", "a claim's `text` is still the placeholder"), "{found:#?}");
    assert!(has("content/reviews/counting-servers.md", "the question is still the placeholder"), "{found:#?}");
    assert!(!has("content/reviews/counting-servers.md", "`author`"), "a named author: {found:#?}");
    // Written over, nothing is left.
    std::fs::remove_file(site.join("content/projects/example-network.md")).expect("rm");
    std::fs::remove_file(site.join("content/reviews/a-first-look.md")).expect("rm");
    for page in ["methodology", "corrections", "funding"] {
        std::fs::write(
            site.join(format!("content/pages/{page}.md")),
            format!("---\ntitle: {page}\n---\nOur own words.\n"),
        )
        .expect("write");
    }
    std::fs::write(
        site.join("content/projects/commons-inference.md"),
        "---\nname: Commons Inference\nsummary: A cooperative of GPU owners.\nclaims:\n  - id: main-claim\n    text: Members run it.\n---\nA co-op.\n",
    )
    .expect("write");
    std::fs::write(
        site.join("content/reviews/counting-servers.md"),
        "---\ntitle: Counting servers\nproject: commons-inference\nauthor: Bo\ndate: 2026-11-20\nverdict: unproven\ndisclosure: { holdings: none }\nquestions:\n  - ask: How many members run servers?\n    claim: main-claim\n---\nI counted.\n",
    )
    .expect("write");
    let again = critique_in(&site, &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).expect("json");
    let left: Vec<&serde_json::Value> =
        report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == "placeholder").collect();
    assert!(left.is_empty(), "{left:#?}");
}
