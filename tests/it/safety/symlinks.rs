//! Symbolic links: followed while they stay inside the site, an error naming the link and its
//! target when they leave it, dangle or loop; named pipes and other special files reported.
//! `build`, `check` and `serve` find files the same way.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

#[cfg(feature = "serve")]
use critique::serve::session::Session;

use crate::support::SiteTest;

/// The basic fixture, with empty `static/` and `templates/` folders.
fn basic() -> SiteTest {
    let site = SiteTest::fixture("basic");
    for folder in ["static", "templates"] {
        fs::create_dir_all(site.root.join(folder)).expect("mkdir");
    }
    site
}

/// A file and a folder outside the site, holding a secret the build must not publish.
fn secrets(site: &SiteTest) -> (PathBuf, PathBuf) {
    let outside = site.root.parent().expect("parent").join("private");
    fs::create_dir_all(outside.join("folder")).expect("mkdir");
    fs::write(outside.join("secret.txt"), "SECRET-TOKEN").expect("write");
    fs::write(outside.join("folder/inner.txt"), "SECRET-TOKEN").expect("write");
    fs::write(outside.join("review.md"), fs::read(site.root.join("content/reviews/first-look.md")).expect("read"))
        .expect("write");
    fs::write(outside.join("base.html"), "SECRET-TOKEN {{ page_title }}").expect("write");
    (outside.join("secret.txt"), outside.join("folder"))
}

/// Builds and expects exactly one error about `link` that names `target`.
fn refused(site: &SiteTest, link: &str, target: &str, what: &str) {
    let errors = site.errors();
    let about: Vec<_> = errors.iter().filter(|e| e.path == Path::new(link)).collect();
    assert_eq!(about.len(), 1, "{link}: {errors:?}");
    assert!(about[0].message.contains(what) && about[0].message.contains(target), "{link}: {}", about[0].message);
    assert!(!site.public().exists(), "{link}: nothing published");
}

#[test]
fn links_that_leave_the_site_are_errors_naming_link_and_target() {
    // Each link with where it points, given the secret file and folder outside.
    type Target = fn(&Path, &Path) -> PathBuf;
    let cases: [(&str, Target); 6] = [
        ("static/passwd.txt", |_, _| PathBuf::from("/etc/passwd")),
        ("static/environ.txt", |_, _| PathBuf::from("/proc/self/environ")),
        ("static/secret.txt", |file, _| file.to_path_buf()),
        ("static/folder", |_, folder| folder.to_path_buf()),
        ("content/reviews/stolen.md", |file, _| file.with_file_name("review.md")),
        ("templates/base.html", |file, _| file.with_file_name("base.html")),
    ];
    for (link, target) in cases {
        let site = basic();
        let (file, folder) = secrets(&site);
        let target = target(&file, &folder);
        fs::create_dir_all(site.root.join(link).parent().expect("parent")).expect("mkdir");
        symlink(&target, site.root.join(link)).expect("link");
        let shown = fs::canonicalize(&target).expect("target exists");
        refused(&site, link, &shown.to_string_lossy(), "outside the site");
    }
}

#[test]
fn a_source_folder_or_the_config_linked_from_outside_is_refused() {
    for link in ["critique.toml", "static", "templates"] {
        let site = basic();
        let (file, folder) = secrets(&site);
        let target = if link == "critique.toml" { file } else { folder };
        let path = site.root.join(link);
        if path.is_dir() {
            fs::remove_dir_all(&path).expect("remove");
        } else if path.exists() {
            fs::remove_file(&path).expect("remove");
        }
        symlink(&target, &path).expect("link");
        refused(&site, link, &fs::canonicalize(&target).expect("exists").to_string_lossy(), "outside the site");
    }
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = basic();
    site.write("assets/logo.svg", "<svg/>");
    site.write("assets/icons/a.svg", "<svg id='a'/>");
    site.write(
        "drafts/extra-look.md",
        fs::read_to_string(site.root.join("content/reviews/first-look.md")).expect("read"),
    );
    symlink("../assets/logo.svg", site.root.join("static/logo.svg")).expect("file link");
    symlink("../assets/icons", site.root.join("static/icons")).expect("folder link");
    symlink("../../drafts/extra-look.md", site.root.join("content/reviews/extra-look.md")).expect("content link");
    site.build();
    assert_eq!(site.read("logo.svg"), "<svg/>");
    assert_eq!(site.read("icons/a.svg"), "<svg id='a'/>");
    assert!(site.public().join("reviews/extra-look/index.html").is_file());
}

#[test]
fn links_to_hidden_or_version_control_paths_of_the_site_are_refused() {
    // What CI leaves in a checkout (the job's token in `.git/config`) and a laptop keeps beside
    // the site (`.env`) are inside the site root, but no walk publishes them; a link must not.
    let cases = [
        ("static/config.txt", "../.git/config", ".git/config"),
        ("static/git", "../.git", ".git"),
        ("static/env.txt", "../.env", ".env"),
        ("templates/partials/token.html", "../../.git/config", ".git/config"),
        ("content/pages/env.md", "../../.env", ".env"),
        ("static/backup.txt", "../content/pages/about.md.bak", "about.md.bak"),
    ];
    for (link, target, shown) in cases {
        let site = basic();
        site.write(".git/config", "[http]\n\textraheader = AUTHORIZATION: basic SECRET-TOKEN\n");
        site.write(".env", "API_KEY=SECRET-TOKEN\n");
        site.write("content/pages/about.md.bak", "SECRET-TOKEN");
        fs::create_dir_all(site.root.join(link).parent().expect("parent")).expect("mkdir");
        symlink(target, site.root.join(link)).expect("link");
        refused(&site, link, shown, "hidden or version-control path");
    }
}

