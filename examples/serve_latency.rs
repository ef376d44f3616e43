//! Benchmark: how long `critique serve` takes from one saved review to updated output.
//!
//! `cargo run --release --example serve_latency -- SITE_DIR [EDITS]` starts a serve session
//! on a copy-free site directory (it edits one review and restores it), applies `EDITS`
//! single-review edits (default 5) and prints each rebuild's wall time and what it did.
//!
//! An edit adds a sentence to the review's prose; with `scores` as third argument it changes
//! the review's first score instead, which moves its project's aggregates (every page showing
//! them is rendered again); with `tags` it adds or removes a tag, which moves the review in the
//! site's tag listings (the reviews stay in their order); with `dates` it moves the review's
//! date before every other one, which moves it past every review (and rewrites every listing
//! page between), and with `day` one day on, which moves it past a few; with `new` it adds a
//! copy of the review under a name in the middle of the slugs (`m-latency-probe`) on every
//! other edit and deletes it on the others.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a benchmark tool reports on the terminal")]

use std::path::{Path, PathBuf};
use std::time::Instant;

use critique::SiteOptions;
use critique::serve::session::Session;

// The allocator `critique` itself uses (see `src/main.rs`), so that the figures are the
// command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: serve_latency SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mode = args.next().unwrap_or_default();
    let start = Instant::now();
    let (mut session, first) = Session::start(&root, SiteOptions::default());
    if let Err(errors) = first {
        eprintln!("the site does not build: {} errors", errors.len());
        std::process::exit(1);
    }
    println!("first build: {} ms", start.elapsed().as_millis());
    let reviews = root.join("content/reviews");
    let Some(victim) = std::fs::read_dir(&reviews).ok().and_then(|d| d.flatten().map(|e| e.path()).min()) else {
        eprintln!("no review to edit");
        std::process::exit(1);
    };
    let original = std::fs::read_to_string(&victim).unwrap_or_default();
    let rel: PathBuf = victim.strip_prefix(&root).unwrap_or(Path::new("")).to_path_buf();
    let mut totals = Vec::new();
    let cpu_before = cpu_ms();
    let mut stages: Vec<(&str, Vec<f64>)> = Vec::new();
    let probe = PathBuf::from("content/reviews/m-latency-probe.md");
    for i in 0..edits {
        // The sentence added grows and shrinks, so that the review's length changes too.
        let sentence = format!("Edited {i}, once more. ").repeat(i % 3 + 1);
        let edited = match mode.as_str() {
            // The first score's value (a digit after `scores: { axis: `), cycled.
            "scores" => original
                .find("scores: {")
                .map(|at| at + 9)
                .and_then(|at| original[at..].find(": ").map(|c| at + c + 2))
                .map_or_else(
                    || original.clone(),
                    |at| format!("{}{}{}", &original[..at], i % 9 + 1, &original[at + 1..]),
                ),
            // A tag of its own on every other edit.
            "tags" if i % 2 == 0 => original.replacen("tags: [", "tags: [latency-probe, ", 1),
            "tags" => original.clone(),
            // A date of its own, earlier than any generated one, on every other edit.
            "dates" if i % 2 == 0 => original.replacen("\ndate: ", &format!("\ndate: 2020-01-0{} #", i % 9 + 1), 1),
            "dates" => original.clone(),
            // The day of the month one on (one back from the 28th) on every other edit.
            "day" if i % 2 == 0 => original
                .find("\ndate: ")
                .map(|at| at + "\ndate: YYYY-MM-".len())
                .and_then(|at| Some((at, original.get(at..at + 2)?.parse::<u32>().ok()?)))
                .map_or_else(
                    || original.clone(),
                    |(at, day)| {
                        let moved = if day < 28 { day + 1 } else { day - 1 };
                        format!("{}{moved:02}{}", &original[..at], &original[at + 2..])
                    },
                ),
            "day" | "new" => original.clone(),
            _ => original.replacen("\n---\n", &format!("\n---\n{sentence}\n\n"), 1),
        };
        // A pause between edits, as a writer takes (`PAUSE_MS`, default none): the machine
        // idles and caches cool between saves.
        if let Some(ms) = std::env::var("PAUSE_MS").ok().and_then(|v| v.parse().ok()) {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        let changed = match mode.as_str() {
            "new" if i % 2 == 0 => {
                let _ = std::fs::write(root.join(&probe), edited);
                &probe
            }
            "new" => {
                let _ = std::fs::remove_file(root.join(&probe));
                &probe
            }
            _ => {
                let _ = std::fs::write(&victim, edited);
                &rel
            }
        };
        let t = Instant::now();
        match session.apply(std::slice::from_ref(changed)) {
            Some(Ok(r)) => {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                totals.push(ms);
                let times: Vec<String> = r
                    .timings
                    .0
                    .iter()
                    .map(|(name, d)| {
                        let ms = d.as_secs_f64() * 1000.0;
                        match stages.iter_mut().find(|(n, _)| n == name) {
                            Some((_, all)) => all.push(ms),
                            None => stages.push((name, vec![ms])),
                        }
                        format!("{name} {ms:.1} ms")
                    })
                    .collect();
                println!("edit {i}: {ms:.1} ms ({} pages rendered, {} files written)", r.rendered, r.written);
                println!("    {}", times.join(", "));
            }
            other => println!("edit {i}: {other:?}"),
        }
    }
    let cpu = cpu_ms().zip(cpu_before).map(|(after, before)| (after - before) / edits.max(1) as f64);
    println!("median of {} edits: {:.1} ms", totals.len(), median(&mut totals));
    if let Some(cpu) = cpu {
        // Less moved by other work on the machine than wall time, and counting what the
        // rebuilds leave to other threads (freeing the last model).
        println!("CPU time per edit (all threads, pauses included): {cpu:.1} ms");
    }
    for (name, all) in &mut stages {
        println!("    {name}: {:.1} ms", median(all));
    }
    let _ = std::fs::write(&victim, original);
    let _ = std::fs::remove_file(root.join(&probe));
}

/// The median of `values` (0 for none).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The CPU time (user and system) this process has used so far, in ms, on Linux.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Clock ticks are 100 a second on Linux.
    Some(ticks * 10.0)
}
