//! Which `Host` values the dev server answers, against DNS rebinding: a page on another site
//! whose name the attacker points at 127.0.0.1 reaches the server with its own name in `Host`.
//! An IP literal cannot be rebound, so only names need a list: `localhost` (browsers resolve it
//! to the loopback interface themselves) and the names given with `--allowed-host`.

use std::net::{IpAddr, Ipv6Addr};

/// A `Host` value's host, without its port: an address, or a name lowercased and without a
/// trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// An IPv4 or IPv6 literal (IPv4-mapped IPv6 addresses as IPv4).
    Ip(IpAddr),
    /// A domain name.
    Name(String),
}

/// The hosts the server answers to, from the address it is bound to and `--allowed-host`.
///
/// - Bound to a loopback address: `localhost`, any loopback address (127.0.0.0/8, `::1`).
/// - Bound to an unspecified address (`0.0.0.0`, `::`): the same, and any IP literal (the
///   server is reachable at each of the machine's addresses, and none can be rebound).
/// - Bound to another address: that address only.
///
/// The allowed names are added in every case.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    bound: IpAddr,
    allowed: Vec<Host>,
}

impl HostPolicy {
    /// The policy of a server bound to `bound`, answering also to `allowed`.
    pub fn new(bound: IpAddr, allowed: Vec<Host>) -> Self {
        HostPolicy { bound: canonical(bound), allowed }
    }

    /// Whether a request whose `Host` header reads `header` is answered (`None`: no header).
    pub fn allows(&self, header: Option<&str>) -> bool {
        header.and_then(parse_host).is_some_and(|host| self.allows_host(&host))
    }

    fn allows_host(&self, host: &Host) -> bool {
        if self.allowed.contains(host) {
            return true;
        }
        let local = self.bound.is_loopback() || self.bound.is_unspecified();
        match host {
            Host::Ip(ip) => *ip == self.bound || self.bound.is_unspecified() || (local && ip.is_loopback()),
            Host::Name(name) => local && name == "localhost",
        }
    }

    /// How the hosts answered read in a message (`localhost, 127.0.0.0/8, [::1], site.test`).
    pub fn describe(&self) -> String {
        let mut hosts = Vec::new();
        if self.bound.is_loopback() || self.bound.is_unspecified() {
            hosts.extend(["localhost".to_string(), "127.0.0.0/8".into(), "[::1]".into()]);
        }
        if self.bound.is_unspecified() {
            hosts.push("any IP address".into());
        } else if !self.bound.is_loopback() {
            hosts.push(show(&Host::Ip(self.bound)));
        }
        hosts.extend(self.allowed.iter().map(show));
        hosts.join(", ")
    }
}

/// A host as it is written in a URL (IPv6 addresses in brackets).
fn show(host: &Host) -> String {
    match host {
        Host::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
        Host::Ip(ip) => ip.to_string(),
        Host::Name(name) => name.clone(),
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) as the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// The host of a `Host` header value (`name`, `name:port`, `1.2.3.4:port`, `[::1]:port`), or
/// `None` if it is not one: empty, a bad port, a bare IPv6 address, characters no host name has.
pub fn parse_host(value: &str) -> Option<Host> {
    if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = inside.parse().ok()?;
        check_port(if after.is_empty() { None } else { Some(after.strip_prefix(':')?) })?;
        return Some(Host::Ip(canonical(IpAddr::V6(ip))));
    }
    let (host, port) = match value.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    };
    check_port(port)?;
    parse_name(host)
}

/// A host given on the command line (`--allowed-host`): a name or an IP address, without a
/// port; lowercased, without its trailing dot.
pub fn parse_allowed(value: &str) -> Result<Host, String> {
    if let Ok(ip) = value.trim_start_matches('[').trim_end_matches(']').parse::<Ipv6Addr>() {
        return Ok(Host::Ip(canonical(IpAddr::V6(ip))));
    }
    if value.contains(':') {
        return Err(format!("`{value}` is not a host name: give the name without a port"));
    }
    parse_name(value).ok_or_else(|| {
        format!("`{value}` is not a host name: expected letters, digits, `-` and `.` (such as preview.example)")
    })
}

/// A port is digits that fit in 16 bits; an empty one (`host:`) is allowed, as URLs allow it.
fn check_port(port: Option<&str>) -> Option<()> {
    match port {
        None | Some("") => Some(()),
        Some(p) => (p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()).then_some(()),
    }
}

