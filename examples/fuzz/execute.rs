//! Runs one prepared mutant in a child process and judges what it did: the child's exit (a
//! panic, a signal, a hang killed at the timeout, a peak RSS over the bound), what it reported,
//! and what changed beside the site (files in T outside the site and outputs, the canary, names
//! meant to escape found anywhere above T, secrets in any output).

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::child::peak_rss_kb;
use crate::site::{ENV_SECRET, ESCAPE, Layout, SECRET, differences, secrets_in, show, snapshot};

/// How the first build of a mutant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It built.
    Built,
    /// It failed with diagnostics about the content.
    ContentErrors,
    /// It failed to write its output.
    OutputError,
    /// The child ended before the build did.
    NoResult,
}

/// What one mutant did.
pub struct Report {
    /// How its first build ended.
    pub outcome: Outcome,
    /// The edits its serve session made.
    pub serve_mutations: Vec<String>,
    /// Each finding: its kind and what was seen.
    pub findings: Vec<(String, String)>,
    /// Its wall time.
    pub elapsed: Duration,
    /// Its peak resident set, in kB.
    pub rss_kb: u64,
    /// The child's stdout and stderr files.
    pub logs: (PathBuf, PathBuf),
}

/// Limits a child runs under.
pub struct Limits {
    /// Wall time before it is killed as a hang.
    pub timeout: Duration,
    /// Peak RSS (kB) at which it is killed as a finding.
    pub rss_kb: u64,
    /// The largest text the child's edits generate (see `--max-size`).
    pub max_size: usize,
}

/// Whether `rel` (relative to T) is the site or one of the outputs written beside it.
fn is_site_or_output(rel: &Path) -> bool {
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    ["site", "preview", "fresh"].contains(&first.as_str()) || is_temporary(&first)
}

/// The temporary folders the writers make beside an output (staging, the output moved aside).
fn is_temporary(name: &str) -> bool {
    name.starts_with(".fresh.") || name.starts_with(".preview.")
}

