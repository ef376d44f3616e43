//! Benchmark: `critique check --external` on 10,000 external links across 200 hosts on
//! loopback, cold (no cache) and cached (a second run within `cache_days`).
//!
//! `cargo run --release --example link_check -- [LINKS] [HOSTS] [DELAY_MS] [LATENCY_MS]`
//! (defaults 10000, 200, 200 — the default `delay_ms` — and 0) copies the `basic` test
//! fixture into a temporary folder, adds pages whose links spread over the hosts, and runs
//! the check twice with the default limits otherwise (2 in flight per host). Each host answers
//! HEAD with 200 after `LATENCY_MS`. Prints each run's wall time, the report's counts and the
//! requests the hosts received.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a benchmark tool reports on the terminal")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark fails loudly")]

#[path = "../tests/it/loopback.rs"]
mod loopback;

use std::path::Path;
use std::time::{Duration, Instant};

use critique::SiteOptions;
use critique::cmd::check::{self, CheckArgs, External};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Links per page.
const PER_PAGE: usize = 50;

fn main() {
    let arg = |i: usize, default: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (links, hosts, delay_ms, latency_ms) = (arg(1, 10_000), arg(2, 200), arg(3, 200), arg(4, 0));
    let behaviour = loopback::Behaviour { latency: Duration::from_millis(latency_ms as u64), ..Default::default() };
    let servers: Vec<loopback::Host> = (0..hosts).map(|_| loopback::Host::start(behaviour)).collect();
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic"), root);
    let config = std::fs::read_to_string(root.join("critique.toml")).expect("config");
    std::fs::write(
        root.join("critique.toml"),
        format!("{config}\n[check.external]\nallow_private = true\ndelay_ms = {delay_ms}\nskip = ['\\.test/']\n"),
    )
    .expect("config");
    for page in 0..links.div_ceil(PER_PAGE) {
        let mut text = format!("---\ntitle: Links {page}\n---\n");
        for i in page * PER_PAGE..((page + 1) * PER_PAGE).min(links) {
            // Neighbouring links on different hosts, as a page cites several sites.
            let host = &servers[i % hosts];
            text.push_str(&format!("- [source {i}]({})\n", host.url(&format!("/ok/{i}"))));
        }
        std::fs::write(root.join(format!("content/pages/links-{page}.md")), text).expect("page");
    }
    println!("{links} links on {hosts} hosts, delay_ms = {delay_ms}, latency {latency_ms} ms");
    for run in ["cold", "cached"] {
        let start = Instant::now();
        let args = CheckArgs {
            root: root.to_path_buf(),
            site: SiteOptions::default(),
            strict: false,
            external: Some(External { refresh: false }),
        };
        let outcome = check::run(&args);
        let wall = start.elapsed();
        let tally = outcome.findings.external_check.expect("the external check ran");
        let received: usize = servers.iter().map(|s| s.requests().len()).sum();
        let most = servers.iter().map(loopback::Host::most_in_flight).max().unwrap_or(0);
        println!(
            "{run:>6}: {:.2} s in all ({:.2} s fetching); checked {}, cached {}, skipped {}; {} requests sent, {received} received so far; at most {most} in flight on a host; {} findings",
            wall.as_secs_f64(),
            tally.seconds,
            tally.checked,
            tally.cached,
            tally.skipped,
            tally.requests,
            outcome.findings.diagnostics.len()
        );
    }
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
