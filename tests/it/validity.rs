//! Every generated page is valid HTML under the Nu HTML Checker (the W3C validator). The
//! checker comes from the `vnu-jar` npm package and runs on the machine's Java; the first run
//! installs it under Cargo's target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

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
    // Every optional part of a page, so that its markup is checked too.
    let basic = crate::support::varied_basic();
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
