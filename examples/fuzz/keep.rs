//! Findings kept for later: the mutant's files as they were before any build (made again from
//! the seed and index into the kept folder), a description of its mutations and findings, and
//! the child's logs; and the replay of such a folder.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::execute::Report;
use crate::site::{BaseSite, Layout, copy_tree};

/// The description file of a kept finding.
const DESCRIPTION: &str = "finding.txt";

/// Keeps mutant `index` of `seed` (its findings in `report`) in `keep`; returns the folder.
pub fn keep(
    keep: &Path,
    base: &BaseSite,
    seed: u64,
    index: u64,
    max_size: usize,
    report: &Report,
) -> Result<PathBuf, String> {
    let dir = keep.join(format!("seed-{seed}-index-{index}"));
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir = fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mutations = crate::make_mutant(&Layout { root: dir.clone() }, base, seed, index, max_size)?.0;
    let cap = if max_size == usize::MAX { "none".to_string() } else { max_size.to_string() };
    let mut text = format!("seed: {seed}\nindex: {index}\nmax-size: {cap}\nroot: {}\nmutations:\n", dir.display());
    for m in &mutations {
        let _ = writeln!(text, "  - {m}");
    }
    text.push_str("serve mutations:\n");
    for m in &report.serve_mutations {
        let _ = writeln!(text, "  - {m}");
    }
    text.push_str("findings:\n");
    for (kind, detail) in &report.findings {
        let _ = writeln!(text, "  - {kind}: {detail}");
    }
    let cap = if max_size == usize::MAX { String::new() } else { format!(" --max-size {max_size}") };
    let _ = writeln!(
        text,
        "replay:\n  cargo run --release --example fuzz -- --replay {}\n  cargo run --release --example fuzz -- --seed {seed} --from {index} --mutants 1{cap}",
        dir.display()
    );
    fs::write(dir.join(DESCRIPTION), text).map_err(|e| e.to_string())?;
    for (log, name) in [(&report.logs.0, "child.out"), (&report.logs.1, "child.err")] {
        let _ = fs::copy(log, dir.join(name));
    }
    Ok(dir)
}

/// A kept finding read back: its seed, index and the folder it was kept in.
pub struct Kept {
    /// The run's seed.
    pub seed: u64,
    /// The mutant's index.
    pub index: u64,
    /// The folder the mutant's links were made in.
    pub root: PathBuf,
    /// The size cap the mutant was made with.
    pub max_size: usize,
}

/// Reads the description of the finding kept in `dir`.
pub fn read(dir: &Path) -> Result<Kept, String> {
    let text = fs::read_to_string(dir.join(DESCRIPTION)).map_err(|e| format!("{}: {e}", dir.display()))?;
    let field = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).ok_or(format!("no `{name}` in {DESCRIPTION}"))
    };
    let number = |name: &str| field(name)?.parse::<u64>().map_err(|e| format!("{name} {e}"));
    Ok(Kept {
        seed: number("seed:")?,
        index: number("index:")?,
        root: PathBuf::from(field("root:")?),
        // `none` (no cap) does not parse as a number.
        max_size: number("max-size:").map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    })
}

/// Copies a kept mutant into `layout` (links into the kept folder made to point into T).
pub fn restore(dir: &Path, kept: &Kept, layout: &Layout) -> Result<(), String> {
    for part in ["site", "outside", "canary.txt"] {
        let (from, to) = (dir.join(part), layout.root.join(part));
        if part.ends_with(".txt") {
            fs::copy(&from, &to).map_err(|e| format!("{}: {e}", from.display()))?;
        } else {
            copy_tree(&from, &to, (&kept.root, &layout.root)).map_err(|e| format!("{}: {e}", from.display()))?;
        }
    }
    Ok(())
}
