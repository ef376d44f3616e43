//! Every generated page is valid HTML under the Nu HTML Checker (the W3C validator). The
//! checker comes from the `vnu-jar` npm package and runs on the machine's Java; the first run
//! installs it under Cargo's target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use critique::SiteOptions;
use critique::date::Date;

use crate::support::SiteTest;

const VNU_VERSION: &str = "26.9.27";

/// The checker's jar: `$VNU_JAR`, or installed from npm on first use.
fn vnu_jar() -> PathBuf {
    if let Some(jar) = std::env::var_os("VNU_JAR") {
        return PathBuf::from(jar);
    }
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("vnu-{VNU_VERSION}"));
    let jar = prefix.join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        let status = Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("vnu-jar@{VNU_VERSION}"))
            .status()
            .expect("npm must be installed to fetch the Nu HTML Checker (vnu-jar)");
        assert!(status.success(), "npm install vnu-jar failed");
    }
    jar
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    // npm fetches the checker unless `VNU_JAR` names one.
    let tools: &[&str] = if std::env::var_os("VNU_JAR").is_some() { &["java"] } else { &["java", "npm"] };
    if !crate::support::tools_present("every_page_passes_the_nu_html_checker", tools) {
        return;
    }
    let example = SiteTest::example();
    example.build();
    let basic = SiteTest::fixture("basic");
    // A stale review and one dated in the future, so that their notices are checked too.
    let first = basic.read_source("content/reviews/first-look.md");
    basic.write(
        "content/reviews/first-look.md",
        first.replacen("date: 2026-11-10\n", "date: 2026-11-10\nrevisit_by: 2026-11-20\n", 1),
    );
    let second = basic.read_source("content/reviews/second-look.md");
    basic.write("content/reviews/second-look.md", second.replacen("date: 2026-11-12", "date: 2026-12-12", 1));
    // The rubric's bands, definitions and recommend share, so that their markup is checked.
    let config = basic.read_source("critique.toml").replace(
        "label = \"Cheaper\"\n",
        "label = \"Cheaper\"\ndefinition = \"Cost per call.\"\nbands = [{ from = 0, to = 5, means = \"dearer\" }, { from = 6, to = 10, means = \"cheaper\" }]\n",
    );
    basic.write("critique.toml", config.replace("min_reviews = 2\n", "min_reviews = 2\nrecommend_from = \"good\"\n"));
    basic.write(
        "content/authors/ada-reviewer.md",
        "---\nname: Ada Reviewer\nlinks: [\"https://ada.example/\"]\naffiliations: [Independent]\ndisclosure: { holdings: holds }\n---\nAda's bio.\n",
    );
    let glance = basic.read_source("content/reviews/gadget-glance.md");
    let retracted = "date: 2026-11-15\nstatus: retracted\nretraction: { date: 2026-11-20, reason: wrong build }\n";
    basic.write("content/reviews/gadget-glance.md", glance.replacen("date: 2026-11-15\n", retracted, 1));
    let options = SiteOptions {
        drafts: true,
        future: true,
        today: Some(Date::parse("2026-11-25").expect("date")),
        ..SiteOptions::default()
    };
    basic.build_with(options, None).expect("build the fixture with drafts");
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(example.public())
        .arg(basic.public())
        .output()
        .expect("java must be installed to run the Nu HTML Checker");
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && !report.contains("Error:"), "Nu HTML Checker found errors:\n{report}");
    assert!(report.contains("No errors found"), "unexpected checker output:\n{report}");
}
