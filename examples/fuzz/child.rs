//! The child process: runs one mutant through build, a second build, check and a serve session
//! with further edits, and reports on stdout one fact a line (`build ok`, `finding KIND ...`,
//! `rss-kb N`, `done`). A panic ends it with code 101 and a signal kills it: the parent sees
//! both. It runs with its working directory in the mutant's site, as `critique build` does.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use critique::SiteOptions;
use critique::cmd::build::{self, BuildArgs, BuildError};
use critique::cmd::check::{self, CheckArgs};
use critique::date::Date;
use critique::diagnostic::{Diagnostic, Severity};
use critique::serve::session::Session;

use crate::mutate::{self, Target, is_output};
use crate::rng::{Rng, STREAM_SERVE};
use crate::site::{Layout, SECRET, show, snapshot};

/// The day every build is made for, so that two builds of the same files are equal.
const TODAY: &str = "2026-11-25";

/// How a build or a serve rebuild ended.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Built,
    Errors(usize),
}

/// Runs mutant `index` of the run seeded `seed`, laid out in `t` (generated texts at most
/// `max_size` bytes).
pub fn run(t: &Path, seed: u64, index: u64, max_size: usize) -> Result<(), String> {
    let layout = Layout { root: t.to_path_buf() };
    let site = layout.site();
    std::env::set_current_dir(&site).map_err(|e| format!("{}: {e}", site.display()))?;
    let today = Date::parse(TODAY).map_err(|e| format!("{TODAY}: {e}"))?;
    let options = SiteOptions { today: Some(today), ..SiteOptions::default() };
    let args = BuildArgs { root: PathBuf::from("."), output: None, site: options.clone() };
    let sources = snapshot(&site, &is_output);

    // (1) and (2): a build, then the same build again.
    let first = build::run(&args);
    report("build", &first);
    println!(
        "build {}",
        match &first {
            Ok(_) => "ok".to_string(),
            Err(BuildError::Content(d)) => format!("content {}", d.0.len()),
            Err(BuildError::Output(e)) => format!("output {}", line(&e.to_string())),
        }
    );
    let built = first.is_ok().then(|| tree(&site.join("public"), "public"));
    let second = build::run(&args);
    report("second build", &second);
    match (&first, &second) {
        (Ok(_), Ok(summary)) if summary.files.written > 0 => {
            let again = tree(&site.join("public"), "public");
            if let Some(built) = &built {
                let differ = differ(built, &again);
                if !differ.is_empty() {
                    println!("finding rebuild-differs the second build changed {}", list(&differ));
                }
            }
        }
        (Ok(_), Ok(_)) => {}
        (Err(BuildError::Content(a)), Err(BuildError::Content(b))) if a == b => {}
        // An output error names a staging folder of a random name: its text differs each time.
        (Err(BuildError::Output(_)), Err(BuildError::Output(_))) => {}
        (a, b) => println!(
            "finding rebuild-differs first build {}, second {}",
            if a.is_ok() { "built" } else { "failed" },
            b.as_ref().map_or_else(|e| format!("failed: {}", line(&e.to_string())), |_| "built".into())
        ),
    }
    let changed = crate::site::differences(&sources, &snapshot(&site, &is_output));
    if !changed.is_empty() {
        println!("finding sources-changed by a build: {}", list(&changed));
    }

    // (3): check.
    let checked =
        check::run(&CheckArgs { root: PathBuf::from("."), site: options.clone(), strict: false, external: None });
    let errors = checked.findings.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    println!("check {} {errors}", if checked.passed { "passed" } else { "failed" });
    judge("check", &checked.findings.diagnostics, !checked.passed);
    if checked.passed && matches!(first, Err(BuildError::Content(_))) {
        println!("finding check-disagrees check passed but the build failed on the content");
    }

    // (4): a serve session, edits on disk, then a fresh build of the final files to compare.
    let root = fs::canonicalize(&site).map_err(|e| format!("{}: {e}", site.display()))?;
    let (mut session, started) = Session::start(&root, options.clone());
    let mut serve_verdict = verdict("serve start", started.map(|_| ()));
    let mut rng = Rng::for_mutant(seed, index, STREAM_SERVE);
    let edits = 1 + rng.weighted(&[3, 2, 1]);
    let batched = rng.chance(1, 2);
    let tag = format!("{seed}-{index}");
    let mut touched = Vec::new();
    for i in 0..edits {
        let applied = mutate::mutate(&Target { layout: &layout, tag: &tag, max_size }, &mut rng);
        println!("serve-mutation {}", applied.what);
        // A mutation made through a link that leaves the site (a folder linked outside by an
        // earlier mutation) writes outside it itself: said here, so that it is not taken for
        // a write of critique's.
        for rel in &applied.touched {
            if let Some(landed) = landed_outside(&root, rel) {
                println!("harness-wrote {}", show(&landed));
            }
        }
        touched.extend(applied.touched);
        if !batched || i + 1 == edits {
            if let Some(outcome) = session.apply(&touched) {
                serve_verdict = verdict("serve apply", outcome.map(|_| ()));
            }
            touched.clear();
        }
    }
    // Serve keeps its preview in memory: written out here, so that the checks of every output
    // (secrets, links) see it too, each path checked first as the build's writer checks it.
    for (path, bytes) in session.preview().files() {
        match critique::site_path::check(&path) {
            Ok(()) => {
                let target = layout.preview().join(&path);
                let written =
                    target.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&target, &bytes));
                if let Err(e) = written {
                    println!("finding preview-path serve published {path:?}, which cannot be written: {e}");
                }
            }
            Err(problem) => println!("finding preview-path serve published {path:?}: {problem}"),
        }
    }
    let fresh = build::run(&BuildArgs { root: root.clone(), output: Some(layout.fresh()), site: options });
    let fresh_verdict = report("fresh build", &fresh);
    match (&serve_verdict, &fresh_verdict) {
        (Verdict::Built, Verdict::Built) => {
            let differ = differ(&tree(&layout.preview(), "preview"), &tree(&layout.fresh(), "fresh"));
            if !differ.is_empty() {
                println!("finding serve-differs serve's output is not the build's: {}", list(&differ));
            }
        }
        (Verdict::Errors(_), Verdict::Errors(_)) => {}
        (serve, fresh) => println!("finding serve-verdict serve {serve:?} but a fresh build {fresh:?}"),
    }
    println!("rss-kb {}", peak_rss_kb(Path::new("/proc/self/status")).unwrap_or(0));
    println!("done");
    Ok(())
}

