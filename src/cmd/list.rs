//! `critique list [drafts|future|stale|all]`: the reviews a build leaves out or that are due
//! for another look, a line each, so a writer sees what is waiting without reading every file.

use std::path::PathBuf;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load;
use crate::markdown::MarkdownOptions;
use crate::parse::{self, Publish};
use crate::{SiteOptions, site_config};

/// Which reviews to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Listing {
    /// Reviews that say `draft: true`.
    Drafts,
    /// Reviews dated after today (left out by `build` without `--future`).
    Future,
    /// Reviews past their `revisit_by` date or `[freshness] stale_after_days` after their last date.
    Stale,
    /// Every review, with its states.
    All,
}

/// One review listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its file, relative to the site root.
    pub path: PathBuf,
    /// Its date.
    pub date: Date,
    /// Its headline.
    pub title: String,
    /// Whether it says `draft: true`.
    pub draft: bool,
    /// Whether it is dated after today.
    pub future: bool,
    /// The last day it counted as fresh, when that day has passed.
    pub stale_after: Option<Date>,
}

impl Listed {
    /// Its line in the listing: `date  file  states  title`.
    pub fn line(&self) -> String {
        let path = crate::diagnostic::display_path(&self.path);
        format!("{}  {path}  {}  {}", self.date, self.states(), self.title)
    }

    /// Its states, comma-separated: `draft`, `future`, `stale after DATE`, or `published`.
    pub fn states(&self) -> String {
        let mut states = Vec::new();
        if self.draft {
            states.push("draft".to_string());
        }
        if self.future {
            states.push("future".to_string());
        }
        if let Some(day) = self.stale_after {
            states.push(format!("stale after {day}"));
        }
        if states.is_empty() { "published".to_string() } else { states.join(", ") }
    }
}

/// The reviews of the site at `root` that `listing` asks for, by path, as of `today`. Files
/// that do not parse are not listed: their errors are returned with what could be listed.
pub fn run(root: &std::path::Path, listing: Listing, today: Date) -> (Vec<Listed>, Vec<Diagnostic>) {
    let (files, mut errors) = load::load_site(root);
    let config = match site_config(&files, &SiteOptions::default()) {
        Ok(config) => config,
        Err(e) => {
            errors.extend(e);
            return (Vec::new(), errors);
        }
    };
    let publish = Publish { drafts: true, until: None };
    let (parsed, parse_errors) = parse::parse_all(&files.content, MarkdownOptions::ROOT, publish);
    errors.extend(parse_errors);
    let stale_after = config.freshness.stale_after_days;
    let listed = parsed
        .reviews
        .into_iter()
        .map(|review| {
            let fresh_until = review.matter.fresh_until(stale_after);
            Listed {
                path: review.source.path,
                date: review.matter.date.value,
                title: review.matter.title,
                draft: review.matter.draft,
                future: review.matter.date.value > today,
                stale_after: (fresh_until < today).then_some(fresh_until),
            }
        })
        .filter(|l| match listing {
            Listing::Drafts => l.draft,
            Listing::Future => l.future,
            Listing::Stale => l.stale_after.is_some(),
            Listing::All => true,
        })
        .collect();
    (listed, errors)
}
