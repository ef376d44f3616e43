//! The one place that speaks HTTP (ureq, blocking, rustls): a request is sent, and only its
//! status, `Location` and `Retry-After` come back. Redirects are not followed here, so that
//! each hop counts against its own host's limits; bodies are never read.

use std::fmt;
use std::io;
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use super::address::is_private;

/// The two methods the check uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Asks for the headers only.
    Head,
    /// Asks for the page (its body is not read).
    Get,
}

/// What one request brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The server answered.
    Status {
        /// Its status code.
        code: u16,
        /// Its `Location` header, for redirects.
        location: Option<String>,
        /// Its `Retry-After`, as a wait.
        retry_after: Option<Duration>,
    },
    /// No answer.
    Failed(Failure),
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It took longer than the timeout.
    Timeout,
    /// The host name does not resolve.
    NoSuchHost,
    /// The host resolves to a loopback, private or link-local address, and those are not
    /// fetched.
    Private,
    /// Anything else: a refused or reset connection, a TLS failure, a malformed answer.
    Other(String),
}

/// A client for link checks.
pub struct Client {
    agent: ureq::Agent,
}

/// What a [`PublicOnly`] resolver refuses with, inside an I/O error (ureq's only way to carry
/// a resolver's own failure), told apart from others by its type.
#[derive(Debug)]
struct PrivateAddress;

impl fmt::Display for PrivateAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a private or loopback address")
    }
}

impl std::error::Error for PrivateAddress {}

impl Client {
    /// A client sending `user_agent`, giving up on a request after `timeout`; with
    /// `allow_private`, it also connects to loopback and private addresses.
    pub fn new(user_agent: &str, timeout: Duration, allow_private: bool) -> Self {
        // No proxy, not even one named by the environment: through a proxy, the addresses a
        // link leads to are the proxy's to look up, and could not be refused when private.
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .user_agent(user_agent)
            .timeout_global(Some(timeout))
            .build();
        let resolver = PublicOnly { allow_private, inner: DefaultResolver::default() };
        Client { agent: ureq::Agent::with_parts(config, DefaultConnector::default(), resolver) }
    }

    /// Sends one request to `url` (an address made by [`super::address::parse`]).
    pub fn send(&self, method: Method, url: &str) -> Reply {
        let sent = match method {
            Method::Head => self.agent.head(url).call(),
            Method::Get => self.agent.get(url).header("Accept", "text/html,*/*;q=0.8").call(),
        };
        match sent {
            Ok(response) => {
                let header =
                    |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
                Reply::Status {
                    code: response.status().as_u16(),
                    location: header("location"),
                    retry_after: header("retry-after").and_then(|v| retry_after(&v)),
                }
            }
            Err(e) => Reply::Failed(failure(e)),
        }
    }
}

fn failure(error: ureq::Error) -> Failure {
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::HostNotFound => Failure::NoSuchHost,
        ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<PrivateAddress>()) => Failure::Private,
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::TimedOut => Failure::Timeout,
        // A failed lookup comes as an I/O error from the system's resolver: a name that does
        // not exist is dead, a resolver that failed for now (`Temporary failure…`) is not.
        ureq::Error::Io(e) if is_unknown_name(&e.to_string()) => Failure::NoSuchHost,
        e => Failure::Other(e.to_string()),
    }
}

/// Whether a lookup's error says the name does not exist (glibc's, musl's and macOS's words).
fn is_unknown_name(message: &str) -> bool {
    ["Name or service not known", "No address associated with hostname", "nodename nor servname provided"]
        .iter()
        .any(|words| message.contains(words))
}

/// A status code with its reason phrase (`404 Not Found`), as reports name it.
pub fn status_text(code: u16) -> String {
    match ureq::http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// `Retry-After` as a wait: seconds, or an HTTP date (a date already past is no wait).
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = jiff::Timestamp::now().duration_until(when);
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// A resolver that refuses to connect to private addresses (unless allowed): checked on the
/// addresses the lookup returned, so that a public name cannot point at the network inside.
struct PublicOnly {
    allow_private: bool,
    inner: DefaultResolver,
}

impl fmt::Debug for PublicOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicOnly").field("allow_private", &self.allow_private).finish()
    }
}

impl Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let found = self.inner.resolve(uri, config, timeout)?;
        if !self.allow_private && found.iter().any(|a| is_private(a.ip())) {
            return Err(ureq::Error::Io(io::Error::new(io::ErrorKind::PermissionDenied, PrivateAddress)));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_name_that_does_not_exist_is_dead() {
        assert!(is_unknown_name("failed to lookup address information: Name or service not known"));
        assert!(!is_unknown_name("failed to lookup address information: Temporary failure in name resolution"));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert!(retry_after("Fri, 01 Jan 2100 00:00:00 GMT").is_some_and(|d| d > Duration::from_secs(86_400)));
        assert_eq!(retry_after("soon"), None);
    }
}