#[test]
fn a_linked_folder_is_skipped_by_where_its_files_really_are() {
    // `static/` publishes dotfiles such as `.well-known/`; a link from it to the site root
    // must not make the root's dotfiles static files.
    let site = basic();
    site.write(".env", "API_KEY=SECRET-TOKEN\n");
    site.write("shared/.env", "API_KEY=SECRET-TOKEN\n");
    site.write("shared/logo.svg", "<svg/>");
    site.write("static/.well-known/security.txt", "Contact: mailto:x@example.org\n");
    symlink("../shared", site.root.join("static/shared")).expect("link");
    site.build();
    assert_eq!(site.read("shared/logo.svg"), "<svg/>");
    assert!(!site.public().join("shared/.env").exists(), "a hidden file behind a link is not published");
    assert!(site.public().join(".well-known/security.txt").is_file(), "static dotfiles still are");
}

#[test]
fn a_static_folder_kept_elsewhere_in_the_site_keeps_its_dotfiles() {
    let site = basic();
    fs::remove_dir_all(site.root.join("static")).expect("remove");
    site.write("assets/static/.well-known/security.txt", "Contact: mailto:x@example.org\n");
    site.write("assets/static/logo.svg", "<svg/>");
    site.write("assets/.env", "API_KEY=SECRET-TOKEN\n");
    symlink("assets/static", site.root.join("static")).expect("link");
    site.build();
    assert!(site.public().join(".well-known/security.txt").is_file());
    assert_eq!(site.read("logo.svg"), "<svg/>");
}

#[test]
fn dangling_and_looping_links_are_errors() {
    let site = basic();
    symlink("nowhere.css", site.root.join("static/gone.css")).expect("dangling");
    refused(&site, "static/gone.css", "nowhere.css", "broken symbolic link");

    let site = basic();
    fs::create_dir_all(site.root.join("static/a")).expect("mkdir");
    symlink("..", site.root.join("static/a/up")).expect("loop");
    refused(&site, "static/a/up", "static", "same folder as");

    let site = basic();
    symlink("self", site.root.join("static/self")).expect("a link to itself");
    refused(&site, "static/self", "self", "broken symbolic link");
}

#[test]
fn links_that_multiply_a_folder_are_refused_not_walked_exponentially() {
    // Each level links twice to the next: walked naively, 2^20 folders.
    let site = basic();
    for level in 0..20 {
        let dir = site.root.join(format!("static/l{level}"));
        fs::create_dir_all(&dir).expect("mkdir");
        for name in ["x", "y"] {
            symlink(format!("../l{}", level + 1), dir.join(name)).expect("link");
        }
    }
    fs::create_dir_all(site.root.join("static/l20")).expect("mkdir");
    site.write("static/l20/leaf.txt", "leaf");
    let errors = site.errors();
    assert!(errors.len() <= 40, "one error a repeated link, not one a path: {}", errors.len());
    assert!(errors.iter().all(|e| e.message.starts_with("same folder as")), "{errors:?}");
}

#[test]
fn named_pipes_are_reported_not_read() {
    let site = basic();
    let made = std::process::Command::new("mkfifo").arg(site.root.join("static/pipe")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    refused(&site, "static/pipe", "named pipe", "not a regular file");
    let check = site.run_cli(&["check"]);
    assert!(!check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("named pipe"));
}

#[cfg(feature = "serve")]
#[test]
fn serve_refuses_a_link_that_leaves_the_site_when_it_appears() {
    let site = basic();
    let (file, _) = secrets(&site);
    let (mut session, first) = Session::start(&site.root, SiteTest::options());
    assert!(first.is_ok(), "{first:?}");
    for link in ["static/leak.txt", "content/reviews/leak.md"] {
        let path = site.root.join(link);
        symlink(&file, &path).expect("link");
        let errors = session.apply(std::slice::from_ref(&path)).expect("a rebuild").expect_err("refused");
        assert!(
            errors.iter().any(|e| e.path == Path::new(link) && e.message.contains("outside the site")),
            "{errors:?}"
        );
        let leaked = session
            .preview()
            .files()
            .iter()
            .any(|(_, bytes)| bytes.windows(b"SECRET-TOKEN".len()).any(|w| w == b"SECRET-TOKEN"));
        assert!(!leaked, "{link}: the secret reached the preview");
        fs::remove_file(&path).expect("remove");
        assert!(session.apply(&[path]).expect("a rebuild").is_ok());
    }
}

#[cfg(feature = "serve")]
#[test]
fn serve_sees_an_edit_through_a_link_inside_the_site() {
    let site = basic();
    let first = fs::read_to_string(site.root.join("content/reviews/first-look.md")).expect("read");
    site.write("content/reviews/sub/real-look.md", &first);
    symlink("sub/real-look.md", site.root.join("content/reviews/alias-look.md")).expect("link");
    let (mut session, started) = Session::start(&site.root, SiteTest::options());
    assert!(started.is_ok(), "{started:?}");
    let edited = first.replacen("\n---\n", "\n---\nA sentence only the edit has.\n", 1);
    site.write("content/reviews/sub/real-look.md", &edited);
    let saved = session.apply(&[site.root.join("content/reviews/sub/real-look.md")]).expect("a rebuild");
    assert!(saved.is_ok(), "{saved:?}");
    let alias = session.preview().get("reviews/alias-look/index.html").expect("alias page");
    let page = crate::support::Page(scraper::Html::parse_document(&String::from_utf8_lossy(&alias)));
    let body = page.texts("section.prose").join(" ");
    assert!(body.contains("A sentence only the edit has."), "the page of the link shows the edit: {body}");
}
