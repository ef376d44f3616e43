//! `[check.external]`: how `critique check --external` fetches the site's external links.
//! Every setting has a default a polite link checker would use; a site changes them for hosts
//! that need it (a slow archive, a host that answers bots with 403).

use serde::Deserialize;

use crate::locate::Step;

/// Settings of the external link check.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalConfig {
    /// The `User-Agent` of every request (some hosts refuse a client that gives none).
    pub user_agent: String,
    /// Status codes that count as a live link besides 2xx (a host that answers checkers with
    /// 403 or 999 while serving readers).
    pub accepted_status: Vec<u16>,
    /// Regular expressions: a link matching any is not fetched (counted as skipped).
    pub skip: Vec<String>,
    /// Requests in flight to one host at a time.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host, in milliseconds.
    pub delay_ms: u64,
    /// Requests in flight in all.
    pub concurrency: usize,
    /// How long one request may take, in seconds, connecting included.
    pub timeout_secs: u64,
    /// Tries after the first on 429 and 5xx answers.
    pub retries: u32,
    /// Wait before the first retry, in milliseconds, doubled for each further one (a
    /// `Retry-After` answer says its own wait).
    pub backoff_ms: u64,
    /// Days a live link's result is kept in `.critique/cache/` before it is fetched again.
    pub cache_days: u32,
    /// Whether links to loopback, private and link-local addresses are fetched: off, so that
    /// the links of a pull request cannot make a CI runner probe its own network.
    pub allow_private: bool,
    /// How long a run may take, in seconds: links not asked about by then are reported
    /// unreachable (and asked about first next time, the others being cached).
    pub time_limit_secs: u64,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        Self {
            user_agent: concat!("critique/", env!("CARGO_PKG_VERSION"), " (link checker)").to_string(),
            accepted_status: Vec::new(),
            skip: Vec::new(),
            per_host: 2,
            delay_ms: 200,
            concurrency: 64,
            timeout_secs: 15,
            retries: 3,
            backoff_ms: 1000,
            cache_days: 7,
            allow_private: false,
            time_limit_secs: 900,
        }
    }
}

impl ExternalConfig {
    /// What is wrong with these settings, each with the key it is at (below `[check.external]`).
    pub(super) fn problems(&self) -> Vec<(Vec<Step<'static>>, String)> {
        let mut found = Vec::new();
        let mut add = |steps: Vec<Step<'static>>, message: String| found.push((steps, message));
        // Bounds a site could want, and within which no wait overflows a clock.
        let bounds: [(&'static str, u64, u64, u64); 9] = [
            ("per_host", self.per_host as u64, 1, 64),
            ("concurrency", self.concurrency as u64, 1, 1024),
            ("timeout_secs", self.timeout_secs, 1, 600),
            ("delay_ms", self.delay_ms, 0, 60_000),
            ("retries", u64::from(self.retries), 0, 10),
            ("backoff_ms", self.backoff_ms, 0, 600_000),
            ("cache_days", u64::from(self.cache_days), 0, 3650),
            ("time_limit_secs", self.time_limit_secs, 1, 7 * 86_400),
            ("accepted_status", self.accepted_status.len() as u64, 0, 900),
        ];
        for (key, value, low, high) in bounds {
            if !(low..=high).contains(&value) {
                add(vec![Step::Key(key)], format!("{key} is {value}: expected {low} to {high}"));
            }
        }
        // A header value: visible ASCII and spaces, or the agent could end the header early.
        if self.user_agent.trim().is_empty() || !self.user_agent.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            add(vec![Step::Key("user_agent")], "user_agent must be printable ASCII, and not empty".into());
        }
        for (i, status) in self.accepted_status.iter().enumerate() {
            if !(100..=999).contains(status) {
                add(
                    vec![Step::Key("accepted_status"), Step::Index(i)],
                    format!("{status} is not an HTTP status code: expected 100 to 999"),
                );
            }
        }
        for (i, pattern) in self.skip.iter().enumerate() {
            if let Err(e) = regex::Regex::new(pattern) {
                let why = e.to_string().lines().last().unwrap_or_default().trim().to_string();
                add(
                    vec![Step::Key("skip"), Step::Index(i)],
                    format!("skip pattern `{pattern}` is not a regular expression: {why}"),
                );
            }
        }
        found
    }
}
