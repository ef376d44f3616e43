//! `critique check --external`: the only part of critique that touches the network. Each
//! distinct web address is fetched once (HEAD, then GET where HEAD is refused), politely
//! ([`schedule`]), through one client ([`client`]); live ones are remembered in a cache below
//! the site ([`cache`]). What the answers mean for the content is the checks' business.

pub mod address;
mod cache;
mod client;
mod schedule;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use regex::Regex;
use serde::Serialize;

use crate::config::ExternalConfig;

pub use cache::{Cache, FOLDER as CACHE_FOLDER};
use client::Client;
pub use client::{Failure, Method, Reply};
pub use schedule::{Limits, Verdict};

/// The longest `Retry-After` a run waits for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// How a run fetches: the site's `[check.external]`, made ready.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The limits of the schedule.
    pub limits: Limits,
    skip: Vec<Regex>,
    user_agent: String,
    allow_private: bool,
    ttl_secs: u64,
}

impl Settings {
    /// The settings of `config` (whose patterns the configuration's check already compiled).
    pub fn new(config: &ExternalConfig) -> Self {
        let timeout = Duration::from_secs(config.timeout_secs.max(1));
        Settings {
            limits: Limits {
                per_host: config.per_host.max(1),
                delay: Duration::from_millis(config.delay_ms),
                concurrency: config.concurrency.max(1),
                retries: config.retries,
                backoff: Duration::from_millis(config.backoff_ms),
                max_wait: MAX_RETRY_AFTER,
                accepted: config.accepted_status.clone(),
                timeout,
                time_limit: Duration::from_secs(config.time_limit_secs.max(1)),
            },
            skip: config.skip.iter().filter_map(|p| Regex::new(p).ok()).collect(),
            user_agent: config.user_agent.clone(),
            allow_private: config.allow_private,
            ttl_secs: u64::from(config.cache_days) * 86_400,
        }
    }
}

/// What a run did, for the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Distinct addresses fetched.
    pub checked: usize,
    /// Distinct addresses found live by an earlier run, within the cache's time.
    pub cached: usize,
    /// Distinct links not fetched: skip patterns, private addresses, other schemes.
    pub skipped: usize,
    /// Requests sent, retries and redirects included.
    pub requests: usize,
    /// How long the run took, in seconds.
    pub seconds: f64,
    /// What went wrong with the cache (it is only an optimisation: the run goes on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_problem: Option<String>,
}

/// The outcome of a run: a verdict for each link as written, and the tally.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// By link as written.
    pub verdicts: HashMap<String, Verdict>,
    /// What the run did.
    pub tally: Tally,
}

/// What a link (as written, and as it would be fetched) gets without a request: skipped when
/// a skip pattern matches it or it names a private host (unless those are allowed).
fn screen(settings: &Settings, link: &str, address: &address::Address) -> Option<Verdict> {
    if settings.skip.iter().any(|p| p.is_match(link)) {
        return Some(Verdict::Skipped("it matches a skip pattern".into()));
    }
    if !settings.allow_private && address::names_private(&address.hostname) {
        return Some(Verdict::Skipped("its host is a private or loopback address".into()));
    }
    None
}

/// Fetches every link of `links` (as written in the content) of the site at `root`; with
/// `refresh`, the cache is not read (and is written anew).
pub fn check<'a>(links: impl IntoIterator<Item = &'a str>, settings: &Settings, root: &Path, refresh: bool) -> Outcome {
    let start = Instant::now();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (mut cache, cache_problem) = if refresh { (Cache::default(), None) } else { Cache::load(root) };
    let mut outcome = Outcome { tally: Tally { cache_problem, ..Tally::default() }, ..Outcome::default() };
    // Links by the address fetched for them (`https://e.org/a#x` and `…/a#y` are one fetch).
    let mut by_address: BTreeMap<String, (address::Address, Vec<&str>)> = BTreeMap::new();
    let mut cached = std::collections::HashSet::new();
    for link in links {
        if outcome.verdicts.contains_key(link) {
            continue;
        }
        let parsed = address::parse(link);
        let verdict = match parsed.as_ref().map(|a| screen(settings, link, a)) {
            Err(address::NotFetched::NotWeb) => Some(Verdict::Skipped("not a web address".into())),
            _ if settings.skip.iter().any(|p| p.is_match(link)) => {
                Some(Verdict::Skipped("it matches a skip pattern".into()))
            }
            Err(address::NotFetched::Malformed(why)) => Some(Verdict::Dead(format!("it has {why}"))),
            Ok(Some(verdict)) => Some(verdict),
            Ok(None) => match parsed {
                Ok(a) if !refresh && cache.is_fresh(&a.request, now, settings.ttl_secs) => {
                    cached.insert(a.request);
                    Some(Verdict::Live)
                }
                Ok(a) => {
                    by_address.entry(a.request.clone()).or_insert_with(|| (a, Vec::new())).1.push(link);
                    outcome.verdicts.insert(link.to_string(), Verdict::Unreachable("not checked".into()));
                    None
                }
                Err(_) => None,
            },
        };
        if let Some(verdict) = verdict {
            if matches!(verdict, Verdict::Skipped(_)) {
                outcome.tally.skipped += 1;
            }
            outcome.verdicts.insert(link.to_string(), verdict);
        }
    }
    outcome.tally.cached = cached.len();
    let (addresses, written): (Vec<_>, Vec<_>) = by_address.into_values().unzip();
    let client = Client::new(&settings.user_agent, settings.limits.timeout, settings.allow_private);
    let screen = |link: &str, a: &address::Address| screen(settings, link, a);
    let send = |method, url: &str| client.send(method, url);
    let (verdicts, requests) = schedule::run(addresses.clone(), &settings.limits, &screen, &send);
    outcome.tally.requests = requests;
    for ((address, links), verdict) in addresses.iter().zip(written).zip(verdicts) {
        match &verdict {
            Verdict::Live => cache.record(&address.request, now),
            // Refused after the lookup: skipped, as a link naming such a host is.
            Verdict::Skipped(_) => outcome.tally.skipped += links.len(),
            _ => {}
        }
        if !matches!(verdict, Verdict::Skipped(_)) {
            outcome.tally.checked += 1;
        }
        for link in links {
            outcome.verdicts.insert(link.to_string(), verdict.clone());
        }
    }
    if let Err(e) = cache.save(root, now, settings.ttl_secs) {
        let place: PathBuf = root.join(CACHE_FOLDER);
        outcome.tally.cache_problem = Some(format!("cannot write the cache in {}: {e}", place.display()));
    }
    outcome.tally.seconds = start.elapsed().as_secs_f64();
    outcome
}