/// Runs the mutant laid out in `layout` (mutant `index` of `seed`); `work` is the folder
/// holding every mutant's T and the logs.
pub fn execute(layout: &Layout, work: &Path, seed: u64, index: u64, limits: &Limits) -> Result<Report, String> {
    let t = &layout.root;
    let tag = format!("{seed}-{index}");
    let outside_before = snapshot(t, &is_site_or_output);
    let work_before = names_in(work);
    let logs = (work.join(format!("logs/m{index}.out")), work.join(format!("logs/m{index}.err")));
    fs::create_dir_all(work.join("logs")).map_err(|e| e.to_string())?;
    let stdout = fs::File::create(&logs.0).map_err(|e| e.to_string())?;
    let stderr = fs::File::create(&logs.1).map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(["--child".into(), t.as_os_str().to_owned()])
        .args(["--seed", &seed.to_string(), "--from", &index.to_string(), "--max-size", &limits.max_size.to_string()])
        .current_dir(layout.site())
        .env(ENV_SECRET.0, ENV_SECRET.1)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut polled_kb = 0;
    let mut killed = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for the child: {e}")),
        }
        polled_kb = polled_kb.max(peak_rss_kb(&status_file).unwrap_or(0));
        if killed.is_none() && start.elapsed() > limits.timeout {
            killed = Some(("hang", format!("still running after {} s; killed", limits.timeout.as_secs())));
        } else if killed.is_none() && polled_kb > limits.rss_kb {
            killed = Some(("rss", format!("peak RSS passed {} MB; killed", limits.rss_kb / 1024)));
        }
        if killed.is_some() {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let out = String::from_utf8_lossy(&fs::read(&logs.0).unwrap_or_default()).into_owned();
    let err = String::from_utf8_lossy(&fs::read(&logs.1).unwrap_or_default()).into_owned();
    let mut findings: Vec<(String, String)> = Vec::new();
    let mut outcome = Outcome::NoResult;
    let mut serve_mutations = Vec::new();
    // Files the child's own mutations put outside the site, through links it had made.
    let mut harness_wrote: Vec<String> = Vec::new();
    let mut reported_kb = 0;
    let mut done = false;
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix("finding ") {
            let (kind, detail) = rest.split_once(' ').unwrap_or((rest, ""));
            findings.push((kind.to_string(), detail.to_string()));
        } else if let Some(path) = line.strip_prefix("harness-wrote ") {
            harness_wrote.push(path.to_string());
        } else if let Some(what) = line.strip_prefix("serve-mutation ") {
            serve_mutations.push(what.to_string());
        } else if let Some(kb) = line.strip_prefix("rss-kb ") {
            reported_kb = kb.parse().unwrap_or(0);
        } else if let Some(build) = line.strip_prefix("build ") {
            outcome = match build.split(' ').next() {
                Some("ok") => Outcome::Built,
                Some("content") => Outcome::ContentErrors,
                _ => Outcome::OutputError,
            };
        } else if line == "done" {
            done = true;
        }
    }
    let panic = err.lines().position(|l| l.contains("panicked at"));
    let panic_text = panic.map(|i| err.lines().skip(i).take(2).collect::<Vec<_>>().join(" ")).unwrap_or_default();
    let was_killed = killed.is_some();
    match (killed, status.code(), status.signal()) {
        (Some((kind, detail)), _, _) => findings.push((kind.into(), detail)),
        (None, Some(101), _) => findings.push(("panic".into(), panic_text)),
        (None, Some(0), _) if panic.is_some() => findings.push(("panic".into(), format!("in a thread: {panic_text}"))),
        (None, Some(0), _) if !done => findings.push(("exit".into(), "the child ended without finishing".into())),
        (None, Some(0), _) => {}
        (None, Some(code), _) => findings.push(("exit".into(), format!("exit code {code}: {}", last_line(&err)))),
        (None, None, signal) => findings.push(("signal".into(), format!("signal {signal:?}: {}", last_line(&err)))),
    }
    let rss_kb = polled_kb.max(reported_kb);
    if rss_kb > limits.rss_kb && !findings.iter().any(|(k, _)| k == "rss") {
        findings.push(("rss".into(), format!("peak RSS {} MB over {} MB", rss_kb / 1024, limits.rss_kb / 1024)));
    }
    // Beside the site: T outside the site and outputs, the work folder, every folder above it.
    let mut changed = differences(&outside_before, &snapshot(t, &is_site_or_output));
    let t_real = fs::canonicalize(t).unwrap_or_else(|_| t.clone());
    changed.retain(|change| {
        let path = change.split_once(' ').map_or("", |(_, path)| path);
        // The file itself, or a folder made on the way to it.
        !harness_wrote.iter().any(|wrote| Path::new(wrote).starts_with(show(&t_real.join(path))))
    });
    if !changed.is_empty() {
        findings.push(("outside".into(), format!("in T: {}", changed.join(", "))));
    }
    let work_after = names_in(work);
    let expected = |n: &str| n == "logs" || n.strip_prefix('m').is_some_and(|i| i.parse::<u64>().is_ok());
    let work_real = fs::canonicalize(work).unwrap_or_else(|_| work.to_path_buf());
    let by_harness = |n: &str| harness_wrote.iter().any(|wrote| Path::new(wrote).starts_with(show(&work_real.join(n))));
    let new: Vec<&String> =
        work_after.iter().filter(|n| !work_before.contains(n) && !expected(n) && !by_harness(n)).collect();
    if !new.is_empty() {
        findings.push(("outside".into(), format!("beside T: {new:?}")));
    }
    for found in escaped(work, &tag) {
        findings.push(("escape".into(), format!("written outside: {}", found.display())));
    }
    if !was_killed {
        let left = leftovers(layout);
        if !left.is_empty() {
            findings.push(("leftover".into(), left.join(", ")));
        }
    }
    let leaked = secrets_in(t, &|rel| rel.starts_with("outside"));
    if !leaked.is_empty() {
        findings.push(("secret".into(), format!("in {}", leaked.join(", "))));
    }
    if err.contains(SECRET) || out.contains(SECRET) {
        findings.push(("secret-diag".into(), "the child's output quotes a secret".into()));
    }
    Ok(Report { outcome, serve_mutations, findings: merged(findings), elapsed, rss_kb, logs })
}

/// One finding of each kind, the first seen, saying how many more of its kind there were (the
/// same problem is usually seen by every stage).
fn merged(findings: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String, usize)> = Vec::new();
    for (kind, detail) in findings {
        match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, _, more)) => *more += 1,
            None => kinds.push((kind, detail, 0)),
        }
    }
    kinds
        .into_iter()
        .map(|(kind, detail, more)| match more {
            0 => (kind, detail),
            more => (kind, format!("{detail} (and {more} more like it)")),
        })
        .collect()
}

fn last_line(text: &str) -> String {
    text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").chars().take(300).collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Files named for mutant `tag`'s escapes in `work`, any folder above it, or the temporary
/// folders: each is removed once reported (the mutant's child made it).
fn escaped(work: &Path, tag: &str) -> Vec<PathBuf> {
    let name = format!("{ESCAPE}{tag}");
    let mut folders: Vec<PathBuf> = work.ancestors().map(Path::to_path_buf).collect();
    folders.extend([std::env::temp_dir(), PathBuf::from("/tmp")]);
    folders.sort();
    folders.dedup();
    let mut found = Vec::new();
    for folder in folders {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().contains(&name) {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_file()) {
                    let _ = fs::remove_file(&path);
                }
                found.push(path);
            }
        }
    }
    found
}

/// Staging folders or outputs moved aside that a finished child left behind.
fn leftovers(layout: &Layout) -> Vec<String> {
    let mut left = Vec::new();
    for (dir, prefix) in [(layout.root.clone(), ""), (layout.site(), "site/")] {
        for name in names_in(&dir) {
            if is_temporary(&name) || name.starts_with(".public.") {
                left.push(format!("{prefix}{name}"));
            }
        }
    }
    left
}
