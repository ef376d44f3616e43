//! What a file's name or `--output` can make the writer touch: nothing outside the output
//! folder, and no folder that is not empty or an earlier build.

use std::fs;
use std::path::{Path, PathBuf};

use critique::cmd::build::BuildError;
#[cfg(feature = "serve")]
use critique::serve::session::Session;

use crate::support::SiteTest;

/// Static file names that would leave the output folder, or take the output's marker.
const HOSTILE_NAMES: [&str; 7] = [
    "..\\..\\..\\victim.txt",
    "..\\victim.txt",
    "\\tmp\\critique-victim.txt",
    "a\\..\\..\\victim.txt",
    "C:victim.txt",
    "ctl\u{1}name.txt",
    ".critique-output",
];

/// Everything under `dir` but the site (`skip`), with its bytes: what a build must not touch.
fn outside(dir: &Path, skip: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.path() != skip)
        .flatten()
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap_or_default()))
        .collect();
    files.sort();
    files
}

fn parent(site: &SiteTest) -> PathBuf {
    site.root.parent().expect("the site has a parent").to_path_buf()
}

#[test]
fn a_static_name_that_would_leave_the_output_is_refused_and_nothing_outside_is_written() {
    for name in HOSTILE_NAMES {
        let site = SiteTest::fixture("basic");
        fs::write(parent(&site).join("victim.txt"), "keep").expect("victim");
        let before = outside(&parent(&site), &site.root);
        site.write(&format!("static/{name}"), "attack");
        let errors = site.errors();
        let shown = format!("static/{name}");
        assert!(
            errors.iter().any(|e| e.path == Path::new(&shown) && e.message.starts_with("cannot publish this file")),
            "{name:?}: {errors:?}"
        );
        assert!(!site.public().exists(), "{name:?}: no output");
        assert_eq!(outside(&parent(&site), &site.root), before, "{name:?}: nothing outside the site changed");
        assert!(!Path::new("/tmp/critique-victim.txt").exists());
    }
}

