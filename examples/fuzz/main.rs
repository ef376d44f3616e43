//! A bounded mutation fuzzer for critique: each mutant is the repository's example site with
//! 1 to 4 mutations (bytes, lines, front-matter keys, YAML↔TOML, file names, symbolic links,
//! FIFOs, sizes at the limit), run in a child process through `build`, a second `build`,
//! `check` and a serve session with 1 to 3 further edits, whose output is then compared with a
//! fresh build. A panic, a signal, a hang, a file touched outside the site and its outputs, a
//! secret from beside the site in any output, a peak RSS over the bound, a failure without a
//! diagnostic or serve's output differing from a build's is a finding, kept for replay.
//!
//! ```sh
//! cargo run --release --example fuzz -- --seconds 600 [--seed S] [--mutants M] [--rss-mb B]
//!     [--keep DIR] [--timeout S] [--from I] [--max-size BYTES] [--verbose]
//! cargo run --release --example fuzz -- --replay target/fuzz-findings/seed-S-index-I
//! ```
//!
//! The same seed and index make the same mutant whatever the timing (`--from I --mutants 1`
//! makes mutant I alone). The exit code is 1 when there was a finding.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a test tool reports on the terminal")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

mod child;
mod execute;
mod keep;
mod mutate;
mod rng;
mod site;

use execute::{Limits, Outcome, Report, execute};
use rng::{Rng, STREAM_MUTANT};
use site::{BaseSite, Layout};

// The allocator `critique` itself uses, so that peak RSS figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every kind of finding, in the order the summary lists them.
const KINDS: [&str; 18] = [
    "panic",
    "signal",
    "hang",
    "exit",
    "rss",
    "outside",
    "escape",
    "secret",
    "secret-diag",
    "silent",
    "diag-control",
    "leftover",
    "sources-changed",
    "rebuild-differs",
    "check-disagrees",
    "serve-differs",
    "serve-verdict",
    "output-link",
];

/// The command line.
struct Options {
    seconds: Option<u64>,
    mutants: Option<u64>,
    seed: u64,
    from: u64,
    rss_mb: u64,
    keep: PathBuf,
    timeout: Duration,
    replay: Option<PathBuf>,
    child: Option<PathBuf>,
    verbose: bool,
    max_size: usize,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        seconds: None,
        mutants: None,
        seed: 1,
        from: 0,
        rss_mb: 1024,
        keep: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings"),
        // A debug build is several times slower.
        timeout: Duration::from_secs(if cfg!(debug_assertions) { 300 } else { 60 }),
        replay: None,
        child: None,
        verbose: false,
        max_size: usize::MAX,
    };
    let mut args = std::env::args_os().skip(1);
    while let Some(flag) = args.next() {
        let flag = flag.to_string_lossy().into_owned();
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: std::ffi::OsString| v.to_string_lossy().parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--seconds" => options.seconds = Some(number(value()?)?),
            "--mutants" => options.mutants = Some(number(value()?)?),
            "--seed" => options.seed = number(value()?)?,
            "--from" => options.from = number(value()?)?,
            "--rss-mb" => options.rss_mb = number(value()?)?,
            "--timeout" => options.timeout = Duration::from_secs(number(value()?)?),
            "--keep" => options.keep = PathBuf::from(value()?),
            "--replay" => options.replay = Some(PathBuf::from(value()?)),
            "--child" => options.child = Some(PathBuf::from(value()?)),
            "--verbose" => options.verbose = true,
            "--max-size" => options.max_size = usize::try_from(number(value()?)?).unwrap_or(usize::MAX),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if options.seconds.is_none() && options.mutants.is_none() {
        options.seconds = Some(60);
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "fuzz: {e}\nusage: fuzz --seconds N [--seed S] [--mutants M] [--rss-mb B] [--keep DIR] [--timeout S] [--from I] [--max-size BYTES] [--verbose] | --replay DIR"
            );
            return ExitCode::from(2);
        }
    };
    let result = match (&options.child, &options.replay) {
        (Some(t), _) => child::run(t, options.seed, options.from, options.max_size).map(|()| true),
        (None, Some(dir)) => replay(&options, dir),
        (None, None) => campaign(&options),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("fuzz: {e}");
            ExitCode::from(3)
        }
    }
}

/// Lays out mutant `index` of `seed` in `layout`: its mutations and a hash of its site.
pub fn make_mutant(
    layout: &Layout,
    base: &BaseSite,
    seed: u64,
    index: u64,
    max_size: usize,
) -> Result<(Vec<String>, u64), String> {
    let mut rng = Rng::for_mutant(seed, index, STREAM_MUTANT);
    let mut mutations = site::prepare(layout, base, &mut rng).map_err(|e| format!("{}: {e}", layout.root.display()))?;
    let tag = format!("{seed}-{index}");
    // One to four, fewer more often: most mutations break the site alone, and a site that
    // still builds is what the serve comparison needs.
    for _ in 0..1 + rng.weighted(&[4, 3, 2, 1]) {
        mutations.push(mutate::mutate(&mutate::Target { layout, tag: &tag, max_size }, &mut rng).what);
    }
    Ok((mutations, site::fingerprint(layout)))
}

