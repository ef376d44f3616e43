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
