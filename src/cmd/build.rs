//! `critique build`: load, render and write a site, reporting every problem at once.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cache_store::{DiskStore, Stores};
use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::output::OutputFile;
use crate::output::{self, BuildRecord, OutputError, Staging, WriteStats};
use crate::parse::LeftOut;
use crate::render::Failure;
use crate::{SiteOptions, Timings, check, fingerprint, load, render_site_into};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildArgs {
    /// The site root (holding `critique.toml` and `content/`).
    pub root: PathBuf,
    /// Where the output goes; `<root>/public` when absent.
    pub output: Option<PathBuf>,
    /// Site options (drafts, base URL).
    pub site: SiteOptions,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Where the output went.
    pub output: PathBuf,
    /// Projects built.
    pub projects: usize,
    /// Reviews built.
    pub reviews: usize,
    /// Free pages built.
    pub pages: usize,
    /// Files written or kept.
    pub files: WriteStats,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time of each stage.
    pub timings: Timings,
    /// What the build did but the writer may not have meant (a local `base_url`).
    pub warnings: Vec<Diagnostic>,
    /// The review files left out as drafts or dated in the future, and why (none when the
    /// output was up to date).
    pub left_out: Vec<(PathBuf, LeftOut)>,
}

impl BuildSummary {
    /// What the build left out, a line per reason: how many files, the first few, and the
    /// flag that includes them.
    pub fn left_out_lines(&self) -> String {
        let left_out = &self.left_out;
        let mut text = String::new();
        let reasons = [
            (LeftOut::Draft, "draft", "drafts", "--drafts"),
            (LeftOut::Future, "review dated in the future", "reviews dated in the future", "--future"),
        ];
        for (why, one, many, flag) in reasons {
            let files: Vec<&PathBuf> = left_out.iter().filter(|(_, w)| *w == why).map(|(p, _)| p).collect();
            let n = files.len();
            if n == 0 {
                continue;
            }
            let shown: Vec<String> = files.iter().take(3).map(|p| display_path(p)).collect();
            let more = if n > 3 { format!(" and {} more", n - 3) } else { String::new() };
            let (what, them) = if n == 1 { (one, "it") } else { (many, "them") };
            text.push_str(&format!(
                "Left out {n} {what} ({}{more}); `critique build {flag}` includes {them}.\n",
                shown.join(", ")
            ));
        }
        text
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site's files have problems; nothing was written.
    #[error("{0}")]
    Content(Diagnostics),
    /// Writing the output failed; the previous output is untouched.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Builds the site at `args.root`. When the output was written by a build of exactly the same
/// inputs and still holds what that build wrote, nothing is rendered or written again.
pub fn run(args: &BuildArgs) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let (files, mut errors) = timings.time("load", || load::load_site(&args.root));
    let output = match &args.output {
        Some(output) => output.clone(),
        None => output::default_output(&args.root)?,
    };
    let today = args.site.today.unwrap_or_else(Date::today);
    let fingerprint = timings.time("fingerprint", || fingerprint::of(&files, &args.site, today));
    if errors.is_empty()
        && let Some((record, kept)) = timings.time("check output", || output::up_to_date(&output, fingerprint))
    {
        return Ok(BuildSummary {
            output,
            projects: record.projects,
            reviews: record.reviews,
            pages: record.pages,
            files: WriteStats { written: 0, unchanged: kept },
            elapsed: start.elapsed(),
            timings,
            warnings: crate::site_config(&files, &args.site)
                .ok()
                .and_then(|c| local_base_url(&c))
                .into_iter()
                .collect(),
            left_out: Vec::new(),
        });
    }
    let options = SiteOptions { today: Some(today), ..args.site.clone() };
    // Files go into a staging directory as they are rendered; it replaces the output only if
    // the whole build succeeds, and is removed (dropped) otherwise.
    let staging = Staging::begin(&output, &args.root)?;
    let put = |file: OutputFile| staging.put(&file);
    let cards = DiskStore::open(&args.root, crate::cards::CACHED);
    let images = DiskStore::open(&args.root, crate::pictures::CACHED);
    let stores = Stores { cards: &cards, images: &images };
    let site = match render_site_into(&files, &options, stores, &mut timings, &put) {
        Ok((site, index)) => {
            // Broken links and promotion fail a build as they fail `check`.
            errors.extend(timings.time("checks", || check::blocking(&site, &index)));
            site
        }
        Err(Failure::Content(more)) => {
            errors.extend(more);
            return Err(BuildError::Content(Diagnostics::new(errors)));
        }
        Err(Failure::Sink(write)) => return Err(BuildError::Output(write)),
    };
    if !errors.is_empty() {
        return Err(BuildError::Content(Diagnostics::new(errors)));
    }
    let record = BuildRecord {
        fingerprint,
        projects: site.projects.len(),
        reviews: site.reviews.len(),
        pages: site.pages.len(),
    };
    let stats = timings.time("swap into place", || staging.finish(Some(&record)))?;
    // Cards turned off keep what was drawn, for when they are turned on again.
    if site.config.social_cards.enabled {
        cards.prune();
    }
    images.prune();
    let mut warnings: Vec<Diagnostic> = local_base_url(&site.config).into_iter().collect();
    // A cache that cannot be used costs time, not the build.
    let problems = [cards.problem(), images.problem()].into_iter().flatten();
    warnings.extend(problems.map(|why| Diagnostic::file(crate::cache_dir::FOLDER, why).warning()));
    Ok(BuildSummary {
        output,
        projects: record.projects,
        reviews: record.reviews,
        pages: record.pages,
        files: stats,
        elapsed: start.elapsed(),
        timings,
        warnings,
        left_out: site.left_out,
    })
}

/// A warning when `base_url` (as built, `--base-url` applied) names this machine: every
/// absolute link of the output (feeds, sitemap, canonical links) would lead there once the
/// site is deployed. The default `base_url` is one.
fn local_base_url(config: &Config) -> Option<Diagnostic> {
    let (base_url, host) = (&config.base_url, config.host());
    // A host name may end with the root's dot (`localhost.`).
    let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let address = name.parse::<std::net::IpAddr>().ok().or_else(|| browser_ipv4(&name).map(std::net::IpAddr::V4));
    let local = name == "localhost"
        || name.ends_with(".localhost")
        || address.is_some_and(|ip| ip.to_canonical().is_loopback() || ip.to_canonical().is_unspecified());
    local.then(|| {
        Diagnostic::file(crate::config::CONFIG_FILE, format!("base_url `{base_url}` is this machine: the feeds, the sitemap and every absolute link of the output lead there"))
            .warning()
            .with_hint("set `base_url` to the address the site will be served from, or build with `--base-url https://…/`")
    })
}

/// An IPv4 address as browsers read a host (the URL standard's IPv4 parser): one to four
/// numbers, decimal, octal (`0` first) or hexadecimal (`0x` first), the last filling the bytes
/// left, so that `127.1`, `2130706433` and `0x7f.0.0.1` are all 127.0.0.1.
fn browser_ipv4(host: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| match p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            Some("") => Some(0),
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None if p.len() > 1 && p.starts_with('0') => u64::from_str_radix(&p[1..], 8).ok(),
            None => p.parse().ok(),
        })
        .collect::<Option<_>>()?;
    let (last, first) = numbers.split_last()?;
    if first.iter().any(|&n| n > 255) || *last >= 256u64.pow(u32::try_from(5 - numbers.len()).ok()?) {
        return None;
    }
    let value = first.iter().enumerate().fold(*last, |acc, (i, &n)| acc + (n << (8 * (3 - i))));
    u32::try_from(value).ok().map(std::net::Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_as_browsers_read_them() {
        let loopback = Some(std::net::Ipv4Addr::LOCALHOST);
        for host in ["127.1", "127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.0.1"] {
            assert_eq!(browser_ipv4(host), loopback, "{host}");
        }
        for host in ["example", "256.1", "1.2.3.4.5", "127..1", "0x", "1.2.3.256"] {
            assert_ne!(browser_ipv4(host), loopback, "{host}");
        }
    }

    #[test]
    fn a_base_url_of_this_machine_is_warned_about() {
        for url in [
            "http://127.0.0.1:1111/",
            "http://localhost/",
            "https://[::1]:8080/x/",
            "http://0.0.0.0/",
            "http://a.localhost/",
            "http://localhost./",
            "http://127.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://2130706433/",
        ] {
            assert!(local_base_url(&Config::default().with_base_url(url).expect("a URL")).is_some(), "{url}");
        }
        for url in ["https://example.org/", "https://localhost.example.org/", "https://10.0.0.1/"] {
            assert!(local_base_url(&Config::default().with_base_url(url).expect("a URL")).is_none(), "{url}");
        }
    }
}