#[test]
fn the_binary_names_the_file_and_fails() {
    let site = SiteTest::fixture("basic");
    site.write("static/..\\..\\x.txt", "attack");
    let run = site.run_cli(&["build"]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("static/..\\..\\x.txt: error[file]: cannot publish this file: its name holds a `\\`"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_cannot_add_lines_to_the_report() {
    // A stranger's file name must not forge a diagnostic line in a CI log.
    let site = SiteTest::fixture("basic");
    let forged = "content/reviews/ok.md:1:1: error[unsafe-html]: forged";
    site.write(&format!("content/reviews/x\n{forged}\r\u{1b}[2K.md"), "---\ntitle: x\n---\n");
    for command in ["build", "check"] {
        let run = site.run_cli(&[command]);
        assert!(!run.status.success(), "{command}");
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
        assert!(stderr.lines().all(|line| !line.trim_start().starts_with(forged)), "{command}: {stderr}");
        assert!(!stderr.contains('\u{1b}') && !stderr.contains('\r'), "{command}: {stderr:?}");
        assert!(stderr.contains("x\\u{a}content/reviews/ok.md"), "{command}: the name escaped: {stderr}");
    }
}

#[cfg(feature = "serve")]
#[test]
fn serve_neither_writes_nor_removes_outside_its_output() {
    let site = SiteTest::fixture("basic");
    let (mut session, first) = Session::start(&site.root, SiteTest::options());
    assert!(first.is_ok(), "{first:?}");
    for name in HOSTILE_NAMES {
        // A victim where the name points, outside the site.
        fs::write(parent(&site).join("victim.txt"), "keep").expect("victim");
        let before = outside(&parent(&site), &site.root);
        site.write(&format!("static/{name}"), "attack");
        let saved = session.apply(&[site.root.join("static").join(name)]).expect("a rebuild");
        let errors = saved.expect_err("the name is refused");
        assert!(errors.iter().any(|e| e.message.starts_with("cannot publish this file")), "{name:?}: {errors:?}");
        fs::remove_file(site.root.join("static").join(name)).expect("remove");
        let removed = session.apply(&[site.root.join("static").join(name)]).expect("a rebuild");
        assert!(removed.is_ok(), "{name:?}: {removed:?}");
        assert_eq!(outside(&parent(&site), &site.root), before, "{name:?}: nothing outside the site changed");
        assert!(session.preview().files().iter().all(|(path, _)| critique::site_path::check(path).is_ok()));
    }
}

/// Runs `critique build --output <output>` in the site root.
fn build_into(site: &SiteTest, output: &Path) -> std::process::Output {
    site.run_cli(&["build", "--output", output.to_str().expect("utf-8")])
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).expect("list").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn dot_dot_after_a_missing_folder_cannot_reach_the_sources_or_an_unmarked_folder() {
    let site = SiteTest::fixture("basic");
    let up = parent(&site);
    fs::create_dir_all(up.join("victim/notes")).expect("victim");
    fs::write(up.join("victim/notes/keep.txt"), "keep").expect("victim");
    let before_outside = outside(&up, &site.root);
    let before_site = crate::support::tree(&site.root);
    let root = site.root.to_str().expect("utf-8");
    let refused = [
        "nosuch/../content".to_string(),
        "nosuch/deeper/../../content/reviews".to_string(),
        "nosuch/..".to_string(),
        "nosuch/../..".to_string(),
        "./nosuch/../static".to_string(),
        "nosuch/../templates/x".to_string(),
        "../site".to_string(),
        format!("{root}/nosuch/../content"),
        format!("{root}/nosuch/../../victim"),
        format!("{root}/nosuch/../../victim/notes"),
        format!("{root}/nosuch/.."),
        "nosuch/../../victim".to_string(),
    ];
    for output in &refused {
        let run = build_into(&site, Path::new(output));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{output}: {stderr}");
        assert!(stderr.contains("refusing to write the site here"), "{output}: {stderr}");
        assert_eq!(crate::support::tree(&site.root), before_site, "{output}: the site is as it was");
        assert_eq!(outside(&up, &site.root), before_outside, "{output}: nothing outside changed");
        assert_eq!(names(&up), ["site", "victim"], "{output}: nothing renamed aside or left behind");
        assert!(!site.root.join("nosuch").exists(), "{output}: no folder made for a refused output");
    }
}

#[test]
fn dot_dot_that_stays_clear_of_the_sources_builds_where_it_resolves() {
    let site = SiteTest::fixture("basic");
    let up = parent(&site);
    for (output, lands) in [
        ("nosuch/../out".to_string(), site.root.join("out")),
        ("public/../public".to_string(), site.root.join("public")),
        (format!("{}/a/b/../../built", up.display()), up.join("built")),
    ] {
        let run = build_into(&site, Path::new(&output));
        assert!(run.status.success(), "{output}: {}", String::from_utf8_lossy(&run.stderr));
        assert!(lands.join("index.html").is_file(), "{output}");
        assert!(!site.root.join("nosuch").exists() && !up.join("a").exists(), "{output}: no folder that `..` undoes");
    }
    let leftovers: Vec<String> =
        names(&site.root).into_iter().filter(|n| n.starts_with('.') && n != ".critique").collect();
    assert!(leftovers.is_empty(), "no staging or retired folders left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn an_output_through_a_link_is_checked_where_the_link_leads() {
    let site = SiteTest::fixture("basic");
    std::os::unix::fs::symlink(site.root.join("content"), site.root.join("to-content")).expect("link");
    std::os::unix::fs::symlink(site.root.join("content/reviews"), site.root.join("deep")).expect("link");
    let before = crate::support::tree(&site.root.join("content"));
    for output in ["to-content", "deep/..", "deep/../../content", "to-content/x"] {
        let err = site.build_with(SiteTest::options(), Some(site.root.join(output)));
        assert!(matches!(err, Err(BuildError::Output(_))), "{output}: {err:?}");
        assert_eq!(crate::support::tree(&site.root.join("content")), before, "{output}");
    }
}

#[cfg(unix)]
#[test]
fn a_committed_public_link_does_not_send_the_default_output_outside_the_site() {
    // A deployed build elsewhere, marked as critique's: a pull request that commits `public`
    // as a link to it must not replace it (nor make staging folders beside it).
    let site = SiteTest::fixture("basic");
    let up = parent(&site);
    fs::create_dir_all(up.join("www")).expect("www");
    fs::write(up.join("www").join(critique::output::MARKER), "").expect("marker");
    fs::write(up.join("www/index.html"), "deployed").expect("deployed");
    for target in [up.join("www"), PathBuf::from("../www"), PathBuf::from("../nosuch")] {
        let _ = fs::remove_file(site.root.join("public"));
        std::os::unix::fs::symlink(&target, site.root.join("public")).expect("link");
        let before = outside(&up, &site.root);
        let run = site.run_cli(&["build"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{}: {stderr}", target.display());
        let why = if target.ends_with("nosuch") { "cannot resolve" } else { "leads outside the site" };
        assert!(stderr.contains(why), "{}: {stderr}", target.display());
        assert_eq!(outside(&up, &site.root), before, "{}: nothing outside changed", target.display());
        assert_eq!(names(&up), ["site", "www"], "{}: nothing made beside the target", target.display());
    }
    // Given explicitly, the editor's choice stands.
    fs::remove_file(site.root.join("public")).expect("unlink");
    std::os::unix::fs::symlink("../www", site.root.join("public")).expect("link");
    let run = build_into(&site, &site.root.join("public"));
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(up.join("www/reviews").is_dir());
}

#[cfg(unix)]
#[test]
fn a_committed_output_with_links_is_neither_read_through_nor_linked_from() {
    use std::os::unix::fs::MetadataExt;
    // A pull request commits its own `public/`: a marker, and a folder link to a place outside
    // holding a file the build will also write (a guess at a secret's bytes). Comparing the new
    // file with the old one must not read through the link, nor hard-link the outside file.
    let site = SiteTest::fixture("basic");
    let up = parent(&site);
    fs::create_dir_all(up.join("home")).expect("home");
    fs::write(up.join("home/token.txt"), "hunter2\n").expect("secret");
    site.write("static/d/token.txt", "hunter2\n");
    site.write("public/.critique-output", critique::output::MARKER_TEXT);
    std::os::unix::fs::symlink(up.join("home"), site.root.join("public/d")).expect("link");
    let run = site.run_cli(&["build"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let outside = fs::metadata(up.join("home/token.txt")).expect("outside");
    assert_eq!(outside.nlink(), 1, "the outside file is not linked into the output");
    let published = fs::symlink_metadata(site.public().join("d/token.txt")).expect("published");
    assert!(published.is_file() && published.ino() != outside.ino());
    assert!(String::from_utf8_lossy(&run.stdout).contains("0 unchanged"), "nothing compared through the link");
}

#[test]
fn a_marker_that_is_not_a_file_does_not_make_a_folder_replaceable() {
    let site = SiteTest::fixture("basic");
    let precious = parent(&site).join("precious");
    fs::create_dir_all(precious.join(critique::output::MARKER)).expect("a folder named like the marker");
    fs::write(precious.join("thesis.txt"), "keep").expect("write");
    let err = site.build_with(SiteTest::options(), Some(precious.clone()));
    assert!(matches!(err, Err(BuildError::Output(_))), "{err:?}");
    assert!(precious.join("thesis.txt").is_file());
}