fn limits(options: &Options) -> Limits {
    Limits { timeout: options.timeout, rss_kb: options.rss_mb * 1024, max_size: options.max_size }
}

fn work_folder() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new().prefix("critique-fuzz-").tempdir().map_err(|e| format!("a temporary folder: {e}"))
}

/// One mutant as the summary remembers it.
struct Done {
    index: u64,
    mutations: Vec<String>,
    report: Report,
}

fn campaign(options: &Options) -> Result<bool, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = BaseSite::read(repo).map_err(|e| format!("the example site in {}: {e}", repo.display()))?;
    let work = work_folder()?;
    let started = Instant::now();
    let deadline = options.seconds.map(|s| started + Duration::from_secs(s));
    let mut done: Vec<Done> = Vec::new();
    let mut kept: Vec<(String, u64, PathBuf)> = Vec::new();
    for index in options.from.. {
        let count = index - options.from;
        if options.mutants.is_some_and(|m| count >= m) || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let layout = Layout { root: work.path().join(format!("m{index}")) };
        let (mutations, hash) = make_mutant(&layout, &base, options.seed, index, options.max_size)?;
        let report = execute(&layout, work.path(), options.seed, index, &limits(options))?;
        println!(
            "mutant {index} {} {:.2}s {}MB hash={hash:016x}: {} | serve: {}",
            outcome_name(report.outcome),
            report.elapsed.as_secs_f64(),
            report.rss_kb / 1024,
            mutations.join("; "),
            report.serve_mutations.join("; ")
        );
        for (kind, detail) in &report.findings {
            println!("  finding {kind}: {detail}");
        }
        if options.verbose {
            let out = std::fs::read_to_string(&report.logs.0).unwrap_or_default();
            out.lines().for_each(|l| println!("  | {l}"));
        }
        if !report.findings.is_empty() {
            match keep::keep(&options.keep, &base, options.seed, index, options.max_size, &report) {
                Ok(dir) => {
                    println!("  kept in {}", dir.display());
                    for (kind, _) in &report.findings {
                        kept.push((kind.clone(), index, dir.clone()));
                    }
                }
                Err(e) => println!("  could not keep it: {e}"),
            }
        }
        let _ = std::fs::remove_dir_all(&layout.root);
        let _ = std::fs::remove_file(&report.logs.0);
        let _ = std::fs::remove_file(&report.logs.1);
        done.push(Done { index, mutations, report });
    }
    summarize(options, &done, &kept, started.elapsed());
    Ok(kept.is_empty())
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Built => "built",
        Outcome::ContentErrors => "content-errors",
        Outcome::OutputError => "output-error",
        Outcome::NoResult => "no-result",
    }
}

fn summarize(options: &Options, done: &[Done], kept: &[(String, u64, PathBuf)], elapsed: Duration) {
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in done {
        *outcomes.entry(outcome_name(d.report.outcome)).or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = KINDS.iter().map(|k| (*k, 0)).collect();
    let mut other = 0;
    for d in done {
        for (kind, _) in &d.report.findings {
            match kinds.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => other += 1,
            }
        }
    }
    let count = |name| outcomes.get(name).copied().unwrap_or(0);
    let findings: usize = done.iter().map(|d| d.report.findings.len()).sum();
    let by_kind: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}={n}")).collect();
    println!(
        "summary: mutants={} built={} content-errors={} output-error={} no-result={} findings={findings} {} other={other} seed={} seconds={:.1}",
        done.len(),
        count("built"),
        count("content-errors"),
        count("output-error"),
        count("no-result"),
        by_kind.join(" "),
        options.seed,
        elapsed.as_secs_f64()
    );
    let describe = |d: &Done| format!("seed={} index={} mutations: {}", options.seed, d.index, d.mutations.join("; "));
    if let Some(d) = done.iter().max_by_key(|d| d.report.elapsed) {
        println!("slowest: {:.2}s {}", d.report.elapsed.as_secs_f64(), describe(d));
    }
    if let Some(d) = done.iter().max_by_key(|d| d.report.rss_kb) {
        println!("largest: {}MB {}", d.report.rss_kb / 1024, describe(d));
    }
    for (kind, index, dir) in kept {
        println!("finding: {kind} seed={} index={index} kept={}", options.seed, dir.display());
    }
}

/// Runs a kept finding again and says what it finds now.
fn replay(options: &Options, dir: &Path) -> Result<bool, String> {
    let kept = keep::read(dir)?;
    let work = work_folder()?;
    let layout = Layout { root: work.path().join(format!("m{}", kept.index)) };
    keep::restore(dir, &kept, &layout)?;
    let limits = Limits { max_size: kept.max_size, ..limits(options) };
    let report = execute(&layout, work.path(), kept.seed, kept.index, &limits)?;
    println!(
        "replay seed={} index={}: {} {:.2}s {}MB | serve: {}",
        kept.seed,
        kept.index,
        outcome_name(report.outcome),
        report.elapsed.as_secs_f64(),
        report.rss_kb / 1024,
        report.serve_mutations.join("; ")
    );
    for (kind, detail) in &report.findings {
        println!("finding: {kind}: {detail}");
    }
    Ok(report.findings.is_empty())
}