/// Reports a build's diagnostics and returns how it ended.
fn report(stage: &str, result: &Result<build::BuildSummary, BuildError>) -> Verdict {
    match result {
        Ok(_) => Verdict::Built,
        Err(BuildError::Content(d)) => {
            judge(stage, &d.0, true);
            Verdict::Errors(d.0.len())
        }
        Err(BuildError::Output(e)) => {
            let text = e.to_string();
            println!("diag {stage}: {}", line(&text));
            if text.contains(SECRET) {
                println!("finding secret-diag {stage}'s error quotes a secret");
            }
            Verdict::Errors(1)
        }
    }
}

fn verdict(stage: &str, outcome: Result<(), Vec<Diagnostic>>) -> Verdict {
    match outcome {
        Ok(()) => Verdict::Built,
        Err(errors) => {
            judge(stage, &errors, true);
            Verdict::Errors(errors.len())
        }
    }
}

/// Findings about a stage's diagnostics: a failure with none, a secret quoted, a raw control
/// character that could rewrite the terminal. Prints the first few.
fn judge(stage: &str, diagnostics: &[Diagnostic], failed: bool) {
    if failed && !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        println!("finding silent {stage} failed without an error diagnostic");
    }
    for d in diagnostics.iter().take(3) {
        println!("diag {stage}: {}", line(&d.to_string()));
    }
    if let Some(d) = diagnostics.iter().find(|d| d.to_string().contains(SECRET)) {
        println!("finding secret-diag {stage} quotes a secret at {}", show(&d.path));
    }
    let raw_control = |d: &&Diagnostic| d.to_string().chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    if let Some(d) = diagnostics.iter().find(raw_control) {
        println!("finding diag-control {stage}: a raw control character in `{}`", line(&d.to_string()));
    }
}

/// One line of at most 300 characters, control characters escaped.
fn line(text: &str) -> String {
    let escaped: String =
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.into() }).collect();
    escaped.chars().take(300).collect()
}

/// The first paths of a list, for one line.
fn list(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(8).map(String::as_str).collect();
    let more = if items.len() > 8 { format!(" and {} more", items.len() - 8) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// An output folder's files by path (the marker left out). A link or special file in an
/// output is a finding: an output holds regular files only.
fn tree(dir: &Path, name: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).into_iter().flatten() {
        let rel = show(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        let kind = entry.file_type();
        if kind.is_file() {
            if !(entry.depth() == 1 && entry.file_name() == critique::output::MARKER) {
                files.insert(rel, fs::read(entry.path()).unwrap_or_default());
            }
        } else if !kind.is_dir() {
            println!("finding output-link {name}/{rel} is not a regular file");
            files.insert(rel, b"(not a regular file)".to_vec());
        }
    }
    files
}

/// The paths whose bytes differ between two trees, or that only one has.
fn differ(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = a.keys().chain(b.keys()).filter(|p| a.get(*p) != b.get(*p)).cloned().collect();
    paths.sort();
    paths.dedup();
    paths
}

/// A process's peak resident set (`VmHWM`) in kB, from its `/proc/PID/status`.
pub fn peak_rss_kb(status: &Path) -> Option<u64> {
    let text = fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Where the file at `rel` of the site (canonical `root`) really is, if its folder resolves
/// outside the site.
fn landed_outside(root: &Path, rel: &Path) -> Option<PathBuf> {
    let path = root.join(rel);
    let folder = fs::canonicalize(path.parent()?).ok()?;
    (!folder.starts_with(root)).then(|| folder.join(path.file_name().unwrap_or_default()))
}
