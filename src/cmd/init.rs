//! `critique init [DIR]`: a new site that builds at once — configuration, one project, one
//! review, an about page. The theme stays embedded in the binary.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::date::Date;

/// Why a site could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The directory already holds a site.
    #[error("{0}: there is already a site here (critique.toml or content/); expected an empty or new directory")]
    Exists(PathBuf),
    /// The directory lies inside a site: a new site there would be content of that one.
    #[error(
        "{}: this is inside the site at {}; expected a folder outside any site (name one: `critique init DIR`)",
        .0.display(),
        .1.display()
    )]
    InsideSite(PathBuf, PathBuf),
    /// Writing failed.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// The files of a new site, by path, for the day `today`.
pub fn site_files(today: Date) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = vec![
        (CONFIG_FILE.into(), CONFIG.to_string()),
        // The output, and the link check's cache (kept by CI between runs, never committed).
        (".gitignore".into(), "/public\n/.critique/\n".to_string()),
        ("content/projects/example-network.md".into(), PROJECT.to_string()),
        ("content/reviews/a-first-look.md".into(), REVIEW.replace("{today}", &today.to_string())),
        ("content/pages/about.md".into(), ABOUT.to_string()),
    ];
    let policies = crate::scaffold::POLICY_PAGES.iter();
    files.extend(policies.map(|(slug, text)| (format!("content/pages/{slug}.md"), (*text).to_string())));
    files
}

/// Creates a site in `dir` (made if missing); returns the files written.
pub fn run(dir: &Path, today: Date) -> Result<Vec<PathBuf>, InitError> {
    if dir.join(CONFIG_FILE).exists() || dir.join("content").exists() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    // A folder inside a site's content, templates or static files (or the site itself, above).
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(site) = absolute.parent().and_then(super::root::configured_site) {
        return Err(InitError::InsideSite(dir.to_path_buf(), site.to_path_buf()));
    }
    let mut written = Vec::new();
    for (rel, mut text) in site_files(today) {
        let path = dir.join(&rel);
        let io = |source| InitError::Io { path: path.clone(), source };
        // An existing .gitignore is kept, with the lines it lacks added to it.
        if rel == ".gitignore" && path.exists() {
            let existing = fs::read_to_string(&path).map_err(io)?;
            let has = |line: &str| existing.lines().any(|l| l.trim().trim_matches('/') == line.trim_matches('/'));
            let missing: String = text.lines().filter(|l| !has(l)).map(|l| format!("{l}\n")).collect();
            if missing.is_empty() {
                continue;
            }
            text = format!(
                "{existing}{}{missing}",
                if existing.ends_with('\n') || existing.is_empty() { "" } else { "\n" }
            );
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

const CONFIG: &str = r#"# critique.toml — every key is optional; the defaults are shown commented out.
title = "My critique site"
description = "Critical reviews of projects: their claims, and the questions they have yet to answer."
# The address the site is served from; a subpath such as https://example.org/reviews/ works.
base_url = "http://127.0.0.1:1111/"
# language = "en"
# min_reviews = 3          # reviews a project needs before medians and an overall score appear
# contested_spread = 4     # spread of scores from which an axis is marked contested
# feed_limit = 20

# [scale]
# min = 0
# max = 10

# Declaring [[axes]] replaces the default six: cost, speed, reliability, ease,
# decentralization, accountability.
# [[axes]]
# key = "cost"
# label = "Cheaper"
# ask = "Is it cheaper than what users rely on today?"
# weight = 1

# Every review says what its author holds in, was paid by, or has to do with the project.
[disclosure]
required = true

[check]
archived_evidence = true   # every web address relied on as evidence needs an `archived` copy
# disabled = []            # e.g. ["stock-phrase"]
# near_duplicate = 0.5
# allow_unsafe_html = false  # true publishes <script> and event handlers in raw HTML
"#;

const PROJECT: &str = r#"---
name: Example Network
summary: A network that says it makes something cheaper, faster or fairer; replace with a real one.
category: Infrastructure
tags: [example]
claims:
  - id: cheaper
    text: It costs less than the service people use today.
  - id: decentralized
    text: No single company controls it.
---
What the project says it is, in this site's own words. Each claim above gets an `id` that
reviews use to tie their questions to it.
"#;

const REVIEW: &str = r#"---
title: A first look at Example Network
project: example-network
author: Your Name
date: {today}
verdict: unproven
scores: { cost: 5, speed: 5, reliability: 5, ease: 5, decentralization: 5, accountability: 5 }
tags: [first-look]
disclosure: { holdings: none, compensation: none, relationship: none }
questions:
  - ask: Cheaper than what, measured how?
    claim: cheaper
    status: open
  - ask: Who can change the rules, and who answers when it fails?
    claim: decentralized
    status: open
---
The first paragraph is the summary shown in listings.

## What it claims

Quote the claims, then test them.

## What would change my mind

Say what evidence would move each score.
"#;

const ABOUT: &str = r#"---
title: About
description: What this site reviews and how.
---
This site reviews projects by their claims: each review scores a project on the same axes
and asks the questions its claims raise.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold;

    /// What `init` writes for the writer to replace is what `check`'s `placeholder` rule
    /// knows as such.
    #[test]
    fn the_example_is_the_scaffold_check_knows() {
        for line in [scaffold::SUMMARY_LINE, scaffold::EXAMPLE_REVIEW_LINES[0], scaffold::EXAMPLE_REVIEW_LINES[1]] {
            assert!(REVIEW.lines().any(|l| l == line), "{line}");
        }
        assert!(REVIEW.contains(&format!("author: {}\n", scaffold::AUTHOR)));
        assert!(REVIEW.contains(&format!("project: {}\n", scaffold::EXAMPLE_PROJECT)));
        let project = format!("content/projects/{}.md", scaffold::EXAMPLE_PROJECT);
        assert!(site_files(Date::parse("2026-01-01").expect("date")).iter().any(|(path, _)| *path == project));
    }
}