/// A name or IPv4 literal: one trailing dot dropped, lowercased; labels of letters, digits,
/// `-` and `_`, none empty.
fn parse_name(host: &str) -> Option<Host> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    if let Ok(ip) = host.parse() {
        return Some(Host::Ip(IpAddr::V4(ip)));
    }
    let label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    host.split('.').all(label).then(|| Host::Name(host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> HostPolicy {
        HostPolicy::new("127.0.0.1".parse().expect("ip"), Vec::new())
    }

    #[test]
    fn host_values_are_parsed_with_or_without_a_port() {
        let name = |n: &str| Some(Host::Name(n.into()));
        let ip = |i: &str| Some(Host::Ip(i.parse().expect("ip")));
        assert_eq!(parse_host("localhost"), name("localhost"));
        assert_eq!(parse_host("LocalHost.:8080"), name("localhost"));
        assert_eq!(parse_host("Example.ORG"), name("example.org"));
        assert_eq!(parse_host("127.0.0.1:1111"), ip("127.0.0.1"));
        assert_eq!(parse_host("127.0.0.1."), ip("127.0.0.1"));
        assert_eq!(parse_host("[::1]:1111"), ip("::1"));
        assert_eq!(parse_host("[::1]"), ip("::1"));
        assert_eq!(parse_host("[::ffff:127.0.0.1]"), ip("127.0.0.1"));
        assert_eq!(parse_host("host:"), name("host"));
        for bad in [
            "",
            ":80",
            ".",
            "a..b",
            "::1",
            "[::1",
            "[::1]x",
            "[::1]:x",
            "[evil]",
            "host:port",
            "host:99999",
            "host:-1",
            "a b",
            "a/b",
            "a@b",
            "a:1:2",
            "é.example",
        ] {
            assert_eq!(parse_host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_loopback_server_answers_localhost_and_loopback_addresses_only() {
        let policy = loopback();
        for good in ["localhost", "localhost:1111", "LOCALHOST", "localhost.", "127.0.0.1:1111", "127.1.2.3", "[::1]:1"]
        {
            assert!(policy.allows(Some(good)), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "evil.localhost",
            "127.0.0.1.evil.example",
            "10.0.0.1",
            "[::2]",
            "0.0.0.0",
            "",
        ] {
            assert!(!policy.allows(Some(bad)), "{bad}");
        }
        assert!(!policy.allows(None), "no Host");
        let v6 = HostPolicy::new("::1".parse().expect("ip"), Vec::new());
        assert!(v6.allows(Some("[::1]:80")) && v6.allows(Some("127.0.0.1")) && v6.allows(Some("localhost")));
    }

    #[test]
    fn a_server_bound_elsewhere_answers_its_address_and_the_allowed_names() {
        let allowed = vec![parse_allowed("Preview.Test.").expect("name"), parse_allowed("10.9.9.9").expect("ip")];
        let policy = HostPolicy::new("192.168.1.5".parse().expect("ip"), allowed.clone());
        for good in ["192.168.1.5:1111", "preview.test", "PREVIEW.TEST.:80", "10.9.9.9"] {
            assert!(policy.allows(Some(good)), "{good}");
        }
        for bad in ["localhost", "127.0.0.1", "[::1]", "192.168.1.6", "evil.example", "sub.preview.test"] {
            assert!(!policy.allows(Some(bad)), "{bad}");
        }
        // Bound to every address: any address literal and the loopback names, but no other name.
        let any = HostPolicy::new("0.0.0.0".parse().expect("ip"), allowed);
        for good in ["192.168.1.5:1111", "10.0.0.7", "[fe80::1]", "localhost", "127.0.0.1", "preview.test"] {
            assert!(any.allows(Some(good)), "{good}");
        }
        for bad in ["evil.example", "my-laptop.local", ""] {
            assert!(!any.allows(Some(bad)), "{bad}");
        }
        // The allowed names are added to a loopback server's too.
        let named = HostPolicy::new("127.0.0.1".parse().expect("ip"), vec![Host::Name("site.test".into())]);
        assert!(named.allows(Some("site.test:1111")) && named.allows(Some("localhost")));
    }

    #[test]
    fn allowed_hosts_are_names_or_addresses_without_a_port() {
        assert_eq!(parse_allowed("Preview.Test."), Ok(Host::Name("preview.test".into())));
        assert_eq!(parse_allowed("::1"), Ok(Host::Ip("::1".parse().expect("ip"))));
        assert_eq!(parse_allowed("[::1]"), Ok(Host::Ip("::1".parse().expect("ip"))));
        for bad in ["", "*", "a b", "preview.test:80", "http://preview.test", "a..b"] {
            assert!(parse_allowed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_policy_describes_what_it_answers() {
        assert_eq!(loopback().describe(), "localhost, 127.0.0.0/8, [::1]");
        let policy = HostPolicy::new("192.168.1.5".parse().expect("ip"), vec![Host::Name("a.test".into())]);
        assert_eq!(policy.describe(), "192.168.1.5, a.test");
        let v6 = HostPolicy::new("fd00::5".parse().expect("ip"), vec![Host::Ip("fd00::6".parse().expect("ip"))]);
        assert_eq!(v6.describe(), "[fd00::5], [fd00::6]");
    }
}
